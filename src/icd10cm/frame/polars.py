"""Validate a polars Series. Importing this module imports polars."""

from __future__ import annotations

import polars as pl

from icd10cm.errors import UnsupportedColumnError
from icd10cm.frame.verdicts import COLUMNS, STATUSES, factorized, verdicts
from icd10cm.releases.registry import ReleaseLike

__all__ = ["schema", "validate"]

_KEY = "__icd10cm_value__"


def schema() -> pl.Schema:
    """The columns and dtypes :func:`validate` returns."""
    return pl.Schema({
        "code": pl.Categorical(),
        "status": pl.Enum(STATUSES),
        "message": pl.Categorical(),
        "title": pl.Categorical(),
        "chapter": pl.Int8(),
        "block": pl.Categorical(),
    })


def validate(values: pl.Series, *, release: ReleaseLike | None = None) -> pl.DataFrame:
    """Validate every row of *values* against a release (default: the latest).

    Returns a DataFrame with the columns ``code``, ``status``, ``message``,
    ``title``, ``chapter`` and ``block``, one row per input row, in order. The
    string columns are ``Categorical``, except ``status``, an ``Enum`` of every
    :class:`~icd10cm.Status` value; ``chapter`` is ``Int8``. Each distinct value
    is validated once.
    """
    if not isinstance(values, pl.Series):
        raise UnsupportedColumnError(values)
    try:
        distinct = values.unique()  # nulls and NaN included, once each
        keys = distinct.to_list()
    except pl.exceptions.InvalidOperationError:  # an Object column: compared in Python
        positions, keys = factorized(values.to_list())
        values = pl.Series([None if p < 0 else p for p in positions], dtype=pl.Int64)
        distinct = pl.Series([*range(len(keys)), None], dtype=pl.Int64)
        keys.append(None)
    found = verdicts(keys, release)
    dtypes = schema()
    lookup = pl.DataFrame({
        _KEY: distinct,
        "code": pl.Series(found.code.decoded(), dtype=dtypes["code"]),
        "status": pl.Series(found.status.decoded(), dtype=dtypes["status"]),
        "message": pl.Series(found.message.decoded(), dtype=dtypes["message"]),
        "title": pl.Series(found.title.decoded(), dtype=dtypes["title"]),
        "chapter": pl.Series(found.chapter, dtype=dtypes["chapter"]),
        "block": pl.Series(found.block.decoded(), dtype=dtypes["block"]),
    })
    rows = values.alias(_KEY).to_frame()
    joined = rows.join(lookup, on=_KEY, how="left", nulls_equal=True, maintain_order="left")
    return joined.select(COLUMNS)
