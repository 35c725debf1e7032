"""Encounter checks and first-listed sequencing (Guidelines Sections I-IV).

The scenario table takes its cases from the Guidelines' own examples and from the
clinicians' FAQ in ../shared/docs/sources; each lists the rules expected to fire
and the order ``sequence`` must produce. ``I.B.2/unspecified`` (information) is
asserted only where a scenario names it.
"""

from __future__ import annotations

import gc
import weakref
from datetime import date

import attrs
import pytest

import icd10cm
from icd10cm import Encounter, EncounterError, Finding, Setting, check, sequence

DOS = "2025-06-01"  # in force: FY2025 April 1 update, which has Tabular notes
UNSPECIFIED = "I.B.2/unspecified"


@attrs.frozen
class Scenario:
    name: str
    codes: tuple[str, ...]
    rules: frozenset[str]
    order: tuple[str, ...] | None = None  # None: the reported order stays
    setting: str = "outpatient"
    date: str | None = DOS
    designated: bool = False
    unresolved: frozenset[str] = frozenset()


def _s(name: str, codes: str, rules: str = "", order: str | None = None,
       **options: object) -> Scenario:
    unresolved = frozenset(str(options.pop("unresolved", "")).split())
    return Scenario(name, tuple(codes.split()), frozenset(rules.split()),
                    None if order is None else tuple(order.split()),
                    unresolved=unresolved, **options)  # type: ignore[arg-type]


