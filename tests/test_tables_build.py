"""The readers of the Table of Drugs and the Neoplasm Table, on small inline samples."""

from __future__ import annotations

import pytest

from icd10cm.errors import SourceFileError
from icd10cm.official.assemble import BuildError
from icd10cm.official.safe_xml import parse_xml
from icd10cm.releases.table_format import decode_table, encode_table
from icd10cm.tables.columns import stored_columns
from icd10cm_build.tables import (
    CsvRow,
    SourceTableRow,
    check_csv_rows,
    parse_csv_rows,
    parse_table,
)

DRUG_HEAD = """<indexHeading>
    <head col="1">Substance</head>
    <head col="2">Poisoning, Accidental (unintentional)</head>
    <head col="3">Poisoning, Intentional self-harm</head>
    <head col="4">Poisoning, Assault</head>
    <head col="5">Poisoning, Undetermined</head>
    <head col="6">Adverse effect</head>
    <head col="7">Underdosing</head>
  </indexHeading>"""

NEOPLASM_HEAD = """<indexHeading>
    <head col="2">Malignant Primary</head><head col="3">Malignant Secondary</head>
    <head col="4">Ca in situ</head><head col="5">Benign</head>
    <head col="6">Uncertain Behavior</head><head col="7">Unspecified Behavior</head>
  </indexHeading>"""


def _drug(body: str, head: str = DRUG_HEAD) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<ICD10CM.index><version>2025</version>'
            f"{head}<letter><title>A</title>{body}</letter></ICD10CM.index>").encode()


def _cells(*codes: str) -> str:
    return "".join(f'<cell col="{n}">{code}</cell>' for n, code in enumerate(codes, start=2))


ACETAMINOPHEN = ("T39.1X1", "T39.1X2", "T39.1X3", "T39.1X4", "T39.1X5", "T39.1X6")
ALCOHOL = ("T51.91", "T51.92", "T51.93", "T51.94", "--", "--")
BEVERAGE = ("T51.0X1", "T51.0X2", "T51.0X3", "T51.0X4", "--", "--")

SAMPLE = _drug(
    f"<mainTerm><title>Acetaminophen</title>{_cells(*ACETAMINOPHEN)}</mainTerm>"
    f"<mainTerm><title>Adrenalin</title><see>Adrenaline</see></mainTerm>"
    f"<mainTerm><title>Alcohol</title>{_cells(*ALCOHOL)}"
    f'<term level="1"><title>beverage</title>{_cells(*BEVERAGE)}'
    f'<term level="2"><title>Caustic<nemod>(s)</nemod> NEC</title>{_cells(*BEVERAGE)}</term>'
    f"</term></mainTerm>"
    f"<mainTerm><title>2,4-D<nemod>(dichlorophen-oxyacetic acid)</nemod></title>"
    f"<seeAlso>Herbicide</seeAlso>{_cells(*BEVERAGE)}</mainTerm>"
)


def test_drug_rows_paths_cells_and_references() -> None:
    table = parse_table(parse_xml(SAMPLE, "d.xml"), "drug", "d.xml")
    assert table.version == "2025"
    assert [row.path for row in table.rows] == [
        ("Acetaminophen",), ("Adrenalin",), ("Alcohol",), ("Alcohol", "beverage"),
        ("Alcohol", "beverage", "Caustic{(s)} NEC"),
        ("2,4-D {(dichlorophen-oxyacetic acid)}",),
    ]
    first, see, alcohol, *_, herbicide = table.rows
    assert first.cells == ACETAMINOPHEN
    assert see.cells == ("",) * 6 and see.see == "Adrenaline"  # no cells: not "--"
    assert alcohol.cells[4:] == ("--", "--")
    assert herbicide.see_also == "Herbicide"


def test_missing_cell_differs_from_empty_cell() -> None:
    body = ('<mainTerm><title>x</title><cell col="2">T51.91</cell><cell col="6">--</cell>'
            "</mainTerm>")
    (row,) = parse_table(parse_xml(_drug(body), "d.xml"), "drug", "d.xml").rows
    assert row.cells == ("T51.91", "", "", "", "--", "")


