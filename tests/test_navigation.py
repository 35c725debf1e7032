"""Code.parent, children and ancestors, Release.note_nodes and notes_for, against
definitions worked out here from the release's codes in tabular order: a code's parent
is the longest of its prefixes that is a code of the release."""

from __future__ import annotations

import threading

import pytest

import icd10cm
from icd10cm.core.text import dot


@pytest.fixture(scope="module")
def release() -> icd10cm.Release:
    return icd10cm.load_release("2025")


def _parent(known: set[str], undotted: str) -> str | None:
    for length in range(len(undotted) - 1, 2, -1):
        if undotted[:length] in known:
            return undotted[:length]
    return None


@pytest.mark.slow
def test_parents_children_and_ancestors_follow_the_prefixes(release: icd10cm.Release) -> None:
    codes = list(release.undotted_codes)
    known = set(codes)
    children: dict[str, list[str]] = {}
    for code in codes:
        parent = _parent(known, code)
        found = release[code].parent
        assert (found.undotted if found else None) == parent, code
        if parent is not None:
            children.setdefault(parent, []).append(code)
    for code in codes[::11]:
        item = release[code]
        assert [c.undotted for c in item.children] == children.get(code, [])
        chain = []
        above = _parent(known, code)
        while above is not None:
            chain.append(above)
            above = _parent(known, above)
        assert [c.undotted for c in item.ancestors] == chain[::-1]
    assert release["S52.521A"].parent == release["S52.521"]
    assert [c.value for c in release["S52.521A"].ancestors] == \
        ["S52", "S52.5", "S52.52", "S52.521"]
    e11 = release["E11"]
    assert e11.children == tuple(c for c in e11.descendants if c.parent == e11)
    assert e11.parent is None and e11.ancestors == ()
    assert release["E11.9"].children == ()


def test_lookups_by_text_are_the_same_codes(release: icd10cm.Release) -> None:
    for text in ("E11.9", "E119", "S52.521A", "S52521A", "E11"):
        index = release.index_of(text)
        assert index is not None
        assert release[text] is release.get(text) is release.code_at(index)
    assert release.get("E11.99") is None and release.get("e11.9") is None
    with pytest.raises(KeyError, match=r"E11\.99"):
        release["E11.99"]


def test_notes_for_walks_the_code_its_ancestors_block_and_chapter(
        release: icd10cm.Release) -> None:
    code = release["S52.521A"]
    nodes = release.note_nodes(code)
    assert nodes == ("S52.521A", "S52.521", "S52.52", "S52.5", "S52", "block:S50-S59",
                     "chapter:19")
    every = tuple(note for node in nodes for note in release.notes_at(node))
    assert every and release.notes_for(code) == every == release.notes_for("S52521A")
    assert release.notes_for(code) is release.notes_for(code)  # remembered
    kinds = [icd10cm.NoteKind.EXCLUDES1, icd10cm.NoteKind.SEVENTH_CHARACTER]
    assert release.notes_for(code, kinds=kinds) == tuple(n for n in every if n.kind in kinds)
    assert release.notes_for(code, inherited=False) == release.notes_at("S52.521A")
    assert tuple(reversed(code.notes)) == tuple(
        note for node in nodes for note in reversed(release.notes_at(node)))
    with pytest.raises(KeyError, match=r"E11\.99"):
        release.notes_for("E11.99")


def _note_nodes(release: icd10cm.Release, known: set[str], undotted: str) -> tuple[str, ...]:
    chain = [undotted]
    while (above := _parent(known, chain[-1])) is not None:
        chain.append(above)
    block = release.block_of(undotted)
    return (*(dot(code) for code in chain), f"block:{block.id}",
            f"chapter:{block.chapter}")


@pytest.mark.parametrize(("release_id", "step"), [
    ("2025", 7),
    *(pytest.param(info.id, 1, marks=pytest.mark.slow) for info in icd10cm.available_releases()),
])
def test_note_nodes_are_the_code_the_codes_above_it_its_block_and_chapter(
        release_id: str, step: int) -> None:
    release = icd10cm.load_release(release_id)
    codes = release.undotted_codes
    known = set(codes)
    for code in codes[::step]:
        assert release.note_nodes(code) == _note_nodes(release, known, code), code


@pytest.mark.slow
def test_the_hierarchy_is_worked_out_once_across_threads() -> None:
    fresh = icd10cm.load_release("2019")
    found: list[object] = []
    codes = [code.value for code in fresh][::500]

    def walk() -> None:
        found.append(tuple((fresh[c].parent, fresh[c].children) for c in codes))

    threads = [threading.Thread(target=walk) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1
