"""icd10cm.frame.check: claims tables checked encounter by encounter, compared with
icd10cm.check and icd10cm.sequence on the same encounters; bad rows as findings; dates,
settings and indicators; the three libraries; the Dask, Spark and DuckDB recipes."""

from __future__ import annotations

import datetime
import decimal
import itertools
import os
import random
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest

import icd10cm
import icd10cm.frame

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

import icd10cm.frame.claims_arrow  # noqa: E402  (after the skips: these import the libraries)
import icd10cm.frame.claims_pandas  # noqa: E402

FRAMES = Path(__file__).resolve().parent.parent / "docs" / "frames.md"
LIBRARIES = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "pyarrow": pa.table}
NOT_CHECKED = "The encounter was not checked against the Guidelines."

Finding = tuple[Any, ...]  # (encounter, rule, severity, positions, codes, message, suggestions,
#                             release, source_release)
Placed = tuple[Any, ...]  # (encounter, position, code, from_position, rule)


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, dict):  # an Arrow struct
        return tuple(value.items())
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def rows_of(table: Any) -> list[tuple[Any, ...]]:
    """The rows of a pandas or polars DataFrame or a pyarrow Table, as plain tuples."""
    library = type(table).__module__.partition(".")[0]
    if library == "pandas":
        records = table.astype(object).itertuples(index=False)
    elif library == "polars":
        records = table.rows()
    else:
        records = (tuple(row.values()) for row in table.to_pylist())
    return [tuple(_plain(cell) for cell in row) for row in records]


def expected(encounters: dict[Any, list[tuple[int, str]]], setting: dict[Any, str],
             release: str | None = None, date_of_service: str | None = None,
             poa: dict[Any, list[str]] | None = None) -> tuple[list[Finding], list[Placed]]:
    """What icd10cm.check and icd10cm.sequence say of each encounter (its (position, code)
    rows, in any order, and its POA indicators in that order), in the tables' terms:
    positions as given, in encounter order."""
    findings: list[Finding] = []
    placed: list[Placed] = []
    for ident, rows in encounters.items():
        rows = sorted(rows)
        positions = [position for position, _ in rows]
        encounter = icd10cm.Encounter.from_codes(
            [code for _, code in rows], setting=setting[ident], release=release,
            date_of_service=date_of_service,
            present_on_admission=(poa or {}).get(ident))
        release_id = encounter.release.id
        for f in icd10cm.check(encounter):
            findings.append((ident, f.rule, f.severity.value,
                             tuple(positions[p] for p in f.positions), f.codes, f.message,
                             f.suggestions, release_id, f.source_release or release_id))
        sequencing = icd10cm.sequence(encounter)
        moved = {move.to_position: move.rule for move in sequencing.moves}
        for new, old in enumerate(sequencing.order):
            placed.append((ident, positions[new], encounter.diagnoses[old].value,
                           positions[old], moved.get(new)))
    return findings, placed


def claims_table(seed: int, count: int) -> tuple[dict[str, list[Any]], dict[Any, Any],
                                                 dict[Any, str]]:
    """*count* encounters of 1 to 9 reportable codes of the latest release, with positions
    that are not always 1..n, rows shuffled across encounters."""
    rng = random.Random(seed)
    release = icd10cm.latest_release()
    pool = rng.sample([code.value for code in release.billable_codes()], 400)
    pool += ["Z68.41", "E66.01", "W19.XXXA", "S72.001A", "Y92.009", "R07.9", "I21.9", "E11.9"]
    encounters: dict[Any, list[tuple[int, str]]] = {}
    settings: dict[Any, str] = {}
    for number in range(count):
        ident = f"claim-{number:03d}"
        codes = rng.sample(pool, rng.randint(1, 9))
        base = rng.choice([0, 1, 1, 1, 10])
        step = rng.choice([1, 1, 2])
        encounters[ident] = [(base + step * k, code) for k, code in enumerate(codes)]
        settings[ident] = rng.choice(["inpatient", "outpatient", "Outpatient "])
    rows = [(ident, position, code, settings[ident])
            for ident, placed in encounters.items() for position, code in placed]
    rng.shuffle(rows)
    columns = {name: [row[k] for row in rows]
               for k, name in enumerate(("claim", "dx_position", "dx", "setting"))}
    return columns, encounters, {k: v.strip().lower() for k, v in settings.items()}


# --- agreement with icd10cm.check and icd10cm.sequence ---------------------------------------


@pytest.mark.slow
def test_every_encounter_agrees_with_check_and_sequence() -> None:
    columns, encounters, settings = claims_table(7, 30)
    want_findings, want_order = expected(encounters, settings)
    assert {f[1] for f in want_findings} & {"I.B.2/unspecified", "I.C.21.c.3/bmi-first"}
    assert any(p[1] != p[3] for p in want_order)  # sequence moved something
    # encounters come in the order of their first row; findings in check's order
    first_seen = list(dict.fromkeys(columns["claim"]))
    want_findings.sort(key=lambda f: first_seen.index(f[0]))
    want_order.sort(key=lambda p: first_seen.index(p[0]))
    for library, make in LIBRARIES.items():
        findings, order = icd10cm.frame.check(make(columns), encounter="claim", code="dx",
                                              position="dx_position", setting="setting")
        assert rows_of(findings) == want_findings, library
        assert rows_of(order) == want_order, library


def test_the_tables_columns_and_types() -> None:
    columns, _, _ = claims_table(8, 10)
    for library, make in LIBRARIES.items():
        result = icd10cm.frame.check(make(columns), encounter="claim", code="dx",
                                     position="dx_position", setting="setting")
        findings, order = result
        assert findings is result.findings and order is result.order
        names = list(findings.columns if library != "pyarrow" else findings.column_names)
        assert names == ["encounter", *icd10cm.frame.FINDING_COLUMNS]
        names = list(order.columns if library != "pyarrow" else order.column_names)
        assert names == ["encounter", *icd10cm.frame.ORDER_COLUMNS]
    pandas = icd10cm.frame.check(pd.DataFrame(columns), encounter="claim", code="dx",
                                 position="dx_position", setting="setting")
    meta = icd10cm.frame.claims_pandas.meta(pd.DataFrame(columns)["claim"].dtype)
    for got, empty in ((pandas.findings, meta.findings), (pandas.order, meta.order)):
        assert list(map(str, got.dtypes)) == list(map(str, empty.dtypes))  # category: any
    assert list(pandas.findings["severity"].cat.categories) == ["error", "warning", "info"]
    arrow = icd10cm.frame.check(pa.table(columns), encounter="claim", code="dx",
                                position="dx_position", setting="setting")
    assert (arrow.findings.schema, arrow.order.schema) == \
        icd10cm.frame.claims_arrow.schemas(pa.string())


