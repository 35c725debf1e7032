"""Unit tests of the data builder, on the miniature official files in tests/fixtures/mini-cms.

The fixture is a byte-for-byte cut of the real FY2024 and FY2025 files (see
``icd10cm_build.fixture``), so these tests need nothing outside the repository.
Only the last tests, which check that the fixture is what ``tools/build_fixture.py``
cuts from the official files, need ``../shared/cms-raw``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from icd10cm.errors import SourceFileError
from icd10cm.official.assemble import ReleaseContent, assemble_files, structure_of
from icd10cm.official.order_file import OrderRow, parse_order_file
from icd10cm.official.safe_xml import parse_xml
from icd10cm.official.sources import classify, scan_sources, sha256
from icd10cm.official.tabular import Tabular, parse_tabular
from icd10cm.releases.table_format import (
    TableFormatError,
    decode_selection,
    decode_table,
    encode_selection,
    encode_table,
    merge_rows,
)
from icd10cm_build.bundle import read_manifest
from icd10cm_build.fixture import FIXTURE_CATEGORIES
from icd10cm_build.writer import encode_data

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "mini-cms"
ORDER_2024 = FIXTURE / "2024" / "icd10cm-order-2024.txt"
ORDER_2025 = FIXTURE / "2025" / "icd10cm_order_2025.txt"
CODES_2025 = FIXTURE / "2025" / "icd10cm_codes_2025.txt"
TABULAR_2025 = FIXTURE / "2025" / "icd-10-cm-tabular-2025.xml"


def order_rows(path: Path) -> list[OrderRow]:
    return parse_order_file(path.read_bytes(), path.name)


def mini_tabular() -> Tabular:
    return parse_tabular(parse_xml(TABULAR_2025.read_bytes(), TABULAR_2025.name), "mini")


# --- the fixture itself -------------------------------------------------------------


def test_fixture_files_match_their_manifest() -> None:
    manifest = read_manifest(FIXTURE)
    files = {str(p) for p in FIXTURE.glob("*/*") if p.is_file()}
    assert set(manifest) == files
    for path, digest in manifest.items():
        assert sha256(Path(path).read_bytes()) == digest, path
    for line in (FIXTURE / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        release, file, _, size, source, notes = line.split("\t")
        assert (FIXTURE / release / file).stat().st_size == int(size)
        assert source.startswith("cut by icd10cm_build.fixture") and notes


def test_fixture_text_files_keep_the_official_crlf_layout() -> None:
    for path in (ORDER_2024, ORDER_2025, CODES_2025, TABULAR_2025):
        data = path.read_bytes()
        assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n"), path
    assert len(ORDER_2025.read_bytes()) < 64_000  # it must stay a miniature


# --- the order file -----------------------------------------------------------------


def test_parse_order_file_reads_codes_flags_and_titles() -> None:
    rows = order_rows(ORDER_2025)
    by_code = {row.code: row for row in rows}
    assert len(rows) == len(by_code) == 171
    assert sum(row.billable for row in rows) == 130
    assert {row.code[:3] for row in rows} == set(FIXTURE_CATEGORIES)
    assert rows[0] == OrderRow("A00", False, "Cholera", "Cholera")
    assert rows[1] == OrderRow(
        "A000", True, "Cholera due to Vibrio cholerae 01, biovar cholerae",
        "Cholera due to Vibrio cholerae 01, biovar cholerae",
    )
    assert not by_code["E11"].billable and not by_code["E113"].billable
    assert by_code["E119"].billable
    assert by_code["E119"].title == "Type 2 diabetes mellitus without complications"
    # Short titles are the abbreviated column 17-76 form, long titles the full one.
    assert by_code["E1137X1"].short_title == (
        "Type 2 diab with diab mclr edema, resolved fol trtmt, r eye"
    )
    assert by_code["E1137X1"].title == (
        "Type 2 diabetes mellitus with diabetic macular edema, resolved following "
        "treatment, right eye"
    )
    assert all(len(row.short_title) <= 60 for row in rows)
    assert [code for code in by_code if code.startswith("W08")] == [
        "W08", "W08XXXA", "W08XXXD", "W08XXXS",
    ]


def test_the_two_releases_differ_exactly_as_the_fy2025_addenda_say() -> None:
    old = {row.code: row for row in order_rows(ORDER_2024)}
    new = {row.code: row for row in order_rows(ORDER_2025)}
    assert set(new) - set(old) == {"E8882"}  # Add: E88.82
    assert set(old) - set(new) == set()
    assert old["A7741"].title == "Ehrlichiosis chafeensis [E. chafeensis]"  # Revise from
    assert new["A7741"].title == "Ehrlichiosis chaffeensis [E. chaffeensis]"  # Revise to
    assert [c for c in old if old[c] != new[c]] == ["A7741"]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\r\n")


def _replace_line(number: int, make: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        lines = _lines(data)
        lines[number - 1] = make(lines[number - 1])
        return b"\r\n".join(lines)

    return mutate


def _drop_line(number: int) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        lines = _lines(data)
        del lines[number - 1]
        return b"\r\n".join(lines)

    return mutate


@pytest.mark.parametrize(
    ("mutate", "line", "problem"),
    [
        pytest.param(_replace_line(3, lambda b: b[:40]), 3, "fixed-width", id="short-line"),
        pytest.param(_replace_line(4, lambda b: b.replace(b" ", b"\t", 1)), 4, "fixed-width",
                     id="tab-instead-of-space"),
        pytest.param(_replace_line(2, lambda b: b"00009" + b[5:]), 2, "expected 00002",
                     id="bad-order-number"),
        pytest.param(_replace_line(6, lambda b: b"0000X" + b[5:]), 6, "expected 00006",
                     id="non-numeric-order-number"),
        pytest.param(_drop_line(10), 10, "order number '00011', expected 00010",
                     id="missing-row"),
        pytest.param(_replace_line(5, lambda b: b[:6] + b"a77    " + b[13:]), 5,
                     "malformed code", id="lower-case-code"),
        pytest.param(_replace_line(7, lambda b: b[:14] + b"2" + b[15:]), 7,
                     "neither 0 nor 1", id="bad-flag"),
        pytest.param(_replace_line(8, lambda b: b + b" "), 8, "padded title",
                     id="padded-long-title"),
        pytest.param(_replace_line(9, lambda b: b[:20] + b"\xe9" + b[21:]), 9, "0xe9",
                     id="latin-1-byte"),
        pytest.param(_replace_line(171, lambda b: b[:70]), 171, "fixed-width",
                     id="last-row-cut-short"),
        pytest.param(lambda d: d[:-30], 171, "truncated", id="no-final-line-ending"),
        pytest.param(lambda d: d[:-2], 171, "truncated", id="crlf-missing-at-end"),
    ],
)
def test_a_malformed_order_file_names_the_file_and_line(
    mutate: Callable[[bytes], bytes], line: int, problem: str
) -> None:
    data = mutate(ORDER_2025.read_bytes())
    with pytest.raises(SourceFileError) as info:
        parse_order_file(data, "icd10cm_order_2025.txt")
    assert info.value.file == "icd10cm_order_2025.txt"
    assert info.value.line == line
    assert problem in info.value.problem
    assert str(info.value).startswith(f"icd10cm_order_2025.txt, line {line}: ")


def test_an_empty_order_file_is_refused() -> None:
    with pytest.raises(SourceFileError, match=r"^empty\.txt: file is empty$"):
        parse_order_file(b"", "empty.txt")


def test_a_non_utf8_byte_reports_the_line_it_is_on() -> None:
    data = ORDER_2024.read_bytes()
    start = data.index(b"\r\n00050 ") + 2  # the first byte of line 50
    damaged = data[: start + 30] + b"\xff" + data[start + 31 :]
    with pytest.raises(SourceFileError, match=r"order-2024\.txt, line 50: byte 0xff is not UTF-8"):
        parse_order_file(damaged, "icd10cm-order-2024.txt")


def test_the_codes_file_lists_exactly_the_reportable_order_rows() -> None:
    listed = []
    for line in CODES_2025.read_text(encoding="utf-8").splitlines():
        code, _, title = line.partition(" ")
        listed.append((code, title.strip()))
    assert listed == [(r.code, r.title) for r in order_rows(ORDER_2025) if r.billable]


# --- safe XML -------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ICD10CM.tabular [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ICD10CM.tabular><version>&secret;</version></ICD10CM.tabular>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE ICD10CM.tabular SYSTEM "http://example.invalid/tabular.dtd">
<ICD10CM.tabular/>
"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]>
<x/>
"""


