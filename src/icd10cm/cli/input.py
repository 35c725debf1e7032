"""Read the codes to validate from a CSV/TSV file or from stdin."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from icd10cm.errors import Icd10cmError

__all__ = ["InputError", "read_column"]


class InputError(Icd10cmError, ValueError):
    """Input the command line cannot use: an unreadable file, a missing column."""


def _text(source: str) -> tuple[str, str]:
    """The text of *source* (a path, or ``-`` for stdin) and a name for messages."""
    if source == "-":
        return sys.stdin.read(), "stdin"
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {source!r}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig"), source
    except UnicodeDecodeError as exc:
        raise InputError(f"{source!r} is not UTF-8 text (byte {exc.start}); "
                         "save it as UTF-8 and try again") from exc


def _delimiter(text: str, name: str) -> str:
    if name.lower().endswith((".tsv", ".tab")):
        return "\t"
    if name.lower().endswith(".csv"):
        return ","
    first = text.partition("\n")[0]
    return "\t" if "\t" in first else ","


def read_column(source: str, column: str | None, *, header: bool) -> list[str]:
    """The values of one column of a CSV/TSV file (``-``: stdin), in order.

    *column* is a header name or a 1-based number; without it the file must have
    one column. With ``header=False`` the first line is data and *column* must be
    a number.
    """
    text, name = _text(source)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, name)))
    rows = [row for row in rows if any(cell.strip() for cell in row)]  # blank lines
    if not rows:
        raise InputError(f"{name} has no rows")
    names = rows[0] if header else [str(n) for n in range(1, len(rows[0]) + 1)]
    data = rows[1:] if header else rows
    if column is None:
        if len(names) != 1:
            raise InputError(f"{name} has {len(names)} columns ({', '.join(names)}); "
                             "choose one with --column")
        index = 0
    elif column in names and header:
        index = names.index(column)
    elif column.isdigit() and 1 <= int(column) <= len(names):
        index = int(column) - 1
    else:
        raise InputError(f"{name} has no column {column!r}; its columns are "
                         f"{', '.join(repr(n) for n in names)}")
    values = []
    for line, row in enumerate(data, start=2 if header else 1):
        if index >= len(row):
            raise InputError(f"{name}, row {line}: has {len(row)} column(s), "
                             f"no column {index + 1}")
        values.append(row[index])
    return values
