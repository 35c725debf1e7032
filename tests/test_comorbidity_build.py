"""The build of the comorbidity data: the AHRQ CMR zips and the Charlson document.

Expected values were read from the sources by other means than the parsers: flags from
the workbooks' sheet XML, labels, POA rules and weights from the SAS text, counts
against the user guides (Appendix C: codes in more than one measure).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest

from icd10cm.errors import SourceFileError
from icd10cm_build.charlson import CharlsonDoc, parse_charlson, parse_pattern
from icd10cm_build.cmr import CmrVersion, Combination, Hierarchy, read_cmr
from icd10cm_build.comorbidity import read_ahrq_manifest

ZIPS = {"v2022.1": "CMR_v2022-1.zip", "v2023.1": "CMR_v2023-1.zip", "v2025.1": "CMR_v2025.1.zip"}


@pytest.fixture(scope="module")
def cmr(ahrq_cmr: Path) -> dict[str, CmrVersion]:
    manifest = read_ahrq_manifest(ahrq_cmr)
    return {version: read_cmr(ahrq_cmr / name, manifest[name]) for version, name in ZIPS.items()}


# --------------------------------------------------------------------------- CMR zips

slow = pytest.mark.slow  # each zip takes seconds to read


@slow
@pytest.mark.parametrize(
    ("version", "fiscal_year", "n_codes", "n_multi"),
    [
        ("v2022.1", 2022, 4319, 119),
        ("v2023.1", 2023, 4432, 120),
        # 4,542: the sheet has 4,543 rows below its header, and the last is "End of
        # Content" (the "4,543 codes" of the zip's README counts that row); the
        # format program's $COMFMT lists the same 4,542 codes.
        ("v2025.1", 2025, 4542, 121),
    ],
)
def test_version_counts(
    cmr: dict[str, CmrVersion], version: str, fiscal_year: int, n_codes: int, n_multi: int
) -> None:
    v = cmr[version]
    assert v.version == version
    assert (v.first_fiscal_year, v.fiscal_year) == (2016, fiscal_year)
    assert len(v.measures) == 38
    assert len(v.codes) == n_codes
    # user guide, Appendix C: "N ICD-10-CM diagnosis codes ... in more than one measure"
    assert sum(len(flags) > 1 for flags in v.codes.values()) == n_multi
    assert set(v.code_labels) == set(v.codes)


POA_MEASURES = {  # user guide Table 1, "Uses POA": Yes
    "ANEMDEF", "BLDLOSS", "CBVD", "COAG", "HF", "LIVER_MLD", "LIVER_SEV", "NEURO_MOVT",
    "NEURO_OTH", "NEURO_SEIZ", "PARALYSIS", "PSYCHOSES", "PULMCIRC", "RENLFL_MOD",
    "RENLFL_SEV", "ULCER_PEPTIC", "VALVE", "WGHTLOSS",
}

HIERARCHIES = (  # CMR_Mapping_Program_v20xx-1.sas, "Implement exclusions", all three
    Hierarchy(("DIAB_CX",), ("DIAB_UNCX",), None),
    Hierarchy(("HTN_CX",), ("HTN_UNCX",), None),
    Hierarchy(("CANCER_METS",), ("CANCER_SOLID", "CANCER_NSITU"), None),
    Hierarchy(("CANCER_SOLID",), ("CANCER_NSITU",), None),
    Hierarchy(("LIVER_SEV",), ("LIVER_MLD",), "&POA. = 1"),
    Hierarchy(("RENLFL_SEV",), ("RENLFL_MOD",), "&POA. = 1"),
)
CBVD = Combination(
    "CBVD",
    ((("CBVD_POA", 1),), (("CBVD_POA", 0), ("CBVD_NPOA", 0), ("CBVD_SQLA", 1))),
    "&POA. = 1",
)


@slow
@pytest.mark.parametrize("version", list(ZIPS))
def test_rules(cmr: dict[str, CmrVersion], version: str) -> None:
    v = cmr[version]
    assert v.poa_dependent == POA_MEASURES
    # the hierarchies, then the CBVD combination, in the program's order
    assert v.steps == (*HIERARCHIES, CBVD)
    assert [h.needs_poa_data for h in v.hierarchies] == [False] * 4 + [True] * 2
    assert v.poa.present_values == ("Y", "W")
    assert v.poa.absent_values == ("N", "U")
    assert v.poa.first_diagnosis == 2  # DO I = 2 TO ...: secondary diagnoses only
    assert v.intermediate_flags == {"CBVD_POA", "CBVD_SQLA", "CBVD_NPOA"}
    rule = v.label_rules["HFHTN_CXRENLFL_SEV"]  # I13.2
    assert rule.always == {"HTN_CX"} and rule.if_present == {"HF", "RENLFL_SEV"}
    assert not rule.if_absent
    cbvd = v.label_rules["CBVD_POA"]
    assert not cbvd.always and cbvd.if_present == {"CBVD_POA"}
    assert cbvd.if_absent == {"CBVD_NPOA"}
    for code, flags in v.codes.items():  # the workbook is what the programs set
        assert v.label_rules[v.code_labels[code]].flags == flags


@slow
def test_codes_and_labels_across_versions(cmr: dict[str, CmrVersion]) -> None:
    v22, v23, v25 = cmr["v2022.1"], cmr["v2023.1"], cmr["v2025.1"]
    assert v25.codes["I132"] == {"HF", "HTN_CX", "RENLFL_SEV"}
    assert v25.codes["I69351"] == {"CBVD_SQLA", "PARALYSIS"}
    assert v25.codes["G9345"] == {"NEURO_OTH", "NEURO_SEIZ"}
    assert "G9345" not in v23.codes  # new in FY2025
    # removed in v2023.1 (user guide, summary of changes): acute, not chronic, blood loss
    assert set(v22.codes) - set(v23.codes) == {"O9081", "O9902", "O9903"}
    assert len(set(v23.codes) - set(v22.codes)) == 116  # the change log's added codes
    assert set(v23.codes) <= set(v25.codes)
    assert "LIVER_MLD_NEURO" not in v22.label_rules and "LIVER_MLD_NEURO" in v23.label_rules
    assert "NEURO_OTH_SEIZ" not in v23.label_rules and "NEURO_OTH_SEIZ" in v25.label_rules


@slow
def test_poa_exempt_lists(cmr: dict[str, CmrVersion]) -> None:
    v = cmr["v2025.1"]
    assert list(v.poa_exempt) == list(range(2016, 2026))
    assert v.poa.default_fiscal_year == 2025  # the ELSE branch of ICDVER
    assert len(v.poa_exempt[2025]) == 38159 and len(v.poa_exempt[2016]) == 35239
    assert {"I69351", "Z992", "Z860100"} <= v.poa_exempt[2025]
    assert not {"E119", "I130", "B20", "G450"} & v.poa_exempt[2025]
    # the FY2025 list ends with 5 codes deleted in FY2025
    assert {"Q238", "T8132XD", "T8132XS", "Z597", "Z86010"} <= v.poa_exempt[2025]
    # the FY2024 list is written with single quotes; it is read all the same
    assert "Z86010" in v.poa_exempt[2024] and "Z860100" not in v.poa_exempt[2024]
    for old in (cmr["v2022.1"], cmr["v2023.1"]):
        assert all(old.poa_exempt[fy] == v.poa_exempt[fy] for fy in old.poa_exempt)


@slow
def test_weights_are_every_integer_assignment_of_the_index_program(
    cmr: dict[str, CmrVersion], ahrq_cmr: Path
) -> None:
    for version, name in ZIPS.items():
        with zipfile.ZipFile(ahrq_cmr / name) as archive:
            member = next(n for n in archive.namelist() if "Index_Program" in n)
            text = archive.read(member).decode()
        found = dict(re.findall(r"(?m)^\s*(rw\w+|mw\w+)\s*=\s*(-?\d+)\s*;", text))
        v = cmr[version]
        assert {f"rw{m}": str(w) for m, w in v.readmission_weights.items()} == {
            k: n for k, n in found.items() if k.startswith("rw")}
        assert {f"mw{m}": str(w) for m, w in v.mortality_weights.items()} == {
            k: n for k, n in found.items() if k.startswith("mw")}


def test_sha256_mismatch(ahrq_cmr: Path) -> None:
    with pytest.raises(SourceFileError, match=r"CMR_v2022-1\.zip: sha256 is ffa99afe.*expected 0+"):
        read_cmr(ahrq_cmr / "CMR_v2022-1.zip", "0" * 64)


def _altered(ahrq_cmr: Path, tmp_path: Path, role: str,
             change: tuple[str, str] | None) -> tuple[Path, str]:
    """A copy of the v2022.1 zip with one text replacement in one member (or without the
    member, when *change* is None), and its sha256."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(ahrq_cmr / "CMR_v2022-1.zip") as source, zipfile.ZipFile(
        buffer, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for name in source.namelist():
            data = source.read(name)
            if role in name:
                if change is None:
                    continue
                text = data.decode()
                assert change[0] in text, change[0]
                data = text.replace(change[0], change[1]).encode()
            target.writestr(name, data)
    out = tmp_path / "CMR_v2022-1.zip"
    out.write_bytes(buffer.getvalue())
    return out, hashlib.sha256(buffer.getvalue()).hexdigest()