@pytest.mark.parametrize(
    "payload",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY],
    ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity"],
)
def test_parse_xml_refuses_dtds_and_entity_declarations(payload: bytes) -> None:
    with pytest.raises(SourceFileError) as info:
        parse_xml(payload, "evil.xml")
    assert info.value.file == "evil.xml"
    assert info.value.line == 2  # where the DOCTYPE starts
    assert "DTD or entity declarations is refused" in str(info.value)


def test_a_doctype_in_front_of_a_real_tabular_is_refused() -> None:
    data = TABULAR_2025.read_bytes().replace(
        b"<ICD10CM.tabular>",
        b'<!DOCTYPE ICD10CM.tabular [<!ENTITY x "y">]>\r\n<ICD10CM.tabular>',
        1,
    )
    with pytest.raises(SourceFileError, match="refused"):
        parse_xml(data, "tabular.xml")


def test_an_undeclared_entity_is_a_malformed_xml_error() -> None:
    with pytest.raises(SourceFileError, match=r"^x\.xml, line 1: malformed XML: undefined entity"):
        parse_xml(b"<a>&passwd;</a>", "x.xml")


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.99])
def test_truncated_xml_names_the_file_and_the_last_line(fraction: float) -> None:
    data = TABULAR_2025.read_bytes()
    cut = data[: int(len(data) * fraction)]
    with pytest.raises(SourceFileError) as info:
        parse_xml(cut, "icd10cm_tabular_2025.xml")
    assert info.value.file == "icd10cm_tabular_2025.xml"
    assert info.value.line == cut.count(b"\n") + 1
    assert "truncated" in info.value.problem
    assert str(info.value).startswith(f"icd10cm_tabular_2025.xml, line {info.value.line}: ")


