"""Write assembled releases as the compact, deterministic bundled data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from icd10cm.official.assemble import ReleaseContent
from icd10cm.official.sources import sha256
from icd10cm.releases.table_format import encode_table, merge_rows
from icd10cm_build.extra_data import ExtraData

__all__ = ["encode_data", "write_data"]

FORMAT = 1


def _end_of_fiscal_year(fiscal_year: int) -> str:
    return f"{fiscal_year}-09-30"


def release_records(
    contents: Sequence[ReleaseContent], extras: Sequence[ExtraData] = ()
) -> list[dict[str, object]]:
    """The run-time description of every release (ids, dates, parts, provenance)."""
    records = []
    for number, content in enumerate(contents):
        following = contents[number + 1] if number + 1 < len(contents) else None
        effective_to = (
            (following.effective_from - timedelta(days=1)).isoformat()
            if following is not None
            else _end_of_fiscal_year(content.fiscal_year)
        )
        billable = sum(row.billable for row in content.rows)
        extra_parts = sorted({p for extra in extras for p in extra.parts.get(content.id, ())})
        sources = [*content.sources,
                   *(s for extra in extras for s in extra.sources.get(content.id, ()))]
        records.append(
            {
                "id": content.id,
                "fiscal_year": content.fiscal_year,
                "effective_from": content.effective_from.isoformat(),
                "effective_to": effective_to,
                "parts": ["order"]
                + (["tabular"] if content.notes is not None else [])
                + extra_parts,
                "billable_count": billable,
                "header_count": len(content.rows) - billable,
                "structure_from": content.structure_from,
                "sources": [{"role": s.role, "file": s.file, "sha256": s.sha256} for s in sources],
                "provenance": list(content.provenance),
            }
        )
    return records


def encode_data(
    contents: Sequence[ReleaseContent], extras: Sequence[ExtraData] = ()
) -> dict[str, bytes]:
    """All bundled data files, by name, as bytes. Deterministic.

    Rows are merged newest release first, so the releases people use most are
    stored as the longest runs and load fastest.
    """
    newest_first = list(reversed(contents))
    code_rows, code_sel = merge_rows(
        {
            # An empty short title stands for "same as the long title" (43% of rows).
            c.id: [
                (r.code, "1" if r.billable else "0",
                 "" if r.short_title == r.title else r.short_title, r.title)
                for r in c.rows
            ]
            for c in newest_first
        }
    )
    structure_rows, structure_sel = merge_rows(
        {
            c.id: [
                *(("chapter", str(ch.number), ch.title, ch.first, ch.last, str(ch.number))
                  for ch in c.structure.chapters),
                *(("block", b.id, b.title, b.first, b.last, str(b.chapter))
                  for b in c.structure.blocks),
            ]
            for c in newest_first
        }
    )
    category_rows, category_sel = merge_rows(
        {c.id: sorted(c.structure.categories.items()) for c in newest_first}
    )
    note_rows, note_sel = merge_rows(
        {
            c.id: [(n.node, n.kind, n.key, n.text) for n in c.notes]
            for c in newest_first
            if c.notes is not None
        }
    )

    def columns(names: Sequence[str], rows: Sequence[tuple[str, ...]]) -> dict[str, list[str]]:
        return {name: [row[i] for row in rows] for i, name in enumerate(names)}

    files = {
        "codes.table": encode_table(
            "codes", columns(("code", "billable", "short_title", "title"), code_rows), code_sel
        ),
        "structure.table": encode_table(
            "structure",
            columns(("kind", "id", "title", "first", "last", "chapter"), structure_rows),
            structure_sel,
        ),
        "categories.table": encode_table(
            "categories", columns(("category", "block"), category_rows), category_sel
        ),
        "notes.table": encode_table(
            "notes", columns(("node", "kind", "key", "text"), note_rows), note_sel
        ),
    }
    for extra in extras:
        clash = files.keys() & extra.files.keys()
        if clash:
            raise ValueError(f"two builders write the data file(s) {sorted(clash)}")
        files.update(extra.files)
    releases = {"format": FORMAT, "releases": release_records(contents, extras)}
    files["releases.json"] = _json(releases)
    files["manifest.json"] = _json(
        {
            "format": FORMAT,
            "data_version": contents[-1].id,
            "files": {name: sha256(data) for name, data in sorted(files.items())},
        }
    )
    return files


def _json(value: object) -> bytes:
    return (json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def write_data(
    contents: Sequence[ReleaseContent], out: Path, extras: Sequence[ExtraData] = ()
) -> dict[str, bytes]:
    """Write the data files into *out* (created if needed); return them."""
    files = encode_data(contents, extras)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files
