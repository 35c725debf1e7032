"""Defects found by a review of the command line as scripts use it (docs/cli.md): options
given empty by an unset shell variable, JSON on a stdout that is not UTF-8, options of one
method given to the other, and ``--own-data-only`` on every command that borrows."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from icd10cm.__main__ import main
from icd10cm.cli import COMMANDS


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.err.startswith("icd10cm: ") and captured.err.count("\n") == 1, captured.err
    assert captured.out == ""
    return captured.err


# --- --release "" and --date "" -------------------------------------------------------------


@pytest.mark.parametrize("argv", [["lookup", "E11.9"], ["validate", "E11.9"],
                                  ["search", "dystonia"], ["index", "Dystonia"],
                                  ["drug", "Acetaminophen"], ["neoplasm", "bone"],
                                  ["check", "E11.9"], ["comorbidity", "E11.9"]])
def test_an_empty_release_is_an_unknown_release_not_the_latest(
    capsys: pytest.CaptureFixture[str], argv: list[str],
) -> None:
    """`--release "$RELEASE"` with RELEASE unset used to answer from the latest release
    (FY2027) in lookup, validate, search, index, drug and neoplasm, silently; check and
    comorbidity refused it. docs/cli.md: an unknown release is an error (exit 2)."""
    assert main([*argv, "--release", ""]) == 2
    assert "Unknown ICD-10-CM release: ''. Valid release ids: 2016, " in one_line_error(capsys)


@pytest.mark.parametrize("argv", [["lookup", "E11.9"], ["validate", "E11.9"],
                                  ["check", "E11.9"], ["comorbidity", "E11.9"]])
@pytest.mark.parametrize("text", ["", "2025-13-01", "yesterday"])
def test_a_bad_date_is_a_usage_error_in_command_line_words(
    capsys: pytest.CaptureFixture[str], argv: list[str], text: str,
) -> None:
    """The library's words ("Give a datetime.date or an ISO date") are not a command
    line's: the option, the text and the form to type."""
    assert main([*argv, "--date", text]) == 2
    command = argv[0]
    assert one_line_error(capsys) == (
        f"icd10cm: {command}: argument --date: {text!r} is not a date: give it as YYYY-MM-DD, "
        f"such as 2025-10-01 (see icd10cm {command} --help)\n")


@pytest.mark.parametrize(("argv", "given"), [
    (["check", "E11.9", "I10", "--setting", "inpatient", "--poa", "Y"], 1),
    (["check", "E11.9", "I10", "--setting", "inpatient", "--poa", "Y,N,N"], 3),
    (["comorbidity", "E11.9", "I10", "--poa", "YYN"], 3),
])
def test_a_poa_count_that_is_not_one_per_code_says_how_to_give_them(
    capsys: pytest.CaptureFixture[str], argv: list[str], given: int,
) -> None:
    """The library says "give one per diagnosis (None where there is none)": None
    cannot be typed on a command line."""
    assert main(argv) == 2
    error = one_line_error(capsys)
    assert f"gives {given} present-on-admission indicator(s) for 2 code(s)" in error
    assert "Y,,N: leave one empty where there is none" in error and "None" not in error


# --- comorbidity --format json on a stdout that is not UTF-8 --------------------------------


def test_comorbidity_json_stays_valid_json_on_an_ascii_stdout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unmapped code's reason repeats the input: on an ASCII stdout (LANG=C, or
    PYTHONIOENCODING=ascii) 'É' was written as the Python escape \\xc9, which JSON
    refuses; validate, check and diff already escaped it as \\u00c9."""
    raw = io.BytesIO()
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(raw, encoding="ascii"))
    assert main(["comorbidity", "\u00c9bola", "I50.9", "--release", "2025",
                 "--format", "json"]) == 1
    sys.stdout.flush()
    document = json.loads(raw.getvalue().decode("ascii"))
    assert document["unmapped"][0]["code"] == "\u00c9bola"
    assert document["measures"] == ["HF"]


# --- --poa, --weights: nothing given is silently ignored -------------------------------------


@pytest.mark.parametrize("argv", [
    ["check", "E11.9", "--setting", "inpatient"],
    ["check", "E11.9", "I10", "--setting", "outpatient"],
    ["comorbidity", "I50.9"],
])
def test_an_empty_poa_is_an_error_not_no_poa_data(
    capsys: pytest.CaptureFixture[str], argv: list[str],
) -> None:
    """`--poa ''` was read as "no POA data": comorbidity assumed I50.9 present on
    admission, check said nothing (and let an outpatient encounter take it)."""
    assert main([*argv, "--poa", "", "--release", "2025"]) == 2
    assert "--poa '' gives no present-on-admission indicators" in one_line_error(capsys)


def test_check_reads_a_missing_indicator_as_comorbidity_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`check --poa Y,,N` was refused with "use None where there is none", which cannot
    be typed. An empty indicator is none: I10 then lacks one, an error of Appendix I
    (I10 is not on the POA-exempt list)."""
    assert main(["check", "E11.9", "I10", "J45.909", "--setting", "inpatient",
                 "--poa", "Y,,N", "--release", "2025", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)["check"]
    assert document["encounter"]["present_on_admission"] == ["Y", None, "N"]
    assert [f["rule"] for f in document["findings"]
            if f["severity"] == "error"] == ["Appendix-I/poa-missing"]


def test_check_takes_one_poa_letter_per_code_as_comorbidity_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "E11.9", "I10", "--setting", "inpatient", "--poa", "YN",
                 "--release", "2025", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)["check"]
    assert document["encounter"]["present_on_admission"] == ["Y", "N"]