def test_mismatched_tags_report_the_line_of_the_error() -> None:
    data = TABULAR_2025.read_bytes()
    line = data[: data.index(b"<name>A00.1</name>")].count(b"\n") + 1
    broken = data.replace(b"<name>A00.1</name>", b"<name>A00.1</nom>", 1)
    with pytest.raises(SourceFileError, match="mismatched tag") as info:
        parse_xml(broken, "t.xml")
    assert info.value.line == line


# --- the tabular ----------------------------------------------------------------------


def test_parse_tabular_reads_chapters_and_blocks() -> None:
    tabular = mini_tabular()
    assert tabular.version == "2025"
    assert [(c.number, c.first, c.last) for c in tabular.chapters] == [
        (1, "A00", "B99"), (4, "E00", "E89"), (6, "G00", "G99"), (20, "V00", "Y99"),
    ]
    assert tabular.chapters[0].title == "Certain infectious and parasitic diseases"
    assert [(b.id, b.chapter) for b in tabular.blocks] == [
        ("A00-A09", 1), ("A75-A79", 1), ("E08-E13", 4), ("E70-E88", 4), ("G20-G26", 6),
        ("W00-W19", 20),
    ]
    # Block titles come from the sectionIndex, without the range of the section's desc.
    assert tabular.blocks[2].title == "Diabetes mellitus"
    assert (tabular.blocks[2].first, tabular.blocks[2].last) == ("E08", "E13")


