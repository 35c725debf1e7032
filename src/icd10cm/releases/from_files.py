"""Build a release at run time from a user's own copies of the official CMS/CDC files."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

import attrs

from icd10cm.core.info import Part, ReleaseInfo, ReleaseSource
from icd10cm.core.notes import Note
from icd10cm.core.release import Release
from icd10cm.core.structure import Block, Chapter
from icd10cm.errors import SourceFileError, UnknownReleaseError
from icd10cm.official.assemble import NO_ORDER_FILE, ReleaseContent, Structure, assemble_files
from icd10cm.official.sources import SourceFile, SourceLimits, scan_sources
from icd10cm.official.tabular import TabularBlock, TabularChapter
from icd10cm.releases import assembly
from icd10cm.releases.borrowing import borrowings
from icd10cm.releases.recheck import recheck_note
from icd10cm.releases.registry import available_releases

__all__ = ["release_from_files"]

_MONTHS = {"jan": "01", "april": "04"}  # CDC names its update files by month
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_RELEASE_ID = re.compile(r"(20\d\d)(?:-(0[1-9]|1[0-2]))?")


def release_from_files(
    *paths: str | Path,
    release_id: str | None = None,
    effective_from: date | None = None,
    limits: SourceLimits | None = None,
) -> Release:
    """Build a release at run time from your own copies of the official files.

    *paths* are the zips as CMS/CDC publish them (for example
    ``2028-code-descriptions-tabular-order.zip`` and
    ``2028-code-tables-tabular-and-index.zip``), folders, or extracted files. The
    order file is required; the tabular XML adds notes. *release_id* is
    ``"YYYY"`` or ``"YYYY-MM"`` (default: the year in the order file's name);
    *effective_from* defaults to October 1 before fiscal year YYYY, or the 1st
    of month MM. The result is not cached or registered: pass it as
    ``release=`` where you need it.

    The files are read within *limits* (default: :class:`~icd10cm.SourceLimits`,
    several times the size of the official files), so that a decompression bomb or
    deeply nested input is refused with a :class:`~icd10cm.SourceFileError`.
    """
    if not paths:
        raise TypeError("release_from_files() needs at least one file, folder or zip")
    files = scan_sources(paths, limits)
    label = ", ".join(str(p) for p in paths)
    if release_id is None:
        release_id = _guess_release_id(files, label)
    match = _RELEASE_ID.fullmatch(release_id)
    if match is None:
        raise UnknownReleaseError(release_id, ["YYYY (e.g. 2028)", "YYYY-MM (e.g. 2028-04)"])
    fiscal_year = int(match.group(1))
    if effective_from is None:
        effective_from = (
            date(fiscal_year, int(match.group(2)), 1)
            if match.group(2)
            else date(fiscal_year - 1, 10, 1)
        )
    content = assemble_files(
        files,
        label,
        release_id=release_id,
        fiscal_year=fiscal_year,
        effective_from=effective_from,
        fallback_structures=_bundled_structures(available_releases()),
        limits=limits,
    )
    return _release_from_content(content, date(fiscal_year, 9, 30))


def _guess_release_id(files: Sequence[SourceFile], label: str) -> str:
    orders = [f for f in files if f.role == "order"]
    if not orders:
        raise SourceFileError(label, NO_ORDER_FILE)
    names = [Path(file.name.split("!")[-1]).name for file in orders]
    years = {year for name in names for year in _YEAR.findall(name)}
    months = {month for name in names for word, month in _MONTHS.items() if word in name.lower()}
    if len(years) == 1 and len(months) == 1:  # icd10cm-order-April-2025.txt
        return f"{years.pop()}-{months.pop()}"
    if len(years) != 1:
        raise SourceFileError(
            "order file",
            f"its name does not tell the fiscal year (years found: {sorted(years) or 'none'}); "
            "pass release_id='YYYY' or 'YYYY-MM'",
        )
    return str(years.pop())


def _bundled_structures(infos: Sequence[ReleaseInfo]) -> dict[str, tuple[date, Structure]]:
    """The chapter/block structure of every bundled release that has its own tabular."""
    structures = {}
    for info in infos:
        if not info.has_notes:
            continue
        chapters, blocks, categories = assembly.structure_of_release(info.id)
        structures[info.id] = (
            info.effective_from,
            Structure(
                tuple(TabularChapter(c.number, c.title, c.first, c.last) for c in chapters),
                tuple(TabularBlock(b.id, b.title, b.first, b.last, b.chapter) for b in blocks),
                categories,
            ),
        )
    return structures


def _release_from_content(content: ReleaseContent, effective_to: date) -> Release:
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
    info = attrs.evolve(info, borrowed=borrowings(info, available_releases()))
    structure = content.structure
    loader: Callable[[], Mapping[str, tuple[Note, ...]]] | None = None
    if has_tabular:
        own = assembly.group_notes(
            ((n.node, n.kind, n.key, n.text) for n in content.notes or ()), content.id)
        loader = functools.partial(dict, own)
    elif info.notes_from is not None:
        loader = functools.partial(assembly.bundled_notes, info.notes_from)
    return Release(
        info,
        codes=[row.code for row in content.rows],
        billable=[row.billable for row in content.rows],
        short_titles=[row.short_title for row in content.rows],
        titles=[row.title for row in content.rows],
        chapters=[Chapter(c.number, c.title, c.first, c.last) for c in structure.chapters],
        blocks=[Block(b.id, b.title, b.first, b.last, b.chapter) for b in structure.blocks],
        categories=structure.categories,
        notes=loader,
        note_check=None if has_tabular else recheck_note,
    )
