"""Instructional notes of the Tabular List (Guidelines I.A.10 - I.A.17)."""

from __future__ import annotations

import enum

import attrs

from icd10cm.core.references import CodeReference, parse_references

__all__ = ["Note", "NoteKind"]


class NoteKind(str, enum.Enum):
    """The kinds of note the Tabular List carries, named as the Guidelines name them."""

    INCLUSION_TERM = "inclusion_term"
    INCLUDES = "includes"
    EXCLUDES1 = "excludes1"
    EXCLUDES2 = "excludes2"
    CODE_FIRST = "code_first"
    USE_ADDITIONAL_CODE = "use_additional_code"
    CODE_ALSO = "code_also"
    NOTE = "note"
    SEVENTH_CHARACTER_NOTE = "seventh_character_note"
    SEVENTH_CHARACTER = "seventh_character"
    SEVENTH_CHARACTER_INCLUSION = "seventh_character_inclusion"
    VISUAL_IMPAIRMENT = "visual_impairment"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Note:
    """One note line, as printed in the Tabular List.

    *node* is where the note stands: a dotted code (``"E11.3"``), a block
    (``"block:E08-E13"``) or a chapter (``"chapter:4"``). For
    :attr:`NoteKind.SEVENTH_CHARACTER` notes, *character* is the 7th character
    that *text* defines.

    *source_release* is the id of the release whose Tabular List prints the note.
    A release without a tabular of its own shows the nearest release's notes
    (see :attr:`icd10cm.ReleaseInfo.borrowed`); each such note is re-checked
    against the release it serves, and *reference_problems* says, in words, which
    codes it cites that are not codes of that release, or are headers there.
    """

    kind: NoteKind
    text: str
    node: str
    character: str = ""
    source_release: str = ""
    reference_problems: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """Where the note is printed, in words: ``"E11.3"``, ``"block E08-E13"``,
        ``"chapter 4"``."""
        kind, _, name = self.node.partition(":")
        return f"{kind} {name}" if name else self.node

    @property
    def references(self) -> tuple[CodeReference, ...]:
        """The codes the note cites, parsed from its text (``(E08.-)`` -> E08 and below)."""
        return parse_references(self.text).references

    @property
    def unparsed_references(self) -> tuple[str, ...]:
        """Parenthesised text that looks like codes but could not be read (kept, not dropped)."""
        return parse_references(self.text).unparsed