def test_parse_tabular_reads_the_diag_tree() -> None:
    tabular = mini_tabular()
    codes = {c.code: c for c in tabular.codes}
    assert len(codes) == len(tabular.codes) == 116
    categories = {code: c.block for code, c in codes.items() if len(code) == 3}
    assert categories == {
        "A00": "A00-A09", "A77": "A75-A79", "E11": "E08-E13", "E88": "E70-E88",
        "G24": "G20-G26", "W08": "W00-W19",
    }
    assert codes["E11.37"].title == (
        "Type 2 diabetes mellitus with diabetic macular edema, resolved following treatment"
    )
    assert codes["E88.A"].block == "E70-E88"
    # The tabular stops at six characters: 7th-character codes are only in the order file.
    assert "E11.37X1" not in codes and "W08XXXA" not in codes


def test_parse_tabular_reads_notes_of_every_kind() -> None:
    notes = mini_tabular().notes
    kinds = {n.kind for n in notes}
    assert kinds == {
        "inclusion_term", "includes", "excludes1", "excludes2", "code_first",
        "use_additional_code", "code_also", "note", "seventh_character_note",
        "seventh_character",
    }
    at = {(n.node, n.kind, n.text) for n in notes}
    # W08's inclusion term is printed inside its sevenChrDef, after S (sequela)
    assert ("W08", "inclusion_term", "Fall from stool") in at
    assert ("chapter:1", "includes",
            "diseases generally recognized as communicable or transmissible") in at
    assert ("block:W00-W19", "excludes1", "fall from animal (V80.-)") in at
    assert ("E88.A", "code_first", "underlying condition") in at
    assert ("E88.42", "code_also", "progressive myoclonic epilepsy (G40.3-)") in at
    assert ("A00.0", "inclusion_term", "Classical cholera") in at
    # Multi-line notes are folded to single spaces; none keeps XML layout whitespace.
    assert not any(ch in n.text for n in notes for ch in "\r\n\t")
    assert all(n.text == n.text.strip() and n.text for n in notes)


def test_parse_tabular_reads_seventh_character_definitions() -> None:
    notes = mini_tabular().notes
    sevenths = {(n.node, n.key): n.text for n in notes if n.kind == "seventh_character"}
    assert {key for node, key in sevenths if node == "W08"} == {"A", "D", "S"}
    assert sevenths["W08", "A"] == "initial encounter"
    assert sevenths["W08", "S"] == "sequela"
    for node in ("E11.32", "E11.33", "E11.34", "E11.35", "E11.37"):
        assert {key for n, key in sevenths if n == node} == {"1", "2", "3", "9"}
    assert sevenths["E11.37", "9"] == "unspecified eye"
    assert all(n.key == "" for n in notes if not n.kind.startswith("seventh_character"))
    # The <note> the official XML puts inside W08's sevenChrDef is kept, not dropped.
    assert any(n.node == "W08" and n.text == "Fall from stool" for n in notes)


def test_every_order_row_is_in_the_tabular_or_a_7th_character_extension_of_it() -> None:
    tabular = mini_tabular()
    nodes = {c.code.replace(".", "") for c in tabular.codes}
    sevenths: dict[str, set[str]] = {}
    for note in tabular.notes:
        if note.kind == "seventh_character":
            sevenths.setdefault(note.node.replace(".", ""), set()).add(note.key)
    for row in order_rows(ORDER_2025):
        if row.code in nodes:
            continue
        assert len(row.code) == 7, row
        defining = [row.code[:n] for n in range(3, 7) if row.code[:n] in sevenths]
        assert defining, f"{row.code}: no sevenChrDef above it"
        assert row.code[6] in sevenths[defining[-1]], row
        assert row.code[:6].rstrip("X") in nodes, row  # placeholder X pads a real node


