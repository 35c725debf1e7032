"""Tidy the terms of an index file into the tree the printed book shows.

The XML of the official index files differs from the book in two ways that
matter for walking it (both counted in the tests against the raw files):

* **A note that holds subterms.** In the 2020 and 2023 Alphabetic Index, the
  subterms of ``Failure, failed > heart`` stop at ``specified NEC``; the next
  sibling of ``heart`` is a term whose title is the note on heart failure
  stages ("Note: heart failure stages A, B, C, and D are based on ..."), and it
  holds ``stage A`` to ``stage D``, ``systolic``, ``thyrotoxic`` and
  ``valvular``. The book prints the note and these subterms under ``heart``. A
  term whose title starts with ``Note:`` and that has subterms is therefore
  moved one level down, under its preceding sibling, and its subterms follow it
  there.
* **Duplicate siblings.** A few terms appear twice under the same parent with the
  same printed title. When no field differs (a code, a manifestation, a
  reference, a category that only one of them gives is taken from it), they are
  one entry split in two, as ``Misadventure > medical care (early) (late)``
  (T88.9 and one subterm on the first, two more subterms on the second): they
  are merged into the first, with the children of both. Titles are compared as
  printed, case included (``anti-c`` and ``anti-C sensitization`` are different
  antigens). Siblings whose codes differ (``opioid-induced > anxiety disorder``
  F11.288 and F11.988) are both kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["IndexRow", "Tidied", "tidy_index"]

_FIELDS = ("code", "manif", "see", "see_also", "see_category")


@attrs.frozen
class IndexRow:
    """One term of an index, as printed: *text* includes the nonessential modifiers
    (*nemod*, verbatim) where they stand in the title."""

    level: int  # 0: a main term; n: a subterm n levels below it
    text: str
    nemod: str = ""
    code: str = ""
    manif: str = ""
    see: str = ""
    see_also: str = ""
    see_category: str = ""  # seecat (a category) or subcat (a subcategory)


@attrs.define
class _Node:
    row: IndexRow
    children: list[_Node]


@attrs.frozen
class Tidied:
    """The terms of an index file as the book shows them, and what was changed."""

    rows: tuple[IndexRow, ...]  # in order, with their levels
    notes_moved: tuple[str, ...]  # paths of the note terms moved under their sibling
    merged: tuple[str, ...]  # paths of the duplicate terms merged into their sibling


def _tree(rows: Sequence[IndexRow]) -> list[_Node]:
    top: list[_Node] = []
    stack: list[_Node] = []
    for row in rows:
        level = row.level
        del stack[level:]
        node = _Node(row, [])
        (stack[-1].children if stack else top).append(node)
        stack.append(node)
    return top


def _text(node: _Node) -> str:
    return node.row.text


def _merge_siblings(siblings: list[_Node], path: str, merged: list[str]) -> list[_Node]:
    kept: list[_Node] = []
    first: dict[str, list[_Node]] = {}
    for node in siblings:
        for earlier in first.get(_text(node), ()):
            fields = {}
            for name in _FIELDS:
                mine, theirs = getattr(earlier.row, name), getattr(node.row, name)
                if mine and theirs and mine != theirs:
                    break
                fields[name] = mine or theirs
            else:
                earlier.row = attrs.evolve(earlier.row, **fields)
                earlier.children += node.children
                merged.append(path + _text(node))
                break
        else:
            first.setdefault(_text(node), []).append(node)
            kept.append(node)
    for node in kept:
        node.children = _merge_siblings(node.children, path + _text(node) + " > ", merged)
    return kept


def _move_notes(siblings: list[_Node], path: str, moved: list[str]) -> list[_Node]:
    kept: list[_Node] = []
    for node in siblings:
        if _text(node).startswith("Note:") and node.children and kept:
            moved.append(path + _text(node))
            kept[-1].children += [_Node(node.row, []), *node.children]
        else:
            kept.append(node)
    for node in kept:
        node.children = _move_notes(node.children, path + _text(node) + " > ", moved)
    return kept


def _rows(nodes: list[_Node], level: int, out: list[IndexRow]) -> None:
    for node in nodes:
        row = node.row
        if row.level != level:
            row = attrs.evolve(row, level=level)
        out.append(row)
        _rows(node.children, level + 1, out)


def tidy_index(rows: Sequence[IndexRow]) -> Tidied:
    """*rows* (the terms of one index file, in order) with the notes that hold
    subterms moved under their preceding sibling, then duplicate siblings merged."""
    moved: list[str] = []
    merged: list[str] = []
    top = _merge_siblings(_move_notes(_tree(rows), "", moved), "", merged)
    out: list[IndexRow] = []
    _rows(top, 0, out)
    return Tidied(tuple(out), tuple(moved), tuple(merged))
