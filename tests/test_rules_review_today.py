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
