"""Check a pyarrow claims table, one row per diagnosis. Importing this module imports
pyarrow and numpy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from icd10cm.errors import UnsupportedTableError
from icd10cm.frame.claims import CheckedTable
from icd10cm.frame.encounters import SEVERITIES, Column, check_claims, claims_of, distinct
from icd10cm.frame.ids import factorized_ids
from icd10cm.frame.verdicts import factorized
from icd10cm.releases.registry import ReleaseLike

__all__ = ["check", "column", "schemas", "taken"]

_STRING = pa.dictionary(pa.int32(), pa.string())
_SEVERITIES = pa.array(SEVERITIES, pa.string())


def column(table: pa.Table | pa.RecordBatch, name: str, *, encounter: bool = False) -> Column:
    """The column *name* of *table*, factorised. For the *encounter* ids of a union
    column, the one Arrow type whose cells may differ in type, cells equal in Python are
    one id, with any of different kinds (``1``, ``1.0``, ``True``) among its variants
    (see :mod:`icd10cm.frame.ids`)."""
    values = table.column(name)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    kind = values.type
    if encounter and pa.types.is_union(kind):
        ids, firsts, merged = factorized_ids(values.to_pylist())
        return Column(name, np.asarray(ids, dtype=np.int64), firsts, merged)
    if pa.types.is_null(kind):  # every cell empty (its dictionary would hold a null)
        return Column(name, np.full(len(values), -1, dtype=np.int64), [])
    if pa.types.is_dictionary(kind):  # its dictionary may repeat values: encode afresh
        values, kind = values.cast(kind.value_type), kind.value_type
    if pa.types.is_string_view(kind):
        values = values.cast(pa.large_string())
    elif pa.types.is_binary_view(kind):
        values = values.cast(pa.large_binary())
    elif pa.types.is_floating(kind):  # NaN is an empty cell, as pandas reads it
        values = pc.if_else(pc.is_nan(values), pa.scalar(None, kind), values)
    try:
        encoded = pc.dictionary_encode(values)
    except pa.ArrowNotImplementedError:  # lists, structs, maps: compared in Python
        ids, distinct = factorized(values.to_pylist())
        return Column(name, np.asarray(ids, dtype=np.int64), distinct)
    ids = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return Column(name, ids, encoded.dictionary.to_pylist())


def taken(values: pa.Array | pa.ChunkedArray, rows: pa.Array) -> pa.Array | pa.ChunkedArray:
    """``values.take(rows)``, in the type of *values*: Arrow takes no string or binary
    views and no run-end encoded arrays, so these are taken in a type it takes and cast
    (or encoded) back."""
    kind = values.type
    if pa.types.is_run_end_encoded(kind):
        plain = taken(pc.run_end_decode(values), rows)
        return pc.run_end_encode(plain, run_end_type=kind.run_end_type)
    if pa.types.is_string_view(kind) or pa.types.is_binary_view(kind):
        wide = pa.large_string() if pa.types.is_string_view(kind) else pa.large_binary()
        return values.cast(wide).take(rows).cast(kind)
    return values.take(rows)


def schemas(encounter_type: Any = None, *,
            dictionary: bool = True) -> tuple[pa.Schema, pa.Schema]:
    """The schemas of the findings and order tables :func:`check` returns, for a table
    whose encounter ids have the type *encounter_type* (default ``int64``).

    With ``dictionary=False`` the dictionary-encoded columns are plain strings:
    ``table.cast(schema)`` gives a table that Spark's ``mapInArrow`` takes.
    """
    encounter = pa.field("encounter", encounter_type or pa.int64())
    repeated = _STRING if dictionary else pa.string()
    strings = pa.list_(pa.string())
    findings = pa.schema([
        encounter, ("rule", repeated), ("severity", repeated),
        ("positions", pa.list_(pa.int64())), ("codes", strings), ("message", pa.string()),
        ("suggestions", strings), ("release", repeated), ("source_release", repeated),
    ])
    order = pa.schema([encounter, ("position", pa.int64()), ("code", pa.string()),
                       ("from_position", pa.int64()), ("rule", repeated)])
    return findings, order


def check(
    table: pa.Table | pa.RecordBatch | pa.RecordBatchReader,
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
    """Check each encounter of a pyarrow Table, RecordBatch or RecordBatchReader (read
    whole first); see :func:`icd10cm.frame.check`.

    The result is two Tables with the schemas of :func:`schemas`: the string
    columns that repeat are dictionary-encoded, ``positions`` is a list of
    ``int64``, ``codes`` and ``suggestions`` lists of strings, and
    ``encounter`` keeps the input column's type.
    """
    if isinstance(table, pa.RecordBatchReader):  # such as DuckDB's relation.arrow()
        table = table.read_all()
    if not isinstance(table, (pa.Table, pa.RecordBatch)):
        raise UnsupportedTableError(table)
    names = {"encounter": encounter, "code": code, "position": position,
             "setting": setting, "date": date, "poa": poa}
    claims = claims_of(names, table.column_names,
                       lambda name: column(table, name, encounter=name == encounter))
    found, order = check_claims(claims, release=release, own_data_only=own_data_only)
    ids = table.column(encounter)
    finding_schema, order_schema = schemas(ids.type)
    findings = pa.table({
        "encounter": taken(ids, pa.array(found.row, pa.int64())),
        "rule": _encoded(found.rule),
        "severity": pa.DictionaryArray.from_arrays(pa.array(found.severity, pa.int32()),
                                                   _SEVERITIES),
        "positions": pa.ListArray.from_arrays(pa.array(found.position_offsets, pa.int32()),
                                              pa.array(found.position_values, pa.int64())),
        "codes": pa.array(found.codes, pa.list_(pa.string())),
        "message": pa.array(found.message, pa.string()),
        "suggestions": _shared_lists(found.suggestions),
        "release": _encoded(found.release),
        "source_release": _encoded(found.source_release),
    }, schema=finding_schema)
    ordered = pa.table({
        "encounter": taken(ids, pa.array(order.row, pa.int64())),
        "position": pa.array(order.position, pa.int64()),
        "code": pa.array(order.code, pa.string()),
        "from_position": pa.array(order.from_position, pa.int64()),
        "rule": _encoded(order.rule),
    }, schema=order_schema)
    return CheckedTable(findings, ordered)


def _shared_lists(items: list[tuple[str, ...]]) -> pa.Array:
    """A list column of strings of *items* that share their tuples (the suggestions),
    built from the distinct tuples (see :func:`~icd10cm.frame.encounters.distinct`)."""
    objects, index = distinct(items)
    return pa.array(objects, pa.list_(pa.string())).take(pa.array(index, pa.int64()))


def _encoded(values: Any) -> pa.Array:
    return pa.array(values, pa.string()).dictionary_encode()
