"""``icd10cm validate --file`` prints exactly what it printed before it streamed (issue 15).

The expected outputs in tests/data/validate_file/ were captured from the command as it
was before it was made faster (commit 2fe97d6), on inputs that mix every kind of row:
valid codes in the forms claims use, headers, stems lacking a 7th character or a
placeholder, typos, codes of other releases, malformed, blank, long and non-ASCII text,
and quoted CSV cells (a comma, a line break, doubled quotes). One change since: the
table shows a text with a character that is not printable (the line break of one row)
as its repr, so mixed.table.out has that row on one line; and each 7th character in the
json format has a ``source_release`` (null: the release's own Tabular List gives its
meaning).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import icd10cm
from icd10cm.__main__ import main
from icd10cm.cli.input import read_column
from icd10cm.io.json import to_json
from test_shared_verdicts import TEXTS  # tests/ is on sys.path under pytest

__all__: list[str] = []

DATA = Path(__file__).parent / "data" / "validate_file"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize(("name", "extra"), [("mixed.csv", []),
                                             ("columns.tsv", ["--column", "dx"])])
def test_output_is_byte_identical_to_the_captured_output(
    capsysbinary: pytest.CaptureFixture[bytes], name: str, extra: list[str], fmt: str,
) -> None:
    argv = ["validate", "--file", str(DATA / name), *extra, "--release", "2025",
            "--format", fmt]
    assert main(argv) == 1
    expected = (DATA / f"{name.partition('.')[0]}.{fmt}.out").read_bytes()
    assert capsysbinary.readouterr().out == expected


@pytest.mark.parametrize(
    ("content", "extra", "expected"),
    [
        (b'code\nE11.9\nI10\n"E11.9\n', [],
         "line 4: a quoted value starts on this line and is never closed"),
        (b"code\nE11.9\nI10\nE11\xff\n", ["--column", "dx"],
         "row 4, column code: byte 0xFF is not UTF-8"),
        (b"id,code\n1,E11.9\n2,I10\n3\n", ["--column", "code"],
         "row 4: has 1 column(s), no column 2"),
        (b"id,code\n1,E11.9\n2,I10\n3\n", ["--column", "dx"],
         "has no column 'dx'; its columns are 'id', 'code'"),
    ],
)
def test_a_bad_row_late_in_the_file_prints_no_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    content: bytes, extra: list[str], expected: str,
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    assert main(["validate", "--file", str(path), *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert expected in captured.err and captured.err.count("\n") == 1


def _reference(values: list[str], fmt: str, release: str, *, ascii_only: bool) -> str:
    """The output as the command wrote it before its bulk path: a verdict of
    :func:`icd10cm.validate` per row, written field by field."""
    verdicts = [icd10cm.validate(value, release=release) for value in values]
    if fmt == "json":
        documents = [json.dumps(to_json(v), ensure_ascii=ascii_only) for v in verdicts]
        return "[\n" + ",\n".join(documents) + "\n]\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["row", "input", "code", "status", "title", "message", "suggestions"])
        writer.writerows([row, v.text, v.code or "", v.status.value, v.title or "", v.message,
                          " ".join(v.suggestions)] for row, v in enumerate(verdicts, start=1))
        return out.getvalue()
    shown = [text if text.isprintable() else repr(text) for text in values]
    width = max(map(len, shown))
    status_width = max(len(v.status.value) for v in verdicts)
    valid = sum(v.is_valid for v in verdicts)
    label = icd10cm.load_release(release).info.label
    return "".join(f"{text:<{width}}  {v.status.value:<{status_width}}  {v.message}\n"
                   for text, v in zip(shown, verdicts, strict=True)) + (
        f"{valid:,} of {len(verdicts):,} valid in ICD-10-CM {label} ({release})\n")


# Every status, each code in several forms, and cells the csv writer quotes when it
# writes them back: a comma, a quote, line breaks, white space around.
_VALUES = [*TEXTS, "E11.9,", 'E11."9', "e11.9\r", "\rE11.9", "E11\n.9", "I10, E11.9",
           '"I10"', " E11.9 ", "E11.9", "E1\x001.9", "\x1b[31mE11.9", "A\tB"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_the_bulk_path_writes_what_validate_gives_row_by_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    fmt: str, ascii_only: bool,
) -> None:
    from icd10cm.cli import validate as command

    monkeypatch.setattr(command, "ascii_json", lambda: ascii_only)
    path = tmp_path / "codes.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows([["code"], *([v] for v in _VALUES)])
    values, delimiter, header = read_column(str(path), None, header=True)
    assert (delimiter, header) == (",", "code")
    assert len(values) > len(_VALUES) - 5  # blank rows are left out
    expected = _reference(values, fmt, "2025", ascii_only=ascii_only)
    assert main(["validate", "--file", str(path), "--release", "2025", "--format", fmt]) == 1
    assert capsys.readouterr().out == expected
    # In chunks (with progress on a terminal), each chunk has its own verdicts
    monkeypatch.setattr(command, "_CHUNK", 7)
    monkeypatch.setattr(command, "_BATCH", 5)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert main(["validate", "--file", str(path), "--release", "2025", "--format", fmt]) == 1
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize(("content", "extra", "valid", "note"), [
    (b"E11.9\nI10\n", [], "1 of 1 valid", "the header of the column, 'E11.9', is a code"),
    (b"e119,x\nI10,y\n", ["--column", "1"], "1 of 1 valid",
     "the header of the column, 'e119', is a code"),
    (b"dx\nE11.9\n", [], "1 of 1 valid", ""),
    (b"DX1\nE11.9\n", [], "1 of 1 valid", ""),  # shaped like a code, but none
    (b"E11.9\nI10\n", ["--no-header"], "2 of 2 valid", ""),
])
def test_a_header_that_is_a_code_is_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    content: bytes, extra: list[str], valid: str, note: str,
) -> None:
    # A plain list of codes has no header row: without --no-header its first code is
    # read as the column's name, and the command says so where it would go unseen.
    path = tmp_path / "codes.csv"
    path.write_bytes(content)
    assert main(["validate", "--file", str(path), *extra, "--release", "2025"]) == 0
    captured = capsys.readouterr()
    assert captured.out.endswith(f"{valid} in ICD-10-CM FY2025 (2025)\n")
    if note:
        assert note in captured.err and "--no-header" in captured.err
        assert captured.err.count("\n") == 1
    else:
        assert captured.err == ""


def test_a_file_of_one_line_suggests_no_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "codes.csv"
    path.write_bytes(b"E11.9\r\n")
    assert main(["validate", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert "has a header row but no rows of data" in err and "--no-header" in err


def test_the_table_shows_control_characters_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "E1\x1b[31m", "I10\x00", "E11.9"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x00" not in out
    assert out.splitlines()[0].startswith("'E1\\x1b[31m'  ")
    assert out.splitlines()[2].startswith("E11.9         valid")
    assert main(["lookup", "E1\x1b[31m"]) == 1
    assert capsys.readouterr().out.splitlines()[1].startswith("'E1\\x1b[31m': Invalid")


# Claims extracts separated by semicolons (Excel's CSV in much of Europe) or pipes.
@pytest.mark.parametrize(("name", "content", "delimiter"), [
    ("claims.csv", b"id;dx;poa\n1;E11.9;Y\n2;I10;N\n3;G24;Y\n", ";"),
    ("claims.txt", b"id|dx|poa\n1|E11.9|Y\n2|I10|N\n3|G24|Y\n", "|"),
    ("claims.tsv", b"id\tdx\tpoa\n1\tE11.9\tY\n2\tI10\tN\n3\tG24\tY\n", "tab"),
    ("claims.csv", b"id\tdx\tpoa\n1\tE11.9\tY\n2\tI10\tN\n3\tG24\tY\n", "\\t"),
])
def test_delimiter_reads_the_columns_it_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes,
    delimiter: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    argv = ["validate", "--file", str(path), "--column", "dx", "--release", "2025",
            "--format", "csv"]
    assert main([*argv, "--delimiter", delimiter]) == 1  # G24 is a header
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["input"], row["status"]) for row in rows] == [
        ("E11.9", "valid"), ("I10", "valid"), ("G24", "header")]


@pytest.mark.parametrize(("content", "extra", "hint"), [
    # --column names a column the comma-read file does not have: the error says why
    (b"id;dx\n1;E11.9\n", ["--column", "dx"],
     "has no column 'dx'; its columns are 'id;dx' (read as separated by ','; if ';' "
     "separates the columns, give --delimiter ';')"),
    (b"id|dx\n1|E11.9\n", ["--column", "dx"], "give --delimiter '|'"),
])
def test_a_missing_column_suggests_the_delimiter_its_header_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, extra: list[str],
    hint: str,
) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(content)
    assert main(["validate", "--file", str(path), *extra]) == 2
    assert hint in capsys.readouterr().err


def test_a_header_holding_another_delimiter_is_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    # Read as one comma-separated column, every row is malformed; the note says why.
    path = tmp_path / "claims.csv"
    path.write_bytes(b"dx;poa\nE11.9;Y\n")
    assert main(["validate", "--file", str(path)]) == 1
    err = capsys.readouterr().err
    assert "the header of the column, 'dx;poa', holds ';'" in err
    assert "give --delimiter ';'" in err
    assert main(["validate", "--file", str(path), "--delimiter", ";", "--column", "dx"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("delimiter", ["", ";;", "a", "7", ".", '"'])
def test_a_delimiter_that_cannot_separate_codes_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], delimiter: str,
) -> None:
    assert main(["validate", "--file", "-", "--delimiter", delimiter]) == 2
    err = capsys.readouterr().err
    assert f"{delimiter!r} cannot separate the columns" in err
    assert err.count("\n") == 1


def test_delimiter_applies_to_files_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "E11.9", "--delimiter", ";"]) == 2
    assert "--delimiter apply to --file or stdin only" in capsys.readouterr().err
