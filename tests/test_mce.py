"""The never-first rules against Medicare's code editor (MCE), a list we did not write.

The MCE lists codes that are unacceptable as principal diagnosis ("Principal
Manifestation", "Principal Unacceptable"). Its lists are payment edits, wider than the
Guidelines (they also refuse, say, most history and status Z codes), so the comparison
runs where the two cover the same ground:

- every MCE manifestation code is flagged as the principal diagnosis of a one-code stay
  (I.A.13: manifestation-first, or code-first-principal for codes whose "Code first"
  note asks for an underlying condition without "classified elsewhere" in their title);
- every MCE "unacceptable" code of the groups the Guidelines bar from first place
  (B95-B97, I.A.13; BMI, I.C.21.c.3; the I.B.14 list; underdosing, I.C.19.e.5.c) is
  flagged, and we flag no code of those groups that the MCE accepts, but for the
  differences listed below with their reasons.

The files are a third-party extraction of the MCE definitions v33-v37 (FY2016-FY2020),
under cms-raw/derived/mce-nlindner (see MANIFEST.tsv).
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from pathlib import Path

import pytest

import icd10cm

pytestmark = pytest.mark.slow

ENCOUNTERS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "encounters.md"

#: MCE definitions version -> the release it edits.
VERSIONS = {33: "2016", 34: "2017", 35: "2018", 36: "2019", 37: "2020"}

MANIFESTATION_RULES = {"I.A.13/manifestation-first", "I.A.13/code-first-principal"}
NEVER_FIRST = {"I.A.13/supplementary-first", "I.C.21.c.3/bmi-first",
               "I.B.14/secondary-only", "I.C.19.e.5.c/underdosing-first"}


def _mce_lists(cms_raw: Path, version: int) -> dict[str, set[str]]:
    """Edit type -> the undotted diagnosis codes of that MCE list."""
    path = cms_raw / "derived" / "mce-nlindner" / f"MCE_Simple_Code_Edits_v{version}.txt.gz"
    lists: dict[str, set[str]] = defaultdict(set)
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = next(lines).rstrip("\n").split("\t")
        kind, code_type, code = (header.index(name) for name in
                                 ("MCE_Edit_Type", "ICD_Code_Type", "ICD_Code"))
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if fields[code_type] == "D":
                lists[fields[kind]].add(fields[code])
    return lists


def _first_rules(release: icd10cm.Release, code: str) -> set[str]:
    """The rules that flag *code* as the principal diagnosis of a stay on its own."""
    encounter = icd10cm.Encounter.from_codes([code], setting="inpatient", release=release)
    return {f.rule for f in icd10cm.check(encounter) if f.positions == (0,)}


def _guideline_group(undotted: str, release: icd10cm.Release) -> bool:
    """Whether the code is in a group the Guidelines bar from first place, read from the
    code's own text: its category, and for T36-T50 the 'Underdosing' of its title."""
    category = undotted[:3]
    if category in ("B95", "B96", "B97", "Z68"):
        return True
    if "T36" <= category <= "T50":
        return release[undotted].title.startswith("Underdosing")
    return False


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_every_mce_manifestation_code_is_flagged_as_principal(
        cms_raw: Path, version: int) -> None:
    release = icd10cm.load_release(VERSIONS[version])
    listed = _mce_lists(cms_raw, version)["Principal_Manifestation"]
    assert len(listed) > 250
    missed = sorted(code for code in listed
                    if code in release and not _first_rules(release, code) & MANIFESTATION_RULES)
    absent = sorted(code for code in listed if code not in release)
    assert not missed, f"MCE v{version} manifestation codes not flagged: {missed}"
    assert not absent, f"MCE v{version} lists codes release {release.id} lacks: {absent}"


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_manifestation_first_agrees_with_the_mce_but_for_charcots_joint(
        cms_raw: Path, version: int) -> None:
    """Every code we bar as a manifestation is on the MCE list, except M14.6-
    (Charcot's joint / neuropathic arthropathy), whose category is "Arthropathies in
    other diseases classified elsewhere": a manifestation by I.A.13's own words ("in
    diseases classified elsewhere" in the title), that the MCE omits."""
    release = icd10cm.load_release(VERSIONS[version])
    listed = _mce_lists(cms_raw, version)["Principal_Manifestation"]
    extra = []
    for code in release.billable_codes():
        text = " ".join([code.title, *(a.title for a in code.ancestors)])
        if "classified elsewhere" in text and code.undotted not in listed and (
                "I.A.13/manifestation-first" in _first_rules(release, code.value)):
            extra.append(code)
    assert extra, "expected M14.6- to differ"
    assert {code.value[:5] for code in extra} == {"M14.6"}, [c.value for c in extra]
    assert {code.category.title for code in extra} == {
        "Arthropathies in other diseases classified elsewhere"}


