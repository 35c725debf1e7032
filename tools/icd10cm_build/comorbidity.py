"""Build the comorbidity data: the AHRQ Elixhauser Comorbidity Software Refined (CMR)
versions and the Charlson algorithm of Quan et al. (2005).

Writes, deterministically:

* ``cmr-vYYYY.N.json`` for each CMR zip listed in the ``ahrq-cmr`` folder's
  ``MANIFEST.tsv`` (each zip sha256-checked): the measures with their descriptions,
  POA use and index weights, what each ``$COMFMT`` label sets (always, or only for a
  diagnosis present on admission or POA-exempt, or only for one not present), the codes
  of each label, the hierarchies and combinations in the order the mapping program runs
  them, and the POA-exempt lists, by fiscal year, restricted to the codes the version
  maps (whether any other code is exempt changes nothing);
* ``charlson.json``: the conditions, patterns (as written, and the prefixes they stand
  for), weights, hierarchies and opt-in variants of ``charlson-quan2005.md``;
* ``comorbidity.json``: the index of the above, with the sha256 of every source.

Every rule comes from the official files (:mod:`icd10cm_build.cmr`) and the document
(:mod:`icd10cm_build.charlson`); nothing is copied into the library's code. The build
also checks that each code a CMR version maps is a billable code of a bundled release of
the fiscal years the version covers.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from icd10cm.errors import SourceFileError
from icd10cm.official.assemble import BuildError, FolderFiles, ReleaseContent
from icd10cm_build.charlson import CharlsonPattern, parse_charlson
from icd10cm_build.cmr import CmrVersion, Combination, Hierarchy, read_cmr
from icd10cm_build.extra_data import ExtraBuilder, ExtraData

__all__ = ["CHARLSON", "FORMAT", "INDEX", "comorbidity_builder", "read_ahrq_manifest"]

FORMAT = 1
#: The index data file.
INDEX = "comorbidity.json"
CHARLSON = "charlson.json"


def _json(value: object) -> bytes:
    return (json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def read_ahrq_manifest(folder: Path) -> dict[str, str]:
    """``MANIFEST.tsv`` of the ``ahrq-cmr`` folder as {zip name: sha256}; every zip of the
    folder must have a row, and every row its zip."""
    path = folder / "MANIFEST.tsv"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as exc:
        raise SourceFileError(str(path), f"cannot read the manifest: {exc}") from exc
    if not rows or not {"file", "sha256"} <= set(rows[0]):
        raise SourceFileError(str(path), "expected the columns file and sha256")
    manifest = {row["file"]: row["sha256"] for row in rows}
    zips = {p.name for p in folder.glob("*.zip")}
    if zips != set(manifest):
        raise SourceFileError(
            str(path), f"zips without a row: {sorted(zips - set(manifest))}; rows without "
            f"a zip: {sorted(set(manifest) - zips)}"
        )
    return manifest


def _step(step: Hierarchy | Combination) -> dict[str, object]:
    if isinstance(step, Combination):
        return {"combination": {
            "measure": step.measure,
            "any_of": [[[flag, value] for flag, value in conj] for conj in step.any_of],
            "needs_poa_data": step.macro_condition is not None,
        }}
    return {"hierarchy": {
        "if_present": list(step.if_present),
        "drop": list(step.drop),
        "needs_poa_data": step.needs_poa_data,
    }}


def _version_data(cmr: CmrVersion) -> dict[str, object]:
    mapped = set(cmr.code_labels)
    codes: dict[str, list[str]] = {}
    for code, label in sorted(cmr.code_labels.items()):
        codes.setdefault(label, []).append(code)
    return {
        "format": FORMAT,
        "version": cmr.version,
        "fiscal_year": cmr.fiscal_year,
        "first_fiscal_year": cmr.first_fiscal_year,
        "measures": [
            {"id": measure, "description": description, "poa": measure in cmr.poa_dependent,
             "mortality": cmr.mortality_weights[measure],
             "readmission": cmr.readmission_weights[measure]}
            for measure, description in cmr.measures.items()
        ],
        "intermediate": sorted(cmr.intermediate_flags),
        "labels": {
            label: {"always": sorted(rule.always), "if_present": sorted(rule.if_present),
                    "if_absent": sorted(rule.if_absent)}
            for label, rule in sorted(cmr.label_rules.items())
        },
        "codes": codes,
        "steps": [_step(step) for step in cmr.steps],
        "poa": {
            "present": list(cmr.poa.present_values),
            "absent": list(cmr.poa.absent_values),
            "first_diagnosis": cmr.poa.first_diagnosis,
            "default_exempt_fiscal_year": cmr.poa.default_fiscal_year,
            # only the mapped codes of each list: the exemption of another code changes
            # nothing, and the full lists hold about 38,000 codes each
            "exempt": {str(fy): sorted(exempt & mapped)
                       for fy, exempt in sorted(cmr.poa_exempt.items())},
        },
    }


def _check_codes(cmr: CmrVersion, contents: Sequence[ReleaseContent], source: str) -> None:
    billable: set[str] = set()
    for content in contents:
        if cmr.first_fiscal_year <= content.fiscal_year <= cmr.fiscal_year:
            billable.update(row.code.replace(".", "") for row in content.rows if row.billable)
    strays = sorted(set(cmr.code_labels) - billable)
    if strays:
        raise BuildError(
            "comorbidity", f"{source} maps {len(strays)} code(s) that are billable in no "
            f"bundled release of FY{cmr.first_fiscal_year}-FY{cmr.fiscal_year}: {strays[:10]}"
        )


def _pattern(pattern: CharlsonPattern) -> dict[str, object]:
    return {"text": pattern.text, "members": list(pattern.members)}


def _charlson_data(doc_path: Path) -> tuple[dict[str, object], str]:
    try:
        data = doc_path.read_bytes()
    except OSError as exc:
        raise SourceFileError(str(doc_path), f"cannot read the Charlson document: {exc}") from exc
    doc = parse_charlson(data.decode("utf-8"), str(doc_path))
    return {
        "format": FORMAT,
        "conditions": [
            {"id": c.id, "name": c.name, "patterns": [_pattern(p) for p in c.patterns],
             "weights": dict(c.weights)}
            for c in doc.conditions
        ],
        "hierarchies": [{"milder": milder, "severe": severe, "text": text}
                        for milder, severe, text in doc.hierarchies],
        "variants": [
            {"name": v.name, "note": v.note, "source": v.source, "target": v.target,
             "patterns": [_pattern(p) for p in v.patterns]}
            for v in doc.variants
        ],
    }, hashlib.sha256(data).hexdigest()


def comorbidity_builder(ahrq_cmr: Path, charlson_doc: Path) -> ExtraBuilder:
    """The builder of the comorbidity data from the ``ahrq-cmr`` folder and the Charlson
    document (their paths are printed in the index relative to their parent folders)."""

    def build(_root: Path, _folder: Callable[[str], FolderFiles],
              contents: Sequence[ReleaseContent]) -> ExtraData:
        files: dict[str, bytes] = {}
        versions = []
        for name, sha256 in sorted(read_ahrq_manifest(ahrq_cmr).items()):
            cmr = read_cmr(ahrq_cmr / name, sha256)
            _check_codes(cmr, contents, name)
            file = f"cmr-{cmr.version}.json"
            files[file] = _json(_version_data(cmr))
            versions.append({
                "version": cmr.version, "fiscal_year": cmr.fiscal_year,
                "first_fiscal_year": cmr.first_fiscal_year, "file": file,
                "source": {"file": f"{ahrq_cmr.name}/{name}", "sha256": sha256,
                           "members": dict(sorted(cmr.files.items()))},
            })
        years = [v["fiscal_year"] for v in versions]
        if not versions or len(set(years)) != len(years):
            raise SourceFileError(str(ahrq_cmr), f"expected CMR versions of distinct fiscal "
                                                 f"years, found {years}")
        charlson, doc_sha256 = _charlson_data(charlson_doc)
        files[CHARLSON] = _json(charlson)
        files[INDEX] = _json({
            "format": FORMAT,
            "cmr": sorted(versions, key=lambda v: str(v["version"])),
            "charlson": {"file": CHARLSON, "source": {
                "file": f"{charlson_doc.parent.name}/{charlson_doc.name}",
                "sha256": doc_sha256}},
        })
        return ExtraData(files)

    return build
