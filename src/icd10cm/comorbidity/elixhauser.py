"""The AHRQ Elixhauser Comorbidity Software Refined (CMR) for ICD-10-CM, by release.

:func:`elixhauser` follows the CMR mapping program of the version in use, reading
every rule from the bundled data (see :mod:`icd10cm.comorbidity.maps`):

- each code has one *label* (``$COMFMT``), and the label sets measures either always
  (the 20 POA-neutral measures) or only when the diagnosis was present on admission
  (POA ``Y`` or ``W``) or the code is POA-exempt in the list of the discharge's fiscal
  year (the 18 POA-dependent measures, CBVD through its intermediate flags);
- with no indicator, a POA-dependent measure is *assumed* present and the result says
  so (the program itself sets them to missing when it has no POA data at all);
- after all diagnoses, the hierarchies and the CBVD combination run in program order;
- the indices are the sums of the version's weights of the measures left.

The version is the release's own (its fiscal year's) or, failing that, the nearest one,
and the result says which. A billable code of the release that the version does not
map, but that existed when the version was made, sets no measure (it is no
comorbidity). A code newer than the version takes the measures of the nearest code
above it that the version maps, and its exemption from POA reporting (the list in use
cannot know the new code), and the result lists it under ``inherited``; with no
such code above it, it is *unmapped*, never guessed.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from datetime import date, datetime

import attrs

from icd10cm.comorbidity.codes import (
    CodesLike,
    UnmappedCode,
    diagnoses,
    fiscal_year_of,
    frozen,
    frozen_pairs,
    lookup,
    shown,
)
from icd10cm.comorbidity.maps import CmrProgram, bits, choose_version, cmr_program
from icd10cm.core import caches
from icd10cm.core.info import ReleaseInfo
from icd10cm.core.release import Release
from icd10cm.core.text import dot
from icd10cm.encounters.encounter import PresentOnAdmission
from icd10cm.releases.history import releases_with
from icd10cm.releases.registry import ReleaseLike, available_releases, resolve_release

__all__ = [
    "CodeReading",
    "ElixhauserCoverage",
    "ElixhauserResult",
    "clear",
    "contribution",
    "covers",
    "elixhauser",
    "elixhauser_coverage",
    "if_not_present",
    "known",
    "program_for",
    "read_code",
]


@attrs.frozen
class ElixhauserResult:
    """The CMR measures of one patient (or stay), with how each was found.

    *measures* are the measure ids without the ``CMR_`` prefix (``"HF"``,
    ``"DIAB_CX"``) left after the hierarchies; the indices are sums of the version's
    weights of these measures. *codes* gives, for every measure found (those a
    hierarchy dropped included), the codes that set it; *dropped* gives each measure a
    hierarchy dropped and the measures that dropped it. *assumed* are the measures
    counted only because diagnoses without a POA indicator were assumed present on
    admission. *excluded* are measures that codes would have set, but whose POA
    indicator (N, U, or another value, on a code not exempt) kept them out, or, for
    CBVD, whose sequela did not count because a cerebrovascular diagnosis arose during
    the stay. *inherited* maps each code newer than the version to the mapped code above
    it whose measures it took. *unmapped* are the codes the version cannot read.
    *principal* is the principal diagnosis the program does not read, if one was.
    """

    release: str  # the ICD-10-CM release id
    version: str  # the CMR version, e.g. "v2025.1"
    nearest: bool  # the nearest version, not the release's own
    exempt_list: int  # the fiscal year of the POA-exempt list used
    measures: frozenset[str]
    mortality_index: int
    readmission_index: int
    codes: Mapping[str, tuple[str, ...]] = attrs.field(converter=frozen, hash=False)
    dropped: Mapping[str, tuple[str, ...]] = attrs.field(converter=frozen, hash=False)
    assumed: frozenset[str]
    excluded: Mapping[str, tuple[str, ...]] = attrs.field(converter=frozen, hash=False)
    inherited: Mapping[str, str] = attrs.field(converter=frozen_pairs, hash=False)
    unmapped: tuple[UnmappedCode, ...]
    principal: str | None

    def __str__(self) -> str:
        which = "nearest version" if self.nearest else "own version"
        found = ", ".join(sorted(self.measures)) or "no measure"
        text = (f"AHRQ CMR {self.version} ({which} for ICD-10-CM {self.release}): {found}; "
                f"mortality index {self.mortality_index}, readmission index "
                f"{self.readmission_index}")
        if self.assumed:
            text += f"; assumed present on admission: {', '.join(sorted(self.assumed))}"
        if self.unmapped:
            text += f"; {len(self.unmapped)} unmapped"
        return text


@attrs.frozen
class CodeReading:
    """How a CMR version reads one diagnosis of a release."""

    code: str  # the dotted code, or the text as given when it is not a code
    label: str | None  # its $COMFMT label (None: it sets no measure)
    exempt: bool  # on the POA-exempt list in use (an inherited code: the code above it)
    inherited_from: str | None  # the mapped code above it whose label it took
    unmapped: UnmappedCode | None  # why the version cannot read it


def program_for(release: Release, version: str | None) -> tuple[CmrProgram, bool]:
    """The CMR program for a release (its fiscal year's version, or the nearest), or the
    named *version*; and whether it is the nearest rather than the release's own."""
    if version is None:
        chosen, nearest = choose_version(release.info.fiscal_year)
        return cmr_program(chosen), nearest
    program = cmr_program(version)
    return program, program.info.fiscal_year != release.info.fiscal_year


_lock = threading.Lock()
#: program -> undotted code -> whether the code existed in a fiscal year the version covers
_known_codes: weakref.WeakKeyDictionary[CmrProgram, dict[str, bool]] = (
    weakref.WeakKeyDictionary())


@caches.register
def clear() -> None:
    """Forget which codes each CMR version knows."""
    with _lock:
        _known_codes.clear()


def _known_release(program: CmrProgram, release: ReleaseInfo) -> bool:
    """Whether the version knows every code of the release: a release in effect from the
    first day of the version's first fiscal year to the first day of its last one (every
    version keeps the codes of the fiscal years before its own, but not the codes of the
    April update of its own fiscal year, which came after it was made)."""
    info = program.info
    return info.first_day <= release.effective_from <= info.codes_as_of


def covers(program: CmrProgram, release: Release) -> bool:
    """Whether the version knows every code of the release."""
    return _known_release(program, release.info)


def known(program: CmrProgram, release: Release, undotted: str) -> bool:
    """Whether the code is in a release whose codes the version knows."""
    if covers(program, release):
        return True
    with _lock:
        known = _known_codes.setdefault(program, {})
    found = known.get(undotted)
    if found is None:
        infos = {i.id: i for i in available_releases()}
        found = known[undotted] = any(_known_release(program, infos[r])
                                      for r in releases_with(undotted))
    return found


def read_code(program: CmrProgram, release: Release, exempt: frozenset[str],
              text: object) -> CodeReading:
    """How *program* reads *text* as a diagnosis of *release*, with the exempt list."""
    index, value = lookup(release, text)
    if index is None:
        return CodeReading(shown(text), None, False, None, UnmappedCode(shown(text), value))
    undotted = release.undotted_codes[index]
    label = program.code_labels.get(undotted)
    if label is not None or known(program, release, undotted):
        return CodeReading(value, label, undotted in exempt, None, None)
    for length in range(len(undotted) - 1, 2, -1):
        label = program.code_labels.get(undotted[:length])
        if label is not None:  # its label, and its exemption from POA reporting
            above = undotted[:length]
            return CodeReading(value, label, above in exempt, dot(above), None)
    version = program.info
    return CodeReading(value, None, False, None, UnmappedCode(shown(text), (
        f"{value} is newer than AHRQ CMR {version.version}, which maps the codes in effect "
        f"from {version.first_day} to {version.codes_as_of}, and no code above it is "
        "mapped: its measures are not guessed")))


def contribution(program: CmrProgram, label: str | None, exempt: bool,
                 indicator: str | None) -> tuple[int, int, int]:
    """The flags one diagnosis sets: (set, set only if assumed present on admission, not
    set because of its POA indicator). *indicator* None: no POA indicator."""
    if label is None:
        return 0, 0, 0
    always, present, absent = program.labels[label]
    if not (present or absent) or exempt or indicator in program.present_values:
        return always | present, 0, 0
    if indicator is None:
        return always, present, 0
    if indicator in program.absent_values:
        return always | absent, 0, present
    return always, 0, present


def if_not_present(program: CmrProgram, label: str | None, exempt: bool,
                   indicator: str | None) -> int:
    """The flags a diagnosis without a POA indicator (*indicator* None) would set if it
    was not present on admission (N or U): CBVD_NPOA, which rules out a sequela's CBVD.
    A measure that such a flag would rule out rests on the assumption too. 0 for a
    diagnosis with an indicator, or exempt."""
    if label is None or indicator is not None or exempt:
        return 0
    return program.labels[label][2]


def elixhauser(
    codes: CodesLike,
    *,
    release: ReleaseLike | None = None,
    date_of_service: date | datetime | str | None = None,
    poa: Sequence[PresentOnAdmission | str | None] | None = None,
    version: str | None = None,
    first_is_principal: bool | None = None,
) -> ElixhauserResult:
    """The AHRQ CMR (Elixhauser) measures and indices of a patient's codes.

    *codes* are code strings (dotted or not), :class:`~icd10cm.Code` objects of one
    release, or an :class:`~icd10cm.Encounter` (which brings its release, date of
    service and POA indicators). The release is *release*, else the one in force on
    *date_of_service*, else the latest. *poa* gives one present-on-admission indicator
    per code (Y, N, U, W, 1 or None); without it, POA-dependent measures are assumed
    present and listed in ``assumed``. The POA-exempt list is that of the fiscal year
    of *date_of_service*, else of the release.

    The CMR mapping program reads secondary diagnoses only. The first diagnosis of an
    inpatient Encounter is its principal diagnosis and is not read; other input counts
    every code, unless *first_is_principal* is True (or, for an encounter, False).
    *version* (``"v2023.1"``) overrides the release's CMR version.

    Codes the version cannot read are reported in ``unmapped``, never raised.
    """
    dx = diagnoses(codes, release=release, date_of_service=date_of_service, poa=poa,
                   first_is_principal=first_is_principal)
    program, nearest = program_for(dx.release, version)
    year = (fiscal_year_of(dx.date_of_service) if dx.date_of_service is not None
            else dx.release.info.fiscal_year)
    exempt_year, exempt = program.exempt_codes(year)

    unmapped: list[UnmappedCode] = []
    inherited: dict[str, str] = {}
    principal: str | None = None
    found: list[tuple[str, int, int, int]] = []  # (code, set, assumed, not set for POA)
    doubt = 0  # the flags the diagnoses without an indicator would set if not present
    for position, text in enumerate(dx.texts):
        reading = read_code(program, dx.release, exempt, text)
        if reading.unmapped is not None:
            unmapped.append(reading.unmapped)
        if reading.inherited_from is not None:
            inherited[reading.code] = reading.inherited_from
        if position == 0 and dx.principal:
            principal = reading.code
            continue
        indicator = None if dx.poa is None else dx.poa[position]
        found.append((reading.code,
                      *contribution(program, reading.label, reading.exempt, indicator)))
        doubt |= if_not_present(program, reading.label, reading.exempt, indicator)

    certain = assumed = 0
    for _, applied, maybe, _ in found:
        certain |= applied
        assumed |= maybe
    dropped: dict[int, int] = {}
    combined: dict[int, int] = {}
    final = program.finish(certain | assumed, dropped, combined)
    # a measure rests on the assumption if it is lost when every diagnosis without an
    # indicator is taken as not present on admission (its flags unset, CBVD_NPOA set)
    only_assumed = final & ~program.finish(certain | doubt) if assumed else 0

    flags = program.flags

    def setting(mask: int) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code for code, applied, maybe, _ in found
                                   if (applied | maybe) & mask))

    by_measure = {flags[bit]: setting(combined.get(bit, 1 << bit))
                  for bit in bits(final | sum(1 << bit for bit in dropped))}
    excluded: dict[str, list[str]] = {}
    kept = final | sum(1 << bit for bit in dropped)
    for code, applied, maybe, missed in found:
        fed = {program.feeds.get(bit, bit) for bit in bits(missed)}
        fed |= {program.feeds[bit] for bit in bits(applied | maybe) if bit in program.feeds}
        for bit in sorted(fed):
            if not kept >> bit & 1 and code not in excluded.setdefault(flags[bit], []):
                excluded[flags[bit]].append(code)
    mortality, readmission = program.indices(final)
    return ElixhauserResult(
        release=dx.release.id,
        version=program.info.version,
        nearest=nearest,
        exempt_list=exempt_year,
        measures=frozenset(flags[bit] for bit in bits(final)),
        mortality_index=mortality,
        readmission_index=readmission,
        codes=by_measure,
        dropped={flags[bit]: tuple(flags[b] for b in bits(cause))
                 for bit, cause in dropped.items()},
        assumed=frozenset(flags[bit] for bit in bits(only_assumed)),
        excluded={measure: tuple(codes) for measure, codes in excluded.items()},
        inherited=inherited,
        unmapped=tuple(unmapped),
        principal=principal,
    )


