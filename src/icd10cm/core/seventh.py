"""7th characters of a code stem in a release (Guidelines I.A.5), from the release's own data.

The order file is the authority on which 7th characters a code takes: a
character is allowed exactly when the full code is reportable in the release.
Not every code of 7 characters ends in a 7th character, though: T86.8401, Z86.0100
and H54.511A are codes of the Tabular List in their own right, under no
``sevenChrDef``. The Tabular List tells them apart (see
:func:`seventh_character_stems`). Meanings come from the ``sevenChrDef`` of the
Tabular List the release uses (its own, or the nearest release's for a release
without one: each such meaning names that release in ``source_release``), and
otherwise from the release's own titles (``"..., initial encounter"``).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from icd10cm.core import caches
from icd10cm.core.notes import NoteKind
from icd10cm.core.text import dot, undot

if TYPE_CHECKING:
    from icd10cm.core.code import Code
    from icd10cm.core.release import Release

__all__ = [
    "SeventhCharacter",
    "borrowed_meanings",
    "clear",
    "meaning_sources",
    "seventh_character_codes",
    "seventh_character_stems",
    "seventh_characters_of",
]

@attrs.frozen
class SeventhCharacter:
    """One allowed 7th character of a code stem, its meaning and the full code.

    The character and the code come from the release's own order file. *source_release*
    is set when the meaning is that of another release's Tabular List (a release
    without one of its own uses the nearest release's ``sevenChrDef``); None when the
    release's own tabular or titles give it.
    """

    character: str
    meaning: str
    code: str
    source_release: str | None = None

    def __str__(self) -> str:
        return f"{self.character} ({self.meaning})"


_lock = threading.Lock()
# Per release, worked out on first use: the tabular indices of the reportable codes of 7
# characters, by their first six (see seventh_character_stems).
_stems: weakref.WeakKeyDictionary[Release, dict[str, tuple[int, ...]]] = (
    weakref.WeakKeyDictionary())


@caches.register
def clear() -> None:
    """Forget the 7th-character stems found so far."""
    with _lock:
        _stems.clear()


def _padded(undotted: str) -> str:
    return undotted + "X" * (6 - len(undotted))


def seventh_character_stems(release: Release) -> Mapping[str, tuple[int, ...]]:
    """The tabular indices of the reportable codes that add a 7th character, in tabular
    order, by their stem of six characters (undotted, with any placeholder X):
    ``"S52521"`` -> the indices of S52.521A, S52.521B, ... Worked out once per release
    (a tenth of a second or two: it reads the notes).

    A reportable code of 7 characters adds a 7th character when a ``sevenChrDef`` sits
    at its stem or above it. In a release with a tabular of its own, a code under
    none is a code in its own right (T86.8401, Z86.0100). In a release that borrows
    its notes, a stem under none (new since the lending release, such as T14.8 in
    FY2018 or W44.8 in FY2024) adds 7th characters when every title of its codes ends
    in a meaning of a ``sevenChrDef`` of the same chapter (``"..., initial encounter"``).
    In a release without notes, every reportable code of 7 characters counts."""
    found = _stems.get(release)
    if found is None:
        grouped: dict[str, list[int]] = {}
        flags = release.billable_flags
        for index, code in enumerate(release.undotted_codes):
            if len(code) == 7 and flags[index]:
                grouped.setdefault(code[:6], []).append(index)
        made = {stem: tuple(indices) for stem, indices in grouped.items()}
        if release.notes_from is not None:
            made = _defined(made, release)
        with _lock:
            found = _stems.setdefault(release, made)
    return found


def _defined(
    grouped: dict[str, tuple[int, ...]], release: Release
) -> dict[str, tuple[int, ...]]:
    """The stems of *grouped* whose codes add a 7th character, by the release's notes
    (see :func:`seventh_character_stems`)."""
    nodes = {undot(node) for node in release.notes_of_kind(NoteKind.SEVENTH_CHARACTER)}
    kept: set[str] = set()
    undecided: list[str] = []
    defining: set[tuple[str, str]] = set()  # (category, node) of the sevenChrDefs found
    for stem in grouped:
        node: str | None = stem[:3]  # most sevenChrDefs sit at the category
        if node not in nodes:  # then below it
            short = stem.rstrip("X")
            node = next((short[:size] for size in range(4, len(short) + 1)
                         if short[:size] in nodes), None)
        if node is not None:
            kept.add(stem)
            defining.add((stem[:3], node))
        elif not release.has_notes:
            undecided.append(stem)
    if undecided:  # by the meanings of the chapter's sevenChrDefs (", initial encounter")
        endings: dict[int, set[str]] = {}
        for category, node in defining:
            endings.setdefault(release.block_of(category).chapter, set()).update(
                f", {text}" for text in _meanings_at(dot(node), release).values())
        titles = release.titles
        for stem in undecided:
            chapter_endings = tuple(endings.get(release.block_of(stem).chapter, ()))
            if chapter_endings and all(titles[index].endswith(chapter_endings)
                                       for index in grouped[stem]):
                kept.add(stem)
    return {stem: indices for stem, indices in grouped.items() if stem in kept}


def _stem_indices(undotted: str, release: Release) -> tuple[int, ...]:
    """The tabular indices of the reportable codes that add a 7th character (and any
    placeholder X) to the stem *undotted*."""
    if not 3 <= len(undotted) <= 6:
        return ()
    return seventh_character_stems(release).get(_padded(undotted), ())


def seventh_character_codes(stem: str, release: Release) -> tuple[Code, ...]:
    """The reportable codes that add a 7th character (and any placeholder X) to *stem*."""
    return tuple(map(release.code_at, _stem_indices(undot(stem), release)))


def _meanings_at(node: str, release: Release) -> dict[str, str]:
    """The ``sevenChrDef`` meanings at the dotted *node* itself."""
    return {note.character: note.text
            for note in release.notes_of_kind(NoteKind.SEVENTH_CHARACTER).get(node, ())}


def _tabular_meanings(stem: str, release: Release) -> dict[str, str]:
    """The nearest ``sevenChrDef`` at or above *stem* in the release's tabular (or the
    tabular it borrows its notes from)."""
    undotted = undot(stem).rstrip("X")
    for length in range(len(undotted), 2, -1):
        meanings = _meanings_at(dot(undotted[:length]), release)
        if meanings:
            return meanings
    return {}


def _meaning_from_title(title: str, stem_title: str | None) -> str:
    """The meaning of a 7th character from the full code's *title*: what follows the
    stem's title and a comma (``"..., initial encounter"``), or the whole title."""
    if stem_title and title.startswith(stem_title + ", "):
        return title[len(stem_title) + 2 :]
    return title