def _tabular_with(old: bytes, new: bytes) -> bytes:
    data = TABULAR_2025.read_bytes()
    assert old in data
    return data.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b"<desc>Cholera</desc>", b"<desc>Cholera</desc><bogus/>",
         "code A00: unexpected element <bogus>"),
        (b'<section id="A00-A09">', b'<section id="A00-A09"><bogus/>',
         "section A00-A09: unexpected element <bogus>"),
        (b"<ICD10CM.tabular>", b"<ICD10CM.tabular><bogus/>",
         "unexpected top-level element <bogus>"),
        (b'<extension char="A">initial encounter</extension>',
         b'<extension char="AB">initial encounter</extension>',
         "W08: malformed <sevenChrDef> entry <extension>"),
        (b"<note>Classical cholera</note>", b"<term>Classical cholera</term>",
         "A00.0: unexpected <term> inside <inclusionTerm>"),
        (b"<name>A00</name>", b"", "missing <name>"),
        (b"<name>1</name>", b"<name>one</name>", "chapter number 'one' is not a number"),
    ],
)
def test_parse_tabular_refuses_elements_it_does_not_know(
    old: bytes, new: bytes, problem: str
) -> None:
    root = parse_xml(_tabular_with(old, new), "t.xml")
    with pytest.raises(SourceFileError, match=r"^t\.xml, line \d+: ") as info:
        parse_tabular(root, "t.xml")
    assert problem in str(info.value)
    assert info.value.line is not None


def test_parse_tabular_refuses_another_root_element() -> None:
    with pytest.raises(SourceFileError, match=r"expected <ICD10CM\.tabular>"):
        parse_tabular(parse_xml(b"<ICD10CM.index/>", "i.xml"), "i.xml")


# --- file names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("icd10cm_order_2025.txt", "order"),
        ("icd10cm-order-2023.txt", "order"),
        ("icd10cm_order_2025.txt.gz", "order"),
        ("icd10cm-order-April-2025.txt", "order"),
        ("2025 Code Descriptions/icd10cm_order_2025.txt", "order"),
        ("codes.zip!Code Descriptions/icd10cm_order_2025.txt", "order"),
        ("icd10cm_codes_2025.txt", "codes"),
        ("icd10cm-codes-April-2025.txt.gz", "codes"),
        ("Tabular.xml", "tabular"),
        ("Tabular.xml.gz", "tabular"),
        ("icd10cm_tabular_2025.xml", "tabular"),
        ("icd-10-cm-tabular-2025.xml.gz", "tabular"),
        ("icd10c-tabular-April-1-2026.xml", "tabular"),
        ("icd10cm-tabular-April-2025.xml.gz", "tabular"),
        ("icd10cm_eindex_2020.xml", "eindex"),
        ("E-Index.xml", "eindex"),
        ("icd10cm-eindex-April-1-2026-XML.xml", "eindex"),
        ("icd10cm_index_2020.xml.gz", "index"),
        ("Index.xml.gz", "index"),
        ("icd10cm_drug_2025.xml.gz", "drug"),
        ("Drug.xml.gz", "drug"),
        ("icd10cm-drug-April-2024.txt.gz", "drug"),
        ("Neoplasm.xml", "neoplasm"),
        ("icd10cm_neoplasm_2025.xml", "neoplasm"),
        ("icd10cm_order_addenda_2027.txt", "order_addenda"),
        ("icd10cm-order-addenda-April-2025.txt", "order_addenda"),
        ("icd10cm_codes_addenda_2025.txt", "codes_addenda"),
        ("icd-10-cm-tabular-addenda-2025.pdf", "tabular_addenda"),
        ("Errata FY24.pdf", "addenda"),
        ("POAexemptCodesFY25.txt", "poa_exempt"),
        ("POAexemptCodesFY25.txt.gz", "poa_exempt"),
        ("POAexemptAddCodesFY25.txt", "poa_exempt"),
        ("ReadMePOAexemptFY25.txt", "poa_exempt"),
        ("508_Compliant_Version_of_ICD-10-CM-Conversion-Table-FY25.csv", "conversion"),
        ("ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx", "conversion"),
        ("icd10OrderFiles.pdf", "other"),
        ("icd10cmCodesFile.pdf", "other"),
        ("icd10cm_tabular.xsd", "other"),
        ("10cmguidelines-FY2020_final.pdf", "other"),
        ("MANIFEST.tsv", "other"),
    ],
)
def test_classify_official_file_names(name: str, role: str) -> None:
    assert classify(name) == role


