"""The bundled comorbidity maps, read once and compiled into bit masks.

Every rule here comes from the data files (``comorbidity.json``, ``cmr-vYYYY.N.json``,
``charlson.json``), which the build parses from the AHRQ programs and the Charlson
document: the labels and what each sets, the POA-exempt lists, the hierarchies and
combinations in program order, the weights. Nothing is written into this module.

A *program* holds one map compiled for speed: each flag (measure, intermediate flag or
Charlson condition) is one bit of an int, so a patient's findings are one int, and the
hierarchies and combinations are a few bit operations.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from icd10cm.core import caches
from icd10cm.errors import ComorbidityError, quote
from icd10cm.releases import bundle

__all__ = [
    "INDEX",
    "CharlsonProgram",
    "CmrHierarchy",
    "CmrMeasure",
    "CmrProgram",
    "CmrVersion",
    "bits",
    "charlson_program",
    "choose_version",
    "clear",
    "cmr_program",
    "cmr_versions",
]

#: The index of the comorbidity data files.
INDEX = "comorbidity.json"


def bits(mask: int) -> Iterable[int]:
    """The positions of the set bits of *mask*, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


@attrs.frozen
class CmrMeasure:
    """One of the CMR measures, with its weights in the version's two indices."""

    id: str  # without the CMR_ prefix: "HF", "DIAB_CX"
    description: str  # as in the version's reference workbook
    poa_dependent: bool  # counts only when present on admission (or POA-exempt)
    mortality_weight: int
    readmission_weight: int


@attrs.frozen
class CmrHierarchy:
    """Where every measure of *if_present* is found, the measures of *drop* are not
    counted. *needs_poa_data*: the program runs it only on data with POA indicators."""

    if_present: tuple[str, ...]
    drop: tuple[str, ...]
    needs_poa_data: bool

    def __str__(self) -> str:
        return f"{' and '.join(self.if_present)} drops {', '.join(self.drop)}"


@attrs.frozen
class CmrVersion:
    """A bundled version of the AHRQ Elixhauser Comorbidity Software Refined (CMR)."""

    version: str  # "v2025.1"
    fiscal_year: int  # the last ICD-10-CM fiscal year whose codes it maps
    first_fiscal_year: int  # the first (2016: every version keeps codes since October 2015)
    measures: tuple[CmrMeasure, ...]  # in the reference workbook's order
    hierarchies: tuple[CmrHierarchy, ...]  # in the mapping program's order
    exempt_fiscal_years: tuple[int, ...]  # the POA-exempt lists of the format program
    mapped_codes: int  # how many codes the reference workbook maps
    source: str  # the official zip
    sha256: str  # its sha256

    def __str__(self) -> str:
        return (f"AHRQ CMR {self.version} (ICD-10-CM codes of FY{self.first_fiscal_year} "
                f"to FY{self.fiscal_year})")

    @property
    def first_day(self) -> date:
        """The first day of its first fiscal year."""
        return date(self.first_fiscal_year - 1, 10, 1)

    @property
    def codes_as_of(self) -> date:
        """The first day of its last fiscal year. A version is made for the October
        update and published after it, before the April update of the same fiscal year:
        it maps the codes in effect on this day, not the codes an April update adds."""
        return date(self.fiscal_year - 1, 10, 1)


@attrs.frozen(eq=False)
class CmrProgram:
    """One CMR version compiled: flags are bits, measures first (workbook order)."""

    info: CmrVersion
    flags: tuple[str, ...]  # bit -> flag
    measure_mask: int  # the bits of the measures (the rest are intermediate flags)
    #: label -> (set always, set when present on admission or exempt, set when not)
    labels: Mapping[str, tuple[int, int, int]]
    code_labels: Mapping[str, str]  # undotted code -> its label
    exempt: Mapping[int, frozenset[str]]  # fiscal year -> mapped codes exempt from POA
    default_exempt_year: int  # the list used for any other fiscal year
    present_values: frozenset[str]  # POA values that count as present ("Y", "W")
    absent_values: frozenset[str]  # POA values that count as not present ("N", "U")
    first_diagnosis: int  # the program reads diagnoses from this position (2)
    #: after all diagnoses, in program order: ("drop", if_present mask, drop mask) or
    #: ("combine", measure bit, ((ones mask, zeros mask), ...))
    steps: tuple[tuple[Any, ...], ...]
    feeds: Mapping[int, int]  # intermediate flag bit -> the bit of the measure it feeds
    triggers: int  # the flags that can make a step change anything
    mortality: tuple[int, ...]  # weight by measure bit
    readmission: tuple[int, ...]

    def exempt_codes(self, fiscal_year: int) -> tuple[int, frozenset[str]]:
        """The POA-exempt list for a fiscal year, and that list's year: the program uses
        its latest list for any year it has none for."""
        year = fiscal_year if fiscal_year in self.exempt else self.default_exempt_year
        return year, self.exempt[year]

    def finish(self, mask: int, dropped: dict[int, int] | None = None,
               combined: dict[int, int] | None = None) -> int:
        """The measures of the flags in *mask*, after the hierarchies and combinations.
        Records, if given, *dropped* measure bit -> the mask of the measures that dropped
        it, and *combined* measure bit -> the mask of the flags that set it."""
        if not mask & self.triggers:  # no step can change these flags
            return mask & self.measure_mask
        for step in self.steps:
            if step[0] == "drop":
                _, present, drop = step
                if mask & present == present and mask & drop:
                    if dropped is not None:
                        dropped.update(dict.fromkeys(bits(mask & drop), present))
                    mask &= ~drop
            else:
                _, bit, any_of = step
                for ones, zeros in any_of:
                    if mask & ones == ones and not mask & zeros:
                        mask |= 1 << bit
                        if combined is not None:
                            combined[bit] = ones
                        break
        return mask & self.measure_mask

    def indices(self, mask: int) -> tuple[int, int]:
        """(mortality index, readmission index) of the measures in *mask*."""
        mortality = readmission = 0
        for bit in bits(mask):
            mortality += self.mortality[bit]
            readmission += self.readmission[bit]
        return mortality, readmission