def test_encounter_ids_keep_their_type() -> None:
    day = datetime.date(2025, 1, 1)
    for ids in ([7, 7, 9], ["a", "a", "b"], [day, day, datetime.date(2025, 1, 2)]):
        table = {"encounter": ids, "position": [1, 2, 1], "code": ["R07.9", "I21.9", "Z68.41"]}
        for library, make in LIBRARIES.items():
            findings, order = icd10cm.frame.check(make(table))
            encounters = [row[0] for row in rows_of(findings)]
            assert set(encounters) == set(ids), library
            assert [row[0] for row in rows_of(order)] == ids, library
    chunked = pa.Table.from_batches([pa.record_batch(table) for table in (
        {"encounter": [1, 1], "position": [1, 2], "code": ["R07.9", "I21.9"]},
        {"encounter": [1, 2], "position": [3, 1], "code": ["E11.9", "I10"]})])
    _, order = icd10cm.frame.check(chunked)
    assert [row[:3] for row in rows_of(order)] == [(1, 1, "I21.9"), (1, 2, "R07.9"),
                                                   (1, 3, "E11.9"), (2, 1, "I10")]


# --- bad rows are findings, never exceptions ------------------------------------------------


BAD: dict[str, list[Any]] = {
    "encounter": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, None, 8, 8],
    "position": [1.0, 2.0, 1.0, 2.0, 1.0, None, 1.0, 1.0, 1.0, 2.0, 1.0, 2.0, 1.0, 1.0, 2.5],
    "code": ["E11.9", "E11.99", "I10", None, "I10", "E11.9", "I10", "E11.9", "I10", "E11.9",
             "I10", "1E1.9", "I10", "I10", "E11.9"],
    "setting": ["outpatient", "outpatient", "outpatient", "outpatient", "outpatient",
                "outpatient", "outpatient", "outpatient", "inpatient", "outpatient", "ER", "ER",
                "outpatient", "outpatient", "outpatient"],
}


def _bad_findings(library: str) -> list[Finding]:
    findings, order = icd10cm.frame.check(LIBRARIES[library](BAD), setting="setting")
    assert rows_of(order) == []  # no encounter here can be checked
    return rows_of(findings)


@pytest.mark.parametrize("library", list(LIBRARIES))
def test_bad_rows_become_findings(library: str) -> None:
    found = {(f[0], f[1]): f for f in _bad_findings(library)}
    release = icd10cm.latest_release().id
    assert set(found) == {
        (1, "frame/unknown-code"), (2, "frame/missing-code"), (3, "frame/missing-position"),
        (4, "frame/duplicate-position"), (5, "frame/mixed-setting"),
        (6, "frame/invalid-setting"), (6, "frame/malformed-code"),
        (None, "frame/missing-encounter"), (8, "frame/missing-position")}
    verdict = icd10cm.validate("E11.99")
    unknown = found[1, "frame/unknown-code"]
    assert unknown[2:] == ("error", (2,), ("E11.99",), f"{verdict.message} {NOT_CHECKED}",
                           verdict.suggestions, release, release)
    assert found[2, "frame/missing-code"][3:5] == ((2,), ())
    assert found[3, "frame/missing-position"][3:5] == ((), ("E11.9",))
    assert found[4, "frame/duplicate-position"][3:5] == ((1, 1), ("I10", "E11.9"))
    assert found[5, "frame/mixed-setting"][3:5] == ((1, 2), ("I10", "E11.9"))
    assert "'ER'" in found[6, "frame/invalid-setting"][5]
    assert found[6, "frame/invalid-setting"][3] == (1, 2)
    assert found[6, "frame/malformed-code"][5].startswith(icd10cm.validate("1E1.9").message)
    assert found[None, "frame/missing-encounter"][3:5] == ((1,), ("I10",))
    assert found[None, "frame/missing-encounter"][7] is None
    assert "2.5, not a whole number" in found[8, "frame/missing-position"][5]
    for finding in found.values():
        assert finding[2] == "error"
        assert finding[1] == "frame/missing-encounter" or finding[5].endswith(NOT_CHECKED)


def test_one_bad_encounter_does_not_stop_the_others() -> None:
    good: dict[str, list[Any]] = {"encounter": [10, 10], "position": [1, 2],
                                  "code": ["Z68.41", "E66.01"], "setting": ["outpatient"] * 2}
    table = pd.DataFrame({name: [*values, *good[name]] for name, values in BAD.items()})
    findings, order = icd10cm.frame.check(table, setting="setting")
    want_findings, want_order = expected({10: [(1, "Z68.41"), (2, "E66.01")]},
                                         {10: "outpatient"})
    assert [f for f in rows_of(findings) if f[0] == 10] == want_findings
    assert rows_of(order) == want_order
    assert [f[1] for f in rows_of(findings)][-1] == "frame/missing-encounter"  # last


@pytest.mark.parametrize("library", list(LIBRARIES))
def test_bad_encounters_among_good_ones_keep_their_own_rows(library: str) -> None:
    # A good encounter before each bad one of BAD, the encounters in reverse order and
    # the rows of each two interleaved (each encounter's rows keep their order): each
    # bad encounter's findings name its own rows (their positions and codes, as given),
    # as when it stands alone; each good one agrees with check and sequence.
    bad = list(dict.fromkeys(BAD["encounter"]))
    good = {100 + k: [(1, "Z68.41"), (2, "E66.01")] if k % 2 else [(1, "I10")]
            for k in range(len(bad))}
    blocks: list[list[tuple[Any, ...]]] = []
    for k, ident in enumerate(bad):
        blocks.append([(100 + k, position, code, "outpatient")
                       for position, code in good[100 + k]])
        blocks.append([tuple(BAD[name][row] for name in BAD)
                       for row, owner in enumerate(BAD["encounter"]) if owner == ident])
    blocks.reverse()
    rows: list[tuple[Any, ...]] = []
    for one, other in zip(blocks[::2], blocks[1::2], strict=True):  # two per encounter
        rows += [row for pair in itertools.zip_longest(one, other) for row in pair
                 if row is not None]
    table = {name: [row[k] for row in rows] for k, name in enumerate(BAD)}
    findings, order = icd10cm.frame.check(LIBRARIES[library](table), setting="setting")
    got = rows_of(findings)
    alone = _bad_findings(library)
    assert sorted((f for f in got if f[0] is None or f[0] < 100), key=repr) == \
        sorted(alone, key=repr)
    want_findings, want_order = expected(good, dict.fromkeys(good, "outpatient"))
    first_seen = list(dict.fromkeys(table["encounter"]))
    assert sorted((f for f in got if f[0] is not None and f[0] >= 100),
                  key=lambda f: first_seen.index(f[0])) == \
        sorted(want_findings, key=lambda f: first_seen.index(f[0]))
    assert rows_of(order) == sorted(want_order, key=lambda p: first_seen.index(p[0]))


