"""Read the codes to validate from a CSV/TSV file or from stdin."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from icd10cm.errors import Icd10cmError, quote

__all__ = ["InputError", "other_delimiter", "read_column"]

# A byte that is not UTF-8, as decoding with errors="surrogateescape" keeps it.
_UNDECODED = re.compile("[\udc80-\udcff]")


class InputError(Icd10cmError, ValueError):
    """Input the command line cannot use: an unreadable file, a missing column."""


def _bytes(source: str) -> tuple[bytes, str]:
    """The bytes of *source* (a path, or ``-`` for stdin) and a name for messages."""
    if source != "-":
        try:
            return Path(source).read_bytes(), source
        except OSError as exc:
            raise InputError(f"cannot read {quote(source)}: {exc.strerror or exc}") from exc
    stdin = sys.stdin
    if stdin is None:
        raise InputError("cannot read stdin: it is closed; give the codes as arguments or "
                         "with --file PATH")
    try:
        buffer = getattr(stdin, "buffer", None)  # None: a text stream (as in tests)
        if buffer is None:
            return stdin.read().encode("utf-8", "surrogateescape"), "stdin"
        data: bytes = buffer.read()
    except OSError as exc:
        raise InputError(f"cannot read stdin: {exc.strerror or exc}") from exc
    return data, "stdin"


# The first bytes of files that are not CSV text, and what to do with each.
_SIGNATURES = (
    (b"PK\x03\x04", "a zip file, such as an Excel workbook (.xlsx): save the sheet as "
                     "CSV UTF-8 (or export the column) and give that file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls): save the sheet as CSV UTF-8 and "
                          "give that file"),
    (b"\xff\xfe", "UTF-16 text (it starts with a UTF-16 byte-order mark, as Excel's "
                  "'Unicode Text' has): save it as UTF-8"),
    (b"\xfe\xff", "UTF-16 text (it starts with a UTF-16 byte-order mark): save it as "
                  "UTF-8"),
)


def _not_text(data: bytes, name: str) -> None:
    """Raise for a workbook or UTF-16 file, which would otherwise be refused for a byte
    or a quote somewhere in it, without saying what the file is."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{name} is not a CSV or TSV file in UTF-8 but {what}")


# Delimiters that claims extracts use besides commas and tabs: a header cell holding one
# of them, when the file was read with another, suggests --delimiter.
_OTHER_DELIMITERS = (";", "|")


def _delimiter(text: str, name: str) -> str:
    if name.lower().endswith((".tsv", ".tab")):
        return "\t"
    if name.lower().endswith(".csv"):
        return ","
    first = text.partition("\n")[0]
    return "\t" if "\t" in first else ","