@attrs.frozen(eq=False)
class CharlsonProgram:
    """The Charlson conditions compiled: conditions are bits, in the document's order."""

    conditions: tuple[str, ...]  # bit -> condition id
    names: tuple[str, ...]  # bit -> the document's name
    prefixes: Mapping[str, int]  # undotted member -> condition bits
    lengths: tuple[int, ...]  # the lengths of the members, shortest first
    weights: Mapping[str, tuple[int, ...]]  # weighting -> weight by bit
    hierarchies: tuple[tuple[int, int], ...]  # (milder bit, more severe bit)
    #: (condition, pattern text, its dotted members), in the document's order
    patterns: tuple[tuple[str, str, tuple[str, ...]], ...]
    variants: tuple[str, ...]  # the opt-in variants applied, in the document's order

    def match(self, undotted: str) -> int:
        """The condition bits of an undotted code of a release."""
        found = 0
        get = self.prefixes.get
        for length in self.lengths:
            if length > len(undotted):
                break
            found |= get(undotted[:length], 0)
        return found

    def finish(self, mask: int, dropped: dict[int, int] | None = None) -> int:
        """The conditions after the hierarchies; records, if given, *dropped* milder
        bit -> the bit of the more severe condition that dropped it."""
        for milder, severe in self.hierarchies:
            if mask >> severe & 1 and mask >> milder & 1:
                mask &= ~(1 << milder)
                if dropped is not None:
                    dropped[milder] = 1 << severe
        return mask

    def score(self, mask: int, weighting: str) -> int:
        weights = self.weights[weighting]
        return sum(weights[bit] for bit in bits(mask))


_lock = threading.Lock()
_cmr: dict[str, CmrProgram] = {}
_charlson: dict[frozenset[str], CharlsonProgram] = {}


@caches.register
def clear() -> None:
    """Forget the compiled maps."""
    with _lock:
        _cmr.clear()
        _charlson.clear()


def _index() -> dict[str, Any]:
    index: dict[str, Any] = bundle.read_json(INDEX)
    return index


def cmr_versions() -> tuple[CmrVersion, ...]:
    """The bundled versions of the AHRQ CMR, oldest first."""
    return tuple(cmr_program(entry["version"]).info for entry in _index()["cmr"])


def _version_entry(version: str) -> dict[str, Any]:
    entries = _index()["cmr"]
    wanted = version.strip() if isinstance(version, str) else version
    for entry in entries:
        if wanted in (entry["version"], entry["version"][1:]):
            return dict(entry)
    raise ComorbidityError(
        f"Unknown CMR version {quote(version)}: the bundled versions are "
        f"{', '.join(e['version'] for e in entries)}; give one of them, or leave version=None "
        "to use the release's own version or the nearest one."
    )


def choose_version(fiscal_year: int) -> tuple[str, bool]:
    """The CMR version for an ICD-10-CM fiscal year, and whether it is the nearest one
    rather than the year's own. Between two equally near versions the later is taken:
    every version maps the codes of all the fiscal years before its own."""
    entries = _index()["cmr"]
    best = min(entries, key=lambda e: (abs(e["fiscal_year"] - fiscal_year), -e["fiscal_year"]))
    return best["version"], best["fiscal_year"] != fiscal_year


def cmr_program(version: str) -> CmrProgram:
    """The compiled program of a bundled CMR version (``"v2025.1"`` or ``"2025.1"``)."""
    entry = _version_entry(version)
    with _lock:
        program = _cmr.get(entry["version"])
        if program is None:
            program = _cmr[entry["version"]] = _compile_cmr(entry, bundle.read_json(entry["file"]))
        return program


