"""Defects found by a second review of the command line (docs/cli.md): library errors that
reached the terminal in Python words (``own_data_only=True``, ``setting='inpatient'``,
``use None``, ``as a tuple``, ``Give a datetime.date``) instead of the options a user types,
and a ``--limit`` that was not checked as a command-line option."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from icd10cm.__main__ import main

#: Python words that mean nothing on a command line (docs/cli.md: "Errors are one line on
#: stderr, starting with `icd10cm:`"; the options are `--release`, `--date`, `--poa`,
#: `--setting`, `--own-data-only`, and a table path is one argument joined with `>`).
PYTHON_WORDS = ("own_data_only", "setting=", "None", "tuple", "datetime", "release=",
                "icd10cm.search()", "source_release")


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.err.startswith("icd10cm: ") and captured.err.count("\n") == 1, captured.err
    assert captured.out == ""
    for word in PYTHON_WORDS:
        assert word not in captured.err, captured.err
    return captured.err


# --- A and B of diff, --from and --to of convert: a date that is not one ---------------------


@pytest.mark.parametrize(("argv", "option", "text"), [
    (["diff", "2025-13-01", "2026"], "A", "2025-13-01"),
    (["diff", "2025", "2026-02-30"], "B", "2026-02-30"),
    (["convert", "E11.9", "--from", "2025-13-01", "--to", "2026"], "--from", "2025-13-01"),
    (["convert", "E11.9", "--from", "2025", "--to", "2026-02-30"], "--to", "2026-02-30"),
])
def test_diff_and_convert_say_a_bad_date_in_command_line_words(
    capsys: pytest.CaptureFixture[str], argv: list[str], option: str, text: str,
) -> None:
    """They said "Give a datetime.date or an ISO date such as '2025-10-01'"; docs/cli.md:
    A and B (--from, --to) are "release ids or dates of service", a date given YYYY-MM-DD,
    and a bad one is exit 2."""
    assert main(argv) == 2
    assert one_line_error(capsys) == (
        f"icd10cm: {option} {text!r} is not a date: give a release id (such as 2025 or "
        "2025-04) or a date of service as YYYY-MM-DD, such as 2025-10-01\n")


def test_diff_and_convert_still_take_a_date_of_service(capsys: pytest.CaptureFixture[str]) -> None:
    """2025-06-01 is in force under the April 1, 2025 update (its effective dates, docs/cli.md:
    "FY2025 April 1 update (2025-04)" for --date 2025-06-01)."""
    assert main(["convert", "E11.9", "--from", "2025-06-01", "--to", "2026"]) == 0
    assert capsys.readouterr().out.startswith("E11.9 (2025-04) -> release 2026: ")
    # docs/cli.md: `diff 2022 2022-04` adds Z28.31, Z28.310, Z28.311, Z28.39
    assert main(["diff", "2022", "2022-06-01", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["old"], document["new"]) == ("2022", "2022-04")
    assert document["added"] == ["Z28.31", "Z28.310", "Z28.311", "Z28.39"]


# --- --poa and --setting of check, --poa of comorbidity --------------------------------------


def test_check_poa_without_inpatient_names_the_option_to_add(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It said "set setting='inpatient'"; docs/cli.md: --poa is "inpatient only"."""
    assert main(["check", "E11.9", "I10", "--poa", "Y,N", "--release", "2025"]) == 2
    assert "add --setting inpatient or leave --poa out" in one_line_error(capsys)


@pytest.mark.parametrize("argv", [
    ["check", "E11.9", "I10", "--setting", "inpatient", "--poa", "YX", "--release", "2025"],
    ["comorbidity", "E11.9", "I10", "--poa", "YX", "--release", "2025"],
])
def test_a_bad_poa_letter_says_how_to_give_none_on_the_command_line(
    capsys: pytest.CaptureFixture[str], argv: list[str],
) -> None:
    """It said "use None (or a blank) where there is none"; docs/cli.md: "comma-separated
    (`Y,,N`: the second has none)". The indicators are Y, N, U, W and 1 (exempt), as
    CMS's POA reporting guidelines (Guidelines Appendix I) give them."""
    assert main(argv) == 2
    error = one_line_error(capsys)
    assert "'X'" in error and "Y, N, U, W or 1" in error
    assert "leave it empty (Y,,N) where there is none" in error


def test_check_still_takes_lower_case_undotted_and_spaced_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """docs/cli.md (validate): a code in whatever form (`E11.9`, `e119`, ` E11.9 `)."""
    assert main(["check", "e119", " I10 ", "--setting", "inpatient", "--poa", "y,n",
                 "--release", "2025", "--format", "json"]) == 0
    encounter = json.loads(capsys.readouterr().out)["check"]["encounter"]
    assert encounter["diagnoses"] == ["E11.9", "I10"]
    assert encounter["present_on_admission"] == ["Y", "N"]


# --- --own-data-only and the tables: the options, not the library's arguments ----------------


@pytest.mark.parametrize("argv", [
    ["drug", "Acetaminophen"], ["neoplasm", "bone"], ["index", "Dystonia"],
])
def test_own_data_only_errors_name_the_option(
    capsys: pytest.CaptureFixture[str], argv: list[str],
) -> None:
    """They said "own_data_only=True refuses another release's" (and index
    "icd10cm.search() still answers"). FY2027 has no index or tables of its own
    (docs/cli.md: "ICD-10-CM FY2027 has no Alphabetic Index ... of its own")."""
    assert main([*argv, "--own-data-only", "--release", "2027"]) == 2
    assert "--own-data-only refuses another release's" in one_line_error(capsys)


