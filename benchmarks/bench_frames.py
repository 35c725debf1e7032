"""Measure icd10cm.frame.validate and icd10cm.frame.check on pandas, polars and pyarrow.

    python benchmarks/bench_frames.py                  # 10M rows; 1M encounters
    python benchmarks/bench_frames.py --rows 1000000 --encounters 100000  # quicker
    python benchmarks/bench_frames.py --strict         # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine. Everything runs in
this one process, on one core.

(a) validate: the column holds ROWS strings drawn at random from about
    DISTINCT distinct inputs: real codes of the latest release in the forms
    claims use, typos and malformed text (the inputs of ``bench_codes.py``),
    plus 1% nulls. For each library, cold (the first call after
    ``icd10cm.clear_cache()`` and reloading the release; the reload is not
    timed) and warm (the same call again). Target: at most 10 s for ten
    million rows, cold or warm; smaller runs are reported without a verdict.
(b) check (CPU seconds of this process, since other work may share the
    machine; the wall time is shown beside them): a long claims table of
    ENCOUNTERS encounters, one row per diagnosis: 1 to 15 diagnoses each (8 on
    average), drawn from a pool of 20,000
    reportable codes of the latest release with the skewed popularity of claims
    (the r-th most common code has weight r^-0.6), a quarter inpatient, and
    0.5% of the rows a typo that is no code (so a few percent of the encounters
    give frame/* findings). Columns: encounter (int64), position (1..n),
    code, setting. The pandas call runs cold (a fresh release: each code's
    facts are worked out on first use) and warm; polars and pyarrow warm. The
    target is on the warm pandas call: at least 20,000 encounters per second.
    For reference, ``icd10cm.check`` and ``icd10cm.sequence`` alone on the
    same encounters (built beforehand, not timed, warm) say how much of the
    time they take; the memory is the peak RSS above the RSS before the call.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import random
import resource
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import icd10cm
import icd10cm.frame
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script
from bench_codes import make_inputs

TARGET_ROWS = 10_000_000
TARGET_SECONDS = 10.0  # for TARGET_ROWS rows, cold or warm
ENCOUNTERS_PER_SECOND = 20_000  # frame.check, warm, 8 diagnoses per encounter on average
POOL = 20_000  # distinct codes the claims table draws from

__all__ = ["main"]


def _column_values(rows: int, distinct: int, seed: int) -> tuple[list[str | None], int]:
    """*rows* values drawn from about *distinct* inputs (1% nulls), and how many
    distinct non-null inputs there are."""
    invalid = max(1, distinct // 10)
    inputs = make_inputs(seed, distinct - invalid, invalid).mixed
    rng = random.Random(seed)
    pool: list[str | None] = [*inputs, *([None] * max(1, len(inputs) // 100))]
    return rng.choices(pool, k=rows), len(inputs)


def _builders() -> dict[str, Callable[[list[str | None]], Any]]:
    """How to build each installed library's column from a list of values."""
    built: dict[str, Callable[[list[str | None]], Any]] = {}
    for library in ("pandas", "polars", "pyarrow"):
        try:
            module: Any = importlib.import_module(library)
        except ImportError:
            continue
        built[library] = module.array if library == "pyarrow" else module.Series
    return built


