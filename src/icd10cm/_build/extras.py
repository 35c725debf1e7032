"""Parts of the bundled data built beside the codes: each from its own raw files.

The codes, structure and notes come from :func:`assemble_bundled`. Every other
part (the Alphabetic Index, the Drug and Neoplasm tables, the conversion
tables...) has a builder here: a function of the ``cms-raw`` root, the folder
lookup (files are read and sha256-checked once) and the assembled releases,
returning its data files, the parts it adds to each release and the official
files it read. Register a builder by adding it to :data:`BUILDERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs

from icd10cm._build.assemble import (
    FolderFiles,
    ReleaseContent,
    SourceRecord,
    assemble_bundled,
    open_folders,
)

__all__ = ["BUILDERS", "ExtraBuilder", "ExtraData", "build_bundled", "relative_records"]


@attrs.frozen
class ExtraData:
    """What one builder adds to the bundled data."""

    files: Mapping[str, bytes]  # data file name -> deterministic bytes
    parts: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)  # release id -> Part values
    sources: Mapping[str, tuple[SourceRecord, ...]] = attrs.field(factory=dict)  # release id


ExtraBuilder = Callable[[Path, Callable[[str], FolderFiles], Sequence[ReleaseContent]], ExtraData]

#: The builders of the optional parts, run in this order.
BUILDERS: tuple[ExtraBuilder, ...] = ()


def relative_records(records: Sequence[SourceRecord], root: Path) -> tuple[SourceRecord, ...]:
    """*records* with file names relative to the ``cms-raw`` root, sorted by name."""
    return tuple(
        attrs.evolve(r, file=str(Path(r.file).relative_to(root.resolve())))
        for r in sorted(records, key=lambda r: r.file)
    )


def build_bundled(root: Path) -> tuple[list[ReleaseContent], list[ExtraData]]:
    """Every release of the catalogue, and every optional part, from *root*."""
    folder = open_folders(root)
    contents = assemble_bundled(root, folder)
    return contents, [build(root, folder, contents) for build in BUILDERS]