SCENARIOS = [
    # FAQ: rehabilitation after a knee replacement: Z47.1 first, then the joint (Z96.651).
    _s("aftercare after knee replacement (FAQ)", "Z47.1 Z96.651"),
    _s("knee replacement joint listed first", "Z96.651 Z47.1", "I.A.13/use-additional-order",
       "Z47.1 Z96.651"),
    # I.C.19.e.5: poisoning first, then manifestations; adverse effect: nature first.
    _s("poisoning by benzodiazepines with somnolence", "T42.4X1A R40.0"),
    _s("poisoning listed after its manifestation", "R40.0 T42.4X1A",
       "I.C.19.e.5.b/poisoning-first", "T42.4X1A R40.0"),
    _s("adverse effect of benzodiazepines, nature first", "R40.0 T42.4X5A"),
    _s("adverse effect listed before its nature", "T42.4X5A R40.0",
       "I.C.19.e.5.a/adverse-effect-first", "R40.0 T42.4X5A"),
    _s("NSAID adverse effect before gastritis (code-first note)", "T39.395A K29.70",
       "I.A.13/code-first-order", "K29.70 T39.395A"),
    # I.B.10: "scar formation resulting from a burn": the scar first, the sequela second.
    _s("sequela scar after a burn", "L90.5 T21.21XS"),
    _s("burn sequela listed before the scar", "T21.21XS L90.5", "I.B.10/sequela-first",
       "L90.5 T21.21XS"),
    _s("acute and sequela code of one fracture", "S52.521A S52.521S",
       "I.B.10/acute-with-sequela"),
    # I.A.13 etiology/manifestation.
    _s("Alzheimer's disease with dementia", "G30.9 F02.80"),
    _s("dementia listed before Alzheimer's disease", "F02.80 G30.9",
       "I.A.13/manifestation-first I.A.13/code-first-order", "G30.9 F02.80"),
    _s("diabetes with a foot ulcer", "E11.621 L97.519"),
    _s("foot ulcer listed before diabetes", "L97.519 E11.621", "I.A.13/code-first-order",
       "E11.621 L97.519"),
    _s("diabetic cataract is one combination code (I.B.9)", "E11.36"),
    _s("cataract in diseases classified elsewhere beside diabetic cataract", "E11.36 H28",
       "I.A.12.a/excludes1 I.A.13/underlying-missing"),
    _s("polyneuropathy in amyloidosis out of order", "G63 E85.9",
       "I.A.13/manifestation-first I.A.13/code-first-order", "E85.9 G63"),
    _s("manifestation alone", "G63", "I.A.13/manifestation-first I.A.13/underlying-missing",
       unresolved="I.A.13/manifestation-first"),
    _s("heart failure before hypertension (code first I11.0)", "I50.9 I11.0",
       "I.A.13/code-first-order", "I11.0 I50.9"),
    _s("CKD stage before hypertensive CKD", "N18.30 I12.9", "I.A.13/code-first-order",
       "I12.9 N18.30"),
    _s("insulin use before diabetes", "Z79.4 E11.9", "I.A.13/use-additional-order",
       "E11.9 Z79.4"),
    _s("retained foreign body before the wound", "Z18.10 S61.411A",
       "I.A.13/use-additional-order", "S61.411A Z18.10"),
    # I.A.12: Excludes1 never together; Excludes2 may be.
    _s("type 1 and type 2 diabetes (Excludes1)", "E11.9 E10.9", "I.A.12.a/excludes1"),
    _s("asthma with cystic fibrosis (Excludes2 only)", "J45.909 E84.0"),
    # I.B.12.
    _s("same code twice", "E11.9 I10 E11.9", "I.B.12/duplicate"),
    # I.B.2 validity and specificity.
    _s("category reported", "E11 I10", "I.B.2/not-reportable"),
    _s("7th character missing", "S52.521 W19.XXXA", "I.B.2/not-reportable"),
    _s("dystonia, unspecified", "G24.9", UNSPECIFIED),
    _s("osteoarthritis of unspecified knee", "M17.10", UNSPECIFIED),
    # I.B.8 acute and chronic; I.B.9 combination code.
    _s("chronic before acute systolic heart failure", "I50.22 I50.21",
       "I.B.8/acute-first I.B.9/combination-code", "I50.21 I50.22"),
    _s("chronic before acute cholecystitis", "K81.1 K81.0", "I.B.8/acute-first",
       "K81.0 K81.1"),
    # I.C.15.a: chapter 15 first.
    _s("diabetes before gestational diabetes", "E11.9 O24.410",
       "I.A.12.a/excludes1 I.C.15.a/pregnancy-first", "O24.410 E11.9"),
    _s("respiratory infection complicating pregnancy", "J06.9 O99.511 Z3A.10",
       "I.C.15.a/pregnancy-first", "O99.511 J06.9 Z3A.10"),
    _s("pregnancy kept second when designated", "E11.9 O24.410",
       "I.A.12.a/excludes1 I.C.15.a/pregnancy-first", designated=True,
       unresolved="I.C.15.a/pregnancy-first"),
    # I.C.18 / Section II.A / IV.D: symptoms.
    _s("abdominal pain with appendicitis", "R10.9 K35.80", "I.C.18/symptom-first",
       "K35.80 R10.9"),
    _s("abdominal pain with appendicitis, inpatient", "R10.9 K35.80", "I.C.18/symptom-first",
       "K35.80 R10.9", setting="inpatient"),
    _s("cough with COVID-19 (I.C.1.g.1)", "R05.9 U07.1", "I.C.18/symptom-first",
       "U07.1 R05.9"),
    _s("symptom designated first is kept", "R10.9 K35.80", "I.C.18/symptom-first",
       designated=True, unresolved="I.C.18/symptom-first"),
    _s("cough with immunization (no definitive diagnosis)", "R05.9 Z23"),
    _s("symptom yields to the definitive diagnosis, not to a Z code",
       "R10.9 Z96.651 I50.23", "I.C.18/symptom-first", "I50.23 R10.9 Z96.651"),
    _s("sequela yields to its nature, not to a Z code", "T21.21XS Z96.651 L90.5",
       "I.B.10/sequela-first", "L90.5 T21.21XS Z96.651"),
    _s("adverse effect yields to its nature, not to a Z code", "T36.0X5A Z79.4 R11.10",
       "I.C.19.e.5.a/adverse-effect-first", "R11.10 T36.0X5A Z79.4"),
    # I.C.19 fractures and I.C.20 external causes.
    _s("fracture, initial encounter, with external causes", "S52.521A W19.XXXA Y92.010"),
    _s("fracture subsequent encounter", "S52.521D W19.XXXD"),
    _s("fracture subsequent encounter, external cause initial", "S52.521D W19.XXXA",
       "I.C.20.a.2/seventh-character"),
    _s("place of occurrence at a subsequent encounter", "S52.521D W19.XXXD Y92.010",
       "I.C.20.b/place-not-initial"),
    _s("external cause first-listed", "W19.XXXA S52.521A", "I.C.20.a.6/external-cause-first",
       "S52.521A W19.XXXA"),
    _s("external cause designated first is still moved", "W19.XXXA S52.521A",
       "I.C.20.a.6/external-cause-first", "S52.521A W19.XXXA", designated=True),
    _s("place before the main external cause", "S52.521A Y92.010 W19.XXXA",
       "I.C.20.d/after-main-cause", "S52.521A W19.XXXA Y92.010"),
    _s("two activity codes", "S52.521A W19.XXXA Y93.01 Y93.02", "I.C.20.d/more-than-one"),
    _s("two status codes that exclude each other", "S52.521A W19.XXXA Y99.0 Y99.8",
       "I.C.20.d/more-than-one I.A.12.a/excludes1"),
    _s("external cause alone", "W19.XXXA", "I.C.20.a.6/external-cause-first",
       unresolved="I.C.20.a.6/external-cause-first"),
    # I.C.21.
    _s("BMI first-listed", "Z68.41 E66.01",
       "I.C.21.c.3/bmi-first I.A.13/use-additional-order", "E66.01 Z68.41"),
    _s("BMI alone", "Z68.41", "I.C.21.c.3/bmi-first", unresolved="I.C.21.c.3/bmi-first"),
    _s("BMI during pregnancy", "O99.211 E66.01 Z68.41", "I.C.21.c.3/bmi-in-pregnancy"),
    _s("BMI at a normal pregnancy visit", "Z34.83 Z68.41", "I.C.21.c.3/bmi-in-pregnancy"),
    _s("aftercare Z code for a fracture", "Z47.89 S52.521A", "I.C.21.c.7/aftercare-for-injury"),
    _s("general examination second", "I10 Z00.00", "I.C.21.c.16/first-listed-only",
       "Z00.00 I10"),
    _s("chemotherapy encounter", "C50.911 Z51.11", "I.C.21.c.16/first-listed-only",
       "Z51.11 C50.911"),
    _s("two first-listed-only Z codes", "Z00.00 Z51.11", "I.C.21.c.16/more-than-one",
       unresolved="I.C.21.c.16/more-than-one"),
    # Release without notes: Excludes1 cannot be checked, and the check says so.
    _s("Excludes1 in FY2027, from the nearest release's Tabular List", "E11.9 E10.9",
       "I.A.12.a/excludes1", date="2026-11-01"),
    _s("stroke sequela with hemiplegia (I.C.9.d)", "I69.351"),
]


