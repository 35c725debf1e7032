"""Code text: the shape of an ICD-10-CM code, and pure functions that normalise it.

Nothing here knows a release: these functions check the shape of a code, never
whether it exists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from icd10cm.errors import MalformedCodeError

__all__ = ["CANONICAL", "CATEGORY", "UNDOTTED", "dot", "listing", "normalize", "undot"]

#: The first three characters of a code, its category: a letter, a digit, then a digit
#: or a letter (E11, C4A, Z3A); or, since FY2026, a letter, a letter and a digit (QA0
#: and QA1, "Q00-QA1" in chapter 17: the official order files of FY2026 and FY2027
#: put a letter second in these two categories, and in no other). Every code of every
#: bundled release has this shape (tests/test_reliability.py checks them all).
CATEGORY = r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])"
#: A code in canonical dotted form: its category, then up to four characters after a dot.
CANONICAL = re.compile(rf"{CATEGORY}(?:\.[0-9A-Z]{{1,4}})?")
#: A code without its dot, as the order files give it.
UNDOTTED = re.compile(rf"{CATEGORY}[0-9A-Z]{{0,4}}")
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9.]")


def undot(text: str) -> str:
    """``"S52.521A"`` -> ``"S52521A"``; undotted text is returned as it is."""
    if len(text) > 3 and text[3] == ".":
        return text[:3] + text[4:]
    return text


def dot(undotted: str) -> str:
    """``"S52521A"`` -> ``"S52.521A"``; a 3-character category has no dot."""
    return undotted if len(undotted) == 3 else f"{undotted[:3]}.{undotted[3:]}"


def _describe(ch: str) -> str:
    if ch == "\ufeff":  # a text file's byte-order mark, read as part of the text
        return ("'\\ufeff' (a byte-order mark: read the file with the encoding "
                "'utf-8-sig', which drops it)")
    name = unicodedata.name(ch, f"U+{ord(ch):04X}")
    folded = unicodedata.normalize("NFKC", ch)
    if folded != ch and folded.isascii() and folded.strip():
        return f"{ch!r} ({name}, which looks like {folded!r} but is not ASCII)"
    return f"{ch!r} ({name})"


def normalize(text: str) -> str:
    """The canonical dotted form of a code: trimmed, uppercased, dot added or fixed.

    ``normalize(" e119 ")`` gives ``"E11.9"`` and ``normalize("E1.19")`` gives
    ``"E11.9"``. Only ASCII letters, digits and one dot are accepted: full-width
    and look-alike characters raise :class:`MalformedCodeError`, whose message
    points at the character. This checks the shape only, not that the code exists.
    """
    if not isinstance(text, str):
        raise MalformedCodeError(text, f"expected a string, got {type(text).__name__}")
    stripped = text.strip()
    if CANONICAL.fullmatch(stripped):
        return stripped
    if not stripped:
        raise MalformedCodeError(text, "it is empty; a code looks like 'E11.9'")
    bad = _NOT_ALLOWED.search(stripped)
    if bad is not None:
        raise MalformedCodeError(
            text,
            f"character {bad.start() + 1} is {_describe(bad.group())}; a code has only ASCII "
            "letters, digits and one dot",
        )
    if stripped.count(".") > 1:
        raise MalformedCodeError(text, "it has more than one dot")
    undotted = stripped.upper().replace(".", "")
    if not 3 <= len(undotted) <= 7:
        raise MalformedCodeError(
            text, f"it has {len(undotted)} characters besides the dot; a code has 3 to 7"
        )
    if not undotted[0].isalpha():
        raise MalformedCodeError(text, "a code starts with a letter")
    if not (undotted[1].isdigit() or undotted[2].isdigit()):
        raise MalformedCodeError(
            text,
            f"characters 2 and 3 are {undotted[1:3]!r}; a code starts with a letter, a digit "
            "and a digit or letter (E11, C4A), or a letter, a letter and a digit (QA0)",
        )
    return dot(undotted)


def listing(codes: Iterable[str], limit: int = 5) -> str:
    """Codes for a message: ``"A, B, C, D, E and 3 more"``."""
    codes = list(codes)
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")