def test_search_and_check_notes_name_the_own_data_only_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["search", "dystonia", "--limit", "1", "--own-data-only"]) == 0
    note = capsys.readouterr().out.splitlines()[0]
    assert note.startswith("note: ") and "(--own-data-only)" in note
    # the hits of a borrowed index say "(from release 2023)" (docs/cli.md), not a field name
    assert main(["search", "dystonia", "--limit", "1", "--release", "2025"]) == 0
    note = capsys.readouterr().out.splitlines()[0]
    assert 'Each hit from them says so ("from release ...")' in note
    assert "source_release" not in note
    assert main(["check", "E11.9", "--own-data-only", "--release", "2027"]) == 0
    out = capsys.readouterr().out
    assert "--own-data-only refuses another release's notes" in out
    assert "own_data_only=True" not in out


@pytest.mark.parametrize("argv", [["drug", "Acetx"], ["neoplasm", "nosuchsite"],
                                  ["index", "Zzzzqqqq"]])
def test_an_unknown_table_row_or_term_says_what_to_type(
    capsys: pytest.CaptureFixture[str], argv: list[str],
) -> None:
    """They said "Give a row's path as a tuple" and "Try icd10cm.search()"; docs/cli.md:
    "A path of subterms is joined with `>`" and the command is `icd10cm search`."""
    assert main([*argv, "--release", "2025"]) == 2
    error = one_line_error(capsys)
    assert "joined with ' > ' in one argument" in error or "Try icd10cm search" in error


# --- search --limit ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0", "-1", "abc", ""])
def test_search_limit_is_a_usage_error_in_command_line_words(
    capsys: pytest.CaptureFixture[str], text: str,
) -> None:
    """It said "limit must be a positive integer" (and `abc` got argparse's "invalid int
    value"); docs/cli.md: a usage error names the command and where its usage is."""
    assert main(["search", "dystonia", "--limit", text]) == 2
    assert one_line_error(capsys) == (
        f"icd10cm: search: argument --limit: {text!r} is not a number of hits: give a whole "
        "number of 1 or more, such as 5 (see icd10cm search --help)\n")


# --- --format json: valid JSON whose keys docs/json.md lists ---------------------------------

DOCS_JSON = Path(__file__).resolve().parents[1] / "docs" / "json.md"


def documented_keys() -> dict[str, list[str]]:
    """The table after `<!-- cli-json-keys -->` in docs/json.md: type -> keys, in order."""
    text = DOCS_JSON.read_text(encoding="utf-8").split("<!-- cli-json-keys -->", 1)[1]
    keys: dict[str, list[str]] = {}
    for line in text.splitlines()[3:]:
        if not line.startswith("| `"):
            break
        kind, fields = (cell.strip() for cell in line.strip("|").split("|"))
        keys[kind.strip("`")] = re.findall(r"`([a-z_0-9]+)`", fields)
    return keys


@pytest.mark.parametrize(("argv", "types"), [
    (["check", "W19.XXXA", "S72.001A", "--setting", "inpatient", "--poa", "Y,Y",
      "--release", "2025"], {"check": "check", "sequencing": "sequencing"}),
    (["diff", "2022", "2022-04"], {None: "release_diff"}),
    (["comorbidity", "E11.22", "E11.9", "I50.9", "--poa", "YYN", "--release", "2025"],
     {None: "elixhauser"}),
    (["comorbidity", "E11.22", "XX", "--method", "charlson", "--release", "2025"],
     {None: "charlson"}),
])
def test_json_of_every_command_has_the_keys_docs_json_lists(
    capsys: pytest.CaptureFixture[str], argv: list[str], types: dict[str | None, str],
) -> None:
    """The comorbidity document lacked `icd10cm_json` and `type`, which docs/json.md says
    every document starts with, and docs/json.md listed neither it nor `release_diff`."""
    main([*argv, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    keys = documented_keys()
    if None not in types:
        assert list(document) == list(types)
    for key, kind in types.items():
        part = document if key is None else document[key]
        assert part["icd10cm_json"] == 1 and part["type"] == kind
        assert list(part) == keys[kind]


# --- drug/neoplasm codes that need a 7th character, index with an empty term -----------------


@pytest.mark.parametrize("release", ["2025", "2027"])
def test_a_table_code_needing_a_7th_character_names_no_library_function(
    capsys: pytest.CaptureFixture[str], release: str,
) -> None:
    """It ended with "icd10cm.add_seventh_character('T39.1X1', 'A') gives T39.1X1A". The
    Table of Drugs gives T39.1X1 for Acetaminophen, accidental poisoning, and the Tabular
    List's T39 7th characters are A initial encounter, D subsequent encounter, S sequela."""
    assert main(["drug", "Acetaminophen", "--intent", "accidental", "--release", release]) == 0
    advice = capsys.readouterr().out.splitlines()[1]
    assert advice.startswith(
        "    T39.1X1 needs a 7th character (Guidelines I.A.5): T39.1X1A (initial encounter); "
        "T39.1X1D (subsequent encounter); T39.1X1S (sequela)"), advice
    assert "icd10cm." not in advice and "(" not in advice.split("(sequela)")[1]


@pytest.mark.parametrize(("path", "blank"), [([""], 1), (["Fracture, traumatic", " "], 2)])
def test_index_with_an_empty_term_says_which(
    capsys: pytest.CaptureFixture[str], path: list[str], blank: int,
) -> None:
    """It said "Cannot search for ('',): give the main term and then any subterms, as
    strings", a Python tuple; docs/cli.md: `index TERM...`, a main term then subterms."""
    assert main(["index", *path, "--release", "2025"]) == 2
    assert one_line_error(capsys) == (
        f"icd10cm: TERM {blank} is empty: give the main term, then any subterms, each as one "
        'argument, such as "Fracture, traumatic" radius\n')
