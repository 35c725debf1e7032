"""The release API: ids, dates, caching, lookups, structure and notes (bundled data only)."""

from __future__ import annotations

import itertools
import pickle
import threading
from datetime import date, datetime

import pytest

import icd10cm
from icd10cm import NoReleaseForDateError, UnknownReleaseError
from icd10cm.releases.registry import resolve, resolve_release

EXPECTED_IDS = [
    "2016", "2017", "2018", "2019", "2020", "2020-04", "2021", "2021-01", "2022", "2022-04",
    "2023", "2023-04", "2024", "2024-04", "2025", "2025-04", "2026", "2026-04", "2027",
]


def test_available_releases_lists_every_official_release_in_date_order() -> None:
    infos = icd10cm.available_releases()
    assert [i.id for i in infos] == EXPECTED_IDS
    for before, after in itertools.pairwise(infos):
        assert (after.effective_from - before.effective_to).days == 1  # no gap, no overlap
    assert infos[-1].effective_from == date(2026, 10, 1)
    # the optional parts (index, eindex, drug, neoplasm) are tested with their builders
    assert {str(p) for p in infos[0].parts} >= {"order", "tabular", "index", "eindex"}
    fy2018 = icd10cm.available_releases()[2]
    assert {str(p) for p in fy2018.parts} == {"order", "poa_exempt"}
    assert fy2018.borrowed[icd10cm.Part.NOTES] == "2017"


@pytest.mark.parametrize(
    ("when", "release_id"),
    [
        (date(2015, 10, 1), "2016"),
        (date(2020, 3, 31), "2020"),
        (date(2020, 4, 1), "2020-04"),
        (date(2021, 1, 1), "2021-01"),
        (date(2026, 4, 1), "2026-04"),
        (date(2026, 9, 30), "2026-04"),
        (date(2026, 10, 1), "2027"),
        (datetime(2026, 11, 23, 15, 30), "2027"),
        ("2024-04-15", "2024-04"),
    ],
)
def test_release_for_date_of_service(when: date | str, release_id: str) -> None:
    assert icd10cm.release_for(when).id == release_id


@pytest.mark.parametrize(
    ("when", "advice"), [(date(2015, 9, 30), "ICD-9-CM"), (date(2027, 10, 1), "release_from_files")]
)
def test_release_for_a_date_outside_every_release_raises(when: date, advice: str) -> None:
    with pytest.raises(NoReleaseForDateError, match=advice) as info:
        icd10cm.release_for(when)
    assert "2016" in str(info.value) and "2027" in str(info.value)


def test_release_for_rejects_a_non_date() -> None:
    with pytest.raises(icd10cm.InvalidDateError, match="'yesterday'"):
        icd10cm.release_for("yesterday")


def test_a_missing_pandas_timestamp_is_an_invalid_date() -> None:
    pd = pytest.importorskip("pandas")
    assert icd10cm.release_for(pd.Timestamp("2022-04-01")).id == "2022-04"
    with pytest.raises(icd10cm.InvalidDateError, match="NaT"):  # not a TypeError
        icd10cm.release_for(pd.NaT)
    with pytest.raises(icd10cm.InvalidDateError, match="NaT"):
        resolve_release("2025", date_of_service=pd.NaT)
    problems = resolve("2025", date_of_service=pd.NaT).problems
    assert len(problems) == 1 and "NaT" in problems[0]


def test_load_release_accepts_the_id_forms() -> None:
    assert icd10cm.load_release(2025) is icd10cm.load_release("2025")
    assert icd10cm.load_release("2025-04").info.effective_from == date(2025, 4, 1)
    assert icd10cm.latest_release().id == "2027"


@pytest.mark.parametrize("bad", ["2015", "FY2025", "2025-05", 2030, True, None, 2025.0])
def test_unknown_release_ids_raise_a_typed_error_listing_the_valid_ids(bad: object) -> None:
    with pytest.raises(UnknownReleaseError) as info:
        icd10cm.load_release(bad)  # type: ignore[arg-type]
    assert isinstance(info.value, icd10cm.Icd10cmError)
    assert "2025-04" in str(info.value) and repr(bad) in str(info.value)


