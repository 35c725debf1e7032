"""Rows and codes of the Table of Drugs and Chemicals and of the Neoplasm Table."""

from __future__ import annotations

from typing import Union

import attrs

from icd10cm.core.info import Part
from icd10cm.core.seventh import SeventhCharacter, borrowed_meanings
from icd10cm.tables.columns import Behavior, Intent

__all__ = ["EMPTY_CELLS", "TableCode", "TableColumn", "TableRow", "table_name"]

#: A column of either table.
TableColumn = Union[Intent, Behavior]  # noqa: UP007 (a runtime alias on 3.10)

#: The empty mark of a cell: ``--`` in the Table of Drugs, ``-`` in the Neoplasm Table.
EMPTY_CELLS = ("--", "-")

_NAMES = {Part.DRUG: "Table of Drugs and Chemicals", Part.NEOPLASM: "Neoplasm Table"}


def table_name(part: Part) -> str:
    """``"Table of Drugs and Chemicals"`` or ``"Neoplasm Table"``."""
    return _NAMES[part]


@attrs.frozen
class TableRow:
    """One row of a table in one release: a substance or a neoplasm site.

    *path* runs from the main term down to this row, each title as printed
    with its nonessential modifiers (``("Carbamate (sedative)", "herbicide")``);
    *modifiers* are the nonessential modifiers of the row's own title.
    *cells* has one value per column, as printed: a code (``"T39.1X1"``,
    ``"C40.2-"``), the empty mark (``"--"``, or ``"-"`` in the Neoplasm Table),
    or ``""`` where the row has no cell in that column.

    *release* is the release the row serves and *source_release* the release whose
    official table prints it: they differ when the release has no table of its own
    and uses the nearest release's (:attr:`icd10cm.ReleaseInfo.borrowed`).
    """

    part: Part
    release: str
    path: tuple[str, ...]
    modifiers: tuple[str, ...]
    cells: tuple[str, ...]
    see: str | None = None
    see_also: str | None = None
    manif: str | None = None  # the text of the file's <manif> element (one neoplasm row)
    source_release: str = ""

    @property
    def borrowed(self) -> bool:
        """Whether the row comes from another release's table."""
        return self.source_release != self.release

    @property
    def term(self) -> str:
        """The row's own title (the last element of :attr:`path`)."""
        return self.path[-1]

    @property
    def columns(self) -> tuple[TableColumn, ...]:
        """The columns of the table, in the order of :attr:`cells`."""
        return tuple(Intent) if self.part is Part.DRUG else tuple(Behavior)

    @property
    def has_codes(self) -> bool:
        """Whether any cell of the row holds a code."""
        return any(cell and cell not in EMPTY_CELLS for cell in self.cells)

    def cell(self, column: TableColumn) -> str:
        """The cell of *column* as printed (``""`` when the row has none)."""
        return self.cells[self.columns.index(column)]

    def __str__(self) -> str:
        return " > ".join(self.path)


@attrs.frozen
class TableCode:
    """The code that a table gives for a row and a column, in one release.

    *code* is the code as printed without the table's trailing ``-`` (which
    says that more characters are needed); *printed* is the cell as printed.
    *is_complete* says whether the code is reportable as it is in the release (the
    order file decides: the table prints ``D16.9-`` although ``D16.9`` is reportable);
    *seventh_characters* are the 7th characters that a stem takes there
    (``T39.1X1`` becomes ``T39.1X1A``: see :func:`icd10cm.add_seventh_character`);
    *children* are the codes one level below a code that needs more characters
    (``C40.20``, ``C40.21``, ``C40.22`` for ``C40.2-``); *in_release* is False for
    a code that the release's order file lacks. For a row borrowed from another
    release's table, *problem* says what changed for the code in this release
    (not a code here any more, or now a header); the code is then never complete.
    """

    code: str
    printed: str
    column: TableColumn
    row: TableRow
    is_complete: bool
    seventh_characters: tuple[SeventhCharacter, ...] = ()
    children: tuple[str, ...] = ()
    in_release: bool = True
    problem: str | None = None

    @property
    def needs_seventh_character(self) -> bool:
        return bool(self.seventh_characters)

    @property
    def path(self) -> tuple[str, ...]:
        return self.row.path

    @property
    def see(self) -> str | None:
        return self.row.see

    @property
    def see_also(self) -> str | None:
        return self.row.see_also

    @property
    def release(self) -> str:
        return self.row.release

    @property
    def source_release(self) -> str:
        """The release whose table prints the code (see :attr:`TableRow.source_release`)."""
        return self.row.source_release

    @property
    def advice(self) -> str:
        """What the code still needs before it can be reported."""
        if self.is_complete:
            dash = (f" (the table prints {self.printed}, but the release's order file lists "
                    f"{self.code} as reportable)" if self.printed.endswith("-") else "")
            return f"{self.code} is a complete, reportable code{dash}"
        if self.needs_seventh_character:  # the full codes, with any placeholder X
            choices = "; ".join(f"{s.code} ({s.meaning})" for s in self.seventh_characters)
            first = self.seventh_characters[0]
            borrowed = borrowed_meanings(self.seventh_characters, self.release)
            return (f"{self.code} needs a 7th character (Guidelines I.A.5): {choices}; "
                    f"icd10cm.add_seventh_character({self.code!r}, {first.character!r}) "
                    f"gives {first.code}" + (f".{borrowed[:-1]}" if borrowed else ""))
        if self.problem is not None:
            return self.problem
        if not self.in_release:
            return f"{self.code} is not a code of release {self.row.release}"
        return f"{self.code} needs more characters: one of {', '.join(self.children)}"

    def __str__(self) -> str:
        return self.printed
