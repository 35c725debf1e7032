"""The first validation of a text builds its verdict without the attrs constructor
(issue 15: first validation of a valid code <= 1 us), from the release's read API
for hot loops (``index_of_undotted``, ``billable_undotted``). Such a verdict is a
plain :class:`Validation`: equal to, hashed, printed, pickled, written as JSON and
evolved as the one the constructor builds, and as immutable."""

from __future__ import annotations

import pickle
import weakref
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import icd10cm
from icd10cm import Status, Validation
from icd10cm.core.release import Release
from icd10cm.core.text import dot

_MINI_2025 = Path(__file__).resolve().parent / "fixtures" / "mini-cms" / "2025"

# One text of each status that a first validation builds, dotted and undotted forms,
# forms found by normalising (case, spaces, a dot elsewhere), and texts that are no code.
_TEXTS = ("E11.9", "E119", "e11.9", " E11.9 ", "E1.19", "E119.", "A00", "E11", "S52.521",
          "W21.89X", "W21.89A", "S52.521Z", "Z99.999", "E11.99Z", "ZZZ", "", "E11..9")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    icd10cm.clear_cache()  # every verdict below is a first validation
    yield
    icd10cm.clear_cache()


def _rebuilt(verdict: Validation) -> Validation:
    """The verdict made again by the attrs constructor, from its fields (read here)."""
    return Validation(**{field.name: getattr(verdict, field.name)
                         for field in attrs.fields(Validation)})


def _check(verdict: Validation) -> None:
    """*verdict* behaves in every way as the constructor's, before and after a read."""
    assert type(verdict) is Validation
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        verdict.text = "E11.8"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del verdict.code
    assert weakref.ref(verdict)() is verdict
    copy = pickle.loads(pickle.dumps(verdict))  # reads every field
    made = _rebuilt(verdict)
    assert type(copy) is Validation and copy == verdict == made
    assert hash(copy) == hash(verdict) == hash(made)
    assert repr(copy) == repr(verdict) == repr(made)
    assert icd10cm.from_json(icd10cm.to_json(verdict), Validation) == made
    assert icd10cm.to_json(verdict) == icd10cm.to_json(made)
    other = attrs.evolve(verdict, text="other")
    assert type(other) is Validation and other.text == "other"
    assert attrs.evolve(other, text=verdict.text) == verdict
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        verdict.status = Status.UNKNOWN  # type: ignore[misc]


def test_first_verdicts_of_the_default_release_are_plain_validations() -> None:
    verdicts = [icd10cm.validate(text) for text in _TEXTS]
    assert {v.status for v in verdicts} >= {
        Status.VALID, Status.HEADER, Status.MISSING_SEVENTH_CHARACTER,
        Status.INVALID_SEVENTH_CHARACTER, Status.UNKNOWN, Status.MALFORMED}
    for text, verdict in zip(_TEXTS, verdicts, strict=True):
        assert verdict.text == text
        _check(verdict)
        assert icd10cm.validate(text) is verdict  # memoised


def test_first_verdicts_of_a_named_release_and_known_details() -> None:
    first = icd10cm.validate("E11.9", release="2016")
    assert first.message  # its details are read: the next text of the code takes them
    again = icd10cm.validate("e119", release="2016")
    assert again.status is Status.VALID and again.code == "E11.9"
    for verdict in (first, again):
        _check(verdict)
    assert again.message == first.message and again.text == "e119"


def test_first_verdicts_of_a_release_built_from_files() -> None:
    built = icd10cm.release_from_files(_MINI_2025)
    assert not built.info.bundled  # its verdicts are written at once
    codes = [dot(code) for code in built.undotted_codes]
    verdicts = [icd10cm.validate(text, release=built) for text in [*codes, "ZZZ", "E11.9"]]
    assert {v.status for v in verdicts} >= {Status.VALID, Status.HEADER}
    for verdict in verdicts:
        _check(verdict)


def test_a_first_verdict_of_a_valid_code_equals_the_constructors() -> None:
    release = icd10cm.latest_release()
    text = dot(next(c for c, b in zip(release.undotted_codes, release.billable_flags,
                                      strict=True) if b))
    verdict = icd10cm.validate(text)
    title = release[text].title
    assert verdict == Validation(
        text, Status.VALID, f"{text} is a reportable code in ICD-10-CM "
        f"{release.info.label}: {title}.", release.id, text, title)


@pytest.mark.parametrize("release_id", [pytest.param("2016", marks=pytest.mark.slow), "2027"])
def test_index_of_undotted_is_positions_get(release_id: str) -> None:
    release = icd10cm.load_release(release_id)
    index_of = release.index_of_undotted
    assert [index_of(code) for code in release.undotted_codes] == list(range(len(release)))
    assert [index_of(code) for code in release.undotted_codes] == [
        release.positions[code] for code in release.undotted_codes]
    for text in ("E11.9", "e119", "", "ZZZ", " E119", "E1199999"):
        assert index_of(text) is None
        assert release.positions.get(text) is None


def _reportable(release: Release) -> set[str]:
    return {code.undotted for code in release.billable_codes()}


@pytest.mark.parametrize("release_id", [pytest.param("2016", marks=pytest.mark.slow), "2027"])
def test_billable_undotted_are_the_reportable_codes(release_id: str) -> None:
    release = icd10cm.load_release(release_id)
    found = release.billable_undotted
    assert isinstance(found, frozenset)
    assert found == _reportable(release)
    assert len(found) == release.billable_count
    assert "E119" in found and "E11.9" not in found and "E11" not in found


def test_billable_undotted_of_a_release_built_from_files() -> None:
    built = icd10cm.release_from_files(_MINI_2025)
    assert built.billable_undotted == _reportable(built)
    assert len(built.billable_undotted) == built.billable_count > 0