# --- the table format -------------------------------------------------------------------

AWKWARD = ["a\tb", "line one\nline two", "back\\slash", "\\t is not a tab", "cr\r", "",
           "\\", "Sézary ü", "trailing\n"]


def test_table_round_trip_keeps_tabs_newlines_and_backslashes() -> None:
    columns = {"text": AWKWARD, "n": [str(i) for i in range(len(AWKWARD))]}
    data = encode_table("awkward", columns, {"r1": [0, 1, 2], "r2": [8, 7, 3, 3]})
    table = decode_table(data)
    assert table.name == "awkward"
    assert table.columns == columns
    assert table.row_count == len(AWKWARD)
    assert table.rows("r2") == [8, 7, 3, 3]
    assert table.select("r1", "text") == [("a\tb", "line one\nline two", "back\\slash")]
    assert table.select("r2", "n", "text") == [("8", "7", "3", "3"),
                                               ("trailing\n", "Sézary ü", "\\t is not a tab",
                                                "\\t is not a tab")]
    assert table.rows("absent") is None and table.select("absent", "n") is None


@given(
    values=st.lists(st.tuples(st.text(), st.text(max_size=5)), max_size=30),
    picks=st.lists(st.lists(st.integers(min_value=0, max_value=29), max_size=40), max_size=4),
)
def test_table_round_trip_of_any_text(
    values: list[tuple[str, str]], picks: list[list[int]]
) -> None:
    columns = {"a": [a for a, _ in values], "b": [b for _, b in values]}
    selections = {
        f"r{i}": [p for p in pick if p < len(values)] for i, pick in enumerate(picks)
    }
    data = encode_table("t", columns, selections)
    assert data == encode_table("t", columns, selections)  # deterministic
    table = decode_table(data)
    assert table.columns == columns
    assert {r: table.rows(r) for r in selections} == selections


def test_table_bytes_are_deterministic_and_carry_no_timestamp() -> None:
    columns = {"code": ["A00", "A000"], "title": ["Cholera", "Cholera due to ..."]}
    first = encode_table("codes", columns, {"2025": [0, 1]})
    assert first == encode_table("codes", dict(columns), {"2025": [0, 1]})
    assert first.startswith(b"icd10cm-table/1\tcodes\ncolumns\tcode\ttitle\n")


def test_selections_are_stored_as_runs() -> None:
    assert encode_selection([0, 1, 2, 5, 7, 8]) == "0+3,5,7+2"
    assert decode_selection("0+3,5,7+2", 9) == [0, 1, 2, 5, 7, 8]
    assert encode_selection([]) == "" and decode_selection("", 0) == []
    with pytest.raises(TableFormatError, match=r"outside 0\.\.8"):
        decode_selection("7+3", 9)
    with pytest.raises(TableFormatError):
        decode_selection("-1", 9)


def _small_table() -> bytes:
    return encode_table("t", {"a": ["x\ty", "p\\q", ""], "b": ["1", "2", "3"]},
                        {"r1": [0, 1, 2], "r2": [2]})


