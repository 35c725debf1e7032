"""convert() against the official conversion tables, the table parsers, and the CLI."""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import zipfile
from pathlib import Path

import pytest

import icd10cm
from icd10cm.__main__ import main
from icd10cm.errors import SourceFileError
from icd10cm.official.sources import classify
from icd10cm.releases import bundle
from icd10cm.releases.conversion import Relation, convert
from icd10cm_build.conversions import (
    FOLDERS,
    effective_release,
    parse_previous,
    read_conversion_table,
)
from icd10cm_build.xlsx import read_first_sheet

_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
         "</Relationships>")
_WORKBOOK = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="T" sheetId="1" r:id="rId1"/></sheets></workbook>')
_STRINGS = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<si><t>Current code assignment</t></si><si><t>Effective</t></si>"
            "<si><t>Previous Code(s) Assignment</t></si><si><t>B88.01</t></si>"
            "<si><r><t>B88.0</t></r><r><t xml:space=\"preserve\"> and B88.1</t></r>"
            "<rPh><t>ignored</t></rPh></si></sst>")
_SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Intro text</t></is></c></row>'
          '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
          '<c r="C2" t="s"><v>2</v></c></row>'
          '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>2025.0</v></c>'
          '<c r="C3" t="s"><v>4</v></c></row>'
          '<row r="4"><c r="A4" t="inlineStr"><is><t>U07.1</t></is></c><c r="B4"><v>43922</v></c>'
          '<c r="C4" t="inlineStr"><is><t>None</t></is></c></row>'
          '<row r="5"></row><row r="6"><c r="C6"><v>7</v></c></row></sheetData></worksheet>')