def _encounter(s: Scenario) -> Encounter:
    return Encounter.from_codes(s.codes, setting=s.setting, date_of_service=s.date,
                                first_designated=s.designated)


def test_the_table_is_large_and_covers_every_rule() -> None:
    assert len(SCENARIOS) >= 40
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)
    covered = set().union(*(s.rules for s in SCENARIOS))
    # tests/test_guidelines_scenarios.py covers every rule; these are the first ones.
    assert len(covered) >= 25 and covered <= {rule.id for rule in icd10cm.rules()}


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.name)
def test_scenario(s: Scenario) -> None:
    encounter = _encounter(s)
    findings = check(encounter)
    fired = {f.rule for f in findings}
    if UNSPECIFIED not in s.rules:
        fired.discard(UNSPECIFIED)
    assert fired == s.rules, [str(f) for f in findings]
    result = sequence(encounter)
    expected = s.order or s.codes
    assert tuple(code.value for code in result.encounter.diagnoses) == expected
    assert {f.rule for f in result.unresolved} == s.unresolved
    for finding in findings:
        _assert_well_formed(finding, encounter)
    for move in result.moves:
        assert move.rule in {rule.id for rule in icd10cm.rules()}
        assert encounter.diagnoses[move.from_position].value == move.code
        assert result.encounter.diagnoses[move.to_position].value == move.code
    if s.order is not None:
        assert result.moves, "a reordering explains itself"