@attrs.frozen
class ElixhauserCoverage:
    """How a CMR version covers the billable codes of a release: the codes it cannot
    read (newer than the version, with no mapped code above them) and the codes that
    take the measures of a mapped code above them."""

    release: str
    version: str
    nearest: bool
    billable: int  # billable codes of the release
    mapped: int  # of them, codes the version maps
    inherited: Mapping[str, str] = attrs.field(converter=frozen_pairs, hash=False)
    unmapped: tuple[str, ...]  # dotted codes


def elixhauser_coverage(
    release: ReleaseLike | None = None, *, version: str | None = None
) -> ElixhauserCoverage:
    """Which billable codes of a release (default: the latest) its CMR version (or
    *version*) maps, takes from a code above them, or cannot read."""
    resolved = resolve_release(release)
    program, nearest = program_for(resolved, version)
    inherited: dict[str, str] = {}
    unmapped: list[str] = []
    mapped = billable = 0
    for index, code in enumerate(resolved.undotted_codes):
        if not resolved.billable_flags[index]:
            continue
        billable += 1
        if code in program.code_labels:
            mapped += 1
            continue
        reading = read_code(program, resolved, frozenset(), code)
        if reading.inherited_from is not None:
            inherited[reading.code] = reading.inherited_from
        elif reading.unmapped is not None:
            unmapped.append(reading.code)
    return ElixhauserCoverage(resolved.id, program.info.version, nearest, billable, mapped,
                              inherited, tuple(unmapped))

