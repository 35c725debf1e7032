"""Guidelines rules on particular conditions (rules3): I.C.1.d.4 sepsis with a localized
infection, I.C.9.e.4 subsequent myocardial infarction, I.C.14.a.1 end stage renal
disease, I.C.15.i gestational diabetes; and the hard rules of I.C that an Excludes1 note
of the Tabular List already reports (I.C.15.a.1 and I.C.15.b.1 Z33.1 and Z34 with
chapter 15, I.C.5.b.2 use, abuse and dependence, I.C.14.a.1 N18.5 with N18.6), which get
no second finding.

Each test quotes the Guidelines sentence it rests on; every quote is checked against
the text of every edition among the official files (so each rule applies to all of
them), and the Tabular List notes against the official Tabular XML.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

import icd10cm
from icd10cm import Encounter, check, sequence
from icd10cm.encounters import facts as f
from icd10cm.encounters.guidelines import EDITIONS, GuidelineEdition, edition_for
from icd10cm.encounters.rules import rule_by_id

CKD = "If both a stage of CKD and ESRD are documented, assign code N18.6 only."
SEPSIS = ("If the reason for admission is sepsis or severe sepsis and a localized infection, "
          "such as pneumonia or cellulitis, a code(s) for the underlying systemic infection "
          "should be assigned first and the code for the localized infection should be "
          "assigned as a secondary diagnosis.")
SEPSIS_LATER = ("If the patient is admitted with a localized infection, such as pneumonia, and "
                "sepsis/severe sepsis doesn't develop until after admission, the localized "
                "infection should be assigned first, followed by the appropriate sepsis/severe "
                "sepsis codes.")
I22 = "A code from category I22 must be used in conjunction with a code from category I21."
I22_TYPE = ("Codes from category I22 should only be assigned if both the initial and "
            "subsequent myocardial infarctions are type 1 or unspecified.")
O24 = ("No other code from category O24, Diabetes mellitus in pregnancy, childbirth, and the "
       "puerperium, should be used with a code from O24.4.")
Z34 = ("For routine outpatient prenatal visits when no complications are present, a code from "
       "category Z34, Encounter for supervision of normal pregnancy, should be used as the "
       "first-listed diagnosis. These codes should not be used in conjunction with chapter 15 "
       "codes.")
Z34_Z_CODES = ("Codes in category Z34, Encounter for supervision of normal pregnancy, are "
               "always first listed and are not to be used with any other code from the OB "
               "chapter.")
Z33_1 = ("Should the provider document that the pregnancy is incidental to the encounter, "
         "then code Z33.1, Pregnant state, incidental, should be used in place of any chapter "
         "15 codes.")
SUBSTANCE = ("When the provider documentation refers to use, abuse and dependence of the same "
             "substance (e.g. alcohol, opioid, cannabis, etc.), only one code should be assigned "
             "to identify the pattern of use")
POSTPROCEDURAL = ("Assign an additional code for sepsis following a procedure (T81.44) or sepsis "
                  "following an obstetrical procedure (O86.04).")
INFUSION = ("or code T88.0-, Infection following immunization, should be coded first, followed "
            "by the code for the specific infection.")
OBSTETRIC_SEPSIS = ("When assigning a chapter 15 code for sepsis complicating abortion, pregnancy, "
                    "childbirth, and the puerperium, a code for the specific type of infection "
                    "should be assigned as an additional diagnosis.")
DIET_INSULIN = ("If a patient with gestational diabetes is treated with both diet and insulin, "
                "only the code for insulin-controlled is required.")
DIET_ORAL = ("If a patient with gestational diabetes is treated with both diet and oral "
             'hypoglycemic medications, only the code for "controlled by oral hypoglycemic '
             'drugs" is required.')
P36_ORGANISM = ("If the P36 code includes the causal organism, an additional code from "
                "category B95, Streptococcus, Staphylococcus, and Enterococcus as the cause of "
                "diseases classified elsewhere, or B96, Other bacterial agents as the cause of "
                "diseases classified elsewhere, should not be assigned.")
T07 = ("Codes from category T07, Unspecified multiple injuries should not be assigned in the "
       "inpatient setting unless information for a more specific code is not available.")
MRSA_B9562 = ("Do not assign code B95.62, Methicillin resistant Staphylococcus aureus infection "
              "as the cause of diseases classified elsewhere, as an additional code, because "
              "the combination code includes the type of infection and the MRSA organism.")
MRSA_Z1611 = "Do not assign a code from subcategory Z16.11, Resistance to penicillins"
COMA_SET = ("These codes, one from each subcategory, are needed to complete the scale. The 7th "
            "character indicates when the scale was recorded. The 7th character should match for "
            "all three codes.")
COMA_TOTAL = ("total score, when only the total score is documented in the medical record and not "
              "the individual score(s).")
C80_0 = ("Code C80.0, Disseminated malignant neoplasm, unspecified, is for use only in those "
         "cases where the patient has advanced metastatic disease and no known primary or "
         "secondary sites are specified. It should not be used in place of assigning codes for "
         "the primary site and all known secondary sites.")
X36_0 = ("Code X36.0.-, Collapse of dam or man-made structure, should not be assigned when the "
         "cause of the collapse is due to the hurricane.")
OUTCOME = ("A code from category Z37, Outcome of delivery, should be included on every maternal "
           "record when a delivery has occurred.")
VAP = "Do not assign an additional code from categories J12-J18 to identify the type of pneumonia."
VAP_LATER = ("A patient may be admitted with one type of pneumonia (e.g., code J13, Pneumonia due "
             "to Streptococcus pneumonia) and subsequently develop VAP. In this instance, the "
             "principal diagnosis would be the appropriate code from categories J12-J18 for the "
             "pneumonia diagnosed at the time of admission.")
I12_STAGE = ("The appropriate code from category N18 should be used as a secondary code with a "
             "code from category I12 to identify the stage of chronic kidney disease.")
I13_STAGE = ("The appropriate code from category N18, Chronic kidney disease, should be used as a "
             "secondary code with a code from category I13 to identify the stage of chronic "
             "kidney disease.")
RETINOPATHY = ("Subcategory H35.0, Background retinopathy and retinal vascular changes, should be "
               "used")
SECONDARY = ("Two codes are required: one to identify the underlying etiology and one from "
             "category I15 to identify the hypertension.")
HIV_PREGNANCY = "should receive codes of O98.7- and Z21"
C80_2 = ("Assign first the appropriate code from category T86.-, Complications of transplanted "
         "organs and tissue, followed by code C80.2, Malignant neoplasm associated with "
         "transplanted organ.")
M80 = ("A code from category M80, not a traumatic fracture code, should be used for any patient "
       "with known osteoporosis who suffers a fracture, even if the patient had a minor fall or "
       "trauma, if that fall or trauma would not usually break a normal, healthy bone.")
QUOTES = (CKD, SEPSIS, SEPSIS_LATER, I22, I22_TYPE, O24, Z34, Z34_Z_CODES, Z33_1, SUBSTANCE,
          POSTPROCEDURAL, INFUSION, OBSTETRIC_SEPSIS, DIET_INSULIN, DIET_ORAL, P36_ORGANISM, T07,
          MRSA_B9562, MRSA_Z1611, COMA_SET, COMA_TOTAL, C80_0, X36_0, OUTCOME, VAP, VAP_LATER,
          I12_STAGE, I13_STAGE, RETINOPATHY, SECONDARY, HIV_PREGNANCY, C80_2, M80)
#: Sentences of some editions only, by the rule that quotes them: I.C.15.q.4 is new in
#: FY2023, the T31/T32 sentence of I.C.19.d.6 in FY2022, the R40.20 one of I.C.18.e in
#: FY2024.
SINCE = {
    "I.C.15.q.4/o72-after-abortion": (
        "FY2023", "Do not assign code O72.1, Other immediate postpartum hemorrhage, as this "
        "code should not be assigned for post abortion conditions."),
    "I.C.19.d.6/extent-with-sequela": (
        "FY2022", "Codes from categories T31 and T32 should not be used for sequelae of burns "
        "or corrosions."),
    "I.C.18.e/unspecified-coma-with-scale": (
        "FY2024", "Code R40.20, Unspecified coma, should be assigned when the underlying cause "
        "of the coma is not known, or the cause is a traumatic brain injury and the coma scale "
        "is not documented in the medical record."),
}

_PAGE_HEADER = re.compile(r"^\s*(?:ICD-10-CM Official Guidelines for Coding and Reporting"
                          r"|FY ?20\d\d|Page \d+ of \d+)\s*$", re.M)


def _folded(text: str) -> str:
    """The text without its page headers, typographic quotes made plain, and case,
    spaces and hyphens ignored (the text breaks lines and pages inside sentences)."""
    text = _PAGE_HEADER.sub("", text)
    for typographic, plain in (("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(typographic, plain)
    return "".join(ch for ch in text.lower() if not ch.isspace() and ch != "-")


@pytest.mark.cms_raw
@pytest.mark.parametrize("edition", EDITIONS, ids=lambda edition: edition.id)
def test_every_quote_is_in_every_edition(cms_raw: Path, edition: GuidelineEdition) -> None:
    text = _folded((cms_raw / "guidelines" / "text" / edition.file).read_text(encoding="utf-8"))
    missing = [quote[:60] for quote in QUOTES if _folded(quote) not in text]
    assert missing == []


@pytest.mark.cms_raw
@pytest.mark.parametrize("edition", EDITIONS, ids=lambda edition: edition.id)
def test_a_rule_applies_to_the_editions_whose_text_has_it(
        cms_raw: Path, edition: GuidelineEdition) -> None:
    text = _folded((cms_raw / "guidelines" / "text" / edition.file).read_text(encoding="utf-8"))
    for rule_id, (since, quote) in SINCE.items():
        rule = rule_by_id(rule_id)
        assert (_folded(quote) in text) == rule.applies_to(edition), rule_id
        assert rule.since == since and rule.until is None


@pytest.mark.parametrize("rule_id", [
    "I.C.16.f/organism-with-p36", "I.C.19.b/t07-with-injuries", "I.C.1.e.1.a/mrsa-with-b9562",
    "I.C.1.e.1/mrsa-with-z1611", "I.C.18.e/coma-scale-set", "I.C.2.j/disseminated-with-sites",
    "I.B.19.b/collapse-with-hurricane", "I.C.15.b.5/delivery-without-outcome",
    "I.C.10.d.1/vap-with-pneumonia", "I.C.9.a.2/i12-without-n18", "I.C.9.a.3/i13-without-n18",
    "I.C.9.a.5/retinopathy-without-hypertension", "I.C.9.a.6/secondary-hypertension-alone",
    "I.C.15.f/o98-7-without-hiv-code", "I.C.2.r/transplant-malignancy-codes",
    "I.C.13.d.2/osteoporosis-with-traumatic-fracture",
    "I.C.1.d.4/localized-infection-first", "I.C.9.e.4/i22-without-i21",
    "I.C.14.a.1/ckd-stage-with-esrd", "I.C.15.i/o24-with-gestational",
    "I.C.15.i/gestational-diet-with-drugs"])
def test_the_rules_apply_to_every_edition(rule_id: str) -> None:
    rule = rule_by_id(rule_id)
    assert rule.editions == tuple(edition.id for edition in EDITIONS)
    assert str(rule.kind) == "findings"
    # "should be assigned first" and "only the code for ... is required" are advice
    advice = rule_id.startswith("I.C.1.d.4") or rule_id.endswith((
        "diet-with-drugs", "coma-scale-set", "vap-with-pneumonia", "secondary-hypertension-alone",
        "osteoporosis-with-traumatic-fracture"))
    assert str(rule.severity) == ("warning" if advice else "error")


def _findings(codes: list[str], release: str = "2026", setting: str = "outpatient",
              present_on_admission: list[str] | None = None) -> list[icd10cm.Finding]:
    return list(check(Encounter.from_codes(codes, release=release, setting=setting,
                                           present_on_admission=present_on_admission)))


def _rules(codes: list[str], release: str = "2026") -> list[str]:
    """The rules of the findings on *codes*, the I.B.2 information on unspecified codes
    aside."""
    return [finding.rule for finding in _findings(codes, release)
            if finding.rule != "I.B.2/unspecified"]


def _tabular_note(cms_raw: Path, release: str, code: str, kind: str, text: str) -> bool:
    """Whether the official Tabular XML of *release* prints the note *text* of *kind*
    (``excludes1``) at *code* itself."""
    # the first: 2020-04 adds the U07 codes of the 2021 Tabular to the 2020 one
    source = next(s.file for s in icd10cm.load_release(release).info.sources
                  if s.role == "tabular")
    data = (cms_raw / source).read_bytes()
    xml = (gzip.decompress(data) if source.endswith(".gz") else data).decode("utf-8")
    start = xml.index(f"<name>{code}</name>")
    end = min(i for i in (xml.find("<diag>", start), xml.find("</diag>", start)) if i > 0)
    own = xml[start:end]
    section = own[own.find(f"<{kind}>"):own.find(f"</{kind}>")] if f"<{kind}>" in own else ""
    return f"<note>{text}</note>" in section


_TABULAR_RELEASES = [info.id for info in icd10cm.available_releases()
                     if any(s.role == "tabular" for s in info.sources)]
#: The same, the newest in the fast tier, the others (the oldest among them) in the slow one.
_SWEPT_RELEASES = [release if release == _TABULAR_RELEASES[-1]
                   else pytest.param(release, marks=pytest.mark.slow)
                   for release in _TABULAR_RELEASES]


# --- I.C.14.a.1: "If both a stage of CKD and ESRD are documented, assign code N18.6 only."

@pytest.mark.parametrize(("release", "stage"), [  # the two newest in the fast tier
    *(pytest.param(release, stage, marks=pytest.mark.slow) for release, stage in (
        ("2016", "N18.1"), ("2016", "N18.3"), ("2020", "N18.2"), ("2020", "N18.3"),
        ("2021", "N18.30"), ("2022", "N18.31"), ("2024", "N18.32"))),
    ("2026", "N18.4"), ("2027", "N18.9")])
def test_a_stage_of_ckd_with_esrd(release: str, stage: str) -> None:
    [finding] = [x for x in _findings([stage, "N18.6"], release)
                 if x.rule.startswith("I.C.14")]
    assert finding.rule == "I.C.14.a.1/ckd-stage-with-esrd"
    assert str(finding.severity) == "error"
    assert finding.positions == (0, 1) and finding.codes == (stage, "N18.6")
    assert "assign code N18.6 only (I.C.14.a.1)" in finding.message
    assert finding.message.endswith(f"Remove {stage}.")
    assert "I.A.12.a/excludes1" not in _rules([stage, "N18.6"], release)


@pytest.mark.parametrize("codes", [["N18.6"], ["N18.4"], ["N18.6", "Z99.2"], ["I12.0", "N18.6"],
                                   ["N18.4", "N18.9"], ["E11.22", "N18.6", "Z99.2"]])
def test_esrd_or_a_stage_alone_is_not_flagged(codes: list[str]) -> None:
    assert "I.C.14.a.1/ckd-stage-with-esrd" not in _rules(codes)


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_stage_5_with_esrd_is_the_excludes1_finding_only(release: str) -> None:
    # N18.5 Excludes1: "chronic kidney disease, stage 5 requiring chronic dialysis (N18.6)"
    assert _rules(["N18.5", "N18.6"], release) == ["I.A.12.a/excludes1"]


@pytest.mark.cms_raw
def test_the_n18_5_excludes1_note_is_in_every_official_tabular(cms_raw: Path) -> None:
    for release in _TABULAR_RELEASES:
        assert _tabular_note(cms_raw, release, "N18.5", "excludes1",
                             "chronic kidney disease, stage 5 requiring chronic dialysis (N18.6)")


def test_stage_5_and_another_stage_with_esrd() -> None:
    found = {x.rule: x for x in _findings(["N18.6", "N18.5", "N18.4"])}
    assert found["I.A.12.a/excludes1"].codes == ("N18.6", "N18.5")
    assert found["I.C.14.a.1/ckd-stage-with-esrd"].codes == ("N18.6", "N18.4")


def test_stage_5_with_esrd_without_the_notes_is_still_found() -> None:
    # Release 2026 has no Tabular List of its own: checked against its own notes only,
    # no Excludes1 finding reports the pair, so this rule does.
    rules = [x.rule for x in check(Encounter.from_codes(["N18.5", "N18.6"], release="2026"),
                                   own_data_only=True)]
    assert "I.A.12.a/excludes1" not in rules
    assert "I.C.14.a.1/ckd-stage-with-esrd" in rules


# --- I.C.1.d.4 Sepsis or severe sepsis with a localized infection

def _sepsis(codes: list[str], poa: list[str] | None = None, setting: str = "inpatient"
            ) -> list[icd10cm.Finding]:
    return [x for x in _findings(codes, "2026", setting, poa)
            if x.rule == "I.C.1.d.4/localized-infection-first"]


@pytest.mark.parametrize("codes", [
    ["J18.9", "A41.9"], ["J15.212", "A41.02"], ["L03.115", "A41.01"], ["N39.0", "A41.51"],
    ["N10", "A41.51"], ["J13", "A40.3"], ["L02.416", "A41.01", "R65.20"],
    ["J18.9", "A02.1"], ["J18.9", "A39.4"], ["J18.9", "B37.7"]])
def test_a_localized_infection_before_sepsis_without_poa(codes: list[str]) -> None:
    [finding] = _sepsis(codes)
    assert str(finding.severity) == "warning"
    sepsis = [p for p, code in enumerate(codes) if code[0] in "AB"]
    assert finding.positions == (0, *sepsis)
    # both cases of I.C.1.d.4 are explained
    assert "the code for the underlying systemic infection is assigned first" in finding.message
    assert "doesn't develop until after admission" in finding.message
    assert "(I.C.1.d.4)" in finding.message


def test_sepsis_present_on_admission_comes_first() -> None:
    [finding] = _sepsis(["L03.115", "A41.01"], ["Y", "Y"])
    assert "was present on admission" in finding.message
    assert "Put A41.01 first" in finding.message


def test_the_sepsis_code_present_on_admission_is_the_one_to_put_first() -> None:
    [finding] = _sepsis(["J18.9", "A41.51", "A40.3"], ["Y", "N", "Y"])
    assert finding.positions == (0, 1, 2)
    assert "but A40.3 (sepsis) was present on admission" in finding.message
    assert "Put A40.3 first" in finding.message


@pytest.mark.parametrize("poa", [["Y", "N"], ["N", "N"]])
def test_sepsis_not_present_on_admission_is_not_flagged(poa: list[str]) -> None:
    # "If the patient is admitted with a localized infection, such as pneumonia, and
    # sepsis/severe sepsis doesn't develop until after admission, the localized infection
    # should be assigned first"
    assert _sepsis(["J18.9", "A41.9"], poa) == []


@pytest.mark.parametrize("indicator", ["U", "W"])
def test_sepsis_of_unknown_poa_asks_the_provider(indicator: str) -> None:
    [finding] = _sepsis(["J18.9", "A41.9"], ["Y", indicator])
    assert "query the provider" in finding.message


def test_the_unclear_indicator_is_named() -> None:
    # Before: "Its present-on-admission indicator does not say which", of two sepsis codes,
    # one of them N
    [finding] = _sepsis(["J18.9", "A41.9", "A40.3"], ["Y", "U", "N"])
    assert "The present-on-admission indicator of A41.9 does not say which" in finding.message


@pytest.mark.parametrize(("codes", "setting"), [
    (["A41.9", "J18.9"], "inpatient"),  # the systemic infection is first
    (["E11.9", "J18.9", "A41.9"], "inpatient"),  # neither is first
    (["J18.9", "A41.9"], "outpatient"),  # "reason for admission": stays only
    (["J18.9", "R78.81"], "inpatient"),  # bacteremia is not sepsis
    (["J18.9", "T81.44XA"], "inpatient"),  # sepsis following a procedure: I.C.1.d.5
    (["J69.0", "A41.9"], "inpatient"),  # aspiration pneumonitis: not in the set
])
def test_no_sepsis_finding(codes: list[str], setting: str) -> None:
    assert _sepsis(codes, setting=setting) == []


@pytest.mark.parametrize(("release", "codes"), [
    # I.C.1.d.5 (POSTPROCEDURAL, INFUSION): the T81.4-, T80.2- or T88.0- code is first, the
    # sepsis code an additional one
    ("2026", ["J18.9", "T81.44XA", "A41.9"]), ("2016", ["J18.9", "T81.4XXA", "A41.9"]),
    ("2026", ["L03.115", "T80.219A", "A41.01"]), ("2026", ["J18.9", "T88.0XXA", "A41.9"]),
    # I.C.15.j (OBSTETRIC_SEPSIS): with a chapter 15 code, which comes first (the
    # I.C.15.a finding says so), the infection is an additional diagnosis
    ("2026", ["J18.9", "O98.83", "A41.9"]), ("2016", ["N39.0", "O86.29", "A41.51"]),
])
def test_no_sepsis_first_advice_where_another_section_sets_the_order(
        release: str, codes: list[str]) -> None:
    # Before: the finding said the sepsis code should be first ("Put A41.9 first" with
    # the indicator Y), which those sections contradict.
    for poa in (None, ["Y"] * len(codes)):
        found = _findings(codes, release, "inpatient", poa)
        assert "I.C.1.d.4/localized-infection-first" not in [x.rule for x in found]


def test_sequence_leaves_the_judgement_to_the_coder() -> None:
    encounter = Encounter.from_codes(["J18.9", "A41.9"], release="2026", setting="inpatient")
    assert [c.value for c in sequence(encounter).encounter.diagnoses] == ["J18.9", "A41.9"]


def _codes_file(cms_raw: Path, release: str) -> list[str]:
    """The reportable codes of the official codes file of *release*, dotted."""
    [source] = [s.file for s in icd10cm.load_release(release).info.sources if s.role == "codes"]
    text = gzip.decompress((cms_raw / source).read_bytes()).decode("ascii")
    codes = [line.split(None, 1)[0] for line in text.splitlines() if line.strip()]
    return [code if len(code) == 3 else f"{code[:3]}.{code[3:]}" for code in codes]


# The chapter 1 codes of a sepsis beside A40 and A41, read off the titles of the official
# codes files: "Salmonella sepsis", "Septicemic plague", "Anthrax sepsis", "Erysipelothrix
# sepsis", "Listerial sepsis", "Acute meningococcemia", "Chronic meningococcemia",
# "Meningococcemia, unspecified", "Actinomycotic sepsis", "Gonococcal sepsis", "Candidal
# sepsis" (not A27.81 "Aseptic meningitis in leptospirosis")
_OTHER_SEPSIS = {"A02.1", "A20.7", "A22.7", "A26.7", "A32.7", "A39.2", "A39.3", "A39.4",
                 "A42.7", "A54.86", "B37.7"}
# Pneumonia (J12-J16, J18; not J17, a manifestation), skin infections (L02, L03, L08),
# urinary tract infections (N10, N30.0-, N39.0); the cellulitis and abscess of other sites
# (_ELSEWHERE, below); "Pyogenic arthritis" (M00), "Osteomyelitis" (M86; M46.2
# "Osteomyelitis of vertebra"), "Abscess of lung and mediastinum" (J85), "Pyothorax" (J86)
_ELSEWHERE = ("K61", "H60.1", "H00.0", "N76.4", "H04.3", "N48.2", "N49", "K12.2", "J34.0")
_LOCALIZED = ("J12", "J13", "J14", "J15", "J16", "J18", "L02", "L03", "L08", "N10", "N30.0",
              "N39.0", *_ELSEWHERE, "M00", "M86", "M46.2", "J85", "J86")
# What the Excludes2 notes of L02 and L03 name that is not a localized infection
_NOT_INFECTIONS = {"eosinophilic cellulitis [Wells] (L98.3)",
                   "febrile neutrophilic dermatosis [Sweet] (L98.2)",
                   "lymphangitis (chronic) (subacute) (I89.1)"}


@pytest.mark.cms_raw
@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_cellulitis_and_abscess_of_other_sites_are_the_l02_and_l03_excludes2(
        cms_raw: Path, release: str) -> None:
    # L03 Excludes2 "cellulitis of anal and rectal region (K61.-)", "cellulitis of mouth
    # (K12.2)"...; L02 Excludes2 "abscess of anus and rectal regions (K61.-)"...
    source = next(s.file for s in icd10cm.load_release(release).info.sources
                  if s.role == "tabular")
    xml = gzip.decompress((cms_raw / source).read_bytes()).decode("utf-8")
    named = set()
    for category in ("L02", "L03"):
        start = xml.index(f"<name>{category}</name>")
        own = xml[start:xml.find("<diag>", start + 1)]
        notes = re.findall(r"<note>(.*?)</note>", own[own.find("<excludes2>"):
                                                       own.find("</excludes2>")])
        for note in notes:
            codes = re.search(r"\(([^)]*)\)$", note)
            assert codes is not None, note
            if note not in _NOT_INFECTIONS:
                named |= {re.sub(r"\.-$", "", code.strip()) for code in codes.group(1).split(",")}
    assert named == set(_ELSEWHERE)


@pytest.mark.parametrize("codes", [["M00.9", "A41.9"], ["M86.9", "A41.01"], ["K61.0", "A41.51"],
                                   ["H60.11", "A41.9"], ["J85.1", "A41.9"], ["J86.9", "A40.1"]])
def test_other_localized_infections_before_sepsis(codes: list[str]) -> None:
    # Before: only pneumonia, L02/L03/L08 and urinary tract infections were localized
    # infections; septic arthritis (M00) before sepsis had no finding.
    [finding] = _sepsis(codes)
    assert finding.positions == (0, 1)


@pytest.mark.cms_raw
@pytest.mark.parametrize("release", [pytest.param("2016", marks=pytest.mark.slow), "2026"])
def test_the_sepsis_and_localized_infection_codes(cms_raw: Path, release: str) -> None:
    loaded = icd10cm.load_release(release)
    sepsis, localized = set(), set()
    expected_sepsis, expected_localized = set(), set()
    for code in _codes_file(cms_raw, release):
        if code[0] not in "ABHJKLMN":  # the chapters of these codes (a whole file: 7 s)
            continue
        flags = f.facts(loaded[code]).flags
        if flags & f.SEPSIS:
            sepsis.add(code)
        if flags & f.LOCALIZED_INFECTION:
            localized.add(code)
        if code[:3] in ("A40", "A41") or code in _OTHER_SEPSIS:
            expected_sepsis.add(code)
        if code.startswith(_LOCALIZED):
            expected_localized.add(code)
    assert sepsis == expected_sepsis
    assert localized == expected_localized
    assert {"A41.9", "A40.0", "A41.01"} <= sepsis and {"J18.9", "L03.90", "N39.0"} <= localized
    assert {"M00.9", "M86.9", "K61.0", "J85.1"} <= localized


# --- I.C.9.e.4: "A code from category I22 must be used in conjunction with a code from
# category I21."

@pytest.mark.parametrize(("release", "codes"), [
    ("2016", ["I22.0"]), ("2020", ["I22.9", "I25.10"]), ("2026", ["I22.1"]),
    ("2026", ["I22.8", "I25.2"])])
def test_i22_without_i21(release: str, codes: list[str]) -> None:
    [finding] = [x for x in _findings(codes, release) if x.rule.startswith("I.C.9.e")]
    assert finding.rule == "I.C.9.e.4/i22-without-i21" and str(finding.severity) == "error"
    assert finding.codes == (codes[0],)
    assert "must be used in conjunction with a code from category I21" in finding.message


@pytest.mark.parametrize(("release", "codes"), [
    ("2016", ["I21.4", "I22.0"]), ("2026", ["I22.1", "I21.4"]), ("2026", ["I21.9", "I22.9"])])
def test_i22_with_i21(release: str, codes: list[str]) -> None:
    assert _rules(codes, release) == []


@pytest.mark.parametrize("release", [  # the newest in the fast tier
    r if r == _TABULAR_RELEASES[-1] else pytest.param(r, marks=pytest.mark.slow)
    for r in _TABULAR_RELEASES if r >= "2020"])
def test_i22_with_a_type_2_infarction_is_the_excludes1_finding_only(release: str) -> None:
    # I22 Excludes1: "subsequent myocardial infarction, type 2 (I21.A1)"; I21.A1 is an I21
    # code, so I.C.9.e.4/i22-without-i21 is quiet.
    assert _rules(["I21.A1", "I22.1"], release) == ["I.A.12.a/excludes1"]


@pytest.mark.cms_raw
def test_the_i22_excludes1_note_is_in_the_official_tabular(cms_raw: Path) -> None:
    assert _tabular_note(cms_raw, "2026-04", "I22", "excludes1",
                         "subsequent myocardial infarction, type 2 (I21.A1)")


# --- I.C.15.i: "No other code from category O24 ... should be used with a code from O24.4."

@pytest.mark.parametrize("release", [
    *(pytest.param(release, marks=pytest.mark.slow) for release in ("2016", "2020")), "2026"])
def test_every_other_o24_code_with_gestational_diabetes(release: str) -> None:
    loaded = icd10cm.load_release(release)
    others = [code.value for code in loaded.billable_codes()
              if code.value.startswith("O24") and not code.value.startswith("O24.4")]
    assert len(others) >= 30
    for other in others:
        rules = _rules(["O24.419", other], release)
        # no Excludes1 note links them: this rule is the only finding on the pair
        assert "I.C.15.i/o24-with-gestational" in rules and "I.A.12.a/excludes1" not in rules


def test_o24_finding() -> None:
    [finding] = [x for x in _findings(["O24.113", "E11.9", "O24.414", "Z79.4"])
                 if x.rule == "I.C.15.i/o24-with-gestational"]
    assert finding.positions == (0, 2) and str(finding.severity) == "error"
    assert "should be used with a code from O24.4 (I.C.15.i)" in finding.message


@pytest.mark.parametrize("codes", [["O24.414", "Z3A.30"], ["O24.410", "O24.414"],
                                   ["O24.113", "E11.9", "Z79.4"], ["O24.419", "E11.9"]])
def test_no_o24_finding(codes: list[str]) -> None:
    assert "I.C.15.i/o24-with-gestational" not in _rules(codes)


# --- I.C.15.i: "treated with both diet and insulin, only the code for insulin-controlled
# is required"; so for oral hypoglycemic drugs.

_DIET_WITH_DRUGS = "I.C.15.i/gestational-diet-with-drugs"


def _gestational_by_control(release: str) -> dict[str, dict[str, str]]:
    """The reportable O24.4 codes of *release*, by subcategory and by the control their
    title ends with ("diet controlled", "insulin controlled", ...)."""
    found: dict[str, dict[str, str]] = {}
    for code in icd10cm.load_release(release).billable_codes():
        if code.value.startswith("O24.4"):
            control = code.title.rpartition(", ")[2]
            found.setdefault(code.value[:6], {})[control] = code.value
    return found


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_a_diet_code_with_a_drug_code_of_its_subcategory(release: str) -> None:
    by_control = _gestational_by_control(release)
    assert sorted(by_control) == ["O24.41", "O24.42", "O24.43"]  # pregnancy, childbirth, puerperium
    drugs = ("insulin controlled", "controlled by oral hypoglycemic drugs")
    for subcategory, codes in by_control.items():
        diet = codes["diet controlled"]
        present = [codes[control] for control in drugs if control in codes]
        assert present, subcategory  # oral drugs since FY2017, insulin always
        for drug in present:
            findings = [x for x in _findings([drug, diet, "Z3A.30"], release)
                        if x.rule == _DIET_WITH_DRUGS]
            assert [(x.positions, x.codes) for x in findings] == [((0, 1), (drug, diet))]
            assert findings[0].message.endswith(f"(I.C.15.i). Remove {diet}.")
            assert str(findings[0].severity) == "warning"
        # the Guidelines say nothing of insulin with oral drugs, nor of an unspecified control
        for pair in ([*present], [diet, codes["unspecified control"]]):
            assert _DIET_WITH_DRUGS not in _rules(pair, release)
    # a diet code of one subcategory and a drug code of another: not the same treatment
    other = by_control["O24.42"]["insulin controlled"]
    assert _DIET_WITH_DRUGS not in _rules([by_control["O24.41"]["diet controlled"], other],
                                          release)


def test_the_words_of_the_diet_with_drugs_finding() -> None:
    (insulin,) = [x.message for x in _findings(["O24.410", "O24.414"])
                  if x.rule == _DIET_WITH_DRUGS]
    assert "treated with both diet and insulin, only the code for insulin-controlled is " \
        "required (I.C.15.i)" in insulin
    (oral,) = [x.message for x in _findings(["O24.435", "O24.430"])
               if x.rule == _DIET_WITH_DRUGS]
    assert ("treated with both diet and oral hypoglycemic medications, only the code for "
            '"controlled by oral hypoglycemic drugs" is required (I.C.15.i)') in oral


# --- I.C.16.f: "If the P36 code includes the causal organism, an additional code from
# category B95 ... or B96 ... should not be assigned."

_ORGANISM_WITH_P36 = "I.C.16.f/organism-with-p36"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_an_organism_code_with_a_p36_code_that_names_its_organism(release: str) -> None:
    loaded = icd10cm.load_release(release)
    p36 = [code for code in loaded.billable_codes() if code.value.startswith("P36")]
    organisms = [code.value for code in loaded.billable_codes()
                 if code.value[:3] in ("B95", "B96")]
    naming = [code.value for code in p36 if " due to " in code.title]
    assert len(naming) == 8 and len(organisms) >= 20  # P36.0-P36.5; P36.8, P36.9 name none
    for sepsis in naming:
        for organism in organisms:
            findings = [x for x in _findings([sepsis, organism], release, "inpatient")
                        if x.rule == _ORGANISM_WITH_P36]
            assert [(x.positions, x.codes) for x in findings] == [((0, 1), (sepsis, organism))]
    for sepsis in {code.value for code in p36} - set(naming):  # "assign an additional code"
        assert _ORGANISM_WITH_P36 not in _rules([sepsis, organisms[0]], release)


@pytest.mark.parametrize(("codes", "fires"), [
    (["P36.4", "B96.20"], True),
    (["B95.1", "P36.0", "P07.39"], True),
    (["P36.4", "B97.4"], False),  # B97, viral agents: the Guidelines name B95 and B96
    # P39: "Use additional code to identify organism or specific infection", and N39.0
    # "(B95-B97)": the organism code may be that infection's
    (["P36.4", "P39.3", "B96.20"], False),
    (["P36.2", "B95.61", "N39.0"], False),
])
def test_an_organism_code_another_code_asks_for(codes: list[str], fires: bool) -> None:
    assert (_ORGANISM_WITH_P36 in _rules(codes)) is fires


def test_the_words_of_the_organism_finding() -> None:
    (finding,) = [x for x in _findings(["P36.4", "B96.20"], setting="inpatient")
                  if x.rule == _ORGANISM_WITH_P36]
    assert str(finding.severity) == "error"
    assert finding.message.startswith("P36.4 (Sepsis of newborn due to Escherichia coli) "
                                      "includes the causal organism, and B96.20")
    assert finding.message.endswith("should not be assigned (I.C.16.f). Remove B96.20.")


# --- I.C.15.q.4 (from FY2023): "Do not assign code O72.1 ... as this code should not be
# assigned for post abortion conditions."

_O72_AFTER_ABORTION = "I.C.15.q.4/o72-after-abortion"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_o72_1_with_an_abortion_code(release: str) -> None:
    loaded = icd10cm.load_release(release)
    applies = rule_by_id(_O72_AFTER_ABORTION).applies_to(
        edition_for(release, loaded.info.fiscal_year)[0])
    assert applies == (loaded.info.fiscal_year >= 2023)
    abortions = [code.value for code in loaded.billable_codes()
                 if code.value[:3] in ("O03", "O04", "O07")]
    assert len(abortions) >= 40
    for abortion in abortions:
        findings = [x for x in _findings([abortion, "O72.1"], release, "inpatient")
                    if x.rule == _O72_AFTER_ABORTION]
        assert [(x.positions, x.codes) for x in findings] == (
            [((0, 1), (abortion, "O72.1"))] if applies else [])
    # not ectopic or molar pregnancy (O00-O02, O08), nor another postpartum hemorrhage
    others = [code.value for code in loaded.billable_codes()
              if code.value[:3] in ("O00", "O01", "O02", "O08")]
    for codes in ([others[0], "O72.1"], [others[-1], "O72.1"], [abortions[0], "O72.0"],
                  [abortions[0], "O72.2"]):
        assert _O72_AFTER_ABORTION not in _rules(codes, release)


def test_the_words_of_the_o72_finding() -> None:
    (finding,) = [x for x in _findings(["O04.6", "O72.1"], setting="inpatient")
                  if x.rule == _O72_AFTER_ABORTION]
    assert str(finding.severity) == "error" and finding.positions == (0, 1)
    assert "O72.1 should not be assigned for post abortion conditions (I.C.15.q.4)" in \
        finding.message
    assert "O04.6, delayed or excessive hemorrhage" in finding.message


# --- I.C.19.b: "Codes from category T07, Unspecified multiple injuries should not be
# assigned in the inpatient setting unless information for a more specific code is not
# available."

_T07 = "I.C.19.b/t07-with-injuries"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_t07_with_the_codes_of_the_injuries_in_an_inpatient_stay(release: str) -> None:
    loaded = icd10cm.load_release(release)
    reportable = list(loaded.billable_codes())
    t07 = [code.value for code in reportable if code.value.startswith("T07")]
    assert len(t07) in (1, 3)  # T07 until FY2017; T07.XXXA, T07.XXXD, T07.XXXS since
    # one reportable code of each injury category S00-T14 but T07 and T14 (T14.90, injury
    # NOS, is T07's Excludes1 note; the other T14 codes are injuries of unspecified
    # body region)
    firsts: dict[str, str] = {}
    for code in reportable:
        if "S00" <= code.value[:3] <= "T14" and code.value[:3] != "T07":
            firsts.setdefault(code.value[:3], code.value)
    assert len(firsts) >= 100
    for injury in firsts.values():
        inpatient = [x for x in _findings([t07[0], injury], release, "inpatient")
                     if x.rule == _T07]
        excluded = "I.A.12.a/excludes1" in _rules([t07[0], injury], release)
        assert [(x.positions, x.codes) for x in inpatient] == (
            [] if excluded else [((0, 1), (t07[0], injury))]), injury
        assert _T07 not in _rules([t07[0], injury], release)  # outpatient: not said
    assert _T07 not in [x.rule for x in _findings(t07[:1], release, "inpatient")]


def test_t07_with_injury_nos_is_the_excludes1_finding() -> None:
    rules = [x.rule for x in _findings(["T07.XXXA", "T14.90XA"], setting="inpatient")]
    assert "I.A.12.a/excludes1" in rules and _T07 not in rules


# --- I.C.19.d.6: "Codes from categories T31 and T32 should not be used for sequelae of
# burns or corrosions."

_EXTENT = "I.C.19.d.6/extent-with-sequela"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_an_extent_code_with_sequelae_of_burns_only(release: str) -> None:
    loaded = icd10cm.load_release(release)
    if not rule_by_id(_EXTENT).applies_to(edition_for(release, loaded.info.fiscal_year)[0]):
        assert loaded.info.fiscal_year < 2022
        assert _EXTENT not in _rules(["T20.211S", "T31.10"], release)
        return
    reportable = [code.value for code in loaded.billable_codes()]
    extents = [code for code in reportable if code[:3] in ("T31", "T32")]
    sequelae = [code for code in reportable if "T20" <= code[:3] <= "T28" and code[-1] == "S"
                and len(code) == 8]
    acute = [code for code in reportable if "T20" <= code[:3] <= "T28" and code[-1] == "A"]
    assert len(extents) >= 40 and len(sequelae) >= 500 and len(acute) == len(sequelae)
    for extent in extents[::5]:
        for sequela in sequelae[::50]:
            findings = [x for x in _findings([sequela, extent], release) if x.rule == _EXTENT]
            assert [(x.positions, x.codes) for x in findings] == [((0, 1), (sequela, extent))]
        # with a burn of this encounter, the extent may be that burn's
        assert _EXTENT not in _rules([acute[0], sequelae[0], extent], release)
        assert _EXTENT not in _rules([extent], release)


# --- I.C.1.e.1: MRSA. "Do not assign code B95.62 ... as an additional code, because the
# combination code includes the type of infection and the MRSA organism. Do not assign a
# code from subcategory Z16.11, Resistance to penicillins" (with B95.62 too).

_MRSA_B9562, _MRSA_Z1611 = "I.C.1.e.1.a/mrsa-with-b9562", "I.C.1.e.1/mrsa-with-z1611"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_mrsa_codes_with_b95_62_and_z16_11(release: str) -> None:
    loaded = icd10cm.load_release(release)
    reportable = list(loaded.billable_codes())
    # the codes whose title names MRSA, the carrier and history Z codes aside
    mrsa = [code.value for code in reportable if code.value[0] != "Z"
            and "methicillin resistant staphylococcus aureus" in code.title.lower()]
    combined = [code for code in mrsa if code != "B95.62"]
    assert "B95.62" in mrsa and {"A41.02", "J15.212"} <= set(combined)
    resistance = [code.value for code in reportable if code.value.startswith("Z16.11")]
    assert resistance
    for code in combined:
        rules = _rules([code, "B95.62"], release)
        # each pair is reported once: by an Excludes1 note (A49.02), or by the rule
        assert (_MRSA_B9562 in rules) != ("I.A.12.a/excludes1" in rules), (code, rules)
        for z16 in resistance:
            rules = _rules([code, z16], release)
            assert (_MRSA_Z1611 in rules) != ("I.A.12.a/excludes1" in rules), (code, rules)
    # B95.62 for the MRSA infection of a condition without a combination code (the
    # tabulars of FY2016 and FY2017 have an Excludes1 note at Z16 for it)
    for z16 in resistance:
        findings = [(x.rule, x.positions) for x in _findings(["L03.115", "B95.62", z16], release)
                    if x.rule in (_MRSA_Z1611, "I.A.12.a/excludes1")]
        assert len(findings) == 1 and findings[0][1] == (1, 2), findings
    assert _MRSA_B9562 not in _rules(["L03.115", "B95.62"], release)
    for other in (["L03.115", "B95.61", resistance[0]], ["Z22.322", resistance[0]]):
        assert _MRSA_Z1611 not in _rules(other, release)  # MSSA; a carrier


def test_the_words_of_the_mrsa_findings() -> None:
    (b9562,) = [x for x in _findings(["J15.212", "B95.62"]) if x.rule == _MRSA_B9562]
    assert str(b9562.severity) == "error" and b9562.positions == (0, 1)
    assert b9562.message.startswith("J15.212 (Pneumonia due to Methicillin resistant "
                                    "Staphylococcus aureus) is a combination code")
    assert b9562.message.endswith("(I.C.1.e.1.a). Remove B95.62.")
    (z16,) = [x for x in _findings(["L03.115", "B95.62", "Z16.11"]) if x.rule == _MRSA_Z1611]
    assert "do not assign a code from subcategory Z16.11, Resistance to penicillins " \
        "(I.C.1.e.1). Remove Z16.11." in z16.message


# --- I.C.18.e (I.C.18.e.1 from FY2022): the coma scale, one set per 7th character.

_COMA = "I.C.18.e/coma-scale-set"


def _coma(release: str) -> dict[str, dict[str, str]]:
    """The reportable coma scale codes of *release* (R40.21- to R40.24-), by 7th character and
    by subcategory (the first code of each)."""
    found: dict[str, dict[str, str]] = {}
    for code in icd10cm.load_release(release).billable_codes():
        if code.value[:6] in ("R40.21", "R40.22", "R40.23", "R40.24") and len(code.value) == 8:
            found.setdefault(code.value[-1], {}).setdefault(code.value[:6], code.value)
    return found


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_a_coma_scale_is_one_code_of_each_subcategory_with_one_7th_character(
        release: str) -> None:
    sets = _coma(release)
    assert sorted(sets) == ["0", "1", "2", "3", "4"]  # unspecified time, in the field, ...
    injury = "S06.0X1A"  # concussion with loss of consciousness of 30 minutes or less
    # FY2016's total scores (R40.241-R40.244) have no 7th character: with any time's scores
    untimed = [code.value for code in icd10cm.load_release(release).billable_codes()
               if code.value.startswith("R40.24") and len(code.value) == 7]
    assert len(untimed) == (4 if release == "2016" else 0)
    for seventh, parts in sets.items():
        assert sorted(parts) == ["R40.21", "R40.22", "R40.23", *(["R40.24"] if not untimed else [])]
        eyes, verbal, motor = parts["R40.21"], parts["R40.22"], parts["R40.23"]
        total = parts.get("R40.24") or untimed[0]
        for complete in ([eyes, verbal, motor], [total]):
            assert _COMA not in _rules([injury, *complete], release), complete
        for incomplete in ([eyes], [verbal, motor], [eyes, verbal, motor, total]):
            findings = [x for x in _findings([injury, *incomplete], release, "inpatient")
                        if x.rule == _COMA]
            assert [x.positions for x in findings] == [tuple(range(1, len(incomplete) + 1))]
            assert f"7th character {seventh} (" in findings[0].message or (
                incomplete[-1] in untimed)
        other = sets["1" if seventh != "1" else "2"]
        mixed = [eyes, verbal, other["R40.23"]]  # the motor response of another time
        findings = [x for x in _findings([injury, *mixed], release, "inpatient")
                    if x.rule == _COMA]
        assert [x.positions for x in findings] == [(1, 2), (3,)]
        # two complete sets, recorded at two times: "a facility may choose to capture
        # multiple coma scale scores"
        two = [eyes, verbal, motor, other["R40.21"], other["R40.22"], other["R40.23"]]
        assert _COMA not in _rules([injury, *two], release)


def test_the_words_of_the_coma_scale_finding() -> None:
    (finding,) = [x for x in _findings(["S06.0X1A", "R40.2112", "R40.2222"], "2026",
                                       "inpatient") if x.rule == _COMA]
    assert str(finding.severity) == "warning"
    assert finding.message.startswith("The coma scale codes recorded with 7th character 2 "
                                      "(R40.2112, R40.2222) lack R40.23- (best motor response)")
    assert finding.message.endswith("(I.C.18.e.1).")
    (old,) = [x for x in _findings(["S06.0X1A", "R40.2112", "R40.2222"], "2021",
                                   "inpatient") if x.rule == _COMA]
    assert old.message.endswith("(I.C.18.e).")  # "e. Coma scale" in FY2020 to FY2021-01


_UNSPECIFIED_COMA = "I.C.18.e/unspecified-coma-with-scale"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_unspecified_coma_with_a_brain_injury_and_its_coma_scale(release: str) -> None:
    loaded = icd10cm.load_release(release)
    applies = rule_by_id(_UNSPECIFIED_COMA).applies_to(
        edition_for(release, loaded.info.fiscal_year)[0])
    assert applies == (loaded.info.fiscal_year >= 2024)
    brain = [code.value for code in loaded.billable_codes() if code.value.startswith("S06")]
    sets = _coma(release)
    scale = [sets["2"]["R40.21"], sets["2"]["R40.22"], sets["2"]["R40.23"]]
    for injury in brain[::40]:
        findings = [x for x in _findings([injury, "R40.20", *scale], release, "inpatient")
                    if x.rule == _UNSPECIFIED_COMA]
        assert [x.positions for x in findings] == ([(0, 1, 2, 3, 4)] if applies else [])
        # the scale not coded, or no brain injury: R40.20 is what the Guidelines say
        assert _UNSPECIFIED_COMA not in _rules([injury, "R40.20"], release)
    assert _UNSPECIFIED_COMA not in _rules(["R40.20", *scale], release)


# --- I.C.2.j: C80.0 "should not be used in place of assigning codes for the primary site
# and all known secondary sites"

_DISSEMINATED = "I.C.2.j/disseminated-with-sites"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_disseminated_malignancy_with_a_code_of_a_site(release: str) -> None:
    firsts: dict[str, str] = {}  # one reportable code of each category
    for code in icd10cm.load_release(release).billable_codes():
        firsts.setdefault(code.value[:3], code.value)
    sites = [code for category, code in firsts.items()
             if "C00" <= category <= "C7B" or "C81" <= category <= "C96"]
    assert len(sites) >= 90 and "C80" not in {code[:3] for code in sites}
    for site in sites:
        findings = [x for x in _findings([site, "C80.0"], release) if x.rule == _DISSEMINATED]
        assert [(x.positions, x.codes) for x in findings] == [((0, 1), (site, "C80.0"))]
    # no site: C80.1 (primary site unknown), neoplasms of uncertain or unspecified behavior
    others = ["C80.1", *(code for category, code in firsts.items() if "D37" <= category <= "D49")]
    for other in others:
        assert _DISSEMINATED not in _rules(["C80.0", other], release)


# --- I.B.19.b: "Code X36.0.-, Collapse of dam or man-made structure, should not be assigned
# when the cause of the collapse is due to the hurricane."

_COLLAPSE = "I.B.19.b/collapse-with-hurricane"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_collapse_of_a_man_made_structure_with_a_hurricane(release: str) -> None:
    reportable = [code.value for code in icd10cm.load_release(release).billable_codes()]
    collapses = [code for code in reportable if code.startswith("X36.0")]
    hurricanes = [code for code in reportable if code.startswith("X37.0")]
    assert len(collapses) == len(hurricanes) == 3  # initial, subsequent, sequela
    for collapse, hurricane in zip(collapses, hurricanes, strict=True):
        findings = [x for x in _findings(["S72.001A", hurricane, collapse], release, "inpatient")
                    if x.rule == _COLLAPSE]
        assert [(x.positions, x.codes) for x in findings] == [((1, 2), (hurricane, collapse))]
        # a building collapse during the hurricane: "external cause codes for both the
        # hurricane and the building collapse should be assigned"
        assert _COLLAPSE not in _rules(["S72.001A", hurricane, "W20.1XXA"], release)
        assert _COLLAPSE not in _rules(["S72.001A", collapse], release)


# --- I.C.15.b.5: "A code from category Z37, Outcome of delivery, should be included on
# every maternal record when a delivery has occurred."

_NO_OUTCOME = "I.C.15.b.5/delivery-without-outcome"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_a_delivery_without_an_outcome_of_delivery(release: str) -> None:
    reportable = [code for code in icd10cm.load_release(release).billable_codes()
                  if code.value[0] == "O"]
    # a delivery has occurred: the encounters for a delivery, and the codes whose title
    # says so ("with preterm delivery", "complicating childbirth", "in childbirth",
    # "during delivery", "delivery by (planned) cesarean section")
    said = ("with preterm delivery", "with full-term delivery", "term delivery",
            "complicating childbirth", "in childbirth", "during delivery", "delivery by")
    delivered = [code.value for code in reportable if code.value in ("O80", "O82")
                 or any(words in code.title.lower() for words in said)]
    assert len(delivered) >= 60 and {"O80", "O82"} <= set(delivered)
    for code in delivered[::3]:
        findings = [x for x in _findings([code, "Z3A.39"], release, "inpatient")
                    if x.rule == _NO_OUTCOME]
        assert [x.positions for x in findings] == [(0,)], code
        assert _NO_OUTCOME not in _rules([code, "Z37.0", "Z3A.39"], release)
    # no delivery: antepartum and puerperal conditions, labor without delivery
    others = [code.value for code in reportable if code.value not in delivered and any(
        words in code.title.lower() for words in ("without delivery", "in pregnancy",
                                                   "puerperium", "antepartum"))]
    assert len(others) >= 100
    for code in others[::7]:
        assert _NO_OUTCOME not in _rules([code], release), code


# --- I.C.10.d: ventilator associated pneumonia with a code of J12-J18

_VAP = "I.C.10.d.1/vap-with-pneumonia"


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_vap_with_a_code_for_the_type_of_pneumonia(release: str) -> None:
    firsts: dict[str, str] = {}  # one reportable code of each category J12-J18
    for code in icd10cm.load_release(release).billable_codes():
        if "J12" <= code.value[:3] <= "J18":
            firsts.setdefault(code.value[:3], code.value)
    assert sorted(firsts) == ["J12", "J13", "J14", "J15", "J16", "J17", "J18"]
    for pneumonia in firsts.values():
        findings = [x for x in _findings(["J95.851", pneumonia, "B96.5"], release, "inpatient")
                    if x.rule == _VAP]
        assert [(x.positions, x.codes) for x in findings] == [((0, 1), ("J95.851", pneumonia))]
        # "admitted with one type of pneumonia ... and subsequently develop VAP": the
        # pneumonia of the admission is the principal diagnosis, or present on admission
        assert _VAP not in [x.rule for x in _findings([pneumonia, "J95.851"], release,
                                                      "inpatient")]
        late = _findings(["A41.9", "J95.851", pneumonia], release, "inpatient", ["Y", "N", "Y"])
        assert _VAP not in [x.rule for x in late]
        early = _findings(["A41.9", "J95.851", pneumonia], release, "inpatient", ["Y", "Y", "N"])
        assert [x.positions for x in early if x.rule == _VAP] == [(1, 2)]
    assert _VAP not in _rules(["J95.851", "B96.5"], release)


# --- I.C.4.a.5: an insulin pump malfunction "as the principal or first-listed code,
# followed by code T38.3X6-" (underdose) or "T38.3X1-" (overdose)

_PUMP = "I.C.4.a.5/insulin-pump-first"
PUMP_UNDERDOSE = ("An underdose of insulin due to an insulin pump failure should be assigned to a "
                  "code from subcategory T85.6")
PUMP_OVERDOSE = ("The principal or first-listed code for an encounter due to an insulin pump "
                 "malfunction resulting in an overdose of insulin, should also be T85.6-")


@pytest.mark.cms_raw
@pytest.mark.parametrize("edition", EDITIONS, ids=lambda edition: edition.id)
def test_the_insulin_pump_sentences_are_in_every_edition(
        cms_raw: Path, edition: GuidelineEdition) -> None:
    text = _folded((cms_raw / "guidelines" / "text" / edition.file).read_text(encoding="utf-8"))
    assert _folded(PUMP_UNDERDOSE) in text and _folded(PUMP_OVERDOSE) in text
    assert rule_by_id(_PUMP).applies_to(edition)


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_an_insulin_pump_malfunction_comes_before_the_dose_it_caused(release: str) -> None:
    reportable = list(icd10cm.load_release(release).billable_codes())
    pumps = [code.value for code in reportable
             if code.value.startswith("T85.6") and "insulin pump" in code.title]
    doses = [code.value for code in reportable if code.value.startswith(("T38.3X1", "T38.3X6"))]
    assert len(pumps) >= 9 and len(doses) == 6  # breakdown, displacement, leakage...; A, D, S
    for pump in pumps[::3]:
        for dose in doses[::3]:
            e = Encounter.from_codes([dose, pump, "E10.649"], release=release,
                                     setting="inpatient")
            assert [(x.positions, x.codes) for x in check(e) if x.rule == _PUMP] == [
                ((1, 0), (pump, dose))]
            assert [c.value for c in sequence(e).encounter.diagnoses] == [pump, dose, "E10.649"]
            right = Encounter.from_codes([pump, dose, "E10.649"], release=release,
                                         setting="inpatient")
            assert [x.rule for x in check(right) if x.is_ordering] == []
            # the diabetes first: the pump is preferred first in place of the poisoning
            other = Encounter.from_codes(["E10.649", pump, dose], release=release,
                                         setting="inpatient")
            assert [x.positions for x in check(other) if x.rule == _PUMP] == [(0, 1)]
            assert sequence(other).encounter.diagnoses[0].value == pump
    # no pump: the poisoning comes first (I.C.19.e.5.b)
    assert "I.C.19.e.5.b/poisoning-first" in _rules(["E10.649", doses[0]], release)


# --- I.C.9.a: the codes hypertension takes with it (the stage of CKD with I12 and I13,
# hypertension with hypertensive retinopathy, the etiology of secondary hypertension)


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_i12_and_i13_without_the_stage_of_ckd(release: str) -> None:
    reportable = [code.value for code in icd10cm.load_release(release).billable_codes()]
    stages = [code for code in reportable if code.startswith("N18")]
    for category, rule in (("I12", "I.C.9.a.2/i12-without-n18"),
                           ("I13", "I.C.9.a.3/i13-without-n18")):
        codes = [code for code in reportable if code.startswith(category)]
        assert len(codes) >= 2
        for code in codes:
            findings = [x for x in _findings([code, "I50.9"], release) if x.rule == rule]
            assert [(x.positions, x.codes) for x in findings] == [((0,), (code,))]
            for stage in stages:  # any stage will do here; which one is I.C.14's
                assert rule not in _rules([code, "I50.9", stage], release)


@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_hypertensive_retinopathy_without_hypertension(release: str) -> None:
    rule = "I.C.9.a.5/retinopathy-without-hypertension"
    reportable = [code.value for code in icd10cm.load_release(release).billable_codes()]
    retinopathy = [code for code in reportable if code.startswith("H35.03")]
    assert len(retinopathy) == 4  # right, left, bilateral, unspecified eye
    hypertension = [code for code in reportable if "I10" <= code[:3] <= "I15"]
    for code in retinopathy:
        findings = [x for x in _findings([code], release) if x.rule == rule]
        assert [(x.positions, x.codes) for x in findings] == [((0,), (code,))]
        for other in hypertension[::3]:
            assert rule not in _rules([code, other], release)
    # other background retinopathy (microaneurysms, H35.04-) is not hypertensive
    assert rule not in _rules(["H35.043"], release)
    # in pregnancy, hypertension is coded in O10-O16 (O10.0: "Any condition in I10 specified
    # as a reason for obstetric care")
    pregnancy = [code for code in reportable if "O10" <= code[:3] <= "O16"]
    assert len(pregnancy) >= 20
    for other in pregnancy[::5]:
        assert rule not in _rules([other, retinopathy[0]], release)


@pytest.mark.parametrize(("codes", "fires"), [
    (["I15.0"], True), (["I15.8", "Z79.899"], True), (["I15.1", "H35.033"], True),
    (["I15.0", "I16.1", "W19.XXXA"], True),
    (["I15.8", "E26.01"], False),  # hyperaldosteronism
    (["N26.2", "I15.0"], False),  # page kidney, renovascular hypertension
])
def test_secondary_hypertension_needs_its_etiology(codes: list[str], fires: bool) -> None:
    assert ("I.C.9.a.6/secondary-hypertension-alone" in _rules(codes)) is fires


# --- I.C.15.f: O98.7- with B20 (and the HIV-related illnesses) or with Z21

@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_hiv_in_pregnancy_without_the_code_of_the_hiv(release: str) -> None:
    rule = "I.C.15.f/o98-7-without-hiv-code"
    codes = [code.value for code in icd10cm.load_release(release).billable_codes()
             if code.value.startswith("O98.7")]
    assert len(codes) == 6  # three trimesters and unspecified, childbirth, puerperium
    for code in codes:
        findings = [x for x in _findings([code, "Z3A.20"], release) if x.rule == rule]
        assert [(x.positions, x.codes) for x in findings] == [((0,), (code,))]
        for hiv in ("B20", "Z21"):
            assert rule not in _rules([code, hiv, "Z3A.20"], release)


# --- I.C.2.r: "Assign first the appropriate code from category T86.- ... followed by code
# C80.2 ... Use an additional code for the specific malignancy."

@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_a_malignancy_of_a_transplanted_organ(release: str) -> None:
    rule = "I.C.2.r/transplant-malignancy-codes"
    reportable = [code.value for code in icd10cm.load_release(release).billable_codes()]
    complications = [code for code in reportable if code.startswith("T86")]
    assert len(complications) >= 40
    for complication in complications[::5]:
        assert rule not in _rules([complication, "C80.2", "C64.1"], release)
        (finding,) = [x for x in _findings([complication, "C80.2"], release) if x.rule == rule]
        assert finding.positions == (1,) and "specific malignancy" in finding.message
    (finding,) = [x for x in _findings(["C80.2", "C64.1"], release) if x.rule == rule]
    assert finding.positions == (0,) and "T86.-" in finding.message
    assert "specific malignancy" not in finding.message.partition(": ")[0]


# --- I.C.13.d.2: "A code from category M80, not a traumatic fracture code, should be used
# for any patient with known osteoporosis who suffers a fracture"

@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_known_osteoporosis_with_a_traumatic_fracture(release: str) -> None:
    rule = "I.C.13.d.2/osteoporosis-with-traumatic-fracture"
    reportable = list(icd10cm.load_release(release).billable_codes())
    osteoporosis = [code.value for code in reportable if code.value.startswith("M81")]
    fractures = [code.value for code in reportable
                 if code.value[0] == "S" and "fracture" in code.title.lower()]
    others = [code.value for code in reportable
              if code.value[0] == "S" and "fracture" not in code.title.lower()]
    assert len(osteoporosis) >= 3 and len(fractures) >= 10_000 and len(others) >= 10_000
    for known in osteoporosis:
        for fracture in fractures[::2000]:
            findings = [x for x in _findings([fracture, known], release) if x.rule == rule]
            assert [(x.positions, x.codes) for x in findings] == [((0, 1), (fracture, known))]
        for other in others[::2500]:  # a dislocation, a laceration...
            assert rule not in _rules([other, known], release)
    # M80 is the code the Guidelines ask for: no finding
    pathological = next(code.value for code in reportable if code.value.startswith("M80.0"))
    assert rule not in _rules([pathological, "W19.XXXA"], release)


# --- What the Excludes1 notes of the Tabular List already report (no new rule)

@pytest.mark.parametrize("release", _SWEPT_RELEASES)
def test_z34_and_z33_1_with_chapter_15(release: str) -> None:
    # I.C.15.b.1 and I.C.21.c.11 (Z34), I.C.15.a.1 (Z33.1), as quoted above; the
    # Excludes1 notes at Z34, "any complication of pregnancy (O00-O9A)", and at Z33.1,
    # "complications of pregnancy (O00-O9A)"
    loaded = icd10cm.load_release(release)
    chapter_15 = [code.value for code in loaded.billable_codes() if code.value[0] == "O"]
    for z_code in ("Z34.00", "Z34.83", "Z33.1"):
        for other in [*chapter_15[::25], "O80", "O09.90",
                      "O99.891" if release >= "2021" else "O99.89"]:
            assert "I.A.12.a/excludes1" in _rules([z_code, other], release), (z_code, other)


@pytest.mark.cms_raw
def test_the_z34_and_z33_1_notes_are_in_every_official_tabular(cms_raw: Path) -> None:
    for release in _TABULAR_RELEASES:
        assert _tabular_note(cms_raw, release, "Z34", "excludes1",
                             "any complication of pregnancy (O00-O9A)"), release
        assert _tabular_note(cms_raw, release, "Z33.1", "excludes1",
                             "complications of pregnancy (O00-O9A)"), release


def test_z33_1_without_chapter_15() -> None:
    assert _rules(["J06.9", "Z33.1"]) == []


def _substance_pairs(release: str) -> list[tuple[str, str]]:
    """Each pair of reportable codes of one substance (F10-F19 but F17) that the
    hierarchy of I.C.5.b.2 keeps apart: use (.9) and abuse (.1), abuse and dependence
    (.2), use and dependence."""
    loaded = icd10cm.load_release(release)
    codes = [code.value for code in loaded.billable_codes()
             if code.value.startswith("F1") and len(code.value) > 4]
    pairs = []
    for substance in "0123456789":
        if substance == "7":  # nicotine dependence only
            continue
        group = {kind: [c for c in codes if c.startswith(f"F1{substance}.{kind}")]
                 for kind in "129"}
        pairs += [(x, y) for a, b in (("9", "1"), ("1", "2"), ("9", "2"))
                  for x in group[a] for y in group[b]]
    return pairs


@pytest.mark.parametrize("release", ["2016", "2026"])
def test_use_abuse_and_dependence_of_one_substance_sampled(release: str) -> None:
    pairs = _substance_pairs(release)
    assert len(pairs) > 5000
    for pair in pairs[::97]:
        assert "I.A.12.a/excludes1" in _rules(list(pair), release), pair


@pytest.mark.slow
@pytest.mark.parametrize("release", _TABULAR_RELEASES)
def test_use_abuse_and_dependence_of_one_substance(release: str) -> None:
    for pair in _substance_pairs(release):
        assert "I.A.12.a/excludes1" in _rules(list(pair), release), pair
