"""Read the Tabular List XML (``icd10cm_tabular_YYYY.xml``).

Every element of the official schema is either read or refused: an element
this reader does not know raises an error rather than being dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import attrs

from icd10cm.errors import SourceFileError
from icd10cm.official.safe_xml import LINE

__all__ = ["NOTE_ELEMENTS", "Tabular", "TabularBlock", "TabularChapter", "TabularCode",
           "TabularNote", "parse_tabular"]

#: XML element -> note kind, in the vocabulary of :class:`icd10cm.core.notes.NoteKind`.
NOTE_ELEMENTS = {
    "inclusionTerm": "inclusion_term",
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "note",
    "sevenChrNote": "seventh_character_note",
}
_RANGE = re.compile(r"\s*\(([A-Z][0-9A-Z]{2})(?:-([A-Z][0-9A-Z]{2}))?\)\s*$")
_NEWLINE_RUN = re.compile(r"\s*[\r\n\t]\s*")


@attrs.frozen
class TabularChapter:
    number: int
    title: str
    first: str
    last: str


@attrs.frozen
class TabularBlock:
    id: str
    title: str
    first: str
    last: str
    chapter: int


@attrs.frozen
class TabularCode:
    code: str  # dotted, as in the file
    title: str
    block: str


@attrs.frozen
class TabularNote:
    """One note line. *node* is ``chapter:N``, ``block:ID`` or a dotted code."""

    node: str
    kind: str
    key: str  # the character, for kind "seventh_character"; otherwise ""
    text: str


@attrs.frozen
class Tabular:
    version: str
    chapters: tuple[TabularChapter, ...]
    blocks: tuple[TabularBlock, ...]
    codes: tuple[TabularCode, ...]
    notes: tuple[TabularNote, ...]
    #: Note lines with no text, dropped (node and kind, e.g. ``"R11.16 code_also"``).
    empty_notes: tuple[str, ...] = ()


def _text(element: ET.Element) -> str:
    """The element's text with XML layout (line breaks and indentation) folded."""
    return _NEWLINE_RUN.sub(" ", "".join(element.itertext())).strip()


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.chapters: list[TabularChapter] = []
        self.blocks: list[TabularBlock] = []
        self.codes: list[TabularCode] = []
        self.notes: list[TabularNote] = []
        self.empty_notes: list[str] = []

    def fail(self, problem: str, element: ET.Element | None = None) -> SourceFileError:
        line = element.get(LINE) if element is not None else None
        return SourceFileError(self.file, problem, int(line) if line else None)

    def child_text(self, element: ET.Element, tag: str, where: str) -> str:
        child = element.find(tag)
        if child is None or not _text(child):
            raise self.fail(f"{where}: missing <{tag}>", element)
        return _text(child)

    def note(self, node: str, element: ET.Element) -> bool:
        """Record *element* if it is a note container; say whether it was one."""
        tag = element.tag
        if tag in NOTE_ELEMENTS:
            for child in element:
                if child.tag != "note":
                    raise self.fail(f"{node}: unexpected <{child.tag}> inside <{tag}>", child)
                text = _text(child)
                if text:
                    self.notes.append(TabularNote(node, NOTE_ELEMENTS[tag], "", text))
                else:  # an empty <note/> line says nothing: dropped, and reported
                    self.empty_notes.append(f"{node} {NOTE_ELEMENTS[tag]}")
            return True
        if tag == "sevenChrDef":
            char = previous = ""
            for child in element:
                if child.tag == "extension" and len(child.get("char", "")) == 1:
                    char, previous = child.get("char", ""), _text(child)
                    self.notes.append(TabularNote(node, "seventh_character", char, previous))
                elif child.tag == "note" and char:
                    # A term that the preceding character also covers, e.g. B: "... NOS".
                    # Nothing qualifies "sequela": since FY2023, W08's inclusion term "Fall
                    # from stool" (FY2023 tabular addenda) is printed inside its sevenChrDef.
                    kind = ("inclusion_term" if previous == "sequela"
                            else "seventh_character_inclusion")
                    self.notes.append(
                        TabularNote(node, kind, "" if kind == "inclusion_term" else char,
                                    _text(child))
                    )
                else:
                    raise self.fail(f"{node}: malformed <sevenChrDef> entry <{child.tag}>", child)
            return True
        if tag == "visualImpairment":
            for category in element.iter("visCategory"):
                row = _visual_category(category)
                if row is not None:
                    self.notes.append(TabularNote(node, "visual_impairment", "", row))
            return True
        return False

    def chapter(self, element: ET.Element) -> None:
        number_text = self.child_text(element, "name", "chapter")
        if not number_text.isdigit():
            raise self.fail(f"chapter number {number_text!r} is not a number", element)
        number = int(number_text)
        desc = self.child_text(element, "desc", f"chapter {number}")
        node = f"chapter:{number}"
        titles: dict[str, str] = {}
        sections: list[ET.Element] = []
        for child in element:
            if child.tag in ("name", "desc") or self.note(node, child):
                continue
            if child.tag == "sectionIndex":
                for ref in child:
                    titles[ref.get("id", "")] = _text(ref)
            elif child.tag == "section":
                sections.append(child)
            else:
                raise self.fail(f"chapter {number}: unexpected element <{child.tag}>", child)
        if not sections:
            raise self.fail(f"chapter {number} has no sections", element)
        first_block = len(self.blocks)
        for section in sections:
            self.section(section, number, titles)
        title, first, last = _split_range(desc)
        self.chapters.append(
            TabularChapter(
                number,
                title,
                first or self.blocks[first_block].first,
                last or self.blocks[-1].last,
            )
        )

    def section(self, element: ET.Element, chapter: int, titles: dict[str, str]) -> None:
        block_id = element.get("id", "")
        if not block_id:
            raise self.fail(f"chapter {chapter}: a <section> has no id", element)
        desc = self.child_text(element, "desc", f"section {block_id}")
        title, first, last = _split_range(desc)
        first_id, _, last_id = block_id.partition("-")
        block = TabularBlock(
            block_id, titles.get(block_id) or title, first or first_id, last or last_id or first_id,
            chapter,
        )
        self.blocks.append(block)
        node = f"block:{block_id}"
        for child in element:
            if child.tag == "desc" or self.note(node, child):
                continue
            if child.tag == "diag":
                self.diag(child, block_id)
            else:
                raise self.fail(f"section {block_id}: unexpected element <{child.tag}>", child)

    def diag(self, element: ET.Element, block_id: str) -> None:
        code = self.child_text(element, "name", f"a <diag> in section {block_id}")
        title = self.child_text(element, "desc", f"code {code}")
        self.codes.append(TabularCode(code, title, block_id))
        for child in element:
            if child.tag in ("name", "desc") or self.note(code, child):
                continue
            if child.tag == "diag":
                self.diag(child, block_id)
            else:
                raise self.fail(f"code {code}: unexpected element <{child.tag}>", child)