def _assert_well_formed(finding: Finding, encounter: Encounter) -> None:
    assert finding.codes == tuple(encounter.diagnoses[p].value for p in finding.positions)
    assert finding.section in finding.message or finding.rule == "I.A/notes-unavailable"
    for code in finding.codes:
        assert code in finding.message
    assert all(suggestion in encounter.release for suggestion in finding.suggestions)


# --- details of particular rules -----------------------------------------------------


def test_excludes1_names_the_note_and_the_exception() -> None:
    (finding,) = check(Encounter.from_codes(["E11.9", "E10.9"], date_of_service=DOS))
    assert "type 1 diabetes mellitus (E10.-)" in finding.message
    assert "E11" in finding.message and "unrelated" in finding.message
    assert finding.positions == (0, 1)


def test_symptom_message_cites_the_section_of_the_setting() -> None:
    def message(setting: str) -> str:
        encounter = Encounter.from_codes(["R10.9", "K35.80"], setting=setting,
                                         date_of_service=DOS)
        (finding,) = [f for f in check(encounter) if f.rule == "I.C.18/symptom-first"]
        return finding.message

    assert "Section II.A" in message("inpatient") and "principal diagnosis" in message("inpatient")
    assert "Section IV.D" in message("outpatient")
    assert "first-listed diagnosis" in message("outpatient")


def test_specificity_names_the_more_specific_codes() -> None:
    (finding,) = check(Encounter.from_codes(["G24.9"], date_of_service=DOS))
    assert finding.severity is icd10cm.Severity.INFO
    assert {"G24.01", "G24.02", "G24.09", "G24.1", "G24.8"} <= set(finding.suggestions)
    assert "G24.9" not in finding.suggestions
    knee = check(Encounter.from_codes(["M17.10"], date_of_service=DOS))[0]
    assert set(knee.suggestions) == {"M17.11", "M17.12"}  # right and left knee
    # Fewer "unspecified"s is more specific: the rooms of an unspecified residence.
    (place,) = [f for f in check(Encounter.from_codes(["S52.521A", "Y92.009"],
                                                      date_of_service=DOS))
                if f.rule == UNSPECIFIED]
    assert place.suggestions[:3] == ("Y92.000", "Y92.001", "Y92.002")


def test_suggestions_for_injuries_keep_the_encounter_character() -> None:
    aftercare = check(Encounter.from_codes(["Z47.89", "S52.521A"], date_of_service=DOS))
    assert aftercare[0].suggestions == ("S52.521D",)
    external = check(Encounter.from_codes(["S52.521D", "W19.XXXA"], date_of_service=DOS))
    assert external[0].suggestions == ("W19.XXXD",)


def test_first_listed_only_list_follows_the_release() -> None:
    # Z03 (observation for suspected conditions ruled out) left the list in FY2021.
    def rules(day: str) -> set[str]:
        return {f.rule for f in check(Encounter.from_codes(["I10", "Z03.89"],
                                                           date_of_service=day))}

    assert "I.C.21.c.16/first-listed-only" in rules("2020-06-01")
    assert "I.C.21.c.16/first-listed-only" not in rules("2021-06-01")
    late = check(Encounter.from_codes(["I10", "Z00.00"], date_of_service="2026-11-01"))
    assert "FY2026 Guidelines, the edition nearest" in late[0].message
    assert "I.C.21.c.15" in late[0].message  # renumbered in April 2025


