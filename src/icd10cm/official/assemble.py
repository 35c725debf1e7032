"""Put a release together from its official files.

:func:`assemble_files` builds one release from a user's own copies of the CMS/CDC
files (for :func:`icd10cm.release_from_files`); the data build
(``tools/icd10cm_build/bundle.py``) uses the same pieces for every bundled release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import attrs

from icd10cm.core.text import UNDOTTED
from icd10cm.errors import SourceFileError, quote
from icd10cm.official.order_file import OrderRow, decode_lines, parse_order_file
from icd10cm.official.safe_xml import parse_xml
from icd10cm.official.sources import SourceFile, SourceLimits, sha256
from icd10cm.official.tabular import (
    Tabular,
    TabularBlock,
    TabularChapter,
    TabularNote,
    parse_tabular,
)

__all__ = [
    "NO_ORDER_FILE",
    "BuildError",
    "FolderFiles",
    "ReleaseContent",
    "SourceRecord",
    "Structure",
    "assemble_files",
    "check_structure",
    "derive_structure",
    "structure_of",
]


@attrs.frozen
class SourceRecord:
    """An official file a release was built from."""

    role: str
    file: str
    sha256: str


@attrs.frozen
class Structure:
    """Chapters, blocks and the block of every category."""

    chapters: tuple[TabularChapter, ...]
    blocks: tuple[TabularBlock, ...]
    categories: Mapping[str, str]  # category -> block id


@attrs.frozen
class ReleaseContent:
    """Everything the data build keeps of one release."""

    id: str
    fiscal_year: int
    effective_from: date
    rows: tuple[OrderRow, ...]
    structure: Structure
    structure_from: str  # release whose tabular gave the chapters and blocks
    notes: tuple[TabularNote, ...] | None  # None: the release has no tabular of its own
    sources: tuple[SourceRecord, ...]
    provenance: tuple[str, ...]


NO_ORDER_FILE = (
    "no order file (icd10cm_order_YYYY.txt) found: it is the authority on which codes "
    "exist, so a release cannot be built without it"
)


class BuildError(SourceFileError):
    """The official files are inconsistent in a way the build refuses to paper over."""


# --- reading ---------------------------------------------------------------------


class FolderFiles:
    """The files of one release, read at most once and recorded as sources."""

    def __init__(self, files: Sequence[SourceFile], label: str,
                 manifest: Mapping[str, str] | None = None,
                 limits: SourceLimits | None = None) -> None:
        self.files = files
        self.label = label
        self.manifest = manifest
        self.limits = SourceLimits() if limits is None else limits
        self.records: list[SourceRecord] = []
        self._cache: dict[str, bytes] = {}

    def find(self, role: str) -> SourceFile | None:
        found = [f for f in self.files if f.role == role]
        if len(found) > 1:
            names = ", ".join(f.name for f in found)
            raise SourceFileError(self.label, f"more than one {role} file: {names}")
        return found[0] if found else None

    def read(self, file: SourceFile) -> bytes:
        if file.name not in self._cache:
            data = file.read()
            digest = sha256(data)
            if self.manifest is not None:
                expected = self.manifest.get(file.name)
                if expected is None:
                    raise SourceFileError(file.name, "not listed in MANIFEST.tsv; refusing it")
                if digest != expected:
                    raise SourceFileError(
                        file.name,
                        f"sha256 {digest} differs from MANIFEST.tsv ({expected}); refusing it",
                    )
            self.records.append(SourceRecord(file.role, file.name, digest))
            self._cache[file.name] = data
        return self._cache[file.name]

    def order_rows(self) -> tuple[OrderRow, ...] | None:
        file = self.find("order")
        return None if file is None else tuple(parse_order_file(self.read(file), file.name))

    def tabular(self) -> Tabular | None:
        file = self.find("tabular")
        if file is None:
            return None
        root = parse_xml(self.read(file), file.name, max_elements=self.limits.xml_elements,
                         max_depth=self.limits.xml_depth)
        return parse_tabular(root, file.name)

    def check_codes_file(self, rows: Sequence[OrderRow]) -> None:
        """The codes file, where present, must list exactly the reportable order rows."""
        file = self.find("codes")
        if file is None:
            return
        expected = [(row.code, row.title) for row in rows if row.billable]
        listed = []
        for number, line in enumerate(decode_lines(self.read(file), file.name), start=1):
            code, _, title = line.partition(" ")
            if not UNDOTTED.fullmatch(code):
                raise BuildError(file.name, f"not a code and its title: {quote(line)}", number)
            listed.append((code, title.strip()))
            if len(listed) > len(expected):  # already too many: read no further
                break
        if listed != expected:
            diff = sorted(set(listed) ^ set(expected))[:3]
            count = (f"more than {len(expected)}" if len(listed) > len(expected)
                     else str(len(listed)))
            raise BuildError(
                file.name,
                f"{count} codes, but the order rows have {len(expected)} reportable codes"
                f" (first differences: {diff})",
            )


# --- structure -------------------------------------------------------------------


def structure_of(tabular: Tabular) -> Structure:
    categories = {code.code: code.block for code in tabular.codes if len(code.code) == 3}
    return Structure(tabular.chapters, tabular.blocks, categories)


def derive_structure(
    rows: Sequence[OrderRow],
    effective_from: date,
    candidates: Mapping[str, tuple[date, Structure]],
) -> tuple[Structure, str, tuple[str, ...]]:
    """Chapters and blocks for a release without a tabular, from the nearest one.

    A category that the nearest tabular lacks takes its block from the next
    nearest tabular that has it, and failing that from the category before it
    in the release's own order file. Every such placement is reported.
    """
    if not candidates:
        raise BuildError("structure", "no release with a tabular to derive chapters from")
    by_distance = sorted(
        candidates, key=lambda rid: (abs((candidates[rid][0] - effective_from).days), rid)
    )
    nearest_id = by_distance[0]
    nearest = candidates[nearest_id][1]
    block_ids = {block.id for block in nearest.blocks}
    categories: dict[str, str] = {}
    notes: list[str] = []
    previous = ""
    for row in rows:
        category = row.code
        if len(category) != 3:
            continue
        block = nearest.categories.get(category)
        if block is None:
            for other in by_distance[1:]:
                found = candidates[other][1].categories.get(category)
                if found in block_ids:
                    block = found
                    notes.append(f"category {category} placed in block {block} as in {other}")
                    break
        if block is None:
            if not previous:
                raise BuildError("structure", f"cannot place category {category} in a block")
            block = categories[previous]
            notes.append(
                f"category {category} is in no tabular; placed in block {block} of the "
                f"category before it in the order file ({previous})"
            )
        categories[category] = block
        previous = category
    return Structure(nearest.chapters, nearest.blocks, categories), nearest_id, tuple(notes)


def check_structure(structure: Structure, rows: Sequence[OrderRow], label: str) -> None:
    blocks = {block.id for block in structure.blocks}
    for row in rows:
        category = row.code[:3]
        if structure.categories.get(category) not in blocks:
            raise BuildError(label, f"code {row.code} has no block in the tabular structure")


# --- a user's own files ----------------------------------------------------------


def assemble_files(
    files: Sequence[SourceFile],
    label: str,
    *,
    release_id: str,
    fiscal_year: int,
    effective_from: date,
    fallback_structures: Mapping[str, tuple[date, Structure]],
    limits: SourceLimits | None = None,
) -> ReleaseContent:
    """Build one release from a user's copies of the official files, as found by
    :func:`~icd10cm.official.sources.scan_sources`; *label* names them in errors."""
    reader = FolderFiles(files, label, limits=limits)
    rows = reader.order_rows()
    if rows is None:
        raise SourceFileError(label, NO_ORDER_FILE)
    reader.check_codes_file(rows)
    tabular = reader.tabular()
    provenance: list[str] = [f"Built at run time from {label}."]
    if tabular is not None:
        structure, structure_from, notes = structure_of(tabular), release_id, tabular.notes
        if tabular.empty_notes:
            provenance.append(f"Note lines with no text in the tabular, dropped: "
                              f"{'; '.join(tabular.empty_notes)}.")
    else:
        structure, structure_from, placed = derive_structure(
            rows, effective_from, fallback_structures
        )
        provenance.append(
            f"No tabular given: its instructional notes are the nearest bundled release's "
            f"(see ReleaseInfo.borrowed). Chapters and blocks come from the nearest bundled "
            f"release with a tabular, {structure_from}."
        )
        provenance.extend(placed)
        notes = None
    check_structure(structure, rows, label)
    return ReleaseContent(
        id=release_id,
        fiscal_year=fiscal_year,
        effective_from=effective_from,
        rows=rows,
        structure=structure,
        structure_from=structure_from,
        notes=notes,
        sources=tuple(sorted(reader.records, key=lambda r: r.file)),
        provenance=tuple(provenance),
    )