def test_a_missing_member_is_refused(ahrq_cmr: Path, tmp_path: Path) -> None:
    path, sha = _altered(ahrq_cmr, tmp_path, "Index_Program", None)
    with pytest.raises(SourceFileError, match=r"expected exactly one index file"):
        read_cmr(path, sha)


@slow
def test_a_new_hierarchy_is_read_from_the_program(ahrq_cmr: Path, tmp_path: Path) -> None:
    old = "IF CMR_RENLFL_SEV   = 1 THEN CMR_RENLFL_MOD  = 0;"
    new = old + "\n   IF CMR_HF = 1 AND CMR_COAG = 1 THEN DO; CMR_VALVE = 0; CMR_WGHTLOSS = 0; END;"
    path, sha = _altered(ahrq_cmr, tmp_path, "Mapping_Program", (old, new))
    v = read_cmr(path, sha)
    assert v.hierarchies == (*HIERARCHIES,
                             Hierarchy(("HF", "COAG"), ("VALVE", "WGHTLOSS"), "&POA. = 1"))


@slow
@pytest.mark.parametrize(
    ("role", "change", "error"),
    [
        ("Mapping_Program", ("IF CMR_RENLFL_SEV   = 1", "IF CMR_RENLFL_SEV   = 2"),
         r"CMR_Mapping_Program_v2022-1\.sas, line \d+: unrecognised rule"),
        ("Mapping_Program", ('IF DXVALUE = "VALVE_AUTOIMMUNE"    THEN CMR_VALVE     = 1;', ""),
         r"M3211: flagged \['AUTOIMMUNE', 'VALVE'\]"),
        ("Index_Program", ("rwAIDS         =  5 ;", "rwAIDS = 5.5 ;"),
         r"CMR_Index_Program_v2022-1\.sas: .*RWAIDS"),
        ("Format_Program", ('"Z21" = "AIDS"', '"Z21"-"Z22" = "AIDS"'), r"COMFMT: value ranges"),
    ],
)
def test_a_source_it_does_not_understand_stops_the_build(
    ahrq_cmr: Path, tmp_path: Path, role: str, change: tuple[str, str], error: str
) -> None:
    path, sha = _altered(ahrq_cmr, tmp_path, role, change)
    with pytest.raises(SourceFileError, match=error):
        read_cmr(path, sha)