def _stem_title(stem: str, release: Release) -> str | None:
    index = release.index_of(undot(stem).rstrip("X"))
    return None if index is None else release.titles[index]


def seventh_characters_of(stem: str, release: Release, *, own_data_only: bool = False
                          ) -> tuple[SeventhCharacter, ...]:
    """Each 7th character the dotted *stem* takes in *release*, with its meaning
    (*own_data_only*: never another release's ``sevenChrDef``, but the release's own
    titles)."""
    found = _stem_indices(undot(stem), release)
    if not found:
        return ()
    lender = release.notes_from if release.notes_from != release.id else None
    meanings = {} if own_data_only and lender else _tabular_meanings(stem, release)
    stem_title = _stem_title(stem, release)
    codes, titles = release.undotted_codes, release.titles  # not Code objects: faster
    options = []
    for index in found:
        character = codes[index][-1]
        meaning = meanings.get(character)
        options.append(
            SeventhCharacter(character, meaning, dot(codes[index]), lender) if meaning
            else SeventhCharacter(character, _meaning_from_title(titles[index], stem_title),
                                  dot(codes[index])))
    return tuple(options)


def meaning_sources(options: tuple[SeventhCharacter, ...]) -> list[str]:
    """The releases whose Tabular List gives a meaning of *options* that is not their
    own release's (:attr:`SeventhCharacter.source_release`), sorted; empty when none."""
    return sorted({o.source_release for o in options if o.source_release is not None})


def borrowed_meanings(options: tuple[SeventhCharacter, ...], release_id: str) -> str:
    """A sentence that says whose Tabular List gives the meanings of *options* when it
    is not that of the release *release_id*, to end a message; empty when it is."""
    lenders = meaning_sources(options)
    if not lenders:
        return ""
    return (f" The meanings of these 7th characters are those of the Tabular List of "
            f"release {', '.join(lenders)}: release {release_id} has no Tabular List of its "
            "own.")
