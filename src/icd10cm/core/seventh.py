"""7th characters of a code stem in a release (Guidelines I.A.5), from the release's own data.

The order file is the authority on which 7th characters a code takes: a
character is allowed exactly when the full code is reportable in the release.
Meanings come from the release's own tabular (``sevenChrDef``) where it has
one, and otherwise from the titles (``"..., initial encounter"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from icd10cm.core.notes import NoteKind
from icd10cm.core.text import dot, undot

if TYPE_CHECKING:
    from icd10cm.core.code import Code
    from icd10cm.core.release import Release

__all__ = ["SeventhCharacter", "seventh_character_codes", "seventh_characters_of"]

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
    billable = release.billable_flags
    found = sorted(
        index
        for index in (release.index_of(base + ch) for ch in _CHARACTERS)
        if index is not None and billable[index]
    )
    return tuple(release.code_at(index) for index in found)


def _tabular_meanings(stem: str, release: Release) -> dict[str, str]:
    """The nearest ``sevenChrDef`` at or above *stem* in the release's own tabular."""
    undotted = undot(stem).rstrip("X")
    for length in range(len(undotted), 2, -1):
        node = dot(undotted[:length])
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
    node = release.get(undot(stem).rstrip("X"))
    return node.title if node is not None else None


def seventh_characters_of(stem: str, release: Release) -> tuple[SeventhCharacter, ...]:
    """Each 7th character the dotted *stem* takes in *release*, with its meaning."""
    codes = seventh_character_codes(stem, release)
    if not codes:
        return ()
    meanings = _tabular_meanings(stem, release)
    stem_title = _stem_title(stem, release)
    return tuple(
        SeventhCharacter(
            c.value[-1],
            meanings.get(c.value[-1]) or _meaning_from_title(c, stem_title),
            c.value,
        )
        for c in codes
    )
