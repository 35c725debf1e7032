"""The Table of Drugs and Chemicals and the Neoplasm Table of a release.

>>> import icd10cm
>>> icd10cm.drug("Acetaminophen", "accidental", release="2025").code
'T39.1X1'
>>> icd10cm.neoplasm("bone > femur", "malignant_primary", release="2025").printed
'C40.2-'

A release whose own official files lack a table uses the nearest release's
(same fiscal year first, then the nearest earlier, then the nearest later):
every row says whose table it comes from (``source_release``), and every code
is re-checked against the release it serves. ``own_data_only=True`` refuses
another release's table with :class:`~icd10cm.errors.TableUnavailableError`,
which names the nearest releases that have one.

>>> row = icd10cm.drug_row("Acetaminophen", release="2027")
>>> row.release, row.source_release
('2027', '2026-04')
"""

from __future__ import annotations

from collections.abc import Iterator

from icd10cm.codes.seventh import seventh_characters
from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.errors import NoTableCodeError, UnknownTableColumnError, quote
from icd10cm.releases.recheck import code_problem
from icd10cm.releases.registry import ReleaseLike, load_release, resolve_release
from icd10cm.tables.columns import Behavior, Intent
from icd10cm.tables.loading import LoadedTable, TableTerm, loaded_table
from icd10cm.tables.rows import EMPTY_CELLS, TableCode, TableColumn, TableRow

__all__ = [
    "drug",
    "drug_row",
    "drug_rows",
    "neoplasm",
    "neoplasm_row",
    "neoplasm_rows",
    "table_code",
]


def _column(value: object, kind: type[Intent] | type[Behavior], what: str) -> TableColumn:
    if isinstance(value, kind):
        return value
    if isinstance(value, str) and not isinstance(value, (Intent, Behavior)):
        wanted = value.strip().lower().replace("-", "_").replace(" ", "_")
        for column in kind:
            if wanted == column.value:
                return column
    raise UnknownTableColumnError(value, what, (column.value for column in kind))


def _table(part: Part, release: ReleaseLike | None, own_data_only: bool) -> LoadedTable:
    return loaded_table(part, resolve_release(release), own_data_only=own_data_only)


def drug_row(
    substance: TableTerm, *, release: ReleaseLike | None = None, own_data_only: bool = False
) -> TableRow:
    """The row of the Table of Drugs and Chemicals for *substance*, with all its columns.

    *substance* is a main term (``"Acetaminophen"``) or a path of terms, as a
    tuple or joined with ``>`` (``"Alcohol > beverage"``).
    """
    table = _table(Part.DRUG, release, own_data_only)
    return table.row(table.find(substance))


def neoplasm_row(
    site: TableTerm, *, release: ReleaseLike | None = None, own_data_only: bool = False
) -> TableRow:
    """The row of the Neoplasm Table for *site*, with all its columns.

    *site* is a path of terms, as a tuple or joined with ``>``; the main term
    ``"Neoplasm, neoplastic"`` may be left out (``"bone > femur"``).
    """
    table = _table(Part.NEOPLASM, release, own_data_only)
    return table.row(table.find(site))


def drug_rows(
    *, release: ReleaseLike | None = None, own_data_only: bool = False
) -> Iterator[TableRow]:
    """Every row of the release's Table of Drugs and Chemicals, in the table's order."""
    table = _table(Part.DRUG, release, own_data_only)
    return (table.row(number) for number in range(len(table)))


def neoplasm_rows(
    *, release: ReleaseLike | None = None, own_data_only: bool = False
) -> Iterator[TableRow]:
    """Every row of the release's Neoplasm Table, in the table's order."""
    table = _table(Part.NEOPLASM, release, own_data_only)
    return (table.row(number) for number in range(len(table)))


