"""The benchmark scripts run end to end (on small inputs) and print their tables."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs in CI, not in the fast tier

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize(
    ("script", "args", "expect"),
    [
        ("bench_foundation.py", ["--no-wheel", "--runs", "1"], "load all 19 releases"),
        ("bench_codes.py", ["--rows", "20000", "--distinct", "500", "--real", "500",
                            "--invalid", "50", "--passes", "1"], "parse_code"),
        ("bench_comorbidity.py", ["--rows", "20000", "--distinct", "500"],
         "pyarrow charlson warm"),
        ("bench_frames.py", ["--rows", "20000", "--distinct", "500", "--encounters", "300"],
         "their share of the warm pandas call"),
        ("bench_navigation.py", ["--codes", "100", "--passes", "1"],
         "notes with inheritance"),
        ("bench_tables.py", ["--lookups", "50", "--passes", "1"], "drug() by path"),
        ("bench_search.py", ["--queries", "50", "--cold-rounds", "1", "--walks", "100",
                             "--rounds", "1"], "index_lookup over a plain dict walk"),
        ("bench_releases.py", ["--codes", "20", "--passes", "1", "--rounds", "5"],
         "diff 2016 -> 2027"),
        ("bench_untrusted.py", ["--strings", "100"], "memory growth"),
        ("bench_borrowing.py", ["--rounds", "1"], "what borrowing adds"),
        ("bench_validate.py", ["--stream", "2000", "--distinct", "200", "--rows", "2000",
                               "--rounds", "1"], "validate --file"),
    ],
)
def test_benchmark_runs(script: str, args: list[str], expect: str) -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert expect in done.stdout
    assert "measured" in done.stdout.splitlines()[1]


def _row(lines: list[str], start: str) -> str:
    """The one report line that starts with *start*."""
    found = [line for line in lines if line.startswith(start)]
    assert len(found) == 1, "\n".join(lines)
    return found[0]


def test_encounter_benchmark_reports_both_targets() -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / "bench_encounters.py"),
                           "--encounters", "200", "--repeat", "5", "--cold-rounds", "1"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "measured" in lines[1]
    warm = _row(lines, "(a) check + sequence, warm, 8-code encounter")
    assert re.search(r"  \d+ us +<= 50 us +(ok|MISSED)$", warm), warm
    single = _row(lines, "(a) check + sequence, warm, 1-code encounter")
    assert re.search(r"  \d+(\.\d)? us +<= 15 us +(ok|MISSED)$", single), single
    batch = _row(lines, "(b) 200 encounters of 8 codes")
    assert re.search(r"  \d+\.\d\d s +<= 0\.06 s \(30 s per 100,000\) +(ok|MISSED)$",
                     batch), batch
    cold = _row(lines, "    cold (reference): first call, facts")
    assert re.search(r"  \d+ us +-$", cold), cold
    for part in ("    Encounter.from_codes", "    check + sequence ("):
        line = _row(lines, part)
        assert re.search(r"  \d+\.\d\d s +-$", line), line
    assert re.search(r"^\d+ target\(s\) missed", lines[-1]), lines[-1]