def test_borrowed_notes_say_whose_they_are_and_own_data_only_refuses_them() -> None:
    encounter = Encounter.from_codes(["E11.9", "E10.9"], date_of_service="2026-11-01")
    (finding,) = [f for f in check(encounter) if f.rule == "I.A.12.a/excludes1"]
    assert finding.source_release == "2026-04"
    assert "Tabular List of release 2026-04" in finding.message
    assert "FY2027 has no Tabular List of its own" in finding.message
    own = check(encounter, own_data_only=True)
    assert [f.rule for f in own] == ["I.A/notes-unavailable"]
    assert "FY2027" in own[0].message and "2026-04" in own[0].message
    assert "own_data_only=True" in own[0].message
    assert sequence(encounter, own_data_only=True).unresolved == ()
    fy2025 = Encounter.from_codes(["E11.9", "E10.9"], date_of_service=DOS)
    (own_note,) = [f for f in check(fy2025) if f.rule == "I.A.12.a/excludes1"]
    assert own_note.source_release is None and "Tabular List of release" not in own_note.message
    assert not [f for f in check(fy2025, own_data_only=True)
                if f.rule == "I.A/notes-unavailable"]


def test_a_code_first_note_of_a_block_borrowed_for_fy2024() -> None:
    """FY2024 has no tabular of its own; FY2023's block note at E08-E13 and E11's notes
    decide the order, and the moves and findings name FY2023's Tabular List."""
    encounter = Encounter.from_codes(["E11.9", "E10.9"], release="2024")
    assert {f.source_release for f in check(encounter)
            if f.rule == "I.A.12.a/excludes1"} == {"2023"}


def test_a_designation_overridden_by_a_hard_rule_says_so() -> None:
    encounter = Encounter.from_codes(["W19.XXXA", "S52.521A"], date_of_service=DOS,
                                     first_designated=True)
    (move,) = sequence(encounter).moves
    assert move.code == "S52.521A" and move.to_position == 0
    assert "overrides the designation of W19.XXXA" in move.reason


def test_present_on_admission_follows_its_diagnosis() -> None:
    encounter = Encounter.from_codes(
        ["W19.XXXA", "S72.001A", "I10"], setting="inpatient", date_of_service=DOS,
        present_on_admission=["1", "Y", "y"])
    result = sequence(encounter).encounter
    assert [c.value for c in result.diagnoses] == ["S72.001A", "W19.XXXA", "I10"]
    P = icd10cm.PresentOnAdmission
    assert result.present_on_admission == (P.YES, P.EXEMPT, P.YES)


def test_a_blank_indicator_is_none_as_appendix_i_leaves_an_exempt_code_blank() -> None:
    """Appendix I: "Leave the 'present on admission' field blank if the condition is on
    the list of ICD-10-CM codes for which this field is not applicable." A blank field
    read from a file (``""``, spaces) is no indicator, as in ``frame.check``, ``check
    --poa Y,,N`` and ``elixhauser(poa=)``; it was refused. Z79.4 is on
    POAexemptCodesFY25.txt, I10 is not."""
    encounter = Encounter.from_codes(["I10", "Z79.4", "E11.9"], setting="inpatient",
                                     release="2025", present_on_admission=["Y", "", " "])
    assert encounter.present_on_admission == (icd10cm.PresentOnAdmission.YES, None, None)
    assert [(f.rule, f.positions) for f in check(encounter)
            if f.rule.startswith("Appendix-I")] == [("Appendix-I/poa-missing", (2,))]


# --- building encounters ---------------------------------------------------------------


