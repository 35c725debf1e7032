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

from icd10cm._version import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

    from icd10cm._data import data_version
    from icd10cm.chapters import Block, Chapter
    from icd10cm.checks import check
    from icd10cm.code import Category, Code
    from icd10cm.conversion import (
        Conversion,
        ConversionCandidate,
        ConversionStep,
        DeadEnd,
        Relation,
        convert,
    )
    from icd10cm.dominance import Handedness, Side, i69_side_code
    from icd10cm.encounter import Encounter, PresentOnAdmission, Setting
    from icd10cm.errors import (
        AmbiguousTableTermError,
        ConversionUnavailableError,
        DataIntegrityError,
        EncounterError,
        Icd10cmError,
        IndexUnavailableError,
        InvalidDateError,
        MalformedCodeError,
        NoReleaseForDateError,
        NoTableCodeError,
        PlaceholderError,
        SearchQueryError,
        SerializationError,
        SeventhCharacterError,
        SourceFileError,
        TableUnavailableError,
        UnknownCodeError,
        UnknownIndexTermError,
        UnknownReleaseError,
        UnknownTableColumnError,
        UnknownTableTermError,
        UnsupportedColumnError,
    )
    from icd10cm.findings import Finding, Rule, Severity, rules
    from icd10cm.index import IndexTerm, index_lookup
    from icd10cm.notes import Note, NoteKind
    from icd10cm.parsing import normalize, parse_code
    from icd10cm.references import CodeReference
    from icd10cm.release import Release
    from icd10cm.release_diff import BillableChange, ReleaseDiff, Retitle, diff
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
    from icd10cm.sequencing import Move, Sequencing, sequence
    from icd10cm.serialization import check_to_json, dumps, from_json, loads, to_json
    from icd10cm.seventh import (
        SeventhCharacter,
        add_seventh_character,
        pad_placeholder,
        seventh_characters,
    )
    from icd10cm.table_columns import Behavior, Intent
    from icd10cm.table_rows import TableCode, TableRow
    from icd10cm.tables import (
        drug,
        drug_row,
        drug_rows,
        neoplasm,
        neoplasm_row,
        neoplasm_rows,
    )
    from icd10cm.text_search import SearchHit, SearchResult, SearchSource, search
    from icd10cm.validation import (
        Status,
        Validation,
        ValidationBatch,
        is_valid,
        validate,
        validate_many,
    )

__all__ = [
    "AmbiguousTableTermError",
    "Behavior",
    "BillableChange",
    "Block",
    "Category",
    "Chapter",
    "Code",
    "CodeReference",
    "Conversion",
    "ConversionCandidate",
    "ConversionStep",
    "ConversionUnavailableError",
    "DataIntegrityError",
    "DeadEnd",
    "Encounter",
    "EncounterError",
    "Finding",
    "Handedness",
    "Icd10cmError",
    "IndexTerm",
    "IndexUnavailableError",
    "Intent",
    "InvalidDateError",
    "MalformedCodeError",
    "Move",
    "NoReleaseForDateError",
    "NoTableCodeError",
    "Note",
    "NoteKind",
    "Part",
    "PlaceholderError",
    "PresentOnAdmission",
    "Relation",
    "Release",
    "ReleaseDiff",
    "ReleaseInfo",
    "ReleaseLike",
    "ReleaseSource",
    "Retitle",
    "Rule",
    "SearchHit",
    "SearchQueryError",
    "SearchResult",
    "SearchSource",
    "Sequencing",
    "SerializationError",
    "Setting",
    "SeventhCharacter",
    "SeventhCharacterError",
    "Severity",
    "Side",
    "SourceFileError",
    "Status",
    "TableCode",
    "TableRow",
    "TableUnavailableError",
    "UnknownCodeError",
    "UnknownIndexTermError",
    "UnknownReleaseError",
    "UnknownTableColumnError",
    "UnknownTableTermError",
    "UnsupportedColumnError",
    "Validation",
    "ValidationBatch",
    "__version__",
    "add_seventh_character",
    "available_releases",
    "check",
    "check_to_json",
    "clear_cache",
    "convert",
    "data_version",
    "diff",
    "drug",
    "drug_row",
    "drug_rows",
    "dumps",
    "from_json",
    "i69_side_code",
    "index_lookup",
    "is_valid",
    "latest_release",
    "load_release",
    "loads",
    "neoplasm",
    "neoplasm_row",
    "neoplasm_rows",
    "normalize",
    "pad_placeholder",
    "parse_code",
    "release_for",
    "release_from_files",
    "rules",
    "search",
    "sequence",
    "seventh_characters",
    "to_json",
    "validate",
    "validate_many",
]

