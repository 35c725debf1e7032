"""Measure icd10cm.frame.validate on pandas, polars and pyarrow columns.

    python benchmarks/bench_frames.py                  # 10M rows from about 20,000 codes
    python benchmarks/bench_frames.py --rows 1000000   # a quicker run
    python benchmarks/bench_frames.py --strict         # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine. The column holds
ROWS strings drawn at random from about DISTINCT distinct inputs: real codes of
the latest release in the forms claims use, typos and malformed text (the
inputs of ``bench_codes.py``), plus 1% nulls. For each library:

- cold: the first call after ``icd10cm.clear_cache()`` and reloading the
  release (the reload is not timed), so every distinct value is validated;
- warm: the same call again, with the verdicts memoised by the release.

Building the input column is not timed. Libraries that are not installed are
reported as such. The target is the same for each library, cold or warm:
seconds, not minutes (at most 10 s), for ten million rows; smaller runs are
reported without a verdict.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import random
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
    report = [Row(f"{rows:,} rows from {count:,} distinct inputs, 1% nulls", "")]
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000,
                        help="rows in the column (default 10,000,000)")
    parser.add_argument("--distinct", type=int, default=20_000,
                        help="about this many distinct inputs (default 20,000)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.distinct < 10:
        parser.error("--rows must be at least 1 and --distinct at least 10")
    rows = bench(args.rows, args.distinct, args.seed)
    print(f"icd10cm {icd10cm.__version__} data frame benchmark: Python "
          f"{sys.version.split()[0]} on {sys.platform}, release {icd10cm.latest_release().id}")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
