"""Dominant or non-dominant side for I69 hemiplegia, hemiparesis and monoplegia (I.C.9.d).

Codes in category I69 (sequelae of cerebrovascular disease) that specify
hemiplegia, hemiparesis or monoplegia say whether the dominant or the
non-dominant side is affected. When the record gives the affected side but not
dominance, the Guidelines default: ambidextrous patients are dominant; otherwise
the left side is non-dominant and the right side dominant. A documented
handedness decides directly: the affected side is dominant when it is the
patient's writing hand.
"""

from __future__ import annotations

import enum
from typing import TypeVar

from icd10cm.codes.parse import parse_code
from icd10cm.core.code import Code
from icd10cm.errors import DominanceError, quote
from icd10cm.releases.registry import ReleaseLike

__all__ = ["Handedness", "Side", "i69_side_code", "is_dominant"]


class Side(str, enum.Enum):
    """The documented affected side."""

    RIGHT = "right"
    LEFT = "left"


class Handedness(str, enum.Enum):
    """The patient's documented handedness."""

    RIGHT = "right"
    LEFT = "left"
    AMBIDEXTROUS = "ambidextrous"
    UNKNOWN = "unknown"


_E = TypeVar("_E", Side, Handedness)


def _member(kind: type[_E], value: object) -> _E:
    """The member of *kind* whose value is *value*; DominanceError names the valid ones."""
    for member in kind:
        if member is value or (isinstance(value, str) and member.value == value):
            return member
    valid = " or ".join(repr(m.value) for m in kind)
    raise DominanceError(f"{quote(value)} is not a {kind.__name__}: give {valid}")


def is_dominant(side: Side | str, handedness: Handedness | str = Handedness.UNKNOWN) -> bool:
    """Whether the affected side counts as dominant (Guidelines I.C.9.d)."""
    side, handedness = _member(Side, side), _member(Handedness, handedness)
    if handedness is Handedness.AMBIDEXTROUS:
        return True
    if handedness is Handedness.UNKNOWN:
        return side is Side.RIGHT
    return bool(side.value == handedness.value)


def i69_side_code(
    subcategory: str,
    side: Side | str,
    handedness: Handedness | str = Handedness.UNKNOWN,
    *,
    release: ReleaseLike | None = None,
) -> Code:
    """The code of an I69 subcategory for the affected side, e.g.
    ``i69_side_code("I69.35", "left")`` -> I69.354 (left non-dominant side)."""
    stem = parse_code(subcategory, release=release)
    if not stem.value.startswith("I69"):
        raise DominanceError(f"{stem.value} is not in category I69")
    dominant = is_dominant(side, handedness)
    wanted = f"{_member(Side, side).value} {'dominant' if dominant else 'non-dominant'} side"
    found = [c for c in stem.children if c.is_billable and c.title.endswith(wanted)]
    if len(found) == 1:
        return found[0]
    raise DominanceError(
        f"{stem.value} ({stem.title}) has no code for the {wanted} in ICD-10-CM "
        f"{stem.release.info.label}; only the hemiplegia, hemiparesis and monoplegia "
        "subcategories of I69 code dominance"
    )