def test_from_codes_reports_every_problem_at_once() -> None:
    with pytest.raises(EncounterError) as caught:
        Encounter.from_codes(["E11.9", "E11.", "XYZ", "T36.01A", "ZZ"], setting="er",
                             date_of_service=DOS, present_on_admission=["Y", "Q"])
    problems = caught.value.problems
    positions = [position for position, _ in problems]
    assert positions.count(None) == 2  # the setting, and 2 indicators for 5 codes
    assert {2, 3, 4} <= set(positions) and 1 in positions  # 'Q' is diagnosis 2's indicator
    message = str(caught.value)
    assert "'XYZ'" in message and "'T36.01A'" in message and "T36.0X1A" in message
    assert "'er'" in message and "'Q'" in message
    assert isinstance(caught.value, icd10cm.Icd10cmError)


def test_from_codes_rejects_a_code_of_another_release() -> None:
    old = icd10cm.parse_code("E11.9", release="2024")
    with pytest.raises(EncounterError) as caught:
        Encounter.from_codes([old, "I10"], date_of_service=DOS)
    assert caught.value.problems == ((0, "E11.9 is a code of release 2024, but the "
                                         "encounter's release is 2025-04; pass the code as "
                                         "text"),)


def test_from_codes_picks_the_release_of_the_date_of_service() -> None:
    encounter = Encounter.from_codes(["e119", "S52.521A"], date_of_service=date(2025, 6, 1))
    assert encounter.release.id == "2025-04"
    assert encounter.date_of_service == date(2025, 6, 1)
    assert [c.value for c in encounter.diagnoses] == ["E11.9", "S52.521A"]
    assert Encounter.from_codes(["E11.9"]).release is icd10cm.latest_release()
    pinned = Encounter.from_codes(["E11.9"], release="2024")
    assert pinned.release.id == "2024"


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"release": "2024", "date_of_service": DOS}, "does not cover the date of service"),
        ({"date_of_service": "2015-01-01"}, "2015-01-01"),
        ({"date_of_service": "yesterday"}, "'yesterday'"),
        ({"release": "1999"}, "'1999'"),
        ({"present_on_admission": ["Y"]}, "inpatient stays only"),
    ],
)
def test_from_codes_rejects_bad_context(kwargs: dict[str, object], problem: str) -> None:
    with pytest.raises(EncounterError, match=problem):
        Encounter.from_codes(["E11.9"], **kwargs)  # type: ignore[arg-type]


def test_direct_construction_is_validated() -> None:
    e2025 = icd10cm.load_release("2025")["E11.9"]
    e2024 = icd10cm.load_release("2024")["I10"]
    with pytest.raises(EncounterError, match="use codes of one release"):
        Encounter((e2025, e2024))
    with pytest.raises(EncounterError, match="at least one diagnosis"):
        Encounter(())
    with pytest.raises(EncounterError, match="not a Code"):
        Encounter((e2025, "I10"))  # type: ignore[arg-type]
    with pytest.raises(EncounterError, match=r"'E11\.9' is not a Code"):
        Encounter(("E11.9",))  # type: ignore[arg-type]
    with pytest.raises(EncounterError, match="'ward'"):
        Encounter((e2025,), setting="ward")
    encounter = Encounter([e2025], setting="inpatient")
    assert encounter.setting is Setting.INPATIENT and encounter.diagnoses == (e2025,)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        encounter.setting = Setting.OUTPATIENT  # type: ignore[misc]


def test_rules_of_a_release_follow_its_guidelines_edition() -> None:
    """The COVID-19 rules (I.C.1.g.1) are not in the FY2020 edition; FY2021 uses the
    January 2021 edition, the first among the official files that has them. The toxic
    effect order with the FY2024 edition (I.C.19.e.5.d); a date picks the release in
    force, as everywhere else."""
    def ids(**where: object) -> set[str]:
        return {rule.id for rule in icd10cm.rules(**where)}  # type: ignore[arg-type]

    covid = {"I.C.1.g.1/covid-first", "I.C.1.g.1.e/z20822-with-covid"}
    assert covid <= ids() and not covid & ids(date_of_service="2020-09-30")
    assert covid <= ids(date_of_service="2020-10-01") and covid <= ids(release="2021-01")
    assert "I.C.19.e.5.d/toxic-effect-first" not in ids(release="2023-04")
    assert "I.C.19.e.5.d/toxic-effect-first" in ids(date_of_service="2023-10-01")
    assert ids(release="2016") == ids(release="2020")  # older releases use the FY2020 edition
    with pytest.raises(icd10cm.UnknownReleaseError):
        icd10cm.rules(release="2015")


