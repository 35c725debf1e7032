"""The cross-release table format of the bundled data.

A table is a UTF-8 text file that stores each distinct row once, column by
column, and then, for every release, which rows it has and in which order::

    icd10cm-table/1<TAB>NAME
    columns<TAB>COL1<TAB>COL2 ...
    rows<TAB>N
    N lines of column 1, then N lines of column 2, ...
    releases<TAB>M
    M lines: RELEASE_ID<TAB>SELECTION

A selection lists row numbers as comma-separated tokens, ``A`` for one row or
``A+K`` for the K rows A, A+1, ..., A+K-1. Values escape backslash, tab,
newline and carriage return with a backslash. The writer is deterministic:
the same rows give the same bytes. Tables are stored uncompressed: the wheel
(a zip) compresses them anyway, reading needs no decompression, and the bytes
do not depend on the zlib that wrote them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

import attrs

__all__ = ["Table", "decode_table", "encode_table"]

MAGIC = "icd10cm-table/1"
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


class TableFormatError(ValueError):
    """The bytes are not a table this version can read."""


@attrs.frozen
class Table:
    """A decoded table: its columns, and each release's row selection (still encoded)."""

    name: str
    columns: Mapping[str, Sequence[str]]
    selections: Mapping[str, str]

    @property
    def row_count(self) -> int:
        return len(next(iter(self.columns.values()), ()))

    def rows(self, release_id: str) -> list[int] | None:
        """The row numbers of a release in its order, or None if it has no rows here."""
        selection = self.selections.get(release_id)
        return None if selection is None else decode_selection(selection, self.row_count)

    def select(self, release_id: str, *columns: str) -> list[tuple[str, ...]] | None:
        """Columns' values for a release, in the release's order; None if it has no rows."""
        rows = self.rows(release_id)
        if rows is None:
            return None
        if len(rows) < 2:
            return [tuple(self.columns[column][i] for i in rows) for column in columns]
        pick = itemgetter(*rows)
        return [pick(self.columns[column]) for column in columns]


def _escape(value: str) -> str:
    if any(ch in value for ch in _ESCAPES):
        return "".join(_ESCAPES.get(ch, ch) for ch in value)
    return value


def _unescape(value: str) -> str:
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            if nxt not in _UNESCAPES:
                raise TableFormatError(f"bad escape sequence in {value!r}")
            out.append(_UNESCAPES[nxt])
        else:
            out.append(ch)
    return "".join(out)


def encode_selection(rows: Sequence[int]) -> str:
    tokens: list[str] = []
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        tokens.append(str(rows[i]) if j == i else f"{rows[i]}+{j - i + 1}")
        i = j + 1
    return ",".join(tokens)


def decode_selection(text: str, row_count: int) -> list[int]:
    rows: list[int] = []
    if not text:
        return rows
    for token in text.split(","):
        start, plus, count = token.partition("+")
        first = int(start)
        n = int(count) if plus else 1
        if first < 0 or n < 1 or first + n > row_count:
            raise TableFormatError(f"selection token {token!r} is outside 0..{row_count - 1}")
        rows.extend(range(first, first + n))
    return rows


def encode_table(
    name: str,
    columns: Mapping[str, Sequence[str]],
    selections: Mapping[str, Sequence[int]],
) -> bytes:
    """Serialise a table to deterministic UTF-8 bytes."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"table {name}: columns differ in length: {sorted(lengths)}")
    row_count = lengths.pop() if lengths else 0
    out = io.StringIO()
    out.write(f"{MAGIC}\t{name}\n")
    out.write("columns\t" + "\t".join(columns) + "\n")
    out.write(f"rows\t{row_count}\n")
    for values in columns.values():
        for value in values:
            out.write(_escape(value))
            out.write("\n")
    out.write(f"releases\t{len(selections)}\n")
    for release_id, rows in selections.items():
        out.write(f"{release_id}\t{encode_selection(rows)}\n")
    return out.getvalue().encode("utf-8")


def table_text(data: bytes) -> str:
    """The text of a table file. Raises TableFormatError."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableFormatError(f"not UTF-8 text ({exc})") from exc


def decode_table(data: bytes) -> Table:
    """Parse bytes written by :func:`encode_table`. Raises TableFormatError."""
    return decode_text(table_text(data))


def decode_text(text: str) -> Table:
    """Parse the text of a table file. Raises TableFormatError."""
    if not text:
        raise TableFormatError("the file is empty")
    escaped = "\\" in text
    lines = text.split("\n")
    if not lines or lines[-1] != "":
        raise TableFormatError("file does not end with a newline (truncated?)")
    try:
        magic, name = lines[0].split("\t")
        if magic != MAGIC:
            raise TableFormatError(f"unknown format {magic!r}, expected {MAGIC!r}")
        head, *names = lines[1].split("\t")
        tag, count = lines[2].split("\t")
        if head != "columns" or tag != "rows":
            raise TableFormatError("missing columns/rows header")
        row_count = int(count)
        pos = 3
        columns: dict[str, list[str]] = {}
        for column in names:
            values = lines[pos : pos + row_count]
            if len(values) != row_count:
                raise TableFormatError(f"column {column!r} is truncated")
            if escaped:
                values = [_unescape(value) if "\\" in value else value for value in values]
            columns[column] = values
            pos += row_count
        tag, count = lines[pos].split("\t")
        if tag != "releases":
            raise TableFormatError(f"expected the releases section at line {pos + 1}")
        selections: dict[str, str] = {}
        release_lines = lines[pos + 1 : pos + 1 + int(count)]
        if len(release_lines) != int(count) or pos + 1 + int(count) != len(lines) - 1:
            raise TableFormatError("releases section is truncated or followed by extra lines")
        for line in release_lines:
            release_id, selections[release_id] = line.split("\t")
    except (ValueError, IndexError) as exc:
        if isinstance(exc, TableFormatError):
            raise
        raise TableFormatError(f"malformed table ({exc})") from exc
    return Table(name=name, columns=columns, selections=selections)


def merge_rows(
    per_release: Mapping[str, Iterable[tuple[str, ...]]],
) -> tuple[list[tuple[str, ...]], dict[str, list[int]]]:
    """Store each distinct row once and describe every release as a selection.

    Rows keep the order in which they are first met, walking the releases in
    the given order, so the first release's selection is a single run and the
    others are mostly long runs.
    """
    index: dict[tuple[str, ...], int] = {}
    rows: list[tuple[str, ...]] = []
    selections: dict[str, list[int]] = {}
    for release_id, release_rows in per_release.items():
        chosen: list[int] = []
        for row in release_rows:
            number = index.get(row)
            if number is None:
                number = index[row] = len(rows)
                rows.append(row)
            chosen.append(number)
        selections[release_id] = chosen
    return rows, selections