@pytest.mark.parametrize("version", [35, 36, 37])
def test_never_first_groups_agree_with_the_mce_unacceptable_list(
        cms_raw: Path, version: int) -> None:
    """From v35 (FY2018) on, the MCE refuses B95-B97, BMI, the I.B.14 scales and
    underdosing as principal diagnosis, as the Guidelines do. The two differ only on
    T50.906- and T50.996- (underdosing of unspecified and of other drugs), which the
    MCE omits though their titles say underdosing."""
    release = icd10cm.load_release(VERSIONS[version])
    unacceptable = _mce_lists(cms_raw, version)["Principal_Unacceptable"]
    scales = {code for code in unacceptable
              if code.startswith(("R402", "R297", "Z55", "Z56", "Z57", "Z58", "Z59", "Z60",
                                  "Z61", "Z62", "Z63", "Z64", "Z65"))}
    ours = {code.undotted for code in release.billable_codes()
            if (_guideline_group(code.undotted, release)
                or code.undotted.startswith(("R402", "R297"))
                or "Z55" <= code.undotted[:3] <= "Z65")
            and _first_rules(release, code.value) & NEVER_FIRST}
    theirs = {code for code in unacceptable
              if code in release and _guideline_group(code, release)} | scales
    assert theirs - ours == set(), sorted(theirs - ours)
    assert {code[:5] for code in ours - unacceptable} <= {"T5090", "T5099"}, sorted(
        ours - unacceptable)
    assert len(ours & unacceptable) > 700


def test_the_mce_before_v35_did_not_refuse_infectious_agents_or_underdosing(
        cms_raw: Path) -> None:
    """Why the comparison above starts at v35: v33 and v34 list no B95-B97 or underdosing
    codes as unacceptable principal diagnosis, while the Guidelines (I.A.13,
    I.C.19.e.5.c) bar them in every edition. We follow the Guidelines."""
    for version in (33, 34):
        release = icd10cm.load_release(VERSIONS[version])
        unacceptable = _mce_lists(cms_raw, version)["Principal_Unacceptable"]
        assert not {code for code in unacceptable if code[:3] in ("B95", "B96", "B97")}
        assert "I.A.13/supplementary-first" in _first_rules(release, "B96.20")
        assert "I.C.19.e.5.c/underdosing-first" in _first_rules(release, "T38.3X6A")


def _documented_mce_only(doc: str) -> dict[str, dict[str, int]]:
    """docs/encounters.md's table of the codes only the MCE refuses as principal:
    block -> category -> number of codes."""
    table: dict[str, dict[str, int]] = {}
    section = doc.split("The 1,571 codes that only the MCE refuses", 1)[1]
    for line in section.splitlines():
        if line.startswith("| ") and line[2:5].isalnum() and line[2:5] != "blo":
            block, _, categories = (cell.strip() for cell in line.strip("|").split("|"))
            table[block.split()[0]] = {
                part.split()[0]: int(part.split()[1].strip("()"))
                for part in categories.split(", ")}
        elif table and not line.startswith("|"):
            break
    return table


def test_the_documented_mce_only_codes_are_those_check_lets_be_principal(
        cms_raw: Path) -> None:
    """docs/encounters.md lists, by block and category, the MCE v37 "Principal
    Unacceptable" codes that no never-first rule of ours bars (history and status Z
    codes, adverse effects, ...): recount them from the MCE file and `check`."""
    release = icd10cm.load_release(VERSIONS[37])
    unacceptable = _mce_lists(cms_raw, 37)["Principal_Unacceptable"]
    counted: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code in unacceptable:
        if code in release and not _first_rules(release, code) & (
                MANIFESTATION_RULES | NEVER_FIRST):
            counted[release[code].block.first][code[:3]] += 1
    documented = _documented_mce_only(ENCOUNTERS_PAGE.read_text(encoding="utf-8"))
    assert documented == {block: dict(categories) for block, categories in counted.items()}
    assert sum(sum(c.values()) for c in documented.values()) == 1571


