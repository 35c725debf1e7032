"""The index reader and the search data build: on small inline XML, and against the
official files (the bundled data has every main term and term of each index file)."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest

from icd10cm.errors import SourceFileError
from icd10cm.index import data_format
from icd10cm.index.data_format import decode_postings, encode_postings, essential_title
from icd10cm.index.words import query_words, stem, words
from icd10cm.official.safe_xml import parse_xml
from icd10cm.releases.table_format import decode_table
from icd10cm_build.index import IndexRow, index_layout, parse_index
from icd10cm_build.index_tree import tidy_index
from icd10cm_build.search_data import corpus_files
from icd10cm_build.see_refs import resolve_references

MINI = b"""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index>
  <version>2099</version>
  <title>ICD-10-CM INDEX TO DISEASES and INJURIES</title>
  <letter>
    <title>A</title>
    <mainTerm>
      <title>Abasia<nemod>(-astasia) (hysterical)</nemod></title>
      <code>F44.4</code>
    </mainTerm>
    <mainTerm>
      <title>Abdominalgia</title>
      <see>Pain, abdominal</see>
    </mainTerm>
    <mainTerm>
      <title>Abandonment<nemod>(with intent to injure)</nemod> NEC</title>
      <seeAlso>Maltreatment</seeAlso>
      <code>X58</code>
      <term level="1">
        <title>heart</title>
        <code>E85.4</code>
        <manif>I43</manif>
        <term level="2">
          <title>cerebral</title>
          <seecat>M01</seecat>
        </term>
      </term>
      <term level="1">
        <title>acoustic</title>
        <subcat>H93.3</subcat>
      </term>
    </mainTerm>
  </letter>
