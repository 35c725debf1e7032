"""Validate a pandas Series, and the ``Series.icd10cm`` accessor.

Importing this module imports pandas and registers the accessor, so after
``import icd10cm.frame.pandas`` every Series has ``s.icd10cm.validate()``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from icd10cm.errors import UnsupportedColumnError
from icd10cm.frame.claims_pandas import comparable, factorized_by_type, typed_key
from icd10cm.frame.verdicts import COLUMNS, STATUSES, Encoded, firsts, verdicts
from icd10cm.releases.registry import ReleaseLike

__all__ = ["Icd10cmAccessor", "meta", "validate"]


def _categorical(encoded: Encoded, rows: Any) -> Any:
    positions = np.asarray(encoded.positions, dtype=np.int32)[rows]
    return pd.Categorical.from_codes(positions, dtype=pd.CategoricalDtype(encoded.categories))


def _factorised(values: pd.Series) -> tuple[Any, list[object]]:
    """The position of each row among the distinct values (empty cells one of them), and
    those values, each as it is in its first row."""
    values = comparable(values)
    try:
        return factorized_by_type(values, nulls=True)
    except (TypeError, NotImplementedError):  # unhashable cells; Arrow lists and structs
        every = values.tolist()
        keys = pd.Series([typed_key(cell) for cell in every], dtype=object)
        rows, _ = pd.factorize(keys, use_na_sentinel=False)
        return rows, firsts(rows.tolist(), every)  # the values, validated as themselves


def validate(values: pd.Series, *, release: ReleaseLike | None = None) -> pd.DataFrame:
    """Validate every row of *values* against a release (default: the latest).

    Returns a DataFrame with the input's index and the columns ``code``,
    ``status``, ``message``, ``title``, ``chapter`` and ``block``, one row per
    input row. The string columns are categorical (``status`` always has every
    :class:`~icd10cm.Status` value as a category); ``chapter`` is ``Int8``.
    Each distinct value is validated once.
    """
    if not isinstance(values, pd.Series):
        raise UnsupportedColumnError(values)
    rows, cells = _factorised(values)
    found = verdicts(cells, release)
    chapters = pd.array(list(found.chapter), dtype="Int8")
    columns = {
        "code": _categorical(found.code, rows),
        "status": _categorical(found.status, rows),
        "message": _categorical(found.message, rows),
        "title": _categorical(found.title, rows),
        "chapter": chapters.take(rows),
        "block": _categorical(found.block, rows),
    }
    return pd.DataFrame(columns, index=values.index, columns=list(COLUMNS))


def meta() -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes :func:`validate` returns.

    Give it as ``meta=`` to Dask's ``map_partitions``. The categories of the
    string columns (other than ``status``) depend on the data, so they are left
    unknown.
    """
    unknown = pd.CategoricalDtype()
    return pd.DataFrame({
        "code": pd.Series(dtype=unknown),
        "status": pd.Series(dtype=pd.CategoricalDtype(STATUSES)),
        "message": pd.Series(dtype=unknown),
        "title": pd.Series(dtype=unknown),
        "chapter": pd.Series(dtype="Int8"),
        "block": pd.Series(dtype=unknown),
    })


@pd.api.extensions.register_series_accessor("icd10cm")
class Icd10cmAccessor:
    """``series.icd10cm``: registered by ``import icd10cm.frame.pandas``."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def validate(self, *, release: ReleaseLike | None = None) -> pd.DataFrame:
        """The same as :func:`icd10cm.frame.pandas.validate` on this Series."""
        return validate(self._series, release=release)