# --- the maternal and newborn records (I.C.15.a.2, MCE "Maternity" and "Newborn") -------


def _maternal_only_rules(release: icd10cm.Release, code: str, newborn: str) -> set[str]:
    encounter = icd10cm.Encounter.from_codes([newborn, code], setting="inpatient",
                                             release=release)
    return {f.rule for f in icd10cm.check(encounter)
            if f.rule == "I.C.15.a.2/maternal-record-only"}


def _tabular_category_notes(cms_raw: Path, file: str, category: str) -> list[str]:
    """The <notes> of a category of a Tabular List, read independently of the library."""
    import xml.etree.ElementTree as ET  # the files are official and trusted here

    data = (cms_raw / file).read_bytes()
    root = ET.fromstring(gzip.decompress(data) if file.endswith(".gz") else data)
    for diag in root.iter("diag"):
        if (diag.findtext("name") or "").strip() == category:
            return [(n.text or "").strip() for n in diag.findall("notes/note")]
    raise AssertionError(f"{category} is not in {file}")


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_maternal_record_codes_are_on_the_mce_maternity_list(
        cms_raw: Path, version: int) -> None:
    """Every code I.C.15.a.2/maternal-record-only keeps off a newborn record (chapter 15,
    Z37 and Z3A) is on the MCE "Maternity" list (ages 9-64), and Z3A, weeks of gestation,
    is among them: the Tabular List says "Codes from category Z3A are for use, only on
    the maternal record" (category Z3A's note, every edition)."""
    release = icd10cm.load_release(VERSIONS[version])
    maternity = _mce_lists(cms_raw, version)["Maternity_Only"]
    tabular = next(s.file for s in icd10cm.load_release("2016").info.sources
                   if s.role == "tabular")
    assert any("only on the maternal record" in note
               for note in _tabular_category_notes(cms_raw, tabular, "Z3A"))
    z3a = [c.undotted for c in release.billable_codes() if c.undotted.startswith("Z3A")]
    assert len(z3a) == 38 and set(z3a) <= maternity
    for code in (*z3a[::9], "O80", "Z370"):
        assert _maternal_only_rules(release, code, "Z38.00"), code
        assert _maternal_only_rules(release, code, "P07.01"), code
    ours = {c.undotted for c in release.billable_codes()
            if c.undotted[0] == "O" or c.undotted[:3] in ("Z37", "Z3A")}
    assert ours <= maternity, sorted(ours - maternity)[:10]
    # what only the MCE keeps to mothers: other pregnancy Z codes (Z32-Z36, Z39), and a
    # few conditions of women of child-bearing age that no note bars from newborns
    others = {code[:3] for code in maternity - ours}
    assert others <= {"Z32", "Z33", "Z34", "Z36", "Z39", "Z03", "Z64", "A34", "M83", "F53",
                      "C58", "D39"}, sorted(others)


@pytest.mark.parametrize("version", [34, 35, 36, 37])
def test_newborn_record_codes_against_the_mce_newborn_list(cms_raw: Path, version: int) -> None:
    """docs/encounters.md: from v34 on, the MCE "Newborn" list holds every Z38 code
    (I.C.16.a.2: "used only on the newborn record"), no chapter 16 code (I.C.16.a.1:
    "Chapter 16 codes may be used throughout the life of the patient"), and age edits
    that no Guidelines rule of ours models."""
    release = icd10cm.load_release(VERSIONS[version])
    newborn = _mce_lists(cms_raw, version)["Newborn_Only"]
    z38 = {c.undotted for c in release.billable_codes() if c.undotted.startswith("Z38")}
    assert len(z38) == 18 and z38 <= newborn
    assert not {code for code in newborn if code.startswith("P")}
    assert {code[:3] for code in newborn - z38} <= {"Z05", "Z00", "H04", "A33", "E84", "N47"}
    if version == 37:  # the figures of docs/encounters.md
        maternity = _mce_lists(cms_raw, version)["Maternity_Only"]
        ours = {c.undotted for c in release.billable_codes()
                if c.undotted[0] == "O" or c.undotted[:3] in ("Z37", "Z3A")}
        assert (len(ours), len(maternity), len(newborn)) == (2324, 2372, 41)
        page = ENCOUNTERS_PAGE.read_text(encoding="utf-8")
        assert "all 2,324 codes" in page and "Maternity list of 2,372" in page
