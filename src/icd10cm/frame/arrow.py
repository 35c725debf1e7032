"""Validate a pyarrow Array or ChunkedArray. Importing this module imports pyarrow."""

from __future__ import annotations

import itertools
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from icd10cm.errors import UnsupportedColumnError
from icd10cm.frame.verdicts import COLUMNS, Encoded, factorized, verdicts
from icd10cm.releases.registry import ReleaseLike

__all__ = ["schema", "validate"]

_STRING = pa.dictionary(pa.int32(), pa.string())


def schema() -> pa.Schema:
    """The columns and types :func:`validate` returns."""
    return pa.schema([
        (name, pa.int8() if name == "chapter" else _STRING) for name in COLUMNS
    ])


def _comparable(values: Any) -> Any:
    """*values* in a type that ``pyarrow.compute.index_in`` takes."""
    kind = values.type
    if pa.types.is_dictionary(kind):
        return _comparable(values.cast(kind.value_type))
    if pa.types.is_string_view(kind):
        return values.cast(pa.large_string())
    if pa.types.is_binary_view(kind):
        return values.cast(pa.large_binary())
    return values


def _rows(values: Any) -> tuple[Any, list[object]]:
    """The distinct values of *values* (nulls and NaN included, once each), and the
    position of each element among them, with the same chunks."""
    distinct = pc.unique(values)
    if isinstance(values, pa.ChunkedArray):  # per chunk: index_in would merge the chunks
        rows = pa.chunked_array(
            [pc.index_in(chunk, value_set=distinct) for chunk in values.chunks], pa.int32())
    else:
        rows = pc.index_in(values, value_set=distinct)
    return rows, distinct.to_pylist()


def _rows_in_python(values: Any) -> tuple[Any, list[object]]:
    """:func:`_rows` for the types pyarrow cannot compare (lists, structs, maps)."""
    positions, distinct = factorized(values.to_pylist())
    null = len(distinct)
    rows = pa.array([null if p < 0 else p for p in positions], pa.int32())
    if isinstance(values, pa.ChunkedArray):
        sizes = [len(chunk) for chunk in values.chunks]
        rows = pa.chunked_array([rows.slice(start, size) for start, size
                                 in zip(itertools.accumulate([0, *sizes]), sizes, strict=False)],
                                pa.int32())
    return rows, [*distinct, None]


def _dictionary(encoded: Encoded, rows: Any) -> Any:
    positions = pa.array([None if p < 0 else p for p in encoded.positions], pa.int32())
    categories = pa.array(encoded.categories, pa.string())
    if isinstance(rows, pa.ChunkedArray):
        return pa.chunked_array(
            [pa.DictionaryArray.from_arrays(positions.take(chunk), categories)
             for chunk in rows.chunks],
            _STRING,
        )
    return pa.DictionaryArray.from_arrays(positions.take(rows), categories)


def validate(values: pa.Array | pa.ChunkedArray, *,
             release: ReleaseLike | None = None) -> pa.Table:
    """Validate every element of *values* against a release (default: the latest).

    Returns a Table with the columns ``code``, ``status``, ``message``,
    ``title``, ``chapter`` and ``block``, one row per element, in order. The
    string columns are dictionary-encoded strings (``status`` always has every
    :class:`~icd10cm.Status` value in its dictionary); ``chapter`` is ``int8``.
    A ChunkedArray gives columns with the same chunks. Each distinct value is
    validated once.
    """
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        raise UnsupportedColumnError(values)
    values = _comparable(values)
    try:
        rows, distinct = _rows(values)
    except pa.ArrowNotImplementedError:  # lists, structs, maps: compared in Python
        rows, distinct = _rows_in_python(values)
    found = verdicts(distinct, release)
    chapters = pa.array(found.chapter, pa.int8())
    columns = {
        "code": _dictionary(found.code, rows),
        "status": _dictionary(found.status, rows),
        "message": _dictionary(found.message, rows),
        "title": _dictionary(found.title, rows),
        "chapter": chapters.take(rows),
        "block": _dictionary(found.block, rows),
    }
    return pa.table(columns, schema=schema())
