"""Measure memory under hostile input, and the cost of reading official files within limits.

    python benchmarks/bench_untrusted.py                 # the default sizes
    python benchmarks/bench_untrusted.py --strings 300   # a quicker run

This is a script, not a test: figures depend on the machine. Each figure comes from
a child process (peak RSS from ``resource.getrusage``, Linux). The targets:

(a) validating N distinct 100 KB strings (issue 16: 3,000 of them grew a process
    from 63 MB to 631 MB): the resident set grows by at most 50 MB;
(b) ``release_from_files`` of the official FY2025 order file and tabular (from
    ../shared/cms-raw, skipped where absent), streamed within ``SourceLimits``:
    time and peak memory, for reference. The refusal of hostile archives within a
    memory bound is a test (tests/test_untrusted_files.py).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import icd10cm
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script

CMS_RAW = Path(os.environ.get("ICD10CM_CMS_RAW",
                              Path(__file__).resolve().parents[2] / "shared" / "cms-raw"))


def _child(code: str, *args: str) -> dict[str, float]:
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args],
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(run.stdout)
    return result


_MEMO = """
    import json, resource, sys
    import icd10cm
    release = icd10cm.load_release("2025")
    icd10cm.validate("E11.9", release=release)
    def rss():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    before = rss()
    for n in range(int(sys.argv[1])):
        icd10cm.validate(f"{n:06d}" + "x" * 100_000, release=release)
    print(json.dumps({"before": before, "growth": rss() - before}))
"""

_BUILD = """
    import json, resource, sys, time
    import icd10cm
    start = time.perf_counter()
    icd10cm.release_from_files(*sys.argv[1:])
    print(json.dumps({"seconds": time.perf_counter() - start,
                      "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--strings", type=int, default=3000,
                        help="distinct 100 KB strings to validate")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    memo = _child(_MEMO, str(args.strings))
    rows = [Row(f"validate {args.strings:,} distinct 100 KB strings: memory growth",
                f"{memo['growth']:.1f} MB (from {memo['before']:.0f} MB)", "<= 50 MB",
                memo["growth"] <= 50)]
    folder = CMS_RAW / "2025"
    files = [folder / "icd10cm_order_2025.txt.gz", folder / "icd-10-cm-tabular-2025.xml.gz"]
    if all(f.is_file() for f in files):
        build = _child(_BUILD, *map(str, files))
        rows.append(Row("release_from_files(FY2025 order + tabular)",
                        f"{build['seconds']:.2f} s, peak {build['peak']:.0f} MB"))
    else:
        rows.append(Row("release_from_files(FY2025 order + tabular)",
                        f"skipped: no official files at {CMS_RAW}"))
    print(f"icd10cm {icd10cm.__version__}, data {icd10cm.data_version()}: untrusted input")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