def test_loading_is_cached_and_thread_safe() -> None:
    icd10cm.clear_cache()
    seen: list[icd10cm.Release] = []
    threads = [
        threading.Thread(target=lambda: seen.append(icd10cm.load_release("2023")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(r is seen[0] for r in seen)
    icd10cm.clear_cache()
    assert icd10cm.load_release("2023") is not seen[0]


def test_release_is_immutable_and_pickles_by_id() -> None:
    release = icd10cm.load_release("2025")
    with pytest.raises(AttributeError):
        release.info = release.info
    assert pickle.loads(pickle.dumps(release)) is release


def test_lookups_take_dotted_and_undotted_forms() -> None:
    release = icd10cm.load_release("2025")
    code = release["S52.521A"]
    assert code == release["S52521A"] == release.get("S52521A")
    assert "E11.9" in release and "E119" in release and code in release
    assert "E11.99" not in release and release.get("E11.99") is None
    assert str(code) == code.value == "S52.521A"
    assert code.undotted == "S52521A"
    assert code.title == (
        "Torus fracture of lower end of right radius, initial encounter for closed fracture"
    )
    assert code.short_title == "Torus fracture of lower end of right radius, init"
    assert code.is_billable and not release["S52.521"].is_billable
    with pytest.raises(KeyError, match=r"E11\.99"):
        release["E11.99"]


def test_iteration_is_in_tabular_order() -> None:
    release = icd10cm.load_release("2025")
    values = [c.value for c in release]
    assert values[:3] == ["A00", "A00.0", "A00.1"]
    # C4A sits between C43 and C44 in the Tabular List, not in alphabetical order
    assert values.index("C43") < values.index("C4A") < values.index("C44")
    assert sorted((*release["C44"].descendants, release["C4A"]))[0] == release["C4A"]


def test_codes_carry_chapter_block_and_hierarchy() -> None:
    release = icd10cm.load_release("2025")
    code = release["E11.9"]
    assert code.chapter.number == 4 and code.chapter.first == "E00" and code.chapter.last == "E89"
    assert code.block.id == "E08-E13"
    assert code.category == release["E11"]
    assert code.parent == release["E11"]
    assert [a.value for a in release["S52.521A"].ancestors] == ["S52", "S52.5", "S52.52",
                                                                 "S52.521"]
    # torus fractures take only A, D, G, K, P and S (S52.52's own 7th-character list)
    assert [c.value[-1] for c in release["S52.521"].children] == list("ADGKPS")
    assert release["S52.5"].children[0] == release["S52.50"]
    assert all(c.parent == release["S52.5"] for c in release["S52.5"].children)
    assert release["E11"].parent is None


@pytest.mark.slow
@pytest.mark.parametrize("release_id", EXPECTED_IDS)
def test_every_category_belongs_to_exactly_one_chapter_and_block(release_id: str) -> None:
    release = icd10cm.load_release(release_id)
    chapter_numbers = {c.number for c in release.chapters}
    block_ids = [b.id for b in release.blocks]
    assert len(block_ids) == len(set(block_ids))
    categories = [c for c in release if len(c.undotted) == 3]
    assert len(categories) > 1900
    for category in categories:
        block = category.block
        assert block in release.blocks
        assert block.chapter in chapter_numbers
        assert category.chapter.number == block.chapter


def test_notes_are_the_releases_own_or_the_nearest_releases() -> None:
    with_notes = icd10cm.load_release("2025")
    assert with_notes.has_notes
    kinds = {str(n.kind) for n in with_notes.notes_at("E11")}
    assert {"includes", "use_additional_code", "excludes1"} <= kinds
    sevenths = {n.character: n.text for n in with_notes.notes_at("S52")
                if str(n.kind) == "seventh_character"}
    assert sevenths["A"] == "initial encounter for closed fracture"
    assert with_notes.notes_at("block:E08-E13") or with_notes.notes_at("chapter:4")
    without = icd10cm.load_release("2024")
    assert not without.has_notes and without.notes_from == "2023"
    assert without.notes_at("E11", own_data_only=True) == ()
    lent = icd10cm.load_release("2023").notes_at("E11")
    assert [(n.kind, n.text, n.source_release) for n in without.notes_at("E11")] == [
        (n.kind, n.text, "2023") for n in lent]
    assert any("the nearest release's" in line for line in without.info.provenance)


def test_special_releases_record_where_their_content_came_from() -> None:
    april_2020 = icd10cm.load_release("2020-04")
    assert "U07.1" in april_2020 and "U07.0" in april_2020
    assert "U07.1" not in icd10cm.load_release("2020")
    assert april_2020["U07.1"].chapter.number == 22
    assert april_2020.billable_count == icd10cm.load_release("2020").billable_count + 2
    assert any("U07.0" in line for line in april_2020.info.provenance)
    for release_id, source in (("2024-04", "2024/"), ("2026-04", "2026/")):
        info = icd10cm.load_release(release_id).info
        orders = [s.file for s in info.sources if s.role == "order"]
        assert len(orders) == 1 and orders[0].startswith(source)
        assert info.provenance


def test_data_version_is_separate_from_the_library_version() -> None:
    assert icd10cm.data_version() == "2027"
    assert icd10cm.__version__ != icd10cm.data_version()


def test_release_for_explains_dates_before_icd10cm() -> None:
    with pytest.raises(NoReleaseForDateError, match="ICD-9-CM"):
        icd10cm.release_for(date(2014, 1, 1))


def test_release_arguments_accept_iso_dates() -> None:
    assert icd10cm.parse_code("E11.9", release="2025-06-30").release.id == "2025-04"


_FULL_WIDTH = "\uff12\uff10\uff12\uff12-\uff10\uff14-\uff10\uff11"  # 2022-04-01 in wide digits


@pytest.mark.parametrize("text", ["20220401", "2022-W13-5", "2022-091", _FULL_WIDTH])
def test_only_the_documented_iso_date_form_is_a_date(text: str) -> None:
    # docs/releases.md and docs/frames.md: a date of service is a date or text such as
    # "2025-06-30". Python 3.11's date.fromisoformat also reads the basic, week and
    # ordinal ISO forms, which Python 3.10 (supported) refuses and which release=
    # never took: one form on every version.
    with pytest.raises(icd10cm.InvalidDateError) as info:
        icd10cm.release_for(text)
    assert repr(text) in str(info.value)
    with pytest.raises(icd10cm.Icd10cmError):
        resolve_release(text)
    assert icd10cm.release_for(" 2022-04-01 ").id == "2022-04"
    assert resolve_release(" 2022-04-01 ").id == "2022-04"  # as date_of_service= takes it


def test_a_numpy_datetime64_is_a_date_of_service() -> None:
    np = pytest.importorskip("numpy")
    # The April 1, 2022 update is in force from 2022-04-01 (docs/data.md).
    assert icd10cm.release_for(np.datetime64("2022-04-01")).id == "2022-04"
    assert icd10cm.release_for(np.datetime64("2022-03-31T23:59:59.999999999")).id == "2022"
    assert resolve_release(np.datetime64("2022-04-01", "ns")).id == "2022-04"
    assert icd10cm.diff(np.datetime64("2020-04-01"), "2020").deleted == ("U07", "U07.0", "U07.1")
    for bad in (np.datetime64("NaT"), np.datetime64("2022-04")):  # no day
        with pytest.raises(icd10cm.InvalidDateError) as info:
            icd10cm.release_for(bad)
        assert repr(bad) in str(info.value)
