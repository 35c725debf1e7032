"""icd10cm.charlson: the Charlson conditions of Quan et al. (2005) on ICD-10-CM.

Expectations are written from the document (``charlson-quan2005.md``): its table of
conditions, patterns and weights, its hierarchies and its two ICD-10-CM points.
"""

from __future__ import annotations

import pytest

import icd10cm
from icd10cm import ComorbidityError, charlson, charlson_patterns


@pytest.mark.parametrize(
    ("code", "conditions"),
    [
        ("I25.2", {"mi"}),  # the code itself
        ("I25.10", set()),  # a sibling, not under I25.2
        ("I21.A1", {"mi"}),  # "I21.x": every code under I21, letters included
        ("E11.65", {"diabetes"}),  # E1x.6 is "without chronic complication"
        ("E11.610", {"diabetes"}),
        ("E11.21", {"diabetes_complicated"}),  # E10.2 ... go deeper in ICD-10-CM
        ("E11.3553", {"diabetes_complicated"}),
        ("E10.10", {"diabetes"}),
        ("C4A.9", set()),  # Merkel cell carcinoma: not silently added to C43.x
        ("C43.9", {"malignancy"}),
        ("C44.91", set()),  # skin is excluded
        ("C77.0", {"metastatic"}),
        ("C7A.1", set()),  # ICD-10-CM-only categories never join a range
        ("C7B.8", set()),
        ("I42.5", {"chf"}),  # I42.5-I42.9
        ("I42.1", set()),
        ("I42.0", {"chf"}),
        ("F01.50", {"dementia"}),  # F00.x-F03.x
        ("F04", set()),
        ("I69.354", {"cevd"}),
        ("I5A", set()),
        ("J44.9", {"cpd"}),
        ("J4A.0", set()),
        ("N03.2", {"renal"}),  # N03.2-N03.7
        ("N03.8", set()),
        ("N19", {"renal"}),
        ("Z49.01", {"renal"}),
        ("Z49.31", set()),
        ("K70.30", {"mild_liver"}),
        ("K70.40", {"severe_liver"}),
        ("K71.6", set()),
        ("B20", {"hiv"}),
    ],
)
def test_conditions_of_one_code(code: str, conditions: set[str]) -> None:
    result = charlson([code], release="2025")
    assert result.conditions == conditions
    assert set(result.codes) == conditions and result.unmapped == ()


# (codes, score with the Charlson 1987 weights, with the Quan 2011 weights)
PATIENTS = [
    # every hierarchy: mi 1/0, diabetes_complicated 2/1, renal 2/1, metastatic 6/6,
    # severe_liver 3/4, hiv 6/4; diabetes, malignancy and mild_liver are dropped
    (["I21.4", "E11.65", "E11.21", "N18.4", "C77.0", "C50.911", "K70.30", "K72.10", "B20"],
     20, 16),
    (["I50.9", "J44.9", "E11.9", "F03.90"], 4, 5),  # chf 1/2, cpd 1/1, diabetes 1/0, dementia
    (["I25.10", "C4A.9", "E11.65", "I42.1"], 1, 0),  # only E11.65: diabetes 1/0
    (["G81.90", "M05.79", "K25.9", "I70.0", "I63.9"], 6, 3),
    (["C77.0", "C78.00"], 6, 6),  # one condition, twice
    (["K70.30"], 1, 2),  # a milder condition alone counts
    ([], 0, 0),
]


@pytest.mark.parametrize(("codes", "charlson1987", "quan2011"), PATIENTS)
def test_scores(codes: list[str], charlson1987: int, quan2011: int) -> None:
    assert charlson(codes, release="2025").score == charlson1987
    assert charlson(codes, release="2025", weights="quan2011").score == quan2011


@pytest.mark.parametrize(
    ("milder", "milder_code", "severe", "severe_code"),
    [("mild_liver", "K70.30", "severe_liver", "K72.10"),
     ("diabetes", "E11.9", "diabetes_complicated", "E11.22"),
     ("malignancy", "C50.911", "metastatic", "C78.00")],
)
def test_each_hierarchy_keeps_the_more_severe(
    milder: str, milder_code: str, severe: str, severe_code: str
) -> None:
    both = charlson([milder_code, severe_code, "I50.9"], release="2025")
    assert both.conditions == {severe, "chf"}
    assert dict(both.dropped) == {milder: (severe,)}
    assert dict(both.codes)[milder] == (milder_code,)  # still shown, with its code
    assert charlson([milder_code], release="2025").conditions == {milder}
    unrelated = charlson(["K70.30", "C78.00"], release="2025")
    assert unrelated.conditions == {"mild_liver", "metastatic"} and not unrelated.dropped


