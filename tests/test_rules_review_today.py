"""False positives of today's encounter rules, found in a fresh-eyes review
(review-today): each encounter is one a coder reports as the Guidelines text and the
Alphabetic Index say, and the rule must stay quiet on it."""

from __future__ import annotations

import pytest

from icd10cm import Encounter, check


def _rules(codes: list[str], release: str, prefix: str) -> list[str]:
    encounter = Encounter.from_codes(codes, release=release)
    return [finding.rule for finding in check(encounter) if finding.rule.startswith(prefix)]


# I.C.21.c.11 (every edition): "Category Z3A codes should not be assigned for pregnancies
# with abortive outcomes (categories O00-O08), elective termination of pregnancy (code
# Z33.2), nor for postpartum conditions"; "The outcome of delivery, category Z37, should
# be included on all maternal delivery records". A condition of the puerperium that arises
# during the delivery stay is coded on that delivery's record, where Z3A gives the weeks
# of gestation ("The date of the admission should be used to determine weeks of
# gestation for inpatient admissions that encompass more than one gestational week").
@pytest.mark.parametrize("codes", [
    ["O85", "A41.9", "Z37.0", "Z3A.39"],  # O85 Puerperal sepsis
    ["O86.12", "Z37.0", "Z3A.40"],  # O86.12 Endometritis following delivery
    ["O90.81", "Z37.0", "Z3A.39"],  # O90.81 Anemia of the puerperium
])
def test_weeks_of_gestation_on_a_delivery_record_with_a_puerperal_condition(
        codes: list[str]) -> None:
    assert _rules(codes, "2026", "I.C.21.c.11") == []


def test_weeks_of_gestation_with_a_postpartum_condition_alone_is_still_found() -> None:
    # The postpartum encounter (no outcome of delivery): I.C.21.c.11 as quoted above.
    assert _rules(["O90.81", "Z3A.39"], "2026", "I.C.21.c.11") == [
        "I.C.21.c.11/weeks-of-gestation"]


# I.C.9.a.1 until the FY2025 April update: "Hypertension with heart conditions classified
# to I50.- or I51.4-I51.7, I51.89, I51.9, are assigned to a code from category I11,
# Hypertensive heart disease. Use additional code(s) from category I50, Heart failure, to
# identify the type(s) of heart failure in those patients with heart failure." Only the
# FY2026 edition adds "Hypertension with heart conditions classified to I51.5, Myocardial
# degeneration, or I51.7, Cardiomegaly, is assigned to a code from category I11 ... No
# additional code is assigned to identify the specific heart condition."
@pytest.mark.parametrize("release", ["2020", "2024", "2025-04"])
@pytest.mark.parametrize("codes", [["I11.9", "I51.7"], ["I11.9", "I51.5"]])
def test_i51_5_and_i51_7_with_i11_before_fy2026(codes: list[str], release: str) -> None:
    assert _rules(codes, release, "I.C.9.a") == []


def test_i51_7_with_i11_in_fy2026_is_still_found() -> None:
    assert _rules(["I11.9", "I51.7"], "2026", "I.C.9.a") == ["I.C.9.a.1/hypertension-heart"]


def test_hypertension_with_i51_7_before_fy2026_replaces_i10_only() -> None:
    encounter = Encounter.from_codes(["I10", "I51.7"], release="2024")
    [finding] = [f for f in check(encounter) if f.rule == "I.C.9.a.1/hypertension-heart"]
    assert finding.suggestions == ("I11.9",)
    assert "report I11.9 instead of I10," in finding.message
    assert "remove" not in finding.message


def _with_combination(codes: list[str]) -> list[tuple[str, ...]]:
    encounter = Encounter.from_codes(codes, release="2026")
    return [f.suggestions for f in check(encounter) if f.rule == "I.A.15/with-combination"]


def test_with_combination_suggests_only_codes_of_the_same_condition() -> None:
    # Tabular (FY2026) I87.0 Postthrombotic syndrome: I87.01 "Postthrombotic syndrome with
    # ulcer" and I87.03 "... with ulcer and inflammation" ("Use additional code to specify
    # site and severity of ulcer (L97.-)"); I87.2 "Venous insufficiency (chronic)
    # (peripheral)" and I87.3- "Chronic venous hypertension (idiopathic)" are other
    # conditions, and I87.012 is the left leg while I87.001 is the right.
    [suggested] = _with_combination(["I87.001", "L97.911"])
    assert set(suggested) == {"I87.011", "I87.013", "I87.019", "I87.031", "I87.033",
                              "I87.039"}


def test_with_combination_not_for_a_condition_the_index_does_not_link() -> None:
    # I.A.15: the presumption holds for "the two conditions linked by these terms in the
    # Alphabetic Index or Tabular List". The Index (FY2023 icd10cm_index_2023.xml) under
    # "Diabetes, type 2, with" has "ophthalmic complication NEC E11.39" and no glaucoma;
    # E11.39's note ("Use additional code to identify manifestation, such as: diabetic
    # glaucoma (H40-H42)") names glaucoma the provider has linked ("diabetic").
    assert _with_combination(["E11.9", "H40.1131"]) == []
    # "Diabetes, type 2, with chronic kidney disease E11.22", "foot ulcer E11.621"
    assert _with_combination(["E11.9", "N18.30"]) == [("E11.22",)]
    assert _with_combination(["E11.9", "L97.511"]) == [("E11.621", "E11.622")]


# I.C.20.a.8: "No external cause code from Chapter 20 is needed if the external cause and
# intent are included in a code from another chapter (e.g. T36.0X1-, Poisoning by
# penicillins, accidental (unintentional))." The order file titles T71.111A
# "Asphyxiation due to smothering under pillow, accidental, initial encounter": its
# cause and intent are in the code, so a place code may follow it (I.C.20.b).
@pytest.mark.parametrize("codes", [
    ["T71.111A", "Y92.009"],
    ["T71.221A", "Y92.410", "Y99.8"],  # "... due to being trapped in a car trunk, accidental"
])
def test_an_asphyxiation_code_that_names_its_intent_is_a_cause(codes: list[str]) -> None:
    assert _rules(codes, "2026", "I.C.20") == []


def test_an_injury_whose_title_names_no_intent_still_needs_a_cause() -> None:
    # S72.001A, Fracture of unspecified part of neck of right femur: no cause in its title.
    assert _rules(["S72.001A", "Y92.009"], "2026", "I.C.20") == [
        "I.C.20.b/place-without-cause"]


# I.B.9, as for E11.9 with E11.65: K50.90 "Crohn's disease, unspecified, without
# complications" and K50.911 "Crohn's disease, unspecified, with rectal bleeding" (order
# file) code one condition without complications and with one, the titles separated by a
# comma before "with".
def test_without_complications_beside_a_comma_with_title_is_found() -> None:
    assert _rules(["K50.90", "K50.911"], "2026", "I.B.9") == ["I.B.9/without-complications"]


def test_postprocedural_septic_shock_names_the_postprocedural_infection_first() -> None:
    # I.C.1.d.5: "assign the codes indicated above for sepsis due to a postprocedural
    # infection, followed by code T81.12-, Postprocedural septic shock"; those codes are
    # "a code from T81.40, to T81.43 ... or a code from O86.00 to O86.03".
    encounter = Encounter.from_codes(["T81.12XA", "T81.41XA"], release="2026",
                                     setting="inpatient")
    [finding] = [f for f in check(encounter) if f.rule == "I.C.1.d.3/severe-sepsis-first"]
    assert "T81.4-" in finding.message and "(I.C.1.d.5)" in finding.message
