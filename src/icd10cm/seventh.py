"""7th characters and placeholder X (Guidelines I.A.4 and I.A.5).

The order file is the authority on which 7th characters a code takes: a
character is allowed exactly when the full code is reportable in the release.
Meanings come from the release's own tabular (``sevenChrDef``) where it has
one, and otherwise from the titles (``"..., initial encounter"``).
"""

from __future__ import annotations

import itertools

import attrs

from icd10cm.code import Code
from icd10cm.errors import PlaceholderError, SeventhCharacterError
from icd10cm.notes import NoteKind
from icd10cm.parsing import normalize, parse_code
from icd10cm.release import Release, dot, undot
from icd10cm.releases import ReleaseLike, resolve_release

__all__ = [
    "SeventhCharacter",
    "add_seventh_character",
    "pad_placeholder",
    "placeholder_candidates",
    "seventh_character_codes",
    "seventh_characters",
]

_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@attrs.frozen
class SeventhCharacter:
    """One allowed 7th character of a code stem, its meaning and the full code."""

    character: str
    meaning: str
    code: str

    def __str__(self) -> str:
        return f"{self.character} ({self.meaning})"


def _padded(undotted: str) -> str:
    return undotted + "X" * (6 - len(undotted))


def seventh_character_codes(stem: str, release: Release) -> tuple[Code, ...]:
    """The reportable codes that add a 7th character (and any placeholder X) to *stem*."""
    undotted = undot(stem)
    if not 3 <= len(undotted) <= 6:
        return ()
    base = _padded(undotted)
    position, billable = release._position, release._billable
    found = sorted(
        index
        for index in (position.get(base + ch) for ch in _CHARACTERS)
        if index is not None and billable[index]
    )
    return tuple(release._code(index) for index in found)


def _tabular_meanings(stem: str, release: Release) -> dict[str, str]:
    """The nearest ``sevenChrDef`` at or above *stem* in the release's own tabular."""
    undotted = undot(stem).rstrip("X")
    for length in range(len(undotted), 2, -1):
        prefix = undotted[:length]
        node = dot(prefix)
        meanings = {
            note.character: note.text
            for note in release.notes_at(node)
            if note.kind is NoteKind.SEVENTH_CHARACTER
        }
        if meanings:
            return meanings
    return {}


def _meaning_from_title(code: Code, stem_title: str | None) -> str:
    if stem_title and code.title.startswith(stem_title + ", "):
        return code.title[len(stem_title) + 2 :]
    return code.title


def _stem_title(stem: str, release: Release) -> str | None:
    undotted = undot(stem).rstrip("X")
    node = release.get(undotted)
    return node.title if node is not None else None


def seventh_characters(
    code: str | Code, *, release: ReleaseLike | None = None
) -> tuple[SeventhCharacter, ...]:
    """Each 7th character the stem *code* takes in a release, with its meaning.

    ``seventh_characters("S06.1X7")`` gives only ``A`` (initial encounter): the
    order file lists no other. Empty for a code that takes no 7th character.
    """
    resolved = code.release if isinstance(code, Code) else resolve_release(release)
    stem = code.value if isinstance(code, Code) else normalize(code)
    codes = seventh_character_codes(stem, resolved)
    if not codes:
        return ()
    meanings = _tabular_meanings(stem, resolved)
    stem_title = _stem_title(stem, resolved)
    return tuple(
        SeventhCharacter(
            c.value[-1],
            meanings.get(c.value[-1]) or _meaning_from_title(c, stem_title),
            c.value,
        )
        for c in codes
    )


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
        raise SeventhCharacterError(code, f"{character!r} is not one letter or digit")
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
    raise SeventhCharacterError(
        stem.value,
        f"{character} is not a valid 7th character here in ICD-10-CM {resolved.info.label}; "
        f"valid: {valid}",
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