def test_frame_rules_are_documented_and_apart_from_the_guidelines() -> None:
    ids = [rule.id for rule in icd10cm.frame.rules()]
    assert all(rule.id.startswith("frame/") and rule.section == "frame"
               for rule in icd10cm.frame.rules())
    assert not set(ids) & {rule.id for rule in icd10cm.rules()}
    assert all(not rule.id.startswith("frame/") for rule in icd10cm.rules())
    text = FRAMES.read_text(encoding="utf-8")
    assert all(f"`{rule}`" in text for rule in ids)


# --- dates, releases and indicators --------------------------------------------------------------


def test_the_date_of_service_chooses_each_encounters_release() -> None:
    table = {
        "encounter": [1, 2, 3, 3, 4, 5],
        "position": [1, 1, 1, 2, 1, 1],
        "code": ["U07.1", "U07.1", "J12.82", "U07.1", "I10", "I10"],
        "date": ["2020-05-01", "2019-12-01", "2021-06-30", "2021-06-30", "2021-13-01", None],
    }
    for make in LIBRARIES.values():
        findings, order = icd10cm.frame.check(make(table), date="date")
        found = {f[0]: f for f in rows_of(findings) if f[1].startswith("frame/")}
        assert set(found) == {2, 4, 5}
        covid = {3: [(1, "J12.82"), (2, "U07.1")]}
        want, _ = expected(covid, {3: "outpatient"}, "2021-06-30")
        assert [f for f in rows_of(findings) if f[0] == 3] == want
        assert want[0][1] == "I.C.1.g.1/covid-first"  # J12.82 is a manifestation of U07.1
        assert want[0][7] == icd10cm.release_for("2021-06-30").id
        assert found[2][1:4] == ("frame/unknown-code", "error", (1,))
        assert found[2][7] == "2020"  # FY2020 was in force on 2019-12-01: no U07.1 yet
        assert found[2][5].startswith(icd10cm.validate("U07.1", release="2020").message)
        assert found[4][1] == "frame/invalid-date" and "2021-13-01" in found[4][5]
        assert found[5][1] == "frame/invalid-date" and "no date of service" in found[5][5]
        assert [p[:3] for p in rows_of(order)] == [(1, 1, "U07.1"), (3, 1, "U07.1"),
                                                   (3, 2, "J12.82")]
    typed = pd.DataFrame({**table, "date": pd.to_datetime(table["date"], errors="coerce")})
    rules = {f[0]: f[1] for f in rows_of(icd10cm.frame.check(typed, date="date").findings)}
    assert rules == {2: "frame/unknown-code", 3: "I.C.1.g.1/covid-first",
                     4: "frame/invalid-date", 5: "frame/invalid-date"}


