"""Measure the foundation's size and speed against its targets.

    python benchmarks/bench_foundation.py             # everything, including the wheel build
    python benchmarks/bench_foundation.py --no-wheel  # skip building the wheel
    python benchmarks/bench_foundation.py --strict    # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine. Every timing runs
in a fresh interpreter (``sys.executable``), so it includes nothing a previous
measurement cached. Times are medians of several runs; peak RSS is
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the process that loaded the
release(s). Sizes are in MB (10^6 bytes).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parent.parent

#: Modules whose presence after ``import icd10cm`` would mean data was touched.
DATA_MODULES = (
    "icd10cm.releases.registry", "icd10cm.releases.bundle", "icd10cm.releases.assembly",
    "icd10cm.releases.table_format",
)

_CHILD_PRELUDE = """\
import json, resource, sys, time
def peak_rss_mb():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6
"""




def _child(code: str) -> dict[str, Any]:
    """Run *code* in a fresh interpreter; it must print one JSON object last."""
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD_PRELUDE + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _wall_ms(argv: Sequence[str], runs: int) -> float:
    """Median whole-process wall time of *argv*, in ms, after one warm-up run."""
    subprocess.run(argv, check=True, cwd=REPO)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, cwd=REPO)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure_wheel() -> tuple[str, int]:
    """Build the wheel into a temporary folder; return its name and size in bytes."""
    with tempfile.TemporaryDirectory(prefix="icd10cm-bench-") as tmp:
        out = Path(tmp)
        attempts = [
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp],
            [sys.executable, "-m", "build", "--wheel", "--outdir", tmp],
            [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", tmp],
        ]
        errors = []
        for argv in attempts:
            done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
            wheels = sorted(out.glob("icd10cm-*.whl"))
            if done.returncode == 0 and wheels:
                return wheels[0].name, wheels[0].stat().st_size
            errors.append(f"{' '.join(argv[1:4])}: {done.stderr.strip()[-500:]}")
            for leftover in out.iterdir():
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
    raise RuntimeError("could not build the wheel:\n" + "\n".join(errors))


def measure_import(runs: int) -> tuple[float, float, list[str]]:
    """(python -c pass ms, python -c 'import icd10cm' ms, icd10cm modules the import loaded)."""
    baseline = _wall_ms([sys.executable, "-c", "pass"], runs)
    imported = _wall_ms([sys.executable, "-c", "import icd10cm"], runs)
    modules = _child(
        """
        import icd10cm
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "icd10cm")))
        """
    )
    return baseline, imported, list(modules)


@attrs.frozen
class Load:
    """Loading one release in a fresh process (medians over the runs)."""

    ms: float  # icd10cm.load_release(X) right after import icd10cm, all included
    import_ms: float  # of which: the lazy import of the release API modules
    rss_mb: float  # peak RSS of the process afterwards
    codes: int


def measure_load(release_id: str, runs: int) -> Load:
    """Time ``icd10cm.load_release(release_id)`` in fresh processes."""
    code = f"""
        import icd10cm
        start = time.perf_counter()
        load_release = icd10cm.load_release  # the first use imports the API modules
        imported = time.perf_counter()
        release = load_release({release_id!r})
        end = time.perf_counter()
        assert release["E11.9"].title  # codes and titles are there
        print(json.dumps({{"ms": (end - start) * 1000, "import_ms": (imported - start) * 1000,
                          "rss": peak_rss_mb(), "codes": len(release)}}))
    """
    results = [_child(code) for _ in range(runs)]
    return Load(
        ms=statistics.median(r["ms"] for r in results),
        import_ms=statistics.median(r["import_ms"] for r in results),
        rss_mb=statistics.median(r["rss"] for r in results),
        codes=int(results[0]["codes"]),
    )


def measure_all(runs: int) -> tuple[float, float, int]:
    """(median s to load every release in one process, peak RSS MB, release count)."""
    code = """
        import icd10cm
        start = time.perf_counter()
        releases = [icd10cm.load_release(i.id) for i in icd10cm.available_releases()]
        elapsed = time.perf_counter() - start
        print(json.dumps({"s": elapsed, "rss": peak_rss_mb(), "count": len(releases)}))
    """
    results = [_child(code) for _ in range(runs)]
    return (
        statistics.median(r["s"] for r in results),
        statistics.median(r["rss"] for r in results),
        int(results[0]["count"]),
    )


def collect(*, wheel: bool, runs: int) -> list[Row]:
    rows: list[Row] = []
    if wheel:
        name, size = measure_wheel()
        rows.append(Row(f"wheel size, all releases ({name})", f"{size / 1e6:.2f} MB",
                        "<= 12 MB", size <= 12e6))
    baseline, imported, modules = measure_import(runs)
    rows.append(Row("python -c pass (baseline)", f"{baseline:.1f} ms"))
    rows.append(Row("python -c 'import icd10cm'", f"{imported:.1f} ms", "<= 60 ms",
                    imported <= 60))
    rows.append(Row("  of which icd10cm itself", f"{imported - baseline:.1f} ms"))
    touched = [m for m in DATA_MODULES if m in modules]
    rows.append(Row("import icd10cm loads no data", "yes" if not touched else
                    f"no ({', '.join(touched)})", "yes", not touched))
    rows.append(Row("  icd10cm modules after import", ", ".join(modules)))
    load_runs = max(3, runs // 2)
    for release_id in ("2025", "2027"):
        load = measure_load(release_id, load_runs)
        data_ms = load.ms - load.import_ms
        rows.append(Row(f"load_release({release_id!r}): codes and titles ({load.codes:,} codes)",
                        f"{data_ms:.1f} ms", "<= 150 ms", data_ms <= 150))
        rows.append(Row("  first use in a fresh process, with the lazy import of the API "
                        "modules (attrs, importlib.resources)",
                        f"{load.ms:.1f} ms (import {load.import_ms:.1f} ms)"))
        rows.append(Row(f"peak RSS after load_release({release_id!r})", f"{load.rss_mb:.1f} MB",
                        "<= 80 MB", load.rss_mb <= 80))
    seconds, rss, count = measure_all(max(3, runs // 3))
    rows.append(Row(f"load all {count} releases, one process", f"{seconds:.2f} s", "<= 3 s",
                    seconds <= 3))
    rows.append(Row("  peak RSS after loading all", f"{rss:.1f} MB"))
    return rows




def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--no-wheel", action="store_true", help="do not build the wheel")
    parser.add_argument("--runs", type=int, default=10,
                        help="runs per timing (default 10; loads use fewer)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    rows = collect(wheel=not args.no_wheel, runs=args.runs)
    print(f"icd10cm foundation benchmark: Python {sys.version.split()[0]} on {sys.platform}, "
          f"median of {args.runs} runs for process times")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
