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

:func:`comorbidity` turns a claims table (one row per diagnosis) into one row per
encounter with its CMR (Elixhauser) measures or Charlson conditions and indices; see
:mod:`icd10cm.frame.claims`.

Importing this package imports no data frame library: :func:`validate` looks
at the module its argument's type comes from and imports only that library's
module, which the caller has already imported.
"""

from __future__ import annotations

import importlib
from typing import Any

from icd10cm.errors import UnsupportedColumnError
from icd10cm.frame.claims import comorbidity
from icd10cm.frame.verdicts import COLUMNS
from icd10cm.releases.registry import ReleaseLike

__all__ = ["COLUMNS", "comorbidity", "validate"]

_MODULES = {  # the top-level package a column's type comes from -> our module for it
    "pandas": "icd10cm.frame.pandas",
    "polars": "icd10cm.frame.polars",
    "pyarrow": "icd10cm.frame.arrow",
}


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
    library = type(values).__module__.partition(".")[0]
    module = _MODULES.get(library)
    if module is None:
        raise UnsupportedColumnError(values)
    result: Any = importlib.import_module(module).validate(values, release=release)
    return result

