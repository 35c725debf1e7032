"""Check a pandas claims table, one row per diagnosis. Importing this module imports pandas."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from icd10cm.errors import UnsupportedTableError
from icd10cm.frame.claims import CheckedTable
from icd10cm.frame.encounters import SEVERITIES, Column, check_claims, claims_of
from icd10cm.frame.ids import variants
from icd10cm.frame.verdicts import exact_key, firsts
from icd10cm.releases.registry import ReleaseLike

__all__ = ["check", "column", "comparable", "factorized_by_type", "meta", "taken", "typed_key"]

_SEVERITIES = pd.CategoricalDtype(SEVERITIES)
_UNKNOWN_CATEGORIES = "__UNKNOWN_CATEGORIES__"  # Dask's mark of categories known only later


def comparable(values: pd.Series) -> pd.Series:
    """*values*, a column of Arrow string or binary views as large strings or binaries:
    pandas factorises a view's nulls as ``""``, so an empty cell read as empty text."""
    kind = getattr(values.dtype, "pyarrow_dtype", None)
    if isinstance(values.dtype, pd.ArrowDtype) and kind is not None:
        import pyarrow as pa  # type: ignore[import-untyped]  # an ArrowDtype: it is installed

        wide = pa.large_string() if pa.types.is_string_view(kind) else \
            pa.large_binary() if pa.types.is_binary_view(kind) else None
        if wide is not None:  # cast by pyarrow: pandas cannot cast a view
            cast = pa.chunked_array(pa.array(values)).cast(wide)
            return pd.Series(pd.arrays.ArrowExtensionArray(cast), index=values.index)
    return values


def typed_key(cell: object) -> object:
    """A key under which *cell* is validated once: its type and value, or None for an
    empty cell (None, NaN, NaT, pandas' NA), which pandas factorises as one."""
    if cell is None or cell is pd.NA or cell is pd.NaT or \
            (isinstance(cell, float) and cell != cell):
        return None
    return (type(cell), exact_key(cell))


def factorized_by_type(values: pd.Series, *, nulls: bool) -> tuple[Any, list[object]]:
    """``pd.factorize(values)`` (with *nulls*, the empty cells one of the values), but with
    the cells of an object column that pandas takes as one value though their types
    differ (``1``, ``1.0``, ``True``; ``250`` and ``250.0``) told apart, as
    :func:`icd10cm.validate` tells them apart. Only the rows of the distinct values that
    are not text are looked at again, so a column of text costs no more."""
    ids, distinct = pd.factorize(values, use_na_sentinel=not nulls)
    cells = list(distinct)
    if values.dtype != object:
        return ids, cells
    loose = [index for index, cell in enumerate(cells)
             if not isinstance(cell, str) and typed_key(cell) is not None]
    if not loose:
        return ids, cells
    picked = np.flatnonzero(np.isin(ids, loose))
    sub = values.iloc[picked].tolist()
    sub_ids, _ = pd.factorize(pd.Series([typed_key(cell) for cell in sub], dtype=object))
    kept = np.setdiff1d(np.arange(len(cells)), loose)
    renumbered = np.full(len(cells) + 1, -1, dtype=np.int64)  # the last: nulls (-1)
    renumbered[kept] = np.arange(len(kept), dtype=np.int64)
    new_ids = renumbered[ids]
    new_ids[picked] = len(kept) + sub_ids
    return new_ids, [cells[index] for index in kept.tolist()] + firsts(sub_ids.tolist(), sub)


def column(table: pd.DataFrame, name: str, *, by_type: bool = False) -> Column:
    """The column *name* of *table*, factorised. With *by_type*, cells of an object column
    that pandas takes as one value (``1``, ``1.0``, ``True``) are distinct values, as
    they are to :func:`icd10cm.validate` (a code ``250.0`` is not "250, got int")."""
    values = comparable(table[name])
    try:
        if by_type and values.dtype == object:
            ids, cells = factorized_by_type(values, nulls=False)
        else:
            ids, distinct = pd.factorize(values)
            cells = list(distinct.tolist())
            if values.dtype == object and pd.api.types.infer_dtype(distinct) != "string":
                # the ids as pandas groups them, and those it gives cells of several kinds
                return Column(name, np.asarray(ids, dtype=np.int64), cells,
                              _merged(values, ids, cells))
    except (TypeError, NotImplementedError):  # unhashable cells; Arrow lists and structs
        every = values.tolist()
        key = typed_key if by_type else exact_key
        ids, _ = pd.factorize(pd.Series([key(cell) for cell in every], dtype=object))
        cells = firsts(ids.tolist(), every)
        if not by_type:
            return Column(name, np.asarray(ids, dtype=np.int64), cells,
                          variants(ids.tolist(), every))
    return Column(name, np.asarray(ids, dtype=np.int64), cells)