def test_the_manifest_must_list_every_zip(ahrq_cmr: Path, tmp_path: Path) -> None:
    (tmp_path / "MANIFEST.tsv").write_text(
        (ahrq_cmr / "MANIFEST.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "CMR_v2099-1.zip").write_bytes(b"")
    with pytest.raises(SourceFileError, match=r"zips without a row: \['CMR_v2099-1.zip'\]"):
        read_ahrq_manifest(tmp_path)


# --------------------------------------------------------------------------- Charlson


@pytest.fixture(scope="module")
def doc_text(charlson_doc: Path) -> str:
    return charlson_doc.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(doc_text: str) -> CharlsonDoc:
    return parse_charlson(doc_text, "charlson-quan2005.md")


def test_the_17_conditions_in_the_documents_order(doc: CharlsonDoc) -> None:
    assert [c.id for c in doc.conditions] == [
        "mi", "chf", "pvd", "cevd", "dementia", "cpd", "rheumatic", "pud", "mild_liver",
        "diabetes", "diabetes_complicated", "hemiplegia", "renal", "malignancy",
        "severe_liver", "metastatic", "hiv",
    ]
    weights = {c.id: dict(c.weights) for c in doc.conditions}
    assert weights["hiv"] == {"charlson1987": 6, "quan2011": 4}
    assert weights["mi"] == {"charlson1987": 1, "quan2011": 0}
    assert weights["metastatic"] == {"charlson1987": 6, "quan2011": 6}
    mi = doc.conditions[0]
    assert [(p.text, p.members) for p in mi.patterns] == [
        ("I21.x", ("I21",)), ("I22.x", ("I22",)), ("I25.2", ("I25.2",))]


def test_hierarchies_and_variants(doc: CharlsonDoc) -> None:
    assert [(m, s) for m, s, _ in doc.hierarchies] == [
        ("mild_liver", "severe_liver"), ("diabetes", "diabetes_complicated"),
        ("malignancy", "metastatic")]
    e1x6, c4a = doc.variants
    assert (e1x6.source, e1x6.target) == ("diabetes", "diabetes_complicated")
    assert [p.text for p in e1x6.patterns] == ["E10.6", "E11.6", "E12.6", "E13.6", "E14.6"]
    assert (c4a.source, c4a.target, c4a.patterns[0].members) == (None, "malignancy", ("C4A",))
    assert "E11.65" in e1x6.note and "C4A" in c4a.note


def test_ranges_are_enumerated_at_the_same_depth_over_digits() -> None:
    assert parse_pattern("I42.5\u2013I42.9").members == ("I42.5", "I42.6", "I42.7", "I42.8",
                                                         "I42.9")
    assert parse_pattern("F00.x\u2013F03.x").members == ("F00", "F01", "F02", "F03")
    assert "C4A" not in parse_pattern("C45.x\u2013C58.x").members
    assert len(parse_pattern("C00.x\u2013C26.x").members) == 27


@pytest.mark.parametrize("bad", ["C4A.x\u2013C4B.x", "I42.9\u2013I42.5", "I42.5\u2013I43.9", "I21"])
def test_malformed_patterns_are_refused(bad: str) -> None:
    with pytest.raises(SourceFileError):
        parse_pattern(bad)


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("metastatic solid tumour.", "metastatic bone tumour.", "names 0 conditions"),
        ("Hierarchies used", "Orders used", "Hierarchies"),
        ("I21.x, I22.x", "I21, I22.x", "I21"),
        ("| 6 | 4 |", "| 6 | four |", "not integers"),
        ("ICD-10-CM has C4A", "ICD-10-CM has Merkel cell carcinoma", "C4A"),
    ],
)
def test_a_document_it_does_not_understand_is_refused(
    doc_text: str, old: str, new: str, error: str
) -> None:
    assert old in doc_text
    with pytest.raises(SourceFileError, match=error):
        parse_charlson(doc_text.replace(old, new), "charlson-quan2005.md")
