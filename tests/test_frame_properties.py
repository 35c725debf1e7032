"""icd10cm.frame.check over random small claims tables, in every library: each encounter's
findings and suggested order are those of icd10cm.check and icd10cm.sequence on the
same Encounter (same setting, date of service -> release by icd10cm.release_for,
present-on-admission indicators), and an encounter that Encounter refuses gets frame/
findings and no order, without stopping the others."""

from __future__ import annotations

import datetime
import importlib.util
import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import icd10cm
import icd10cm.frame
from test_frame_check import rows_of  # tests/ is on sys.path under pytest

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

# Codes whose rules interact (BMI, manifestations, 7th characters, external causes,
# POA-exempt codes, COVID-19 which came into force on April 1, 2020), headers and codes
# without their 7th character (codes of the release, so checked), and text that is no
# code of any release or is malformed.
RULE_CODES = (
    "Z68.41", "E66.01", "E11.9", "E11.621", "L97.519", "I10", "I12.9", "N18.30", "I50.9",
    "I11.0", "R07.9", "I21.9", "R10.9", "K35.80", "U07.1", "J12.82", "W19.XXXA", "Y92.009",
    "Y93.01", "Y99.0", "Z37.0", "S72.001A", "S52.521A", "S52.521", "E11", "G30.9", "F02.80",
    "T42.4X1A", "T42.4X5A", "R40.0", "O24.410", "Z3A.10", "Z00.00", "e119", " i10 ",
)
BAD_CODES = ("E11.99", "1E1.9", "S72.001", "U07.2")
SETTINGS = {"inpatient": ("inpatient", "Inpatient", "INPATIENT", " inpatient "),
            "outpatient": ("outpatient", "Outpatient", "OUTPATIENT")}
DATES = ("2019-12-01", "2020-05-01", "2023-10-01", "2025-06-30", "2026-04-15",
         "2030-01-01", None)  # the last two: in no release, and no date (frame/invalid-date)
INDICATORS = ("Y", "N", "U", "W", "1", None)

Row = tuple[Any, int, str, str, "str | None", "str | None"]  # encounter, position, code,
#                                                    setting, date, poa


@cache
def _billable() -> tuple[str, ...]:
    rng = random.Random(3)
    return tuple(rng.sample([code.value for code in icd10cm.latest_release().billable_codes()],
                            300))


@st.composite
def claims(draw: st.DrawFn) -> list[Row]:
    """Rows of 1 to 4 encounters of 1 to 5 diagnoses, shuffled, with positions that are
    distinct within an encounter (with gaps, from any start), setting, date and POA."""
    code = st.one_of(st.sampled_from(RULE_CODES), st.sampled_from(_billable()),
                     st.sampled_from(BAD_CODES))
    count = draw(st.integers(1, 4))
    # ids of mixed types, none equal to another (1 and "1" differ in every library)
    ids = draw(st.lists(st.one_of(st.integers(0, 50), st.sampled_from(["A1", "B2", "C3"])),
                        min_size=count, max_size=count, unique=True))
    rows: list[Row] = []
    for ident in ids:
        codes = draw(st.lists(code, min_size=1, max_size=5))
        positions = draw(st.lists(st.integers(-3, 30), min_size=len(codes),
                                  max_size=len(codes), unique=True))
        setting = draw(st.sampled_from(sorted(SETTINGS)))
        day = draw(st.sampled_from(DATES))
        poa: list[str | None] = [None] * len(codes)
        if draw(st.booleans()):  # on an outpatient encounter: frame/invalid-poa
            poa = draw(st.lists(st.sampled_from(INDICATORS), min_size=len(codes),
                                max_size=len(codes)))
        rows += [(ident, place, dx, draw(st.sampled_from(SETTINGS[setting])), day, indicator)
                 for place, dx, indicator in zip(positions, codes, poa, strict=True)]
    return draw(st.permutations(rows))


def _expected(rows: list[Row]) -> dict[Any, tuple[list[tuple[Any, ...]] | None,
                                                   list[tuple[Any, ...]]]]:
    """Per encounter: what check says (None if Encounter refuses the rows) and the order
    sequence gives, as (position, code, from_position, rule) in the input's positions."""
    by_encounter: dict[Any, list[Row]] = {}
    for row in rows:
        by_encounter.setdefault(row[0], []).append(row)
    wanted: dict[Any, tuple[list[tuple[Any, ...]] | None, list[tuple[Any, ...]]]] = {}
    for ident, mine in by_encounter.items():
        mine = sorted(mine, key=lambda row: row[1])
        positions = [row[1] for row in mine]
        setting = mine[0][3].strip().lower()
        poa = [row[5] for row in mine]
        try:
            release = icd10cm.release_for(mine[0][4])  # type: ignore[arg-type]
            encounter = icd10cm.Encounter.from_codes(
                [row[2] for row in mine], setting=setting, date_of_service=mine[0][4],
                release=release,
                present_on_admission=None if all(p is None for p in poa) else poa)
        except (icd10cm.Icd10cmError, TypeError):  # TypeError: no date at all
            wanted[ident] = (None, [])
            continue
        found = [(f.rule, f.severity.value, tuple(positions[p] for p in f.positions), f.codes,
                  f.message, f.suggestions, release.id, f.source_release or release.id)
                 for f in icd10cm.check(encounter)]
        sequencing = icd10cm.sequence(encounter)
        moved = {move.to_position: move.rule for move in sequencing.moves}
        placed = [(positions[new], encounter.diagnoses[old].value, positions[old],
                   moved.get(new)) for new, old in enumerate(sequencing.order)]
        wanted[ident] = (found, placed)
    return wanted