def _xlsx(sheet: str = _SHEET) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _RELS)
        archive.writestr("xl/sharedStrings.xml", _STRINGS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def test_xlsx_reader_on_a_tiny_workbook() -> None:
    rows = read_first_sheet(_xlsx(), "tiny.xlsx")
    assert rows == [
        ["Intro text"],
        ["Current code assignment", "Effective", "Previous Code(s) Assignment"],
        ["B88.01", "2025", "B88.0 and B88.1"],
        ["U07.1", "43922", "None"],
        [],
        ["", "", "7"],
    ]
    with pytest.raises(SourceFileError, match="not an xlsx workbook"):
        read_first_sheet(b"PK not a zip", "bad.xlsx")
    broken = _SHEET.replace("<v>3</v>", "<v>99</v>")
    with pytest.raises(SourceFileError, match="shared string '99' does not exist"):
        read_first_sheet(_xlsx(broken), "broken.xlsx")


def test_conversion_table_from_xlsx_and_csv() -> None:
    with pytest.raises(SourceFileError, match="row 6 is not code, effective, previous"):
        read_conversion_table(_xlsx(), "tiny.xlsx")
    fixed = _SHEET.replace('<row r="6"><c r="C6"><v>7</v></c></row>', "")
    rows = read_conversion_table(_xlsx(fixed), "tiny.xlsx")
    assert [(r.code, r.release, r.previous) for r in rows] == [
        ("B88.01", "2026", "B88.0 and B88.1"), ("U07.1", "2020-04", "None")]
    text = ('"Intro",,\nCurrent code assignment,Effective,Previous Code(s) Assignment\n'
            'A04.71 ,2016,A04.7\n,,\nH36.811,04/01/23,H35.20-H35.23\n')
    rows = read_conversion_table(text.encode("cp1252"), "t.csv")
    assert [(r.code, r.release, r.previous) for r in rows] == [
        ("A04.71", "2017", "A04.7"), ("H36.811", "2023-04", "H35.20-H35.23")]
    with pytest.raises(SourceFileError, match="no 'Current code assignment' header"):
        read_conversion_table(b"a,b,c\n", "t.csv")
    with pytest.raises(SourceFileError, match="row 2: cannot read 'maybe'"):
        read_conversion_table(b"Current code assignment,E,P\nA04.71,2016,A04.7 maybe\n", "t.csv")


def test_previous_code_text_and_effective_dates() -> None:
    assert parse_previous("C56.1 and C56.2") == ("C56.1", "C56.2")
    assert parse_previous("H02.101-H02.106; H02.109") == ("H02.101-H02.106", "H02.109")
    assert parse_previous("I63.- and P91.88") == ("I63-", "P91.88")
    assert parse_previous("K31.89 and a code from R11-") == ("K31.89", "R11-")
    assert parse_previous("Codes in Categories T15-T19") == ("T15-T19",)
    assert parse_previous("K59.09 AND Code from categories T36-T50") == ("K59.09", "T36-T50")
    assert parse_previous("G93.3; R53.82 & F89") == ("G93.3", "R53.82", "F89")
    assert parse_previous("None") == parse_previous("") == ()
    for bad in ("A04.7 or A04.8", "see above"):
        with pytest.raises(ValueError, match="cannot read"):
            parse_previous(bad)
    assert effective_release("2016") == "2017"
    assert effective_release("45017") == effective_release("04/01/23") == "2023-04"
    assert effective_release("44197") == "2021-01"
    with pytest.raises(ValueError, match="not the first of January, April or October"):
        effective_release("05/02/23")


def _raw_rows(cms_raw: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Every raw table's (code, release, previous text) rows, by folder."""
    found = {}
    for folder in FOLDERS:
        (path,) = [p for p in (cms_raw / folder).iterdir() if classify(p.name) == "conversion"]
        found[folder] = [(r.code, r.release, r.previous)
                         for r in read_conversion_table(path.read_bytes(), path.name)]
    return found


@pytest.mark.slow
def test_every_table_row_is_represented(cms_raw: Path) -> None:
    document = bundle.read_json("conversions.json")
    steps, refused = document["steps"], document["refused"]
    refused_keys = {(r["release"], r["code"]) for r in refused}
    assert refused_keys == {("2017", "E11.3X11")}
    newest: dict[tuple[str, str], str] = {}
    tables = _raw_rows(cms_raw)
    for folder in FOLDERS:  # oldest first: a newer table's wording wins
        for code, release, text in tables[folder]:
            newest[release, code] = text
    for (release, code), text in newest.items():
        if (release, code) in refused_keys:
            continue
        assert steps[release][code][0] == text, (release, code)
        assert tuple(steps[release][code][1]) == parse_previous(text)
    assert sum(len(rows) for rows in steps.values()) + len(refused) == len(newest)
    # Where a later table changed a row, the bundled data has the later wording: the
    # FY2021 January table corrected 34 FY2020 rows, the FY2026 table one FY2025 row.
    changed = {(release, code) for folder in FOLDERS for code, release, text in tables[folder]
               if newest[release, code] != text}
    assert len(changed) == 35
    assert ("2025", "E66.813") in changed
    assert steps["2025"]["E66.813"][0] == "E66.01, E66.8"


@pytest.mark.slow
def test_every_bundled_row_is_a_code_new_in_its_release() -> None:
    ids = [info.id for info in icd10cm.available_releases()]
    for release, rows in bundle.read_json("conversions.json")["steps"].items():
        before = icd10cm.load_release(ids[ids.index(release) - 1])
        after = icd10cm.load_release(release)
        for code in rows:  # absent before, or a header made reportable (I60.2, H81.4)
            assert after[code].is_billable or code not in before, (release, code)
            assert code not in before or not before[code].is_billable, (release, code)


def _row(cms_raw: Path, folder: str, code: str) -> tuple[str, str, str]:
    return next(row for row in _raw_rows(cms_raw)[folder] if row[0] == code)


@pytest.mark.slow
def test_a_fy2025_split(cms_raw: Path) -> None:
    result = convert("T81.32XA", "2024", "2025")
    assert result.codes == ("T81.320A", "T81.321A", "T81.328A", "T81.329A")
    assert all(c.relation is Relation.SPLIT for c in result.candidates)
    assert result.is_ambiguous and not result.dead_ends
    for candidate in result.candidates:
        (step,) = [s for s in candidate.steps if s.relation is not Relation.UNCHANGED]
        assert (step.from_release, step.to_release) == ("2024-04", "2025")
        assert _row(cms_raw, "2025", candidate.code) == (candidate.code, "2025", "T81.32XA")
    raw = [row for row in _raw_rows(cms_raw)["2025"] if "T81.32XA" in row[2]]
    assert {row[0] for row in raw} == set(result.codes)
    back = convert("T81.321A", "2025", "2024")
    assert back.codes == ("T81.32XA",)
    assert back.candidates[0].relation is Relation.MERGED  # four codes go back to one


@pytest.mark.slow
def test_a_multi_year_chain(cms_raw: Path) -> None:
    result = convert("E78.0", "2016", "2027")
    assert result.codes == ("E78.00", "E78.010", "E78.011", "E78.019")
    changes = {c.code: [s for s in c.steps if s.relation is not Relation.UNCHANGED]
               for c in result.candidates}
    assert [(s.to_release, s.to_code) for s in changes["E78.00"]] == [("2017", "E78.00")]
    chain = changes["E78.010"]
    assert [(s.from_code, s.from_release, s.to_code, s.to_release) for s in chain] == [
        ("E78.0", "2016", "E78.01", "2017"), ("E78.01", "2025-04", "E78.010", "2026")]
    assert [s.table_text for s in chain] == ["E78.0", "E78.01"]
    assert _row(cms_raw, "2017", "E78.01") == ("E78.01", "2017", "E78.0")
    assert _row(cms_raw, "2026", "E78.010") == ("E78.010", "2026", "E78.01")
    assert {c.relation for c in result.candidates} == {Relation.SPLIT}
    assert len(result.candidates[0].steps) == 18  # one step per release boundary


@pytest.mark.slow
def test_an_ambiguous_many_candidate_mapping(cms_raw: Path) -> None:
    result = convert("W44.A0XA", "2024", "2023-04")
    assert _row(cms_raw, "2024", "W44.A0XA") == ("W44.A0XA", "2024",
                                                  "Codes in Categories T15-T19")
    old = icd10cm.load_release("2023-04")
    expected = [c.value for c in old.billable_codes() if "T15" <= c.value[:3] <= "T19"]
    assert list(result.codes) == expected and len(expected) > 200
    assert {c.relation for c in result.candidates} == {Relation.OVERLAP}


@pytest.mark.slow
def test_an_unchanged_code() -> None:
    result = convert("E11.9", "2016", "2027")
    (candidate,) = result.candidates
    assert candidate.code == "E11.9" and candidate.relation is Relation.UNCHANGED
    assert {s.relation for s in candidate.steps} == {Relation.UNCHANGED}
    assert convert("e119", "2027", "2016").codes == ("E11.9",)
    assert str(convert("E11.9", "2025", "2025")) == "E11.9 (2025) -> 2025: E11.9 (unchanged)"


@pytest.mark.slow
def test_a_code_that_lives_on_beside_a_new_code(cms_raw: Path) -> None:
    assert _row(cms_raw, "2024", "A41.54") == ("A41.54", "2024", "A41.59")
    assert "A41.59" in icd10cm.load_release("2024")
    assert str(convert("A41.59", "2023-04", "2024")) == (
        "A41.59 (2023-04) -> 2024: A41.59 (unchanged)")
    back = convert("A41.54", "2024", "2023-04")
    assert back.codes == ("A41.59",) and back.candidates[0].relation is Relation.MERGED


@pytest.mark.slow
def test_a_code_deleted_without_a_table_entry(cms_raw: Path) -> None:
    result = convert("Q51.20", "2020-04", "2021")
    assert result.candidates == ()
    (dead,) = result.dead_ends
    assert (dead.code, dead.from_release, dead.to_release) == ("Q51.20", "2020-04", "2021")
    assert "deleted in ICD-10-CM FY2021" in dead.reason
    assert "Q51.20" not in icd10cm.load_release("2021")
    assert not any("Q51.20" in text or "Q51.2-" in text for rows in _raw_rows(cms_raw).values()
                   for _code, _release, text in rows)
    assert str(result).startswith("Q51.20 (2020-04) -> 2021: no conversion.")


def test_a_code_added_without_a_previous_code() -> None:
    result = convert("M04.8", "2017", "2016")
    (dead,) = result.dead_ends
    assert result.candidates == () and "gives no previous code ('None')" in dead.reason
    assert convert("U07.1", "2020-04", "2020").codes == ("B97.29",)


def test_bad_input() -> None:
    with pytest.raises(icd10cm.UnknownCodeError, match=r"'E11\.99'"):
        convert("E11.99", "2025", "2026")
    with pytest.raises(icd10cm.UnknownReleaseError):
        convert("E11.9", "2025", "1999")
    built = icd10cm.release_from_files(Path(__file__).resolve().parent / "fixtures" / "mini-cms"
                                       / "2025")
    with pytest.raises(icd10cm.ConversionUnavailableError, match="'2025' built from files"):
        convert(next(iter(built)).value, built, "2026")  # the tables cover bundled releases


def test_cli_convert_and_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "T81.32XA", "--from", "2024", "--to", "2025"]) == 0
    out = capsys.readouterr().out
    assert "4 candidate(s)" in out and "T81.329A  (split)" in out
    assert main(["convert", "Q51.20", "--from", "2020-04", "--to", "2021"]) == 1
    assert "no conversion: Q51.20 was deleted" in capsys.readouterr().out
    assert main(["convert", "E11.99", "--from", "2025", "--to", "2026"]) == 2
    assert "'E11.99'" in capsys.readouterr().err
    assert main(["diff", "2025", "2026", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["change", "code", "old", "new"]
    assert ["billable", "B88.0", "billable", "header"] in rows
    assert len(rows) == 1 + 614 + 12 + 45 + 16
    assert main(["diff", "2025", "2026", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["type"] == "release_diff" and len(document["added"]) == 614
    assert main(["diff", "2025", "2026"]) == 0
    assert capsys.readouterr().out.startswith("ICD-10-CM 2025 -> 2026: 614 added")
    assert main(["diff", "2025", "1999"]) == 2


def _addenda_lines(path: Path, code: str) -> list[str]:
    """'Add: 1' / 'Delete: 0' (action and billable flag) of *code* (undotted) in an
    order addenda file, read as plain text."""
    found = []
    for line in path.read_text(encoding="latin-1").splitlines():
        action, _, rest = line.partition(":")
        fields = rest.split()
        if len(fields) >= 2 and fields[1] == code:
            found.append(f"{action}: {fields[0]}")
    return found


@pytest.mark.cms_raw
def test_a_code_made_a_header_without_a_table_row_is_no_conversion_to_itself(
    cms_raw: Path,
) -> None:
    # FY2025 made C83.39 a header over the new C83.390 and C83.398 (the order addenda
    # delete the billable row and add it back as a header) ...
    addenda = _addenda_lines(cms_raw / "2025" / "icd10cm_order_addenda_2025.txt", "C8339")
    assert addenda == ["Delete: 1", "Add: 0"]
    # ... but the FY2025 conversion table gives both new codes the previous code Z85.72,
    # so no row names C83.39: there is no official conversion, and C83.39 is not
    # reportable in FY2025, so it cannot stand for itself.
    table = cms_raw / "2025" / "508_Compliant_Version_of_ICD-10-CM-Conversion-Table-FY25.csv"
    rows = list(csv.reader(table.read_text(encoding="utf-8-sig").splitlines()))
    assert [row for row in rows if row and row[0].startswith("C83.39")] == [
        ["C83.390", "2024", "Z85.72"], ["C83.398", "2024", "Z85.72"]]
    assert not any("C83.39" in cell for row in rows for cell in row[2:])
    result = convert("C83.39", "2024", "2025")
    assert result.candidates == ()
    (dead,) = result.dead_ends
    assert "C83.39 became a header in ICD-10-CM FY2025" in dead.reason
    assert dead.reason.endswith("the reportable codes below it include C83.390, C83.398")


@pytest.mark.cms_raw
def test_a_step_into_a_release_without_a_bundled_table_says_so(cms_raw: Path) -> None:
    # FY2027 made D69.1 a header over D69.11 and D69.19; the shared CMS files hold the
    # FY2027 addenda but no FY2027 conversion table.
    addenda = cms_raw / "2027" / "icd10cm_order_addenda_2027.txt"
    assert _addenda_lines(addenda, "D691") == ["Delete: 1", "Add: 0"]
    assert _addenda_lines(addenda, "D6911") == ["Add: 1"]
    assert not list((cms_raw / "2027").glob("*onversion*"))
    (dead,) = convert("D69.1", "2026", "2027").dead_ends
    assert "D69.1 became a header in ICD-10-CM FY2027" in dead.reason
    assert "no conversion table for ICD-10-CM FY2027 is bundled" in dead.reason
    (back,) = convert("D69.11", "2027", "2026").dead_ends
    assert "D69.11 was added in ICD-10-CM FY2027" in back.reason
    assert "no conversion table for ICD-10-CM FY2027 is bundled" in back.reason


def _folder_rows(cms_raw: Path, folder: str) -> dict[str, str]:
    """code -> "previous code(s)" text of the raw conversion table in *folder*."""
    (path,) = [p for p in (cms_raw / folder).iterdir() if classify(p.name) == "conversion"]
    return {r.code: r.previous for r in read_conversion_table(path.read_bytes(), path.name)}


def _order_flags(cms_raw: Path, path: str) -> dict[str, bool]:
    """Dotted code -> billable flag of an official order file, read as fixed-width text
    (code in columns 7-13, flag in column 15: icd10OrderFiles.pdf)."""
    flags = {}
    with gzip.open(cms_raw / path, "rt", encoding="latin-1") as lines:
        for line in lines:
            code = line[6:13].strip()
            flags[code if len(code) == 3 else f"{code[:3]}.{code[3:]}"] = line[14] == "1"
    return flags


@pytest.mark.cms_raw
def test_a_table_cell_naming_no_code_is_a_dead_end_not_a_candidate(cms_raw: Path) -> None:
    # The FY2023 table gives V29.811A the previous code "V29.80XA", which the 2022-04
    # order file (the release before) does not have: no candidate, a dead end that
    # quotes the cell.
    assert _folder_rows(cms_raw, "2023")["V29.811A"] == "V29.80XA"
    before = _order_flags(cms_raw, "2022-04/icd10cm_order_2022.txt.gz")
    assert "V29.80XA" not in before
    result = convert("V29.811A", "2023", "2022-04")
    assert result.candidates == ()
    (dead,) = result.dead_ends
    assert "'V29.80XA'" in dead.reason and "no code of ICD-10-CM FY2022 April 1" in dead.reason
    # The FY2017 row of T85.193A names three FY2016 codes and T85.198A, which FY2016
    # does not have: the three are candidates, T85.198A a dead end.
    assert _folder_rows(cms_raw, "2017")["T85.193A"] == "T85.190A, T85.191A, T85.192A, T85.198A"
    fy2016 = _order_flags(cms_raw, "2016/icd10cm_order_2016.txt.gz")
    assert "T85.198A" not in fy2016
    assert all(fy2016[c] for c in ("T85.190A", "T85.191A", "T85.192A"))
    result = convert("T85.193A", "2017", "2016")
    assert result.codes == ("T85.190A", "T85.191A", "T85.192A")
    (dead,) = result.dead_ends
    assert "names T85.198A, which is no code of ICD-10-CM FY2016" in dead.reason
    assert str(result) == ("T85.193A (2017) -> 2016: T85.190A (overlap), T85.191A (overlap), "
                           f"T85.192A (overlap). Also no conversion: {dead.reason}")


@pytest.mark.cms_raw
def test_a_table_cell_naming_a_header_gives_the_reportable_codes_below_it(
    cms_raw: Path,
) -> None:
    # The FY2019 table gives Z13.30 the previous code "Z13.8", a header (flag 0) in the
    # FY2018 order file: the candidates are the reportable codes under it, never the
    # header itself.
    assert _folder_rows(cms_raw, "2019")["Z13.30"] == "Z13.8"
    fy2018 = _order_flags(cms_raw, "2018/icd10cm_order_2018.txt.gz")
    assert fy2018["Z13.8"] is False
    below = tuple(code for code, billable in fy2018.items()
                  if billable and code.startswith("Z13.8"))
    result = convert("Z13.30", "2019", "2018")
    assert result.codes == below and len(below) > 5
    assert not result.dead_ends


@pytest.mark.slow
@pytest.mark.cms_raw
def test_every_table_row_converts_both_ways(cms_raw: Path) -> None:
    """Every row of every raw table (newest wording wins): going back, the new code's
    candidates are exactly the reportable codes its cell names in the release before
    (a header: the codes below it; no code: a dead end); going forward, every
    reportable code the cell names that stops being reportable has exactly the new
    codes that name it as its candidates, and one no cell names is a dead end."""
    ids = [info.id for info in icd10cm.available_releases()]
    newest: dict[tuple[str, str], str] = {}
    tables = _raw_rows(cms_raw)
    for folder in FOLDERS:  # oldest first: a newer table's wording wins
        for code, release, text in tables[folder]:
            newest[release, code] = text
    refused = {(r["release"], r["code"]) for r in bundle.read_json("conversions.json")["refused"]}
    checked = dead = headers = 0
    named: dict[tuple[str, str], set[str]] = {}  # (release, earlier code) -> new codes
    for (release, code), text in newest.items():
        if (release, code) in refused:
            continue
        before, after = icd10cm.load_release(ids[ids.index(release) - 1]), \
            icd10cm.load_release(release)
        expected: list[str] = []
        missing = []
        for reference in parse_previous(text):
            if "-" in reference:
                low, _, high = reference.partition("-")
                high = high or low
                expected += [c.value for c in before.billable_codes()
                             if low <= c.value[:len(low)] and c.value[:len(high)] <= high]
            elif reference not in before:
                missing.append(reference)
            elif before[reference].is_billable:
                expected.append(reference)
                if not after.get(reference, before[reference]).is_billable \
                        or reference not in after:
                    assert code in convert(reference, before, after).codes, (release, code)
            else:
                headers += 1
                expected += [c.value for c in before.billable_codes()
                             if c.value.startswith(reference)]
        for earlier in expected:
            named.setdefault((release, earlier), set()).add(code)
        back = convert(code, after, before)
        assert set(back.codes) == set(expected), (release, code, text)
        assert all(before[c].is_billable for c in back.codes), (release, code)
        assert bool(back.dead_ends) == (bool(missing) or not expected), (release, code)
        for reference in missing:
            assert reference in back.dead_ends[0].reason
        dead += bool(missing)
        checked += 1
    assert checked == len(newest) - 1
    # Rows whose cell names a code the release before does not have: FY2017 Q25.12 (6
    # rows), R31.19 (3), T85.198A (3); FY2023 V29.80XA/D/S and V29.89XA/D/S (12);
    # FY2026 H05.83 (4), H40.84 (4), Z77.3 (2), Z40.89 (1).
    assert dead == 35
    # Rows whose cell names a header of the release before: FY2018 H33.2 (4 rows),
    # FY2019 C44.19 (5) and Z13.8 (4).
    assert headers == 13
    gone = 0
    for earlier_id, release in itertools.pairwise(ids):
        before, after = icd10cm.load_release(earlier_id), icd10cm.load_release(release)
        for old in before.billable_codes():
            now = after.get(old.value)
            if now is not None and now.is_billable:
                continue  # still reportable: unchanged
            forward = convert(old.value, before, after)
            successors = named.get((release, old.value), set())
            assert set(forward.codes) == successors, (release, old.value)
            assert bool(forward.dead_ends) == (not successors), (release, old.value)
            gone += 1
    # Reportable codes deleted or made headers over the 18 release boundaries, counted
    # in the order files (flag 1, then absent or flag 0).
    assert gone == 1030


@pytest.mark.cms_raw
def test_a_header_made_reportable_converts_by_its_table_row(cms_raw: Path) -> None:
    # The FY2017 order addenda delete I60.20-I60.22 and turn their header I60.2 into a
    # reportable code ("Delete: 0 I602" then "Add: 1 I602"); the FY2017 table row of
    # I60.2 gives them as its previous codes. Likewise H81.4 in FY2020.
    addenda = cms_raw / "2017" / "icd10cm_order_addenda_2017.txt"
    assert _addenda_lines(addenda, "I602") == ["Delete: 0", "Add: 1"]
    for code in ("I6020", "I6021", "I6022"):
        assert _addenda_lines(addenda, code) == ["Delete: 1"]
    assert _folder_rows(cms_raw, "2017")["I60.2"] == "I60.20-I60.22"
    back = convert("I60.2", "2017", "2016")
    assert back.codes == ("I60.20", "I60.21", "I60.22")  # not the FY2016 header I60.2
    assert {c.relation for c in back.candidates} == {Relation.SPLIT}
    for code in ("I60.20", "I60.21", "I60.22"):
        forward = convert(code, "2016", "2017")
        assert forward.codes == ("I60.2",) and not forward.dead_ends
        assert forward.candidates[0].relation is Relation.MERGED
    addenda = cms_raw / "2020" / "icd10cm_order_addenda_2020.txt"
    assert _addenda_lines(addenda, "H814") == ["Delete: 0", "Add: 1"]
    assert _folder_rows(cms_raw, "2026")["H81.4"] == "H81.41-H81.43; H81.49"
    assert convert("H81.4", "2020", "2019").codes == ("H81.41", "H81.42", "H81.43", "H81.49")
    assert convert("H81.42", "2019", "2020").codes == ("H81.4",)
