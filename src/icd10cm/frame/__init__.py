"""Validate a whole column of codes: a pandas or polars Series, or a pyarrow array.

>>> import icd10cm.frame
>>> icd10cm.frame.COLUMNS
('code', 'status', 'message', 'title', 'chapter', 'block')

:func:`validate` returns a frame of the input's own library with one row per
input row and the columns in :data:`COLUMNS`. Each distinct value is validated
once with :func:`icd10cm.validate`, so ten million rows drawn from twenty
thousand codes take seconds. One module per library does the work:
:mod:`icd10cm.frame.pandas` (which also registers the ``Series.icd10cm``
accessor), :mod:`icd10cm.frame.polars` and :mod:`icd10cm.frame.arrow`.

:func:`check` checks a long claims table (one row per diagnosis) encounter by
encounter against the Guidelines, with :func:`icd10cm.check` and
:func:`icd10cm.sequence`, and returns a table of findings and a table of the
suggested order (:class:`CheckedTable`). Rows that make no valid encounter give
findings of the rules in :func:`rules`, never exceptions.

:func:`comorbidity` turns a claims table (one row per diagnosis) into one row per
encounter with its CMR (Elixhauser) measures or Charlson conditions and indices; see
:mod:`icd10cm.frame.comorbidities`.

Importing this package imports no data frame library: :func:`validate` and
:func:`check` look at the module their argument's type comes from and import
only that library's module, which the caller has already imported.
"""

from __future__ import annotations

import importlib
from typing import Any

from icd10cm.errors import UnsupportedColumnError, UnsupportedTableError
from icd10cm.frame.claims import FINDING_COLUMNS, ORDER_COLUMNS, CheckedTable, rules
from icd10cm.frame.comorbidities import comorbidity
from icd10cm.frame.verdicts import COLUMNS
from icd10cm.releases.registry import ReleaseLike

__all__ = ["COLUMNS", "FINDING_COLUMNS", "ORDER_COLUMNS", "CheckedTable", "check",
           "comorbidity", "rules", "validate"]

_MODULES = {  # the top-level package a column's type comes from -> our module for it
    "pandas": "icd10cm.frame.pandas",
    "polars": "icd10cm.frame.polars",
    "pyarrow": "icd10cm.frame.arrow",
}


def _module_for(value: object, modules: dict[str, str]) -> str | None:
    """The module of *modules* for the library (top-level package) that *value*'s type
    comes from, or that a class it inherits from comes from: a subclass of a pandas
    DataFrame or Series (pandera's ``DataFrame[Schema]``, geopandas' ``GeoDataFrame``) is
    one of pandas. None for a type of no library in *modules*."""
    for kind in type(value).__mro__:
        module = modules.get(kind.__module__.partition(".")[0])
        if module is not None:
            return module
    return None


def validate(values: Any, *, release: ReleaseLike | None = None) -> Any:
    """Validate every row of a column against a release (default: the latest).

    *values* is a pandas Series (the result is a pandas DataFrame with the
    same index), a polars Series (a polars DataFrame) or a pyarrow Array or
    ChunkedArray (a pyarrow Table). The result has one row per input row and
    the columns ``code`` (the normalised code, null if malformed or missing),
    ``status`` (a :class:`~icd10cm.Status` value), ``message``, and the
    ``title``, ``chapter`` number and ``block`` id of the code in the release
    (null where the release has no such code). Nulls give ``"missing"`` and
    non-strings ``"malformed"``; nothing raises for bad values.

    Raises :class:`~icd10cm.UnsupportedColumnError` for anything else, such as
    a whole data frame or a list.
    """
    module = _module_for(values, _MODULES)
    if module is None:
        raise UnsupportedColumnError(values)
    result: Any = importlib.import_module(module).validate(values, release=release)
    return result


_TABLE_MODULES = {  # the top-level package a table's type comes from -> our module for it
    "pandas": "icd10cm.frame.claims_pandas",
    "polars": "icd10cm.frame.claims_polars",
    "pyarrow": "icd10cm.frame.claims_arrow",
}


def check(
    table: Any,
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
    """Check every encounter of a long claims table against the Guidelines.

    *table* is a pandas DataFrame, a polars DataFrame, or a pyarrow Table,
    RecordBatch or RecordBatchReader (read whole), with one row per diagnosis. The
    keyword arguments name its columns: the encounter id, the code and the
    diagnosis's position (whole numbers; their order is the reported order), and
    optionally the setting
    (``"inpatient"`` or ``"outpatient"``; without it every encounter is
    outpatient), the date of service (which chooses each encounter's release;
    without it every encounter uses *release*, by default the latest) and the
    present-on-admission indicator.

    Returns a :class:`CheckedTable` of two tables of the input's library:
    ``findings`` (the columns ``encounter`` and :data:`FINDING_COLUMNS`, one row
    per finding) and ``order`` (``encounter`` and :data:`ORDER_COLUMNS`, one row
    per diagnosis of each checked encounter, in the suggested order). Rows that
    make no valid encounter give findings of the rules in :func:`rules`, and
    that encounter is not checked; nothing in the rows raises.

    Raises :class:`~icd10cm.UnsupportedTableError` for anything but a table,
    :class:`~icd10cm.MissingColumnError` for a column the table lacks and
    :class:`~icd10cm.DuplicateColumnError` for one it has twice.
    """
    module = _module_for(table, _TABLE_MODULES)
    if module is None:
        raise UnsupportedTableError(table)
    result: CheckedTable = importlib.import_module(module).check(
        table, encounter=encounter, code=code, position=position, setting=setting,
        date=date, poa=poa, release=release, own_data_only=own_data_only)
    return result
