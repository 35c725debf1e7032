"""Check a polars claims table, one row per diagnosis. Importing this module imports polars
and numpy."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from icd10cm.errors import UnsupportedTableError
from icd10cm.frame.claims import CheckedTable
from icd10cm.frame.encounters import (
    SEVERITIES,
    Column,
    check_claims,
    claims_of,
    distinct,
    flattened,
)
from icd10cm.frame.ids import factorized_ids
from icd10cm.frame.verdicts import factorized
from icd10cm.releases.registry import ReleaseLike

__all__ = ["check", "column"]

_SEVERITIES = pl.Enum(SEVERITIES)
_KEY, _ID = "__icd10cm_value__", "__icd10cm_id__"
_SEPARATOR = "\x1f"  # the unit separator: no code holds it


def _lists(flat: pl.Series, sizes: Any) -> pl.Series:
    """A list column whose row *i* holds the next ``sizes[i]`` values of *flat*.

    Built by grouping: polars makes a list column from Python tuples some ten
    times more slowly.
    """
    count = len(sizes)
    owners = pl.Series(_ID, np.repeat(np.arange(count, dtype=np.int64), sizes))
    grouped = pl.DataFrame([owners, flat.alias(_KEY)]).group_by(_ID, maintain_order=True).agg(
        pl.col(_KEY))
    every = pl.DataFrame({_ID: np.arange(count, dtype=np.int64)})
    joined = every.join(grouped, on=_ID, how="left", maintain_order="left")[_KEY]
    return joined.fill_null(pl.Series([[]], dtype=pl.List(flat.dtype)))


def _shared_lists(items: list[tuple[str, ...]]) -> pl.Series:
    """:func:`_string_lists` of *items* that share their tuples (the suggestions), built
    from the distinct tuples (see :func:`~icd10cm.frame.encounters.distinct`)."""
    objects, index = distinct(items)
    return _string_lists(objects).gather(index)


def _string_lists(items: list[tuple[str, ...]]) -> pl.Series:
    """A list column of strings: each item's strings joined by a separator, and split
    again by polars (four times faster than :func:`_lists`); by :func:`_lists` where a
    string holds the separator itself."""
    sizes = np.fromiter(map(len, items), np.int64, count=len(items))
    joined = pl.Series([_SEPARATOR.join(item) for item in items], dtype=pl.String)
    separators = joined.str.count_matches(_SEPARATOR, literal=True).sum() or 0
    if separators != int(np.maximum(sizes - 1, 0).sum()):
        flat, sizes = flattened(items)
        return _lists(pl.Series(flat, dtype=pl.String), sizes)
    empty = pl.lit([], dtype=pl.List(pl.String))  # an item of no strings, not of ""
    return pl.select(pl.when(pl.Series(sizes == 0)).then(empty)
                     .otherwise(joined.str.split(_SEPARATOR))).to_series()


def column(table: pl.DataFrame, name: str, *, encounter: bool = False) -> Column:
    """The column *name* of *table*, factorised. For the *encounter* ids of an Object
    column, cells equal in Python are one id, with any of different kinds (``1``,
    ``1.0``, ``True``) among its variants (see :mod:`icd10cm.frame.ids`)."""
    values = table[name]
    if values.dtype.is_float():  # NaN is an empty cell, as pandas reads it
        values = values.fill_nan(None)
    try:
        distinct = values.unique(maintain_order=True).drop_nulls()
    except pl.exceptions.InvalidOperationError:  # an Object column: compared in Python
        if encounter:
            numbers, firsts, merged = factorized_ids(values.to_list())
            return Column(name, np.asarray(numbers, dtype=np.int64), firsts, merged)
        positions, objects = factorized(values.to_list())
        return Column(name, np.asarray(positions, dtype=np.int64), objects)
    lookup = pl.DataFrame({_KEY: distinct,
                           _ID: pl.int_range(len(distinct), dtype=pl.Int64, eager=True)})
    rows = values.alias(_KEY).to_frame()
    ids = rows.join(lookup, on=_KEY, how="left", maintain_order="left")[_ID].fill_null(-1)
    return Column(name, ids.to_numpy().astype(np.int64, copy=False), distinct.to_list())


def check(
    table: pl.DataFrame,
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
    """Check each encounter of a polars DataFrame; see :func:`icd10cm.frame.check`.

    ``encounter`` keeps the input column's dtype; ``rule``, ``release`` and
    ``source_release`` are ``Categorical``, ``severity`` an ``Enum``;
    ``positions`` is a list of ``Int64``, ``codes`` and ``suggestions`` lists
    of strings.
    """
    if not isinstance(table, pl.DataFrame):
        raise UnsupportedTableError(table)
    names = {"encounter": encounter, "code": code, "position": position,
             "setting": setting, "date": date, "poa": poa}
    claims = claims_of(names, table.columns,
                       lambda name: column(table, name, encounter=name == encounter))
    found, order = check_claims(claims, release=release, own_data_only=own_data_only)
    ids = table[encounter]
    findings = pl.DataFrame({
        "encounter": ids.gather(found.row),
        "rule": pl.Series(found.rule, dtype=pl.Categorical()),
        "severity": pl.Series(SEVERITIES, dtype=_SEVERITIES).gather(found.severity),
        "positions": _lists(pl.Series(found.position_values, dtype=pl.Int64),
                            np.diff(found.position_offsets)),
        "codes": _string_lists(found.codes),
        "message": pl.Series(found.message, dtype=pl.String),
        "suggestions": _shared_lists(found.suggestions),
        "release": pl.Series(found.release, dtype=pl.Categorical()),
        "source_release": pl.Series(found.source_release, dtype=pl.Categorical()),
    })
    ordered = pl.DataFrame({
        "encounter": ids.gather(order.row),
        "position": pl.Series(order.position, dtype=pl.Int64),
        "code": pl.Series(_strings(order.code), dtype=pl.String),
        "from_position": pl.Series(order.from_position, dtype=pl.Int64),
        "rule": pl.Series(_strings(order.rule), dtype=pl.Categorical()),
    })
    return CheckedTable(findings, ordered)


def _strings(values: Any) -> list[str | None]:
    listed: list[str | None] = values.tolist()
    return listed