def test_every_truncation_of_a_table_is_detected() -> None:
    text = _small_table()
    for cut in range(len(text)):
        with pytest.raises(TableFormatError):
            decode_table(text[:cut])


def test_bytes_that_are_not_utf8_are_a_table_format_error() -> None:
    with pytest.raises(TableFormatError, match="not UTF-8"):
        decode_table(_small_table().replace(b"x", b"\xff", 1))


def test_no_bytes_at_all_are_a_table_format_error() -> None:
    with pytest.raises(TableFormatError):
        decode_table(b"")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b"icd10cm-table/1", b"icd10cm-table/2", "unknown format"),
        (b"p\\\\q", b"p\\q", "bad escape"),
        (b"rows\t3", b"rows\t9", "column 'b' is truncated"),
        (b"rows\t3", b"rows\t4", "expected the releases section"),
        (b"releases\t2", b"releases\t3", "truncated"),
        (b"r2\t2\n", b"r2\t2\nr3\t0\n", "extra lines"),
        (b"columns\t", b"kolumns\t", "missing columns/rows header"),
    ],
)
def test_damaged_table_text_is_a_table_format_error(old: bytes, new: bytes, problem: str) -> None:
    text = _small_table()
    assert old in text
    with pytest.raises(TableFormatError, match=problem):
        decode_table(text.replace(old, new, 1))


def test_a_selection_beyond_the_rows_is_detected_on_use() -> None:
    table = decode_table(encode_table("t", {"a": ["x"]}, {"r": [0]}))
    broken = type(table)(table.name, table.columns, {"r": "0+2"})
    with pytest.raises(TableFormatError, match="outside"):
        broken.rows("r")


def test_encode_table_refuses_columns_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="columns differ in length"):
        encode_table("t", {"a": ["1", "2"], "b": ["1"]}, {})


def test_merge_rows_stores_each_row_once_in_first_seen_order() -> None:
    a00, a000, a001, a009 = ("A00",), ("A000",), ("A001",), ("A009",)
    rows, selections = merge_rows({
        "2025": [a00, a000, a001],
        "2024": [a00, a001, a009],
        "2016": [],
    })
    assert rows == [a00, a000, a001, a009]
    assert selections == {"2025": [0, 1, 2], "2024": [0, 2, 3], "2016": []}
    assert list(selections) == ["2025", "2024", "2016"]


@given(st.dictionaries(
    st.sampled_from(["2024", "2025", "2026"]),
    st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("01")), max_size=12),
))
def test_merge_rows_can_rebuild_every_release(
    per_release: dict[str, list[tuple[str, str]]],
) -> None:
    rows, selections = merge_rows(per_release)
    assert len(rows) == len(set(rows))
    assert {r: [rows[i] for i in selections[r]] for r in per_release} == per_release


# --- the writer on the fixture -----------------------------------------------------------


def _fixture_contents() -> list[ReleaseContent]:
    new = assemble_files(
        scan_sources([FIXTURE / "2025"]), "2025", release_id="2025", fiscal_year=2025,
        effective_from=date(2024, 10, 1), fallback_structures={},
    )
    old = assemble_files(
        scan_sources([ORDER_2024]), "2024", release_id="2024", fiscal_year=2024,
        effective_from=date(2023, 10, 1),
        fallback_structures={"2025": (new.effective_from, new.structure)},
    )
    return [old, new]


def test_assemble_files_on_the_fixture() -> None:
    old, new = _fixture_contents()
    assert new.notes is not None and new.structure_from == "2025"
    assert new.structure == structure_of(mini_tabular())
    assert {s.role for s in new.sources} == {"order", "codes", "tabular"}
    assert old.notes is None and old.structure_from == "2025"
    assert old.structure.categories == new.structure.categories
    assert [r.code for r in old.rows] == [r.code for r in order_rows(ORDER_2024)]
    assert any("No tabular given" in line for line in old.provenance)


