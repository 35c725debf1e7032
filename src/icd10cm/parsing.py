"""Normalise and parse code text: pure functions that never guess a different code."""

from __future__ import annotations

import re
import unicodedata

from icd10cm._history import closest_codes, describe_history, releases_with
from icd10cm.code import Code
from icd10cm.errors import MalformedCodeError, UnknownCodeError
from icd10cm.release import dot
from icd10cm.releases import ReleaseLike, resolve_release

__all__ = ["normalize", "parse_code"]

_CANONICAL = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{1,4})?")
_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.")


def _describe(ch: str) -> str:
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
    if _CANONICAL.fullmatch(stripped):
        return stripped
    if not stripped:
        raise MalformedCodeError(text, "it is empty; a code looks like 'E11.9'")
    for position, ch in enumerate(stripped, start=1):
        if ch not in _ALLOWED:
            raise MalformedCodeError(
                text,
                f"character {position} is {_describe(ch)}; a code has only ASCII letters, "
                "digits and one dot",
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
    return dot(undotted)


def parse_code(text: str, *, release: ReleaseLike | None = None) -> Code:
    """The :class:`Code` that *text* names in a release (default: the latest release).

    *release* is a release id, a date of service or a :class:`Release`. Raises
    :class:`MalformedCodeError` for text that is not shaped like a code, and
    :class:`UnknownCodeError` for a well-formed code the release lacks; that
    error says when the code existed and suggests the closest valid codes.
    Headers parse too: use :func:`icd10cm.validate` to check reportability.
    """
    resolved = resolve_release(release)
    if type(text) is str:  # fast path: text already canonical, dotted or undotted
        index = resolved._position.get(
            text[:3] + text[4:] if len(text) > 3 and text[3] == "." else text
        )
        if index is not None:
            return resolved._code(index)
    value = normalize(text)
    index = resolved._position.get(value if len(value) == 3 else value[:3] + value[4:])
    if index is None:
        raise UnknownCodeError(
            value,
            resolved.id,
            resolved.info.label,
            describe_history(releases_with(value), resolved),
            closest_codes(value, resolved),
        )
    return resolved._code(index)