def test_the_two_icd10cm_points_are_opt_in() -> None:
    assert charlson(["E11.65"], release="2025").conditions == {"diabetes"}
    moved = charlson(["E11.65", "E10.610"], release="2025", e1x6_as_complicated=True)
    assert moved.conditions == {"diabetes_complicated"}
    assert moved.variants == ("e1x6_as_complicated",)
    assert charlson(["C4A.9"], release="2025").conditions == set()
    merkel = charlson(["C4A.9"], release="2025", c4a_as_malignancy=True)
    assert merkel.conditions == {"malignancy"} and merkel.variants == ("c4a_as_malignancy",)


def test_codes_that_are_not_billable_codes_of_the_release_are_unmapped() -> None:
    result = charlson(["I50.9", "I21", "E11.99", "not a code", "B20"], release="2025")
    assert result.conditions == {"chf", "hiv"}
    assert [u.code for u in result.unmapped] == ["I21", "E11.99", "not a code"]
    assert "I21 is a header" in result.unmapped[0].reason
    assert "E11.99 is not a code of ICD-10-CM FY2025" in result.unmapped[1].reason
    assert str(result) == ("Charlson (charlson1987, ICD-10-CM 2025): chf, hiv; score 7; "
                           "3 unmapped")


def test_an_encounter_and_undotted_codes() -> None:
    visit = icd10cm.Encounter.from_codes(["I509", "E1122"], date_of_service="2025-05-01")
    result = charlson(visit)
    assert result.release == "2025-04" and result.conditions == {"chf", "diabetes_complicated"}
    with pytest.raises(ComorbidityError, match="Unknown Charlson weights 'quan'"):
        charlson(["I50.9"], weights="quan")  # type: ignore[arg-type]


# The patterns of the document that match no code of ICD-10-CM, and the members of its
# ranges that match none (F00 of F00.x-F03.x ...): WHO ICD-10 codes that ICD-10-CM does
# not have (E12, E14, F00, B21-B24 ...), or has at another depth (F05, I79.2, I85.9).
NO_CODE = [
    ("pvd", "I79.2", ("I79.2",)),
    ("cevd", "I60.x\u2013I69.x", ("I64",)),
    ("dementia", "F00.x\u2013F03.x", ("F00",)),
    ("dementia", "F05.1", ("F05.1",)),
    ("cpd", "J40.x\u2013J47.x", ("J46",)),
    ("diabetes", "E10.0", ("E10.0",)),
    ("diabetes", "E11.1", ("E11.1",)),  # FY2016 and FY2017 only: E11.10 came in FY2018
    *(("diabetes", f"E12.{n}", (f"E12.{n}",)) for n in (0, 1, 6, 8, 9)),
    *(("diabetes", f"E14.{n}", (f"E14.{n}",)) for n in (0, 1, 6, 8, 9)),
    ("diabetes_complicated", "E10.7", ("E10.7",)),
    ("diabetes_complicated", "E11.7", ("E11.7",)),
    ("diabetes_complicated", "E12.2\u2013E12.5", ("E12.2", "E12.3", "E12.4", "E12.5")),
    ("diabetes_complicated", "E12.7", ("E12.7",)),
    ("diabetes_complicated", "E13.7", ("E13.7",)),
    ("diabetes_complicated", "E14.2\u2013E14.5", ("E14.2", "E14.3", "E14.4", "E14.5")),
    ("diabetes_complicated", "E14.7", ("E14.7",)),
    ("renal", "Z49.0\u2013Z49.2", ("Z49.1", "Z49.2")),
    ("malignancy", "C90.x\u2013C97.x", ("C97",)),
    ("severe_liver", "I85.9", ("I85.9",)),
    ("severe_liver", "I98.2", ("I98.2",)),
    ("hiv", "B20.x\u2013B22.x", ("B21", "B22")),
    ("hiv", "B24.x", ("B24",)),
]


def _expected(release_id: str) -> list[tuple[str, str, tuple[str, ...]]]:
    early = release_id in ("2016", "2017")
    return [row for row in NO_CODE if row[1] != "E11.1" or early]


def _report(release_id: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(p.condition, p.pattern, p.unmatched) for p in charlson_patterns(release_id)]


@pytest.mark.parametrize("release_id", ["2016", "2025"])
def test_patterns_that_match_no_code(release_id: str) -> None:
    report = charlson_patterns(release_id)
    assert _report(release_id) == _expected(release_id)
    whole = [p.pattern for p in report if p.matches_nothing]
    assert len(whole) == (24 if release_id == "2016" else 23)
    assert str(report[1]) == "cevd: I60.x\u2013I69.x: I64 match no code"
    assert str(report[0]) == "pvd: I79.2 matches no code"


@pytest.mark.slow
@pytest.mark.parametrize("release_id", [info.id for info in icd10cm.available_releases()])
def test_patterns_that_match_no_code_in_every_release(release_id: str) -> None:
    assert _report(release_id) == _expected(release_id)
