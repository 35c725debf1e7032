"""Lookups a user makes from what the official files print, checked against those files.

The Table of Drugs, the Neoplasm Table and the Alphabetic Index name their terms in
their own references the way the book does: a main term by its first form
("see Lead" for ``Lead (dust) (fumes) (vapor) NEC``, "see Diabetes" for ``Diabetes,
diabetic``), the levels of a path separated by commas ("see also Neoplasm, skin, ear").
The expectations here are read from the official XML with plain ElementTree.
"""

from __future__ import annotations

import functools
import gzip
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

import icd10cm
from icd10cm.__main__ import main

pytestmark = pytest.mark.cms_raw


@functools.lru_cache(maxsize=4)  # each file is read once for the tests of this module
def _root(path: Path) -> ET.Element:
    data = path.read_bytes()
    return ET.fromstring(gzip.decompress(data) if path.name.endswith(".gz") else data)


def _title(element: ET.Element) -> str:
    title = element.find("title")
    assert title is not None
    return " ".join(" ".join(title.itertext()).split())


def _bare(element: ET.Element) -> str:
    """The title without its nonessential modifiers (the <nemod> child)."""
    title = element.find("title")
    assert title is not None
    return " ".join(((title.text or "") + " " + " ".join(
        (child.tail or "") for child in title)).split())


def _cells(element: ET.Element) -> tuple[str, ...]:
    cells = {cell.get("col"): (cell.text or "").strip() for cell in element.findall("cell")}
    return tuple(cells.get(str(column), "") for column in range(2, 8))


def _under(element: ET.Element, title: str) -> ET.Element:
    """The subterm of *element* whose title without modifiers is *title*."""
    found = [term for term in element.findall("term") if _bare(term) == title]
    assert len(found) == 1, (title, [_title(t) for t in element.findall("term")])
    return found[0]


def _main_terms(root: ET.Element) -> Iterator[ET.Element]:
    for letter in root.findall("letter"):
        yield from letter.findall("mainTerm")


# --- the Table of Drugs: a main term named without its final NEC -----------------------


@pytest.mark.parametrize("substance", ["Lead", "Insecticide", "Gas"])
def test_drug_finds_the_main_term_named_without_its_nec(cms_raw: Path, substance: str) -> None:
    root = _root(cms_raw / "2025" / "icd10cm_drug_2025.xml.gz")
    mains = [m for m in _main_terms(root) if _bare(m) == f"{substance} NEC"]
    assert len(mains) == 1
    # the table's own references name it so ("see Lead", "see Insecticide", "see Gas")
    assert any((see.text or "").strip() == substance for see in root.iter("see"))
    row = icd10cm.drug_row(substance, release="2025")
    assert row.path == (_title(mains[0]),)
    assert row.cells == _cells(mains[0])
    code = icd10cm.drug(substance, "accidental", release="2025")
    assert code.printed == _cells(mains[0])[0]
    assert code.needs_seventh_character
    full = code.printed.replace(".", "").ljust(6, "X") + "A"  # placeholder X (I.A.4)
    assert code.advice.endswith(f"{code.printed!r}, 'A') gives {full[:3]}.{full[3:]}")


def test_drug_advice_names_the_full_codes_with_placeholder_x(cms_raw: Path) -> None:
    """A cell of five characters (T58.11) takes placeholder X before its 7th (I.A.4)."""
    root = _root(cms_raw / "2026-04" / "icd10cm-drug-April-1-2026-XML.xml.gz")
    carbon = next(m for m in _main_terms(root) if _bare(m) == "Carbon")
    gas = _under(_under(carbon, "monoxide"), "utility gas")
    printed = _cells(gas)[0]
    assert len(printed.replace(".", "")) == 5
    code = icd10cm.drug("Carbon > monoxide > utility gas", "accidental", release="2026-04")
    assert code.printed == printed
    full = f"{printed}XA"
    assert icd10cm.validate(full, release="2026-04").is_valid
    assert f"{full} (initial encounter)" in code.advice
    assert code.advice.endswith(f"gives {full}")
    assert f"{printed}A " not in code.advice


def test_drug_follows_a_reference_as_printed(cms_raw: Path) -> None:
    root = _root(cms_raw / "2025" / "icd10cm_drug_2025.xml.gz")
    reference = "Carbon, monoxide, fuel, utility"
    assert any((see.text or "").strip() == reference for see in root.iter("see"))
    carbon = next(m for m in _main_terms(root) if _bare(m) == "Carbon")
    utility = _under(_under(_under(carbon, "monoxide"), "fuel"), "utility")
    row = icd10cm.drug_row(reference, release="2025")
    assert row.path == ("Carbon", _title(_under(carbon, "monoxide")),
                        _title(_under(_under(carbon, "monoxide"), "fuel")), "utility")
    assert row.cells == _cells(utility)
    # and a path with the parts of the reference as steps
    assert icd10cm.drug_row("Carbon > monoxide > fuel > utility", release="2025") == row


