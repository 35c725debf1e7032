"""icd10cm.frame.comorbidity: claims tables with one row per diagnosis, in pandas, polars
and pyarrow, give the same answer per encounter as icd10cm.elixhauser and icd10cm.charlson
(tested against the AHRQ programs and the Charlson document)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd  # type: ignore[import-untyped]
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

import icd10cm
import icd10cm.frame
from icd10cm import ComorbidityError

# A long table as MIMIC-IV's diagnoses_icd: undotted codes, one row per diagnosis.
ROWS = [
    # hadm_id, icd_code, poa, discharge date
    (101, "E1122", "Y", date(2025, 3, 1)),
    (101, "E119", "Y", date(2025, 3, 1)),
    (101, "I509", "N", date(2025, 3, 1)),
    (101, "I69351", "N", date(2025, 3, 1)),  # exempt: its N does not matter
    (102, "K7030", "Y", date(2024, 1, 15)),
    (102, "K7210", None, date(2024, 1, 15)),  # no indicator: assumed
    (102, "XX", "Y", date(2024, 1, 15)),  # not a code
    (103, "C7800", "W", date(2026, 12, 1)),
    (103, "C50911", "Y", date(2026, 12, 1)),
    (103, "G35A", "Y", date(2026, 12, 1)),  # new in FY2027, under G35 (NEURO_OTH)
    (103, "C7831", "Y", date(2026, 12, 1)),  # new in FY2027, nothing above it mapped
    (104, None, None, date(2025, 3, 1)),  # an empty row
    (105, "B20", "1", date(2025, 3, 1)),
    (105, "I110", "U", date(2025, 3, 1)),
]


def _frame(library: str) -> Any:
    columns = {
        "hadm_id": [r[0] for r in ROWS], "icd_code": [r[1] for r in ROWS],
        "poa": [r[2] for r in ROWS], "dischtime": [r[3] for r in ROWS],
    }
    if library == "pandas":
        return pd.DataFrame(columns)
    if library == "polars":
        return pl.DataFrame(columns)
    return pa.table(columns)


def _records(table: Any) -> list[dict[str, Any]]:
    if isinstance(table, pd.DataFrame):
        return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                for row in table.to_dict("records")]
    if isinstance(table, pl.DataFrame):
        return table.to_dicts()
    return table.to_pylist()  # type: ignore[no-any-return]


def _encounters() -> dict[int, list[tuple[Any, ...]]]:
    found: dict[int, list[tuple[Any, ...]]] = {}
    for row in ROWS:
        found.setdefault(row[0], []).append(row)
    return found


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_elixhauser_by_encounter_equals_the_function(library: str) -> None:
    table = icd10cm.frame.comorbidity(_frame(library), encounter="hadm_id", code="icd_code",
                                      poa="poa", date="dischtime")
    records = _records(table)
    assert [r["hadm_id"] for r in records] == [101, 102, 103, 104, 105]
    measures = [m.id for m in icd10cm.cmr_versions()[-1].measures]
    assert list(records[0]) == ["hadm_id", *measures, "mortality_index", "readmission_index",
                                "assumed", "unmapped", "release", "version"]
    for record, (hadm_id, rows) in zip(records, _encounters().items(), strict=True):
        result = icd10cm.elixhauser([r[1] for r in rows], poa=[r[2] for r in rows],
                                    date_of_service=rows[0][3])
        assert {m for m in measures if record[m]} == result.measures, hadm_id
        assert record["mortality_index"] == result.mortality_index
        assert record["readmission_index"] == result.readmission_index
        assert record["assumed"] == len(result.assumed)
        assert record["unmapped"] == len(result.unmapped)
        assert (record["release"], record["version"]) == (result.release, result.version)
    assert records[0]["DIAB_CX"] and not records[0]["DIAB_UNCX"] and not records[0]["HF"]
    assert records[0]["PARALYSIS"] and records[0]["CBVD"]
    assert records[1]["LIVER_SEV"] and records[1]["assumed"] == 1 and records[1]["unmapped"] == 1
    assert records[2]["NEURO_OTH"] and records[2]["unmapped"] == 1
    assert (records[2]["release"], records[2]["version"]) == ("2027", "v2025.1")
    assert records[3]["unmapped"] == 1 and records[3]["mortality_index"] == 0
    assert records[4]["AIDS"] and records[4]["HTN_CX"] and not records[4]["HF"]


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_charlson_by_encounter_equals_the_function(library: str) -> None:
    table = icd10cm.frame.comorbidity(_frame(library), encounter="hadm_id", code="icd_code",
                                      release="2027", method="charlson")
    records = _records(table)
    conditions = ["mi", "chf", "pvd", "cevd", "dementia", "cpd", "rheumatic", "pud",
                  "mild_liver", "diabetes", "diabetes_complicated", "hemiplegia", "renal",
                  "malignancy", "severe_liver", "metastatic", "hiv"]
    assert list(records[0]) == ["hadm_id", *conditions, "charlson1987", "quan2011",
                                "unmapped", "release"]
    for record, rows in zip(records, _encounters().values(), strict=True):
        codes = [r[1] for r in rows]
        result = icd10cm.charlson(codes, release="2027")
        assert {c for c in conditions if record[c]} == result.conditions
        assert record["charlson1987"] == result.score
        assert record["quan2011"] == icd10cm.charlson(codes, release="2027",
                                                      weights="quan2011").score
        assert record["unmapped"] == len(result.unmapped)
    assert records[0]["diabetes_complicated"] and not records[0]["diabetes"]


def test_without_poa_or_dates_the_release_is_given_and_poa_assumed() -> None:
    frame = _frame("pandas")
    table = icd10cm.frame.comorbidity(frame, encounter="hadm_id", code="icd_code",
                                      release="2025")
    first = table.iloc[0]
    assert bool(first["HF"]) and first["assumed"] == 1  # HF assumed; CBVD comes from an
    assert first["release"] == "2025"  # exempt code, PARALYSIS too: not assumptions


def test_codes_of_an_april_update_are_new_to_the_version_of_its_fiscal_year() -> None:
    # v2023.1 (released November 2022) maps Z91.15 (RENLFL_SEV), not Z91.151, which
    # replaced it on 2023-04-01, nor T74.A1XA, new then with no mapped code above it
    frame = pd.DataFrame({"id": [1, 2], "dx": ["Z91151", "T74A1XA"], "poa": ["Y", "Y"],
                          "day": [date(2023, 6, 1)] * 2})
    table = icd10cm.frame.comorbidity(frame, encounter="id", code="dx", poa="poa", date="day")
    assert table["release"].tolist() == ["2023-04"] * 2
    assert table["version"].tolist() == ["v2023.1"] * 2
    assert table["RENLFL_SEV"].tolist() == [True, False]
    assert table["unmapped"].tolist() == [0, 1]


def test_a_release_with_a_date_column_must_cover_every_date() -> None:
    # as icd10cm.elixhauser(release=, date_of_service=): release= is not dropped
    frame = pd.DataFrame({"id": [1, 2], "dx": ["E11.9", "E11.9"],
                          "day": [date(2025, 3, 1), date(2025, 5, 1)]})
    with pytest.raises(icd10cm.ReleaseDateMismatchError, match=r"'2019'.*2025-03-01"):
        icd10cm.frame.comorbidity(frame, encounter="id", code="dx", date="day",
                                  release="2019")
    table = icd10cm.frame.comorbidity(frame.iloc[:1], encounter="id", code="dx", date="day",
                                      release="2025")
    assert table["release"].tolist() == ["2025"]
    table = icd10cm.frame.comorbidity(frame, encounter="id", code="dx", date="day")
    assert table["release"].tolist() == ["2025", "2025-04"]


def test_cells_that_are_not_codes_are_counted_as_unmapped() -> None:
    frame = pd.DataFrame({"id": [1, 1, 1, 2], "dx": ["I50.9", ["I50.9"], 250.0, None]})
    table = icd10cm.frame.comorbidity(frame, encounter="id", code="dx", release="2025")
    assert table["unmapped"].tolist() == [2, 1] and table["HF"].tolist() == [True, False]


def test_record_batches_default_names_and_rows_without_an_encounter() -> None:
    batch = pa.RecordBatch.from_pydict({"encounter": [7, None, 7, None],
                                        "code": ["I509", "B20", "E119", "E1122"]})
    table = icd10cm.frame.comorbidity(batch, release="2025")  # default column names
    assert isinstance(table, pa.Table)
    records = table.to_pylist()
    # rows without an encounter id make one encounter of their own, the last one
    assert [r["encounter"] for r in records] == [7, None]
    assert (records[0]["HF"], records[0]["DIAB_UNCX"], records[0]["AIDS"]) == (True, True, False)
    assert (records[1]["AIDS"], records[1]["DIAB_CX"], records[1]["HF"]) == (True, True, False)


def test_empty_tables_and_errors() -> None:
    empty = pd.DataFrame({"hadm_id": [], "icd_code": []})
    table = icd10cm.frame.comorbidity(empty, encounter="hadm_id", code="icd_code")
    assert len(table) == 0 and "HF" in table.columns
    frame = _frame("pandas")
    with pytest.raises(ComorbidityError, match=r"no column code='dx'; its columns are"):
        icd10cm.frame.comorbidity(frame, encounter="hadm_id", code="dx")
    with pytest.raises(ComorbidityError, match=r"Unknown method 'quan'"):
        icd10cm.frame.comorbidity(frame, encounter="hadm_id", code="icd_code",
                                  method="quan")  # type: ignore[arg-type]
    with pytest.raises(ComorbidityError, match=r"pandas DataFrame, a polars DataFrame or"):
        icd10cm.frame.comorbidity(frame["icd_code"], encounter="hadm_id", code="icd_code")
    mixed = frame.assign(dischtime=[date(2025, 3, 1)] * 13 + [date(2025, 3, 2)])
    with pytest.raises(ComorbidityError, match=r"Encounter 105 has rows with the dates"):
        icd10cm.frame.comorbidity(mixed, encounter="hadm_id", code="icd_code",
                                  date="dischtime")
    undated = frame.assign(dischtime=[None] * 14)
    with pytest.raises(ComorbidityError, match=r"A row has no date of service"):
        icd10cm.frame.comorbidity(undated, encounter="hadm_id", code="icd_code",
                                  date="dischtime")
    with pytest.raises(ComorbidityError, match=r"no column code=None"):
        icd10cm.frame.comorbidity(frame, encounter="hadm_id", code=None)  # type: ignore[arg-type]
    twice = pa.Table.from_pandas(frame, preserve_index=False)
    twice = twice.append_column("icd_code", twice.column("icd_code"))
    for table in (twice, twice.to_pandas()):
        with pytest.raises(ComorbidityError, match=r"2 columns named 'icd_code'.*rename"):
            icd10cm.frame.comorbidity(table, encounter="hadm_id", code="icd_code")
    clash = frame.rename(columns={"hadm_id": "HF"})
    with pytest.raises(ComorbidityError, match=r"The encounter column 'HF'"):
        icd10cm.frame.comorbidity(clash, encounter="HF", code="icd_code")


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_times_of_one_day_are_one_date_of_service(library: str) -> None:
    # docs/comorbidity.md: the columns are "factorised the same way" as frame.check's,
    # which reads "2025-06-30" and a datetime on that day as one date; a stay whose rows
    # carry times of its discharge day has one date of service, not two.
    from datetime import datetime

    stamps = [datetime(2025, 3, 1, 8, 15), datetime(2025, 3, 1, 23, 59),
              datetime(2025, 3, 1, 8, 15)]
    columns = {"id": [1, 1, 1], "dx": ["I509", "E1122", "N186"], "day": stamps}
    frame = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "pyarrow": pa.table}[library]
    (record,) = _records(icd10cm.frame.comorbidity(frame(columns), encounter="id", code="dx",
                                                   date="day"))
    result = icd10cm.elixhauser(["I509", "E1122", "N186"], date_of_service=date(2025, 3, 1))
    assert record["mortality_index"] == result.mortality_index
    assert (record["release"], record["version"]) == (result.release, result.version)
    mixed = pd.DataFrame({**columns, "day": pd.Series(["2025-03-01", date(2025, 3, 1),
                                                       stamps[0]], dtype=object)})
    (record,) = _records(icd10cm.frame.comorbidity(mixed, encounter="id", code="dx",
                                                   date="day"))
    assert record["mortality_index"] == result.mortality_index


_BIG = 2**53 + 1  # a float64 cannot hold it: 9007199254740993 became 9007199254740992.0


def _id_tables() -> list[Any]:
    from datetime import timedelta

    code = ["I50.9", "E11.9", "I10"]
    return [
        pd.DataFrame({"encounter": pd.array([_BIG, _BIG, None], dtype="Int64"), "code": code}),
        pd.DataFrame({"encounter": pd.Categorical(["b", "b", "a"]), "code": code}),
        pd.DataFrame({"encounter": pd.Series([7, 7, 9], dtype="uint8"), "code": code}),
        pl.DataFrame({"encounter": pl.Series(["b", "b", "a"], dtype=pl.Categorical()),
                      "code": code}),
        pl.DataFrame({"encounter": pl.Series([7, 7, 9], dtype=pl.UInt8), "code": code}),
        pl.DataFrame({"encounter": pl.Series([timedelta(1), timedelta(1), "a"],
                                             dtype=pl.Object), "code": code}),
        pa.table({"encounter": pa.array(["b", "b", "a"]).dictionary_encode(), "code": code}),
        pa.table({"encounter": pa.array([7, 7, 9], pa.decimal128(10, 0)), "code": code}),
        pa.table({"encounter": pa.array(["b", "b", "a"], pa.string_view()), "code": code}),
        pa.table({"encounter": pa.array([None, None, None], pa.null()), "code": code}),
    ]


@pytest.mark.parametrize("table", _id_tables(), ids=[
    "pandas-Int64-big", "pandas-category", "pandas-uint8", "polars-Categorical",
    "polars-UInt8", "polars-Object-mixed", "arrow-dictionary", "arrow-decimal",
    "arrow-string-view", "arrow-null"])
def test_encounter_ids_keep_their_type_and_value(table: Any) -> None:
    # The ids were rebuilt from Python values: a nullable Int64 became float64 (and
    # 2**53 + 1 another number), categories text, an Object column of mixed values text
    # (or a panic of polars), an Arrow null column two encounters where it has one.
    result = icd10cm.frame.comorbidity(table, release="2025")
    if isinstance(table, pd.DataFrame):
        kind, got = result["encounter"].dtype, result["encounter"].tolist()
        assert kind == table["encounter"].dtype
        given = table["encounter"].tolist()
    elif isinstance(table, pl.DataFrame):
        kind, got = result["encounter"].dtype, result["encounter"].to_list()
        assert kind == table["encounter"].dtype
        given = table["encounter"].to_list()
    else:
        kind, got = result.schema.field("encounter").type, result.column("encounter").to_pylist()
        assert kind == table.schema.field("encounter").type
        given = table.column("encounter").to_pylist()
    # one row per encounter, in the order of first appearance, the rows without an id last
    present = [value for value in given if value is not None and value is not pd.NA]
    wanted = list(dict.fromkeys(present)) + ([None] if len(present) < len(given) else [])
    assert [None if value is pd.NA else value for value in got] == wanted


def test_columns_named_by_numbers_as_pandas_names_them() -> None:
    # A pandas DataFrame built from rows names its columns 0, 1 ...: they were compared
    # as text, so encounter=0 was "no column encounter=0; its columns are '0', '1'".
    frame = pd.DataFrame([[1, "I50.9"], [1, "E11.9"], [2, "I10"]])
    stays: Any = icd10cm.frame.comorbidity(frame, encounter=0, code=1,  # type: ignore[arg-type]
                                           release="2025")
    first, second = stays.to_dict("records")
    result = icd10cm.elixhauser(["I50.9", "E11.9"], release="2025")
    assert (first[0], first["mortality_index"]) == (1, result.mortality_index)
    assert second[0] == 2
    with pytest.raises(ComorbidityError, match=r"no column encounter='0'; its columns are 0, 1"):
        icd10cm.frame.comorbidity(frame, encounter="0", code=1)  # type: ignore[arg-type]


def test_blank_encounter_ids_are_rows_without_an_id() -> None:
    # pyarrow's CSV reader reads an empty cell as "": frame.check takes blank ids as
    # empty cells (docs/frames.md), and comorbidity, whose columns are "factorised the
    # same way" (docs/comorbidity.md), made an encounter "" and one " " of them.
    table = pa.table({"encounter": ["A", "", "A", " ", "B", None],
                      "code": ["I50.9", "E11.9", "I10", "B20", "I10", "E11.21"]})
    records = icd10cm.frame.comorbidity(table, release="2025").to_pylist()
    assert [r["encounter"] for r in records] == ["A", "B", ""]  # the empty cell as given
    orphans = icd10cm.elixhauser(["E11.9", "B20", "E11.21"], release="2025")
    measures = [m.id for m in icd10cm.cmr_versions()[-1].measures]
    assert {m for m in measures if records[2][m]} == orphans.measures
    assert records[2]["mortality_index"] == orphans.mortality_index


def test_a_record_batch_reader_is_read_whole() -> None:
    # frame.check takes one (DuckDB's relation.arrow() gives one); comorbidity refused it.
    table = pa.table({"encounter": [1, 1, 2], "code": ["I50.9", "E11.9", "I10"]})
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=2))
    result = icd10cm.frame.comorbidity(reader, release="2025")
    assert result.to_pylist() == icd10cm.frame.comorbidity(table, release="2025").to_pylist()
    assert [r["encounter"] for r in result.to_pylist()] == [1, 2]


def test_rows_without_an_id_of_two_dates_are_refused_in_their_own_words() -> None:
    # The rows without an encounter id make one encounter; of two dates, the message
    # spoke of "Encounter None".
    frame = pd.DataFrame({"stay": [1, None, None], "dx": ["I10", "I10", "E11.9"],
                          "day": ["2025-06-30", "2025-06-30", "2024-01-01"]})
    with pytest.raises(ComorbidityError, match=r"The rows without an encounter id \(column "
                       r"'stay' is empty\) have the dates of service '2025-06-30' and "
                       r"'2024-01-01'.*give each row its encounter id, or drop"):
        icd10cm.frame.comorbidity(frame, encounter="stay", code="dx", date="day")


def test_a_signalling_nan_is_an_empty_cell_not_an_exception() -> None:
    # Decimal("sNaN") != Decimal("sNaN") raises decimal.InvalidOperation: a POA cell
    # holding one stopped the whole table.
    from decimal import Decimal

    frame = pd.DataFrame({"encounter": [1, 1], "code": ["I50.9", "E11.9"],
                          "poa": pd.Series(["Y", Decimal("sNaN")], dtype=object)})
    (record,) = _records(icd10cm.frame.comorbidity(frame, poa="poa", release="2025"))
    result = icd10cm.elixhauser(["I50.9", "E11.9"], poa=["Y", None], release="2025")
    assert record["mortality_index"] == result.mortality_index
    assert record["assumed"] == len(result.assumed)


def _types(table: Any) -> dict[str, str]:
    if isinstance(table, pd.DataFrame):
        return {name: str(kind) for name, kind in table.dtypes.items()}
    if isinstance(table, pl.DataFrame):
        return {name: str(kind) for name, kind in table.schema.items()}
    return {field.name: str(field.type) for field in table.schema}


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
@pytest.mark.parametrize("method", ["elixhauser", "charlson"])
def test_an_empty_table_gives_the_column_types_of_a_full_one(library: str,
                                                             method: str) -> None:
    # The columns were built from lists: of no values, pandas made them float64, polars
    # and pyarrow null, so the partitions of a Dask or Spark job disagreed on the schema.
    full = _frame(library)
    empty = full.slice(0, 0) if library == "pyarrow" else full[:0]
    options: dict[str, Any] = {"encounter": "hadm_id", "code": "icd_code",
                               "release": "2025", "method": method}
    some = _types(icd10cm.frame.comorbidity(full, **options))
    none = _types(icd10cm.frame.comorbidity(empty, **options))
    assert none == some
    flags = {"pandas": "bool", "polars": "Boolean", "pyarrow": "bool"}[library]
    numbers = {"pandas": "int64", "polars": "Int64", "pyarrow": "int64"}[library]
    assert some["unmapped"] == numbers and flags in some.values()


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_a_value_that_is_no_poa_indicator_is_refused_not_read_as_not_present(
        library: str) -> None:
    # The POA indicators are Y, N, U, W and 1 (Guidelines Appendix I); elixhauser() refuses
    # anything else. The table read "Yes" as "not present on admission" and silently
    # dropped HF (the CMR mapping program counts HF only with Y or W).
    codes, poa = ["I50.9", "E11.9"], ["Yes", "Y"]
    columns: dict[str, list[Any]] = {"encounter": [1, 1], "code": codes, "poa": poa}
    table: Any = (pd.DataFrame(columns) if library == "pandas"
                  else pl.DataFrame(columns) if library == "polars" else pa.table(columns))
    with pytest.raises(ComorbidityError, match=r"indicator 'Yes' in column 'poa' is not "
                       r"one of Y, N, U, W or 1"):
        icd10cm.frame.comorbidity(table, poa="poa", release="2025")
    with pytest.raises(ComorbidityError, match=r"'Yes', is not one of Y, N, U, W or 1"):
        icd10cm.elixhauser(codes, poa=poa, release="2025")
    # lower case, spaces and the exempt value 1 are indicators
    fine = pd.DataFrame({"encounter": [1, 1], "code": ["I50.9", "E11.9"], "poa": [" y", "1"]})
    (record,) = _records(icd10cm.frame.comorbidity(fine, poa="poa", release="2025"))
    assert record["HF"] and record["DIAB_UNCX"]


def test_a_sequelas_cbvd_is_assumed_when_a_stroke_has_no_poa_indicator() -> None:
    # CMR_Mapping_Program_v2025-1.sas: a sequela (I69.351, POA Y) gives CBVD only if no
    # CBVD_POA diagnosis (I63.9) was N or U: with I63.9's indicator missing, CBVD rests
    # on assuming it present on admission, as elixhauser() says.
    frame = pd.DataFrame({"encounter": [1, 1], "code": ["I63.9", "I69.351"],
                          "poa": [None, "Y"]})
    (record,) = _records(icd10cm.frame.comorbidity(frame, poa="poa", release="2025"))
    result = icd10cm.elixhauser(["I63.9", "I69.351"], poa=[None, "Y"], release="2025")
    assert record["CBVD"] and record["PARALYSIS"]
    assert record["assumed"] == len(result.assumed) == 1


def test_the_two_charlson_points_can_be_chosen_for_a_table() -> None:
    # charlson-quan2005.md: E1x.6 and C4A are "two points for ICD-10-CM that a user must
    # be able to see and choose"; frame.comorbidity always kept the paper's mapping.
    # Charlson (1987) weights: diabetes 1, diabetes with chronic complication 2, any
    # malignancy 2.
    frame = pd.DataFrame({"encounter": [1, 1], "code": ["E11.65", "C4A.9"]})
    (paper,) = _records(icd10cm.frame.comorbidity(frame, method="charlson", release="2025"))
    assert (paper["diabetes"], paper["malignancy"], paper["charlson1987"]) == (True, False, 1)
    (chosen,) = _records(icd10cm.frame.comorbidity(
        frame, method="charlson", release="2025", e1x6_as_complicated=True,
        c4a_as_malignancy=True))
    assert (chosen["diabetes"], chosen["diabetes_complicated"], chosen["malignancy"],
            chosen["charlson1987"]) == (False, True, True, 4)
    with pytest.raises(ComorbidityError, match=r"c4a_as_malignancy=True: options of "
                       r"method='charlson'"):
        icd10cm.frame.comorbidity(frame, release="2025", c4a_as_malignancy=True)


def test_a_poa_column_with_the_charlson_method_is_refused() -> None:
    # The Charlson index (charlson-quan2005.md) reads every code whatever its POA; the
    # command refuses --poa with --method charlson. The table ignored poa= silently:
    # a caller who meant method="elixhauser" got Charlson scores without a word.
    frame = pd.DataFrame({"encounter": [1], "code": ["I50.9"], "poa": ["N"]})
    with pytest.raises(ComorbidityError, match=r"poa='poa' is an option of "
                       r"method='elixhauser'"):
        icd10cm.frame.comorbidity(frame, poa="poa", method="charlson", release="2025")
    (record,) = _records(icd10cm.frame.comorbidity(frame, method="charlson", release="2025"))
    assert record["chf"] and record["charlson1987"] == 1  # Charlson (1987): CHF 1
