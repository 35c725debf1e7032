"""icd10cm.frame: pandas, polars and pyarrow columns validated row by row, nulls and
non-strings, index alignment, release pinning, dtypes, the Dask recipe, the docs page
and the promise that importing icd10cm imports no data frame library."""

from __future__ import annotations

import decimal
import math
import random
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

import pytest

import icd10cm
import icd10cm.frame
from icd10cm import Status

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

import icd10cm.frame.arrow  # noqa: E402  (after the skips: these import the libraries)
import icd10cm.frame.pandas  # noqa: E402
import icd10cm.frame.polars  # noqa: E402

STATUS_VALUES = [status.value for status in Status]

Row = tuple[Any, ...]  # (code, status, message, title, chapter, block)


def expected(values: Sequence[object], release: str | None = None) -> list[Row]:
    """What icd10cm.validate and the release say about each value, one row each."""
    resolved = icd10cm.load_release(release) if release else icd10cm.latest_release()
    rows: list[Row] = []
    for value in values:
        verdict = icd10cm.validate(value, release=resolved)  # type: ignore[arg-type]
        code = resolved.get(verdict.code) if verdict.code else None
        rows.append((
            verdict.code, verdict.status.value, verdict.message,
            code.title if code else None,
            code.chapter.number if code else None,
            code.block.id if code else None,
        ))
    return rows


