"""Printing a row of the Table of Drugs or the Neoplasm Table (``drug``, ``neoplasm``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icd10cm.cli.common import in_command_line_words

if TYPE_CHECKING:
    from collections.abc import Iterator

    from icd10cm.tables.rows import TableCode, TableRow

__all__ = ["print_code", "print_row"]


def print_row(row: TableRow) -> None:
    """The row's path, every column with its cell, and its references."""
    print(str(row) + ("" if not row.borrowed
                      else f" (from the table of release {row.source_release})"))
    if row.modifiers:
        print(f"    nonessential modifiers: {' '.join(row.modifiers)}")
    if row.manif:
        print(f"    {row.manif}")
    if row.see:
        print(f"    see: {row.see}")
    if row.see_also:
        print(f"    see also: {row.see_also}")
    if any(row.cells):
        width = max(len(column.label) for column in row.columns)
        for column, cell in zip(row.columns, row.cells, strict=True):
            print(f"    {column.label.ljust(width)}  {cell or '(no cell)'}")
    subterms = [below for below in _rows(row) if below.path[:-1] == row.path]
    if subterms:  # a heading has no codes of its own: its subterms have them
        print(f"    subterms ({len(subterms)}):")
        for below in subterms:
            print(f"      {below.term}" + (f" - see {below.see}" if below.see else ""))


def _rows(row: TableRow) -> Iterator[TableRow]:
    """Every row of the table that *row* comes from, for the release it serves."""
    from icd10cm.core.info import Part
    from icd10cm.tables.lookup import drug_rows, neoplasm_rows

    rows = drug_rows if row.part is Part.DRUG else neoplasm_rows
    return rows(release=row.release)


def print_code(code: TableCode) -> None:
    """The code, its row and column, and what it still needs."""
    print(f"{code.printed}  {code.row} | {code.column.label}" + (
        "" if not code.row.borrowed
        else f" (from the table of release {code.source_release})"))
    print(f"    {in_command_line_words(code.advice)}")
    if code.see_also:
        print(f"    see also: {code.see_also}")
