"""Measure validation at claims scale (issue 15), side by side with simple-icd-10-cm.

    python benchmarks/bench_validate.py                # 1M rows for the command line
    python benchmarks/bench_validate.py --rows 100000  # a quicker run
    python benchmarks/bench_validate.py --strict       # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine (and on what else it
runs: repeat a run when in doubt). Each part starts from a release that is loaded
but has validated nothing (``icd10cm.clear_cache()``, then the release is reloaded,
untimed):

(a) A claim stream: STREAM strings drawn at random from DISTINCT distinct codes of
    the latest release (half dotted, half undotted), each checked for validity and
    for being reportable (billable): ``icd10cm.validate(text).is_valid`` against
    simple-icd-10-cm's ``is_valid_item(text) and is_leaf(text)``. The two run in
    turn ROUNDS times; the ratio is the median of the per-round ratios. Skipped
    (reported as such) if simple-icd-10-cm is not installed.
(b) The first validation of a valid code: DISTINCT distinct reportable codes,
    dotted, each validated once; the mean time per call (median over ROUNDS).
(c) The first validation of an unknown code: 2,000 distinct well-formed codes in
    no bundled release, each validated once, after one other unknown code (which
    pays, once, for the set of every code of every release and the codes that take
    a 7th character, then for collecting its garbage; shown for reference).
    Reading the message (closest codes, history) is shown apart: it is computed on
    first read, once per code.
(d) ``icd10cm validate --file`` on a CSV of ROWS distinct rows, in a child process:
    the forms claims use (dotted, undotted, lower case, padded with spaces) of every
    code of the latest release, and 2% typos that are in no release. Wall time and
    the child's peak resident memory.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import icd10cm
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script
from bench_codes import load_simple_icd
from icd10cm.core.text import dot

STREAM_TARGET_RATIO = 1.5  # claim stream: icd10cm over simple-icd-10-cm
FIRST_VALID_TARGET_US = 1.0
FIRST_UNKNOWN_TARGET_US = 10.0
FILE_TARGET_S = 10.0  # per 1M rows
FILE_TARGET_MB = 600.0
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _fresh() -> icd10cm.Release:
    """Forget every loaded release and memo, then reload the latest (not timed; the
    collection after it keeps the release's own garbage out of the timed part)."""
    icd10cm.clear_cache()
    gc.collect()
    release = icd10cm.latest_release()
    gc.collect()
    return release


def _seconds(function: Callable[[str], object], texts: Sequence[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - start


def _unknown_codes(release: icd10cm.Release, count: int, rng: random.Random) -> list[str]:
    """*count* distinct well-formed codes in no bundled release: typos of real codes
    (found with validate(), whose memo the timed parts clear first)."""
    found: dict[str, None] = {}
    codes = list(release.undotted_codes)
    while len(found) < count:
        typo = dot(rng.choice(codes)[:-1] + rng.choice(_ALPHABET))
        if icd10cm.validate(typo, release=release).status is icd10cm.Status.UNKNOWN:
            found[typo] = None
    return list(found)


# --- (a) the claim stream -------------------------------------------------------------


def bench_stream(stream: int, distinct: int, rounds: int, seed: int) -> list[Row]:
    rng = random.Random(seed)
    release = _fresh()
    chosen = rng.sample(list(release.undotted_codes), distinct)
    pool = [dot(code) if i % 2 else code for i, code in enumerate(chosen)]
    texts = rng.choices(pool, k=stream)
    what = f"{stream:,} strings over {distinct:,} codes"
    simple = load_simple_icd()
    if simple is None:
        return [Row(f"(a) claim stream, {what}", "skipped: simple-icd-10-cm not installed",
                    f">= {STREAM_TARGET_RATIO}x")]
    module, version = simple
    is_valid_item, is_leaf = module.is_valid_item, module.is_leaf

    def reference(text: str) -> bool:
        return bool(is_valid_item(text) and is_leaf(text))

    validate = icd10cm.validate
    ratios, ours, theirs = [], [], []
    for _ in range(rounds):
        theirs.append(_seconds(reference, texts))
        _fresh()
        ours.append(_seconds(lambda text: validate(text).is_valid, texts))
        ratios.append(theirs[-1] / ours[-1])
    ratio = statistics.median(ratios)
    agree = sum(reference(text) == validate(text).is_valid for text in pool)
    return [
        Row(f"(a) simple-icd-10-cm {version} is_valid_item + is_leaf, {what}",
            f"{statistics.median(theirs):.3f} s"),
        Row("(a) icd10cm validate(...).is_valid, same stream, nothing validated before",
            f"{statistics.median(ours):.3f} s"),
        Row("    ratio: icd10cm over simple-icd-10-cm (median of rounds)", f"{ratio:.2f}x",
            f">= {STREAM_TARGET_RATIO}x", ratio >= STREAM_TARGET_RATIO),
        Row("    codes both call reportable or not alike", f"{agree:,} of {distinct:,}"),
    ]


# --- (b) and (c): first validations ---------------------------------------------------


def bench_first(distinct: int, rounds: int, seed: int) -> list[Row]:
    rng = random.Random(seed + 1)
    release = _fresh()
    billable = [dot(c) for c, b in zip(release.undotted_codes, release.billable_flags,
                                       strict=True) if b]
    valid = rng.sample(billable, distinct)
    unknown = _unknown_codes(release, 2001, rng)
    validate = icd10cm.validate
    rows: list[Row] = []

    firsts, warms = [], []
    for _ in range(rounds):
        _fresh()
        texts = [text.encode().decode() for text in valid]  # fresh str objects, unhashed
        firsts.append(_seconds(validate, texts) / len(texts) * 1e6)
        warms.append(_seconds(validate, texts) / len(texts) * 1e6)
    first = statistics.median(firsts)
    rows.append(Row(f"(b) first validation of a valid code ({distinct:,} codes)",
                    f"{first:.2f} us", f"<= {FIRST_VALID_TARGET_US:g} us",
                    first <= FIRST_VALID_TARGET_US))
    rows.append(Row("    for reference: the same again (memoised)",
                    f"{statistics.median(warms):.2f} us"))

    ones, firsts, messages = [], [], []
    for _ in range(rounds):
        _fresh()
        start = time.perf_counter()
        validate(unknown[0])
        # its one-off garbage is collected here, not during the timed part (as _fresh()
        # does for the release's), and the collection counts with it
        gc.collect()
        ones.append((time.perf_counter() - start) * 1e3)
        texts = [text.encode().decode() for text in unknown[1:]]
        firsts.append(_seconds(validate, texts) / len(texts) * 1e6)
        verdicts = [validate(text) for text in texts]
        start = time.perf_counter()
        for verdict in verdicts:
            _ = verdict.message
        messages.append((time.perf_counter() - start) / len(verdicts) * 1e6)
    first = statistics.median(firsts)
    rows.append(Row(f"(c) first validation of an unknown code ({len(unknown) - 1:,} codes)",
                    f"{first:.2f} us", f"<= {FIRST_UNKNOWN_TARGET_US:g} us",
                    first <= FIRST_UNKNOWN_TARGET_US))
    rows.append(Row("    once, before them: the first unknown code, and a collection",
                    f"{statistics.median(ones):.0f} ms"))
    rows.append(Row("    then reading its message (closest codes, history)",
                    f"{statistics.median(messages):.0f} us"))
    return rows


# --- (d) icd10cm validate --file --------------------------------------------------------


def claims_file(path: Path, rows: int, seed: int) -> None:
    """A CSV of *rows* distinct codes as claims write them, 2% of them typos."""
    rng = random.Random(seed + 2)
    release = icd10cm.latest_release()
    forms: dict[str, None] = {}
    for code in release.undotted_codes:
        dotted = dot(code)
        for form in (dotted, code, dotted.lower(), code.lower(), f" {dotted}", f"{dotted} ",
                     f" {code.lower()}", f"{dotted.lower()} ", f" {code}", f"{code} ",
                     f"  {dotted}"):
            forms[form] = None
    typos = _unknown_codes(release, rows // 50, rng)
    chosen = rng.sample(list(forms), min(len(forms), rows - len(typos)))
    texts = [*chosen, *typos]
    rng.shuffle(texts)
    path.write_text("code\n" + "".join(f"{text}\n" for text in texts), encoding="utf-8")


def bench_file(rows: int, seed: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.csv"
        claims_file(path, rows, seed)
        count = len(path.read_text(encoding="utf-8").splitlines()) - 1
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "icd10cm", "validate", "--file", str(path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"icd10cm validate failed:\n{done.stderr.decode()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child
    peak_mb = peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6
    target = FILE_TARGET_S * max(1.0, count / 1e6)  # smaller files: still 10 s
    return [
        Row(f"(d) icd10cm validate --file, {count:,} distinct rows", f"{seconds:.1f} s",
            f"<= {target:g} s", seconds <= target),
        Row("    its peak memory", f"{peak_mb:.0f} MB", f"<= {FILE_TARGET_MB:g} MB",
            peak_mb <= FILE_TARGET_MB),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stream", type=int, default=300_000,
                        help="strings in the claim stream (default 300,000)")
    parser.add_argument("--distinct", type=int, default=20_000,
                        help="distinct codes in the stream and in (b) (default 20,000)")
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="distinct rows for icd10cm validate --file (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if min(args.stream, args.distinct, args.rows, args.rounds) < 1:
        parser.error("--stream, --distinct, --rows and --rounds must be at least 1")

    rows = bench_stream(args.stream, args.distinct, args.rounds, args.seed)
    rows += bench_first(args.distinct, args.rounds, args.seed)
    rows += bench_file(args.rows, args.seed)
    print(f"icd10cm {icd10cm.__version__} validation benchmark: Python "
          f"{sys.version.split()[0]} on {sys.platform}, default release "
          f"{icd10cm.latest_release().id}, median of {args.rounds} rounds")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
