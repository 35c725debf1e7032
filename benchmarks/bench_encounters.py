"""Measure how fast whole encounters are checked and sequenced against the Guidelines.

    python benchmarks/bench_encounters.py                     # 100,000 random encounters
    python benchmarks/bench_encounters.py --encounters 10000  # a quicker run
    python benchmarks/bench_encounters.py --strict            # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine. Everything runs in
this one process, on one core, against one release (``--release``, default
2025-04).

(a) ``icd10cm.check`` then ``icd10cm.sequence`` on each of a few realistic
    8-diagnosis encounters (diabetes with CKD, a fall with a hip fracture, a
    prenatal visit ...). Warm: after a first call for each, so the per-code facts
    (note references resolved to tabular positions ...) are cached; each timed call
    gets a new encounter object and the cases take turns, so nothing kept for one
    encounter is reused. The figure is the median over every timed call.
    The same for 1-code encounters (ONE_CODE_CASES), the commonest outpatient claim.
    Cold, for reference: the first call on a freshly reloaded release whose notes
    are already read, so it pays for working out the per-code facts of its 8
    codes; and once, the first call that also reads the release's notes.
(b) A batch of ENCOUNTERS encounters of 8 distinct reportable codes each, drawn
    with ``random.Random(2025)`` from a pool of DISTINCT (default 20,000) codes of
    the release, as claims data repeat codes; a quarter are inpatient stays.
    Building them with ``Encounter.from_codes`` is timed apart from ``check`` plus
    ``sequence``; the batch starts on a freshly loaded release, so the second
    figure includes working out the facts of every code of the pool once. The
    target (30 s per 100,000 encounters, scaled to ENCOUNTERS) is on the total.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import time
from collections.abc import Sequence

import attrs

import icd10cm
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script

ENCOUNTER_TARGET_US = 50.0  # check + sequence of one warm 8-code encounter
ONE_CODE_TARGET_US = 15.0  # check + sequence of one warm 1-code encounter
BATCH_TARGET_S = 30.0  # build + check + sequence of 100,000 encounters
BATCH_SIZE = 100_000  # the batch BATCH_TARGET_S is set for
SEED = 2025


@attrs.frozen
class Case:
    """A realistic encounter of the kind claims carry: 8 diagnoses, reported order."""

    name: str
    setting: str
    codes: tuple[str, ...]


CASES = (
    Case("type 2 diabetes with CKD, insulin", "outpatient",
         ("E11.22", "N18.4", "I12.9", "Z79.4", "E11.65", "E78.5", "E66.01", "Z68.41")),
    Case("fall at home, hip fracture", "inpatient",
         ("S72.001A", "W19.XXXA", "Y92.012", "Y93.89", "Y99.8", "I10", "M81.0", "Z79.01")),
    Case("prenatal visit, gestational diabetes", "outpatient",
         ("O24.414", "O13.3", "O99.214", "Z3A.32", "E66.9", "O34.211", "O09.523", "Z79.84")),
    Case("COPD exacerbation, heart failure", "inpatient",
         ("J44.1", "J96.01", "I50.23", "I11.0", "Z99.81", "F17.210", "E87.1", "R06.02")),
    Case("opioid and benzodiazepine overdose", "inpatient",
         ("T40.2X1A", "T42.4X1A", "F11.20", "R40.2412", "J69.0", "Y92.009", "Z91.51", "F32.A")),
    Case("sepsis from urinary tract infection", "inpatient",
         ("A41.9", "R65.20", "N39.0", "B96.20", "N17.9", "E86.0", "I48.91", "Z79.01")),
)

ONE_CODE_CASES = (
    Case("type 2 diabetes", "outpatient", ("E11.9",)),
    Case("general examination", "outpatient", ("Z00.00",)),
    Case("hip fracture", "inpatient", ("S72.001A",)),
    Case("pneumonia", "inpatient", ("J18.9",)),
)


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6  # macOS bytes, Linux KiB


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _fresh_release(release_id: str, *, read_notes: bool) -> icd10cm.Release:
    """Forget every loaded release and memo, then reload *release_id* (not timed)."""
    icd10cm.clear_cache()
    gc.collect()
    release = icd10cm.load_release(release_id)
    if read_notes:
        release.notes_at("chapter:1")  # notes are read on first use, for the whole release
    return release


def _encounter(case: Case, release: icd10cm.Release) -> icd10cm.Encounter:
    missing = [code for code in case.codes if code not in release]
    if missing:
        raise SystemExit(f"{case.name}: {', '.join(missing)} not in release {release.id}")
    return icd10cm.Encounter.from_codes(case.codes, setting=case.setting, release=release)


def _call_us(encounter: icd10cm.Encounter) -> float:
    """One check + sequence of *encounter*, in microseconds."""
    start = time.perf_counter()
    icd10cm.check(encounter)
    icd10cm.sequence(encounter)
    return (time.perf_counter() - start) * 1e6


# --- (a) one encounter ----------------------------------------------------------------


def bench_encounter(release_id: str, repeat: int, cold_rounds: int) -> list[Row]:
    rows: list[Row] = []
    release = _fresh_release(release_id, read_notes=False)
    first = _call_us(_encounter(CASES[0], release))
    for case in CASES:
        _call_us(_encounter(case, release))  # warm-up: the per-code facts are now cached

    # Every timed call gets an encounter object of its own, and the cases take turns,
    # so that nothing worked out for one encounter (rather than per code) is reused:
    # as in a batch of claims, where each encounter is checked and sequenced once.
    def fresh(count: int) -> list[list[icd10cm.Encounter]]:
        return [[_encounter(case, release) for case in CASES] for _ in range(count)]

    timings: dict[str, list[float]] = {case.name: [] for case in CASES}
    for batch in fresh(repeat):
        for case, encounter in zip(CASES, batch, strict=True):
            timings[case.name].append(_call_us(encounter))
    checks: list[float] = []
    sequences: list[float] = []
    for batch in fresh(max(1, repeat // 4)):
        for encounter in batch:
            start = time.perf_counter()
            icd10cm.check(encounter)
            middle = time.perf_counter()
            icd10cm.sequence(encounter)
            checks.append((middle - start) * 1e6)
            sequences.append((time.perf_counter() - middle) * 1e6)

    warm = statistics.median(t for ts in timings.values() for t in ts)
    target = f"<= {ENCOUNTER_TARGET_US:g} us"
    rows.append(Row(f"(a) check + sequence, warm, 8-code encounter (median of "
                    f"{len(CASES)} x {repeat:,} calls)", f"{warm:.0f} us", target,
                    warm <= ENCOUNTER_TARGET_US))
    rows.append(Row("    warm: check", f"{statistics.median(checks):.0f} us"))
    rows.append(Row("    warm: sequence, just after check",
                    f"{statistics.median(sequences):.0f} us"))
    for case in CASES:
        encounter = _encounter(case, release)
        findings = len(icd10cm.check(encounter))
        moved = len(icd10cm.sequence(encounter).moves)
        rows.append(Row(f"    warm: {case.name} ({case.setting}; {_count(findings, 'finding')}, "
                        f"{_count(moved, 'move')})",
                        f"{statistics.median(timings[case.name]):.0f} us"))

    for case in ONE_CODE_CASES:
        _call_us(_encounter(case, release))
    singles = [_call_us(_encounter(case, release))
               for _ in range(repeat) for case in ONE_CODE_CASES]
    single = statistics.median(singles)
    rows.append(Row(f"(a) check + sequence, warm, 1-code encounter (median of "
                    f"{len(ONE_CODE_CASES)} x {repeat:,} calls)", f"{single:.1f} us",
                    f"<= {ONE_CODE_TARGET_US:g} us", single <= ONE_CODE_TARGET_US))

    colds: list[float] = []
    for _ in range(cold_rounds):
        for case in CASES:
            release = _fresh_release(release_id, read_notes=True)
            colds.append(_call_us(_encounter(case, release)))
    rows.append(Row(f"    cold (reference): first call, facts of its codes not cached "
                    f"(median of {len(colds)})", f"{statistics.median(colds):.0f} us"))
    rows.append(Row("    cold (reference): first call after loading the release, "
                    "reads its notes", f"{first / 1e3:.0f} ms"))
    return rows


# --- (b) a batch ----------------------------------------------------------------------


def make_batch(release: icd10cm.Release, count: int, distinct: int,
               seed: int) -> list[tuple[str, tuple[str, ...]]]:
    """*count* (setting, 8 codes) pairs drawn from *distinct* reportable codes of *release*."""
    rng = random.Random(seed)
    codes = [code.value for code in release.billable_codes()]
    pool = rng.sample(codes, min(distinct, len(codes)))
    return [("inpatient" if rng.random() < 0.25 else "outpatient", tuple(rng.sample(pool, 8)))
            for _ in range(count)]


def bench_batch(release_id: str, count: int, distinct: int) -> list[Row]:
    rows: list[Row] = []
    release = _fresh_release(release_id, read_notes=True)
    batch = make_batch(release, count, distinct, SEED)
    used = len({code for _, codes in batch for code in codes})
    label = f"{count:,} encounters of 8 codes ({used:,} distinct)"

    from_codes = icd10cm.Encounter.from_codes
    gc.collect()
    start = time.perf_counter()
    encounters = [from_codes(codes, setting=setting, release=release)
                  for setting, codes in batch]
    built = time.perf_counter() - start

    check, sequence = icd10cm.check, icd10cm.sequence
    findings = flagged = reordered = 0
    start = time.perf_counter()
    for encounter in encounters:
        found = check(encounter)
        findings += len(found)
        flagged += bool(found)
        reordered += sequence(encounter).changed
    checked = time.perf_counter() - start

    total = built + checked
    limit = BATCH_TARGET_S * count / BATCH_SIZE
    target = f"<= {limit:.3g} s" + ("" if count == BATCH_SIZE else
                                     f" ({BATCH_TARGET_S:g} s per {BATCH_SIZE:,})")
    rows.append(Row(f"(b) {label}: build + check + sequence", f"{total:.2f} s", target,
                    total <= limit))
    rows.append(Row("    Encounter.from_codes", f"{built:.2f} s"))
    rows.append(Row("    check + sequence (works out each code's facts once)",
                    f"{checked:.2f} s"))
    rows.append(Row("    per encounter, check + sequence", f"{checked / count * 1e6:.0f} us"))
    rows.append(Row("    encounters with findings", f"{flagged:,} ({findings:,} findings)"))
    rows.append(Row("    encounters reordered by sequence", f"{reordered:,}"))
    rows.append(Row("    peak RSS so far", f"{_peak_rss_mb():.0f} MB"))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--encounters", type=int, default=BATCH_SIZE,
                        help=f"encounters in the batch (default {BATCH_SIZE:,})")
    parser.add_argument("--distinct", type=int, default=20_000,
                        help="distinct codes the batch draws from (default 20,000)")
    parser.add_argument("--release", default="2025-04", help="release (default 2025-04)")
    parser.add_argument("--repeat", type=int, default=1000,
                        help="timed warm calls per realistic encounter (default 1,000)")
    parser.add_argument("--cold-rounds", type=int, default=3,
                        help="cold calls per realistic encounter (default 3)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if min(args.encounters, args.repeat, args.cold_rounds) < 1 or args.distinct < 8:
        parser.error("--encounters, --repeat and --cold-rounds must be at least 1, "
                     "--distinct at least 8")

    try:
        release_id = icd10cm.load_release(args.release).id
    except icd10cm.Icd10cmError as error:
        parser.error(str(error))
    rows = bench_encounter(release_id, args.repeat, args.cold_rounds)
    rows += bench_batch(release_id, args.encounters, args.distinct)
    print(f"icd10cm {icd10cm.__version__} encounter benchmark: Python "
          f"{sys.version.split()[0]} on {sys.platform}, release {release_id}")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
