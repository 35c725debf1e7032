"""icd10cm: typed, versioned US ICD-10-CM diagnosis codes.

Every official release from FY2016 to FY2027 is bundled. Importing the package
loads nothing: names are imported on first use and each release's data is read
on first use, once, then cached.

>>> import icd10cm
>>> code = icd10cm.load_release("2025")["S52.521A"]
>>> code.title
'Torus fracture of lower end of right radius, initial encounter for closed fracture'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from icd10cm._version import __version__

if TYPE_CHECKING:
    from icd10cm._data import data_version
    from icd10cm.chapters import Block, Chapter
    from icd10cm.code import Code
    from icd10cm.errors import (
        DataIntegrityError,
        Icd10cmError,
        InvalidDateError,
        NoReleaseForDateError,
        SourceFileError,
        UnknownReleaseError,
    )
    from icd10cm.notes import Note, NoteKind
    from icd10cm.release import Release
    from icd10cm.release_info import Part, ReleaseInfo, ReleaseSource
    from icd10cm.releases import (
        ReleaseLike,
        available_releases,
        clear_cache,
        latest_release,
        load_release,
        release_for,
        release_from_files,
    )

__all__ = [
    "Block",
    "Chapter",
    "Code",
    "DataIntegrityError",
    "Icd10cmError",
    "InvalidDateError",
    "NoReleaseForDateError",
    "Note",
    "NoteKind",
    "Part",
    "Release",
    "ReleaseInfo",
    "ReleaseLike",
    "ReleaseSource",
    "SourceFileError",
    "UnknownReleaseError",
    "__version__",
    "available_releases",
    "clear_cache",
    "data_version",
    "latest_release",
    "load_release",
    "release_for",
    "release_from_files",
]

# Public name -> the module that defines it. Imported lazily (PEP 562) so that
# ``import icd10cm`` stays cheap.
_LAZY = {
    "data_version": "icd10cm._data",
    "Block": "icd10cm.chapters",
    "Chapter": "icd10cm.chapters",
    "Code": "icd10cm.code",
    "DataIntegrityError": "icd10cm.errors",
    "Icd10cmError": "icd10cm.errors",
    "InvalidDateError": "icd10cm.errors",
    "NoReleaseForDateError": "icd10cm.errors",
    "SourceFileError": "icd10cm.errors",
    "UnknownReleaseError": "icd10cm.errors",
    "Note": "icd10cm.notes",
    "NoteKind": "icd10cm.notes",
    "Release": "icd10cm.release",
    "Part": "icd10cm.release_info",
    "ReleaseInfo": "icd10cm.release_info",
    "ReleaseSource": "icd10cm.release_info",
    "ReleaseLike": "icd10cm.releases",
    "available_releases": "icd10cm.releases",
    "clear_cache": "icd10cm.releases",
    "latest_release": "icd10cm.releases",
    "load_release": "icd10cm.releases",
    "release_for": "icd10cm.releases",
    "release_from_files": "icd10cm.releases",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'icd10cm' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
