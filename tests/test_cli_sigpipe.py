"""A reader that closes the pipe early (``icd10cm validate --file big.csv | head -1``).

The command stops, silently, with the exit status of the Unix convention for a writer
whose reader went away: 141, 128 + SIGPIPE, which the shell reports for ``yes | head -1``
and ``set -o pipefail`` catches. It used to exit 0, as if the whole output had been
written (docs.python.org, "Note on SIGPIPE": exiting 0 there hides the failure).
"""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from icd10cm.__main__ import main

SIGPIPE_STATUS = 128 + int(getattr(signal, "SIGPIPE", 13))


def _first_line_then_close(argv: list[str]) -> tuple[bytes, int, str]:
    """``python -m icd10cm ARGV | head -1``: the first line, the exit status, stderr."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    process = subprocess.Popen([sys.executable, "-m", "icd10cm", *argv], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader goes away
    err = process.stderr.read().decode()
    return first, process.wait(timeout=120), err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGPIPE is POSIX")
def test_validate_of_a_big_file_into_a_closed_pipe_exits_141(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    # 30,000 rows: far more output than a pipe buffers (64 KiB on Linux).
    big.write_text("code\n" + "E11.9\nI10\nS52.521A\n" * 10_000, encoding="utf-8")
    first, status, err = _first_line_then_close(["validate", "--file", str(big)])
    assert first  # it did write before the reader left
    assert status == SIGPIPE_STATUS, err
    assert err == ""  # no traceback, no "Exception ignored", no message


class _ClosedPipe(io.RawIOBase):
    """A stdout whose reader has gone: every write fails with EPIPE."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def test_main_returns_141_on_a_broken_pipe(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(io.BufferedWriter(_ClosedPipe()),
                                                       encoding="utf-8"))
    assert main(["releases"]) == SIGPIPE_STATUS
    assert capsys.readouterr().err == ""
