"""Checks of the rules added in the second review against the Guidelines (review-rules2):
the transcribed tables against the official titles, and the combination codes the
hypertension rules suggest (I.C.9.a)."""

from __future__ import annotations

import pytest

import icd10cm
from icd10cm import Encounter, check
from icd10cm.encounters.rules_pairs import TRANSPLANT_COMPLICATIONS

#: The organ words of "X transplant status" (Z94) and of "Complications of X
#: transplant/graft" (T86) that name the same transplant.
_SAME_ORGAN = {"heart and lungs": "heart-lung", "corneal": "corneal", "stem cells": "stem cell"}


@pytest.mark.parametrize("release", ["2016", "2026"])
def test_each_transplant_status_is_paired_with_the_complications_of_its_transplant(
        release: str) -> None:
    loaded = icd10cm.load_release(release)
    for status, complications in TRANSPLANT_COMPLICATIONS:
        organ = loaded[status].title.lower().removesuffix(" transplant status")
        title = loaded[complications].title.lower()
        assert title.startswith(("complications of", "complication of")), (complications, title)
        assert _SAME_ORGAN.get(organ, organ) in title, (status, organ, complications, title)


def _suggested(codes: list[str], rule: str) -> list[tuple[str, ...]]:
    encounter = Encounter.from_codes(codes, release="2026")
    return [finding.suggestions for finding in check(encounter) if finding.rule == rule]


# I.C.9.a.3: "If heart failure is present, assign an additional code from category I50";
# the I13 titles (FY2026): I13.0 "with heart failure and stage 1 through stage 4 chronic
# kidney disease, or unspecified chronic kidney disease", I13.11 "without heart failure,
# with stage 5 chronic kidney disease, or end stage renal disease", I13.2 "with heart
# failure and with stage 5 chronic kidney disease, or end stage renal disease", I13.10
# "without heart failure, with stage 1 through stage 4 ...".
@pytest.mark.parametrize(("codes", "rule", "code"), [
    (["I10", "I50.22", "N18.4"], "I.C.9.a.3/hypertensive-heart-ckd", "I13.0"),
    (["I10", "I51.9", "N18.6"], "I.C.9.a.3/hypertensive-heart-ckd", "I13.11"),
    (["I11.0", "I50.22", "N18.6"], "I.C.9.a.3/hypertensive-heart-ckd", "I13.2"),
    (["I12.9", "I51.9", "N18.4"], "I.C.9.a.3/hypertensive-heart-ckd", "I13.10"),
    (["I13.0", "I50.22", "N18.6"], "I.C.9.a.3/hypertensive-heart-ckd", "I13.2"),
    # I11.0 "Hypertensive heart disease with heart failure", I11.9 "... without heart failure"
    (["I10", "I50.9"], "I.C.9.a.1/hypertension-heart", "I11.0"),
    (["I10", "I51.89"], "I.C.9.a.1/hypertension-heart", "I11.9"),
    # I12.0 "... with stage 5 chronic kidney disease or end stage renal disease"
    (["I10", "N18.5"], "I.C.9.a.2/hypertension-ckd", "I12.0"),
    (["I12.0", "N18.30"], "I.C.9.a.2/hypertension-ckd", "I12.9"),
])
def test_hypertension_suggests_the_one_combination_code(codes: list[str], rule: str,
                                                        code: str) -> None:
    assert _suggested(codes, rule) == [(code,)]


@pytest.mark.parametrize("codes", [
    ["I11.0", "I50.22"], ["I12.9", "N18.4"], ["I12.0", "N18.6"], ["I13.2", "I50.22", "N18.6"],
    ["I11.9", "I51.89"], ["I15.0", "N18.4"], ["I10", "I25.10"],
])
def test_hypertension_coded_as_the_guidelines_say_has_no_finding(codes: list[str]) -> None:
    encounter = Encounter.from_codes(codes, release="2026")
    assert not [f.rule for f in check(encounter) if f.rule.startswith("I.C.9.a")]


def test_hypertension_finding_says_what_to_replace_and_what_to_remove() -> None:
    # I.C.9.a.1: "I51.5, Myocardial degeneration, or I51.7, Cardiomegaly, is assigned to a
    # code from category I11 ... No additional code is assigned".
    [finding] = [f for f in check(Encounter.from_codes(["I10", "I51.7"], release="2026"))
                 if f.rule == "I.C.9.a.1/hypertension-heart"]
    assert finding.positions == (0, 1) and finding.suggestions == ("I11.9",)
    assert "report I11.9 instead of I10 and remove I51.7" in finding.message
