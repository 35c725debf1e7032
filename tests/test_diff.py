"""diff() against the official addenda files, and its own properties."""

from __future__ import annotations

import gzip
import itertools
import re
from pathlib import Path

import pytest

import icd10cm
from icd10cm.releases.diff import BillableChange, ReleaseDiff, Retitle, diff

_LINE = re.compile(r"^(Add|Delete|Revise from|Revise to):\s+(?:([01]) +)?(\S+) +(.*)$")

# The release each addenda file lists its changes against. The 2020-04 release is
# derived (FY2020 plus U07, U07.0, U07.1; no addenda of its own), so the FY2021
# addenda count those three as added against FY2020. The January 2021 folder holds the
# CMS January 2021 addenda, which list the FY2020 -> January 2021 changes in one file.
_BASELINE = {"2021": "2020", "2021-01": "2020"}

# Title changes the order files make but the order addenda do not list. In every one
# the long title changed only in spacing (a double space, a missing space after
# "[BMI]") or not at all, the short title otherwise: see
# test_unlisted_retitles_are_spacing_or_short_title_only.
_UNLISTED_RETITLES = {
    "2017": {"T46.4X", "T50.A2"},
    "2018": {"H35.3113", "H35.3114", "H35.3123", "H35.3124", "H35.3133", "H35.3134",
             "H35.3193", "H35.3194", "P03.810", "P03.819", "R93.41", "Z05.7"},
    "2022": {"Z68.30", "Z68.41"},
    "2024": {"Y07.45"},
}


def _dotted(code: str) -> str:
    return code if len(code) == 3 else f"{code[:3]}.{code[3:]}"


def _addenda(path: Path) -> tuple[dict[str, tuple[str | None, str]], ...]:
    """Add, Delete and Revise-to lines of an addenda file: code -> (flag, titles)."""
    added: dict[str, tuple[str | None, str]] = {}
    deleted: dict[str, tuple[str | None, str]] = {}
    revised: dict[str, tuple[str | None, str]] = {}
    sections = {"Add": added, "Delete": deleted, "Revise to": revised}
    for line in path.read_text(encoding="latin-1").splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        kind, flag, code, titles = match.groups()
        if kind in sections:
            sections[kind][_dotted(code)] = (flag, " ".join(titles.split()))
    return added, deleted, revised


def _addenda_files(cms_raw: Path, kind: str) -> list[tuple[str, str, Path]]:
    """(release, baseline, file) for every release folder with a *kind* addenda file."""
    ids = [info.id for info in icd10cm.available_releases()]
    found = []
    for position, release in enumerate(ids[1:], 1):
        files = [p for p in sorted((cms_raw / release).glob("*addenda*"))
                 if re.search(rf"{kind}[-_]addenda", p.name) and p.suffix == ".txt"]
        assert len(files) <= 1, files
        if files:
            found.append((release, _BASELINE.get(release, ids[position - 1]), files[0]))
    return found


def test_every_release_after_the_first_but_two_has_addenda(cms_raw: Path) -> None:
    with_addenda = {release for release, _, _ in _addenda_files(cms_raw, "order")}
    ids = {info.id for info in icd10cm.available_releases()}
    # 2016 is the first release; 2020-04 is derived; 2026-04 has no order file.
    assert ids - with_addenda == {"2016", "2020-04", "2026-04"}


@pytest.mark.slow
def test_order_addenda_equal_diff(cms_raw: Path) -> None:
    checked = 0
    for release, baseline, path in _addenda_files(cms_raw, "order"):
        added, deleted, revised = _addenda(path)
        changes = diff(baseline, release)
        both = added.keys() & deleted.keys()  # a flag change is listed as Delete + Add
        assert set(changes.added) == added.keys() - both, release
        assert set(changes.deleted) == deleted.keys() - both, release
        flags = {code for code in both if added[code][0] != deleted[code][0]}
        assert {c.code for c in changes.billable_changed} == flags, release
        listed = revised.keys() | {code for code in both if added[code][1] != deleted[code][1]}
        unlisted = _UNLISTED_RETITLES.get(release, set())
        assert {r.code for r in changes.retitled} == listed | unlisted, release
        assert not listed & unlisted
        for retitle in changes.retitled:
            if retitle.code in revised:
                _flag, titles = revised[retitle.code]
                assert titles.startswith(" ".join(retitle.new_short_title.split())), retitle
                assert titles.endswith(" ".join(retitle.new_title.split())), retitle
        checked += 1
    assert checked == 16


