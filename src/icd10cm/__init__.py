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

from icd10cm._version import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:  # for type checkers; tests/test_architecture.py checks it against _EXPORTS
    from typing import Any

    from icd10cm.codes.dominance import (
        Handedness as Handedness,
        Side as Side,
        i69_side_code as i69_side_code,
    )
    from icd10cm.codes.parse import parse_code as parse_code
    from icd10cm.codes.seventh import (
        add_seventh_character as add_seventh_character,
        pad_placeholder as pad_placeholder,
        seventh_characters as seventh_characters,
    )
    from icd10cm.codes.validate import (
        Status as Status,
        Validation as Validation,
        ValidationBatch as ValidationBatch,
        is_valid as is_valid,
        validate as validate,
        validate_many as validate_many,
    )
    from icd10cm.comorbidity.charlson import (
        CharlsonResult as CharlsonResult,
        UnmatchedPattern as UnmatchedPattern,
        charlson as charlson,
        charlson_patterns as charlson_patterns,
    )
    from icd10cm.comorbidity.codes import UnmappedCode as UnmappedCode
    from icd10cm.comorbidity.elixhauser import (
        ElixhauserCoverage as ElixhauserCoverage,
        ElixhauserResult as ElixhauserResult,
        elixhauser as elixhauser,
        elixhauser_coverage as elixhauser_coverage,
    )
    from icd10cm.comorbidity.maps import (
        CmrHierarchy as CmrHierarchy,
        CmrMeasure as CmrMeasure,
        CmrVersion as CmrVersion,
        cmr_versions as cmr_versions,
    )
    from icd10cm.core.code import (
        Category as Category,
        Code as Code,
    )
    from icd10cm.core.info import (
        Part as Part,
        ReleaseInfo as ReleaseInfo,
        ReleaseSource as ReleaseSource,
    )
    from icd10cm.core.notes import (
        Note as Note,
        NoteKind as NoteKind,
    )
    from icd10cm.core.references import CodeReference as CodeReference
    from icd10cm.core.release import Release as Release
    from icd10cm.core.seventh import SeventhCharacter as SeventhCharacter
    from icd10cm.core.structure import (
        Block as Block,
        Chapter as Chapter,
    )
    from icd10cm.core.text import normalize as normalize
    from icd10cm.encounters.checks import check as check
    from icd10cm.encounters.encounter import (
        Encounter as Encounter,
        PresentOnAdmission as PresentOnAdmission,
        Setting as Setting,
    )
    from icd10cm.encounters.findings import Finding as Finding
    from icd10cm.encounters.rules import (
        Rule as Rule,
        Severity as Severity,
        rules as rules,
    )
    from icd10cm.encounters.sequencing import (
        Move as Move,
        Sequencing as Sequencing,
        sequence as sequence,
    )
    from icd10cm.errors import (
        AmbiguousTableTermError as AmbiguousTableTermError,
        ComorbidityError as ComorbidityError,
        ConversionUnavailableError as ConversionUnavailableError,
        DataIntegrityError as DataIntegrityError,
        DominanceError as DominanceError,
        DuplicateColumnError as DuplicateColumnError,
        EncounterError as EncounterError,
        Icd10cmError as Icd10cmError,
        IndexUnavailableError as IndexUnavailableError,
        InvalidDateError as InvalidDateError,
        MalformedCodeError as MalformedCodeError,
        MissingColumnError as MissingColumnError,
        NoReleaseForDateError as NoReleaseForDateError,
        NoTableCodeError as NoTableCodeError,
        PlaceholderError as PlaceholderError,
        PoaExemptUnavailableError as PoaExemptUnavailableError,
        ReleaseDateMismatchError as ReleaseDateMismatchError,
        SearchQueryError as SearchQueryError,
        SerializationError as SerializationError,
        SeventhCharacterError as SeventhCharacterError,
        SourceFileError as SourceFileError,
        TableUnavailableError as TableUnavailableError,
        UnknownCodeError as UnknownCodeError,
        UnknownIndexTermError as UnknownIndexTermError,
        UnknownReleaseError as UnknownReleaseError,
        UnknownTableColumnError as UnknownTableColumnError,
        UnknownTableTermError as UnknownTableTermError,
        UnsupportedColumnError as UnsupportedColumnError,
        UnsupportedTableError as UnsupportedTableError,
    )
    from icd10cm.index.search import (
        SearchHit as SearchHit,
        SearchResult as SearchResult,
        SearchSource as SearchSource,
        search as search,
    )
    from icd10cm.index.terms import (
        IndexTerm as IndexTerm,
        index_lookup as index_lookup,
    )
    from icd10cm.io.json import (
        check_from_json as check_from_json,
        check_to_json as check_to_json,
        dumps as dumps,
        from_json as from_json,
        loads as loads,
        to_json as to_json,
    )
    from icd10cm.official.sources import SourceLimits as SourceLimits
    from icd10cm.releases.bundle import data_version as data_version
    from icd10cm.releases.conversion import (
        Conversion as Conversion,
        ConversionCandidate as ConversionCandidate,
        ConversionStep as ConversionStep,
        DeadEnd as DeadEnd,
        Relation as Relation,
        convert as convert,
    )
    from icd10cm.releases.diff import (
        BillableChange as BillableChange,
        ReleaseDiff as ReleaseDiff,
        Retitle as Retitle,
        diff as diff,
    )
    from icd10cm.releases.from_files import release_from_files as release_from_files
    from icd10cm.releases.poa_exempt import (
        PoaExemptList as PoaExemptList,
        poa_exempt_list as poa_exempt_list,
    )
    from icd10cm.releases.registry import (
        ReleaseLike as ReleaseLike,
        available_releases as available_releases,
        clear_cache as clear_cache,
        latest_release as latest_release,
        load_release as load_release,
        release_for as release_for,
    )
    from icd10cm.tables.columns import (
        Behavior as Behavior,
        Intent as Intent,
    )
    from icd10cm.tables.lookup import (
        drug as drug,
        drug_row as drug_row,
        drug_rows as drug_rows,
        neoplasm as neoplasm,
        neoplasm_row as neoplasm_row,
        neoplasm_rows as neoplasm_rows,
    )
    from icd10cm.tables.rows import (
        TableCode as TableCode,
        TableRow as TableRow,
    )

