"""JSON documents: round trips (examples and hypothesis) and the errors of bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import icd10cm
from icd10cm import (
    Code,
    Encounter,
    Finding,
    Sequencing,
    SerializationError,
    Validation,
    check,
    check_from_json,
    check_to_json,
    dumps,
    from_json,
    loads,
    sequence,
    to_json,
)

RELEASES = ("2019", "2025")


def _billable(release_id: str) -> list[str]:
    return [code.value for code in icd10cm.load_release(release_id).billable_codes()]


_CODES = {release_id: _billable(release_id) for release_id in RELEASES}


@st.composite
def encounters(draw: st.DrawFn) -> Encounter:
    release_id = draw(st.sampled_from(RELEASES))
    codes = draw(st.lists(st.sampled_from(_CODES[release_id]), min_size=1, max_size=6))
    inpatient = draw(st.booleans())
    poa = None
    if inpatient and draw(st.booleans()):
        poa = draw(st.lists(st.sampled_from([None, "Y", "N", "U", "W", "1"]),
                            min_size=len(codes), max_size=len(codes)))
    info = icd10cm.load_release(release_id).info
    day = draw(st.none() | st.dates(info.effective_from, info.effective_to))
    return Encounter.from_codes(
        codes, setting="inpatient" if inpatient else "outpatient", release=release_id,
        date_of_service=day, present_on_admission=poa, first_designated=draw(st.booleans()),
    )


def _plain(value: object) -> bool:
    """Whether *value* is made of JSON's own types only (no str or int subclasses)."""
    if isinstance(value, dict):
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return value is None or type(value) in (str, int, bool, float)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encounters())
@pytest.mark.slow
def test_encounter_check_sequence_round_trip(encounter: Encounter) -> None:
    assert loads(dumps(encounter), Encounter) == encounter
    sequencing = sequence(encounter)
    assert _plain(to_json(sequencing)) and _plain(to_json(encounter))
    document = json.loads(json.dumps(to_json(sequencing)))
    assert from_json(document, Sequencing) == sequencing
    for finding in check(encounter):
        assert _plain(to_json(finding))
        assert loads(dumps(finding), Finding) == finding
    assert _plain(check_to_json(encounter))
    checked = json.loads(json.dumps(check_to_json(encounter)))
    assert checked["type"] == "check"
    assert check_from_json(checked) == (encounter, check(encounter))


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(RELEASES), st.data())
def test_code_and_validation_round_trip(release_id: str, data: st.DataObject) -> None:
    release = icd10cm.load_release(release_id)
    code = release.code_at(data.draw(st.integers(0, len(release) - 1)))
    document = to_json(code)
    assert document == {"icd10cm_json": 1, "type": "code", "code": code.value,
                        "release": release_id}
    assert from_json(document, Code) is code
    text = data.draw(st.sampled_from([code.value, code.undotted, code.value[:-1], "E11.99",
                                      "S52.521", "not a code"]))
    validation = icd10cm.validate(text, release=release)
    assert _plain(to_json(validation))
    assert loads(dumps(validation), Validation) == validation


def test_encounter_document_is_compact() -> None:
    encounter = Encounter.from_codes(["E11.9", "I10"], setting="inpatient", release="2025",
                                     date_of_service="2025-01-03",
                                     present_on_admission=["Y", None])
    assert to_json(encounter) == {
        "icd10cm_json": 1, "type": "encounter", "release": "2025", "setting": "inpatient",
        "diagnoses": ["E11.9", "I10"], "date_of_service": "2025-01-03",
        "present_on_admission": ["Y", None], "first_designated": False,
    }
    assert from_json(to_json(encounter), Encounter).date_of_service == date(2025, 1, 3)


def test_validation_document_fields() -> None:
    document = to_json(icd10cm.validate("S52.521", release="2025"))
    assert document["status"] == "missing_seventh_character"
    assert document["seventh_characters"][0] == {
        "character": "A", "code": "S52.521A", "source_release": None,
        "meaning": document["seventh_characters"][0]["meaning"]}
    borrowed = to_json(icd10cm.validate("S52.521", release="2024"))  # 2023's Tabular List
    assert borrowed["seventh_characters"][0]["source_release"] == "2023"
    assert from_json(borrowed, icd10cm.Validation) == icd10cm.validate("S52.521", release="2024")
    assert json.loads(json.dumps(document)) == document