@pytest.mark.slow
def test_unlisted_retitles_are_spacing_or_short_title_only() -> None:
    for release, codes in _UNLISTED_RETITLES.items():
        previous = _previous(release)
        changes = {r.code: r for r in diff(previous, release).retitled}
        for code in codes:
            change = changes[code]
            assert "".join(change.old_title.split()) == "".join(change.new_title.split())
            assert (change.old_title != change.new_title
                    or change.old_short_title != change.new_short_title)


def _previous(release: str) -> str:
    ids = [info.id for info in icd10cm.available_releases()]
    return ids[ids.index(release) - 1]


@pytest.mark.slow
def test_codes_addenda_equal_the_reportable_changes(cms_raw: Path) -> None:
    checked = 0
    for release, baseline, path in _addenda_files(cms_raw, "codes"):
        added, deleted, revised = _addenda(path)
        old, new = icd10cm.load_release(baseline), icd10cm.load_release(release)
        old_billable = {code.value for code in old.billable_codes()}
        new_billable = {code.value for code in new.billable_codes()}
        assert added.keys() - deleted.keys() == new_billable - old_billable, release
        assert deleted.keys() - added.keys() == old_billable - new_billable, release
        retitled = {r.code for r in diff(old, new).retitled if r.code in new_billable
                    and r.code in old_billable and r.old_title != r.new_title}
        unlisted = _UNLISTED_RETITLES.get(release, set())
        assert revised.keys() <= retitled, release
        assert retitled - revised.keys() <= unlisted, release
        checked += 1
    assert checked == 16


def test_april_updates_without_changes(cms_raw: Path) -> None:
    for release in ("2024-04", "2025-04"):
        path = next((cms_raw / release).glob("*order*addenda*"))
        assert "0 additions" in path.read_text(encoding="latin-1")
        assert diff(_previous(release), release).is_empty


def test_derived_april_2020_adds_exactly_the_u07_codes() -> None:
    changes = diff("2020", "2020-04")
    assert changes.added == ("U07", "U07.0", "U07.1")
    assert not (changes.deleted or changes.retitled or changes.billable_changed)


def test_reverse_direction_swaps_added_and_deleted() -> None:
    forward, backward = diff("2024", "2025"), diff("2025", "2024")
    assert (backward.old, backward.new) == ("2025", "2024")
    assert set(backward.added) == set(forward.deleted)
    assert set(backward.deleted) == set(forward.added)
    assert {(r.code, r.new_title, r.old_title) for r in backward.retitled} == {
        (r.code, r.old_title, r.new_title) for r in forward.retitled}
    assert {(b.code, b.new_billable) for b in backward.billable_changed} == {
        (b.code, b.old_billable) for b in forward.billable_changed}


@pytest.mark.slow
def test_non_adjacent_releases_compose() -> None:
    ids = ["2019", "2020", "2020-04", "2021", "2021-01", "2022"]
    whole = diff(ids[0], ids[-1])
    codes = {code.value for code in icd10cm.load_release(ids[0])}
    for old, new in itertools.pairwise(ids):
        step = diff(old, new)
        codes = (codes - set(step.deleted)) | set(step.added)
    final = {code.value for code in icd10cm.load_release(ids[-1])}
    assert codes == final
    first = {code.value for code in icd10cm.load_release(ids[0])}
    assert set(whole.added) == final - first
    assert set(whole.deleted) == first - final


def test_codes_come_in_tabular_order_and_match_the_releases() -> None:
    changes = diff("2025", "2026")
    old, new = icd10cm.load_release("2025"), icd10cm.load_release("2026")
    assert list(changes.added) == sorted(changes.added, key=lambda c: new[c])
    assert list(changes.deleted) == sorted(changes.deleted, key=lambda c: old[c])
    for code in changes.added:
        assert code in new and code not in old
    for change in changes.billable_changed:
        assert old[change.code].is_billable == change.old_billable
        assert new[change.code].is_billable == change.new_billable
    for retitle in changes.retitled:
        assert old[retitle.code].title == retitle.old_title
        assert new[retitle.code].title == retitle.new_title


def test_same_release_and_accepted_arguments() -> None:
    assert diff("2025", 2025).is_empty
    by_date = diff("2024-06-30", icd10cm.load_release("2025"))
    assert (by_date.old, by_date.new) == ("2024-04", "2025")
    assert by_date == diff("2024-04", "2025")
    with pytest.raises(icd10cm.UnknownReleaseError, match="'1999'"):
        diff("1999", "2025")


def test_str_forms() -> None:
    changes = diff("2025", "2026")
    assert str(changes).startswith("ICD-10-CM 2025 -> 2026: 614 added, 12 deleted")
    assert isinstance(changes, ReleaseDiff)
    assert str(BillableChange("B88.0", True, False)) == "B88.0: billable -> header"
    assert str(Retitle("X", "a", "b", "a", "b")) == "X: 'a' -> 'b'"


