"""Read the Alphabetic Index and the External Cause Index, and bundle them.

Both files follow ``icd10cm_index.xsd``: ``letter`` headings hold ``mainTerm``
elements, which nest ``term`` elements (``level="1"`` to ``"9"``). A term has a
``title`` (its nonessential modifiers, printed in parentheses, in a ``nemod``
child) and at most one each of ``see``, ``seeAlso``, ``code``, ``seecat``,
``subcat`` and ``manif`` (the manifestation code printed in brackets). Every
element is either read or refused: an element or text this reader does not know
raises an error rather than being dropped.

The terms are kept as rows in document order with their level (0 for a main
term), so the hierarchy is the order of the rows: a term's subterms are the rows
after it with a deeper level.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from icd10cm.encounters.acuity import IndexTerm
from icd10cm.errors import SourceFileError
from icd10cm.index.data_format import PATH_SEPARATOR, index_words
from icd10cm.official.assemble import FolderFiles, ReleaseContent, SourceRecord
from icd10cm.official.safe_xml import line_of, one_space, parse_xml, plain_text
from icd10cm.official.sources import sha256
from icd10cm_build.acuity import acuity_file
from icd10cm_build.catalog import RELEASES
from icd10cm_build.extra_data import ExtraData, relative_records
from icd10cm_build.index_tree import IndexRow, tidy_index
from icd10cm_build.search_data import corpus_files, digest, note_rows, title_rows
from icd10cm_build.see_refs import resolve_references

__all__ = ["IndexRow", "build_index", "index_layout", "parse_index"]

_ROLES = ("index", "eindex")  # the roles of the two index files, and their Part values
_FIELDS = {  # child element -> IndexRow field
    "code": "code",
    "manif": "manif",
    "see": "see",
    "seeAlso": "see_also",
    "seecat": "see_category",
    "subcat": "see_category",
}


def _no_tail(element: ET.Element, file: str) -> None:
    if one_space(element.tail):
        raise SourceFileError(file, f"unexpected text {element.tail!r} after <{element.tag}>",
                              line_of(element))


def _title(element: ET.Element, file: str) -> tuple[str, str]:
    """(printed text, nonessential modifiers) of a ``title``, spaced as the book prints
    it: the XML has no space before a ``<nemod>``, which is printed after a space but
    for a plural ``(s)`` ("Nodule(s), nodular", as the drug and neoplasm tables print
    it); a comma, hyphen or slash after it follows it directly ("auricle (ear),
    congenital", "Substance (other psychoactive)-induced"), and a word after a space
    ("vein (peripheral) NEC"; also the few inside a word, "Cancer (o) phobia", so that
    the essential title keeps the words it has in the XML)."""
    text = element.text or ""
    nemod = ""
    for child in element:
        if child.tag != "nemod" or nemod:
            raise SourceFileError(file, f"unexpected <{child.tag}> in a title", line_of(child))
        nemod = plain_text(child, file)
        joined = not text.strip() or text[-1].isspace() or nemod.startswith("(s)")
        tail = child.tail or ""
        spaced = tail[:1].isalnum() or tail.startswith("[")
        text += ("" if joined else " ") + nemod + (" " if spaced else "") + tail
    text = one_space(text)
    if not text:
        raise SourceFileError(file, "a term with an empty title", line_of(element))
    return text, nemod


def _term(element: ET.Element, level: int, file: str, rows: list[IndexRow]) -> None:
    if level and element.get("level") != str(level):
        raise SourceFileError(
            file, f"term level {element.get('level')!r} where level {level} was expected",
            line_of(element),
        )
    children = list(element)
    if not children or children[0].tag != "title":
        raise SourceFileError(file, f"<{element.tag}> does not start with a <title>",
                              line_of(element))
    text, nemod = _title(children[0], file)
    fields: dict[str, str] = {}
    subterms = []
    for child in children[1:]:
        _no_tail(child, file)
        if child.tag == "term":
            subterms.append(child)
            continue
        field = _FIELDS.get(child.tag)
        if field is None:
            raise SourceFileError(file, f"unexpected <{child.tag}> in the term {text!r}",
                                  line_of(child))
        if subterms or field in fields:
            raise SourceFileError(file, f"misplaced or repeated <{child.tag}> in the term "
                                        f"{text!r}", line_of(child))
        fields[field] = plain_text(child, file)
    rows.append(IndexRow(level, text, nemod, **fields))
    for subterm in subterms:
        _term(subterm, level + 1, file, rows)


def parse_index(root: ET.Element, file: str) -> tuple[IndexRow, ...]:
    """Every term of an Alphabetic Index or External Cause Index file, in order."""
    if root.tag != "ICD10CM.index":
        raise SourceFileError(file, f"root element <{root.tag}>, expected <ICD10CM.index>")
    rows: list[IndexRow] = []
    for child in root:
        _no_tail(child, file)
        if child.tag in ("version", "title"):
            continue
        if child.tag != "letter":
            raise SourceFileError(file, f"unexpected <{child.tag}> in the index", line_of(child))
        for entry in child:
            _no_tail(entry, file)
            if entry.tag == "title":
                continue
            if entry.tag != "mainTerm":
                raise SourceFileError(file, f"unexpected <{entry.tag}> in a letter",
                                      line_of(entry))
            _term(entry, 0, file, rows)
    if not rows:
        raise SourceFileError(file, "no main terms (truncated file?)")
    return tuple(rows)


def build_index(
    root: Path,
    folder: Callable[[str], FolderFiles],
    contents: Sequence[ReleaseContent],
) -> ExtraData:
    """The Alphabetic Index and External Cause Index of every release whose own
    folder has them (a release never gets another folder's index), the acute and
    chronic pairs of each Alphabetic Index (:mod:`icd10cm_build.acuity`), and the
    search corpora of every release (see :mod:`icd10cm.index.data_format`)."""
    specs = {spec.id: spec for spec in RELEASES}
    found: dict[str, dict[str, list[tuple[str, ...]]]] = {role: {} for role in _ROLES}
    records: dict[str, list[SourceRecord]] = {}
    alphabetic: dict[str, tuple[str, list[IndexTerm]]] = {}  # for the acute/chronic pairs
    newest_first = list(reversed(contents))  # as the other tables
    for content in newest_first:
        spec = specs[content.id]
        if spec.folder is None:
            continue
        files = folder(spec.folder)
        for role in _ROLES:
            file = files.find(role)
            if file is None:
                continue
            data = files.read(file)
            terms = parse_index(parse_xml(data, file.name), file.name)
            found[role][content.id] = index_layout(terms, file.name)
            if role == "index":  # the pairs of the index as bundled (tidied)
                alphabetic[content.id] = (file.name, [
                    (int(row[0]), row[1], row[2], row[3]) for row in found[role][content.id]])
            records.setdefault(content.id, []).append(SourceRecord(role, file.name, sha256(data)))
    out: dict[str, bytes] = {}
    for role in _ROLES:
        out.update(corpus_files(role, found[role], lambda row: row[1], lambda row: int(row[0])))
    out.update(corpus_files("title", {c.id: title_rows(c) for c in newest_first},
                            lambda row: row[3]))
    for kind in ("inclusion_term", "includes"):
        out.update(corpus_files(kind, {c.id: note_rows(c, kind) for c in newest_first},
                                lambda row: row[1]))
    out.update(acuity_file(alphabetic))
    order = [c.id for c in contents]
    parts: Mapping[str, tuple[str, ...]] = {
        rid: tuple(role for role in _ROLES if rid in found[role])
        for rid in order if rid in records
    }
    return ExtraData(
        files=out,
        parts=parts,
        sources={rid: relative_records(records[rid], root) for rid in order if rid in records},
    )


def index_layout(rows: Sequence[IndexRow], file: str = "index") -> list[tuple[str, ...]]:
    """The rows of one index file as table rows, tidied as the book shows them
    (:func:`~icd10cm_build.index_tree.tidy_index`): each term's columns, the target
    of its reference (:func:`~icd10cm_build.see_refs.resolve_references`), its span
    (subterm rows below it), size (distinct essential words from the main term down
    that count: see :func:`~icd10cm.index.data_format.index_words`) and, not written
    but part of the row for :func:`merge_rows`, a path id unique within the file."""
    rows = tidy_index(rows).rows
    targets = resolve_references(rows).targets
    spans = [0] * len(rows)
    sizes: list[int] = []
    path_ids: list[str] = []
    seen: dict[str, int] = {}
    stack: list[tuple[int, set[str], str]] = []  # open ancestors: row, words, path text
    for number, row in enumerate(rows):
        if PATH_SEPARATOR in row.text:
            raise SourceFileError(file, f"the term {row.text!r} has {PATH_SEPARATOR!r} in "
                                           f"its title, which joins the paths of references")
        while len(stack) > row.level:
            stack.pop()
        own = index_words(row.text, row.level)[0]
        above = stack[-1][1] if stack else set()
        path = (stack[-1][2] + "\x1f" if stack else "") + row.text
        for ancestor, _, _ in stack:
            spans[ancestor] += 1
        stack.append((number, above | own, path))
        sizes.append(len(above | own))
        path_id = digest(path)
        repeat = seen[path_id] = seen.get(path_id, 0) + 1
        path_ids.append(path_id if repeat == 1 else f"{path_id}#{repeat}")
    return [
        (str(row.level), row.text, row.nemod, row.code, row.manif, row.see, row.see_also,
         row.see_category, target, str(span), str(size), path_id)
        for row, target, span, size, path_id in zip(rows, targets, spans, sizes, path_ids,
                                                     strict=True)
    ]
