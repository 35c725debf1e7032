"""Releases without a part of their own use the nearest release's, and say so.

The expected sources below were worked out by hand from the coverage table of the
official files (cms-raw/README.md) and the rule of the notes-and-index issue: the
release's own file; else a release of the same fiscal year; else the nearest
earlier release; else the nearest later one.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import attrs
import pytest

import icd10cm
from icd10cm import Part
from icd10cm.core.notes import NoteKind
from icd10cm.releases.borrowing import nearest_source

N, IX, E, D, P, X = (Part.NOTES, Part.INDEX, Part.EINDEX, Part.DRUG, Part.NEOPLASM,
                     Part.POA_EXEMPT)

#: release -> {part: the release it borrows the part from}; a part not listed is its own.
EXPECTED = {
    "2016": {},
    "2017": {},
    "2018": {N: "2017", IX: "2017", E: "2017", D: "2017", P: "2017"},
    "2019": {N: "2017", IX: "2017"},
    "2020": {},
    "2020-04": {IX: "2020", E: "2020", D: "2020", P: "2020", X: "2020"},
    "2021": {IX: "2020"},
    "2021-01": {IX: "2020", E: "2021", D: "2021", P: "2021"},
    "2022": {N: "2021-01", IX: "2020", E: "2022-04", D: "2022-04", P: "2022-04"},
    "2022-04": {N: "2021-01", IX: "2020"},
    "2023": {E: "2023-04", D: "2023-04", P: "2023-04"},
    "2023-04": {N: "2023", IX: "2023"},
    "2024": {N: "2023", IX: "2023", E: "2023-04", D: "2024-04", P: "2023-04"},
    "2024-04": {N: "2023", IX: "2023", E: "2023-04", P: "2023-04", X: "2024"},
    "2025": {IX: "2023"},
    "2025-04": {IX: "2023", X: "2025"},
    "2026": {N: "2026-04", IX: "2023", E: "2026-04", D: "2026-04", P: "2026-04"},
    "2026-04": {IX: "2023", X: "2026"},
    "2027": {N: "2026-04", IX: "2023", E: "2026-04", D: "2026-04", P: "2026-04", X: "2026"},
}


@pytest.mark.slow
def test_every_release_borrows_exactly_what_the_rule_says() -> None:
    infos = icd10cm.available_releases()
    assert [info.id for info in infos] == list(EXPECTED)
    for info in infos:
        assert dict(info.borrowed) == EXPECTED[info.id], info.id
        for part in (N, IX, E, D, P, X):
            source = info.source_of(part)
            assert source == EXPECTED[info.id].get(part, info.id), (info.id, part)
            assert part in icd10cm.load_release(source).info.parts  # a lender has its own
            assert (part in info.parts) == (part not in info.borrowed)


def test_the_examples_of_the_issue() -> None:
    fy2027 = icd10cm.load_release("2027").info
    assert fy2027.borrowed[Part.NOTES] == "2026-04" and fy2027.notes_from == "2026-04"
    assert fy2027.borrowed[Part.INDEX] == "2023"
    assert icd10cm.load_release("2026").info.borrowed[Part.NOTES] == "2026-04"
    assert icd10cm.load_release("2024").info.borrowed[Part.NOTES] == "2023"


def test_the_rule_prefers_the_same_fiscal_year_then_earlier_then_later() -> None:
    infos = {info.id: info for info in icd10cm.available_releases()}
    candidates = [infos[i] for i in ("2016", "2017", "2019", "2020", "2021")]
    # FY2018 lies between 2017 and 2019: the earlier wins at equal distance and beyond
    assert nearest_source(infos["2018"], Part.DRUG, candidates) is infos["2017"]
    # 2020-04 takes FY2020 (its own fiscal year) over 2021, which is 6 months closer
    assert nearest_source(infos["2020-04"], Part.DRUG, candidates) is infos["2020"]
    # with nothing earlier, the nearest later
    bare = attrs.evolve(infos["2016"], parts=frozenset({Part.ORDER}))
    assert nearest_source(bare, Part.POA_EXEMPT, [infos["2019"], infos["2017"]]) \
        is infos["2017"]
    assert nearest_source(bare, Part.POA_EXEMPT, []) is None
    assert nearest_source(infos["2016"], Part.POA_EXEMPT, []) is infos["2016"]  # its own


# --- POA-exempt lists ----------------------------------------------------------------


def _codes_column(path: Path) -> list[str]:
    """The code column of a POA-exempt file (found by its heading, which varies)."""
    data = path.read_bytes()
    lines = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
    header, *rows = lines.splitlines()
    (column,) = [n for n, name in enumerate(header.split("\t"))
                 if name.lower().endswith("code")]
    return [row.split("\t")[column] for row in rows if row]


def _official_list(cms_raw: Path, release: str) -> list[str] | None:
    files = sorted((cms_raw / release).glob("POAexemptCodes*"))
    if not files:
        return None
    (path,) = files
    return _codes_column(path)


@pytest.mark.slow
@pytest.mark.cms_raw
def test_poa_exempt_lists_equal_the_official_files(cms_raw: Path) -> None:
    for info in icd10cm.available_releases():
        official = _official_list(cms_raw, info.id)
        assert (official is not None) == (Part.POA_EXEMPT in info.parts), info.id
        listed = icd10cm.poa_exempt_list(release=info.id)
        source = info.source_of(Part.POA_EXEMPT)
        assert listed.source_release == source and listed.release == info.id
        expected = _official_list(cms_raw, source) if source is not None else None
        assert expected is not None and listed.codes == frozenset(expected), info.id
        release = icd10cm.load_release(info.id)
        absent = {code for code in listed.codes if code not in release}
        # every list names codes of its own release only; a borrowed list may name codes
        # that the borrowing release deleted, and says which
        assert absent == listed.not_in_release, info.id
        assert not absent or listed.borrowed, info.id
    # FY2027 deleted S23.420- and T52.8X- (its order addenda), which FY2026's list names
    stale = icd10cm.poa_exempt_list(release="2027").not_in_release
    assert stale and all(code.startswith(("S23.420", "T52.8X")) for code in stale)


@pytest.mark.slow
@pytest.mark.cms_raw
def test_poa_exempt_add_and_delete_files_are_the_change_from_the_previous_list(
    cms_raw: Path,
) -> None:
    checked = 0
    previous: frozenset[str] | None = None
    for info in icd10cm.available_releases():
        if Part.POA_EXEMPT not in info.parts:
            continue
        current = icd10cm.poa_exempt_list(release=info.id).codes
        folder = cms_raw / info.id
        adds = list(folder.glob("POAexemptAdd*"))
        deletes = list(folder.glob("POAexemptDel*"))
        if previous is not None and adds and deletes:
            added = set(_codes_column(adds[0]))
            deleted = set(_codes_column(deletes[0]))
            assert current - previous == added, info.id
            # The FY2019 delete file also names Z04.8, which the FY2018 list did not have.
            unlisted = {"Z04.8"} if info.id == "2019" else set()
            assert previous - current == deleted - unlisted, info.id
            checked += 1
        previous = current
    assert checked >= 10


def test_poa_exempt_list_api() -> None:
    fy2025 = icd10cm.poa_exempt_list(release="2025")
    assert (fy2025.release, fy2025.source_release, fy2025.borrowed) == ("2025", "2025", False)
    assert len(fy2025) == 38154  # ReadMePOAexemptFY25.txt: "(38,154 codes)"
    # Appendix I's categories exempt from POA reporting include Z37 (outcome of delivery)
    assert "Z37.0" in fy2025 and "Z370" in fy2025 and fy2025.codes >= {"Z37.0", "Z37.1"}
    assert "E11.9" not in fy2025 and 42 not in fy2025
    assert icd10cm.load_release("2025")["Z37.0"] in fy2025
    fy2027 = icd10cm.poa_exempt_list(date_of_service="2026-12-01")
    assert (fy2027.release, fy2027.source_release, fy2027.borrowed) == ("2027", "2026", True)
    assert "nearest" in str(fy2027)
    with pytest.raises(icd10cm.PoaExemptUnavailableError) as error:
        icd10cm.poa_exempt_list(release="2027", own_data_only=True)
    assert error.value.nearest == ("2026",)
    assert "own_data_only=True" in str(error.value)


def _order_codes(path: Path) -> set[str]:
    """The dotted codes of an order file (code in columns 7-13), read independently."""
    lines = gzip.decompress(path.read_bytes()).decode("ascii").split("\r\n")
    codes = {line[6:13].strip() for line in lines if line}
    return {code if len(code) <= 3 else f"{code[:3]}.{code[3:]}" for code in codes}


@pytest.mark.cms_raw
def test_a_borrowed_poa_list_does_not_judge_the_codes_new_since_its_release(
    cms_raw: Path,
) -> None:
    """FY2027 has no POA-exempt file (cms-raw/2027) and borrows FY2026's. Codes new in
    FY2027 are on no list we have: FY2026's list is silent about them, which does not
    mean they are not exempt. Q87.A (Loeys-Dietz syndrome) is one; Appendix I: "Assign
    'Y' for congenital conditions and anomalies except for categories Q00-Q99,
    Congenital anomalies, which are on the exempt list." """
    new = _order_codes(cms_raw / "2027" / "icd10cm_order_2027.txt.gz") - _order_codes(
        cms_raw / "2026" / "icd10cm_order_2026.txt.gz")
    assert "Q87.A" in new and len(new) > 100
    fy2027 = icd10cm.poa_exempt_list(release="2027")
    assert fy2027.not_in_source == new
    assert not fy2027.judges("Q87.A") and not fy2027.judges("q87a")
    assert fy2027.judges("Q87.40") and "Q87.40" in fy2027  # in FY2026 and on its list
    assert not icd10cm.poa_exempt_list(release="2026").not_in_source  # its own list
    for indicators in ([None, None], ["Y", "1"], ["Y", "Y"]):
        encounter = icd10cm.Encounter.from_codes(
            ["I10", "Q87.A"], setting="inpatient", release="2027",
            present_on_admission=indicators)
        found = [(f.rule, f.positions, str(f.severity), f.source_release)
                 for f in icd10cm.check(encounter) if f.rule.startswith("Appendix-I")]
        expected = [("Appendix-I/poa-exempt-unknown", (1,), "info", "2026")]
        if indicators[0] is None:  # I10 is a code of FY2026, not on its list
            expected.insert(0, ("Appendix-I/poa-missing", (0,), "error", "2026"))
        assert found == expected, indicators


