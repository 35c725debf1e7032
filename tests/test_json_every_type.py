"""Every value that ``icd10cm.to_json`` writes reads back with ``from_json`` into an equal
value, and a document that is not the library's answer is refused (docs/json.md).

Before: ``to_json`` could not write a release diff (``icd10cm diff --format json``
printed a ``release_diff`` document that ``from_json`` could not read), and a
``validation`` document was read back as a plain record: any status, code and title,
for any release id, were accepted as the verdict.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import icd10cm
from icd10cm import (
    Code,
    Encounter,
    Finding,
    ReleaseDiff,
    SerializationError,
    Validation,
    check,
    diff,
    dumps,
    from_json,
    loads,
    sequence,
    to_json,
    validate,
)
from icd10cm.encounters.sequencing import Sequencing


def _round_trip(value: object, cls: type) -> None:
    document = to_json(value)  # type: ignore[arg-type]
    assert json.loads(json.dumps(document)) == document  # plain JSON values
    assert from_json(document, cls) == value
    assert loads(dumps(value), cls) == value  # type: ignore[arg-type]


def test_code_encounter_finding_sequencing_round_trip() -> None:
    release = icd10cm.load_release("2025")
    _round_trip(release["E11.9"], Code)
    encounter = Encounter.from_codes(["Z68.41", "E66.01"], release="2025",
                                     setting="inpatient", present_on_admission=["Y", "N"],
                                     date_of_service="2025-03-01")
    _round_trip(encounter, Encounter)
    findings = check(encounter)
    assert findings
    for finding in findings:
        _round_trip(finding, Finding)
    _round_trip(sequence(encounter), Sequencing)


@pytest.mark.parametrize("text", ["E11.9", "E11", "S52.521", "E11.99", "e1190", "XYZ", ""])
@pytest.mark.parametrize("release", [pytest.param("2025", marks=pytest.mark.slow),
                                     pytest.param("2024", marks=pytest.mark.slow), "2027"])
def test_validation_round_trip(text: str, release: str) -> None:
    _round_trip(validate(text, release=release), Validation)


@pytest.mark.parametrize(("old", "new"), [("2024", "2025"), ("2026", "2025"), ("2025", "2025-04")])
def test_release_diff_round_trip(old: str, new: str) -> None:
    changes = diff(old, new)
    document = to_json(changes)
    assert document["type"] == "release_diff"
    assert list(document) == ["icd10cm_json", "type", "old", "new", "added", "deleted",
                              "retitled", "billable_changed"]
    _round_trip(changes, ReleaseDiff)


def test_the_command_line_diff_document_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    from icd10cm.__main__ import main

    assert main(["diff", "2024", "2025", "--format", "json"]) == 0
    assert from_json(json.loads(capsys.readouterr().out), ReleaseDiff) == diff("2024", "2025")


def test_a_validation_that_is_not_the_releases_verdict_is_refused() -> None:
    document = to_json(validate("E11.99", release="2025"))
    assert document["status"] == "unknown"
    forged = {**document, "status": "valid", "code": "E11.99"}
    with pytest.raises(SerializationError) as raised:
        from_json(forged, Validation)
    assert any("status" in p and p.endswith("@ $.status") for p in raised.value.problems)
    unknown = {**to_json(validate("E11.9", release="2025")), "release": "nope"}
    with pytest.raises(SerializationError, match=r"@ \$\.release"):
        from_json(unknown, Validation)


def test_a_release_diff_names_bundled_releases() -> None:
    document = {**to_json(diff("2024", "2025")), "old": "2024 "}
    with pytest.raises(SerializationError, match=r"@ \$\.old"):
        from_json(document, ReleaseDiff)
    with pytest.raises(SerializationError, match=r"expected a string, got 5 @ \$\.added\[0\]"):
        from_json({**to_json(diff("2024", "2025")), "added": [5]}, ReleaseDiff)


@pytest.mark.parametrize("make", [
    lambda: icd10cm.validate_many(["E11.9"], release="2025"),
    lambda: icd10cm.elixhauser(["E11.9"], release="2025"),
    lambda: icd10cm.charlson(["E11.9"], release="2025"),
    lambda: icd10cm.load_release("2025"),
])
def test_values_without_a_document_are_refused_clearly(make: Callable[[], object]) -> None:
    value = make()
    with pytest.raises(TypeError, match=r"docs/json\.md"):
        to_json(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_the_verdict_on_a_missing_value_round_trips(missing: object) -> None:
    # validate(None) is the verdict of status "missing" (a Status value), whose text is the
    # value's repr, 'None' or 'nan': reading it back checks it against validate(None), not
    # against the verdict on the text 'None' (malformed), which refused every such document
    verdict = validate(missing, release="2025")  # type: ignore[arg-type]
    assert verdict.status.value == "missing"
    _round_trip(verdict, Validation)
    batch = icd10cm.validate_many(["E11.9", missing], release="2025")  # type: ignore[list-item]
    assert [from_json(to_json(v), Validation) for v in batch] == list(batch)


def test_a_code_is_not_read_back_as_a_missing_value() -> None:
    document = {**to_json(validate(None, release="2025")),  # type: ignore[arg-type]
                "text": "E11.9"}
    with pytest.raises(SerializationError,
                       match=r"status 'missing' is not what .* 'valid' @ \$\.status"):
        from_json(document, Validation)
