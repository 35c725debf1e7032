"""Z codes the Guidelines call secondary only, outside the I.B.14 list: Z33.1, pregnant
state, incidental (I.C.21.c.3) and Z37, outcome of delivery (I.C.21.c.11).

Each quote is checked against the text of every edition among the official files, so
each rule applies to all of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from icd10cm import Encounter, check, sequence
from icd10cm.encounters.guidelines import EDITIONS, GuidelineEdition
from icd10cm.encounters.rules import rule_by_id

Z33_1 = ("Z33.1 Pregnant state, incidental This code is a secondary code only for use when the "
         "pregnancy is in no way complicating the reason for visit. Otherwise, a code from "
         "the obstetric chapter is required.")
Z37 = ("The outcome of delivery, category Z37, should be included on all maternal delivery "
       "records. It is always a secondary code.")
INCIDENTAL = "I.C.21.c.3/incidental-pregnancy-first"
OUTCOME = "I.C.21.c.11/delivery-outcome-first"


def _folded(text: str) -> str:
    """*text* without white space and in lower case: the editions break lines and pages
    inside sentences."""
    return "".join(text.lower().split())


@pytest.mark.cms_raw
@pytest.mark.parametrize("edition", EDITIONS, ids=lambda edition: edition.id)
def test_every_edition_says_so(cms_raw: Path, edition: GuidelineEdition) -> None:
    text = (cms_raw / "guidelines" / "text" / edition.file).read_text(encoding="utf-8")
    folded = _folded(text)
    assert _folded(Z33_1) in folded
    assert _folded(Z37) in folded


@pytest.mark.parametrize("rule_id", [INCIDENTAL, OUTCOME])
def test_the_rules_apply_to_every_edition(rule_id: str) -> None:
    rule = rule_by_id(rule_id)
    assert rule.editions == tuple(edition.id for edition in EDITIONS)
    assert str(rule.severity) == "error"


def _rules(codes: list[str], release: str, setting: str) -> list[str]:
    encounter = Encounter.from_codes(codes, release=release, setting=setting)
    return [finding.rule for finding in check(encounter)]


@pytest.mark.parametrize("setting", ["outpatient", "inpatient"])
@pytest.mark.parametrize("release", ["2016", "2021", "2027"])
@pytest.mark.parametrize("other", ["J06.9", "S93.401A", "M54.50"])
def test_incidental_pregnancy_first_is_an_error(setting: str, release: str,
                                                other: str) -> None:
    if other == "M54.50" and release < "2022":  # M54.50 is new in FY2022
        other = "M54.5"
    assert INCIDENTAL in _rules(["Z33.1", other], release, setting)
    assert INCIDENTAL not in _rules([other, "Z33.1"], release, setting)
    encounter = Encounter.from_codes(["Z33.1", other], release=release, setting=setting)
    ordered = sequence(encounter).encounter.diagnoses
    assert [code.value for code in ordered] == [other, "Z33.1"]


@pytest.mark.parametrize("setting", ["outpatient", "inpatient"])
def test_outcome_of_delivery_first_is_an_error(setting: str) -> None:
    finding = next(x for x in check(Encounter.from_codes(["Z37.0", "O80"], setting=setting))
                   if x.rule == OUTCOME)
    assert finding.positions == (0,)
    assert "It is always a secondary code" in finding.message
    assert "(I.C.21.c.11)" in finding.message
    ordered = sequence(Encounter.from_codes(["Z37.0", "O80"], setting=setting))
    assert [code.value for code in ordered.encounter.diagnoses] == ["O80", "Z37.0"]
    # alone it is still not a principal diagnosis
    assert OUTCOME in _rules(["Z37.0"], "2027", setting)


@pytest.mark.parametrize("codes", [
    ["O80", "Z37.0", "Z3A.39"],
    ["O70.0", "Z37.0", "Z3A.40"],
    ["J06.9", "Z33.1"],
    ["Z33.2"],  # elective termination: another Z33 code, not Z33.1
    ["Z34.00"],
    ["O09.90", "Z3A.20"],
])
def test_other_orders_and_codes_are_not_flagged(codes: list[str]) -> None:
    rules = _rules(codes, "2027", "inpatient")
    assert INCIDENTAL not in rules and OUTCOME not in rules
