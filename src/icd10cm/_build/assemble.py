"""Put a release together from its official files.

Two entry points share this code: :func:`assemble_bundled` builds every release
of the catalogue from a ``cms-raw`` folder (checking each file against
``MANIFEST.tsv``), and :func:`assemble_files` builds one release from a user's
own copies of the CMS/CDC files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import attrs

from icd10cm._build.catalog import RELEASES, ReleaseSpec
from icd10cm._build.order_file import OrderRow, decode_lines, parse_order_file
from icd10cm._build.safe_xml import parse_xml
from icd10cm._build.sources import SourceFile, scan_sources, sha256
from icd10cm._build.tabular import (
    Tabular,
    TabularBlock,
    TabularChapter,
    TabularNote,
    parse_tabular,
)
from icd10cm.errors import SourceFileError

__all__ = [
    "FolderFiles",
    "ReleaseContent",
    "SourceRecord",
    "Structure",
    "assemble_bundled",
    "assemble_files",
    "open_folders",
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
                 manifest: Mapping[str, str] | None = None) -> None:
        self.files = files
        self.label = label
        self.manifest = manifest
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
        return parse_tabular(parse_xml(self.read(file), file.name), file.name)

    def check_codes_file(self, rows: Sequence[OrderRow]) -> None:
        """The codes file, where present, must list exactly the reportable order rows."""
        file = self.find("codes")
        if file is None:
            return
        listed = []
        for line in decode_lines(self.read(file), file.name):
            code, _, title = line.partition(" ")
            listed.append((code, title.strip()))
        expected = [(row.code, row.title) for row in rows if row.billable]
        if listed != expected:
            diff = sorted(set(listed) ^ set(expected))[:3]
            raise BuildError(
                file.name,
                f"{len(listed)} codes, but the order rows have {len(expected)} reportable codes"
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


def _check_structure(structure: Structure, rows: Sequence[OrderRow], label: str) -> None:
    blocks = {block.id for block in structure.blocks}
    for row in rows:
        category = row.code[:3]
        if structure.categories.get(category) not in blocks:
            raise BuildError(label, f"code {row.code} has no block in the tabular structure")


# --- the catalogue ---------------------------------------------------------------


def read_manifest(root: Path) -> dict[str, str]:
    """``MANIFEST.tsv`` as {path under root: sha256 of the uncompressed content}."""
    path = root / "MANIFEST.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SourceFileError(str(path), f"cannot read the manifest: {exc}") from exc
    header = lines[0].split("\t")
    if header[:3] != ["release", "file", "sha256"]:
        raise SourceFileError(str(path), f"unexpected header {header[:3]}", 1)
    manifest = {}
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) < 3:
            raise SourceFileError(str(path), f"expected release, file, sha256: {line!r}", number)
        manifest[str(root / fields[0] / fields[1])] = fields[2]
    return manifest


def _spec_files(root: Path, folder: str, manifest: Mapping[str, str]) -> FolderFiles:
    path = root / folder
    if not path.is_dir():
        raise SourceFileError(str(path), "release folder is missing")
    files = scan_sources([path])
    reader = FolderFiles(files, str(path), manifest)
    for file in files:  # every file of the folder must match the manifest
        reader.read(file)
    return reader


def _relative(records: Iterable[SourceRecord], root: Path) -> tuple[SourceRecord, ...]:
    return tuple(
        attrs.evolve(r, file=str(Path(r.file).relative_to(root)))
        for r in sorted(records, key=lambda r: r.file)
        if r.role in ("order", "codes", "tabular")
    )


def open_folders(root: Path) -> Callable[[str], FolderFiles]:
    """A lookup of the release folders of *root*, each opened (and sha256-checked) once."""
    root = root.resolve()
    manifest = read_manifest(root)
    folders: dict[str, FolderFiles] = {}

    def folder(name: str) -> FolderFiles:
        if name not in folders:
            folders[name] = _spec_files(root, name, manifest)
        return folders[name]

    return folder


def assemble_bundled(
    root: Path, folder: Callable[[str], FolderFiles] | None = None
) -> list[ReleaseContent]:
    """Build every release of the catalogue from the ``cms-raw`` folder *root*."""
    root = root.resolve()
    if folder is None:
        folder = open_folders(root)

    own: dict[str, tuple[Sequence[OrderRow], Tabular | None, list[SourceRecord], list[str]]] = {}
    for spec in RELEASES:
        own[spec.id] = _assemble_spec(spec, folder)

    tabular_structures = {
        spec.id: (spec.effective_from, structure_of(tab))
        for spec in RELEASES
        if (tab := own[spec.id][1]) is not None
    }
    contents = []
    for spec in RELEASES:
        rows, tabular, records, provenance = own[spec.id]
        if tabular is not None:
            structure, structure_from = structure_of(tabular), spec.id
            notes: tuple[TabularNote, ...] | None = tabular.notes
        else:
            structure, structure_from, placed = derive_structure(
                rows, spec.effective_from, tabular_structures
            )
            provenance.append(
                f"No tabular of its own: no instructional notes. Chapters and blocks come "
                f"from the nearest release with a tabular, {structure_from}."
            )
            provenance.extend(placed)
            notes = None
        _check_structure(structure, rows, spec.id)
        contents.append(
            ReleaseContent(
                id=spec.id,
                fiscal_year=spec.fiscal_year,
                effective_from=spec.effective_from,
                rows=tuple(rows),
                structure=structure,
                structure_from=structure_from,
                notes=notes,
                sources=_relative(records, root),
                provenance=tuple(provenance),
            )
        )
    return contents


def _assemble_spec(
    spec: ReleaseSpec, folder: Callable[[str], FolderFiles]
) -> tuple[Sequence[OrderRow], Tabular | None, list[SourceRecord], list[str]]:
    provenance = [spec.note] if spec.note else []
    records: list[SourceRecord] = []
    own = folder(spec.folder) if spec.folder else None
    base = folder(spec.order_from) if spec.order_from else own
    assert base is not None
    rows = base.order_rows()
    if rows is None:
        raise BuildError(spec.id, "no order file")
    if own is not None and own is not base:
        if own.find("order") is not None:
            raise BuildError(spec.id, f"has its own order file but the catalogue says "
                                      f"to use {spec.order_from}'s")
        own.check_codes_file(rows)
        records += [r for r in own.records if r.role == "codes"]
    base.check_codes_file(rows)
    records += [r for r in base.records if r.role in ("order", "codes")]
    tabular = (own or base).tabular()
    if tabular is not None:
        records += [r for r in (own or base).records if r.role == "tabular"]
    if spec.added_codes is not None:
        source_name, wanted = spec.added_codes
        source = folder(source_name)
        extra_rows = source.order_rows() or ()
        added = [row for row in extra_rows if row.code in wanted]
        if [row.code for row in added] != list(wanted):
            raise BuildError(spec.id, f"{source_name} order file lacks some of {wanted}")
        rows = (*rows, *added)
        records += [r for r in source.records if r.role == "order"]
    if spec.added_chapter is not None and tabular is not None:
        source_name, number = spec.added_chapter
        source = folder(source_name)
        extra = source.tabular()
        if extra is None:
            raise BuildError(spec.id, f"{source_name} has no tabular")
        tabular = _add_chapter(tabular, extra, number)
        records += [r for r in source.records if r.role == "tabular"]
    return rows, tabular, records, provenance


def _add_chapter(tabular: Tabular, other: Tabular, number: int) -> Tabular:
    chapters = [c for c in other.chapters if c.number == number]
    if not chapters or any(c.number == number for c in tabular.chapters):
        raise BuildError("tabular", f"cannot add chapter {number}")
    blocks = tuple(b for b in other.blocks if b.chapter == number)
    block_ids = {b.id for b in blocks}
    codes = tuple(c for c in other.codes if c.block in block_ids)
    code_ids = {c.code for c in codes}
    nodes = code_ids | {f"block:{b}" for b in block_ids} | {f"chapter:{number}"}
    notes = tuple(n for n in other.notes if n.node in nodes)
    return Tabular(
        tabular.version,
        tabular.chapters + tuple(chapters),
        tabular.blocks + blocks,
        tabular.codes + codes,
        tabular.notes + notes,
    )


# --- a user's own files ----------------------------------------------------------


def assemble_files(
    files: Sequence[SourceFile],
    label: str,
    *,
    release_id: str,
    fiscal_year: int,
    effective_from: date,
    fallback_structures: Mapping[str, tuple[date, Structure]],
) -> ReleaseContent:
    """Build one release from a user's copies of the official files, as found by
    :func:`~icd10cm._build.sources.scan_sources`; *label* names them in errors."""
    reader = FolderFiles(files, label)
    rows = reader.order_rows()
    if rows is None:
        raise SourceFileError(label, NO_ORDER_FILE)
    reader.check_codes_file(rows)
    tabular = reader.tabular()
    provenance: list[str] = [f"Built at run time from {label}."]
    if tabular is not None:
        structure, structure_from, notes = structure_of(tabular), release_id, tabular.notes
    else:
        structure, structure_from, placed = derive_structure(
            rows, effective_from, fallback_structures
        )
        provenance.append(
            f"No tabular given: no instructional notes. Chapters and blocks come from the "
            f"nearest bundled release with a tabular, {structure_from}."
        )
        provenance.extend(placed)
        notes = None
    _check_structure(structure, rows, label)
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
