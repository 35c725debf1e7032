"""Parse the CMS/CDC ICD-10-CM order file (``icd10cm_order_YYYY.txt``).

Fixed width, 1-indexed columns: 1-5 order number, 7-13 code without the dot,
15 flag (0 header, 1 reportable), 17-76 short title, 78 on long title.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import attrs

from icd10cm.core.text import UNDOTTED
from icd10cm.errors import SourceFileError

__all__ = ["OrderRow", "decode_lines", "parse_order_file"]



@attrs.frozen
class OrderRow:
    """One order-file row: a reportable code or a header."""

    code: str  # undotted, as in the file
    billable: bool
    short_title: str
    title: str


def decode_lines(data: bytes, file: str) -> Iterator[str]:
    """The lines of a text file, without their line endings, one at a time (so that a
    file of millions of empty lines is refused at its first line, not held in memory)."""
    if data.startswith(codecs.BOM_UTF8):
        raise SourceFileError(file, "the file starts with a UTF-8 byte order mark (BOM), "
                                    "which official files do not have; save it without one", 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceFileError(file, f"byte {data[exc.start]:#04x} is not UTF-8 text", line) from exc
    if not text:
        raise SourceFileError(file, "file is empty")
    if not text.endswith("\n"):
        last = text.count("\n") + 1
        raise SourceFileError(file, "last line has no line ending: the file is truncated", last)
    return _lines(text)


def _lines(text: str) -> Iterator[str]:
    start = 0
    while start < len(text):
        end = text.index("\n", start)
        yield text[start:end].removesuffix("\r")
        start = end + 1


def parse_order_file(data: bytes, file: str) -> list[OrderRow]:
    """Parse an order file, strictly: any deviation names the file and line."""
    rows: list[OrderRow] = []
    for number, line in enumerate(decode_lines(data, file), start=1):
        if len(line) < 78 or line[5] != " " or line[13] != " " or line[15] != " ":
            raise SourceFileError(
                file, f"not an order-file row (fixed-width columns expected): {line!r}", number
            )
        order, code, flag = line[0:5], line[6:13].rstrip(), line[14]
        if order != f"{number:05d}":
            raise SourceFileError(file, f"order number {order!r}, expected {number:05d}", number)
        if not UNDOTTED.fullmatch(code):
            raise SourceFileError(file, f"malformed code {code!r}", number)
        if flag not in "01":
            raise SourceFileError(file, f"flag {flag!r} is neither 0 nor 1", number)
        short_title, title = line[16:76].rstrip(), line[77:]
        if not short_title or not title or title != title.strip():
            raise SourceFileError(file, f"missing or padded title in {line!r}", number)
        rows.append(OrderRow(code, flag == "1", short_title, title))
    return rows
