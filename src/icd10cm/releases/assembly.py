"""Turn bundled tables, or content built from files, into :class:`Release` objects."""

from __future__ import annotations

import functools
import gc
import itertools
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from icd10cm.core.info import Part, ReleaseInfo, ReleaseSource
from icd10cm.core.notes import Note, NoteKind
from icd10cm.core.release import Release
from icd10cm.core.structure import Block, Chapter
from icd10cm.releases import bundle
from icd10cm.releases.borrowing import borrowings

__all__ = [
    "bundled_infos",
    "bundled_notes",
    "bundled_release",
    "group_notes",
    "info_from_record",
    "structure_of_release",
]


def info_from_record(record: Mapping[str, Any]) -> ReleaseInfo:
    """A :class:`ReleaseInfo` from its entry in ``releases.json``."""
    return ReleaseInfo(
        id=record["id"],
        fiscal_year=record["fiscal_year"],
        effective_from=date.fromisoformat(record["effective_from"]),
        effective_to=date.fromisoformat(record["effective_to"]),
        parts=frozenset(Part(p) for p in record["parts"]),
        billable_count=record["billable_count"],
        header_count=record["header_count"],
        structure_from=record["structure_from"],
        sources=tuple(ReleaseSource(**s) for s in record["sources"]),
        provenance=tuple(record["provenance"]),
    )


def bundled_infos() -> tuple[ReleaseInfo, ...]:
    """Every bundled release, oldest first, with the parts each one borrows."""
    records = bundle.read_json("releases.json")["releases"]
    own = [info_from_record(record) for record in records]
    return tuple(attrs.evolve(info, borrowed=borrowings(info, own)) for info in own)


def _select(release_id: str, table_name: str, *names: str) -> list[tuple[str, ...]]:
    selected = bundle.read_table(table_name).select(release_id, *names)
    return selected if selected is not None else [() for _ in names]


def structure_of_release(release_id: str) -> tuple[list[Chapter], list[Block], dict[str, str]]:
    kinds, ids, titles, firsts, lasts, chapters = _select(
        release_id, "structure.table", "kind", "id", "title", "first", "last", "chapter"
    )
    chapter_list = []
    block_list = []
    for kind, id_, title, first, last, chapter in zip(
        kinds, ids, titles, firsts, lasts, chapters, strict=True
    ):
        if kind == "chapter":
            chapter_list.append(Chapter(int(id_), title, first, last))
        else:
            block_list.append(Block(id_, title, first, last, int(chapter)))
    categories, blocks = _select(release_id, "categories.table", "category", "block")
    return chapter_list, block_list, dict(zip(categories, blocks, strict=True))


def group_notes(
    notes: Iterable[tuple[str, str, str, str]], source_release: str
) -> dict[str, tuple[Note, ...]]:
    """(node, kind, key, text) rows of one release's tabular as notes by node."""
    grouped: dict[str, list[Note]] = {}
    kinds = {kind.value: kind for kind in NoteKind}
    for node, kind, key, text in notes:
        grouped.setdefault(node, []).append(Note(kinds[kind], text, node, key, source_release))
    return {node: tuple(items) for node, items in grouped.items()}


def bundled_notes(release_id: str, kind: NoteKind | None = None) -> dict[str, tuple[Note, ...]]:
    """The notes of a bundled release's own tabular (only those of *kind*), by node."""
    columns = _select(release_id, "notes.table", "node", "kind", "key", "text")
    rows: Iterable[tuple[str, str, str, str]] = zip(*columns, strict=True)
    if kind is not None:
        rows = itertools.compress(rows, map(kind.value.__eq__, columns[1]))
    return group_notes(rows, release_id)


def bundled_release(
    info: ReleaseInfo, note_check: Callable[[Release, Note], Note] | None = None
) -> Release:
    """Build a bundled release from the cached tables. Its notes are its own tabular's,
    or the nearest release's (:attr:`ReleaseInfo.borrowed`), each passed through
    *note_check* for the release it now serves."""
    enabled = gc.isenabled()
    gc.disable()  # the load allocates ~10^5 objects and no cycles: skip the GC passes
    try:
        return _bundled_release(info, note_check)
    finally:
        if enabled:
            gc.enable()


def _bundled_release(
    info: ReleaseInfo, note_check: Callable[[Release, Note], Note] | None
) -> Release:
    codes, billable, short_titles, titles = _select(
        info.id, "codes.table", "code", "billable", "short_title", "title"
    )
    chapters, blocks, categories = structure_of_release(info.id)

    source = info.notes_from
    notes = functools.partial(bundled_notes, source) if source is not None else None

    return Release(
        info,
        codes=codes,
        billable=tuple(map("1".__eq__, billable)),
        short_titles=[short or title for short, title in zip(short_titles, titles, strict=True)],
        titles=titles,
        chapters=chapters,
        blocks=blocks,
        categories=categories,
        notes=notes,
        note_check=note_check if source is not None and source != info.id else None,
        notes_of_kind=notes,
    )
