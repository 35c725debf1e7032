"""Read the Table of Drugs and Chemicals and the Neoplasm Table, and bundle them.

Both tables come as XML (``icd10cm_drug_neoplasm.xsd``): letters of
``mainTerm`` elements, each with a ``title``, optional ``see``, ``seeAlso``
and ``manif``, up to six ``cell`` elements (``col`` 2 to 7) and nested
``term`` elements. Every element is either read or refused. A row is kept
per term, with its path of titles from the main term down. A title keeps its
nonessential modifiers (``nemod``) in braces, spaced as the printed table
spaces them: ``2,4-D {(dichlorophen-oxyacetic acid)}``, ``Caustic{(s)} NEC``.
A cell holds the code as printed (``T39.1X1``, ``C40.2-``) or the table's
empty mark (``--``, or ``-`` in the Neoplasm Table); a column that the
row has no cell for is stored as the empty string, so the two stay apart.

Sources: the ``drug`` and ``neoplasm`` files of each release's own catalogue
folder; a release without them has no table (never another release's). The
April 2024 drug file is named ``.txt`` but is the same XML. The April 2025
folder also has a CSV rendition of the drug table: the XML is used, because
the CSV flattens the nesting into dash marks, runs the see references into the
titles and lacks 26 of the 7428 rows of the XML. The build checks that every
CSV row is an XML row with the same codes, in the same order, and fails if not.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath

import attrs

from icd10cm.errors import SourceFileError
from icd10cm.official.assemble import BuildError, FolderFiles, ReleaseContent, SourceRecord
from icd10cm.official.safe_xml import line_of, one_space, parse_xml, plain_text
from icd10cm.official.sources import SourceFile
from icd10cm.releases.table_format import encode_table, merge_rows
from icd10cm.tables.columns import Behavior, Intent, stored_columns
from icd10cm_build.catalog import RELEASES
from icd10cm_build.extra_data import ExtraData, relative_records

__all__ = [
    "CsvRow",
    "SourceTable",
    "SourceTableRow",
    "build_tables",
    "check_csv_rows",
    "parse_csv_rows",
    "parse_table",
]

#: Table kind -> its data file name and its code columns (cells 2 to 7 in order).
KINDS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "drug": ("drugs.table", tuple(column.value for column in Intent)),
    "neoplasm": ("neoplasms.table", tuple(column.value for column in Behavior)),
}
#: Each kind's headings of columns 2 to 7, normalised by :func:`_heading`.
_HEADINGS = {
    "drug": ("poisoning accidental (unintentional)", "poisoning intentional self-harm",
             "poisoning assault", "poisoning undetermined", "adverse effect", "underdosing"),
    "neoplasm": ("malignant primary", "malignant secondary", "ca in situ", "benign",
                 "uncertain behavior", "unspecified behavior"),
}
_FIRST_HEADING = {"drug": "substance", "neoplasm": "neoplasm"}
PATH_SEPARATOR = " > "
_RESERVED = re.compile(r"[{}>]")


@attrs.frozen
class SourceTableRow:
    """One term of a table: its path of (marked-up) titles, cells and references."""

    path: tuple[str, ...]
    cells: tuple[str, ...]  # six values, "" where the row has no cell for the column
    see: str = ""
    see_also: str = ""
    manif: str = ""

    def as_tuple(self) -> tuple[str, ...]:
        return (PATH_SEPARATOR.join(self.path), *self.cells, self.see, self.see_also,
                self.manif)


@attrs.frozen
class SourceTable:
    kind: str
    version: str
    rows: tuple[SourceTableRow, ...]


# --- the XML ---------------------------------------------------------------------


def _fail(file: str, element: ET.Element, problem: str) -> SourceFileError:
    return SourceFileError(file, problem, line_of(element))


def _title(element: ET.Element, file: str) -> str:
    """The title text with each nonessential modifier in braces."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "nemod":
            raise _fail(file, child, f"unexpected <{child.tag}> in a title")
        modifier = plain_text(child, file)
        before = parts[-1]  # a plural "(s)" is printed against its word: "Caustic(s) NEC"
        joined = not before or before[-1].isspace() or modifier.startswith("(s)")
        parts.append(("" if joined else " ") + "{" + modifier + "}")
        parts.append(child.tail or "")
    title = one_space("".join(parts))
    bare = title.replace("{", "").replace("}", "") if len(element) else title
    if not bare or _RESERVED.search(bare) or title.count("{") != len(element):
        raise _fail(file, element, f"title {title!r} is empty or holds one of {{ }} >")
    return title


