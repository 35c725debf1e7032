"""Measure code validation and parsing speed, side by side with simple-icd-10-cm.

    python benchmarks/bench_codes.py                 # 10M rows for validate_many
    python benchmarks/bench_codes.py --rows 1000000  # a quicker run
    python benchmarks/bench_codes.py --strict        # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine. Everything runs in
this one process, so the figures compare like with like:

(a) simple-icd-10-cm's ``is_valid_item`` over a list of distinct inputs: real
    codes of the latest release (dotted, undotted, lower-case with spaces) and
    invalid ones (typos and malformed text). Skipped if it is not installed.
(b) ``icd10cm.validate`` on the same inputs, normalisation included. Cold: the
    first call for each input after ``icd10cm.clear_cache()`` and reloading the
    release (the reload itself is not timed; the first invalid input pays for
    reading the code history of every release). Warm: the same inputs again.
(c) ``icd10cm.validate_many`` on ROWS strings drawn at random from 20,000
    distinct inputs, cold and warm, and the cost of ``list()`` on the result.
(d) ``icd10cm.parse_code`` on a loaded release: the median per-call time over
    many batches of calls.

Scalar calls/s are medians over 3 x PASSES passes (cold ones over fewer); the
per-call loop is the same plain ``for`` loop for both libraries.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import random
import resource
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import attrs

import icd10cm
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script

SCALAR_TARGET_RATIO = 1.5  # icd10cm.validate calls/s over simple-icd-10-cm's is_valid_item
MANY_TARGET = 10e6  # validate_many strings/s
PARSE_TARGET_US = 3.0  # parse_code, microseconds per call






def _rate(count: int, seconds: float) -> str:
    per_second = count / seconds
    if per_second >= 1e6:
        return f"{per_second / 1e6:.2f}M/s"
    return f"{per_second / 1e3:.0f}k/s"


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6  # macOS bytes, Linux KiB


# --- inputs --------------------------------------------------------------------------


@attrs.frozen
class Inputs:
    """The distinct inputs of (a) and (b), split as the report splits them."""

    valid: tuple[str, ...]  # real codes of the release, in the forms claims use
    invalid: tuple[str, ...]  # typos and malformed text
    mixed: tuple[str, ...]  # both, shuffled


def make_inputs(seed: int, real: int, invalid: int) -> Inputs:
    """*real* distinct real codes of the latest release and about *invalid* invalid inputs.

    The real codes are 80% canonical dotted (``E11.9``), 10% undotted (``E119``)
    and 10% lower-case with spaces (``" e11.9 "``, which simple-icd-10-cm
    rejects). Of the invalid inputs, three quarters are well-formed typos (the
    last character changed) and a quarter are malformed (a full-width digit,
    two dots, no letter first).
    """
    rng = random.Random(seed)
    release = icd10cm.latest_release()
    codes = [code.value for code in release]
    chosen = rng.sample(codes, real)
    forms: list[str] = []
    for index, value in enumerate(chosen):
        if index % 10 == 8:
            forms.append(value.replace(".", ""))
        elif index % 10 == 9:
            forms.append(f" {value.lower()} ")
        else:
            forms.append(value)
    known = set(codes)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    bad: list[str] = []
    for value in rng.sample(codes, invalid):
        kind = rng.random()
        if kind < 0.75:
            typo = value[:-1] + rng.choice(alphabet)
            if typo not in known and "." in typo:
                bad.append(typo)
        elif kind < 0.85:
            bad.append(value[0] + "\uff11" + value[2:])  # FULLWIDTH DIGIT ONE
        elif kind < 0.95:
            bad.append(value.replace(".", "..") if "." in value else value + "..1")
        else:
            bad.append("1" + value[1:])
    valid = tuple(dict.fromkeys(forms))
    seen = set(valid)
    invalid_texts = tuple(text for text in dict.fromkeys(bad) if text not in seen)
    mixed = [*valid, *invalid_texts]
    rng.shuffle(mixed)
    return Inputs(valid, invalid_texts, tuple(mixed))


# --- (a) and (b): scalar calls --------------------------------------------------------


def _pass_seconds(function: Callable[[str], object], texts: Sequence[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - start


def _median_pass(function: Callable[[str], object], texts: Sequence[str], passes: int) -> float:
    _pass_seconds(function, texts)  # warm-up
    return statistics.median(_pass_seconds(function, texts) for _ in range(passes))


def _fresh_release() -> None:
    """Forget every loaded release and memo, then reload the latest (not timed)."""
    icd10cm.clear_cache()
    gc.collect()
    icd10cm.latest_release()


def load_simple_icd() -> tuple[Any, str] | None:
    """simple-icd-10-cm (it has no type stubs) and its version, or None if not installed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it imports pkg_resources
            module: Any = importlib.import_module("simple_icd_10_cm")
    except ImportError:
        return None
    try:
        version = importlib.metadata.version("simple-icd-10-cm")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    return module, version