# --- notes: where each sits, and what the nearest release's notes cite -----------------


def test_notes_for_walks_the_code_its_ancestors_its_block_and_its_chapter() -> None:
    release = icd10cm.load_release("2025")
    # Chapter 1 (A00-B99) prints "Use additional code to identify resistance to
    # antimicrobial drugs (Z16.-)"; A00.0 inherits it.
    extra = release.notes_for("A00.0", kinds=[icd10cm.NoteKind.USE_ADDITIONAL_CODE])
    assert [(n.node, n.where) for n in extra] == [("chapter:1", "chapter 1")]
    assert "(Z16.-)" in extra[0].text
    assert release.notes_for("A00.0", inherited=False) == release.notes_at("A00.0")
    nodes = [n.node for n in release.notes_for("E11.9")]
    order = ["E11.9", "E11", "block:E08-E13", "chapter:4"]
    present = [node for node in order if node in nodes]
    assert present == sorted(present, key=order.index)  # nearest first
    assert nodes.index("E11") < nodes.index("chapter:4")
    # Code.notes holds the same notes, broadest first
    assert release["S52.521A"].notes == tuple(reversed([
        note for node in release.note_nodes("S52.521A")
        for note in reversed(release.notes_at(node))]))
    with pytest.raises(KeyError, match=r"E11\.99"):
        release.notes_for("E11.99")


