"""Build every bundled release from the ``cms-raw`` folder, checking each file against
``MANIFEST.tsv`` (the catalogue of :mod:`icd10cm_build.catalog`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from icd10cm.errors import SourceFileError
from icd10cm.official.assemble import (
    BuildError,
    FolderFiles,
    ReleaseContent,
    SourceRecord,
    check_structure,
    derive_structure,
    structure_of,
)
from icd10cm.official.order_file import OrderRow
from icd10cm.official.sources import scan_sources
from icd10cm.official.tabular import Tabular, TabularNote
from icd10cm_build.catalog import RELEASES, ReleaseSpec

__all__ = ["assemble_bundled", "open_folders", "read_manifest"]


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
                f"No tabular of its own: its instructional notes are the nearest release's "
                f"(see ReleaseInfo.borrowed). Chapters and blocks come from the nearest "
                f"release with a tabular, {structure_from}."
            )
            provenance.extend(placed)
            notes = None
        check_structure(structure, rows, spec.id)
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
        if tabular.empty_notes:
            provenance.append(f"Note lines with no text in the tabular, dropped: "
                              f"{'; '.join(tabular.empty_notes)}.")
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


