"""What a builder of an optional part of the bundled data returns.

See :mod:`icd10cm_build.extras` for the builders themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs

from icd10cm.official.assemble import FolderFiles, ReleaseContent, SourceRecord

__all__ = ["ExtraBuilder", "ExtraData", "relative_records"]


@attrs.frozen
class ExtraData:
    """What one builder adds to the bundled data."""

    files: Mapping[str, bytes]  # data file name -> deterministic bytes
    parts: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)  # release id -> Part values
    sources: Mapping[str, tuple[SourceRecord, ...]] = attrs.field(factory=dict)  # release id


ExtraBuilder = Callable[[Path, Callable[[str], FolderFiles], Sequence[ReleaseContent]], ExtraData]


def relative_records(records: Sequence[SourceRecord], root: Path) -> tuple[SourceRecord, ...]:
    """*records* with file names relative to the ``cms-raw`` root, sorted by name."""
    return tuple(
        attrs.evolve(r, file=str(Path(r.file).relative_to(root.resolve())))
        for r in sorted(records, key=lambda r: r.file)
    )