# Public name -> the module that defines it. Imported lazily (PEP 562) so that
# ``import icd10cm`` stays cheap.
_LAZY = {
    "data_version": "icd10cm._data",
    "Block": "icd10cm.chapters",
    "Chapter": "icd10cm.chapters",
    "Category": "icd10cm.code",
    "Code": "icd10cm.code",
    "Conversion": "icd10cm.conversion",
    "ConversionCandidate": "icd10cm.conversion",
    "ConversionStep": "icd10cm.conversion",
    "DeadEnd": "icd10cm.conversion",
    "Relation": "icd10cm.conversion",
    "convert": "icd10cm.conversion",
    "BillableChange": "icd10cm.release_diff",
    "ReleaseDiff": "icd10cm.release_diff",
    "Retitle": "icd10cm.release_diff",
    "diff": "icd10cm.release_diff",
    "check": "icd10cm.checks",
    "Handedness": "icd10cm.dominance",
    "Side": "icd10cm.dominance",
    "i69_side_code": "icd10cm.dominance",
    "Encounter": "icd10cm.encounter",
    "PresentOnAdmission": "icd10cm.encounter",
    "Setting": "icd10cm.encounter",
    "DataIntegrityError": "icd10cm.errors",
    "EncounterError": "icd10cm.errors",
    "Icd10cmError": "icd10cm.errors",
    "IndexUnavailableError": "icd10cm.errors",
    "InvalidDateError": "icd10cm.errors",
    "MalformedCodeError": "icd10cm.errors",
    "NoReleaseForDateError": "icd10cm.errors",
    "PlaceholderError": "icd10cm.errors",
    "SerializationError": "icd10cm.errors",
    "SearchQueryError": "icd10cm.errors",
    "SeventhCharacterError": "icd10cm.errors",
    "SourceFileError": "icd10cm.errors",
    "UnknownCodeError": "icd10cm.errors",
    "UnknownIndexTermError": "icd10cm.errors",
    "UnknownReleaseError": "icd10cm.errors",
    "ConversionUnavailableError": "icd10cm.errors",
    "AmbiguousTableTermError": "icd10cm.errors",
    "NoTableCodeError": "icd10cm.errors",
    "TableUnavailableError": "icd10cm.errors",
    "UnknownTableColumnError": "icd10cm.errors",
    "UnknownTableTermError": "icd10cm.errors",
    "UnsupportedColumnError": "icd10cm.errors",
    "Finding": "icd10cm.findings",
    "Rule": "icd10cm.findings",
    "Severity": "icd10cm.findings",
    "rules": "icd10cm.findings",
    "IndexTerm": "icd10cm.index",
    "index_lookup": "icd10cm.index",
    "Note": "icd10cm.notes",
    "NoteKind": "icd10cm.notes",
    "normalize": "icd10cm.parsing",
    "parse_code": "icd10cm.parsing",
    "CodeReference": "icd10cm.references",
    "SearchHit": "icd10cm.text_search",
    "SearchResult": "icd10cm.text_search",
    "SearchSource": "icd10cm.text_search",
    "search": "icd10cm.text_search",
    "Move": "icd10cm.sequencing",
    "Sequencing": "icd10cm.sequencing",
    "sequence": "icd10cm.sequencing",
    "check_to_json": "icd10cm.serialization",
    "dumps": "icd10cm.serialization",
    "from_json": "icd10cm.serialization",
    "loads": "icd10cm.serialization",
    "to_json": "icd10cm.serialization",
    "SeventhCharacter": "icd10cm.seventh",
    "add_seventh_character": "icd10cm.seventh",
    "pad_placeholder": "icd10cm.seventh",
    "seventh_characters": "icd10cm.seventh",
    "Behavior": "icd10cm.table_columns",
    "Intent": "icd10cm.table_columns",
    "TableCode": "icd10cm.table_rows",
    "TableRow": "icd10cm.table_rows",
    "drug": "icd10cm.tables",
    "drug_row": "icd10cm.tables",
    "drug_rows": "icd10cm.tables",
    "neoplasm": "icd10cm.tables",
    "neoplasm_row": "icd10cm.tables",
    "neoplasm_rows": "icd10cm.tables",
    "Status": "icd10cm.validation",
    "Validation": "icd10cm.validation",
    "ValidationBatch": "icd10cm.validation",
    "is_valid": "icd10cm.validation",
    "validate": "icd10cm.validation",
    "validate_many": "icd10cm.validation",
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
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
