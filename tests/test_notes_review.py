"""Instructional notes checked against the Tabular List XML, read here with plain
``xml.etree`` (not the library's reader): the notes at each chapter, block and code,
the nodes ``notes_at`` accepts, what ``icd10cm lookup`` prints, and how a note's
"fifth or sixth character" references match codes (checked against the order file's
titles)."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

import icd10cm
from icd10cm.__main__ import main
from icd10cm.core.references import parse_references

# XML element -> NoteKind value (the elements the schema lists; sevenChrDef apart)
KINDS = {"inclusionTerm": "inclusion_term", "includes": "includes",
         "excludes1": "excludes1", "excludes2": "excludes2", "codeFirst": "code_first",
         "useAdditionalCode": "use_additional_code", "codeAlso": "code_also",
         "notes": "note", "sevenChrNote": "seventh_character_note"}
# one tabular per fiscal year with notes, and an April update
TABULARS = {"2016": "2016/Tabular.xml.gz", "2020": "2020/icd10cm_tabular_2020.xml.gz",
            "2023": "2023/icd10cm_tabular_2023.xml.gz",
            "2025-04": "2025-04/icd10cm-tabular-April-2025.xml.gz"}


def _read(path: Path) -> bytes:
    with gzip.open(path) as file:
        return file.read()


def _text(element: ET.Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _xml_notes(path: Path) -> dict[str, list[tuple[str, str]]]:
    """(kind, text) of every non-empty note line, by node (``chapter:N``, ``block:ID``,
    dotted code), with a sevenChrDef's characters as ``seventh_character``."""
    found: dict[str, list[tuple[str, str]]] = {}

    def read(node: str, element: ET.Element) -> None:
        lines = found.setdefault(node, [])
        for child in element:
            if child.tag in KINDS:
                lines += [(KINDS[child.tag], _text(n)) for n in child.iter("note") if _text(n)]
            elif child.tag == "sevenChrDef":
                lines += [("seventh_character", _text(x)) for x in child.iter("extension")]

    root = ET.fromstring(_read(path))
    for chapter in root.iter("chapter"):
        read(f"chapter:{_text(chapter.find('name'))}", chapter)  # type: ignore[arg-type]
        for section in chapter.iter("section"):
            read(f"block:{section.get('id')}", section)
            for diag in section.iter("diag"):
                read(_text(diag.find("name")), diag)  # type: ignore[arg-type]
    return found


@pytest.mark.slow
@pytest.mark.cms_raw
@pytest.mark.parametrize("release_id", sorted(TABULARS))
def test_notes_at_every_node_are_the_tabular_xml_notes(cms_raw: Path, release_id: str) -> None:
    release = icd10cm.load_release(release_id)
    xml = _xml_notes(cms_raw / TABULARS[release_id])
    compared = {"seventh_character", *KINDS.values()}
    for node, expected in xml.items():
        got = [(str(n.kind), re.sub(r"\s+", " ", n.text)) for n in release.notes_at(node)
               if str(n.kind) in compared]
        if node == "W08" and release_id >= "2023":
            # since FY2023 W08's inclusion term "Fall from stool" is printed inside its
            # sevenChrDef (FY2023 tabular addenda): the library shows it as one
            got.remove(("inclusion_term", "Fall from stool"))
        assert Counter(got) == Counter(expected), node
    shown = {node for kind in icd10cm.NoteKind for node in release.notes_of_kind(kind)}
    assert shown <= set(xml)  # no note at a node the tabular does not have


def test_notes_at_refuses_a_node_the_release_lacks() -> None:
    release = icd10cm.load_release("2025")  # 22 chapters; no notes at chapter 22, E08-E13
    assert release.notes_at("block:E08-E13") == release.notes_at("chapter:22") == ()
    assert release.notes_at("E11.9") == release.notes_at("E119") == ()
    for node in ("chapter:23", "chapter:04", "block:E08-E14", "Q99.999", "e11", "E11.9XX"):
        with pytest.raises(KeyError, match=re.escape(repr(node))):
            release.notes_at(node)


