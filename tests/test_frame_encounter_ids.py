"""Encounter ids that are equal in Python but different values (1, 1.0, True) are never
silently taken as one encounter: the rows are one group, as the library itself groups
and joins them, and a ``frame/mixed-encounter-id`` finding names the ids, so the
encounter is not checked. Ids that are not equal ("1" and 1) are two encounters.

Before, a pandas object column with 1 and 1.0 made one encounter, checked as if the
ids were one (its two rows at position 1 gave only ``frame/duplicate-position``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

import icd10cm.frame as frame

RULE = "frame/mixed-encounter-id"


def _findings(table: Any) -> list[tuple[object, str, str]]:
    findings, _ = frame.check(table, release="2025")
    if isinstance(findings, pa.Table):
        rows = findings.to_pylist()
    elif isinstance(findings, pl.DataFrame):
        rows = findings.to_dicts()
    else:
        rows = findings.to_dict("records")
    return [(row["encounter"], row["rule"], row["message"]) for row in rows]


def _order_ids(table: Any) -> list[object]:
    _, order = frame.check(table, release="2025")
    if isinstance(order, pa.Table):
        return list(order.column("encounter").to_pylist())
    return list(order["encounter"].to_list())


def _pandas(ids: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"encounter": pd.Series(ids, dtype=object),
                         "code": ["E11.9", "I10"][:len(ids)], "position": [1, 2][:len(ids)]})


def _polars(ids: list[object]) -> pl.DataFrame:
    return pl.DataFrame({"encounter": pl.Series(ids, dtype=pl.Object),
                         "code": ["E11.9", "I10"][:len(ids)], "position": [1, 2][:len(ids)]})


def _arrow(ids: list[object]) -> pa.Table:
    """A sparse union column: each id in the child of its own type."""
    types = [pa.bool_() if type(i) is bool else pa.int64() if type(i) is int
             else pa.float64() if type(i) is float else pa.string() for i in ids]
    distinct = list(dict.fromkeys(types))
    children = [pa.array([i if t == kind else None for i, t in zip(ids, types, strict=True)],
                         kind) for kind in distinct]
    union = pa.UnionArray.from_sparse(pa.array([distinct.index(t) for t in types], pa.int8()),
                                      children)
    return pa.table({"encounter": union, "code": ["E11.9", "I10"][:len(ids)],
                     "position": pa.array([1, 2][:len(ids)], pa.int64())})


MAKERS = {"pandas": _pandas, "polars": _polars, "pyarrow": _arrow}


@pytest.mark.parametrize("library", list(MAKERS))
@pytest.mark.parametrize(("ids", "shown"), [
    ([1, 1.0], ("1", "1.0")),
    ([1, True], ("1", "True")),
    ([1.0, True], ("1.0", "True")),
])
def test_ids_equal_in_python_but_of_different_types_are_reported(
        library: str, ids: list[object], shown: tuple[str, ...]) -> None:
    found = _findings(MAKERS[library](ids))
    assert [rule for _, rule, _ in found] == [RULE]
    message = found[0][2]
    for text in shown:
        assert text in message
    assert message.endswith("The encounter was not checked against the Guidelines.")
    assert _order_ids(MAKERS[library](ids)) == []  # not checked: no order rows


@pytest.mark.parametrize("library", list(MAKERS))
def test_ids_that_are_not_equal_are_two_encounters(library: str) -> None:
    table = MAKERS[library](["1", 1])
    assert _findings(table) == []
    assert sorted(map(repr, _order_ids(table))) == ["'1'", "1"]


def test_numbers_of_one_kind_are_one_id() -> None:
    # numpy's int64 and Python's int are the same whole number, as are float and float64.
    cases: list[list[object]] = [[1, np.int64(1)], [1.0, np.float64(1.0)], ["A1", "A1"]]
    for ids in cases:
        assert _findings(_pandas(ids)) == []
        assert len(_order_ids(_pandas(ids))) == 2  # one encounter, checked


def test_typed_columns_are_untouched() -> None:
    table = pd.DataFrame({"encounter": [1, 1], "code": ["E11.9", "I10"], "position": [1, 2]})
    assert _findings(table) == [] and _order_ids(table) == [1, 1]


def test_only_the_mixed_encounter_is_held_back() -> None:
    table = pd.DataFrame({"encounter": pd.Series([1, 1.0, "B", "B"], dtype=object),
                          "code": ["E11.9", "I10", "E11.9", "I10"], "position": [1, 2, 1, 2]})
    assert [rule for _, rule, _ in _findings(table)] == [RULE]
    assert _order_ids(table) == ["B", "B"]


def test_the_rule_is_listed() -> None:
    assert RULE in {rule.id for rule in frame.rules()}


@pytest.mark.parametrize("library", ["pandas", "polars"])
@pytest.mark.parametrize("ids", [
    ["A1", np.str_("A1")],  # numpy's str_ is a str: the text "A1" twice
    [datetime(2025, 3, 1), pd.Timestamp("2025-03-01")],  # a Timestamp is a datetime
])
def test_subclasses_of_one_kind_are_one_id(library: str, ids: list[object]) -> None:
    # Before: a polars Object column reported frame/mixed-encounter-id for these (type
    # str_ is not type str), where pandas, which takes the column for text, did not.
    table = MAKERS[library](ids)
    assert _findings(table) == []
    assert len(_order_ids(table)) == 2  # one encounter, checked


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
def test_a_nan_id_is_an_empty_cell(library: str) -> None:
    # docs/frames.md: "An empty cell is a null, NaN or ..." (as pandas reads an object
    # column). Before: NaN in a polars Object or an Arrow union column was an id, its row
    # an encounter of its own that was checked.
    table = MAKERS[library]([float("nan"), "B"])
    assert [rule for _, rule, _ in _findings(table)] == ["frame/missing-encounter"]
    assert _order_ids(table) == ["B"]