def test_module_names_do_not_shadow_the_functions() -> None:
    """Importing a submodule sets it as an attribute of the package: no module of
    this feature may be named like the function it defines."""
    import importlib

    for module in ("icd10cm.releases.diff", "icd10cm.releases.conversion", "icd10cm.io.json",
                   "icd10cm.cli.diff", "icd10cm.cli.convert"):
        importlib.import_module(module)
    for name in ("diff", "convert", "to_json", "from_json", "dumps", "loads"):
        assert callable(getattr(icd10cm, name)), name
        assert not isinstance(getattr(icd10cm, name), type(icd10cm)), name


# The order file of each release, as the official folders hold it. 2020-04 is FY2020
# plus the U07, U07.0 and U07.1 rows of the FY2021 order file (docs/data.md); 2024-04
# and 2026-04 have no order file of their own: their addenda list no change
# (2024-04) and their codes file equals FY2026's (2026-04), so they are read from the
# October files.
_ORDER_FILES = {
    "2016": "2016/icd10cm_order_2016.txt.gz", "2017": "2017/icd10cm_order_2017.txt.gz",
    "2018": "2018/icd10cm_order_2018.txt.gz", "2019": "2019/icd10cm_order_2019.txt.gz",
    "2020": "2020/icd10cm_order_2020.txt.gz", "2021": "2021/icd10cm_order_2021.txt.gz",
    "2021-01": "2021-01/icd10cm_order_2021.txt.gz", "2022": "2022/icd10cm-order-2022.txt.gz",
    "2022-04": "2022-04/icd10cm_order_2022.txt.gz", "2023": "2023/icd10cm-order-2023.txt.gz",
    "2023-04": "2023-04/icd10cm_order_2023.txt.gz", "2024": "2024/icd10cm-order-2024.txt.gz",
    "2024-04": "2024/icd10cm-order-2024.txt.gz", "2025": "2025/icd10cm_order_2025.txt.gz",
    "2025-04": "2025-04/icd10cm-order-April-2025.txt.gz",
    "2026": "2026/icd10cm_order_2026.txt.gz", "2026-04": "2026/icd10cm_order_2026.txt.gz",
    "2027": "2027/icd10cm_order_2027.txt.gz",
}


def _order_rows(cms_raw: Path, release: str) -> dict[str, tuple[bool, str, str]]:
    """Dotted code -> (billable, short title, long title) of a release's order file,
    read as the fixed-width text icd10OrderFiles.pdf describes (code in columns 7-13,
    flag in 15, short title in 17-76, long title from 78)."""
    if release == "2020-04":
        rows = _order_rows(cms_raw, "2020")
        fy2021 = _order_rows(cms_raw, "2021")
        return rows | {code: fy2021[code] for code in ("U07", "U07.0", "U07.1")}
    rows = {}
    with gzip.open(cms_raw / _ORDER_FILES[release], "rt", encoding="latin-1") as lines:
        for line in lines:
            line = line.rstrip("\r\n")
            rows[_dotted(line[6:13].strip())] = (
                line[14] == "1", line[16:76].rstrip(), line[77:].rstrip())
    return rows


@pytest.mark.slow
@pytest.mark.cms_raw
def test_diff_of_every_consecutive_pair_equals_the_order_files(cms_raw: Path) -> None:
    ids = [info.id for info in icd10cm.available_releases()]
    assert set(ids) == _ORDER_FILES.keys() | {"2020-04"}
    counts = {}
    newer = _order_rows(cms_raw, ids[0])
    for old, new in itertools.pairwise(ids):
        before, newer = newer, _order_rows(cms_raw, new)
        changes = diff(old, new)
        assert list(changes.added) == [c for c in newer if c not in before], new
        assert list(changes.deleted) == [c for c in before if c not in newer], new
        both = [c for c in before if c in newer]
        assert [(r.code, r.old_short_title, r.old_title, r.new_short_title, r.new_title)
                for r in changes.retitled] == [
            (c, *before[c][1:], *newer[c][1:]) for c in both if before[c][1:] != newer[c][1:]]
        assert [(b.code, b.old_billable, b.new_billable) for b in changes.billable_changed] \
            == [(c, before[c][0], newer[c][0]) for c in both if before[c][0] != newer[c][0]]
        counts[new] = (len(changes.added), len(changes.deleted), len(changes.retitled),
                       len(changes.billable_changed))
    assert counts["2020-04"] == (3, 0, 0, 0)
    assert counts["2024-04"] == counts["2025-04"] == counts["2026-04"] == (0, 0, 0, 0)
