"""The :class:`Code` type: one code of one release."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

from icd10cm.core.notes import Note
from icd10cm.core.seventh import SeventhCharacter, seventh_characters_of
from icd10cm.core.structure import Block, Chapter

if TYPE_CHECKING:
    from icd10cm.core.release import Release

__all__ = ["Category", "Code"]


@attrs.frozen(repr=False, order=False)
class Code:
    """A code (billable or header) as it stands in one release.

    ``value`` is the canonical dotted form, which ``str()`` also gives. Two codes
    are equal when they have the same value in the same release. Codes of one
    release sort in tabular order. Obtain codes from a :class:`Release` or
    :func:`icd10cm.parse_code`; do not construct them directly.
    """

    value: str
    release: Release
    #: The code's place in its release's tabular order (0-based).
    index: int = attrs.field(eq=False)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"<Code {self.value} {self.title!r} ({self.release.id})>"

    def _repr_html_(self) -> str:
        kind = "billable" if self.is_billable else "header, not billable"
        return (
            f"<b>{html.escape(self.value)}</b> {html.escape(self.title)} "
            f"<small>({kind}; ICD-10-CM {html.escape(self.release.info.label)}; "
            f"{html.escape(str(self.block))})</small>"
        )

    # --- forms and titles --------------------------------------------------------

    @property
    def undotted(self) -> str:
        """``"S52521A"`` for ``S52.521A``: the form of the order file and claims."""
        return self.release.undotted_codes[self.index]

    @property
    def title(self) -> str:
        """The long title, exactly as in the order file."""
        return self.release.titles[self.index]

    @property
    def short_title(self) -> str:
        """The short title (at most 60 characters), as in the order file."""
        return self.release.short_titles[self.index]

    @property
    def is_billable(self) -> bool:
        """Whether the code is reportable (order-file flag 1)."""
        return self.release.billable_flags[self.index]

    # --- classification ----------------------------------------------------------

    @property
    def category(self) -> Category:
        """The 3-character category the code belongs to."""
        category = self.release[self.value[:3]]
        assert isinstance(category, Category)
        return category

    @property
    def block(self) -> Block:
        return self.release.block_of(self.value)

    @property
    def chapter(self) -> Chapter:
        return self.release.chapter_of(self.value)

    # --- notes and 7th characters -------------------------------------------------

    @property
    def notes(self) -> tuple[Note, ...]:
        """The instructional notes that apply to this code, inherited: those of its
        chapter, block, category and every level down to the code itself, broadest
        first (:meth:`Release.notes_for` gives them nearest first). In a release
        without a tabular of its own they are the nearest release's, re-checked
        against this one; each note's ``source_release`` says whose they are."""
        release = self.release
        return tuple(note for node in reversed(release.note_nodes(self))
                     for note in release.notes_at(node))

    @property
    def seventh_characters(self) -> tuple[SeventhCharacter, ...]:
        """The 7th characters that complete this code (for a stem such as S52.521),
        or that its stem takes (for a full code such as S52.521A); else empty."""
        stem = self.value[:-1] if len(self.undotted) == 7 else self.value
        return seventh_characters_of(stem, self.release)

    # --- hierarchy -------------------------------------------------------------

    @property
    def parent(self) -> Code | None:
        """The nearest code above this one (``S52.521A`` -> ``S52.521``), or None."""
        return self.release.parent_of(self.index)

    @property
    def ancestors(self) -> tuple[Code, ...]:
        """Codes above this one, from the category down to the parent."""
        return self.release.ancestors_of(self.index)

    def _below(self) -> Iterator[Code]:
        release = self.release
        codes = release.undotted_codes
        prefix = self.undotted
        index = self.index + 1
        while index < len(codes) and codes[index].startswith(prefix):
            yield release.code_at(index)
            index += 1

    @property
    def descendants(self) -> tuple[Code, ...]:
        """Every code below this one, in tabular order."""
        return tuple(self._below())

    @property
    def children(self) -> tuple[Code, ...]:
        """The codes directly below this one, in tabular order."""
        return self.release.children_of(self.index)

    # --- ordering (tabular order within a release) ----------------------------------

    def _order(self, other: Code) -> tuple[int, int]:
        if other.release is not self.release:
            raise TypeError(
                f"cannot order {self.value} of release {self.release.id} against "
                f"{other.value} of release {other.release.id}"
            )
        return self.index, other.index

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Code):
            return NotImplemented
        mine, theirs = self._order(other)
        return mine < theirs

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Code):
            return NotImplemented
        mine, theirs = self._order(other)
        return mine <= theirs

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Code):
            return NotImplemented
        mine, theirs = self._order(other)
        return mine > theirs

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Code):
            return NotImplemented
        mine, theirs = self._order(other)
        return mine >= theirs


@attrs.frozen(repr=False, order=False)
class Category(Code):
    """A 3-character category, such as ``E11`` (Type 2 diabetes mellitus).

    Releases return a :class:`Category` for every 3-character code; it is a
    :class:`Code` with a few conveniences for the category level.
    """

    def __repr__(self) -> str:
        return f"<Category {self.value} {self.title!r} ({self.release.id})>"

    @property
    def billable_codes(self) -> tuple[Code, ...]:
        """The reportable codes of the category, in tabular order."""
        if self.is_billable:
            return (self,)
        return tuple(code for code in self.descendants if code.is_billable)
