"""I.C.2.d/history-with-current for every Z85 code, including those whose Tabular entry has
no "Conditions classifiable to" note of its own (Z85.46 and its siblings).

Guidelines I.C.2.d (FY2026): "When a primary malignancy has been previously excised or
eradicated from its site and there is no further treatment directed to that site and there
is no evidence of any existing primary malignancy at that site, a code from category Z85,
Personal history of malignant neoplasm, should be used to indicate the former site of the
malignancy."

The expected pairs below come from the Tabular List titles (FY2026 April): Z85.46 "Personal
history of malignant neoplasm of prostate" and C61 "Malignant neoplasm of prostate", and so
on; Z85.3 "Conditions classifiable to C50.-", Z85.118 "Conditions classifiable to C34" and
Z85.038 "Conditions classifiable to C18" are the Tabular List's own notes.
"""

from __future__ import annotations

import pytest

import icd10cm
from icd10cm import Encounter, check
from icd10cm.core.references import parse_references
from icd10cm.encounters.history_sites import SITES, covered

RULE = "I.C.2.d/history-with-current"


def _flagged(codes: list[str], release: str = "2026-04") -> list[tuple[int, ...]]:
    encounter = Encounter.from_codes(codes, release=release)
    return [f.positions for f in check(encounter) if f.rule == RULE]


@pytest.mark.parametrize(("history", "current"), [
    ("Z85.46", "C61"),        # prostate: no note of its own (the defect)
    ("Z85.41", "C53.0"),      # cervix uteri
    ("Z85.43", "C56.1"),      # ovary
    ("Z85.47", "C62.91"),     # testis
    ("Z85.48", "C63.00"),     # epididymis
    ("Z85.51", "C67.9"),      # bladder
    ("Z85.54", "C66.1"),      # ureter
    ("Z85.810", "C01"),       # tongue
    ("Z85.841", "C71.9"),     # brain
    ("Z85.850", "C73"),       # thyroid
    ("Z85.830", "C40.01"),    # bone
    ("Z85.3", "C50.911"),     # breast: Z85.3's own note, C50.-
    ("Z85.118", "C34.90"),    # lung: Z85.118's own note, C34
    ("Z85.038", "C18.7"),     # colon: Z85.038's own note, C18
    ("Z85.4A", "C57.02"),     # fallopian tube (FY2026 code)
])
def test_history_with_a_current_malignancy_of_its_site_is_flagged(
        history: str, current: str) -> None:
    assert _flagged([current, history]) == [(0, 1)]


@pytest.mark.parametrize(("history", "current"), [
    ("Z85.46", "C50.911"),    # prostate history, breast cancer: another site
    ("Z85.46", "C62.90"),     # prostate history, testis cancer: a sibling site of Z85.4
    ("Z85.43", "C53.9"),      # ovary history, cervix cancer
    ("Z85.3", "C34.90"),      # breast history, lung cancer
    ("Z85.118", "C18.7"),     # lung history, colon cancer
    ("Z85.038", "C20"),       # colon history, rectal cancer (Z85.048 is the rectum's)
    ("Z85.44", "C57.02"),     # other female genital organs: fallopian tube is Z85.4A's
    ("Z85.830", "C49.9"),     # bone history, soft tissue cancer
])
def test_history_with_a_malignancy_of_another_site_is_not_flagged(
        history: str, current: str) -> None:
    assert _flagged([current, history]) == []


def test_before_the_fallopian_tube_code_other_female_genital_organs_covers_it() -> None:
    # Z85.4A is new in FY2026; in FY2025 the fallopian tube is among "other female
    # genital organs" (Z85.44), C57.0- among "other and unspecified female genital organs".
    assert _flagged(["C57.02", "Z85.44"], release="2025") == [(0, 1)]


def test_the_finding_names_the_parent_note_and_the_site() -> None:
    encounter = Encounter.from_codes(["C61", "Z85.46"], release="2026-04")
    [finding] = [f for f in check(encounter) if f.rule == RULE]
    assert "Z85.4" in finding.message and "C51-C63" in finding.message
    assert "C61" in finding.message


#: The blocks of the groups whose Tabular entries print no "Conditions classifiable to" note.
_BLOCKS = {"Z85.0": "C15-C26", "Z85.2": "C30-C39"}


@pytest.mark.parametrize("release", [  # the newest in the fast tier, every other in the slow one
    info.id if info.id == "2027" else pytest.param(info.id, marks=pytest.mark.slow)
    for info in icd10cm.available_releases()])
def test_every_reportable_z85_code_covers_malignancies_of_its_group(release: str) -> None:
    r = icd10cm.load_release(release)
    for index, value in enumerate(r.undotted_codes):
        if not (value.startswith("Z85") and r.billable_flags[index]):
            continue
        code = r.code_at(index)
        coverage = covered(code)
        assert coverage is not None and coverage.references, code
        if coverage.note is not None:
            outer_text = coverage.note.text.split(" to ", 1)[1]
        else:
            outer_text = _BLOCKS[code.value[:5]]
        # Every site is a code of the release inside the range of its group's note.
        outer = parse_references(f"({outer_text})").references
        for reference in coverage.references:
            for end in (reference.first, reference.last):
                target = r.get(end)
                assert target is not None, (release, code, end)
                assert any(o.matches(target) for o in outer), (release, code, reference)


def test_own_notes_come_first_and_the_table_only_fills_gaps() -> None:
    r = icd10cm.load_release("2026-04")
    for value in SITES:
        own = [n for n in r.notes_at(value)
               if n.text.lower().startswith("conditions classifiable to")]
        coverage = covered(r.get(value))  # type: ignore[arg-type]
        assert coverage is not None
        assert coverage.by_title is (not own), value
