"""The command line: ``icd10cm lookup`` and ``icd10cm releases``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from icd10cm.__main__ import main


def test_lookup_prints_titles_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "E11.9", "s52521"]) == 0
    out = capsys.readouterr().out
    assert "E11.9  Type 2 diabetes mellitus without complications" in out
    assert "S52.521  Torus fracture of lower end of right radius" in out
    assert "7th characters: A (initial encounter for closed fracture)" in out


def test_lookup_of_a_bad_code_explains_and_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "W21.89A", "--release", "2025"]) == 1
    assert "W21.89XA" in capsys.readouterr().out


def test_lookup_by_date_of_service(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "U07.1", "--date", "2019-06-01"]) == 1
    assert "added in 2020-04" in capsys.readouterr().out


def test_bad_release_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "E11.9", "--release", "1999"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("icd10cm: Unknown ICD-10-CM release: '1999'")
    assert err.count("\n") == 1


def test_releases_lists_every_release(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["releases"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 19
    assert lines[-1].startswith("2027")


def test_lookup_normalises_its_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", " e1.19 "]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("E11.9  Type 2 diabetes")


def test_lookup_names_the_release_that_answered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "E11.9", "--date", "2020-06-01"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "ICD-10-CM FY2020 April 1 update (2020-04)"


# --- validate ----------------------------------------------------------------------------


def test_validate_arguments_exit_one_when_any_code_is_invalid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "E11.9", "W21.89A", "--release", "2025"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["E11.9", "valid"]
    assert lines[1].split()[:2] == ["W21.89A", "missing_placeholder"]
    assert "W21.89XA" in lines[1]
    assert lines[-1] == "1 of 2 valid in ICD-10-CM FY2025 (2025)"


def test_validate_all_valid_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "e119", "S52.521A", "--date", "2025-06-30"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("2 of 2 valid")


def test_validate_csv_file_by_column_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "claims.csv"
    path.write_text('id,dx,note\n1,E11.9,"a, b"\n2,U07.1,x\n3,,empty\n', encoding="utf-8")
    assert main(["validate", "--file", str(path), "--column", "dx", "--release", "2019",
                 "--format", "csv"]) == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["input"] for r in rows] == ["E11.9", "U07.1", ""]
    assert [r["status"] for r in rows] == ["valid", "not_in_release", "malformed"]
    assert rows[0]["title"] == "Type 2 diabetes mellitus without complications"


def test_validate_tsv_by_column_number_without_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "codes.tsv"
    path.write_text("a\tG24.9\nb\tG24\n", encoding="utf-8")
    assert main(["validate", "--file", str(path), "--column", "2", "--no-header",
                 "--format", "json", "--release", "2025"]) == 1
    documents = json.loads(capsys.readouterr().out)
    assert [d["status"] for d in documents] == ["valid", "header"]
    assert all(d["type"] == "validation" and d["release"] == "2025" for d in documents)


def test_validate_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("code\nI10\nJ45.909\n"))
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("2 of 2 valid")


@pytest.mark.parametrize(
    ("arguments", "content", "expected"),
    [
        (["--column", "dx"], "id,code\n1,E11.9\n",
         "has no column 'dx'; its columns are 'id', 'code'"),
        ([], "id,code\n1,E11.9\n", "has 2 columns (id, code); choose one with --column"),
        (["--column", "2"], "id,code\n1\n", "row 2: has 1 column(s), no column 2"),
        ([], "", "has no rows"),
    ],
)
def test_validate_bad_files_give_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    arguments: list[str], content: str, expected: str,
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["validate", "--file", str(path), *arguments]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.startswith("icd10cm: ") and err.count("\n") == 1


def test_validate_unreadable_file_and_bad_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--file", str(tmp_path / "missing.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
    (tmp_path / "latin1.csv").write_bytes(b"code\nE11.9 caf\xe9\n")
    assert main(["validate", "--file", str(tmp_path / "latin1.csv")]) == 2
    assert "latin1.csv, row 2, column code: byte 0xE9 is not UTF-8" in capsys.readouterr().err
    assert main(["validate", "E11.9", "--date", "2025-13-01"]) == 2
    err = capsys.readouterr().err
    assert "2025-13-01" in err and err.count("\n") == 1


def test_validate_shows_progress_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from icd10cm.cli import validate as command

    path = tmp_path / "many.csv"
    path.write_text("code\n" + "E11.9\nI10\n" * 25, encoding="utf-8")
    monkeypatch.setattr(command, "_CHUNK", 10)
    assert main(["validate", "--file", str(path)]) == 0
    assert capsys.readouterr().err == ""  # stderr is not a terminal here
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert main(["validate", "--file", str(path), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "\rvalidating: 10/50 rows (20%)" in captured.err
    assert "validating: 50/50 rows (100%)" in captured.err
    assert len(captured.out.splitlines()) == 51  # header + every row, in order


# --- check -------------------------------------------------------------------------------


def test_check_prints_findings_and_the_suggested_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "Z96.651", "Z47.1", "--setting", "outpatient",
                 "--date", "2025-06-01"]) == 0
    out = capsys.readouterr().out
    assert "WARNING I.A.13/use-additional-order [2:Z47.1, 1:Z96.651]" in out
    assert "Suggested order: Z47.1 Z96.651\n" in out
    assert "Z47.1: position 2 -> 1 (I.A.13/use-additional-order)" in out


def test_check_exits_one_on_an_error_finding(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "W19.XXXA", "S72.001A", "--setting", "inpatient",
                 "--release", "2025", "--poa", "Y,Y"]) == 1
    out = capsys.readouterr().out
    assert "ERROR   I.C.20.a.6/external-cause-first [1:W19.XXXA]" in out
    assert "Suggested order: S72.001A W19.XXXA" in out


def test_check_json_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    from icd10cm.encounters.sequencing import Sequencing
    from icd10cm.io.json import from_json

    assert main(["check", "R10.9", "K35.80", "--setting", "inpatient", "--release", "2025",
                 "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    rules = [f["rule"] for f in document["check"]["findings"]]
    assert rules[0] == "I.C.18/symptom-first"
    assert set(rules[1:]) == {"I.B.2/unspecified"}  # R10.9 and K35.80 are unspecified
    sequencing = from_json(document["sequencing"], Sequencing)
    assert [c.value for c in sequencing.encounter.diagnoses] == ["K35.80", "R10.9"]


def test_check_bad_encounter_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "E11.99", "XYZ", "--setting", "outpatient", "--poa", "Y,Y"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("icd10cm: Invalid encounter (3 problems)")
    assert err.count("\n") == 1