def test_checking_an_encounter_does_not_keep_it_alive() -> None:
    # check() and sequence() keep the analyses of the last few encounters only: a
    # million checked encounters must not stay in memory.
    first = Encounter.from_codes(["E11.9", "I10"], release="2025-04")
    check(first)
    sequence(first)
    gone = weakref.ref(first)
    del first
    for _ in range(40):
        check(Encounter.from_codes(["J18.9"], release="2025-04"))
    gc.collect()
    assert gone() is None


# --- the encounter a 7th character codes, against the official titles -------------------


def _phase_in_title(title: str) -> str:
    """The encounter a code's official title names: "..., initial encounter (for closed
    fracture)", "..., subsequent encounter (for fracture with ...)", "..., sequela (of
    fracture)"; "" for a title that names none."""
    lower = title.lower()
    if lower.endswith(("sequela", "sequela of fracture")):
        return "sequela"
    for phase in ("initial", "subsequent"):
        if f"{phase} encounter" in lower:
            return phase
    return ""


def _check_phases(release_id: str, every: bool) -> int:
    """Compare the phase the rules give each reportable 7-character code (injuries,
    external causes, chapter 13's fractures, and codes whose 7th character is no phase)
    with its title (I.C.19.a, I.C.20.a.2, I.C.13.c); all of them, or every 7th character
    of the first stem of each category."""
    from icd10cm.encounters import facts as f

    release = icd10cm.load_release(release_id)
    seen: dict[str, str] = {}  # category -> its first stem
    checked = 0
    for index, code in enumerate(release.undotted_codes):
        if len(code) != 7 or not release.billable_flags[index]:
            continue
        if not every and seen.setdefault(code[:3], code[:6]) != code[:6]:
            continue
        fact = f.facts(release.code_at(index))
        wanted = _phase_in_title(release.titles[index])
        assert fact.phase == wanted, code
        external = code[0] in "VWXY"
        assert bool(fact.flags & f.SEQUELA) == (wanted == "sequela" and not external), code
        checked += 1
    return checked


def test_seventh_character_phases_agree_with_the_titles() -> None:
    # M80.08XS ("..., vertebra(e), sequela") is a sequela as much as S72.001S is, and
    # T86.8401 ("Corneal transplant rejection, right eye") has no phase at all.
    assert _check_phases("2026", every=False) > 1000


@pytest.mark.slow
@pytest.mark.parametrize("release_id", ["2016", "2021-01", "2027"])
def test_seventh_character_phases_agree_with_the_titles_everywhere(release_id: str) -> None:
    assert _check_phases(release_id, every=True) > 40000


def test_codes_titled_sequelae_are_sequela_codes() -> None:
    # I.B.10: "the condition or nature of the sequela is sequenced first. The sequela code
    # is sequenced second." Codes titled "Sequelae of ..." (B90-B94, E64, E68, G09, G65,
    # O94; their 'Code first' notes ask for the "condition resulting from (sequela)") are
    # sequela codes: not definitive diagnoses, and not the nature a sequela yields to.
    from icd10cm.encounters import facts as f

    release = icd10cm.load_release("2026")
    titled = [code for code in release.billable_codes()
              if code.title.lower().startswith("sequelae of")]
    assert {code.value[:3] for code in titled} >= {"B90", "E64", "G09", "G65", "O94"}
    for code in titled:
        flags = f.facts(code).flags
        assert flags & f.SEQUELA and not flags & (f.DEFINITIVE | f.NATURE), code.value
