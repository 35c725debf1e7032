"""Encounter ids that are equal in Python but different values: ``1``, ``1.0`` and ``True``.

A data frame library groups such cells of an object column as one value (pandas'
``factorize`` and ``groupby``), so their rows are one encounter, as the library would
join them; :func:`variants` finds the ids whose cells differ in kind, and
:func:`icd10cm.frame.check` reports each such encounter (``frame/mixed-encounter-id``)
rather than silently take the cells for one id. Numbers of one kind are one id whatever
their width (``1`` and ``numpy.int64(1)``; ``1.0`` and ``numpy.float64(1.0)``). Nothing
here imports a data frame library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from numbers import Integral

import numpy as np

from icd10cm.frame.verdicts import exact_key, factorized

__all__ = ["factorized_ids", "variants"]


def _kind(cell: object) -> object:
    """What tells two equal cells apart as values: their kind of number, the kinds of
    their items, or their type."""
    if isinstance(cell, (bool, np.bool_)):
        return bool
    if isinstance(cell, Integral):  # int and numpy's integers
        return int
    if isinstance(cell, (float, np.floating)):
        return float
    if isinstance(cell, (list, tuple)):
        return type(cell), tuple(_kind(item) for item in cell)
    if isinstance(cell, dict):
        return dict, frozenset((exact_key(key), _kind(item)) for key, item in cell.items())
    for kind in _SAME_KIND:  # numpy's str_ is text, pandas' Timestamp a datetime
        if isinstance(cell, kind):
            return kind
    return type(cell)


#: The types whose subclasses are values of the same kind: ``numpy.str_("A1")`` is the
#: text "A1", as pandas takes it (and a column of both is text only); ``pandas.Timestamp``
#: is the datetime of the same instant (datetime first: a datetime is also a date).
_SAME_KIND = (str, bytes, datetime, date, timedelta)


def variants(ids: Iterable[int], cells: Iterable[object]) -> dict[int, tuple[object, ...]]:
    """For each id (of *ids*, one per cell; -1 for an empty cell) whose cells are of more
    than one kind, the first cell of each kind, in order of appearance."""
    seen: dict[int, dict[object, object]] = {}
    for ident, cell in zip(ids, cells, strict=True):
        if ident >= 0:
            seen.setdefault(ident, {}).setdefault(_kind(cell), cell)
    return {ident: tuple(kinds.values()) for ident, kinds in seen.items() if len(kinds) > 1}


def _id_key(value: object) -> object:
    """None for an empty cell (None, NaN: as pandas reads them), else :func:`exact_key`."""
    if value is None or (isinstance(value, (float, np.floating)) and value != value):
        return None
    return exact_key(value)


def factorized_ids(values: Sequence[object]
                   ) -> tuple[list[int], list[object], dict[int, tuple[object, ...]]]:
    """The id of each of *values* (-1 for None and NaN), the distinct values (first cells), and
    the :func:`variants` of the ids: values equal in Python are one id, as a data frame
    library groups them, and values that are not are two (``"1"`` and ``1``)."""
    positions, distinct = factorized(values, _id_key)
    return positions, distinct, variants(positions, values)