def _seconds(call: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def bench(rows: int, distinct: int, seed: int) -> list[Row]:
    values, count = _column_values(rows, distinct, seed)
    full = rows >= TARGET_ROWS  # smaller runs are reported for reference only
    target_text = f"<= {TARGET_SECONDS:g} s" if full else f"(<= {TARGET_SECONDS:g} s at 10M rows)"
    report = [Row(f"(a) validate: {rows:,} rows from {count:,} distinct inputs, 1% nulls", "")]
    builders = _builders()
    for library in ("pandas", "polars", "pyarrow"):
        if library not in builders:
            report.append(Row(f"{library}", "not installed"))
            continue
        column = builders[library](values)
        icd10cm.clear_cache()
        icd10cm.latest_release()
        for mode in ("cold", "warm"):
            seconds = _seconds(partial(icd10cm.frame.validate, column))
            report.append(Row(f"{library} {mode}", f"{seconds:.2f} s, {rows / seconds / 1e6:.2f}M "
                              "rows/s", target_text, seconds <= TARGET_SECONDS if full else None))
        del column
    return report


# --- (b) frame.check -----------------------------------------------------------------------


def claims_columns(encounters: int, seed: int) -> dict[str, Any]:
    """The columns of a long claims table of *encounters* encounters (see the module doc),
    as numpy arrays."""
    import numpy as np

    rng = np.random.default_rng(seed)
    release = icd10cm.latest_release()
    billable = [code.value for code in release.billable_codes()]
    pool = np.array(random.Random(seed).sample(billable, min(POOL, len(billable))), dtype=object)
    weights = np.arange(1, len(pool) + 1, dtype=np.float64) ** -0.6
    sizes = rng.integers(1, 16, size=encounters)
    rows = int(sizes.sum())
    codes = pool[rng.choice(len(pool), size=rows, p=weights / weights.sum())]
    typos = np.flatnonzero(rng.random(rows) < 0.005)
    codes[typos] = [f"{value[:-1]}Q" for value in codes[typos].tolist()]
    encounter = np.repeat(np.arange(1, encounters + 1, dtype=np.int64), sizes)
    firsts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    position = np.arange(rows, dtype=np.int64) - firsts + 1
    inpatient = rng.random(encounters) < 0.25
    setting = np.where(np.repeat(inpatient, sizes), "inpatient", "outpatient").astype(object)
    return {"encounter": encounter, "position": position, "code": codes, "setting": setting}


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:  # Linux: resident pages, second field
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6  # macOS bytes, Linux KiB


def _tables(columns: dict[str, Any]) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for library in ("pandas", "polars", "pyarrow"):
        try:
            module: Any = importlib.import_module(library)
        except ImportError:
            continue
        tables[library] = module.table(columns) if library == "pyarrow" else \
            module.DataFrame(columns)
    return tables


def _guidelines_alone(table: Any) -> tuple[float, int]:
    """Seconds that icd10cm.check and icd10cm.sequence alone take on the encounters of a
    pandas *table* whose codes are all codes (built beforehand), and how many."""
    release = icd10cm.latest_release()
    encounters = []
    for (_, setting), group in table.groupby(["encounter", "setting"], sort=False):
        codes = group["code"].tolist()
        if all(code in release for code in codes):
            encounters.append(icd10cm.Encounter.from_codes(codes, setting=setting,
                                                           release=release))
    check, sequence = icd10cm.check, icd10cm.sequence
    gc.collect()
    start = time.process_time()
    for encounter in encounters:
        check(encounter)
        sequence(encounter)
    return time.process_time() - start, len(encounters)


def bench_check(encounters: int, seed: int) -> list[Row]:
    columns = claims_columns(encounters, seed)
    rows = len(columns["code"])
    tables = _tables(columns)
    report = [Row(f"(b) check: {encounters:,} encounters, {rows:,} rows "
                  f"({rows / encounters:.1f} per encounter) from {POOL:,} codes", "")]
    if "pandas" not in tables:
        return [*report, Row("pandas", "not installed")]
    icd10cm.clear_cache()
    icd10cm.latest_release().notes_at("chapter:1")  # the notes are read (not timed)
    target = f">= {ENCOUNTERS_PER_SECOND:,}/s"
    warm_pandas = 0.0
    for library, table in tables.items():
        for mode in ("cold", "warm") if library == "pandas" else ("warm",):
            gc.collect()
            before = _rss_mb()
            start, cpu = time.perf_counter(), time.process_time()
            findings, order = icd10cm.frame.check(table, setting="setting")
            seconds = time.process_time() - cpu  # one core: CPU time, as other work may run
            wall = time.perf_counter() - start
            grown = _peak_rss_mb() - before
            rate = encounters / seconds
            warm = library == "pandas" and mode == "warm"
            report.append(Row(f"    {library} {mode} (CPU time; wall {wall:.1f} s)",
                              f"{seconds:.1f} s, {rate:,.0f} encounters/s, "
                              f"{rows / seconds / 1e3:.0f}k rows/s",
                              target if warm else "", rate >= ENCOUNTERS_PER_SECOND
                              if warm else None))
            if warm:
                warm_pandas = seconds
            if library == "pandas" and mode == "cold":
                report.append(Row("    peak memory above the input, per million rows",
                                  f"{max(grown, 0.0) / rows * 1e6:.0f} MB"))
                size = table.memory_usage(deep=True).sum()
                report.append(Row("    the input table itself, per million rows (pandas)",
                                  f"{size / rows * 1e6 / 1e6:.0f} MB"))
                report.append(Row("    findings; rows of the order table",
                                  f"{len(findings):,}; {len(order):,}"))
                frame_rules = findings["rule"].astype(str).str.startswith("frame/")
                flagged = findings.loc[frame_rules, "encounter"].nunique()
                report.append(Row("    encounters with frame/* findings (not checked)",
                                  f"{flagged:,}"))
            del findings, order
    alone, checked = _guidelines_alone(tables["pandas"])
    report.append(Row(f"    check + sequence alone, warm, on the {checked:,} checkable "
                      "encounters (CPU time)", f"{alone:.1f} s, "
                      f"{alone / checked * 1e6:.0f} us each"))
    report.append(Row("    their share of the warm pandas call", f"{alone / warm_pandas:.0%}"))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000,
                        help="rows in the column (default 10,000,000)")
    parser.add_argument("--distinct", type=int, default=20_000,
                        help="about this many distinct inputs (default 20,000)")
    parser.add_argument("--encounters", type=int, default=1_000_000,
                        help="encounters in the claims table of (b) (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.distinct < 10 or args.encounters < 1:
        parser.error("--rows and --encounters must be at least 1 and --distinct at least 10")
    rows = bench(args.rows, args.distinct, args.seed)
    rows += bench_check(args.encounters, args.seed)
    print(f"icd10cm {icd10cm.__version__} data frame benchmark: Python "
          f"{sys.version.split()[0]} on {sys.platform}, release {icd10cm.latest_release().id}")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
