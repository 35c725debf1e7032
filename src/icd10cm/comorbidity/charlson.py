"""The Charlson comorbidity index with the ICD-10 coding algorithm of Quan et al. (2005).

The conditions, patterns, weights and hierarchies come from the bundled data, parsed
from the document ``charlson-quan2005.md`` (see :mod:`icd10cm.comorbidity.maps`). A
pattern stands for prefixes (*members*): ``I21.x`` for the category I21, ``I25.2`` for
I25.2 and every code under it, ``I42.5-I42.9`` (an en dash in the document) for I42.5,
I42.6 ... I42.9, and ``F00.x-F03.x`` for the categories F00 to F03. Ranges are
enumerated over digits: categories with a letter in third place, which WHO ICD-10 did
not have in 2005 (C4A, C7A, C7B, J4A ...), are never members of a range. A code of the
release has the conditions of the members it falls under.

The paper was written for WHO ICD-10; :func:`charlson_patterns` reports, for each
release, the patterns (and members of ranges) that match no code of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Literal

import attrs

from icd10cm.comorbidity.codes import (
    CodesLike,
    UnmappedCode,
    diagnoses,
    frozen,
    lookup,
    shown,
)
from icd10cm.comorbidity.maps import CharlsonProgram, bits, charlson_program
from icd10cm.errors import ComorbidityError, quote
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = [
    "WEIGHTINGS",
    "CharlsonResult",
    "UnmatchedPattern",
    "Weighting",
    "charlson",
    "charlson_patterns",
    "program_with",
]

#: The weightings of the document: Charlson et al. (1987) and Quan et al. (2011).
WEIGHTINGS = ("charlson1987", "quan2011")
Weighting = Literal["charlson1987", "quan2011"]


@attrs.frozen
class CharlsonResult:
    """The Charlson conditions of one patient and the index.

    *conditions* are the document's ids (``"chf"``, ``"diabetes_complicated"``) left
    after the hierarchies; *score* is the sum of their weights in *weights*. *codes*
    gives, for every condition found (those a hierarchy dropped included), the codes
    that set it; *dropped* gives each condition a hierarchy dropped and the condition
    that dropped it. *variants* are the opt-in variants applied; *unmapped* the codes
    that are not billable codes of the release.
    """

    release: str
    weights: str
    conditions: frozenset[str]
    score: int
    codes: Mapping[str, tuple[str, ...]] = attrs.field(converter=frozen, hash=False)
    dropped: Mapping[str, tuple[str, ...]] = attrs.field(converter=frozen, hash=False)
    variants: tuple[str, ...]
    unmapped: tuple[UnmappedCode, ...]

    def __str__(self) -> str:
        found = ", ".join(sorted(self.conditions)) or "no condition"
        text = f"Charlson ({self.weights}, ICD-10-CM {self.release}): {found}; score {self.score}"
        if self.unmapped:
            text += f"; {len(self.unmapped)} unmapped"
        return text


def program_with(e1x6_as_complicated: bool, c4a_as_malignancy: bool) -> CharlsonProgram:
    """The conditions with the chosen opt-in variants."""
    chosen = [name for name, wanted in (("e1x6_as_complicated", e1x6_as_complicated),
                                        ("c4a_as_malignancy", c4a_as_malignancy)) if wanted]
    return charlson_program(chosen)


def _check_weights(weights: str) -> None:
    if weights not in WEIGHTINGS:
        raise ComorbidityError(f"Unknown Charlson weights {quote(weights)}: give one of "
                               f"{', '.join(WEIGHTINGS)}.")


def charlson(
    codes: CodesLike,
    *,
    release: ReleaseLike | None = None,
    date_of_service: date | datetime | str | None = None,
    weights: Weighting = "charlson1987",
    e1x6_as_complicated: bool = False,
    c4a_as_malignancy: bool = False,
) -> CharlsonResult:
    """The Charlson conditions (Quan et al. 2005) and index of a patient's codes.

    *codes* are code strings (dotted or not), :class:`~icd10cm.Code` objects of one
    release, or an :class:`~icd10cm.Encounter`; every code counts. The release is
    *release*, else the one in force on *date_of_service*, else the latest. *weights*
    is ``"charlson1987"`` (Charlson et al. 1987) or ``"quan2011"`` (Quan et al. 2011).
    The hierarchies drop mild liver disease, diabetes without chronic complication and
    any malignancy where the more severe condition is present.

    The two ICD-10-CM points of the document are opt-in: *e1x6_as_complicated* counts
    all of E10.6, E11.6 and E13.6 as diabetes with chronic complication (the paper
    counts them without), and *c4a_as_malignancy* counts C4A (Merkel cell carcinoma)
    as any malignancy. Codes that are not billable codes of the release are reported in
    ``unmapped``, never raised.
    """
    _check_weights(weights)
    dx = diagnoses(codes, release=release, date_of_service=date_of_service)
    program = program_with(e1x6_as_complicated, c4a_as_malignancy)
    unmapped: list[UnmappedCode] = []
    found: list[tuple[str, int]] = []
    for text in dx.texts:
        index, value = lookup(dx.release, text)
        if index is None:
            unmapped.append(UnmappedCode(shown(text), value))
        else:
            found.append((value, program.match(dx.release.undotted_codes[index])))
    raw = 0
    for _, mask in found:
        raw |= mask
    dropped: dict[int, int] = {}
    final = program.finish(raw, dropped)
    names = program.conditions
    return CharlsonResult(
        release=dx.release.id,
        weights=weights,
        conditions=frozenset(names[bit] for bit in bits(final)),
        score=program.score(final, weights),
        codes={names[bit]: dict.fromkeys(code for code, mask in found if mask >> bit & 1)
               for bit in bits(raw)},
        dropped={names[bit]: [names[b] for b in bits(cause)] for bit, cause in dropped.items()},
        variants=program.variants,
        unmapped=tuple(unmapped),
    )


@attrs.frozen
class UnmatchedPattern:
    """A pattern of the document with members that match no code of a release.

    *members* are all the prefixes the pattern stands for, *unmatched* those that match
    no code (headers included) of the release.
    """

    condition: str
    pattern: str  # as the document writes it
    members: tuple[str, ...]
    unmatched: tuple[str, ...]

    @property
    def matches_nothing(self) -> bool:
        """Whether the whole pattern matches no code of the release."""
        return self.unmatched == self.members

    def __str__(self) -> str:
        if self.matches_nothing:
            return f"{self.condition}: {self.pattern} matches no code"
        return f"{self.condition}: {self.pattern}: {', '.join(self.unmatched)} match no code"


def charlson_patterns(
    release: ReleaseLike | None = None,
    *,
    e1x6_as_complicated: bool = False,
    c4a_as_malignancy: bool = False,
) -> tuple[UnmatchedPattern, ...]:
    """The patterns of the Charlson document, and the members of its ranges, that match
    no code of a release (default: the latest), in the document's order: codes of WHO
    ICD-10 that ICD-10-CM does not have (F00, E12, E14 ...)."""
    resolved = resolve_release(release)
    program = program_with(e1x6_as_complicated, c4a_as_malignancy)
    lengths = {len(member.replace(".", "")) for _, _, members in program.patterns
               for member in members}
    present = {code[:length] for code in resolved.undotted_codes for length in lengths}
    report = []
    for condition, text, members in program.patterns:
        unmatched = tuple(m for m in members if m.replace(".", "") not in present)
        if unmatched:
            report.append(UnmatchedPattern(condition, text, members, unmatched))
    return tuple(report)