def _heading(text: str) -> str:
    return one_space(text.replace(",", " ")).casefold()


def _check_headings(root: ET.Element, kind: str, file: str) -> None:
    heading = root.find("indexHeading")
    if heading is None:
        raise _fail(file, root, "no <indexHeading>: cannot tell which column is which")
    found = {}
    for head in heading:
        if head.tag != "head":
            raise _fail(file, head, f"unexpected <{head.tag}> in <indexHeading>")
        found[head.get("col", "")] = _heading("".join(head.itertext()))
    expected = {str(number): text for number, text in enumerate(_HEADINGS[kind], start=2)}
    if "1" in found:
        expected["1"] = _FIRST_HEADING[kind]
    if found != expected:
        raise _fail(file, heading, f"column headings {found} are not those of the {kind} "
                                   f"table ({expected})")


def _term(element: ET.Element, path: tuple[str, ...], file: str,
          out: list[SourceTableRow]) -> None:
    depth = len(path)
    if element.tag == "term" and element.get("level") != str(depth):
        raise _fail(file, element, f"term level {element.get('level')!r}, expected {depth}")
    title = None
    cells: dict[int, str] = {}
    refs = {"see": "", "seeAlso": "", "manif": ""}
    children = []
    for child in element:
        if child.tag == "title" and title is None:
            title = _title(child, file)
        elif child.tag in refs and not refs[child.tag]:
            refs[child.tag] = plain_text(child, file)
        elif child.tag == "cell":
            column = child.get("col", "")
            if not column.isdigit() or not 2 <= int(column) <= 7 or int(column) in cells:
                raise _fail(file, child, f"cell column {column!r} is not a new column 2 to 7")
            cells[int(column)] = plain_text(child, file)
        elif child.tag == "term":
            children.append(child)
        else:
            raise _fail(file, child, f"unexpected or repeated <{child.tag}> in a term")
    if title is None:
        raise _fail(file, element, "a term without a title")
    row_path = (*path, title)
    out.append(SourceTableRow(
        row_path, tuple(cells.get(column, "") for column in range(2, 8)),
        refs["see"], refs["seeAlso"], refs["manif"],
    ))
    for child in children:
        _term(child, row_path, file, out)


def parse_table(root: ET.Element, kind: str, file: str) -> SourceTable:
    """Read a drug or neoplasm table from its parsed XML."""
    if root.tag != "ICD10CM.index":
        raise _fail(file, root, f"root element <{root.tag}>, expected <ICD10CM.index>")
    _check_headings(root, kind, file)
    version = ""
    rows: list[SourceTableRow] = []
    for child in root:
        if child.tag == "version":
            version = plain_text(child, file)
        elif child.tag in ("indexHeading", "title"):
            continue
        elif child.tag == "letter":
            for term in child:
                if term.tag == "mainTerm":
                    _term(term, (), file, rows)
                elif term.tag != "title":
                    raise _fail(file, term, f"unexpected <{term.tag}> in a letter")
        else:
            raise _fail(file, child, f"unexpected <{child.tag}>")
    if not rows:
        raise SourceFileError(file, f"the {kind} table has no terms")
    return SourceTable(kind, version, tuple(rows))


# --- the CSV rendition of the drug table ------------------------------------------


@attrs.frozen
class CsvRow:
    line: int
    text: str  # the substance column as printed, level dashes included
    cells: tuple[str, ...]


