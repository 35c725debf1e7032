"""Turn bundled tables, or content built from files, into :class:`Release` objects."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from icd10cm import _data
from icd10cm.chapters import Block, Chapter
from icd10cm.notes import Note, NoteKind
from icd10cm.release import Release
from icd10cm.release_info import Part, ReleaseInfo, ReleaseSource

if TYPE_CHECKING:
    from icd10cm._build.assemble import ReleaseContent, Structure

__all__ = [
    "bundled_infos",
    "bundled_release",
    "bundled_structures",
    "info_from_record",
    "release_from_content",
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
    records = _data.read_json("releases.json")["releases"]
    return tuple(info_from_record(record) for record in records)


def _select(release_id: str, table_name: str, *names: str) -> list[tuple[str, ...]]:
    selected = _data.read_table(table_name).select(release_id, *names)
    return selected if selected is not None else [() for _ in names]


def _structure(release_id: str) -> tuple[list[Chapter], list[Block], dict[str, str]]:
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


def _group_notes(notes: Iterable[tuple[str, str, str, str]]) -> dict[str, tuple[Note, ...]]:
    grouped: dict[str, list[Note]] = {}
    for node, kind, key, text in notes:
        grouped.setdefault(node, []).append(Note(NoteKind(kind), text, node, key))
    return {node: tuple(items) for node, items in grouped.items()}


def bundled_release(info: ReleaseInfo) -> Release:
    """Build a bundled release from the cached tables."""
    enabled = gc.isenabled()
    gc.disable()  # the load allocates ~10^5 objects and no cycles: skip the GC passes
    try:
        return _bundled_release(info)
    finally:
        if enabled:
            gc.enable()


def _bundled_release(info: ReleaseInfo) -> Release:
    codes, billable, short_titles, titles = _select(
        info.id, "codes.table", "code", "billable", "short_title", "title"
    )
    chapters, blocks, categories = _structure(info.id)

    def notes() -> dict[str, tuple[Note, ...]]:
        columns = _select(info.id, "notes.table", "node", "kind", "key", "text")
        return _group_notes(zip(*columns, strict=True))

    return Release(
        info,
        codes=codes,
        billable=tuple(map("1".__eq__, billable)),
        short_titles=[short or title for short, title in zip(short_titles, titles, strict=True)],
        titles=titles,
        chapters=chapters,
        blocks=blocks,
        categories=categories,
        notes=notes if info.has_notes else None,
    )


def bundled_structures(infos: Sequence[ReleaseInfo]) -> dict[str, tuple[date, Structure]]:
    """The chapter/block structure of every bundled release that has its own tabular."""
    from icd10cm._build.assemble import Structure
    from icd10cm._build.tabular import TabularBlock, TabularChapter

    structures = {}
    for info in infos:
        if not info.has_notes:
            continue
        chapters, blocks, categories = _structure(info.id)
        structures[info.id] = (
            info.effective_from,
            Structure(
                tuple(TabularChapter(c.number, c.title, c.first, c.last) for c in chapters),
                tuple(TabularBlock(b.id, b.title, b.first, b.last, b.chapter) for b in blocks),
                categories,
            ),
        )
    return structures


def release_from_content(content: ReleaseContent, effective_to: date) -> Release:
    """A release built at run time from a user's files."""
    has_tabular = content.notes is not None
    info = ReleaseInfo(
        id=content.id,
        fiscal_year=content.fiscal_year,
        effective_from=content.effective_from,
        effective_to=effective_to,
        parts=frozenset({Part.ORDER, Part.TABULAR} if has_tabular else {Part.ORDER}),
        billable_count=sum(row.billable for row in content.rows),
        header_count=sum(not row.billable for row in content.rows),
        structure_from=content.structure_from,
        sources=tuple(ReleaseSource(s.role, s.file, s.sha256) for s in content.sources),
        provenance=content.provenance,
        bundled=False,
    )
    structure = content.structure
    notes = _group_notes((n.node, n.kind, n.key, n.text) for n in content.notes or ())
    return Release(
        info,
        codes=[row.code for row in content.rows],
        billable=[row.billable for row in content.rows],
        short_titles=[row.short_title for row in content.rows],
        titles=[row.title for row in content.rows],
        chapters=[Chapter(c.number, c.title, c.first, c.last) for c in structure.chapters],
        blocks=[Block(b.id, b.title, b.first, b.last, b.chapter) for b in structure.blocks],
        categories=structure.categories,
        notes=(lambda: notes) if has_tabular else None,
    )