def _tables(rows: list[Row]) -> dict[str, Any]:
    """The rows as a pandas, polars and pyarrow table (ids as text where a library's
    column holds one type), with positions, dates and indicators in several types."""
    ids = [row[0] for row in rows]
    columns: dict[str, Any] = {
        "claim": ids, "dx_position": [row[1] for row in rows], "dx": [row[2] for row in rows],
        "place": [row[3] for row in rows], "day": [row[4] for row in rows],
        "poa": [row[5] for row in rows]}
    text_ids = [str(ident) for ident in ids]
    days = [None if row[4] is None else datetime.date.fromisoformat(row[4]) for row in rows]
    return {
        "pandas": pd.DataFrame({**columns, "claim": pd.Series(ids, dtype=object),
                                "dx_position": pd.Series(columns["dx_position"],
                                                         dtype="Int64"),
                                "day": pd.to_datetime(pd.Series(columns["day"])),
                                "poa": pd.Series(columns["poa"], dtype=object)}),
        "polars": pl.DataFrame({**columns, "claim": text_ids,
                                "dx_position": [float(p) for p in columns["dx_position"]],
                                "dx": pl.Series(columns["dx"], dtype=pl.Categorical()),
                                "day": days}),
        "pyarrow": pa.table({**columns, "claim": pa.array(text_ids).dictionary_encode(),
                             "dx_position": [str(p) for p in columns["dx_position"]],
                             "dx": pa.array(columns["dx"], pa.large_string()),
                             "poa": pa.array(columns["poa"], pa.string())}),
    }


@pytest.mark.slow  # 40 random tables in three libraries: CI runs it, the work loop need not
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_each_encounter_is_what_check_and_sequence_say(rows: list[Row]) -> None:
    wanted = _expected(rows)
    first_seen = list(dict.fromkeys(row[0] for row in rows))
    for library, table in _tables(rows).items():
        key = {str(ident): ident for ident in first_seen}
        findings, order = icd10cm.frame.check(
            table, encounter="claim", code="dx", position="dx_position", setting="place",
            date="day", poa="poa")
        got_findings = [(key[str(f[0])], *f[1:]) for f in rows_of(findings)]
        got_order = [(key[str(p[0])], *p[1:]) for p in rows_of(order)]
        # encounter by encounter, in the order of each one's first row
        assert [f[0] for f in got_findings] == sorted((f[0] for f in got_findings),
                                                      key=first_seen.index), library
        assert [p[0] for p in got_order] == sorted((p[0] for p in got_order),
                                                   key=first_seen.index), library
        for ident, (found, placed) in wanted.items():
            mine = [f[1:] for f in got_findings if f[0] == ident]
            if found is None:  # rows Encounter refuses: frame/ findings, no order
                assert mine and all(f[0].startswith("frame/") for f in mine), (library, ident)
                assert all(f[1] == "error" for f in mine), (library, ident)
            else:
                assert mine == found, (library, ident)
            assert [p[1:] for p in got_order if p[0] == ident] == placed, (library, ident)


def _claims_columns(encounters: int, seed: int,
                    monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """benchmarks/bench_frames.py's claims table: real codes of the latest release drawn
    with a skew, 0.5% typos, 1 to 15 diagnoses per encounter, a quarter inpatient."""
    benchmarks = Path(__file__).resolve().parent.parent / "benchmarks"
    monkeypatch.syspath_prepend(str(benchmarks))  # as when it runs as a script
    path = benchmarks / "bench_frames.py"
    spec = importlib.util.spec_from_file_location("bench_frames", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    columns: dict[str, Any] = module.claims_columns(encounters, seed)
    return columns


def test_the_benchmarks_claims_table_is_what_check_and_sequence_say(
        monkeypatch: pytest.MonkeyPatch) -> None:
    columns = _claims_columns(150, 5, monkeypatch)
    rows: list[Row] = [
        (int(ident), int(place), str(code), str(setting), "2026-12-01", None)
        for ident, place, code, setting in zip(columns["encounter"], columns["position"],
                                               columns["code"], columns["setting"],
                                               strict=True)]
    wanted = _expected(rows)
    assert any(found is None for found, _ in wanted.values())  # the typos
    assert any(p[0] != p[2] for _, placed in wanted.values() for p in placed)  # moves
    for library, make in (("pandas", pd.DataFrame), ("polars", pl.DataFrame),
                          ("pyarrow", pa.table)):
        findings, order = icd10cm.frame.check(make(columns), setting="setting",
                                              release=icd10cm.release_for("2026-12-01"))
        got_findings, got_order = rows_of(findings), rows_of(order)
        for ident, (found, placed) in wanted.items():
            mine = [f[1:] for f in got_findings if f[0] == ident]
            if found is None:
                assert mine and all(f[0].startswith("frame/") for f in mine), (library, ident)
            else:
                assert mine == found, (library, ident)
            assert [p[1:] for p in got_order if p[0] == ident] == placed, (library, ident)