def _compile_cmr(entry: Mapping[str, Any], data: Mapping[str, Any]) -> CmrProgram:
    measures = tuple(
        CmrMeasure(m["id"], m["description"], m["poa"], m["mortality"], m["readmission"])
        for m in data["measures"]
    )
    flags = (*(m.id for m in measures), *data["intermediate"])
    bit = {flag: i for i, flag in enumerate(flags)}

    def mask(names: Iterable[str]) -> int:
        return sum(1 << bit[name] for name in set(names))

    steps: list[tuple[Any, ...]] = []
    hierarchies: list[CmrHierarchy] = []
    feeds: dict[int, int] = {}
    for step in data["steps"]:
        if "hierarchy" in step:
            rule = step["hierarchy"]
            steps.append(("drop", mask(rule["if_present"]), mask(rule["drop"])))
            hierarchies.append(CmrHierarchy(tuple(rule["if_present"]), tuple(rule["drop"]),
                                            rule["needs_poa_data"]))
        else:
            rule = step["combination"]
            target = bit[rule["measure"]]
            any_of = tuple(
                (mask(f for f, v in conj if v), mask(f for f, v in conj if not v))
                for conj in rule["any_of"]
            )
            steps.append(("combine", target, any_of))
            feeds.update({bit[f]: target for conj in rule["any_of"] for f, _ in conj
                          if f not in {m.id for m in measures}})
    poa = data["poa"]
    exempt = {int(year): frozenset(codes) for year, codes in poa["exempt"].items()}
    info = CmrVersion(
        version=data["version"], fiscal_year=data["fiscal_year"],
        first_fiscal_year=data["first_fiscal_year"], measures=measures,
        hierarchies=tuple(hierarchies), exempt_fiscal_years=tuple(sorted(exempt)),
        mapped_codes=sum(len(codes) for codes in data["codes"].values()),
        source=entry["source"]["file"], sha256=entry["source"]["sha256"],
    )
    return CmrProgram(
        info=info,
        flags=flags,
        measure_mask=(1 << len(measures)) - 1,
        labels=MappingProxyType({
            label: (mask(rule["always"]), mask(rule["if_present"]), mask(rule["if_absent"]))
            for label, rule in data["labels"].items()
        }),
        code_labels=MappingProxyType({code: label for label, codes in data["codes"].items()
                                      for code in codes}),
        exempt=MappingProxyType(exempt),
        default_exempt_year=poa["default_exempt_fiscal_year"],
        present_values=frozenset(poa["present"]),
        absent_values=frozenset(poa["absent"]),
        first_diagnosis=poa["first_diagnosis"],
        steps=tuple(steps),
        feeds=MappingProxyType(feeds),
        triggers=_triggers(steps),
        mortality=tuple(m.mortality_weight for m in measures),
        readmission=tuple(m.readmission_weight for m in measures),
    )


def _triggers(steps: Iterable[tuple[Any, ...]]) -> int:
    """The flags without which no step changes a mask: every hierarchy needs all its
    *if_present* flags, every combination the flags one of its conjunctions requires."""
    found = 0
    for step in steps:
        if step[0] == "drop":
            found |= step[1]
        else:
            for ones, _ in step[2]:
                found |= ones
    return found


def _charlson_data() -> Mapping[str, Any]:
    """The parsed Charlson document, as bundled."""
    data: Mapping[str, Any] = bundle.read_json(_index()["charlson"]["file"])
    return data


def charlson_program(variants: Iterable[str] = ()) -> CharlsonProgram:
    """The Charlson conditions, with the named opt-in variants applied."""
    chosen = frozenset(variants)
    with _lock:
        program = _charlson.get(chosen)
        if program is None:
            program = _charlson[chosen] = _compile_charlson(_charlson_data(), chosen)
        return program


def _compile_charlson(data: Mapping[str, Any], chosen: frozenset[str]) -> CharlsonProgram:
    known = [v["name"] for v in data["variants"]]
    if not chosen <= set(known):
        raise ComorbidityError(f"Unknown Charlson variant(s) {sorted(chosen - set(known))}; "
                               f"the variants are {', '.join(known)}.")
    patterns = {c["id"]: [(p["text"], tuple(p["members"])) for p in c["patterns"]]
                for c in data["conditions"]}
    for variant in data["variants"]:
        if variant["name"] in chosen:
            moved = [(p["text"], tuple(p["members"])) for p in variant["patterns"]]
            if variant["source"] is not None:
                patterns[variant["source"]] = [p for p in patterns[variant["source"]]
                                               if p not in moved]
            patterns[variant["target"]] += moved
    conditions = tuple(c["id"] for c in data["conditions"])
    prefixes: dict[str, int] = {}
    for position, condition in enumerate(conditions):
        for _, members in patterns[condition]:
            for member in members:
                key = member.replace(".", "")
                prefixes[key] = prefixes.get(key, 0) | 1 << position
    weightings = sorted(data["conditions"][0]["weights"])
    return CharlsonProgram(
        conditions=conditions,
        names=tuple(c["name"] for c in data["conditions"]),
        prefixes=MappingProxyType(prefixes),
        lengths=tuple(sorted({len(p) for p in prefixes})),
        weights=MappingProxyType({
            w: tuple(c["weights"][w] for c in data["conditions"]) for w in weightings
        }),
        hierarchies=tuple((conditions.index(h["milder"]), conditions.index(h["severe"]))
                          for h in data["hierarchies"]),
        patterns=tuple((condition, text, members) for condition in conditions
                       for text, members in patterns[condition]),
        variants=tuple(name for name in known if name in chosen),
    )