def drug(
    substance: TableTerm,
    intent: Intent | str,
    *,
    release: ReleaseLike | None = None,
    own_data_only: bool = False,
) -> TableCode:
    """The code the Table of Drugs and Chemicals gives for a substance and an intent.

    *intent* is an :class:`~icd10cm.tables.columns.Intent` or its value
    (``"accidental"``, ``"intentional_self_harm"``, ``"assault"``,
    ``"undetermined"``, ``"adverse_effect"``, ``"underdosing"``). The code is a
    stem that needs a 7th character (``T39.1X1``): see
    :attr:`~icd10cm.tables.rows.TableCode.advice`.
    """
    column = _column(intent, Intent, "intent")
    table = _table(Part.DRUG, release, own_data_only)
    return _code(table, table.find(substance), column)


def neoplasm(
    site: TableTerm,
    behavior: Behavior | str,
    *,
    release: ReleaseLike | None = None,
    own_data_only: bool = False,
) -> TableCode:
    """The code the Neoplasm Table gives for a site and a behavior.

    *behavior* is a :class:`~icd10cm.tables.columns.Behavior` or its value
    (``"malignant_primary"``, ``"malignant_secondary"``, ``"ca_in_situ"``,
    ``"benign"``, ``"uncertain"``, ``"unspecified"``).
    """
    column = _column(behavior, Behavior, "behavior")
    table = _table(Part.NEOPLASM, release, own_data_only)
    return _code(table, table.find(site), column)


def table_code(row: TableRow, column: TableColumn) -> TableCode:
    """The code in one cell of a row (from :func:`drug_row` or :func:`neoplasm_row`).

    Raises :class:`~icd10cm.errors.NoTableCodeError` when the cell is empty.
    """
    part = Part.DRUG if isinstance(column, Intent) else Part.NEOPLASM
    if part is not row.part:
        wanted = "an Intent" if row.part is Part.DRUG else "a Behavior"
        raise TypeError(f"{quote(column)} is not a column of the {row.part.value} table row "
                        f"{str(row)!r}: pass {wanted}")
    table = loaded_table(part, load_release(row.release))
    return _code(table, table.find(row.path), column)


def _code(table: LoadedTable, number: int, column: TableColumn) -> TableCode:
    row = table.row(number)
    printed = row.cell(column)
    if not printed or printed in EMPTY_CELLS:
        raise NoTableCodeError(str(row), column.label, table.name,
                               _why_empty(table, number, column))
    code = printed.rstrip("-").rstrip(".")  # "C40.2-" -> "C40.2", "D05.-" -> "D05"
    return _resolved(table.release, code, printed, column, row)


def _resolved(release: Release, code: str, printed: str, column: TableColumn,
              row: TableRow) -> TableCode:
    found = release.get(code)
    complete = found is not None and found.is_billable  # the order file decides
    sevenths = () if complete else seventh_characters(code, release=release)
    children = () if complete or sevenths or found is None else found.children
    in_release = found is not None or bool(sevenths)
    problem = None
    if row.borrowed and not sevenths:  # re-checked against the release it now serves
        problem = code_problem(code, release, row.source_release)
    return TableCode(code=code, printed=printed, column=column, row=row,
                     is_complete=complete and problem is None, seventh_characters=sevenths,
                     children=tuple(child.value for child in children),
                     in_release=in_release, problem=problem)


def _why_empty(table: LoadedTable, number: int, column: TableColumn) -> str:
    row = table.row(number)
    printed = row.cell(column)
    others = [f"{c.value} {cell}" for c, cell in zip(row.columns, row.cells, strict=True)
              if cell and cell not in EMPTY_CELLS]
    listed = f" The row's codes: {', '.join(others)}." if others else ""
    if printed:
        meaning = ("ICD-10-CM has no code for this substance and intent"
                   if row.part is Part.DRUG
                   else "ICD-10-CM has no code for a neoplasm of this behavior at this site")
        return f"the table marks the cell {printed!r}: {meaning}.{listed}"
    if others:
        return f"the row has no cell in this column.{listed}"
    if row.see:
        return f"the row has no codes of its own: see {row.see!r}."
    below = table.children(number)
    if below:
        names = "; ".join(repr(str(child)) for child in below)
        return f"the row has no codes of its own; it heads {len(below)} subterms: {names}."
    also = f" See also {row.see_also!r}." if row.see_also else ""
    return f"the row has no codes of its own.{also}"