def test_encode_data_is_deterministic_and_round_trips() -> None:
    contents = _fixture_contents()
    files = encode_data(contents)
    assert files == encode_data(_fixture_contents())
    codes = decode_table(files["codes.table"])
    for content in contents:
        selected = codes.select(content.id, "code", "billable", "title")
        assert selected is not None
        assert list(zip(*selected, strict=True)) == [
            (r.code, "1" if r.billable else "0", r.title) for r in content.rows
        ]
    notes = decode_table(files["notes.table"])
    assert notes.rows("2024") is None  # no tabular: no notes, not another release's
    assert len(notes.rows("2025") or ()) == len(contents[1].notes or ())


# --- the fixture is what tools/build_fixture.py cuts ----------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build_fixture(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_fixture.py"), *map(str, args)],
        capture_output=True, text=True, check=False, cwd=REPO,
    )


@pytest.mark.slow
@pytest.mark.cms_raw
def test_build_fixture_reproduces_the_committed_fixture(cms_raw: Path, tmp_path: Path) -> None:
    result = _build_fixture("--cms-raw", cms_raw, "--out", tmp_path / "mini-cms")
    assert result.returncode == 0, result.stderr
    built, committed = _tree(tmp_path / "mini-cms"), _tree(FIXTURE)
    assert sorted(built) == sorted(committed)
    for name, data in committed.items():
        assert built[name] == data, f"{name} differs: run tools/build_fixture.py"


@pytest.mark.slow
@pytest.mark.cms_raw
def test_build_fixture_check_reports_a_changed_file(cms_raw: Path, tmp_path: Path) -> None:
    copy = tmp_path / "mini-cms"
    shutil.copytree(FIXTURE, copy)
    data = (copy / "2025" / "icd10cm_codes_2025.txt").read_bytes()
    (copy / "2025" / "icd10cm_codes_2025.txt").write_bytes(data.replace(b"Cholera", b"Kolera"))
    result = _build_fixture("--cms-raw", cms_raw, "--out", copy, "--check")
    assert result.returncode == 1
    assert "2025/icd10cm_codes_2025.txt" in result.stderr
    assert "icd10cm_order_2025.txt" not in result.stderr


def test_a_note_inside_seven_chr_def_qualifies_the_character_before_it() -> None:
    xml = b"""<ICD10CM.tabular><version>2025</version><chapter><name>19</name>
    <desc>Injury (S00-T88)</desc><section id="S50-S59"><desc>Elbow (S50-S59)</desc>
    <diag><name>S52</name><desc>Fracture of forearm</desc><sevenChrDef>
    <extension char="A">initial encounter for closed fracture</extension>
    <extension char="B">initial encounter for open fracture type I or II</extension>
    <note>initial encounter for open fracture NOS</note>
    <extension char="S">sequela</extension><note>Fall from stool</note>
    </sevenChrDef></diag></section></chapter></ICD10CM.tabular>"""
    notes = parse_tabular(parse_xml(xml, "mini.xml"), "mini.xml").notes
    kinds = [(n.kind, n.key, n.text) for n in notes]
    assert ("seventh_character_inclusion", "B", "initial encounter for open fracture NOS") in kinds
    assert ("inclusion_term", "", "Fall from stool") in kinds


def test_a_structural_tabular_error_names_the_line() -> None:
    xml = b"""<ICD10CM.tabular><version>2025</version>
<chapter><name>1</name><desc>Infections (A00-A09)</desc>
<section id="A00-A09"><desc>Intestinal (A00-A09)</desc>
<diag><name>A00</name><desc>Cholera</desc>
<bogus/>
</diag></section></chapter></ICD10CM.tabular>"""
    with pytest.raises(SourceFileError, match=r"mini\.xml, line 5: code A00: unexpected") as info:
        parse_tabular(parse_xml(xml, "mini.xml"), "mini.xml")
    assert info.value.line == 5