def test_an_ambiguous_reference_is_refused_not_guessed() -> None:
    with pytest.raises(icd10cm.AmbiguousTableTermError, match="Carbamate"):
        icd10cm.drug_row("Carbamate", release="2025")


# --- the Neoplasm Table: its see also references and comma-separated forms -------------


@pytest.mark.parametrize(("reference", "steps"), [
    ("Neoplasm, skin, ear", ("skin NOS", "ear")),
    ("Neoplasm, abdomen, wall, skin", ("abdomen, abdominal", "wall", "skin")),
    ("Neoplasm, sinus", ("sinus",)),
])
def test_neoplasm_follows_the_tables_own_references(
    cms_raw: Path, reference: str, steps: tuple[str, ...]
) -> None:
    root = _root(cms_raw / "2025" / "icd10cm_neoplasm_2025.xml")
    printed = {(ref.text or "").strip() for tag in ("see", "seeAlso") for ref in root.iter(tag)}
    assert reference in printed
    (main,) = _main_terms(root)
    term = main
    for step in steps:
        term = _under(term, step)
    row = icd10cm.neoplasm_row(reference, release="2025")
    assert row.cells == _cells(term)
    assert row.path[-1] == _title(term)
    # the same row, its levels joined with ">" and named by their first form, no NOS
    assert icd10cm.neoplasm_row(" > ".join(s.split(",")[0].removesuffix(" NOS")
                                           for s in steps), release="2025") == row


# --- the Alphabetic Index: a main term named by its first form -------------------------


def _index_main_terms(cms_raw: Path, until: str) -> list[ET.Element]:
    """The main terms of the FY2023 index up to the one whose title starts with *until*."""
    found = []
    with gzip.open(cms_raw / "2023" / "icd10cm_index_2023.xml.gz") as file:
        for _, element in ET.iterparse(file):
            if element.tag == "mainTerm":
                found.append(element)
                if _title(element).startswith(until):
                    break
    return found


def test_index_lookup_names_a_main_term_by_its_first_form(cms_raw: Path) -> None:
    mains = _index_main_terms(cms_raw, "Diabetes, diabetic")
    diabetes = mains[-1]
    assert [m for m in mains if _bare(m).split(",")[0] == "Diabetes"] == [diabetes]
    ulcer = _under(_under(diabetes, "with"), "foot ulcer")
    term = icd10cm.index_lookup("Diabetes", "with", "foot ulcer", release="2023")
    assert term.path[0] == "Diabetes, diabetic"
    assert term.code == ulcer.findtext("code")
    assert icd10cm.index_lookup("diabetes", release="2023").code == diabetes.findtext("code")


@pytest.mark.slow
def test_index_lookup_of_a_form_of_several_main_terms_lists_them(cms_raw: Path) -> None:
    mains = _index_main_terms(cms_raw, "Fracture, traumatic")
    fractures = [_bare(m) for m in mains if _bare(m).split(",")[0] == "Fracture"]
    assert len(fractures) > 1 and "Fracture, traumatic" in fractures
    with pytest.raises(icd10cm.UnknownIndexTermError) as raised:
        icd10cm.index_lookup("Fracture", "radius", release="2023")
    assert raised.value.suggestions[:len(fractures)] == tuple(fractures)


# --- the command line prints every subterm's manifestation code -----------------------


def test_cli_index_prints_the_manifestation_of_subterms(
    cms_raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (amyloidosis,) = [m for m in _index_main_terms(cms_raw, "Amyloidosis")
                      if _bare(m) == "Amyloidosis"]
    paired = [t for t in amyloidosis.findall("term") if t.find("manif") is not None]
    assert paired
    assert main(["index", "Amyloidosis", "--release", "2023"]) == 0
    out = capsys.readouterr().out
    for term in paired:  # etiology first, the manifestation in brackets after it
        assert f"    {_bare(term)} - {term.findtext('code')} [{term.findtext('manif')}]\n" in out


def test_cli_drug_lists_the_subterms_of_a_heading(
    cms_raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _root(cms_raw / "2025" / "icd10cm_drug_2025.xml.gz")
    carbon = next(m for m in _main_terms(root) if _bare(m) == "Carbon")
    assert not any(_cells(carbon))  # a heading: its codes are on its subterms
    assert main(["drug", "Carbon", "--release", "2025"]) == 0
    out = capsys.readouterr().out
    subterms = [_title(term) for term in carbon.findall("term")]
    assert f"subterms ({len(subterms)}):" in out
    for title in subterms:
        assert f"\n      {title}\n" in out
