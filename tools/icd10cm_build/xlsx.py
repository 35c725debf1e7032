"""Read a worksheet of an ``.xlsx`` workbook with the standard library.

Only what the official files need (the CMS/CDC conversion tables, the AHRQ CMR
reference workbooks): cell values as text, row by row (shared strings, inline
strings, rich text, numbers and booleans). The XML goes through
:func:`~icd10cm.official.safe_xml.parse_xml`, which refuses DTDs and entities.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from posixpath import dirname, join, normpath

from icd10cm.errors import SourceFileError
from icd10cm.official.safe_xml import parse_xml

__all__ = ["read_first_sheet", "read_sheet"]

_CELL = re.compile(r"([A-Z]+)(\d+)")


def _local(name: str) -> str:
    """``"sheet"`` for ``"sheet"`` or ``"x:sheet"`` (the parser keeps prefixes)."""
    return name.rpartition(":")[2]


def _all(element: ET.Element, name: str) -> list[ET.Element]:
    """Every element below *element* (or itself) with local name *name*, in order."""
    return [e for e in element.iter() if _local(e.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((e for e in element if _local(e.tag) == name), None)


def _attribute(element: ET.Element, name: str) -> str | None:
    """An attribute by local name (``r:id`` is found as ``id``)."""
    return next((v for k, v in element.attrib.items() if _local(k) == name), None)


def _text(element: ET.Element) -> str:
    """The text of a string item: plain ``<t>`` or the runs of rich text (not the
    phonetic ``<rPh>`` runs)."""
    if _local(element.tag) == "rPh":
        return ""
    if _local(element.tag) == "t":
        return element.text or ""
    return "".join(_text(child) for child in element)


def _column(reference: str, file: str) -> int:
    match = _CELL.fullmatch(reference)
    if match is None:
        raise SourceFileError(file, f"cell reference {reference!r} is not like 'B12'")
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1


def _member(archive: zipfile.ZipFile, name: str, file: str) -> ET.Element:
    try:
        data = archive.read(name)
    except KeyError:
        raise SourceFileError(file, f"not a workbook: it has no {name}") from None
    return parse_xml(data, f"{file}!{name}")


def _sheets(archive: zipfile.ZipFile, file: str) -> dict[str, str]:
    """Worksheet name -> path of its XML part inside the archive, in workbook order."""
    workbook = _member(archive, "xl/workbook.xml", file)
    rels = _member(archive, "xl/_rels/workbook.xml.rels", file)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in _all(rels, "Relationship")}
    paths: dict[str, str] = {}
    for sheet in _all(workbook, "sheet"):
        name = sheet.get("name", "")
        rel_id = _attribute(sheet, "id")
        target = targets.get(rel_id)
        if target is None:
            raise SourceFileError(file, f"worksheet {name!r}: relationship {rel_id!r} is missing")
        if target.startswith("/"):
            paths[name] = target.lstrip("/")
        else:
            paths[name] = normpath(join(dirname("xl/workbook.xml"), target))
    if not paths:
        raise SourceFileError(file, "the workbook has no worksheet")
    return paths


def _number(value: str) -> str:
    """``"2017"`` for ``"2017"`` or ``"2017.0"``; other numbers as written."""
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value


def read_first_sheet(data: bytes, file: str) -> list[list[str]]:
    """The rows of the first worksheet (see :func:`read_sheet`)."""
    return read_sheet(data, file, None)


def read_sheet(data: bytes, file: str, name: str | None) -> list[list[str]]:
    """The rows of worksheet *name* (None: the first one), each a list of cell texts
    (``""`` where empty).

    Numbers come as their shortest text (``2017``, not ``2017.0``); cells keep
    their column, so a row ``A1, C1`` gives ``[a, "", c]``. A workbook without a
    worksheet of that name raises :class:`SourceFileError`.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SourceFileError(file, f"not an xlsx workbook (zip): {exc}") from exc
    with archive:
        names = set(archive.namelist())
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            strings = _member(archive, "xl/sharedStrings.xml", file)
            shared = [_text(item) for item in _all(strings, "si")]
        paths = _sheets(archive, file)
        if name is None:
            name = next(iter(paths))
        if name not in paths:
            raise SourceFileError(
                file, f"no worksheet named {name!r}; it has {', '.join(map(repr, paths))}"
            )
        sheet = _member(archive, paths[name], file)
    rows: list[list[str]] = []
    for row in _all(sheet, "row"):
        cells: dict[int, str] = {}
        for position, cell in enumerate(e for e in row if _local(e.tag) == "c"):
            reference = cell.get("r")
            column = position if reference is None else _column(reference, file)
            kind = cell.get("t", "n")
            value = _child(cell, "v")
            raw = value.text or "" if value is not None else ""
            if kind == "s":
                try:
                    text = shared[int(raw)]
                except (ValueError, IndexError):
                    raise SourceFileError(
                        file, f"cell {reference}: shared string {raw!r} does not exist"
                    ) from None
            elif kind == "inlineStr":
                inline = _child(cell, "is")
                text = "" if inline is None else _text(inline)
            elif kind == "n":
                text = _number(raw) if raw else ""
            else:  # "str" (a formula's text), "b" (0/1), "e" (an error such as #N/A)
                text = raw
            cells[column] = text
        width = max(cells, default=-1) + 1
        rows.append([cells.get(column, "") for column in range(width)])
    return rows