def _problems(data: object, cls: type) -> tuple[str, ...]:
    with pytest.raises(SerializationError) as raised:
        from_json(data, cls)
    assert isinstance(raised.value, icd10cm.Icd10cmError)
    return raised.value.problems


def test_every_problem_is_reported_with_its_path() -> None:
    problems = _problems({
        "icd10cm_json": 2, "type": "encounter", "release": "2025",
        "diagnoses": ["E11.9", 5], "setting": "x", "extra": 1,
        "date_of_service": "2025-13-01", "present_on_admission": ["Y", "Q"],
    }, Encounter)
    assert problems == (
        "expected format version 1, got 2 @ $.icd10cm_json",
        "expected a string, got 5 @ $.diagnoses[1]",
        "'x' is not one of 'inpatient', 'outpatient' @ $.setting",
        "expected an ISO date such as '2025-10-01', got '2025-13-01' @ $.date_of_service",
        "'Q' is not one of 'Y', 'N', 'U', 'W', '1' @ $.present_on_admission[1]",
        "extra fields found (extra) @ $",
    )


def test_unknown_codes_and_releases() -> None:
    (problem,) = _problems({"icd10cm_json": 1, "type": "code", "code": "E11.99",
                            "release": "2025"}, Code)
    assert problem.startswith("'E11.99' is not a code of ICD-10-CM FY2025")
    assert problem.endswith(" @ $")
    (problem,) = _problems({"icd10cm_json": 1, "type": "code", "code": "E11.9",
                            "release": "1999"}, Code)
    assert problem.startswith("Unknown ICD-10-CM release: '1999'")
    problems = _problems({"icd10cm_json": 1, "type": "sequencing",
                          "encounter": {"release": "2025", "diagnoses": ["I10", "E11.99"]},
                          "order": [0, "1"], "moves": [], "unresolved": "no"}, Sequencing)
    assert problems[0].startswith("'E11.99' is not a code of ICD-10-CM FY2025")
    assert problems[0].endswith("@ $.encounter.diagnoses[1]")
    assert problems[1:] == ("expected an integer, got '1' @ $.order[1]",
                            "expected a list, got 'no' @ $.unresolved")


def test_wrong_kinds_are_refused_not_converted() -> None:
    base = {"icd10cm_json": 1, "type": "finding", "rule": "I.B.12/duplicate",
            "severity": "error", "positions": [0, 1], "codes": ["I10", "I10"],
            "message": "m", "suggestions": []}
    assert from_json(base, Finding).positions == (0, 1)
    assert _problems({**base, "codes": "I10"}, Finding) == (
        "expected a list, got 'I10' @ $.codes",)
    assert _problems({**base, "positions": [True]}, Finding) == (
        "expected an integer, got True @ $.positions[0]",)
    assert _problems({**base, "message": None}, Finding) == (
        "expected a string, got None @ $.message",)
    assert _problems({**base, "type": "code"}, Finding) == (
        "expected type 'finding', got 'code' @ $.type",)
    (missing,) = _problems({k: v for k, v in base.items() if k != "rule"}, Finding)
    assert missing == "required field missing @ $.rule"
    assert _problems([1], Finding) == ("expected a JSON object, got [1] @ $",)
    assert _problems({**base, "rule": "I.Z/nothing"}, Finding) == (
        "unknown rule 'I.Z/nothing'; the rules are those of icd10cm.rules() @ $.rule",)