@pytest.mark.cms_raw
def test_fifth_or_sixth_character_references_match_the_adverse_effect_codes(
    cms_raw: Path,
) -> None:
    """'(T36-T50 with fifth or sixth character 5)' is every reportable code of T36-T50
    titled "Adverse effect of ...", and no other; nor a header such as T36.5X, whose 5
    is its 4th character (aminoglycosides), followed by the placeholder X."""
    reference, = parse_references(
        "code for adverse effect, if applicable, to identify drug "
        "(T36-T50 with fifth or sixth character 5)").references
    order = _read(cms_raw / "2025/icd10cm_order_2025.txt.gz").decode("ascii")
    rows = [(line[6:13].strip(), line[77:]) for line in order.split("\r\n")
            if "T36" <= line[6:9] <= "T50"
            and (line[14] == "1" or line[6:13].strip().endswith("X"))]
    assert len(rows) > 3000
    assert ("T365X", "Poisoning by, adverse effect of and underdosing of aminoglycosides") in rows
    for undotted, title in rows:
        code = f"{undotted[:3]}.{undotted[3:]}".rstrip(".")
        assert reference.matches(code) is title.startswith("Adverse effect of"), code


@pytest.mark.slow
@pytest.mark.cms_raw
def test_lookup_prints_the_notes_of_the_codes_above_block_and_chapter(
    cms_raw: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    xml = _xml_notes(cms_raw / TABULARS["2025-04"])
    assert main(["lookup", "S72.001A", "T21.05XA", "--release", "2025-04"]) == 0
    out = capsys.readouterr().out
    s72 = out.split("S72.001A  ", 1)[1].split("T21.05XA  ", 1)[0]
    for node, where in (("S72", "S72"), ("block:S70-S79", "block S70-S79"),
                        ("chapter:19", "chapter 19")):
        assert xml[node]
        shown = s72.split(f"    at {where}:\n", 1)[1].split("\n    at ", 1)[0]
        # the 7th characters are checked above, node by node
        assert [re.sub(r"\s+", " ", line.strip()) for line in shown.splitlines()
                if not line.strip().startswith(("seventh_character:",
                                                "seventh_character_inclusion:"))] == [
            f"{kind}: {text}" for kind, text in xml[node] if kind in KINDS.values()]
    t21 = out.split("T21.05XA  ", 1)[1]
    assert ("use_additional_code", "code from category T31 or T32 to identify extent of "
            "body surface involved") in xml["block:T20-T25"]
    assert "    at block T20-T25:\n" in t21
    assert "use_additional_code: code from category T31 or T32 to identify extent" in t21


@pytest.mark.slow
@pytest.mark.cms_raw
def test_lookup_says_whose_notes_a_release_without_a_tabular_shows(
    cms_raw: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """FY2024 has no tabular of its own: D48.0's Excludes1 notes are the FY2023
    tabular's, and they cite D48.1, a code in FY2023 and a header in FY2024."""
    assert ("excludes1", "neoplasm of uncertain behavior of synovia (D48.1)") in _xml_notes(
        cms_raw / TABULARS["2023"])["D48.0"]
    order = _read(cms_raw / "2024/icd10cm-order-2024.txt.gz").decode("ascii")
    assert any(line[6:14] == "D481    " and line[14] == "0" for line in order.split("\r\n"))
    assert main(["lookup", "D48.0", "--release", "2024"]) == 0
    out = capsys.readouterr().out
    assert "notes of the 2023 Tabular List (release 2024 has none of its own)" in out
    synovia = out.split("excludes1: neoplasm of uncertain behavior of synovia (D48.1)\n")[1]
    assert synovia.startswith("            ! D48.1 is a header in ICD-10-CM FY2024")
