"""The command line: ``icd10cm lookup`` and ``icd10cm releases``."""

from __future__ import annotations

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
    assert capsys.readouterr().out.startswith("E11.9  Type 2 diabetes")
