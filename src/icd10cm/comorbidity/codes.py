"""The input of a comorbidity measure: codes of one release, and what is wrong with the rest.

A measure takes strings, :class:`~icd10cm.Code` objects or an
:class:`~icd10cm.Encounter`. Codes that cannot be read, that the release lacks or that
are headers are never an error and never guessed: each is reported as an
:class:`UnmappedCode` with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import Union

import attrs

from icd10cm.core.code import Code
from icd10cm.core.release import Release
from icd10cm.core.text import dot, normalize
from icd10cm.encounters.encounter import Encounter, PresentOnAdmission, Setting
from icd10cm.errors import QUOTE_LIMIT, ComorbidityError, Icd10cmError, quote
from icd10cm.releases.history import describe_history, releases_with
from icd10cm.releases.registry import ReleaseLike, as_date, resolve_release

__all__ = [
    "CodesLike",
    "Diagnoses",
    "UnmappedCode",
    "diagnoses",
    "fiscal_year_of",
    "frozen",
    "frozen_pairs",
    "lookup",
    "shown",
]

#: What a comorbidity measure takes: code text, Code objects, or an Encounter.
CodesLike = Union[str, Code, Iterable[Union[str, Code]], Encounter]  # noqa: UP007 (3.10)

def frozen(items: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    """A read-only copy of a mapping of names to codes (or names)."""
    return MappingProxyType({key: tuple(values) for key, values in items.items()})


def frozen_pairs(items: Mapping[str, str]) -> Mapping[str, str]:
    """A read-only copy of a mapping of codes to codes."""
    return MappingProxyType(dict(items))


@attrs.frozen
class UnmappedCode:
    """A code a map cannot read, with the reason: text that is not a code, a code the
    release lacks, a header, or a code newer than the map."""

    code: str  # as given
    reason: str

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


@attrs.frozen
class Diagnoses:
    """The diagnoses a measure reads, in the order given, and their context."""

    release: Release
    date_of_service: date | None
    texts: tuple[object, ...]  # each diagnosis as given (a Code as its value)
    poa: tuple[str | None, ...] | None  # one indicator (or None) per diagnosis, or no data
    principal: bool  # the first diagnosis is the principal diagnosis


def shown(text: object) -> str:
    """A diagnosis as given, for a result: the text itself, or (for a long text or
    anything else) its bounded quote."""
    return text if isinstance(text, str) and len(text) <= QUOTE_LIMIT else quote(text)


def fiscal_year_of(day: date) -> int:
    """The US federal fiscal year of a date (it starts on October 1)."""
    return day.year + 1 if day.month >= 10 else day.year


_POA_VALUES = frozenset(p.value for p in PresentOnAdmission)


def _indicators(poa: Sequence[object], count: int) -> tuple[str | None, ...]:
    """One indicator (or None) per diagnosis; a string gives one per character."""
    if not isinstance(poa, Sequence):
        raise ComorbidityError(
            f"Present-on-admission indicators {quote(poa)} are not a sequence: give one "
            "indicator per code (None where there is none), or leave poa=None.")
    if len(poa) != count:
        raise ComorbidityError(
            f"{len(poa)} present-on-admission indicator(s) {quote(list(poa))} for {count} "
            "code(s): give one indicator per code (None where there is none), or leave "
            "poa=None when there are no POA data."
        )
    found: list[str | None] = []
    for position, value in enumerate(poa, start=1):
        text = value.value if isinstance(value, PresentOnAdmission) else value
        if text is None or (isinstance(text, str) and not text.strip()):
            found.append(None)
        elif isinstance(text, str) and text.strip().upper() in _POA_VALUES:
            found.append(text.strip().upper())
        else:
            raise ComorbidityError(
                f"Present-on-admission indicator {position}, {quote(value)}, is not one of "
                "Y, N, U, W or 1 (exempt); use None where there is none."
            )
    return tuple(found)


def diagnoses(
    codes: CodesLike,
    *,
    release: ReleaseLike | None,
    date_of_service: date | datetime | str | None,
    poa: Sequence[PresentOnAdmission | str | None] | None = None,
    first_is_principal: bool | None = None,
) -> Diagnoses:
    """The diagnoses of *codes* (text, Code objects or an Encounter) and their release.

    An Encounter brings its own release, date of service and POA indicators; its first
    diagnosis is the principal one when it is an inpatient stay (unless
    *first_is_principal* says otherwise). For other input, the first code is the
    principal only when *first_is_principal* is True.
    """
    if isinstance(codes, Encounter):
        if release is not None or date_of_service is not None or poa is not None:
            raise ComorbidityError(
                f"{codes} carries its own release, date of service and present-on-admission "
                "indicators: leave release=, date_of_service= and poa= out."
            )
        principal = (codes.setting is Setting.INPATIENT if first_is_principal is None
                     else first_is_principal)
        indicators = codes.present_on_admission
        return Diagnoses(
            codes.release, codes.date_of_service, tuple(c.value for c in codes.diagnoses),
            None if indicators is None else tuple(None if p is None else p.value
                                                  for p in indicators),
            principal,
        )
    if isinstance(codes, (str, Code)):
        items: list[object] = [codes]
    elif isinstance(codes, Iterable) and not isinstance(codes, (bytes, bytearray, Mapping)):
        items = list(codes)
    else:
        raise ComorbidityError(
            f"{quote(codes)} is not a list of codes: give code text, Code objects, a list "
            "of them, or an Encounter.")
    own = {item.release for item in items if isinstance(item, Code)}
    if release is None and date_of_service is None and len(own) == 1:
        resolved = own.pop()
    else:
        resolved = resolve_release(release, date_of_service=date_of_service)
    strays = [item.value for item in items if isinstance(item, Code)
              and item.release is not resolved]
    if strays:
        raise ComorbidityError(
            f"{', '.join(strays)}: Code objects of another release than {resolved.id}; give "
            "the codes as text, or Code objects of one release."
        )
    return Diagnoses(
        resolved, None if date_of_service is None else as_date(date_of_service),
        tuple(item.value if isinstance(item, Code) else item for item in items),
        None if poa is None else _indicators(poa, len(items)),
        bool(first_is_principal),
    )


def lookup(release: Release, text: object) -> tuple[int | None, str]:
    """(tabular index, dotted code) of a billable code of *release*; (None, the reason)
    for anything else."""
    if type(text) is str:  # fast path: text already canonical, dotted or undotted
        index = release.index_of(text)
        if index is not None and release.billable_flags[index]:
            return index, dot(release.undotted_codes[index])
    elif not isinstance(text, str):
        return None, f"{quote(text)} is not code text; give codes such as 'E11.9'"
    try:
        value = normalize(text)
    except Icd10cmError as error:
        return None, str(error)
    index = release.index_of(value)
    if index is None:
        history = describe_history(releases_with(value), release)
        return None, f"{value} is not a code of ICD-10-CM {release.info.label}: {history}"
    if not release.billable_flags[index]:
        return None, (f"{value} is a header in ICD-10-CM {release.info.label}, not a "
                      "billable code; comorbidity maps read complete codes")
    return index, value

