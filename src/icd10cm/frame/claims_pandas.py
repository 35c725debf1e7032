"""Check a pandas claims table, one row per diagnosis. Importing this module imports pandas."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from icd10cm.errors import UnsupportedTableError
from icd10cm.frame.claims import CheckedTable
from icd10cm.frame.encounters import SEVERITIES, Column, check_claims, claims_of
from icd10cm.frame.verdicts import exact_key, firsts
from icd10cm.releases.registry import ReleaseLike

__all__ = ["check", "column", "meta", "taken"]

_SEVERITIES = pd.CategoricalDtype(SEVERITIES)
_UNKNOWN_CATEGORIES = "__UNKNOWN_CATEGORIES__"  # Dask's mark of categories known only later


def column(table: pd.DataFrame, name: str) -> Column:
    """The column *name* of *table*, factorised."""
    values = table[name]
    try:
        ids, distinct = pd.factorize(values)
    except (TypeError, NotImplementedError):  # unhashable cells; Arrow lists and structs
        cells = values.tolist()
        ids, _ = pd.factorize(pd.Series([exact_key(cell) for cell in cells], dtype=object))
        return Column(name, np.asarray(ids, dtype=np.int64), firsts(ids.tolist(), cells))
    return Column(name, np.asarray(ids, dtype=np.int64), list(distinct.tolist()))


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
    claims = claims_of(names, list(table.columns), lambda name: column(table, name))
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
        import pyarrow as pa  # type: ignore[import-untyped]  # an ArrowDtype: it is installed

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
