"""Common clinical abbreviations in search (icd10cm.index.abbreviations).

The expected codes were read from the official files, not from search: each is the
code the FY2023 Alphabetic Index (``icd10cm_index_2023.xml``, the index the latest
release uses) gives for the abbreviation's words, checked against the title of the
code in the FY2027 order file (``icd10cm_order_2027.txt``), which is quoted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import icd10cm
from icd10cm import search
from icd10cm.__main__ import main
from icd10cm.index.abbreviations import ABBREVIATIONS, LEFT_OUT, Expansion, expand
from icd10cm.index.words import fold

# abbreviation -> the code for its words, as FY2027 titles it
EXPECTED = {
    "AFib": "I48.91",  # Unspecified atrial fibrillation
    "A-fib": "I48.91",
    "AFlutter": "I48.92",  # Unspecified atrial flutter
    "A-flutter": "I48.92",
    "VFib": "I49.01",  # Ventricular fibrillation
    "V-fib": "I49.01",
    "SVT": "I47.10",  # Supraventricular tachycardia, unspecified (I47.1 in the FY2023 index)
    "PVC": "I49.3",  # Ventricular premature depolarization
    "CHF": "I50.9",  # Heart failure, unspecified (index: Failure, heart, congestive)
    "HF": "I50.9",
    "HTN": "I10",  # Essential (primary) hypertension
    "CAD": "I25.10",  # Atherosclerotic heart disease of native coronary artery w/o angina
    "MI": "I21.9",  # Acute myocardial infarction, unspecified
    "AMI": "I21.9",
    "CVA": "I63.9",  # Cerebral infarction, unspecified (index: Accident, cerebrovascular)
    "SAH": "I60.9",  # Nontraumatic subarachnoid hemorrhage, unspecified
    "SDH": "I62.00",  # Nontraumatic subdural hemorrhage, unspecified
    "DVT": "I82.409",  # Acute embolism and thrombosis of unsp deep veins (index: I82.40-)
    "PVD": "I73.9",  # Peripheral vascular disease, unspecified
    "AAA": "I71.40",  # Abdominal aortic aneurysm, without rupture, unspecified
    "PAH": "I27.21",  # Secondary pulmonary arterial hypertension (index: I27.21)
    "PDA": "Q25.0",  # Patent ductus arteriosus
    "PFO": "Q21.12",  # Patent foramen ovale
    "HLD": "E78.5",  # Hyperlipidemia, unspecified
    "COPD": "J44.9",  # Chronic obstructive pulmonary disease, unspecified
    "OSA": "G47.33",  # Obstructive sleep apnea (adult) (pediatric)
    "ARDS": "J80",  # Acute respiratory distress syndrome
    "ILD": "J84.9",  # Interstitial pulmonary disease, unspecified
    "PNA": "J18.9",  # Pneumonia, unspecified organism
    "URI": "J06.9",  # Acute upper respiratory infection, unspecified
    "URTI": "J06.9",
    "LRTI": "J22",  # Unspecified acute lower respiratory infection
    "SOB": "R06.02",  # Shortness of breath
    "UTI": "N39.0",  # Urinary tract infection, site not specified
    "STD": "A64",  # Unspecified sexually transmitted disease
    "HCV": "B19.20",  # Unspecified viral hepatitis C without hepatic coma
    "HBV": "B19.10",  # Unspecified viral hepatitis B without hepatic coma
    "HSV": "B00.9",  # Herpesviral infection, unspecified
    "CMV": "B25.9",  # Cytomegaloviral disease, unspecified
    "CKD": "N18.9",  # Chronic kidney disease, unspecified
    "ESRD": "N18.6",  # End stage renal disease
    "AKI": "N17.9",  # Acute kidney failure, unspecified (inclusion: acute kidney injury)
    "BPH": "N40.0",  # Benign prostatic hyperplasia without lower urinary tract symptoms
    "GERD": "K21.9",  # Gastro-esophageal reflux disease without esophagitis (header K21)
    "PUD": "K27.9",  # Peptic ulcer, site unspecified, unspecified as acute or chronic ...
    "IBS": "K58.9",  # Irritable bowel syndrome, unspecified
    "UC": "K51.90",  # Ulcerative colitis, unspecified, without complications
    "NAFLD": "K76.0",  # Fatty (change of) liver, NEC (inclusion: NAFLD)
    "T2DM": "E11.9",  # Type 2 diabetes mellitus without complications
    "DM2": "E11.9",
    "DM 2": "E11.9",
    "T1DM": "E10.9",  # Type 1 diabetes mellitus without complications
    "DM1": "E10.9",
    "DM 1": "E10.9",
    "DKA": "E11.10",  # Type 2 diabetes mellitus with ketoacidosis without coma
    "HUS": "D59.30",  # Hemolytic-uremic syndrome, unspecified
    "ITP": "D69.3",  # Immune thrombocytopenic purpura
    "ALS": "G12.21",  # Amyotrophic lateral sclerosis
    "RLS": "G25.81",  # Restless legs syndrome
    "OA": "M19.90",  # Unspecified osteoarthritis, unspecified site
    "LBP": "M54.50",  # Low back pain, unspecified
    "ADHD": "F90.9",  # Attention-deficit hyperactivity disorder, unspecified type
    "OCD": "F42.9",  # Obsessive-compulsive disorder, unspecified
    "GAD": "F41.1",  # Generalized anxiety disorder
    "MDD": "F32.9",  # Major depressive disorder, single episode, unspecified
    "BCC": "C44.91",  # Basal cell carcinoma of skin, unspecified
    "HCC": "C22.0",  # Liver cell carcinoma (inclusion: hepatocellular carcinoma)
    "CML": "C92.10",  # Chronic myeloid leukemia, BCR/ABL-positive, not in remission
}
_NOTE = "(common abbreviation, searched as these words; not the index's wording)"


def _matches(hit: icd10cm.SearchHit, expected: str) -> bool:
    """*hit* gives *expected*, or a stem or header above it to complete."""
    code = (hit.code or "").rstrip("-")
    return code == expected or (hit.needs_more_characters and expected.startswith(code)
                                and bool(code))


def test_the_table_is_the_one_the_tests_expect() -> None:
    assert set(ABBREVIATIONS) == set(EXPECTED)
    assert 40 <= len(ABBREVIATIONS) <= 80
    # each spelling is its own words: none hides another once folded
    folded = [tuple(re.findall(r"[a-z0-9]+", fold(name))) for name in ABBREVIATIONS]
    assert len(set(folded)) == len(folded)
    left_out = {fold(name) for name in LEFT_OUT}
    assert not left_out & {fold(name) for name in ABBREVIATIONS}
    assert {"pe", "ms", "ra"} <= left_out
    with pytest.raises(TypeError):
        ABBREVIATIONS["XYZ"] = "xyz"  # type: ignore[index]


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_each_expansion_finds_its_code_in_the_latest_release(name: str, code: str) -> None:
    result = search(ABBREVIATIONS[name])
    assert not result.unknown_words and not result.partial
    top = result[0]
    assert _matches(top, code), f"{name}: {top}"
    typed = search(name)
    if typed.expansions:  # the release does not know it: searched as its words
        assert typed.expansions == (Expansion(name, ABBREVIATIONS[name]),)
        assert (typed[0].code, typed[0].text) == (top.code, top.text)
        assert typed.total == result.total
    else:  # an abbreviation the release knows is searched as itself
        assert len(name.split()) == 1 and "-" not in name
        assert fold(name) in typed.words


@pytest.mark.slow
def test_every_expansion_finds_hits_in_every_release() -> None:
    for info in icd10cm.available_releases():
        for name, words in ABBREVIATIONS.items():
            result = search(words, release=info.id, limit=1)
            assert result.hits and not result.unknown_words, (info.id, name, result)


def test_abbreviations_the_index_lacks_are_expanded_whole_words_any_case() -> None:
    for text in ("uti", "UTI", "Uti"):
        result = search(text, release="2023")
        assert result.expansions == (Expansion("UTI", "urinary tract infection"),)
        assert result.words == ("urinary", "tract", "infection")
        assert result[0].code == "N39.0"
    for text in ("afib", "AFib", "a-fib", "A fib", "a  fib"):
        assert search(text, release="2023")[0].code == "I48.91", text
    # not whole words: searched as typed
    for text in ("htns", "xuti", "utix"):
        result = search(text, release="2023")
        assert not result.expansions and not result.hits
        assert result.unknown_words == (text,)
    assert expand("urinary tract", lambda word: False) == ("urinary tract", ())


def test_words_the_release_knows_are_not_expanded() -> None:
    # the FY2023 index has the main term "GERD (gastroesophageal reflux disease)" K21.9
    result = search("gerd", release="2023")
    assert not result.expansions
    assert result[0].text == "GERD" and result[0].code == "K21.9"
    assert not any(hit.expansions for hit in result)
    # "ckd" is in the title of N18, "Chronic kidney disease (CKD)"
    result = search("ckd", release="2023")
    assert not result.expansions and result.words == ("ckd",)
    assert result[0].code == "N18"
    # a left-out abbreviation is searched as typed
    result = search("pe", release="2023")
    assert not result.expansions and result.unknown_words == ("pe",)


def test_mixed_queries_expand_only_the_abbreviation() -> None:
    result = search("acute CHF", release="2023", limit=5)
    assert result.words == ("acute", "congestive", "heart", "failure")
    assert result.expansions == (Expansion("CHF", "congestive heart failure"),)
    assert all((hit.code or "").startswith("I50") for hit in result)
    assert any("acute" in hit.path for hit in result)
    # the index's own references are still followed, and said apart
    result = search("htn heart", release="2023")
    assert result.expansions == (Expansion("HTN", "hypertension"),)
    assert result[0].code == "I11.9"  # Hypertension > heart (disease) (see Hypertension, heart)


def test_each_hit_says_it_was_reached_through_an_expansion() -> None:
    result = search("UTI", release="2023")
    text = f"UTI = urinary tract infection {_NOTE}"
    for hit in result:
        assert hit.expansions == (text,)
        assert text not in hit.via  # never presented as a reference of the index
        assert str(hit).endswith(f"[{text}]")
        assert "urinary" in hit.text.lower() or "urinary" in " ".join(hit.via).lower()
    plain = search("urinary tract infection", release="2023")
    assert not plain.expansions and not any(hit.expansions for hit in plain)
    assert str(result[0]) == f"{plain[0]}  [{text}]"


def test_a_partial_hit_lacking_the_expansion_does_not_claim_it() -> None:
    # "xanthoma" has no entry with "hypertension": each hit lacks one word
    result = search("htn xanthoma", release="2023")
    assert result.partial
    assert {hit.missing_words for hit in result} == {("hypertension",), ("xanthoma",)}
    for hit in result:
        if hit.missing_words == ("hypertension",):
            assert hit.expansions == ()
        else:
            assert hit.expansions == (f"HTN = hypertension {_NOTE}",)


def test_own_data_only_expands_against_the_release_own_words() -> None:
    # FY2027 has titles only; "GERD" is the index's word (FY2023), not a title's
    result = search("gerd", own_data_only=True)
    assert [str(source) for source in result.sources_used] == ["title"]
    assert result.expansions == (Expansion("GERD", "gastro-esophageal reflux disease"),)
    assert all(hit.source_release == "2027" for hit in result)
    assert _matches(result[0], "K21.9")
    result = search("uti", own_data_only=True, limit=50)
    assert "N39.0" in [hit.code for hit in result]
    assert all(hit.source_release == "2027" and hit.expansions for hit in result)
    assert not search("gerd").expansions  # the borrowed FY2023 index has it


def test_cli_shows_the_expansion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "uti", "--release", "2023", "--limit", "1"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines()
                if not line.startswith("note:"))
    assert line.startswith("N39.0")
    assert line.endswith(f"[index]  [UTI = urinary tract infection {_NOTE}]")


def test_docs_list_the_table_and_the_left_out() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "search.md").read_text("utf-8")
    section = doc.split("### Clinical abbreviations", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|$", section, re.M))
    assert rows == dict(ABBREVIATIONS)
    for name in LEFT_OUT:
        assert f"- `{name}`:" in section, name


@pytest.mark.parametrize(("query", "known", "code"), [
    # FY2023 index: Disease, kidney, chronic, stage 3 (moderate) N18.30
    ("ckd stage 3", "CKD", "N18.30"),
    # Diabetes, type 2, with, chronic kidney disease E11.22
    ("t2dm with ckd", "CKD", "E11.22"),
    # Hyperplasia, prostate, with lower urinary tract symptoms (LUTS) N40.1
    ("bph with luts", "BPH", "N40.1"),
])
def test_a_known_abbreviation_is_expanded_when_no_entry_has_every_word_with_it(
    query: str, known: str, code: str,
) -> None:
    # the release knows the abbreviation as a word: alone, it is searched as itself
    assert not search(known, release="2023").expansions
    result = search(query, release="2023")
    assert result[0].code == code and not result.partial
    assert known in [e.abbreviation for e in result.expansions]
    assert any(text.startswith(f"{known} = ") for text in result[0].expansions)


def test_a_known_abbreviation_stays_as_typed_when_an_entry_has_every_word() -> None:
    # FY2023 index: Disease, gastroesophageal reflux (GERD), with esophagitis K21.00
    result = search("gerd with esophagitis", release="2023")
    assert not result.expansions and not result.partial
    assert result[0].code == "K21.00"
    # both searches partial: the expansion is kept when its best hit is better
    result = search("dvt left leg", release="2023")
    assert result.partial and [e.abbreviation for e in result.expansions] == ["DVT"]
    assert (result[0].code or "").startswith("I82.4")  # Thrombosis, vein, deep, lower leg
