"""The command line keeps its promise (docs/cli.md) of one-line errors, exit code 2 and
never a traceback: with stdin or stdout closed, a full disk, bytes that are not UTF-8,
and bad CSV. Also the conventions of issue 16: ``-`` is stdin, ``check`` defaults to
outpatient, a bad release is reported before stdin is read, ``lookup`` names the release.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from icd10cm.__main__ import main
from icd10cm.cli import COMMANDS


class FullDisk(io.RawIOBase):
    """A file that refuses every write, as /dev/full does."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def stdin_of(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.startswith("icd10cm: ") and err.count("\n") == 1, err
    return err


# --- closed streams and a full disk -------------------------------------------------------


def test_closed_stdin_without_codes_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", None)
    assert main(["validate"]) == 2
    assert "no codes: give them as arguments or with --file (stdin is closed)" in \
        one_line_error(capsys)
    assert main(["validate", "--file", "-"]) == 2
    assert "cannot read stdin: it is closed" in one_line_error(capsys)
    assert main(["validate", "E11.9"]) == 0  # stdin is not needed


def test_closed_stdout_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdout", None)
    assert main(["lookup", "E11.9"]) == 2
    assert "standard output is closed" in one_line_error(capsys)


@pytest.mark.parametrize("argv", [["validate", "E11.9", "I10"], ["releases"], ["--help"],
                                  ["--version"], ["lookup", "--help"]])
def test_a_full_disk_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
) -> None:
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(io.BufferedWriter(FullDisk()),
                                                         encoding="utf-8"))
    assert main(argv) == 2
    assert "cannot write the output: No space left on device" in one_line_error(capsys)


@pytest.mark.parametrize("format_", ["json", "table", "csv"])
def test_arguments_that_are_not_utf8_are_escaped_in_the_output(
    monkeypatch: pytest.MonkeyPatch, format_: str,
) -> None:
    """On POSIX, Python gives the byte 0xFF of an argument as the lone surrogate U+DCFF,
    which UTF-8 cannot encode: the output escapes it, and stays UTF-8 (and valid JSON)."""
    raw = io.BytesIO()
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(raw, encoding="utf-8"))
    assert main(["validate", os.fsdecode(b"E11\xff"), "--format", format_]) == 1
    sys.stdout.flush()
    text = raw.getvalue().decode("utf-8")  # strict: the output is UTF-8
    assert "E11\\udcff" in text
    if format_ == "json":
        assert json.loads(text)[0]["text"] == "E11\udcff"


# --- input conventions ----------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["validate", "--column", "dx", "-"],
                                  ["validate", "--column", "dx", "--file", "-"],
                                  ["validate", "--column", "dx"]])
def test_dash_means_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
) -> None:
    stdin_of(monkeypatch, b"id,dx\n1,E11.9\n2,I10\n")
    assert main([*argv, "--release", "2025"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 of 2 valid in ICD-10-CM FY2025 (2025)"


def test_dash_cannot_be_mixed_with_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "E11.9", "-"]) == 2
    assert "- (stdin) is a file name" in one_line_error(capsys)


def test_a_bad_release_is_reported_before_stdin_is_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    class Unread(io.StringIO):
        def read(self, size: int | None = -1) -> str:
            raise AssertionError("stdin was read")

    monkeypatch.setattr("sys.stdin", Unread())
    assert main(["validate", "--release", "BAD"]) == 2
    assert "Unknown ICD-10-CM release: 'BAD'" in one_line_error(capsys)


def test_check_defaults_to_outpatient_as_the_library_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "Z96.651", "Z47.1", "--date", "2025-06-01"]) == 0
    assert capsys.readouterr().out.startswith(
        "ICD-10-CM FY2025 April 1 update (2025-04), outpatient: 1 finding")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'id,dx\n1,"E11.9\n2,I10\n3,A00\n',
         'in.csv, line 2: a quoted value starts on this line and is never closed'),
        (b'id,dx\n1,"E11.9\n"x,I10\n', "in.csv, line 3: not valid CSV: ',' expected after"),
        (b"id,dx\n", "in.csv has a header row but no rows of data"),
        (b"id,dx\n\n\n", "in.csv has a header row but no rows of data"),
        (b"\n\n", "in.csv has no rows"),
        (b"id,dx\n1,E11.9\n2,caf\xe9\n", "in.csv, row 3, column dx: byte 0xE9 is not UTF-8"),
        (b"id,d\xe9\n1,E11.9\n", "in.csv, row 1, column 2: byte 0xE9 is not UTF-8"),
        (b"\xef\xbb\xbfid,dx\n1,E11.9\n2,E1\xff\n", "row 3, column dx: byte 0xFF is not UTF-8"),
    ],
    ids=["unterminated-quote", "stray-quote", "header-only", "header-and-blank-lines",
         "blank", "latin-1-cell", "latin-1-header", "bom-then-bad-byte"],
)
def test_bad_csv_is_a_one_line_error_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str,
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    assert main(["validate", "--file", str(path), "--column", "dx"]) == 2
    assert expected in one_line_error(capsys)


def test_a_closed_quote_may_span_lines_and_rows_keep_their_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b'id,note,dx\n1,"two\nlines",E11.9\n\n2,x\n')
    assert main(["validate", "--file", str(path), "--column", "dx"]) == 2
    assert "in.csv, row 4: has 2 column(s), no column 3" in one_line_error(capsys)


# --- every subcommand, in a real process -------------------------------------------------------

SAMPLES = {
    "lookup": ["E11.9"],
    "search": ["dystonia", "--limit", "1"],
    "index": ["Dystonia", "--release", "2023"],
    "drug": ["Acetaminophen", "--release", "2025"],
    "neoplasm": ["bone > femur", "--release", "2025"],
    "validate": ["E11.9"],
    "check": ["E11.9", "I10"],
    "diff": ["2022", "2022-04"],
    "convert": ["B88.0", "--from", "2025", "--to", "2026"],
    "releases": [],
}


def _run(argv: list[str], stream: str) -> subprocess.CompletedProcess[str]:
    """``python -m icd10cm ARGV`` with stdin or stdout closed, or stdout on a device."""
    command = [sys.executable, "-m", "icd10cm", *argv]
    if stream in ("/dev/null", "/dev/full"):
        with open(stream, "wb") as out:
            return subprocess.run(command, stdout=out, stderr=subprocess.PIPE, text=True,
                                  timeout=120, check=False)
    fd = 0 if stream == "closed stdin" else 1
    return subprocess.run(command, stderr=subprocess.PIPE, text=True, timeout=120,
                          check=False, preexec_fn=lambda: os.close(fd))


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("stream", ["closed stdin", "closed stdout", "/dev/full"])
@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_survives_closed_streams_and_a_full_disk(
    command: str, stream: str,
) -> None:
    argv = [command, *SAMPLES.get(command, ["--help"])]
    if stream == "closed stdin" and command == "validate":
        argv = ["validate"]  # no codes: it would read stdin
    run = _run(argv, stream)
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr
    if stream == "closed stdin":
        expected = 2 if argv == ["validate"] else _run(argv, "/dev/null").returncode
        assert run.returncode == expected, run.stderr
        assert run.returncode != 2 or run.stderr.startswith("icd10cm: ")
    else:
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("icd10cm: ") and run.stderr.count("\n") == 1, run.stderr
        assert ("standard output is closed" if stream == "closed stdout"
                else "cannot write the output: No space left on device") in run.stderr


def test_the_samples_name_subcommands() -> None:
    assert set(SAMPLES) <= set(COMMANDS)  # a subcommand without a sample runs with --help
