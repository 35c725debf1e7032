"""``icd10cm validate --file`` prints exactly what it printed before it streamed (issue 15).

The expected outputs in tests/data/validate_file/ were captured from the command as it
was before it was made faster (commit 2fe97d6), on inputs that mix every kind of row:
valid codes in the forms claims use, headers, stems lacking a 7th character or a
placeholder, typos, codes of other releases, malformed, blank, long and non-ASCII text,
and quoted CSV cells (a comma, a line break, doubled quotes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from icd10cm.__main__ import main

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
