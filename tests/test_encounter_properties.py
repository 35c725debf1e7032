"""Properties of check() and sequence() over random encounters drawn from real codes."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings, strategies as st

import icd10cm
from icd10cm import Encounter, check, sequence
from icd10cm.encounters.analysis import analyse

RELEASE = "2025-04"
# Codes that trigger the rules, so that random encounters often interact.
_RULE_CODES = (
    "Z47.1 Z96.651 T42.4X1A T42.4X5A R40.0 T39.395A K29.70 L90.5 T21.21XS S52.521A "
    "S52.521D S52.521S G30.9 F02.80 E11.621 L97.519 G63 E85.9 I50.9 I11.0 N18.30 I12.9 "
    "Z79.4 E11.9 E10.9 Z18.10 S61.411A J45.909 E84.0 G24.9 M17.10 I50.21 I50.22 K81.0 "
    "K81.1 O24.410 O99.511 Z3A.10 R10.9 K35.80 R05.9 U07.1 Z23 W19.XXXA W19.XXXD Y92.010 "
    "Y92.009 Y93.01 Y99.0 Y99.8 Z68.41 E66.01 O99.211 Z47.89 Z00.00 Z51.11 C50.911 I10 "
    "E11 S52.521 H28 E11.36 Z03.89 M80.08XA M80.08XS M84.361D X50.3XXA O94 N39.3 G09 "
    "T40.1X1S T86.8401 T21.21XA"
)
RULE_CODES = _RULE_CODES.split()
SOFT_RULES = {"I.C.15.a/pregnancy-first", "I.C.19.e.5.b/poisoning-first",
              "I.C.18/symptom-first", "I.B.10/sequela-first",
              "I.C.19.e.5.a/adverse-effect-first"}
FIRST_BARRED = {"I.C.20.a.6/external-cause-first", "I.C.21.c.3/bmi-first",
                "I.A.13/manifestation-first"}


@cache
def _billable() -> tuple[str, ...]:
    return tuple(code.value for code in icd10cm.load_release(RELEASE).billable_codes())


@st.composite
def encounters(draw: st.DrawFn) -> Encounter:
    code = st.one_of(st.sampled_from(RULE_CODES),
                     st.integers(0, len(_billable()) - 1).map(lambda i: _billable()[i]))
    codes = draw(st.lists(code, min_size=1, max_size=8))
    setting = draw(st.sampled_from(["inpatient", "outpatient"]))
    poa = None if setting == "outpatient" else draw(st.lists(
        st.sampled_from(["Y", "N", "U", "W", "1", None]), min_size=len(codes),
        max_size=len(codes)))
    return Encounter.from_codes(codes, setting=setting, release=RELEASE,
                                present_on_admission=poa,
                                first_designated=draw(st.booleans()))


@settings(max_examples=300, deadline=None)
@given(encounters())
@pytest.mark.slow
def test_sequence_is_a_permutation_that_sequencing_again_leaves_alone(e: Encounter) -> None:
    result = sequence(e)
    assert sorted(result.order) == list(range(len(e)))
    assert result.encounter.diagnoses == tuple(e.diagnoses[p] for p in result.order)
    if e.present_on_admission is not None:
        assert result.encounter.present_on_admission == tuple(
            e.present_on_admission[p] for p in result.order)
    assert (result.encounter.setting, result.encounter.first_designated) == (
        e.setting, e.first_designated)
    again = sequence(result.encounter)
    assert again.order == tuple(range(len(e))) and again.moves == ()
    assert again.unresolved == result.unresolved
    assert sequence(e) == result  # deterministic


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(encounters())
def test_check_after_sequence_reports_only_the_unresolved_conflicts(e: Encounter) -> None:
    result = sequence(e)
    ordering = tuple(f for f in check(result.encounter) if f.is_ordering)
    assert ordering == result.unresolved
    analysis = analyse(result.encounter)
    for finding in result.unresolved:
        if finding.rule in SOFT_RULES:  # kept only because the provider designated it
            assert e.first_designated
        elif finding.rule in FIRST_BARRED:  # kept only when nothing else can be first
            assert not any(analysis.can_be_first(p) for p in range(len(e)))
            assert not analysis.required


@settings(max_examples=300, deadline=None)
@given(encounters())
@pytest.mark.slow
def test_findings_and_moves_are_well_formed(e: Encounter) -> None:
    findings = check(e)
    assert findings == check(e)
    rule_ids = {rule.id for rule in icd10cm.rules()}
    for finding in findings:
        assert finding.rule in rule_ids and finding.message
        assert finding.codes == tuple(e.diagnoses[p].value for p in finding.positions)
        assert all(s in e.release for s in finding.suggestions)
    result = sequence(e)
    for move in result.moves:
        assert move.rule in rule_ids
        assert e.diagnoses[move.from_position].value == move.code
        assert result.encounter.diagnoses[move.to_position].value == move.code
    # A designated first diagnosis stays first unless a rule forbids it.
    analysis = analyse(e)
    if e.first_designated and analysis.can_be_first(0) and not analysis.required:
        assert result.order[0] == 0
    if not result.moves:
        assert result.order == tuple(range(len(e)))