def test_neoplasm_table_without_first_heading() -> None:
    body = ('<mainTerm><title>Neoplasm, neoplastic</title>'
            + _cells("C80.1", "C79.9", "D09.9", "D36.9", "D48.9", "D49.9")
            + '<term level="1"><title>bone<nemod>(periosteum)</nemod></title>'
            + _cells("C41.9", "C79.51", "-", "D16.9-", "D48.0", "D49.2")
            + "<manif>note text</manif></term></mainTerm>")
    table = parse_table(parse_xml(_drug(body, NEOPLASM_HEAD), "n.xml"), "neoplasm", "n.xml")
    assert table.rows[1] == SourceTableRow(
        ("Neoplasm, neoplastic", "bone {(periosteum)}"),
        ("C41.9", "C79.51", "-", "D16.9-", "D48.0", "D49.2"), manif="note text")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('<mainTerm><title>x</title><cell col="8">T1</cell></mainTerm>', "column '8'"),
        ('<mainTerm><title>x</title><cell col="2">A</cell><cell col="2">B</cell></mainTerm>',
         "column '2'"),
        ('<mainTerm><title>x</title><cell col="2"> </cell></mainTerm>', "empty <cell>"),
        ("<mainTerm><title>x</title><new>y</new></mainTerm>", "<new>"),
        ('<mainTerm><title>x</title><term level="2"><title>y</title></term></mainTerm>',
         "level '2'"),
        ("<mainTerm><see>y</see></mainTerm>", "without a title"),
        ("<mainTerm><title>a &gt; b</title></mainTerm>", "holds one of"),
        ("<mainTerm><title>x<b>y</b></title></mainTerm>", "<b> in a title"),
    ],
)
def test_unknown_or_malformed_elements_are_refused(body: str, problem: str) -> None:
    with pytest.raises(SourceFileError, match=r"d\.xml, line") as error:
        parse_table(parse_xml(_drug(body), "d.xml"), "drug", "d.xml")
    assert problem in str(error.value)


def test_columns_in_another_order_are_refused() -> None:
    head = DRUG_HEAD.replace("Adverse effect", "X").replace("Underdosing", "Adverse effect")
    with pytest.raises(SourceFileError, match="column headings"):
        parse_table(parse_xml(_drug("", head), "d.xml"), "drug", "d.xml")


def test_a_neoplasm_file_is_not_read_as_a_drug_table() -> None:
    with pytest.raises(SourceFileError, match="not those of the drug table"):
        parse_table(parse_xml(_drug("", NEOPLASM_HEAD), "n.xml"), "drug", "n.xml")


CSV = (
    "ICD-10-CM TABLE of DRUGS and CHEMICALS,,,,,,,\r\n"
    "Substance,Poisoning Accidental (unintentional),Poisoning Intentional self-harm,"
    "Poisoning Assault,Poisoning Undetermined,Adverse effect,Underdosing,\r\n"
    f"Acetaminophen,{','.join(ACETAMINOPHEN)},\r\n"
    "Adrenalin -see Adrenaline,,,,,,,\r\n"
    "Substance,Poisoning Accidental (unintentional),Poisoning Intentional self-harm,"
    "Poisoning Assault,Poisoning Undetermined,Adverse effect,Underdosing,\r\n"
    f"\u2013 beverage,{','.join(BEVERAGE)},\r\n"
    f'"2,4-D (dichlorophen-oxyacetic acid) -see also Herbicide",{",".join(BEVERAGE)},\r\n'
).encode("cp1252")


def test_csv_rows_skip_the_title_and_repeated_headings() -> None:
    rows = parse_csv_rows(CSV, "d.csv")
    assert [row.text for row in rows] == [
        "Acetaminophen", "Adrenalin -see Adrenaline", "\u2013 beverage",
        "2,4-D (dichlorophen-oxyacetic acid) -see also Herbicide"]
    assert rows[0].cells == ACETAMINOPHEN and rows[1].cells == ("",) * 6


def test_csv_agrees_with_the_xml_and_lacking_rows_are_counted() -> None:
    table = parse_table(parse_xml(SAMPLE, "d.xml"), "drug", "d.xml")
    # the CSV lacks "Alcohol" and "Alcohol > beverage > Caustic(s) NEC"
    assert check_csv_rows(table, parse_csv_rows(CSV, "d.csv"), "d.csv") == 2


def test_csv_with_other_codes_fails_the_build() -> None:
    table = parse_table(parse_xml(SAMPLE, "d.xml"), "drug", "d.xml")
    rows = parse_csv_rows(CSV, "d.csv")
    changed = [*rows[:2], CsvRow(rows[2].line, rows[2].text, ALCOHOL), *rows[3:]]
    with pytest.raises(BuildError, match=r"beverage.*matches no row"):
        check_csv_rows(table, changed, "d.csv")
    with pytest.raises(BuildError, match="matches no row"):  # out of order
        check_csv_rows(table, [rows[1], rows[0]], "d.csv")


def test_rows_round_trip_through_the_table_format() -> None:
    table = parse_table(parse_xml(SAMPLE, "d.xml"), "drug", "d.xml")
    names = stored_columns("drug")
    rows = [row.as_tuple() for row in table.rows]
    data = encode_table("drug", {n: [r[i] for r in rows] for i, n in enumerate(names)},
                        {"2025": list(range(len(rows)))})
    decoded = decode_table(data)
    selected = decoded.select("2025", *names)
    assert selected is not None
    assert list(zip(*selected, strict=True)) == rows
    assert encode_table("drug", decoded.columns, {"2025": list(range(len(rows)))}) == data