</ICD10CM.index>
"""


def _parse(data: bytes) -> tuple[IndexRow, ...]:
    return parse_index(parse_xml(data, "mini.xml"), "mini.xml")


def test_parse_index_reads_every_field() -> None:
    rows = _parse(MINI)
    assert rows == (
        IndexRow(0, "Abasia (-astasia) (hysterical)", "(-astasia) (hysterical)", "F44.4"),
        IndexRow(0, "Abdominalgia", see="Pain, abdominal"),
        IndexRow(0, "Abandonment (with intent to injure) NEC", "(with intent to injure)",
                 code="X58", see_also="Maltreatment"),
        IndexRow(1, "heart", code="E85.4", manif="I43"),
        IndexRow(2, "cerebral", see_category="M01"),
        IndexRow(1, "acoustic", see_category="H93.3"),
    )
    assert essential_title(rows[2].text) == "Abandonment NEC"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b"<code>F44.4</code>", b"<code>F44.4</code><cell col='2'>x</cell>", "unexpected <cell>"),
        (b'<term level="2">', b'<term level="3">', "level '3' where level 2"),
        (b"<code>X58</code>", b"<code>X58</code><code>X59</code>", "repeated <code>"),
        (b"<see>Pain, abdominal</see>", b"<see>Pain, abdominal</see> stray",
         "unexpected text"),
        (b"<title>Abdominalgia</title>", b"<title>Abd<b>x</b></title>", "unexpected <b>"),
        (b"<manif>I43</manif>", b"<manif></manif>", "empty <manif>"),
        (b"<letter>", b"<letter><mainTerm><title>x</title></mainTerm><bad/>",
         "unexpected <bad>"),
    ],
)
def test_parse_index_refuses_what_it_does_not_know(old: bytes, new: bytes,
                                                    problem: str) -> None:
    assert old in MINI
    with pytest.raises(SourceFileError, match=problem):
        _parse(MINI.replace(old, new, 1))


def test_parse_index_refuses_an_empty_index() -> None:
    with pytest.raises(SourceFileError, match="no main terms"):
        _parse(b"<ICD10CM.index><version>1</version></ICD10CM.index>")
    with pytest.raises(SourceFileError, match="root element"):
        _parse(b"<ICD10CM.tabular/>")


def test_layout_spans_sizes_and_path_ids() -> None:
    rows = _parse(MINI)
    layout = index_layout(rows)
    spans = [int(row[9]) for row in layout]
    sizes = [int(row[10]) for row in layout]
    assert spans == [0, 0, 3, 1, 0, 0]
    # essential words from the main term down (modifiers and "NEC" not counted)
    assert sizes == [1, 1, 1, 2, 3, 2]
    assert len({row[11] for row in layout}) == len(layout)
    comma = index_layout((IndexRow(0, "Fracture, traumatic"), IndexRow(1, "radius"),
                          IndexRow(1, "wrist", "", "S62.10-", "")))
    assert [row[10] for row in comma] == ["1", "2", "2"]  # a main term's first comma part
    # the same term again under the same parent, with another code: both are kept
    twice = index_layout((*rows, attrs.evolve(rows[3], code="E85.3")))
    assert twice[-1][11] == twice[3][11] + "#2"
    assert [row[8] for row in layout] == [""] * 6  # no reference names a term here
    referring = index_layout((IndexRow(0, "Abdominalgia", see="Pain, abdominal"),
                              IndexRow(0, "Pain (s)"), IndexRow(1, "abdominal", code="R10.9")))
    assert [row[8] for row in referring] == ["Pain (s) > abdominal", "", ""]


def test_corpus_files_are_deterministic_and_decode() -> None:
    layout = index_layout(_parse(MINI))
    per_release = {"2099": layout, "2098": layout[:2]}
    files = corpus_files("index", per_release, lambda row: row[1])
    assert files == corpus_files("index", per_release, lambda row: row[1])
    table = decode_table(files["index.table"])
    assert table.rows("2098") == [0, 1]
    assert table.rows("2099") == list(range(6))
    postings = json.loads(files["index-words.json"])
    assert postings["rows"] == 6
    assert decode_postings(postings["words"][stem("hysterical")]) == [0]  # a modifier's word
    assert decode_postings(postings["modifiers"][stem("hysterical")]) == [0]
    assert decode_postings(postings["words"]["heart"]) == [3]
    assert "heart" not in postings["modifiers"]


def test_words_fold_case_accents_and_linking_words() -> None:
    assert words("Sézary's DISEASES of the lower end") == words("sezary disease lower END")
    assert query_words("Fractures fracture of RADIUS") == {stem("fracture"): "fractures",
                                                           stem("radius"): "radius"}
    assert encode_postings([3, 5, 9]) == "3 2 4"
    assert decode_postings("3 2 4") == [3, 5, 9]


@pytest.mark.parametrize(
    "forms",
    [
        # the pairs, then forms that the index and the tabular print side by side
        ("diabetes", "diabetic"),
        ("fell", "fall", "falls", "falling", "fallen"),
        ("fracture", "fractures", "fractured"),
        ("injury", "injuries", "injured"),
        ("vertebra", "vertebrae"),
        ("infection", "infected", "infective", "infectious", "infections"),
        ("hypertension", "hypertensive"),
        ("pregnancy", "pregnant"),
        ("ulcer", "ulcers", "ulcerated", "ulceration", "ulcerative"),
        ("inflammation", "inflamed", "inflammatory"),
        ("allergy", "allergic", "allergies"),
        ("asthma", "asthmatic"),
        ("complication", "complicated", "complicating"),
        ("malignancy", "malignant"),
        ("deficiency", "deficient"),
        ("toxic", "toxicity"),
        ("kidney", "kidneys"),
        ("bitten", "bite", "bites"),
        ("teeth", "tooth"),
    ],
)
def test_stemming_meets_word_forms(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("cornea", "corn"), ("malaria", "malar"), ("septic", "septal"), ("partial", "part"),
        ("arthritis", "arthrosis"), ("painless", "pain"), ("complication", "complement"),
    ],
)
def test_stemming_keeps_different_words_apart(one: str, other: str) -> None:
    assert words(one) != words(other)


@pytest.mark.parametrize(
    ("printed", "essential", "modifiers"),
    [  # titles of the official index files (EDGE_CASES in the search research)
        ("and (on) chronic (congestive)", "and chronic", "(on) (congestive)"),
        ("Long-term (current) (prophylactic) drug therapy (use of)", "Long-term drug therapy",
         "(current) (prophylactic) (use of)"),
        ("Amnes (t)ic syndrome (post-traumatic)", "Amnesic syndrome", "(t) (post-traumatic)"),
        ("hantavirus (cardio)-pulmonary (HPS) (HCPS)", "hantavirus-pulmonary",
         "(cardio) (HPS) (HCPS)"),
        ("Dementia (degenerative (primary)) (old age) (persisting)", "Dementia",
         "(degenerative (primary)) (old age) (persisting)"),
        ("Achromat (ism), achromatopsia (acquired) (congenital)", "Achromat, achromatopsia",
         "(ism) (acquired) (congenital)"),
        ("stage 5 chronic kidney disease (CKD) or end stage renal disease (ESRD)",
         "stage 5 chronic kidney disease or end stage renal disease", "(CKD) (ESRD)"),
        ("Sin Nombre virus disease (Hantavirus) (cardio)-pulmonary syndrome)",
         "Sin Nombre virus disease-pulmonary syndrome", "(Hantavirus) (cardio)"),
        ("(taser)", "(taser)", "(taser)"),
        ("Abandonment (with intent to injure) NEC", "Abandonment NEC",
         "(with intent to injure)"),
    ],
)
def test_essential_title_drops_every_parenthesised_group(printed: str, essential: str,
                                                          modifiers: str) -> None:
    assert essential_title(printed) == essential
    assert data_format.modifiers(printed) == modifiers


# --- the tree as the book shows it: notes holding subterms, duplicate siblings ----------


def test_a_note_holding_subterms_moves_under_its_preceding_sibling() -> None:
    """FY2020/FY2023: "Failure, failed > Note: heart failure stages ..." holds systolic and
    the stages, which the book prints under "heart"."""
    rows = (IndexRow(0, "Failure, failed"), IndexRow(1, "heart", code="I50.9"),
            IndexRow(2, "diastolic", code="I50.30"), IndexRow(1, "Note: heart failure stages"),
            IndexRow(2, "systolic", code="I50.20"), IndexRow(2, "stage D", code="I50.84"),
            IndexRow(1, "hepatic", code="K72.90"), IndexRow(1, "Note: a note alone"))
    tidied = tidy_index(rows)
    assert [(row.level, row.text) for row in tidied.rows] == [
        (0, "Failure, failed"), (1, "heart"), (2, "diastolic"),
        (2, "Note: heart failure stages"), (2, "systolic"), (2, "stage D"), (1, "hepatic"),
        (1, "Note: a note alone")]
    assert tidied.notes_moved == ("Failure, failed > Note: heart failure stages",)


def test_duplicate_siblings_merge_unless_they_differ() -> None:
    """The kinds of EDGE_CASES section 3: a split entry (Misadventure > medical care),
    titles that differ in case (anti-c, anti-C), and the same title with another code
    (opioid-induced > anxiety disorder)."""
    rows = (IndexRow(0, "Misadventure (of)"),
            IndexRow(1, "medical care (early) (late)", code="T88.9"),
            IndexRow(2, "adverse effect of drugs or chemicals", see="Table of Drugs"),
            IndexRow(1, "medical care (early) (late)"),
            IndexRow(2, "burn or scald", see="Burn"), IndexRow(2, "specified NEC", code="T88.8"),
            IndexRow(1, "anti-c sensitization", code="O36.09-"),
            IndexRow(1, "anti-C sensitization", code="O36.09-"),
            IndexRow(1, "anxiety disorder", code="F11.288"),
            IndexRow(1, "anxiety disorder", code="F11.988"))
    tidied = tidy_index(rows)
    assert [(row.level, row.text, row.code) for row in tidied.rows] == [
        (0, "Misadventure (of)", ""), (1, "medical care (early) (late)", "T88.9"),
        (2, "adverse effect of drugs or chemicals", ""), (2, "burn or scald", ""),
        (2, "specified NEC", "T88.8"), (1, "anti-c sensitization", "O36.09-"),
        (1, "anti-C sensitization", "O36.09-"), (1, "anxiety disorder", "F11.288"),
        (1, "anxiety disorder", "F11.988")]
    assert tidied.merged == ("Misadventure (of) > medical care (early) (late)",)


def _targets(rows: tuple[IndexRow, ...]) -> dict[str, str]:
    resolved = resolve_references(rows).targets
    return {row.text: target for row, target in zip(rows, resolved, strict=True)
            if row.see or row.see_also}


def test_references_resolve_to_the_terms_they_name() -> None:
    """The forms of the official files (FY2023 index): a main term named by its first
    comma part, subterms by a form ("myocardium" for "myocardium, myocardial"), a
    phrase split over a main term and a subterm ("Otitis media"), an instruction
    skipped ("by site"), lower case, and references that name no term."""
    rows = (
        IndexRow(0, "Attack, attacks"), IndexRow(1, "heart", see="infarct, myocardium"),
        IndexRow(0, "Broken"), IndexRow(1, "bone", see="Fracture"),
        IndexRow(0, "Earache", see_category="H92.0"),
        IndexRow(0, "Fracture, pathological (pathologic)", code="M84.40"),
        IndexRow(1, "hip", code="M84.459"),
        IndexRow(0, "Fracture, traumatic (abduction) (adduction) (separation)", code="T14.8"),
        IndexRow(1, "femur, femoral", code="S72.9-"), IndexRow(2, "neck", code="S72.00-"),
        IndexRow(1, "hip", see="Fracture, femur, neck"),
        IndexRow(1, "multiple", see="Fracture, by site"),
        IndexRow(0, "Infarct, infarction"),
        IndexRow(1, "myocardium, myocardial (acute)", code="I21.9"),
        IndexRow(0, "Infection, infected, infective"),
        IndexRow(1, "ear (middle)", see_also="Otitis media"),
        IndexRow(1, "with drug resistant organism", see="Resistance (to), drug"),
        IndexRow(0, "Otitis (acute)", code="H66.90"), IndexRow(1, "media", code="H66.9-"),
        IndexRow(0, "Stroke", code="I63.9"), IndexRow(1, "cryptogenic", code="I63.9",
                                                      see_also="infarction, cerebral"),
        IndexRow(0, "Wrist", see="condition"),
        IndexRow(0, "Poisoning", see="Table of Drugs and Chemicals"),
        IndexRow(0, "Lightning", see="category T75.0"),
    )
    assert _targets(rows) == {
        "heart": "Infarct, infarction > myocardium, myocardial (acute)",
        "bone": "Fracture, traumatic (abduction) (adduction) (separation)",
        "hip": "Fracture, traumatic (abduction) (adduction) (separation) > femur, femoral > neck",
        "multiple": "Fracture, traumatic (abduction) (adduction) (separation)",
        "ear (middle)": "Otitis (acute) > media",
        "with drug resistant organism": "",  # no "Resistance" main term here
        "cryptogenic": "",  # it has a code: nothing to follow
        "Wrist": "", "Poisoning": "", "Lightning": "",
    }
    assert resolve_references(rows).unresolved == (
        "Infection, infected, infective > with drug resistant organism: "
        "Resistance (to), drug",)


def _raw_root(path: Path) -> ET.Element:
    data = path.read_bytes()
    return ET.fromstring(gzip.decompress(data) if path.suffix == ".gz" else data)


def _raw_merges(siblings: list[ET.Element]) -> int:
    """How many duplicate siblings merge, by the rule of EDGE_CASES section 3 (same
    printed title, case included; no field that both give differently), worked out
    here on the raw XML elements, recursively through the merged children."""
    def title(term: ET.Element) -> str:
        return " ".join("".join(term.find("title").itertext()).split())  # type: ignore[union-attr]

    def fields(term: ET.Element) -> dict[str, str]:
        return {("seecat" if child.tag == "subcat" else child.tag): " ".join(
            (child.text or "").split()) for child in term if child.tag not in ("title", "term")}

    kept: list[tuple[dict[str, str], list[ET.Element]]] = []
    by_title: dict[str, list[tuple[dict[str, str], list[ET.Element]]]] = {}
    merged = 0
    for term in siblings:
        mine = fields(term)
        for theirs, children in by_title.get(title(term), ()):
            if all(theirs.get(name, value) == value for name, value in mine.items()):
                theirs.update(mine)
                children += term.findall("term")
                merged += 1
                break
        else:
            entry = (mine, term.findall("term"))
            kept.append(entry)
            by_title.setdefault(title(term), []).append(entry)
    return merged + sum(_raw_merges(children) for _, children in kept)


@pytest.mark.slow
def test_bundled_indexes_have_every_term_of_the_official_files(cms_raw: Path) -> None:
    """Every main term and term of each official index file is bundled, but for the
    duplicate siblings merged (counted here from the raw XML); the counts of the
    Alphabetic Index files are those the search research found by hand (EDGE_CASES
    section 3: Misadventure > medical care in every file, E. coli > O157:H7 in 2016 to
    2020, Tumor > stromal > gastrointestinal > large intestine in 2017)."""
    import icd10cm
    from icd10cm.index.corpus import IndexView, release_corpus

    merged_alphabetic = {}
    checked = 0
    for info in icd10cm.available_releases():
        for source in info.sources:
            if source.role not in ("index", "eindex"):
                continue
            root = _raw_root(cms_raw / source.file)
            mains = list(root.iter("mainTerm"))
            terms = sum(1 for _ in root.iter("term"))
            merged = _raw_merges(mains)
            view = IndexView(release_corpus(source.role, info.id))
            levels = [view.level(p) for p in range(len(view))]
            assert levels.count(0) == len(mains), (info.id, source.file)  # none merged
            assert len(levels) == len(mains) + terms - merged, (info.id, source.file)
            if source.role == "index":
                merged_alphabetic[info.id] = merged
            else:
                assert merged == 0, (info.id, source.file)
            checked += 1
    assert checked == 14  # 4 Alphabetic Indexes and 10 External Cause Indexes
    assert merged_alphabetic == {"2016": 2, "2017": 3, "2020": 2, "2023": 1}


@pytest.mark.slow
@pytest.mark.parametrize("release", ["2016", "2017", "2020", "2023"])
def test_heart_failure_subterms_sit_under_heart(release: str) -> None:
    """The 2020 and 2023 files put systolic and the stages A to D under a "Note:" term
    next to "heart"; the book, and the bundled index, print them under "heart"."""
    import icd10cm

    heart = icd10cm.index_lookup("Failure, failed", "heart", release=release)
    titles = [child.title for child in heart.children]
    assert "systolic" in titles and "diastolic" in titles
    assert heart.child("systolic").child("acute").child("and chronic").code == "I50.23"
    notes = [title for title in titles if title.startswith("Note:")]
    assert len(notes) == (1 if release in ("2020", "2023") else 0)
    if notes:
        assert heart.child("stage D").code == "I50.84"