def _none(value: object) -> object:
    """pandas' NaN and NA, as None."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def pandas_rows(frame: Any) -> list[Row]:
    assert list(frame.columns) == list(icd10cm.frame.COLUMNS)
    return [tuple(_none(cell) for cell in row) for row in frame.itertuples(index=False)]


def polars_rows(frame: Any) -> list[Row]:
    assert frame.columns == list(icd10cm.frame.COLUMNS)
    rows: list[Row] = frame.rows()
    return rows


def arrow_rows(table: Any) -> list[Row]:
    assert table.column_names == list(icd10cm.frame.COLUMNS)
    return [tuple(row.values()) for row in table.to_pylist()]


def rows_of(result: Any) -> list[Row]:
    """The rows of a pandas or polars DataFrame or a pyarrow Table."""
    library = type(result).__module__.partition(".")[0]
    return {"pandas": pandas_rows, "polars": polars_rows, "pyarrow": arrow_rows}[library](result)


def sample_values(seed: int, count: int) -> list[str]:
    """Real codes of the latest release (headers included) in the forms claims use,
    typos and malformed text, with repeats, shuffled."""
    rng = random.Random(seed)
    codes = [code.value for code in icd10cm.latest_release()]
    values: list[str] = []
    for value in rng.sample(codes, count):
        kind = rng.random()
        if kind < 0.6:
            values.append(value)
        elif kind < 0.7:
            values.append(value.replace(".", ""))
        elif kind < 0.8:
            values.append(f" {value.lower()} ")
        elif kind < 0.95:
            values.append(value[:-1] + rng.choice("ABCXYZ0123456789"))
        else:
            values.append(value[0] + "\uff11" + value[2:])  # FULLWIDTH DIGIT ONE
    values += rng.choices(values, k=count)  # repeats
    rng.shuffle(values)
    return values


# --- each library agrees with icd10cm.validate, row by row ------------------------------


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.slow
def test_every_library_agrees_with_validate_row_by_row(seed: int) -> None:
    values = sample_values(seed, 300)
    want = expected(values)
    assert {row[1] for row in want} >= {"valid", "header", "malformed"}  # a real mix
    assert pandas_rows(icd10cm.frame.validate(pd.Series(values))) == want
    assert polars_rows(icd10cm.frame.validate(pl.Series(values))) == want
    assert arrow_rows(icd10cm.frame.validate(pa.array(values))) == want
    chunked = pa.chunked_array([values[:100], values[100:350], values[350:]])
    assert arrow_rows(icd10cm.frame.validate(chunked)) == want


def test_title_chapter_and_block_come_from_the_release() -> None:
    release = icd10cm.load_release("2025")
    result = icd10cm.frame.pandas.validate(pd.Series(["e119", "S52.521A", "E11", "E11.99"]),
                                           release="2025")
    assert result["code"].tolist()[:3] == ["E11.9", "S52.521A", "E11"]
    assert result["title"].tolist()[:3] == [release["E11.9"].title, release["S52.521A"].title,
                                            release["E11"].title]
    assert result["chapter"].tolist()[:3] == [4, 19, 4]
    assert result["block"].tolist()[:3] == ["E08-E13", "S50-S59", "E08-E13"]
    # E11.99 is well formed but no code: it has a code and a status, no title/chapter/block
    assert result.iloc[3]["code"] == "E11.99" and result.iloc[3]["status"] == "unknown"
    assert result.iloc[3][["title", "chapter", "block"]].isna().all()


# --- nulls and non-strings ----------------------------------------------------------------


def _assert_missing(rows: list[Row]) -> None:
    message = icd10cm.validate(None).message  # type: ignore[arg-type]
    assert message.startswith("Missing value")
    for row in rows:
        assert row == (None, "missing", message, None, None, None)


def test_pandas_nulls_give_missing() -> None:
    values = pd.Series(["E11.9", None, float("nan"), pd.NA, "E11.9"], dtype=object)
    rows = pandas_rows(icd10cm.frame.validate(values))
    _assert_missing(rows[1:4])
    assert rows[0] == rows[4] == expected(["E11.9"])[0]
    for dtype in ("string", "str", "category"):
        typed = pd.Series(["E11.9", None, "E11"], dtype=dtype)
        got = pandas_rows(icd10cm.frame.validate(typed))
        _assert_missing(got[1:2])
        assert [got[0], got[2]] == expected(["E11.9", "E11"])
    floats = pd.Series([float("nan"), 250.0])
    got = pandas_rows(icd10cm.frame.validate(floats))
    _assert_missing(got[:1])
    assert got[1][1] == "malformed"


def test_polars_and_arrow_nulls_and_nan_give_missing() -> None:
    for values in (pl.Series(["E11.9", None]), pl.Series([None, None]),
                   pl.Series([float("nan"), None, 1.5])):
        rows = polars_rows(icd10cm.frame.validate(values))
        _assert_missing([row for row, value in zip(rows, values.to_list(), strict=True)
                         if value is None or value != value])
    for array in (pa.array(["E11.9", None]), pa.array([None, None]),
                  pa.array([float("nan"), None, 1.5])):
        rows = arrow_rows(icd10cm.frame.validate(array))
        _assert_missing([row for row, value in zip(rows, array.to_pylist(), strict=True)
                         if value is None or value != value])


def test_numbers_and_other_non_strings_are_malformed_not_errors() -> None:
    cells: list[object] = ["E11.9", 250, 11.9, True, ["E11.9"], b"E119"]
    got = pandas_rows(icd10cm.frame.validate(pd.Series(cells, dtype=object)))
    assert got[0] == expected(["E11.9"])[0]
    assert [row[1] for row in got[1:]] == ["malformed"] * 5
    assert got[1][2] == "Invalid ICD-10-CM code: 250: expected a string, got int"
    for column in (pd.Series([250, 401]), pl.Series([250, 401]), pa.array([250, 401])):
        assert rows_of(icd10cm.frame.validate(column)) == expected([250, 401])


def test_pandas_string_views_keep_their_empty_cells_empty() -> None:
    # pandas factorises a null of an Arrow string_view column as "": it was "malformed"
    # (empty text) where docs/frames.md gives "missing" to an empty cell.
    values = ["E11.9", None, "e119", None]
    column = pd.Series(values, dtype=pd.ArrowDtype(pa.string_view()))
    assert pandas_rows(icd10cm.frame.validate(column)) == expected(values)
    table = pd.DataFrame({"encounter": [1, 2], "position": [1, 1],
                          "code": pd.Series(["I10", None], dtype=column.dtype)})
    findings = icd10cm.frame.check(table).findings
    assert findings[["encounter", "rule"]].values.tolist() == [[2, "frame/missing-code"]]


def test_pandas_cells_equal_across_types_get_their_own_message() -> None:
    # pandas factorises 1, 1.0, True and Decimal(1) as one value: each row got the verdict
    # on the first, "1: expected a string, got int" for 1.0 too. docs/frames.md: "The
    # statuses and messages are exactly those of icd10cm.validate".
    column = pd.Series([1, True, 1.0, decimal.Decimal(1), 250.0, 250, None,
                        float("nan"), "E11.9", "e119"], dtype=object)
    assert pandas_rows(icd10cm.frame.validate(column)) == expected(column.tolist())


@pytest.mark.parametrize("column", [
    pa.array([["E11.9"], None, ["E11.9"], ["I10"]]),
    pa.chunked_array([[{"dx": "E11.9"}], [None, {"dx": "E11.9"}, {"dx": "I10"}]]),
    pa.array([[("dx", "E11.9")], None, [("dx", "E11.9")], []], pa.map_(pa.string(), pa.string())),
    pl.Series([("E11.9",), None, ("E11.9",), 250], dtype=pl.Object),
    pd.Series([["E11.9"], None, ["E11.9"], ["I10"]], dtype=pd.ArrowDtype(pa.list_(pa.string()))),
    pd.Series([["E11.9"], None, ["E11.9"], {"dx": "I10"}], dtype=object),
], ids=["arrow-list", "arrow-struct-chunked", "arrow-map", "polars-object", "pandas-arrow-list",
        "pandas-object"])
def test_lists_structs_and_objects_are_malformed_not_errors(column: Any) -> None:
    result = icd10cm.frame.validate(column)
    assert [row[1] for row in rows_of(result)] == ["malformed", "missing", "malformed",
                                                   "malformed"]
    if isinstance(column, pa.ChunkedArray):
        assert [len(chunk) for chunk in result.column("status").chunks] == [1, 3]
    # the message is validate's on the value itself (pandas too, not on its repr's text:
    # docs/frames.md, "The statuses and messages are exactly those of icd10cm.validate")
    values = column.to_pylist() if hasattr(column, "to_pylist") else column.to_list()
    assert rows_of(result) == expected(values)


# --- alignment, pinning, dtypes --------------------------------------------------------


def test_pandas_index_is_kept_and_the_result_joins_back() -> None:
    index = pd.Index([30, 10, 20, 10], name="claim")  # unsorted, with a repeat
    frame = pd.DataFrame({"dx": ["E11.9", "E11", None, "U07.1"]}, index=index)
    result = icd10cm.frame.validate(frame["dx"], release="2019")
    assert result.index.equals(index)
    assert result["status"].tolist() == ["valid", "header", "missing", "not_in_release"]
    subset = frame["dx"].iloc[[3, 0]]
    assert icd10cm.frame.validate(subset).index.equals(subset.index)
    unique = frame.reset_index(drop=True)
    joined = unique.join(icd10cm.frame.validate(unique["dx"]))
    assert joined.loc[joined["dx"] == "E11", "status"].tolist() == ["header"]
    assert len(icd10cm.frame.validate(pd.Series([], dtype=object))) == 0


def test_accessor_is_the_pandas_function() -> None:
    values = pd.Series(sample_values(3, 50), index=range(100, 200))
    by_accessor = values.icd10cm.validate(release="2025")
    pd.testing.assert_frame_equal(by_accessor,
                                  icd10cm.frame.pandas.validate(values, release="2025"))
    assert pandas_rows(by_accessor) == expected(values.tolist(), "2025")


@pytest.mark.parametrize(
    "column",
    [lambda v: pd.Series(v), lambda v: pl.Series(v), lambda v: pa.array(v)],
    ids=["pandas", "polars", "pyarrow"],
)
def test_release_pinning_changes_the_verdict(column: Any) -> None:
    values = ["U07.1", "E11.9"]
    old = icd10cm.frame.validate(column(values), release="2019")
    new = icd10cm.frame.validate(column(values))
    assert [row[1] for row in rows_of(old)] == ["not_in_release", "valid"]
    assert [row[1] for row in rows_of(new)] == ["valid", "valid"]
    assert rows_of(old) == expected(values, "2019") and rows_of(new) == expected(values)


def test_result_types() -> None:
    values = ["E11.9", None, "zz"]
    result = icd10cm.frame.pandas.validate(pd.Series(values))
    meta = icd10cm.frame.pandas.meta()
    assert list(map(str, result.dtypes)) == list(map(str, meta.dtypes))  # category, Int8
    assert result["status"].dtype == meta["status"].dtype  # the same categories, in order
    assert list(result["status"].cat.categories) == STATUS_VALUES
    assert str(result["chapter"].dtype) == "Int8"
    polars = icd10cm.frame.polars.validate(pl.Series(values))
    assert polars.schema == icd10cm.frame.polars.schema()
    assert list(polars["status"].dtype.categories) == STATUS_VALUES  # type: ignore[attr-defined]
    chunked = pa.chunked_array([values[:1], values[1:]])
    table = icd10cm.frame.arrow.validate(chunked)
    assert table.schema == icd10cm.frame.arrow.schema()
    assert [len(chunk) for chunk in table.column("status").chunks] == [1, 2]
    assert table.column("status").chunk(0).dictionary.to_pylist() == STATUS_VALUES


@pytest.mark.parametrize(
    "column",
    [
        lambda v: pl.Series(v, dtype=pl.Categorical),
        lambda v: pa.array(v, pa.large_string()),
        lambda v: pa.array(v, pa.string_view()),
        lambda v: pa.array(v).dictionary_encode(),
        lambda v: pd.Series(v, dtype="string[pyarrow]"),
    ],
    ids=["polars-categorical", "large_string", "string_view", "dictionary", "pandas-arrow"],
)
def test_other_string_types(column: Any) -> None:
    values = ["E11.9", None, "E11", "E11.9"]
    assert rows_of(icd10cm.frame.validate(column(values))) == expected(values)


def test_empty_columns_give_empty_frames_of_the_same_types() -> None:
    pandas = icd10cm.frame.validate(pd.Series([], dtype=object))
    assert pandas.shape == (0, 6)
    assert pandas["status"].dtype == icd10cm.frame.pandas.meta()["status"].dtype
    polars = icd10cm.frame.validate(pl.Series([], dtype=pl.String))
    assert polars.shape == (0, 6) and polars.schema == icd10cm.frame.polars.schema()
    for column in (pa.array([], pa.string()), pa.chunked_array([], pa.string())):
        table = icd10cm.frame.validate(column)
        assert table.num_rows == 0 and table.schema == icd10cm.frame.arrow.schema()


def test_anything_else_is_refused_with_advice() -> None:
    for values, advice in ((["E11.9"], "icd10cm.validate_many"),
                           (pd.DataFrame({"dx": ["E11.9"]}), "pass one column of it"),
                           (pl.DataFrame({"dx": ["E11.9"]}), "pass one column of it"),
                           (pa.table({"dx": ["E11.9"]}), "pass one column of it")):
        with pytest.raises(icd10cm.UnsupportedColumnError, match=advice) as raised:
            icd10cm.frame.validate(values)
        assert type(values).__name__ in str(raised.value)
        assert isinstance(raised.value, TypeError)
    with pytest.raises(icd10cm.UnsupportedColumnError):
        icd10cm.frame.pandas.validate(pl.Series(["E11.9"]))


# --- nothing imported unless used -----------------------------------------------------


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_icd10cm_and_icd10cm_frame_imports_no_frame_library() -> None:
    assert _run("""
        import sys
        import icd10cm, icd10cm.frame
        icd10cm.validate("E11.9"); icd10cm.validate(None)
        print(sorted(m for m in ("pandas", "polars", "pyarrow", "dask", "numpy")
                     if m in sys.modules))
    """) == "[]"


def test_a_polars_column_imports_neither_pandas_nor_pyarrow() -> None:
    assert _run("""
        import sys
        import polars as pl
        import icd10cm.frame
        statuses = icd10cm.frame.validate(pl.Series(["E11.9", None]))["status"].to_list()
        print(statuses, sorted(m for m in ("pandas", "pyarrow", "dask") if m in sys.modules))
    """) == "['valid', 'missing'] []"


# --- Dask ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_dask_recipe_on_a_local_cluster() -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    values: list[str | None] = [*sample_values(4, 200), None, None]
    claims = pd.DataFrame({"dx": values, "n": range(len(values))},
                          index=pd.RangeIndex(1000, 1000 + len(values)))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        ddf = dd.from_pandas(claims, npartitions=4)
        with pytest.raises(icd10cm.UnsupportedColumnError, match="map_partitions"):
            icd10cm.frame.validate(ddf["dx"])
        validations = ddf["dx"].map_partitions(icd10cm.frame.pandas.validate, release="2025",
                                               meta=icd10cm.frame.pandas.meta())
        pd.testing.assert_series_equal(validations.dtypes, icd10cm.frame.pandas.meta().dtypes)
        checked = ddf.join(validations)
        result = checked.compute()
        invalid = checked[checked["status"] != "valid"]["n"].compute()
    assert result.index.equals(claims.index)
    assert pandas_rows(result[list(icd10cm.frame.COLUMNS)]) == expected(values, "2025")
    assert result["n"].tolist() == claims["n"].tolist()
    want_invalid = [n for n, row in zip(claims["n"], expected(values, "2025"), strict=True)
                    if row[1] != "valid"]
    assert sorted(invalid.tolist()) == want_invalid
    assert str(result["chapter"].dtype) == "Int8"
    assert list(result["status"].cat.categories) == STATUS_VALUES