def test_weights_without_charlson_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`--weights quan2011` with the default method (elixhauser) was ignored, while
    `--poa` with charlson was an error."""
    assert main(["comorbidity", "I50.9", "--weights", "quan2011", "--release", "2025"]) == 2
    assert "--weights quan2011 is an option of --method charlson" in one_line_error(capsys)


def test_charlson_still_defaults_to_the_1987_weights(capsys: pytest.CaptureFixture[str]) -> None:
    # Charlson 1987: congestive heart failure weighs 1 (Quan 2011 re-weights it to 2)
    assert main(["comorbidity", "I50.9", "--method", "charlson", "--release", "2025"]) == 0
    out = capsys.readouterr().out
    assert "charlson1987 weights" in out and "(weight 1)" in out


# --- lookup --own-data-only ------------------------------------------------------------------


def test_lookup_own_data_only_refuses_borrowed_notes_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """lookup printed another release's notes for FY2027 (no Tabular List of its own)
    and, unlike search, index, drug, neoplasm and check, had no --own-data-only."""
    assert main(["lookup", "G24.9", "--release", "2027", "--own-data-only"]) == 0
    out = capsys.readouterr().out
    assert "note: release 2027 has no Tabular List of its own" in out
    assert "(the nearest releases with one: 2026-04)" in out
    assert "at G24" not in out and "Dyskinesia" not in out
    assert "G24.9  Dystonia, unspecified" in out


def test_lookup_own_data_only_keeps_a_releases_own_notes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lookup", "G24.9", "--release", "2025", "--own-data-only"]) == 0
    out = capsys.readouterr().out
    assert "inclusion_term: Dyskinesia NOS" in out and "note:" not in out


# --- diff: a code whose short title alone changed ---------------------------------------------


@pytest.mark.parametrize("format_", ["table", "csv"])
def test_diff_shows_the_short_titles_of_a_code_whose_short_title_alone_changed(
    capsys: pytest.CaptureFixture[str], format_: str,
) -> None:
    """The FY2024 order addenda (icd10cm-order-addenda-2024.txt) revise M32.15's short
    title alone: "Tubulo-interstitial neuropath in sys lupus erythematosus" to
    "Tubulo-interstitial nephrop in sys lupus erythematosus". diff printed its long
    title twice, 'Tubulo-interstitial nephropathy ...' -> the same, in the table and CSV."""
    assert main(["diff", "2023-04", "2024", "--format", format_]) == 0
    out = capsys.readouterr().out
    old = "Tubulo-interstitial neuropath in sys lupus erythematosus"
    new = "Tubulo-interstitial nephrop in sys lupus erythematosus"
    if format_ == "csv":
        assert ["retitled_short", "M32.15", old, new] in list(csv.reader(io.StringIO(out)))
    else:
        line = next(line for line in out.splitlines() if " M32.15 " in line)
        assert line.split()[0] == "retitled_short" and f"{old!r} -> {new!r}" in line
    assert "nephropathy in systemic lupus erythematosus" not in out


# --- the JSON keys docs/cli.md lists ---------------------------------------------------------


@pytest.mark.parametrize(("argv", "keys"), [
    (["diff", "2022", "2022-04"],
     "icd10cm_json type old new added deleted retitled billable_changed"),
    (["comorbidity", "E11.9"],
     "icd10cm_json type release codes dropped unmapped version nearest exempt_list measures "
     "mortality_index readmission_index assumed excluded inherited principal"),
    (["comorbidity", "E11.9", "--method", "charlson"],
     "icd10cm_json type release codes dropped unmapped weights variants conditions score"),
])
def test_json_keys_are_those_docs_cli_lists(
    capsys: pytest.CaptureFixture[str], argv: list[str], keys: str,
) -> None:
    main([*argv, "--format", "json"])
    assert set(json.loads(capsys.readouterr().out)) == set(keys.split())


# --- --help states the exit codes ------------------------------------------------------------


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "releases"])
def test_every_commands_help_states_its_exit_codes(
    capsys: pytest.CaptureFixture[str], command: str,
) -> None:
    """diff, index, drug and neoplasm stated none; lookup, search and convert left out
    exit 2 (docs/cli.md: 2 for bad input or usage, in every command)."""
    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Exit 0" in text, text
    assert "2 on bad input" in text or "or 2 for" in text or "or 2 when" in text, text


@pytest.mark.parametrize("method", ["elixhauser", "charlson"])
def test_comorbidity_escapes_an_unmapped_input_that_is_not_printable(
    capsys: pytest.CaptureFixture[str], method: str,
) -> None:
    """The table printed an unmapped input as it came, so 'E1\\x1b[31m' turned the
    terminal red (docs/cli.md: such input is shown as its repr, as validate does)."""
    assert main(["comorbidity", "E1\x1b[31m", "I50.9", "--method", method,
                 "--release", "2025"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "  unmapped: 'E1\\x1b[31m': Invalid ICD-10-CM code: 'E1\\x1b[31m'" in out


# --- validate --column NAME with two columns of that name ------------------------------------


def test_a_column_name_that_two_columns_share_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """`--column dx` on a header `id,dx,dx` validated the first dx alone and said nothing
    of the second: a guess. It is an error that names both, and --column 3 picks one."""
    path = tmp_path / "claims.csv"
    path.write_text("id,dx,dx\n1,E11.9,I10\n", encoding="utf-8")
    assert main(["validate", "--file", str(path), "--column", "dx"]) == 2
    assert ("claims.csv has 2 columns named 'dx' (columns 2 and 3); choose one by number, "
            "as --column 2") in one_line_error(capsys)
    assert main(["validate", "--file", str(path), "--column", "3", "--release", "2025"]) == 0
    assert capsys.readouterr().out.startswith("I10 ")


# --- usage errors are one line ----------------------------------------------------------------


@pytest.mark.parametrize(("argv", "expected"), [
    ([], "icd10cm: the following arguments are required: COMMAND (see icd10cm --help)"),
    (["lookup"], "icd10cm: lookup: the following arguments are required: CODE "
                 "(see icd10cm lookup --help)"),
    (["lookup", "E11.9", "--bogus"], "icd10cm: lookup: unrecognized arguments: --bogus "
                                     "(see icd10cm lookup --help)"),
    (["validate", "E11.9", "--format", "xml"], "icd10cm: validate: argument --format: "
                                                "invalid choice: 'xml'"),
    (["lookup", "E11.9", "--release", "2025", "--date", "2025-01-01"],
     "icd10cm: lookup: argument --date: not allowed with argument --release"),
])
def test_a_usage_error_is_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str,
) -> None:
    """docs/cli.md: errors are one line on stderr, starting with `icd10cm:`. A usage
    error printed argparse's usage first ("usage: icd10cm lookup [-h] ..."), on two to
    six lines, and an unknown option of a command printed the usage of icd10cm."""
    assert main(argv) == 2
    assert one_line_error(capsys).startswith(expected)


# --- validate --file of a workbook or UTF-16 text ---------------------------------------------


@pytest.mark.parametrize(("content", "expected"), [
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,
     "claims.xlsx is not a CSV or TSV file in UTF-8 but a zip file, such as an Excel "
     "workbook (.xlsx): save the sheet as CSV UTF-8"),
    ("dx\tid\r\nE11.9\t1\r\n".encode("utf-16"),  # Excel's "Unicode Text": BOM FF FE
     "claims.xlsx is not a CSV or TSV file in UTF-8 but UTF-16 text (it starts with a "
     "UTF-16 byte-order mark"),
])
def test_a_workbook_or_utf16_file_is_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str,
) -> None:
    """An .xlsx given by mistake was refused as "line 156: not valid CSV: '\\t' expected
    after '\\"'", and a UTF-16 file for "byte 0xFF is not UTF-8": true, but neither
    said what the file was or what to give instead."""
    path = tmp_path / "claims.xlsx"
    path.write_bytes(content)
    assert main(["validate", "--file", str(path)]) == 2
    assert expected in one_line_error(capsys)


def test_validate_help_names_every_delimiter_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """--help said only ".tsv files are tab-separated"; docs/cli.md (and the reader) also
    take .tab, and a tab in the first line of any other name."""
    assert main(["validate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert ".tsv and .tab files are tab-separated" in text
    assert "others tab-separated when their first line has a tab" in text


def test_an_unknown_option_before_the_command_is_icd10cms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--bogus", "lookup", "E11.9"]) == 2
    assert one_line_error(capsys).startswith(
        "icd10cm: unrecognized arguments: --bogus (see icd10cm --help)")
