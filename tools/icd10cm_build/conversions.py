"""Build ``conversions.json`` from the official ICD-10-CM conversion tables.

Each FY2017-FY2026 folder of ``cms-raw`` has one conversion table (``.xlsx``, or
``.csv`` for FY2020 and FY2025): for every code added since FY2017, the date it
took effect and its "previous code(s) assignment", as free text such as
``A04.7``, ``C56.1 and C56.2``, ``H02.101-H02.106; H02.109``, ``I63.- and P91.88``
or ``Codes in Categories T15-T19``. The tables are cumulative, so every row of
every table is read and the newest table's wording wins.

The data file keeps, per release, each new code with the text as published and
that text parsed into references: a code (``A04.7``), a range (``H02.101-H02.106``,
``T15-T19``) or everything under a code (``I63.-``, ``R11-``). The library expands
ranges against the codes of the release before at run time. The build refuses a
row whose effective date names no bundled release, whose code is not new in that
release (absent from the release before, or a header there made reportable), or
whose text it cannot parse.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

import attrs

from icd10cm.errors import SourceFileError
from icd10cm.official.assemble import BuildError, FolderFiles, ReleaseContent, SourceRecord
from icd10cm_build.extra_data import ExtraData, relative_records
from icd10cm_build.xlsx import read_first_sheet

__all__ = [
    "FILE",
    "ConversionRow",
    "build_conversions",
    "effective_release",
    "parse_previous",
    "read_conversion_table",
]

#: The data file this builder writes.
FILE = "conversions.json"
FORMAT = 1

#: The release folders with a conversion table, oldest first.
FOLDERS = ("2017", "2018", "2019", "2020", "2021-01", "2022", "2022-04", "2023", "2023-04",
           "2024", "2025", "2026")

_CODE = r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.?[0-9A-Z]{1,4})?"  # QA0 since FY2026
_TOKEN = re.compile(
    rf"(?P<start>{_CODE})\s*-\s*(?P<end>{_CODE})(?![0-9A-Z.])"  # a range
    rf"|(?P<under>{_CODE})\.?-"  # I63.- or R11-: everything under the code
    rf"|(?P<code>{_CODE})(?![0-9A-Z])"
)
# The words that may stand between references; anything else is refused.
_FILLER = re.compile(
    r"(?:\s|,|;|&|\band\b|\ba code from\b|\bcode from categories\b|\bcodes in categories\b)*",
    re.IGNORECASE,
)
_NONE = {"none", ""}

# Rows the build knows to be wrong, kept out of the conversions and listed in the data
# file under "refused" with the reason; any other row whose code is not new in its
# release stops the build.
# (I60.2 and H81.4 are new too: headers made reportable when FY2017 and FY2020 deleted
# I60.20-I60.22 and H81.41-H81.49, as the order addenda of those years say.)
_WRONG_ROWS = {
    ("2017", "E11.3X11"): "E11.3X11 is in no release (E11.3 has no X placeholder codes)",
}
_EXCEL_EPOCH = date(1899, 12, 30)


@attrs.frozen
class ConversionRow:
    """One row of a conversion table: a new code (dotted), the release it took effect
    in, and its previous code(s) as published."""

    code: str
    release: str
    previous: str


def _dotted(code: str) -> str:
    code = code.replace(".", "")
    return code if len(code) == 3 else f"{code[:3]}.{code[3:]}"


def parse_previous(text: str) -> tuple[str, ...]:
    """The references in a "previous code(s)" cell: ``"A04.7"``, ``"H02.101-H02.106"``
    (a range, inclusive), ``"I63.-"`` (everything under I63). ``"None"`` gives ().

    Raises ValueError for text that is not references joined by ``and``, ``,``,
    ``;`` or ``&`` (and the phrases "a code from", "codes in categories").
    """
    stripped = text.strip()
    if stripped.lower() in _NONE:
        return ()
    found: list[str] = []
    position = 0
    for match in _TOKEN.finditer(stripped):
        gap = stripped[position:match.start()]
        if not _FILLER.fullmatch(gap):
            raise ValueError(f"cannot read {gap.strip()!r} in {text!r}")
        if match["start"]:
            found.append(f"{_dotted(match['start'])}-{_dotted(match['end'])}")
        elif match["under"]:
            found.append(f"{_dotted(match['under'])}-")
        else:
            found.append(_dotted(match["code"]))
        position = match.end()
    if not found or not _FILLER.fullmatch(stripped[position:]):
        raise ValueError(f"cannot read {stripped[position:].strip() or text!r} in {text!r}")
    return tuple(found)


def effective_release(text: str) -> str:
    """The release a table's "Effective" cell names: ``"2016"`` (October 1, 2016) is
    FY2017 (``"2017"``); ``"04/01/23"`` or the Excel date 45017 is ``"2023-04"``."""
    value = text.strip()
    if re.fullmatch(r"20\d\d", value):
        return str(int(value) + 1)
    if re.fullmatch(r"\d{5}", value):  # an Excel date serial
        day = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        match = re.fullmatch(r"(\d\d)/(\d\d)/(\d\d)", value)
        if match is None:
            raise ValueError(f"effective date {text!r} is not a year, MM/DD/YY or a date")
        day = date(2000 + int(match[3]), int(match[1]), int(match[2]))
    if day.day != 1 or day.month not in (1, 4, 10):
        raise ValueError(f"effective date {day} is not the first of January, April or October")
    return str(day.year + 1) if day.month == 10 else f"{day.year}-{day.month:02d}"


def _cells(data: bytes, name: str) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        return read_first_sheet(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # the FY2020 CSV is Windows text
    return [list(row) for row in csv.reader(io.StringIO(text))]


def read_conversion_table(data: bytes, name: str) -> list[ConversionRow]:
    """The rows of one conversion table (``.xlsx`` or ``.csv``), in file order.

    The header row is the one whose first cell is "Current code assignment"; blank
    rows are skipped; any other row must have a code, an effective date and a
    previous-code cell.
    """
    rows = _cells(data, name)
    header = next((i for i, row in enumerate(rows)
                   if row and row[0].strip().lower() == "current code assignment"), None)
    if header is None:
        raise SourceFileError(name, "no 'Current code assignment' header row")
    found: list[ConversionRow] = []
    for number, row in enumerate(rows[header + 1:], header + 2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) < 3 or not re.fullmatch(_CODE, cells[0]):
            raise SourceFileError(name, f"row {number} is not code, effective, previous: {row}")
        try:
            release = effective_release(cells[1])
            parse_previous(cells[2])
        except ValueError as exc:
            raise SourceFileError(name, f"row {number}: {exc}") from None
        found.append(ConversionRow(_dotted(cells[0]), release, " ".join(cells[2].split())))
    return found


def _tables(folder: Callable[[str], FolderFiles]) -> Iterator[tuple[str, FolderFiles, str,
                                                                   list[ConversionRow]]]:
    for name in FOLDERS:
        files = folder(name)
        table = files.find("conversion")
        if table is None:
            raise SourceFileError(files.label, "no conversion table (*Conversion*.xlsx/.csv)")
        yield name, files, table.name, read_conversion_table(files.read(table), table.name)


def build_conversions(
    root: Path, folder: Callable[[str], FolderFiles], contents: Sequence[ReleaseContent]
) -> ExtraData:
    """The conversion tables as ``conversions.json``, and the tables as sources."""

    ids = [content.id for content in contents]
    codes = {content.id: {row.code for row in content.rows} for content in contents}
    reportable = {content.id: {row.code for row in content.rows if row.billable}
                  for content in contents}
    rows: dict[tuple[str, str], tuple[str, str]] = {}  # (release, code) -> (text, table)
    sources: dict[str, tuple[SourceRecord, ...]] = {}
    for name, files, _table, table_rows in _tables(folder):
        for row in table_rows:
            rows[row.release, row.code] = (row.previous, name)  # the newest table wins
        sources[name] = relative_records(
            [r for r in files.records if r.role == "conversion"], root)
    steps: dict[str, dict[str, list[object]]] = {}
    refused: list[dict[str, str]] = []
    for (release, code), (text, table) in sorted(rows.items()):
        reason = _WRONG_ROWS.get((release, code))
        if reason is not None:
            refused.append({"code": code, "release": release, "previous": text,
                            "table": table, "reason": reason})
            continue
        if release not in codes:
            raise BuildError(table, f"{code}: effective in {release}, which is not bundled")
        before = ids[ids.index(release) - 1]
        undotted = code.replace(".", "")
        # New: not in the release before, or a header there made reportable (I60.2).
        if (undotted not in codes[release] or undotted in reportable[before]
                or (undotted in codes[before] and undotted not in reportable[release])):
            raise BuildError(table, f"{code} is not a code added in release {release}")
        steps.setdefault(release, {})[code] = [text, list(parse_previous(text))]
    missing = _WRONG_ROWS.keys() - {(r["release"], r["code"]) for r in refused}
    if missing:
        raise BuildError(root.name, f"rows listed as wrong are in no table: {sorted(missing)}")
    document = {"format": FORMAT, "tables": list(FOLDERS), "steps": steps, "refused": refused}
    data = (json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            + "\n").encode()
    return ExtraData(files={FILE: data}, sources=sources)