# The public names, by the module that defines each: the one list. ``__all__`` and the
# lazy imports (PEP 562) come from it, so that ``import icd10cm`` stays cheap.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "icd10cm.codes.dominance": ("Handedness", "Side", "i69_side_code"),
    "icd10cm.codes.parse": ("parse_code",),
    "icd10cm.codes.seventh": ("add_seventh_character", "pad_placeholder", "seventh_characters"),
    "icd10cm.codes.validate": (
        "Status", "Validation", "ValidationBatch", "is_valid", "validate", "validate_many",
    ),
    "icd10cm.comorbidity.charlson": (
        "CharlsonResult", "UnmatchedPattern", "charlson", "charlson_patterns",
    ),
    "icd10cm.comorbidity.codes": ("UnmappedCode",),
    "icd10cm.comorbidity.elixhauser": (
        "ElixhauserCoverage", "ElixhauserResult", "elixhauser", "elixhauser_coverage",
    ),
    "icd10cm.comorbidity.maps": ("CmrHierarchy", "CmrMeasure", "CmrVersion", "cmr_versions"),
    "icd10cm.core.code": ("Category", "Code"),
    "icd10cm.core.info": ("Part", "ReleaseInfo", "ReleaseSource"),
    "icd10cm.core.notes": ("Note", "NoteKind"),
    "icd10cm.core.references": ("CodeReference",),
    "icd10cm.core.release": ("Release",),
    "icd10cm.core.seventh": ("SeventhCharacter",),
    "icd10cm.core.structure": ("Block", "Chapter"),
    "icd10cm.core.text": ("normalize",),
    "icd10cm.encounters.checks": ("check",),
    "icd10cm.encounters.encounter": ("Encounter", "PresentOnAdmission", "Setting"),
    "icd10cm.encounters.findings": ("Finding",),
    "icd10cm.encounters.rules": ("Rule", "Severity", "rules"),
    "icd10cm.encounters.sequencing": ("Move", "Sequencing", "sequence"),
    "icd10cm.errors": (
        "AmbiguousTableTermError", "ComorbidityError", "ConversionUnavailableError",
        "DataIntegrityError",
        "DominanceError", "EncounterError", "Icd10cmError", "IndexUnavailableError",
        "InvalidDateError", "MalformedCodeError", "NoReleaseForDateError", "NoTableCodeError",
        "PlaceholderError", "PoaExemptUnavailableError", "ReleaseDateMismatchError",
        "SearchQueryError", "SerializationError",
        "SeventhCharacterError", "SourceFileError", "TableUnavailableError", "UnknownCodeError",
        "UnknownIndexTermError", "UnknownReleaseError", "UnknownTableColumnError",
        "UnknownTableTermError", "UnsupportedColumnError", "UnsupportedTableError",
        "MissingColumnError", "DuplicateColumnError",
    ),
    "icd10cm.index.search": ("SearchHit", "SearchResult", "SearchSource", "search"),
    "icd10cm.index.terms": ("IndexTerm", "index_lookup"),
    "icd10cm.io.json": (
        "check_from_json", "check_to_json", "dumps", "from_json", "loads", "to_json"),
    "icd10cm.official.sources": ("SourceLimits",),
    "icd10cm.releases.bundle": ("data_version",),
    "icd10cm.releases.conversion": (
        "Conversion", "ConversionCandidate", "ConversionStep", "DeadEnd", "Relation", "convert",
    ),
    "icd10cm.releases.diff": ("BillableChange", "ReleaseDiff", "Retitle", "diff"),
    "icd10cm.releases.from_files": ("release_from_files",),
    "icd10cm.releases.poa_exempt": ("PoaExemptList", "poa_exempt_list"),
    "icd10cm.releases.registry": (
        "ReleaseLike", "available_releases", "clear_cache", "latest_release", "load_release",
        "release_for",
    ),
    "icd10cm.tables.columns": ("Behavior", "Intent"),
    "icd10cm.tables.lookup": (
        "drug", "drug_row", "drug_rows", "neoplasm", "neoplasm_row", "neoplasm_rows",
    ),
    "icd10cm.tables.rows": ("TableCode", "TableRow"),
}
_LAZY = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'icd10cm' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