def _rows(text: str, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The rows of the file with their 1-based numbers (blank rows left out)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    read = 0  # lines read by the rows so far
    try:
        for number, row in enumerate(reader, start=1):
            read = reader.line_num
            if any(cell.strip() for cell in row):
                rows.append((number, row))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InputError(
                f"{name}, line {read + 1}: a quoted value starts on this line and is never "
                "closed; close the quote or remove it"
            ) from None
        raise InputError(f"{name}, line {reader.line_num}: not valid CSV: {exc}") from None
    return rows


def _undecodable(rows: list[tuple[int, list[str]]], names: list[str], name: str) -> None:
    """Raise for the first cell holding a byte that is not UTF-8."""
    for number, row in rows:
        for position, cell in enumerate(row):
            found = _UNDECODED.search(cell)
            if found is not None:
                named = position < len(names) and not _UNDECODED.search(names[position])
                column = names[position] if named else str(position + 1)
                raise InputError(
                    f"{name}, row {number}, column {column}: byte "
                    f"0x{ord(found.group()) - 0xDC00:02X} is not UTF-8; save the file as "
                    "UTF-8 and try again"
                )


# Text without these has one cell a line when it has no delimiter either: the csv module
# would read its rows as str.splitlines() splits its lines (it splits at all of these).
_NOT_PLAIN = ('"', "\0", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def _plain_cells(text: str, delimiter: str) -> list[str] | None:
    """The cells of the rows that are not blank, when *text* has one column and no
    quotes (most claims extracts): read as :func:`_rows` reads them, without the csv
    module and without a list per row; None for any other text."""
    if delimiter in text or any(char in text for char in _NOT_PLAIN):
        return None
    return [line for line in text.splitlines() if line.strip()]


def other_delimiter(cell: str, delimiter: str) -> str | None:
    """The delimiter that *cell* (a header) holds when the file was read with
    *delimiter*, and it is likely the file's own (``;`` or ``|``)."""
    return next((other for other in _OTHER_DELIMITERS
                 if other != delimiter and other in cell), None)


def _column_index(names: list[str], column: str | None, name: str, *, header: bool,
                  delimiter: str) -> int:
    """The position of *column* (see :func:`read_column`) among the columns *names*."""
    if column is None:
        if len(names) != 1:
            raise InputError(f"{name} has {len(names)} columns ({', '.join(names)}); "
                             "choose one with --column")
        return 0
    if column in names and header:
        same = [str(position + 1) for position, n in enumerate(names) if n == column]
        if len(same) > 1:
            raise InputError(f"{name} has {len(same)} columns named {quote(column)} (columns "
                             f"{' and '.join(same)}); choose one by number, as --column "
                             f"{same[0]}")
        return names.index(column)
    if column.isdigit() and 1 <= int(column) <= len(names):
        return int(column) - 1
    hint = ""
    if len(names) == 1 and (other := other_delimiter(names[0], delimiter)) is not None:
        hint = (f" (read as separated by {quote(delimiter)}; if {quote(other)} separates "
                f"the columns, give --delimiter {quote(other)})")
    raise InputError(f"{name} has no column {quote(column)}; its columns are "
                     f"{', '.join(quote(n) for n in names)}{hint}")


_NO_DATA = ("{} has a header row but no rows of data (if its first line is data, not a "
            "header, give --no-header)")


def read_column(source: str, column: str | None, *, header: bool,
                delimiter: str | None = None) -> tuple[list[str], str, str | None]:
    """The values of one column of a CSV/TSV file (``-``: stdin), in order, the
    delimiter the file was read with, and the column's header (None with
    ``header=False``).

    *column* is a header name or a 1-based number; without it the file must have
    one column. With ``header=False`` the first line is data and *column* must be
    a number. Without *delimiter*, a ``.tsv`` or ``.tab`` file is tab-separated, a
    ``.csv`` file comma-separated, and any other one tab-separated when its first
    line has a tab.
    """
    data, name = _bytes(source)
    _not_text(data, name)
    text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    del data
    if delimiter is None:
        delimiter = _delimiter(text, name)
    cells = None if _UNDECODED.search(text) else _plain_cells(text, delimiter)
    if cells is not None:  # one column
        del text
        if not cells:
            raise InputError(f"{name} has no rows")
        if header and len(cells) == 1:
            raise InputError(_NO_DATA.format(name))
        _column_index([cells[0]] if header else ["1"], column, name, header=header,
                      delimiter=delimiter)
        return (cells[1:], delimiter, cells[0]) if header else (cells, delimiter, None)
    rows = _rows(text, name, delimiter)
    if not rows:
        raise InputError(f"{name} has no rows")
    first = rows[0][1]
    names = first if header else [str(n) for n in range(1, len(first) + 1)]
    if _UNDECODED.search(text):
        _undecodable(rows, names, name)
    body = rows[1:] if header else rows
    if not body:
        raise InputError(_NO_DATA.format(name))
    index = _column_index(names, column, name, header=header, delimiter=delimiter)
    values = []
    for number, row in body:
        if index >= len(row):
            raise InputError(f"{name}, row {number}: has {len(row)} column(s), "
                             f"no column {index + 1}")
        values.append(row[index])
    return values, delimiter, names[index] if header else None