def test_borrowed_notes_name_the_codes_they_cite_that_changed() -> None:
    """FY2027 made D69.1, I42.0 and M72.2 headers (its order addenda); the April 2026
    Tabular List that FY2027 uses still cites them as codes."""
    fy2027 = icd10cm.load_release("2027")
    (note,) = [n for n in fy2027.notes_at("M72.8") if "(M72.2)" in n.text]
    assert note.source_release == "2026-04" and note.kind is icd10cm.NoteKind.EXCLUDES1
    (problem,) = note.reference_problems
    assert "M72.2 is a header in ICD-10-CM FY2027" in problem and "M72.20" in problem
    (own,) = [n for n in icd10cm.load_release("2026-04").notes_at("M72.8")
              if "(M72.2)" in n.text]
    assert own.reference_problems == ()
    # FY2018 uses the FY2017 tabular, which cites T84.040, deleted after FY2016
    (stale,) = [n for n in icd10cm.load_release("2018").notes_at("S72") if "T84.040" in n.text]
    assert any("T84.040 is not a code of ICD-10-CM FY2018: it was deleted after FY2016" in p
               for p in stale.reference_problems)


def test_the_empty_note_line_at_r11_16_is_dropped_and_recorded() -> None:
    release = icd10cm.load_release("2026-04")
    assert all(note.text for note in release.notes_at("R11.16"))
    assert any("R11.16 code_also" in line for line in release.info.provenance)


