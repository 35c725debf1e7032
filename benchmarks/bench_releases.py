"""Measure release diffs, code conversions and JSON round trips.

    python benchmarks/bench_releases.py               # the default sizes
    python benchmarks/bench_releases.py --codes 50    # a quicker run

This is a script, not a test: timings depend on the machine. The targets:

(a) ``icd10cm.diff`` of two loaded releases (FY2016 and FY2027, the widest
    pair): at most 0.25 s;
(b) ``icd10cm.convert`` from FY2016 to FY2027, warm, per code (median of the
    per-pass means over codes taken evenly from the release): at most 5 ms;
    the first conversion after ``clear_cache()`` (loading every release on the
    way and the tables) is reported for reference;
(c) ``dumps`` + ``loads`` of a sequencing of an 8-code encounter, per round
    trip: for reference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import icd10cm
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script


def _diff(passes: int) -> float:
    old, new = icd10cm.load_release("2016"), icd10cm.load_release("2027")
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        icd10cm.diff(old, new)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _convert_cold() -> float:
    icd10cm.clear_cache()
    start = time.perf_counter()
    icd10cm.convert("E78.0", "2016", "2027")
    return time.perf_counter() - start


def _convert_warm(codes: int, passes: int) -> float:
    release = icd10cm.load_release("2016")
    billable = [code.value for code in release.billable_codes()]
    chosen = billable[::max(1, len(billable) // codes)][:codes]
    for code in chosen:  # loads each step's tables once
        icd10cm.convert(code, "2016", "2027")
    means = []
    for _ in range(passes):
        start = time.perf_counter()
        for code in chosen:
            icd10cm.convert(code, "2016", "2027")
        means.append((time.perf_counter() - start) / len(chosen))
    return statistics.median(means)


def _json(rounds: int) -> float:
    encounter = icd10cm.Encounter.from_codes(
        ["Z68.41", "E66.01", "E11.9", "I10", "E78.5", "N18.30", "Z79.4", "R51.9"],
        release="2025")
    sequencing = icd10cm.sequence(encounter)
    start = time.perf_counter()
    for _ in range(rounds):
        icd10cm.loads(icd10cm.dumps(sequencing), icd10cm.Sequencing)
    return (time.perf_counter() - start) / rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--codes", type=int, default=500, help="codes to convert per pass")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=500, help="JSON round trips")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    cold = _convert_cold()
    diff = _diff(args.passes)
    warm = _convert_warm(args.codes, args.passes)
    json_round = _json(args.rounds)
    rows = [
        Row("(a) diff 2016 -> 2027 (loaded releases)", f"{diff:.3f} s", "<= 0.25 s",
            diff <= 0.25),
        Row(f"(b) convert 2016 -> 2027, warm, per code ({args.codes} codes)",
            f"{warm * 1000:.2f} ms", "<= 5 ms", warm <= 0.005),
        Row("    cold (reference): first convert after clear_cache()", f"{cold:.2f} s"),
        Row("(c) dumps + loads of a sequencing, 8 codes", f"{json_round * 1e6:.0f} us"),
    ]
    print(f"icd10cm {icd10cm.__version__}, data {icd10cm.data_version()}: diff, convert, JSON")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
