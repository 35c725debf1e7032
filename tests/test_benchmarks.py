"""The benchmark scripts run end to end (on small inputs) and print their tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize(
    ("script", "args", "expect"),
    [
        ("bench_foundation.py", ["--no-wheel", "--runs", "1"], "load all 19 releases"),
        ("bench_codes.py", ["--rows", "20000", "--distinct", "500", "--real", "500",
                            "--invalid", "50", "--passes", "1"], "parse_code"),
    ],
)
def test_benchmark_runs(script: str, args: list[str], expect: str) -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert expect in done.stdout
    assert "measured" in done.stdout.splitlines()[1]
