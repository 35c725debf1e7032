"""Measure the Table of Drugs and the Neoplasm Table: load time and lookup time.

    python benchmarks/bench_tables.py                # 2,000 lookups of each kind
    python benchmarks/bench_tables.py --lookups 200  # a quicker run

This is a script, not a test: timings depend on the machine. There is no stated
target; the figures are for reference:

(a) loading a release's table cold: the first lookup after ``icd10cm.clear_cache()``
    with the release's codes already loaded (so only the table is timed);
(b) ``icd10cm.drug`` and ``icd10cm.neoplasm`` warm, by path, per call (median of
    the per-pass means), over rows taken evenly from the whole table;
(c) an unknown term: the error with its suggestions.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time

import icd10cm
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script

RELEASE = "2026-04"


def _cold_load(kind: str) -> float:
    icd10cm.clear_cache()
    icd10cm.load_release(RELEASE)  # not timed
    start = time.perf_counter()
    if kind == "drug":
        icd10cm.drug_row("Acetaminophen", release=RELEASE)
    else:
        icd10cm.neoplasm_row("bone > femur", release=RELEASE)
    return time.perf_counter() - start


def _warm(kind: str, lookups: int, passes: int) -> float:
    rows = list(icd10cm.drug_rows(release=RELEASE) if kind == "drug"
                else icd10cm.neoplasm_rows(release=RELEASE))
    with_codes = [row for row in rows if row.has_codes]
    step = max(1, len(with_codes) // lookups)
    chosen = with_codes[::step][:lookups]
    calls = []
    for row in chosen:
        column = next(c for c, cell in zip(row.columns, row.cells, strict=True)
                      if cell and cell not in ("-", "--"))
        calls.append((row.path, column))
    lookup = icd10cm.drug if kind == "drug" else icd10cm.neoplasm
    means = []
    for _ in range(passes):
        start = time.perf_counter()
        for path, column in calls:
            lookup(path, column, release=RELEASE)
        means.append((time.perf_counter() - start) / len(calls))
    return statistics.median(means)


def _unknown() -> float:
    start = time.perf_counter()
    with contextlib.suppress(icd10cm.UnknownTableTermError):
        icd10cm.drug("acetaminofen", "accidental", release=RELEASE)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    rows = []
    for kind, name in (("drug", "Table of Drugs"), ("neoplasm", "Neoplasm Table")):
        load = _cold_load(kind)
        warm = _warm(kind, args.lookups, args.passes)
        rows += [Row(f"(a) load the {name} of {RELEASE}, cold", f"{load * 1000:.0f} ms"),
                 Row(f"(b) {kind}() by path, warm, per call", f"{warm * 1e6:.1f} us")]
    rows.append(Row("(c) unknown substance, with suggestions", f"{_unknown() * 1000:.0f} ms"))
    print(f"icd10cm {icd10cm.__version__}: the drug and neoplasm tables of {RELEASE}, "
          f"{args.lookups} lookups x {args.passes} passes")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