def bench_scalar(inputs: Inputs, passes: int) -> list[Row]:
    texts = inputs.mixed
    n = len(texts)
    what = f"{n:,} inputs ({len(inputs.invalid):,} invalid)"
    rows: list[Row] = []

    simple = load_simple_icd()
    simple_rate: float | None = None
    if simple is None:
        rows.append(Row(f"(a) simple-icd-10-cm is_valid_item, {what}", "not installed"))
    else:
        module, version = simple
        seconds = _median_pass(module.is_valid_item, texts, passes)
        simple_rate = n / seconds
        accepted = sum(1 for text in texts if module.is_valid_item(text))
        rows.append(Row(f"(a) simple-icd-10-cm {version} is_valid_item, {what}",
                        _rate(n, seconds)))
        rows.append(Row("    inputs it accepts", f"{accepted:,} of {n:,}"))

    def compared(name: str, mode: str, seconds: float) -> None:
        rate = n / seconds
        rows.append(Row(name, _rate(n, seconds)))
        ratio_name = f"    {mode}: ratio vs simple-icd-10-cm"
        if simple_rate is None:
            rows.append(Row(ratio_name, "n/a (not installed)", f">= {SCALAR_TARGET_RATIO}x"))
        else:
            ratio = rate / simple_rate
            rows.append(Row(ratio_name, f"{ratio:.2f}x", f">= {SCALAR_TARGET_RATIO}x",
                            ratio >= SCALAR_TARGET_RATIO))

    validate = icd10cm.validate
    release_id = icd10cm.latest_release().id
    colds = []
    for _ in range(max(1, passes // 5)):  # each cold pass reloads the release
        _fresh_release()
        colds.append(_pass_seconds(validate, texts))
    compared(f"(b) icd10cm.validate cold (release {release_id}), same inputs", "cold",
             statistics.median(colds))
    # where the cold time goes: valid and invalid inputs, each cold
    _fresh_release()
    valid_s = _pass_seconds(validate, inputs.valid)
    invalid_s = _pass_seconds(validate, inputs.invalid)
    rows.append(Row("    cold, per valid input", f"{valid_s / len(inputs.valid) * 1e6:.2f} us"))
    rows.append(Row("    cold, per invalid input (closest codes, history)",
                    f"{invalid_s / len(inputs.invalid) * 1e6:.1f} us"))
    compared("(b) icd10cm.validate warm, same inputs", "warm",
             _median_pass(validate, texts, passes))
    valid = sum(1 for text in texts if validate(text).is_valid)
    rows.append(Row("    inputs it finds valid (reportable)", f"{valid:,} of {n:,}"))
    return rows


# --- (c) validate_many ----------------------------------------------------------------


def bench_many(inputs: Inputs, rows_wanted: int, distinct: int, seed: int,
               passes: int) -> list[Row]:
    rng = random.Random(seed + 1)
    pool = inputs.mixed
    if len(pool) < distinct:
        raise SystemExit(f"only {len(pool):,} distinct inputs for --distinct {distinct:,}")
    chosen = rng.sample(pool, distinct)
    texts = rng.choices(chosen, k=rows_wanted)  # shared string objects: 8 bytes a row
    n = len(texts)
    label = f"{n / 1e6:g}M strings, {len(set(texts)):,} distinct"
    rows: list[Row] = []

    _fresh_release()
    start = time.perf_counter()
    batch = icd10cm.validate_many(texts)
    cold = time.perf_counter() - start
    rows.append(Row(f"(c) validate_many cold, {label}", _rate(n, cold),
                    f">= {MANY_TARGET / 1e6:g}M/s", n / cold >= MANY_TARGET))
    rows.append(Row("    cold, seconds", f"{cold:.3f} s"))

    warm_times = []
    for _ in range(passes):
        del batch
        gc.collect()
        start = time.perf_counter()
        batch = icd10cm.validate_many(texts)
        warm_times.append(time.perf_counter() - start)
    warm = statistics.median(warm_times)
    rows.append(Row("(c) validate_many warm, same strings", _rate(n, warm),
                    f">= {MANY_TARGET / 1e6:g}M/s", n / warm >= MANY_TARGET))
    rows.append(Row("    warm, seconds", f"{warm:.3f} s"))

    list_times = []
    for _ in range(max(1, passes // 2)):
        gc.collect()
        start = time.perf_counter()
        materialised = list(batch)
        list_times.append(time.perf_counter() - start)
        assert len(materialised) == n
        del materialised
    listed = statistics.median(list_times)
    rows.append(Row("    list(batch): materialise the result", f"{listed:.3f} s"))
    rows.append(Row("    validate_many warm + list(batch)", _rate(n, warm + listed)))
    start = time.perf_counter()
    counts = batch.statuses()
    tally = time.perf_counter() - start
    rows.append(Row("    batch.statuses()", f"{tally:.3f} s"))
    valid = counts.get(icd10cm.Status.VALID, 0)
    rows.append(Row("    valid rows", f"{valid:,} of {n:,}"))
    rows.append(Row("    peak RSS so far", f"{_peak_rss_mb():.0f} MB"))
    return rows


# --- (d) parse_code ----------------------------------------------------------------


def _per_call_us(call: Callable[[str], object], codes: Sequence[str], batches: int) -> float:
    """Median over *batches* of the mean time per call of one pass over *codes*, in us."""
    _pass_seconds(call, codes)  # warm-up
    times = [_pass_seconds(call, codes) / len(codes) for _ in range(batches)]
    return statistics.median(times) * 1e6


def bench_parse(seed: int, batches: int) -> list[Row]:
    release = icd10cm.latest_release()
    codes = random.Random(seed + 2).sample([code.value for code in release], 1000)
    parse_code = icd10cm.parse_code
    rows: list[Row] = []
    target = f"<= {PARSE_TARGET_US:g} us"
    default = _per_call_us(parse_code, codes, batches)
    rows.append(Row(f"(d) parse_code(code), latest release {release.id} loaded",
                    f"{default:.2f} us", target, default <= PARSE_TARGET_US))
    pinned = _per_call_us(lambda text: parse_code(text, release=release), codes, batches)
    rows.append(Row("(d) parse_code(code, release=<Release>)", f"{pinned:.2f} us", target,
                    pinned <= PARSE_TARGET_US))
    by_id = _per_call_us(lambda text: parse_code(text, release=release.id), codes, batches)
    rows.append(Row(f"    parse_code(code, release={release.id!r})", f"{by_id:.2f} us"))
    lookup = _per_call_us(release.__getitem__, codes, batches)
    rows.append(Row("    for reference: release[code]", f"{lookup:.2f} us"))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000,
                        help="strings for validate_many (default 10,000,000)")
    parser.add_argument("--distinct", type=int, default=20_000,
                        help="distinct strings among them (default 20,000)")
    parser.add_argument("--real", type=int, default=20_000,
                        help="real codes among the scalar inputs (default 20,000)")
    parser.add_argument("--invalid", type=int, default=2_000,
                        help="invalid inputs among the scalar inputs (default about 2,000)")
    parser.add_argument("--passes", type=int, default=5, help="timed passes (default 5)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.passes < 1 or args.rows < 1 or args.distinct < 1:
        parser.error("--passes, --rows and --distinct must be at least 1")

    inputs = make_inputs(args.seed, args.real, args.invalid)
    rows = bench_scalar(inputs, args.passes * 3)  # scalar passes are short: take more
    rows += bench_many(inputs, args.rows, args.distinct, args.seed, args.passes)
    rows += bench_parse(args.seed, batches=max(50, args.passes * 40))
    print(f"icd10cm {icd10cm.__version__} code benchmark: Python {sys.version.split()[0]} on "
          f"{sys.platform}, default release {icd10cm.latest_release().id}, "
          f"median of {args.passes} passes")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