@pytest.mark.parametrize(("release_id", "kind"), [
    ("2025", NoteKind.SEVENTH_CHARACTER),  # its own tabular
    ("2027", NoteKind.CODE_FIRST),  # a borrowed one: re-checked
])
def test_notes_of_kind_are_the_notes_at_each_node_of_that_kind(
    release_id: str, kind: NoteKind
) -> None:
    icd10cm.clear_cache()
    release = icd10cm.load_release(release_id)
    alone = release.notes_of_kind(kind)  # read before the other notes are loaded
    icd10cm.clear_cache()
    release = icd10cm.load_release(release_id)
    release.notes_at("A00")  # every note loaded
    nodes = list(release.notes_of_kind(kind))
    assert nodes and sorted(nodes) == sorted(alone)
    for node in nodes:
        wanted = tuple(note for note in release.notes_at(node) if note.kind is kind)
        assert alone[node] == wanted == release.notes_of_kind(kind)[node]


@pytest.mark.parametrize("release_id", [
    "2027", "2025", *(pytest.param(r, marks=pytest.mark.slow) for r in ("2024", "2018"))])
def test_seventh_character_meanings_say_whose_tabular_gives_them(
    release_id: str, capsys: pytest.CaptureFixture[str],
) -> None:
    """The characters and codes are the release's own (its order file); the meanings
    of a release without a Tabular List are the lending release's sevenChrDef, and
    every answer that shows them says so."""
    lender = EXPECTED[release_id].get(N)
    whose = (f"The meanings of these 7th characters are those of the Tabular List of "
             f"release {lender}: release {release_id} has no Tabular List of its own.")
    options = icd10cm.seventh_characters("S52.521", release=release_id)
    assert [(o.character, o.code) for o in options] == [
        (c, f"S52.521{c}") for c in "ADGKPS"]  # S52.521A-S52.521S: every order file
    assert {o.source_release for o in options} == {lender}
    for text in ("S52.521", "S52.521Z"):  # missing, then invalid 7th character
        message = icd10cm.validate(text, release=release_id).message
        assert (whose in message) is (lender is not None), message
    with pytest.raises(icd10cm.SeventhCharacterError) as raised:
        icd10cm.add_seventh_character("S52.521", "Z", release=release_id)
    assert (whose in str(raised.value)) is (lender is not None)
    from icd10cm.__main__ import main

    assert main(["lookup", "S52.521", "--release", release_id]) == 0
    sevenths = [line for line in capsys.readouterr().out.splitlines()
                if line.startswith("    7th characters:")]
    suffix = f" (meanings from the {lender} Tabular List)"
    assert len(sevenths) == 1 and sevenths[0].endswith(suffix) is (lender is not None)
    # own_data_only: the meanings are the endings of the release's own titles
    own = icd10cm.seventh_characters("S52.521", release=release_id, own_data_only=True)
    assert [attrs.evolve(o, source_release=None) for o in options] == list(own)
    assert main(["lookup", "S52.521", "--release", release_id, "--own-data-only"]) == 0
    assert "meanings from the" not in capsys.readouterr().out


def test_a_stem_new_since_the_lending_tabular_takes_its_meanings_from_its_titles() -> None:
    # T14.8 is new in FY2018, after FY2017's Tabular List, which FY2018 borrows
    options = icd10cm.seventh_characters("T14.8", release="2018")
    assert [(o.code, o.meaning, o.source_release) for o in options] == [
        ("T14.8XXA", "initial encounter", None), ("T14.8XXD", "subsequent encounter", None),
        ("T14.8XXS", "sequela", None)]
    assert "Tabular List of release" not in icd10cm.validate("T14.8", release="2018").message


def test_a_drug_tables_advice_says_whose_meanings_it_gives() -> None:
    code = icd10cm.drug("Acetaminophen", "accidental", release="2027")
    assert code.code == "T39.1X1" and code.needs_seventh_character
    assert code.advice.endswith(
        "gives T39.1X1A. The meanings of these 7th characters are those of the Tabular List "
        "of release 2026-04: release 2027 has no Tabular List of its own")
    own = icd10cm.drug("Acetaminophen", "accidental", release="2025")
    assert own.advice.endswith("gives T39.1X1A")