def _split_range(desc: str) -> tuple[str, str, str]:
    """``"Cholera (A00-A09)"`` -> ``("Cholera", "A00", "A09")``."""
    match = _RANGE.search(desc)
    if match is None:
        return desc, "", ""
    return desc[: match.start()], match.group(1), match.group(2) or match.group(1)


def _visual_category(category: ET.Element) -> str | None:
    """One row of the H54 visual impairment table as text; None for the header row."""
    value = category.find("value")
    if value is None:
        return None
    ranges = []
    for vis_range in category.iter("visRange"):
        bounds = [
            f"{label} {_text(bound)}"
            for tag, label in (("visMax", "maximum less than"),
                               ("visMin", "minimum equal to or better than"))
            for bound in vis_range.iter(tag)
        ]
        ranges.append(", ".join(bounds))
    return f"Category {_text(value)}: " + "; ".join(ranges)


def parse_tabular(root: ET.Element, file: str) -> Tabular:
    """Turn a parsed tabular XML document into chapters, blocks, codes and notes."""
    if root.tag != "ICD10CM.tabular":
        raise SourceFileError(file, f"root element is <{root.tag}>, expected <ICD10CM.tabular>")
    reader = _Reader(file)
    version = ""
    for child in root:
        if child.tag == "version":
            version = _text(child)
        elif child.tag == "chapter":
            reader.chapter(child)
        elif child.tag != "introduction":
            raise reader.fail(f"unexpected top-level element <{child.tag}>", child)
    if not reader.chapters:
        raise reader.fail("no chapters found")
    return Tabular(
        version,
        tuple(reader.chapters),
        tuple(reader.blocks),
        tuple(reader.codes),
        tuple(reader.notes),
        tuple(reader.empty_notes),
    )
