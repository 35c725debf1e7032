"""Printing a row of the Table of Drugs or the Neoplasm Table (``drug``, ``neoplasm``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


def print_code(code: TableCode) -> None:
    """The code, its row and column, and what it still needs."""
    print(f"{code.printed}  {code.row} | {code.column.label}" + (
        "" if not code.row.borrowed
        else f" (from the table of release {code.source_release})"))
    print(f"    {code.advice}")
    if code.see_also:
        print(f"    see also: {code.see_also}")