def test_each_code_is_read_once_per_release_not_once_per_date(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A claims table holds many dates of service of few releases. Each code was read
    # (and every distinct code of the table scanned) once per distinct date: 700 dates
    # made frame.check two and a half times slower than without dates.
    import icd10cm.frame.encounters as module

    calls: list[tuple[object, str]] = []
    real = module._diagnosis

    def counted(value: object, release: Any) -> Any:
        calls.append((value, release.id))
        return real(value, release)

    monkeypatch.setattr(module, "_diagnosis", counted)
    days = [datetime.date(2025, 6, day) for day in range(1, 31)]  # all in force: 2025-04
    table = pd.DataFrame({"encounter": range(30), "position": [1] * 30,
                          "code": ["R07.9"] * 30, "date": days})
    findings, order = icd10cm.frame.check(table, date="date")
    assert sorted(set(calls)) == [("R07.9", "2025-04")] and len(calls) == 1
    want, placed = expected({1: [(1, "R07.9")]}, {1: "outpatient"},
                            date_of_service="2025-06-15")
    assert [f[1:] for f in rows_of(findings)] == [f[1:] for f in want] * 30
    assert [p[1:] for p in rows_of(order)] == [p[1:] for p in placed] * 30


def test_a_release_with_dates_must_cover_them() -> None:
    table = pd.DataFrame({"encounter": [1, 2], "position": [1, 1], "code": ["I10", "I10"],
                          "date": ["2025-06-30", "2020-01-01"]})
    findings, order = icd10cm.frame.check(table, date="date", release="2025-04")
    (finding,) = rows_of(findings)
    assert finding[:2] == (2, "frame/invalid-date") and "2025-04" in finding[5]
    assert rows_of(order) == [(1, 1, "I10", 1, None)]
    with pytest.raises(icd10cm.UnknownReleaseError):
        icd10cm.frame.check(table, release="1999")


def test_mixed_dates_and_present_on_admission_indicators() -> None:
    table = {
        "encounter": [1, 1, 2, 2, 3, 4, 5],
        "position": [1, 2, 1, 2, 1, 1, 1],
        "code": ["S72.001A", "W19.XXXA", "I10", "E11.9", "I10", "I10", "I10"],
        "setting": ["inpatient", "inpatient", "inpatient", "inpatient", "inpatient",
                    "outpatient", "inpatient"],
        "poa": ["y", "1", "Y", "N", "X", "Y", None],
        "date": ["2025-01-02", "2025-01-02", "2025-01-02", "2025-01-03", "2025-01-02",
                 "2025-01-02", "2025-01-02"],
    }
    findings, order = icd10cm.frame.check(pl.DataFrame(table), setting="setting", poa="poa",
                                          date="date")
    found = {(f[0], f[1]): f for f in rows_of(findings) if f[1].startswith("frame/")}
    assert set(found) == {(2, "frame/mixed-date"), (3, "frame/invalid-poa"),
                          (4, "frame/invalid-poa")}
    assert "holds 'X'" in found[3, "frame/invalid-poa"][5]
    assert "inpatient stays only" in found[4, "frame/invalid-poa"][5]
    encounter = icd10cm.Encounter.from_codes(["S72.001A", "W19.XXXA"], setting="inpatient",
                                             date_of_service="2025-01-02",
                                             present_on_admission=["Y", "1"])
    want, _ = expected({1: [(1, "S72.001A"), (2, "W19.XXXA")]}, {1: "inpatient"},
                       date_of_service="2025-01-02", poa={1: ["Y", "1"]})
    assert [f for f in rows_of(findings) if f[0] == 1] == want
    assert [(f.rule, f.positions) for f in icd10cm.check(encounter)] == \
        [(f[1], tuple(p - 1 for p in f[3])) for f in want]
    assert [p[0] for p in rows_of(order)] == [1, 1, 5]
    assert [p[2] for p in rows_of(order)][:2] == \
        [code.value for code in icd10cm.sequence(encounter).encounter.diagnoses]


def test_borrowed_notes_name_their_release() -> None:
    fy2027 = icd10cm.load_release("2027")
    assert fy2027.notes_from != "2027"  # FY2027 borrows its Tabular List notes
    table = pd.DataFrame({"encounter": [1, 1], "position": [1, 2], "code": ["Z68.41", "E66.01"]})
    findings = rows_of(icd10cm.frame.check(table, release="2027").findings)
    encounter = icd10cm.Encounter.from_codes(["Z68.41", "E66.01"], release="2027")
    want = {f.rule: f.source_release for f in icd10cm.check(encounter)}
    assert fy2027.notes_from in want.values()
    assert {f[1]: f[8] for f in findings} == {rule: source or "2027"
                                             for rule, source in want.items()}
    assert {f[7] for f in findings} == {"2027"}


# --- what it refuses ------------------------------------------------------------------------------


def test_anything_but_a_table_is_refused_with_advice() -> None:
    for value, advice in ((pd.Series(["E11.9"]), "pass the whole table"),
                          (pa.array(["E11.9"]), "pass the whole table"),
                          (pl.DataFrame({"a": [1]}).lazy(), "collect()"),
                          ([("E11.9",)], "icd10cm.Encounter")):
        with pytest.raises(icd10cm.UnsupportedTableError, match=advice) as raised:
            icd10cm.frame.check(value)
        assert isinstance(raised.value, TypeError)
    table = pd.DataFrame({"claim": [1], "dx": ["E11.9"]})
    with pytest.raises(icd10cm.MissingColumnError) as missing:
        icd10cm.frame.check(table, encounter="claim", code="dx", setting="place")
    message = str(missing.value)
    assert "position='position'" in message and "setting='place'" in message
    assert "claim, dx" in message and "encounter=" not in message.split(".")[0]


def test_empty_tables_give_empty_tables() -> None:
    for library, make in LIBRARIES.items():
        empty = make({"encounter": [1], "position": [1], "code": ["I10"]})[:0]
        findings, order = icd10cm.frame.check(empty)
        assert rows_of(findings) == [] and rows_of(order) == [], library


def test_codes_shown_as_given_keep_their_text_in_every_library() -> None:
    # Polars list columns are built by joining each finding's codes with a separator
    # and splitting them again (or, where a text holds the separator, otherwise): a
    # text must come back as it was given, an empty one too.
    plain: dict[str, list[Any]] = {"encounter": [2, 3, 3], "position": [1, 1, 1],
                                   "code": ["", "1E1.9", "2E2.9"]}
    separated = {**plain, "code": ["", "I1\x1f0", "E1\x1f1.9"]}
    for table in (plain, separated):
        first, second = table["code"][1:]
        want = {(2, ("",)), (3, (first,)), (3, (second,)),
                (3, (first, second))}  # the last: the duplicate position
        for library, make in LIBRARIES.items():
            findings, order = icd10cm.frame.check(make(table))
            assert {(f[0], f[4]) for f in rows_of(findings)} == want, library
            assert rows_of(order) == [], library


def test_an_encounter_the_guidelines_refuse_becomes_a_finding(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import icd10cm.frame.encounters as module

    refusal = icd10cm.EncounterError([(None, "refused for this test")])
    from icd10cm.encounters.sequencing import moved as real

    def refuse_i10(analysis: Any) -> Any:  # frame.check sequences with moved()
        if any(code.value == "I10" for code in analysis.encounter.diagnoses):
            raise refusal
        return real(analysis)

    monkeypatch.setattr(module, "moved", refuse_i10)
    table = {"encounter": [1, 1, 2], "position": [3, 5, 1], "code": ["E11.9", "I10", "R07.9"]}
    for library, make in LIBRARIES.items():
        findings, order = icd10cm.frame.check(make(table))
        refused = [f for f in rows_of(findings) if f[0] == 1]
        assert refused == [(1, "frame/invalid-encounter", "error", (3, 5), ("E11.9", "I10"),
                            f"{str(refusal).rstrip('.')}. {NOT_CHECKED}", (),
                            icd10cm.latest_release().id, icd10cm.latest_release().id)], library
        assert [row[:3] for row in rows_of(order)] == [(2, 1, "R07.9")], library


def test_encounters_of_good_rows_equal_those_encounter_builds() -> None:
    # frame.check builds the encounters of rows it has checked without the checks of
    # Encounter.__init__; they must be the very encounters __init__ makes.
    from icd10cm.encounters.encounter import unchecked_encounter

    stay = datetime.date(2025, 1, 2)
    release = icd10cm.release_for(stay)
    codes = tuple(release.get(value) for value in ("S72.001A", "W19.XXXA", "I10"))
    assert all(code is not None for code in codes)
    poa = (icd10cm.PresentOnAdmission.YES, None, icd10cm.PresentOnAdmission.EXEMPT)
    for args in ((codes, icd10cm.Setting.INPATIENT, stay, poa),
                 (codes[2:], icd10cm.Setting.OUTPATIENT, None, None)):
        built, checked = unchecked_encounter(*args), icd10cm.Encounter(*args)
        # every field set (a missing one raises here), and set as __init__ sets it
        assert attrs.asdict(built, recurse=False) == attrs.asdict(checked, recurse=False)
        assert built == checked


# --- messy tables: what real claims extracts hold ---------------------------------------------


def _one_encounter(rows: list[tuple[int, str]],
                   **options: Any) -> tuple[list[Finding], list[Placed]]:
    """What check and sequence say of encounter 1 of *rows* ((position, code) pairs)."""
    return expected({1: rows}, {1: options.pop("setting", "outpatient")}, **options)


@pytest.mark.parametrize("table", [
    pa.table({"encounter": [[1], [1], [2]], "position": [1, 2, 1],
              "code": ["Z68.41", "E66.01", "I10"]}),
    pa.table({"encounter": [{"claim": 1}, {"claim": 1}, {"claim": 2}], "position": [1, 2, 1],
              "code": ["Z68.41", "E66.01", "I10"]}),
    pl.DataFrame({"encounter": pl.Series([(1,), (1,), (2,)], dtype=pl.Object),
                  "position": [1, 2, 1], "code": ["Z68.41", "E66.01", "I10"]}),
], ids=["arrow-list", "arrow-struct", "polars-object"])
def test_encounter_ids_of_any_type_group_the_rows(table: Any) -> None:
    findings, order = icd10cm.frame.check(table)
    ids = [row[0] for row in rows_of(order)]
    assert ids[0] == ids[1] != ids[2]
    want, placed = expected({ids[0]: [(1, "Z68.41"), (2, "E66.01")], ids[2]: [(1, "I10")]},
                            {ids[0]: "outpatient", ids[2]: "outpatient"})
    assert rows_of(findings) == want and rows_of(order) == placed


_LONG = [[*range(40), 1], [*range(40), 2]]  # the same first 80 characters


@pytest.mark.parametrize("table", [
    pd.DataFrame({"encounter": pd.Series([_LONG[0], _LONG[0], _LONG[1]], dtype=object),
                  "position": [1, 2, 1], "code": ["Z68.41", "E66.01", "I10"]}),
    pa.table({"encounter": [_LONG[0], _LONG[0], _LONG[1]], "position": [1, 2, 1],
              "code": ["Z68.41", "E66.01", "I10"]}),
    pl.DataFrame({"encounter": pl.Series([_LONG[0], _LONG[0], _LONG[1]],
                                         dtype=pl.Object),
                  "position": [1, 2, 1], "code": ["Z68.41", "E66.01", "I10"]}),
    pd.DataFrame({"encounter": pd.Series([[1], [1], "[1]"], dtype=object),
                  "position": [1, 2, 1], "code": ["Z68.41", "E66.01", "I10"]}),
], ids=["pandas-object", "arrow-list", "polars-object", "pandas-list-and-its-text"])
def test_encounter_ids_that_differ_only_far_in_are_two_encounters(table: Any) -> None:
    # Unhashable ids were keyed by their repr cut to 80 characters (and a list by the
    # text of its repr): two encounters became one, with a duplicate position.
    findings, order = icd10cm.frame.check(table)
    ids = [row[0] for row in rows_of(order)]
    assert len(ids) == 3 and ids[0] == ids[1] != ids[2]
    want, placed = expected({ids[0]: [(1, "Z68.41"), (2, "E66.01")], ids[2]: [(1, "I10")]},
                            {ids[0]: "outpatient", ids[2]: "outpatient"})
    assert rows_of(findings) == want and rows_of(order) == placed


def _view_tables() -> list[Any]:
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    ids = ["a", "a", "b"]
    base: dict[str, list[Any]] = {"encounter": ids, "position": [1, 2, 1],
                                  "code": ["Z68.41", "E66.01", "I10"]}
    return [
        pa.table({**base, "encounter": pa.array(ids, pa.string_view())}),
        pa.table({**base, "encounter": pa.array([i.encode() for i in ids],
                                                     pa.binary_view())}),
        pa.table({**base, "encounter": pc.run_end_encode(pa.array(ids))}),
        pl.DataFrame(base).to_arrow(compat_level=pl.CompatLevel.newest()),  # string views
        pd.DataFrame({**base, "encounter": pd.Series(ids, dtype=pd.ArrowDtype(pa.string_view()))}),
    ]


@pytest.mark.parametrize("table", _view_tables(),
                         ids=["arrow-string-view", "arrow-binary-view", "arrow-run-end-encoded",
                              "polars-to-arrow", "pandas-string-view"])
def test_encounter_ids_that_arrow_cannot_take_keep_their_type(table: Any) -> None:
    # Arrow's take has no kernel for views or run-end encoded arrays; the ids are still
    # given back in the input's type (polars' to_arrow() gives string views).
    findings, order = icd10cm.frame.check(table)
    library = type(table).__module__.partition(".")[0]
    if library == "pandas":
        kind = table.dtypes["encounter"]
        assert findings.dtypes["encounter"] == kind and order.dtypes["encounter"] == kind
        # pandas cannot make a column of string views an object column: rows_of would fail
        findings, order = (frame.assign(encounter=frame["encounter"].tolist())
                           for frame in (findings, order))
    else:
        kind = table.schema.field("encounter").type
        assert findings.schema.field("encounter").type == kind
        assert order.schema.field("encounter").type == kind
    ids = [row[0] for row in rows_of(order)]
    assert ids[0] == ids[1] != ids[2]
    want, placed = expected({ids[0]: [(1, "Z68.41"), (2, "E66.01")], ids[2]: [(1, "I10")]},
                            {ids[0]: "outpatient", ids[2]: "outpatient"})
    assert rows_of(findings) == want and rows_of(order) == placed


@pytest.mark.parametrize("code", [
    pa.array([["E11.9"], None, ["E11.9"]]),
    pa.array([{"dx": "E11.9"}, None, {"dx": "E11.9"}]),
    pa.array([[("dx", "E11.9")], None, [("dx", "E11.9")]], pa.map_(pa.string(), pa.string())),
    pl.Series([("E11.9",), None, ("E11.9",)], dtype=pl.Object),
    pd.Series([["E11.9"], None, ["E11.9"]], dtype=pd.ArrowDtype(pa.list_(pa.string()))),
], ids=["arrow-list", "arrow-struct", "arrow-map", "polars-object", "pandas-arrow-list"])
def test_codes_that_are_not_text_are_findings_whatever_their_type(code: Any) -> None:
    library = type(code).__module__.partition(".")[0]
    columns = {"encounter": [1, 2, 3], "position": [1, 1, 1], "code": code}
    table = LIBRARIES[library](columns)
    findings, order = icd10cm.frame.check(table)
    assert [f[:4] for f in rows_of(findings)] == [
        (1, "frame/malformed-code", "error", (1,)), (2, "frame/missing-code", "error", (1,)),
        (3, "frame/malformed-code", "error", (1,))]
    assert rows_of(order) == []


@pytest.mark.parametrize("library", list(LIBRARIES))
def test_rows_without_an_encounter_id_none_nan_or_blank(library: str) -> None:
    # pandas reads an empty cell as NaN, pyarrow's CSV reader as "" (and a float
    # column keeps NaN in polars and pyarrow): each is a row without an encounter id.
    for ids in ([1.0, float("nan"), 1.0, None], ["A", "", "A", " "]):
        table = LIBRARIES[library]({"encounter": ids, "position": [1, 1, 2, 1],
                                    "code": ["Z68.41", "I10", "E66.01", "R07.9"]})
        findings, order = icd10cm.frame.check(table)
        want, placed = expected({ids[0]: [(1, "Z68.41"), (2, "E66.01")]},
                                {ids[0]: "outpatient"})
        assert rows_of(order) == placed, (library, ids)
        assert rows_of(findings)[:len(want)] == want, (library, ids)
        orphans = rows_of(findings)[len(want):]
        assert [f[1:5] for f in orphans] == [
            ("frame/missing-encounter", "error", (1,), (code,))
            for code in ("I10", "R07.9")], (library, ids)
        assert [f[0] in (None, "", " ") for f in orphans] == [True, True]


@pytest.mark.parametrize("positions", [
    pa.array([decimal.Decimal("1"), decimal.Decimal("2.00")], pa.decimal128(10, 2)),
    pl.Series([decimal.Decimal("1"), decimal.Decimal("2")], dtype=pl.Decimal(10, 0)),
    pd.Series([decimal.Decimal("1"), decimal.Decimal("2.0")], dtype=object),
    pd.Series(["\u0661", " +2 "], dtype=object),  # ARABIC-INDIC DIGIT ONE is a digit
    pl.Series(["1.0", " 2.00 "]),  # a float column written out as text
    pa.array(["01", "2."]),
], ids=["arrow-decimal", "polars-decimal", "pandas-decimal", "pandas-text", "polars-text",
        "arrow-text"])
def test_whole_number_positions_of_any_type(positions: Any) -> None:
    library = type(positions).__module__.partition(".")[0]
    columns = {"encounter": [1, 1], "position": positions, "code": ["Z68.41", "E66.01"]}
    table = LIBRARIES[library](columns)
    findings, order = icd10cm.frame.check(table)
    want, placed = _one_encounter([(1, "Z68.41"), (2, "E66.01")])
    assert (rows_of(findings), rows_of(order)) == (want, placed)


@pytest.mark.parametrize(("position", "said"), [
    ("\u00b2", "holds '\u00b2', not a whole number"),  # SUPERSCRIPT TWO: a digit, no decimal
    ("+-2", "holds '+-2', not a whole number"),
    ("2.5", "holds '2.5', not a whole number"),
    ("2.0.0", "holds '2.0.0', not a whole number"),
    (".0", "holds '.0', not a whole number"),
    (2**64, f"holds {2**64}, too large a number"),
    (-(2**63) - 1, f"holds {-(2**63) - 1}, too large a number"),
    (2**63 - 1, f"holds {2**63 - 1}, too large a number"),  # int64's largest: kept for none
    (1e30, "holds 1e+30, too large a number"),
])
def test_positions_that_are_no_whole_int64_are_findings(position: Any, said: str) -> None:
    table = pd.DataFrame({"encounter": [1, 1], "position": pd.Series([1, position], dtype=object),
                          "code": ["I10", "E11.9"]})
    findings, order = icd10cm.frame.check(table)
    (finding,) = rows_of(findings)
    assert finding[1:5] == ("frame/missing-position", "error", (), ("E11.9",))
    assert said in finding[5]
    assert rows_of(order) == []


def test_present_on_admission_exempt_as_a_number_and_blank_indicators() -> None:
    stay = {"encounter": [1, 1], "position": [1, 2], "code": ["S72.001A", "W19.XXXA"],
            "setting": ["inpatient", "inpatient"]}
    want, placed = _one_encounter([(1, "S72.001A"), (2, "W19.XXXA")], setting="inpatient",
                                  poa={1: ["Y", "1"]})
    blank, _ = _one_encounter([(1, "S72.001A"), (2, "W19.XXXA")], setting="inpatient",
                              poa={1: ["Y", None]})
    assert want != blank
    # pandas keeps a column of numbers with empty cells as floats: 1 is 1.0 there
    for table, wanted in ((pd.DataFrame({**stay, "poa": ["Y", 1.0]}), want),
                          (pa.table({**stay, "poa": ["Y", ""]}), blank),
                          (pl.DataFrame({**stay, "poa": ["Y", "  "]}), blank)):
        findings, order = icd10cm.frame.check(table, setting="setting", poa="poa")
        assert rows_of(findings) == wanted and rows_of(order) == placed
    # An outpatient encounter whose indicator cells are blank has no indicators
    visit = pa.table({**stay, "setting": ["outpatient"] * 2, "poa": ["", " "]})
    findings, order = icd10cm.frame.check(visit, setting="setting", poa="poa")
    want, placed = _one_encounter([(1, "S72.001A"), (2, "W19.XXXA")])
    assert rows_of(findings) == want and rows_of(order) == placed


def test_settings_and_dates_that_say_the_same_are_not_mixed() -> None:
    rows = [(1, "S72.001A"), (2, "W19.XXXA")]
    base = {"encounter": [1, 1], "position": [1, 2], "code": ["S72.001A", "W19.XXXA"]}
    want, placed = _one_encounter(rows, setting="inpatient", date_of_service="2025-06-30")
    stamps = [datetime.datetime(2025, 6, 30, 8, 15), datetime.datetime(2025, 6, 30, 23, 59)]
    for table in (
        pd.DataFrame({**base, "setting": ["inpatient", " Inpatient"],
                      "date": pd.Series(["2025-06-30", stamps[0]], dtype=object)}),
        pl.DataFrame({**base, "setting": ["INPATIENT", "inpatient"], "date": stamps}),
        pa.table({**base, "setting": ["inpatient", "inpatient"],
                  "date": pa.array(stamps, pa.timestamp("us"))}),
    ):
        findings, order = icd10cm.frame.check(table, setting="setting", date="date")
        assert rows_of(findings) == want and rows_of(order) == placed
    # Different settings and dates still are; the message names each one once
    table = pd.DataFrame({**base, "setting": ["Inpatient", "outpatient"],
                          "date": ["2025-06-30", " 2025-07-01 "]})
    findings, _ = icd10cm.frame.check(table, setting="setting", date="date")
    said = {f[1]: f[5] for f in rows_of(findings)}
    assert set(said) == {"frame/mixed-setting", "frame/mixed-date"}
    assert "('Inpatient', 'outpatient'; column 'setting')" in said["frame/mixed-setting"]
    assert "('2025-06-30', ' 2025-07-01 '; column 'date')" in said["frame/mixed-date"]


@pytest.mark.parametrize("table", [
    pd.DataFrame([[1, 1, "I10", "E11.9"]], columns=["claim", "position", "dx", "dx"]),
    pa.Table.from_arrays([pa.array([1]), pa.array([1]), pa.array(["I10"]), pa.array(["x"])],
                         names=["claim", "position", "dx", "dx"]),
], ids=["pandas", "pyarrow"])
def test_a_column_named_twice_is_refused_clearly(table: Any) -> None:
    with pytest.raises(icd10cm.DuplicateColumnError) as raised:
        icd10cm.frame.check(table, encounter="claim", code="dx")
    assert isinstance(raised.value, LookupError)
    assert "2 columns named 'dx' (code='dx')" in str(raised.value)
    assert "rename" in str(raised.value)
    ok = table.iloc[:, :3] if isinstance(table, pd.DataFrame) else table.select([0, 1, 2])
    assert rows_of(icd10cm.frame.check(ok, encounter="claim", code="dx").order) == \
        [(1, 1, "I10", 1, None)]


def test_a_required_column_named_none_is_a_missing_column() -> None:
    table = pd.DataFrame({"encounter": [1], "position": [1], "code": ["I10"]})
    with pytest.raises(icd10cm.MissingColumnError, match="position=None"):
        icd10cm.frame.check(table, position=None)  # type: ignore[arg-type]


# --- recipes: Dask, Spark, DuckDB -----------------------------------------------------------------


@pytest.mark.slow
def test_dask_recipe_on_a_local_cluster() -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    dask: Any = pytest.importorskip("dask")

    columns, encounters, settings = claims_table(11, 60)
    claims = pd.DataFrame(columns)
    with dask.config.set({"dataframe.convert-string": False}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        ddf = dd.from_pandas(claims, npartitions=4).shuffle(on="claim")
        meta = icd10cm.frame.claims_pandas.meta(ddf["claim"].dtype)
        checked = [dask.delayed(icd10cm.frame.check)(part, encounter="claim", code="dx",
                                                     position="dx_position",
                                                     setting="setting", release="2027")
                   for part in ddf.to_delayed()]
        findings_dd = dd.from_delayed([c.findings for c in checked], meta=meta.findings)
        order_dd = dd.from_delayed([c.order for c in checked], meta=meta.order)
        findings, order = dask.compute(findings_dd, order_dd)
    want_findings, want_order = expected(encounters, settings, "2027")
    assert sorted(rows_of(findings), key=repr) == sorted(want_findings, key=repr)
    assert sorted(rows_of(order), key=repr) == sorted(want_order, key=repr)


def _java() -> bool:
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


@pytest.mark.slow
def test_spark_recipe() -> None:
    if not _java():
        pytest.skip("the Spark recipe needs Java (java on PATH or JAVA_HOME); none found")
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install pyspark")
    from spark_recipe import check_with_spark  # tests/ is on sys.path under pytest

    columns, encounters, settings = claims_table(12, 40)
    findings, order = check_with_spark(pd.DataFrame(columns))
    want_findings, want_order = expected(encounters, settings, "2027")
    assert sorted(rows_of(findings), key=repr) == sorted(want_findings, key=repr)
    assert sorted(rows_of(order), key=repr) == sorted(want_order, key=repr)


def duckdb_validate(codes: Any) -> Any:
    """The DuckDB recipe of docs/frames.md: validate an Arrow column, as a struct."""
    table = icd10cm.frame.validate(codes, release="2025")
    fields = {name: table.column(name).combine_chunks() for name in icd10cm.frame.COLUMNS}
    return pa.StructArray.from_arrays(
        [array.cast(pa.string()) if name != "chapter" else array
         for name, array in fields.items()], names=list(fields))


@pytest.mark.slow
def test_duckdb_recipe() -> None:
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed: pip install duckdb")
    from test_frame import expected as validated  # tests/ is on sys.path under pytest

    connection = duckdb.connect()
    connection.create_function(
        "icd10_validate", duckdb_validate, ["VARCHAR"],
        "STRUCT(code VARCHAR, status VARCHAR, message VARCHAR, title VARCHAR, "
        "chapter TINYINT, block VARCHAR)", type="arrow", null_handling="special")
    values = ["E11.9", "e119", "E11", None, "E11.99", "U07.1", "zz"] * 700  # several chunks
    connection.execute("create table claims as select unnest(?) as dx", [values])
    got = connection.execute("select v.code, v.status, v.message, v.title, v.chapter, v.block "
                             "from (select icd10_validate(dx) as v from claims)").fetchall()
    assert [tuple(row) for row in got] == validated(values, "2025")
    # and frame.check on a table DuckDB reads
    connection.execute("create table lines as select * from (values (1, 1, 'Z68.41'), "
                       "(1, 2, 'E66.01'), (2, 1, 'E11.99')) t(encounter, position, code)")
    findings, order = icd10cm.frame.check(connection.sql("select * from lines").arrow())
    assert [(f[0], f[1]) for f in rows_of(findings)] == [
        (1, "I.C.21.c.3/bmi-first"), (1, "I.A.13/use-additional-order"),
        (2, "frame/unknown-code")]
    assert [p[2] for p in rows_of(order)] == ["E66.01", "Z68.41"]


class _TypedFrame(pd.DataFrame):  # type: ignore[misc,name-defined]
    """A subclass of pandas' DataFrame, as pandera's DataFrame[Schema] and geopandas'
    GeoDataFrame are."""

    @property
    def _constructor(self) -> type[_TypedFrame]:
        return _TypedFrame


def test_a_subclass_of_a_pandas_data_frame_is_a_pandas_table() -> None:
    # It was refused as "not a pandas DataFrame" (its type's module is not pandas').
    table = _TypedFrame({"encounter": [1, 1], "position": [1, 2],
                         "code": ["Z68.41", "E66.01"]})
    findings, order = icd10cm.frame.check(table)
    want, placed = _one_encounter([(1, "Z68.41"), (2, "E66.01")])
    assert (rows_of(findings), rows_of(order)) == (want, placed)
    class TypedSeries(pd.Series):  # type: ignore[misc,name-defined]
        pass

    verdicts = icd10cm.frame.validate(TypedSeries(["Z68.41", "E66.1"]))
    assert verdicts["status"].tolist() == [icd10cm.validate("Z68.41").status.value,
                                           icd10cm.validate("E66.1").status.value]
    stays = icd10cm.frame.comorbidity(table, release="2025")
    assert stays["encounter"].tolist() == [1]


def test_pandas_cells_equal_across_types_are_read_as_given() -> None:
    # pandas factorises 250 and 250.0 (and 1 and True) as one value: the row holding
    # 250.0 was told "250: expected a string, got int", and a position True was read as
    # the 1 of another row (a duplicate position) where it is no whole number.
    table = pd.DataFrame({"encounter": [1, 2, 3, 3],
                          "position": pd.Series([1, 1, 1, True], dtype=object),
                          "code": pd.Series([250, 250.0, "I10", "E11.9"], dtype=object)})
    findings = {(f[0], f[1]): f for f in rows_of(icd10cm.frame.check(table).findings)}
    assert set(findings) == {(1, "frame/malformed-code"), (2, "frame/malformed-code"),
                             (3, "frame/missing-position")}
    cells: tuple[tuple[int, Any], ...] = ((1, 250), (2, 250.0))
    for encounter, value in cells:
        finding = findings[encounter, "frame/malformed-code"]
        assert finding[5] == f"{icd10cm.validate(value).message.rstrip('.')}. {NOT_CHECKED}"
        assert finding[4] == (repr(value),)
    assert "holds True, not a whole number" in findings[3, "frame/missing-position"][5]


def test_the_types_docs_frames_md_lists_are_those_returned() -> None:
    text = FRAMES.read_text(encoding="utf-8")
    start = text.index("| columns | pandas | polars | pyarrow |")
    lines = text[start:].split("\n\n")[0].splitlines()[2:]
    documented: dict[tuple[str, str], list[str]] = {}  # (table, column) -> the 3 types
    for line in lines:
        names, *types = [cell.strip() for cell in line.strip("|").split("|")]
        for part in names.split(";"):  # "`a`, `b` (findings)": the table in brackets
            which = part.split("(")[1].rstrip(") ")
            tables = ["findings", "order"] if which == "both" else [which]
            for name in part.split("(")[0].replace("`", "").split(","):
                for table in tables:
                    documented[table, name.strip()] = [t.strip("`") for t in types]
    columns, _, _ = claims_table(8, 10)
    returned: dict[tuple[str, str], list[str]] = {}
    empty = {name: values[:0] for name, values in columns.items()}
    for make in LIBRARIES.values():
        result = icd10cm.frame.check(make(columns), encounter="claim", code="dx",
                                     position="dx_position", setting="setting")
        none = icd10cm.frame.check(make(empty), encounter="claim", code="dx",
                                   position="dx_position", setting="setting")
        for table, frame in [*zip(("findings", "order"), result, strict=True),
                             *zip(("findings", "order"), none, strict=True)]:
            if isinstance(frame, pd.DataFrame):
                assert isinstance(frame.index, pd.RangeIndex)
                kinds = {name: str(kind) for name, kind in frame.dtypes.items()}
            elif isinstance(frame, pl.DataFrame):
                kinds = {name: str(kind) for name, kind in frame.schema.items()}
            else:
                kinds = {field.name: str(field.type) for field in frame.schema}
            for name, kind in kinds.items():
                if name != "encounter":
                    returned.setdefault((table, name), []).append(kind)
    # the empty tables (from an empty input) have the same types
    assert {key: kinds * 2 for key, kinds in documented.items() if key[1] != "encounter"} \
        == {key: kinds[0::2] + kinds[1::2] for key, kinds in returned.items()}


def test_a_timestamp_counts_by_its_day_in_its_own_time_zone() -> None:
    # docs/frames.md: 02:00 UTC on October 1, 2025 is September 30 in New York. The
    # 2025-04 release (the April 1, 2025 update) is in force to September 30, 2025.
    utc = datetime.datetime(2025, 10, 1, 2, tzinfo=datetime.timezone.utc)
    base = {"encounter": [1], "position": [1], "code": ["I10"]}
    for zone, covered in (("UTC", False), ("America/New_York", True)):
        for table in (pd.DataFrame({**base, "date": pd.Series([utc]).dt.tz_convert(zone)}),
                      pl.DataFrame({**base, "date": pl.Series([utc]).dt.convert_time_zone(zone)}),
                      pa.table({**base, "date": pa.array([utc], pa.timestamp("us", tz=zone))})):
            findings, order = icd10cm.frame.check(table, date="date", release="2025-04")
            assert [f[1] for f in rows_of(findings)] == ([] if covered else
                                                          ["frame/invalid-date"]), zone
            assert len(rows_of(order)) == (1 if covered else 0)


def test_indicators_without_a_setting_column_say_to_name_it() -> None:
    # Without setting= every encounter is outpatient (docs/frames.md), so "give the
    # encounter the setting 'inpatient'" could not be done: the column must be named.
    table = pd.DataFrame({"encounter": [1], "position": [1], "code": ["I10"], "poa": ["Y"]})
    (finding,) = rows_of(icd10cm.frame.check(table, poa="poa").findings)
    assert finding[1] == "frame/invalid-poa"
    assert "name the column that holds the setting with setting=" in finding[5]
    with_setting = table.assign(setting="outpatient")
    (finding,) = rows_of(icd10cm.frame.check(with_setting, poa="poa", setting="setting")
                         .findings)
    assert "give the encounter the setting 'inpatient'" in finding[5]