def parse_csv_rows(data: bytes, file: str) -> list[CsvRow]:
    """The rows of the CDC CSV rendition of the drug table (Windows-1252 text).

    The title line and the column headings (repeated at page breaks) are skipped.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SourceFileError(file, f"not Windows-1252 text ({exc})") from exc
    rows = []
    for number, fields in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if not fields or (number == 1 and "TABLE of DRUGS" in fields[0]):
            continue
        if len(fields) < 7 or any(fields[7:]):
            raise SourceFileError(file, f"expected 7 columns, got {fields!r}", number)
        if _heading(fields[0]) == _FIRST_HEADING["drug"]:
            if tuple(_heading(f) for f in fields[1:7]) != _HEADINGS["drug"]:
                raise SourceFileError(file, f"unexpected column headings {fields!r}", number)
            continue
        rows.append(CsvRow(number, fields[0], tuple(f.strip() for f in fields[1:7])))
    return rows


_CSV_SEE = re.compile(r"[-\u2013]\s*see(?:\s+also)?\s")


def _key(text: str) -> str:
    """Letters and digits only, accents dropped, case folded: how the CSV's flattened
    text (``\u2013 beverage``, ``Adrenalin -see Adrenaline``) is compared with the XML."""
    folded = _CSV_SEE.sub(" ", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in folded if ch.isalnum())


def _xml_key(row: SourceTableRow) -> str:
    text = row.path[-1] + row.see + row.see_also
    return _key(text.replace("{", "").replace("}", ""))


def check_csv_rows(table: SourceTable, rows: Sequence[CsvRow], file: str) -> int:
    """Check that each CSV row is, in order, an XML row with the same text and codes.

    Returns the number of XML rows that the CSV lacks. Raises BuildError at the
    first CSV row that matches no later XML row.
    """
    position = 0
    for row in rows:
        key = (_key(row.text), row.cells)
        start = position
        while position < len(table.rows):
            candidate = table.rows[position]
            position += 1
            if (_xml_key(candidate), candidate.cells) == key:
                break
        else:
            raise BuildError(
                file,
                f"line {row.line}: {row.text!r} {row.cells} matches no row of the XML table "
                f"after {PATH_SEPARATOR.join(table.rows[start - 1].path) if start else 'the start'}"
                " (the CSV and the XML disagree)",
            )
    if not rows:
        raise BuildError(file, "the CSV has no rows")
    return len(table.rows) - len(rows)


# --- the bundled data ---------------------------------------------------------------


def _csv_files(folder: FolderFiles) -> list[SourceFile]:
    return [f for f in folder.files
            if f.role == "other" and "drug" in PurePosixPath(f.name).name.lower()
            and f.name.lower().removesuffix(".gz").endswith(".csv")]


def _record(folder: FolderFiles, file: SourceFile) -> SourceRecord:
    folder.read(file)
    return next(r for r in folder.records if r.file == file.name)


def _read_tables(
    release_id: str, fiscal_year: int, folder: FolderFiles
) -> Iterator[tuple[str, SourceTable, SourceRecord]]:
    for kind in KINDS:
        file = folder.find(kind)
        if file is None:
            continue
        table = parse_table(parse_xml(folder.read(file), file.name), kind, file.name)
        if table.version != str(fiscal_year):
            raise BuildError(file.name, f"<version> {table.version!r} is not fiscal year "
                                        f"{fiscal_year} of release {release_id}")
        yield kind, table, _record(folder, file)


def build_tables(
    root: Path, folder: Callable[[str], FolderFiles], contents: Sequence[ReleaseContent]
) -> ExtraData:
    """The drug and neoplasm tables of every release whose own folder has them."""

    known = {content.id for content in contents}
    per_kind: dict[str, dict[str, tuple[SourceTableRow, ...]]] = {kind: {} for kind in KINDS}
    parts: dict[str, tuple[str, ...]] = {}
    sources: dict[str, tuple[SourceRecord, ...]] = {}
    for spec in reversed(RELEASES):  # newest first: the longest runs for the newest
        if spec.folder is None or spec.id not in known:
            continue
        files = folder(spec.folder)
        found = {kind: (table, record)
                 for kind, table, record in _read_tables(spec.id, spec.fiscal_year, files)}
        for csv_file in _csv_files(files):
            if "drug" not in found:
                raise BuildError(csv_file.name, "a CSV drug table without the XML one is not "
                                                "supported")
            check_csv_rows(found["drug"][0], parse_csv_rows(files.read(csv_file),
                                                            csv_file.name), csv_file.name)
        if not found:
            continue
        for kind, (table, _) in found.items():
            per_kind[kind][spec.id] = table.rows
        parts[spec.id] = tuple(found)
        sources[spec.id] = relative_records([record for _, record in found.values()], root)
    files_out = {}
    for kind, (name, _) in KINDS.items():
        rows, selections = merge_rows(
            {rid: [row.as_tuple() for row in rows] for rid, rows in per_kind[kind].items()}
        )
        names = stored_columns(kind)
        files_out[name] = encode_table(
            kind, {column: [row[i] for row in rows] for i, column in enumerate(names)},
            selections,
        )
    order = [spec.id for spec in RELEASES]
    return ExtraData(
        files=files_out,
        parts={rid: parts[rid] for rid in order if rid in parts},
        sources={rid: sources[rid] for rid in order if rid in sources},
    )