def test_error_message_and_bad_text() -> None:
    with pytest.raises(SerializationError, match=r"Invalid icd10cm JSON for Code \(1 problem\)"
                       r": not JSON"):
        loads("{", Code)
    with pytest.raises(TypeError, match="not int"):
        to_json(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'dict'"):
        from_json({}, dict)


def test_serialization_does_not_touch_the_global_converter() -> None:
    import cattrs

    import icd10cm.io.json  # noqa: F401

    assert cattrs.global_converter.structure("5", int) == 5  # unchanged: lenient


_ENCOUNTER = {"icd10cm_json": 1, "type": "encounter", "release": "2025", "setting": "outpatient",
              "diagnoses": ["E11.9"], "date_of_service": "2025-03-14",
              "present_on_admission": None, "first_designated": False}


@pytest.mark.parametrize("version", [True, 1.0])
def test_the_format_version_is_the_integer_1_not_a_value_equal_to_it(version: object) -> None:
    # docs/json.md: "icd10cm_json" is the format version, 1, and "values are never
    # coerced: ... '1' is not an integer" (true and 1.0 equal 1 in Python).
    assert from_json(_ENCOUNTER, Encounter).release.id == "2025"
    assert _problems({**_ENCOUNTER, "icd10cm_json": version}, Encounter) == (
        f"expected format version 1, got {version!r} @ $.icd10cm_json",)


@pytest.mark.parametrize("day", ["20250314", "2025-W11-5", "2025-073", " 2025-03-14"])
def test_a_date_of_service_is_read_in_the_one_documented_form(day: str) -> None:
    # docs/json.md: date_of_service is "an ISO date ("2025-03-14") or null", the form
    # to_json writes; Python 3.11 alone would read the basic, week and ordinal forms.
    assert _problems({**_ENCOUNTER, "date_of_service": day}, Encounter) == (
        f"expected an ISO date such as '2025-10-01', got {day!r} @ $.date_of_service",)


@pytest.mark.parametrize("release", ["2025-03-14", " 2025", "2025 "])
def test_a_release_field_is_a_release_id_as_written(release: str) -> None:
    # docs/json.md: an encounter's "release" is "the release id of every diagnosis", a
    # code's "the id of its release": a date of service or a padded id is no id.
    for document, cls in ((_ENCOUNTER, Encounter),
                          ({"icd10cm_json": 1, "type": "code", "code": "E11.9",
                            "release": "2025"}, Code)):
        (problem,) = _problems({**document, "release": release}, cls)
        assert problem.startswith(f"Unknown ICD-10-CM release: {release!r}")


def test_text_nested_too_deep_is_a_serialization_error() -> None:
    with pytest.raises(SerializationError, match="nested too deep"):
        loads("[" * 200_000 + "]" * 200_000, Encounter)


def test_a_value_of_a_release_built_from_files_is_not_written() -> None:
    # docs/json.md: "reading it looks the code up in that bundled release". A release
    # built from files has the id of the bundled release of its year ("2025") but is
    # another release: its document would be read back as the bundled one.
    from pathlib import Path

    built = icd10cm.release_from_files(Path(__file__).resolve().parent / "fixtures"
                                       / "mini-cms" / "2025")
    assert built.id == "2025" and not built.info.bundled
    code = next(c for c in built if c.is_billable)
    encounter = Encounter.from_codes([code.value], release=built)
    for make, path in ((lambda: to_json(code), "$.release"),
                       (lambda: dumps(encounter), "$.release"),
                       (lambda: check_to_json(encounter), "$.release"),
                       (lambda: to_json(sequence(encounter)), "$.encounter.release")):
        with pytest.raises(SerializationError) as info:
            make()
        (problem,) = info.value.problems
        assert "built from files" in problem and problem.endswith(f"@ {path}")
        assert code.value in problem


def test_a_sequencing_order_is_a_reordering_of_its_diagnoses() -> None:
    # docs/json.md: "order (for each of its diagnoses, its position in the input)": one
    # position per diagnosis, each once; a move's positions are positions of them.
    result = sequence(Encounter.from_codes(["Z68.41", "E66.01"], release="2025"))
    document = to_json(result)
    assert from_json(document, Sequencing) == result
    for order in ([5, 7], [0, 0], [0], [-1, 0]):
        assert _problems({**document, "order": order}, Sequencing) == (
            f"{order} is not an order of 2 diagnoses: give each position 0 to 1 once @ $.order",)
    move = {**document["moves"][0], "from_position": -1, "to_position": 2}
    assert _problems({**document, "moves": [move]}, Sequencing) == (
        "position -1 is not one of the 2 diagnoses (0-based) @ $.moves[0].from_position",
        "position 2 is not one of the 2 diagnoses (0-based) @ $.moves[0].to_position")


# --- check documents -------------------------------------------------------------------

_BMI_FIRST = Encounter.from_codes(["Z68.41", "E66.01"], release="2025")


@pytest.mark.parametrize(("codes", "release"), [
    (["Z68.41", "E66.01"], "2025"),  # an ordering finding and an I.B.2 one
    (["E11.9", "E11.22", "N18.30", "I12.9"], "2027"),  # notes borrowed: source_release set
    (["E11.9"], "2019"),
])
def test_a_check_document_reads_back_into_the_encounter_and_its_findings(
        codes: list[str], release: str) -> None:
    encounter = Encounter.from_codes(codes, release=release)
    findings = check(encounter)
    text = json.dumps(check_to_json(encounter))
    assert check_from_json(json.loads(text)) == (encounter, findings)
    if release == "2027":  # a note of another release's Tabular List: said, and kept
        assert any(f.source_release == "2026-04" for f in findings)
    assert check_from_json(check_to_json(encounter, [])) == (encounter, ())


def _check_problems(data: object) -> tuple[str, ...]:
    with pytest.raises(SerializationError) as raised:
        check_from_json(data)
    assert raised.value.target == "check"
    assert "icd10cm.check_to_json()" in str(raised.value)
    return raised.value.problems


def test_a_finding_of_a_check_must_be_of_its_encounter() -> None:
    # Finding: "positions are 0-based places in the encounter's diagnoses and codes the
    # codes there": a finding that names another place, or other codes, is refused.
    document = check_to_json(_BMI_FIRST)
    first, second = document["findings"][0], document["findings"][1]
    assert [first["positions"], second["positions"]] == [[0], [1, 0]]
    bad = {**document, "findings": [{**first, "positions": [0, 2, -1]},
                                     {**second, "codes": ["Z68.41", "E66.01"]}]}
    assert _check_problems(bad) == (
        "[2, -1] are not among the 2 diagnoses (0-based positions) @ $.findings[0].positions",
        "['Z68.41', 'E66.01'] are not the codes at positions [1, 0], which are "
        "['E66.01', 'Z68.41'] @ $.findings[1].codes")
    # the writer refuses the same findings, so that what it writes reads back
    findings = check(_BMI_FIRST)
    other = Encounter.from_codes(["E66.01"], release="2025")
    with pytest.raises(SerializationError) as raised:
        check_to_json(other, findings)
    assert raised.value.problems == (
        "['Z68.41'] are not the codes at positions [0], which are ['E66.01'] "
        "@ $.findings[0].codes",
        "[1] is not among the 1 diagnoses (0-based positions) @ $.findings[1].positions")


def test_a_check_document_is_checked_as_its_parts_are() -> None:
    document = check_to_json(_BMI_FIRST)
    encounter = {**document["encounter"], "diagnoses": ["Z68.41", "E11.99"]}
    finding = {**document["findings"][0], "severity": "fatal"}
    problems = _check_problems({**document, "encounter": encounter, "findings": [finding]})
    assert problems[0].endswith("@ $.encounter.diagnoses[1]") and "E11.99" in problems[0]
    assert problems[1].endswith("@ $.findings[0].severity") and "fatal" in problems[1]
    assert _check_problems([]) == ("expected a JSON object, got [] @ $",)
    (missing,) = _check_problems({"icd10cm_json": 1, "type": "check"})[:1]
    assert missing == "required field missing @ $.encounter"


def test_a_check_document_and_another_document_are_told_apart() -> None:
    check_document, encounter_document = check_to_json(_BMI_FIRST), to_json(_BMI_FIRST)
    assert _problems(check_document, Encounter)[0] == (
        "expected type 'encounter', got 'check' (read a check document with "
        "check_from_json()) @ $.type")
    assert _check_problems(encounter_document)[0] == (
        "expected type 'check', got 'encounter' (read it with from_json(data, cls)) @ $.type")