def _merged(values: pd.Series, ids: Any, cells: list[object]) -> dict[int, tuple[object, ...]]:
    """The ids of an object column that pandas gives cells equal in Python but of
    different kinds (``1``, ``1.0``, ``True``; see :mod:`icd10cm.frame.ids`). Only the
    rows of the ids whose first cell is not text are looked at: text is equal to text
    only (and a column of text only is not looked at at all)."""
    loose = [index for index, cell in enumerate(cells) if not isinstance(cell, str)]
    if not loose:
        return {}
    picked = np.flatnonzero(np.isin(ids, loose))
    return variants(ids[picked].tolist(), values.iloc[picked].tolist())


def check(
    table: pd.DataFrame,
    *,
    encounter: str = "encounter",
    code: str = "code",
    position: str = "position",
    setting: str | None = None,
    date: str | None = None,
    poa: str | None = None,
    release: ReleaseLike | None = None,
    own_data_only: bool = False,
) -> CheckedTable:
    """Check each encounter of a pandas DataFrame; see :func:`icd10cm.frame.check`.

    The tables are DataFrames with a new RangeIndex. ``encounter`` keeps the
    input column's dtype; ``rule``, ``severity``, ``release``,
    ``source_release`` (and the order table's ``rule``) are categorical;
    ``positions``, ``codes`` and ``suggestions`` hold tuples.
    """
    if not isinstance(table, pd.DataFrame):
        raise UnsupportedTableError(table)
    names = {"encounter": encounter, "code": code, "position": position,
             "setting": setting, "date": date, "poa": poa}
    claims = claims_of(names, list(table.columns),  # the ids compared as pandas does
                       lambda name: column(table, name, by_type=name != encounter))
    found, order = check_claims(claims, release=release, own_data_only=own_data_only)
    ids = table[encounter]
    findings = pd.DataFrame({
        "encounter": taken(ids, found.row),
        "rule": _categorical(found.rule),
        "severity": pd.Categorical.from_codes(found.severity, dtype=_SEVERITIES),
        "positions": _objects(found.positions()),
        "codes": _objects(found.codes),
        "message": _objects(found.message),
        "suggestions": _objects(found.suggestions),
        "release": _categorical(found.release),
        "source_release": _categorical(found.source_release),
    })
    ordered = pd.DataFrame({
        "encounter": taken(ids, order.row),
        "position": order.position,
        "code": _objects(order.code),
        "from_position": order.from_position,
        "rule": _categorical(order.rule),
    })
    return CheckedTable(findings, ordered)


def taken(values: pd.Series, rows: Any) -> pd.Series:
    """The *rows* of *values*, in its dtype, with a new RangeIndex. A column of Arrow string
    or binary views, or run-end encoded, is taken by pyarrow: pandas cannot take it."""
    if isinstance(values.dtype, pd.ArrowDtype):
        import pyarrow as pa  # an ArrowDtype: it is installed

        from icd10cm.frame.claims_arrow import taken

        chosen = taken(pa.chunked_array(pa.array(values)), pa.array(rows, pa.int64()))
        return pd.Series(pd.arrays.ArrowExtensionArray(chosen), dtype=values.dtype)
    return values.iloc[rows].reset_index(drop=True)


def _categorical(values: Any) -> pd.Categorical:
    """A categorical of strings and None: factorised first, as pd.Categorical is slower."""
    codes, categories = pd.factorize(np.asarray(values, dtype=object))
    return pd.Categorical.from_codes(codes, categories=categories)


def _objects(values: Any) -> pd.Series:
    return pd.Series(values, dtype=object)


def meta(encounter_dtype: Any = "int64") -> CheckedTable:
    """Empty tables with the columns and dtypes :func:`check` returns, for Dask's
    ``meta=``: *encounter_dtype* is the dtype of the encounter id column. The
    categories of the categorical columns other than ``severity`` depend on the
    data, so they are left unknown."""
    empty = pd.DataFrame({"encounter": pd.Series(dtype=encounter_dtype),
                          "code": pd.Series(dtype=object),
                          "position": pd.Series(dtype="int64")})
    unknown = pd.CategoricalDtype([_UNKNOWN_CATEGORIES])
    tables = [table.astype({name: unknown for name in table.columns
                            if name != "severity" and table[name].dtype == "category"})
              for table in check(empty)]
    return CheckedTable(*tables)
