"""Measure icd10cm.frame.comorbidity on claims tables: diagnosis rows per second.

    python benchmarks/bench_comorbidity.py                  # 2M rows, 200,000 stays
    python benchmarks/bench_comorbidity.py --rows 200000    # a quicker run
    python benchmarks/bench_comorbidity.py --strict         # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine. The table has one row per
diagnosis, as MIMIC-IV's ``diagnoses_icd``: a stay id, an undotted code, a POA
indicator and the discharge date, 10 diagnoses per stay. The codes are drawn from
about DISTINCT billable codes of FY2027 (a third of them codes with a CMR measure), with
1% text that is not a code; the discharge dates fall between FY2023 and FY2027, so the
stays use five releases and two CMR versions.

For each installed library and each method (Elixhauser, Charlson):

- cold: the first call after ``icd10cm.clear_cache()`` and reloading the releases (the
  reload is not timed), so the maps are compiled and every distinct code is read;
- warm: the same call again.

Only one core is used (polars and Arrow are limited to one thread), and the rate is
that of the process's CPU time, which other programs on the machine do not inflate; the
wall-clock time is shown beside it. The target is the same for every line: at least
200,000 diagnosis rows per second, judged on runs of at least 1,000,000 rows; smaller
runs are reported without a verdict. Building the table is not timed.
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "1")  # one core: before polars is imported

import argparse
import gc
import importlib
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import icd10cm
import icd10cm.frame
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script
from icd10cm.frame.comorbidities import METHODS, Method

TARGET_RATE = 200_000  # diagnosis rows per second
JUDGED_ROWS = 1_000_000
PER_STAY = 10

__all__ = ["main"]


def make_table(rows: int, distinct: int, seed: int) -> dict[str, list[Any]]:
    """The columns of a claims table (see the module's docstring)."""
    rng = random.Random(seed)
    release = icd10cm.load_release("2027")
    billable = [code.undotted for code in release.billable_codes()]
    with_measure = [c for c in billable if icd10cm.elixhauser([c], release=release).codes]
    pool = rng.sample(with_measure, min(len(with_measure), distinct // 3))
    pool += rng.sample(billable, distinct - len(pool))
    pool += [f"X{n:04d}Q" for n in range(max(1, distinct // 100))]  # not codes
    first, days = date(2022, 10, 1), (date(2027, 9, 30) - date(2022, 10, 1)).days
    stays = -(-rows // PER_STAY)
    discharge = [first + timedelta(days=rng.randrange(days)) for _ in range(stays)]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]  # common codes repeat
    return {
        "hadm_id": [row // PER_STAY for row in range(rows)],
        "icd_code": rng.choices(pool, weights, k=rows),
        "poa": rng.choices(["Y", "Y", "Y", "Y", "N", "U", "W", "1", None], k=rows),
        "dischtime": [discharge[row // PER_STAY] for row in range(rows)],
    }


def _tables(columns: dict[str, list[Any]]) -> dict[str, Any]:
    """The table in each installed library."""
    tables: dict[str, Any] = {}
    for library in ("pandas", "polars", "pyarrow"):
        try:
            module: Any = importlib.import_module(library)
        except ImportError:
            continue
        if library == "pyarrow":
            module.set_cpu_count(1)
            tables[library] = module.table(columns)
        else:
            tables[library] = module.DataFrame(columns)
    return tables


def _seconds(call: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds of this process, wall-clock seconds) of one call."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    return time.process_time() - cpu, time.perf_counter() - wall


def bench(rows: int, distinct: int, seed: int) -> list[Row]:
    columns = make_table(rows, distinct, seed)
    judged = rows >= JUDGED_ROWS
    target = f">= {TARGET_RATE:,} rows/s" + ("" if judged else " (judged at 1M rows)")
    releases = sorted({icd10cm.release_for(day).id for day in set(columns["dischtime"])})
    report = [Row(f"{rows:,} diagnosis rows, {-(-rows // PER_STAY):,} stays, "
                  f"{len(set(columns['icd_code'])):,} distinct codes, releases "
                  f"{releases[0]} to {releases[-1]}", "")]
    tables = _tables(columns)
    for library in ("pandas", "polars", "pyarrow"):
        if library not in tables:
            report.append(Row(library, "not installed"))
            continue
        for method in METHODS:
            icd10cm.clear_cache()
            for release in releases:
                icd10cm.load_release(release)

            def call(table: Any = tables[library], method: Method = method) -> object:
                return icd10cm.frame.comorbidity(
                    table, encounter="hadm_id", code="icd_code", date="dischtime",
                    poa="poa" if method == "elixhauser" else None, method=method)

            for mode in ("cold", "warm"):
                cpu, wall = _seconds(call)
                rate = rows / cpu
                report.append(Row(f"{library} {method} {mode}",
                                  f"{cpu:.2f} s CPU ({wall:.2f} s wall), {rate:,.0f} rows/s",
                                  target, rate >= TARGET_RATE if judged else None))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=2_000_000,
                        help="diagnosis rows in the table (default 2,000,000)")
    parser.add_argument("--distinct", type=int, default=20_000,
                        help="about this many distinct codes (default 20,000)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.rows < PER_STAY or args.distinct < 10:
        parser.error(f"--rows must be at least {PER_STAY} and --distinct at least 10")
    rows = bench(args.rows, args.distinct, args.seed)
    print(f"icd10cm {icd10cm.__version__} comorbidity benchmark: Python "
          f"{sys.version.split()[0]} on {sys.platform}, one core")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
