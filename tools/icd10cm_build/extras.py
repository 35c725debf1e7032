"""Parts of the bundled data built beside the codes: each from its own raw files.

The codes, structure and notes come from :func:`assemble_bundled`. Every other
part (the Alphabetic Index, the Drug and Neoplasm tables, the conversion
tables...) has a builder: a function of the ``cms-raw`` root, the folder lookup
(files are read and sha256-checked once) and the assembled releases, returning
an :class:`~icd10cm_build.extra_data.ExtraData` with its data files, the parts
it adds to each release and the official files it read. Register a builder by
adding it to :data:`BUILDERS`.

The comorbidity data comes from two other folders beside ``cms-raw`` (the AHRQ CMR
zips and the Charlson document), so its builder is made for their paths and runs
after the others.
"""

from __future__ import annotations

from pathlib import Path

from icd10cm.official.assemble import ReleaseContent
from icd10cm_build.bundle import assemble_bundled, open_folders
from icd10cm_build.comorbidity import comorbidity_builder
from icd10cm_build.conversions import build_conversions
from icd10cm_build.extra_data import ExtraBuilder, ExtraData
from icd10cm_build.index import build_index
from icd10cm_build.poa import build_poa_exempt
from icd10cm_build.tables import build_tables

__all__ = ["BUILDERS", "build_bundled"]

#: The builders of the optional parts, run in this order.
BUILDERS: tuple[ExtraBuilder, ...] = (
    build_tables, build_index, build_conversions, build_poa_exempt,
)


def build_bundled(
    root: Path, *, ahrq_cmr: Path | None = None, charlson_doc: Path | None = None
) -> tuple[list[ReleaseContent], list[ExtraData]]:
    """Every release of the catalogue, and every optional part, from *root*; the
    comorbidity data from *ahrq_cmr* and *charlson_doc* (by default ``ahrq-cmr`` and
    ``docs/charlson-quan2005.md`` beside *root*)."""
    folder = open_folders(root)
    contents = assemble_bundled(root, folder)
    shared = root.resolve().parent
    builders = (*BUILDERS, comorbidity_builder(
        ahrq_cmr or shared / "ahrq-cmr", charlson_doc or shared / "docs" / "charlson-quan2005.md"
    ))
    return contents, [build(root, folder, contents) for build in builders]
