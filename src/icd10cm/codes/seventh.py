"""7th characters and placeholder X (Guidelines I.A.4 and I.A.5), for code text.

The order file is the authority on which 7th characters a code takes (see
:mod:`icd10cm.core.seventh`); these functions resolve the release and the text.
"""

from __future__ import annotations

import itertools

from icd10cm.codes.parse import parse_code
from icd10cm.core.code import Code
from icd10cm.core.release import Release
from icd10cm.core.seventh import (
    SeventhCharacter,
    borrowed_meanings,
    seventh_character_codes,
    seventh_characters_of,
)
from icd10cm.core.text import normalize, undot
from icd10cm.errors import PlaceholderError, SeventhCharacterError, quote
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = [
    "add_seventh_character",
    "pad_placeholder",
    "placeholder_candidates",
    "seventh_characters",
]


def seventh_characters(
    code: str | Code, *, release: ReleaseLike | None = None, own_data_only: bool = False
) -> tuple[SeventhCharacter, ...]:
    """Each 7th character the stem *code* takes in a release, with its meaning.

    ``seventh_characters("S06.1X7")`` gives only ``A`` (initial encounter): the
    order file lists no other. Empty for a code that takes no 7th character. A
    release without a Tabular List of its own gives the meanings of the nearest
    release's (:attr:`SeventhCharacter.source_release` names it), or with
    *own_data_only* the endings of its own titles ("initial encounter").
    """
    if isinstance(code, Code):
        return seventh_characters_of(code.value, code.release, own_data_only=own_data_only)
    return seventh_characters_of(normalize(code), resolve_release(release),
                                 own_data_only=own_data_only)


def add_seventh_character(
    code: str, character: str, *, release: ReleaseLike | None = None
) -> str:
    """Add a 7th character, padding with placeholder X as needed (I.A.4, I.A.5).

    ``add_seventh_character("M97.8", "A")`` gives ``"M97.8XXA"``. Raises
    :class:`SeventhCharacterError` when the stem needs more characters first
    (``S03.4`` needs laterality: S03.40-S03.43), takes no 7th character, or does
    not take this one (``S06.1X7`` takes only A).
    """
    resolved = resolve_release(release)
    stem = parse_code(code, release=resolved)
    if not (isinstance(character, str) and len(character) == 1 and character.isascii()
            and character.isalnum()):
        raise SeventhCharacterError(code, f"{quote(character)} is not one letter or digit")
    character = character.upper()
    allowed = seventh_characters(stem)
    if not allowed:
        below = [c for c in stem.descendants if seventh_character_codes(c.value, resolved)]
        if below:
            needed = [c.value for c in stem.children]
            raise SeventhCharacterError(
                stem.value,
                f"it needs more characters before a 7th character: choose one of "
                f"{', '.join(needed)} first (for example {below[0].value}), "
                f"in ICD-10-CM {resolved.info.label}",
            )
        what = "is complete" if stem.is_billable else "is a header"
        raise SeventhCharacterError(
            stem.value, f"it {what} and its codes take no 7th character in "
                        f"ICD-10-CM {resolved.info.label}"
        )
    for option in allowed:
        if option.character == character:
            return option.code
    valid = ", ".join(str(option) for option in allowed)
    borrowed = borrowed_meanings(allowed, resolved.id)  # whose meanings, when not the release's
    raise SeventhCharacterError(
        stem.value,
        f"{character} is not a valid 7th character here in ICD-10-CM {resolved.info.label}; "
        f"valid: {valid}" + (f".{borrowed}" if borrowed else ""),
    )


def placeholder_candidates(code: str, release: Release) -> tuple[Code, ...]:
    """Reportable codes that *code* becomes by inserting placeholder X before its last
    character (``W21.89A`` -> ``W21.89XA``)."""
    undotted = undot(code)
    missing = 7 - len(undotted)
    if missing <= 0 or len(undotted) < 4:
        return ()
    head, last = undotted[:-1], undotted[-1]
    found: dict[str, Code] = {}
    for positions in itertools.combinations(range(3, 7 - 1), missing):
        chars = list(head)
        for position in positions:
            chars.insert(position, "X")
        candidate = release.get("".join(chars) + last)
        if candidate is not None and candidate.is_billable:
            found[candidate.value] = candidate
    return tuple(sorted(found.values()))


def pad_placeholder(code: str, *, release: ReleaseLike | None = None) -> str:
    """Insert the placeholder X a code is missing: ``"W21.89A"`` -> ``"W21.89XA"``.

    Returns the code unchanged when it is already reportable. Raises
    :class:`PlaceholderError` unless exactly one reportable code fits.
    """
    resolved = resolve_release(release)
    value = normalize(code)
    existing = resolved.get(value)
    if existing is not None and existing.is_billable:
        return existing.value
    candidates = placeholder_candidates(value, resolved)
    if len(candidates) == 1:
        return candidates[0].value
    if not candidates:
        raise PlaceholderError(
            value, f"no reportable code of ICD-10-CM {resolved.info.label} fits"
        )
    raise PlaceholderError(
        value, f"several codes fit ({', '.join(c.value for c in candidates)}); choose one"
    )
