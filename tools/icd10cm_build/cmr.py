"""Read an official AHRQ "Elixhauser Comorbidity Software Refined for ICD-10-CM" (CMR) zip.

:func:`read_cmr` checks the zip's sha256, then reads five of its members:

* the reference workbook (``CMR-Reference-File-vYYYY-N.xlsx``): the measures (sheet
  ``Comorbidity_Measures``) and the code -> flag table (sheet ``DX_to_Comorb_Mapping``);
* the SAS format program (``CMR_Format_Program_vYYYY-N.sas``): the ``$COMFMT`` format that
  gives each code one *label* (``"HFHTN_CX"`` and the like), and the ``$POAXMPT_VnnFMT``
  formats, one list of POA-exempt codes per ICD-10-CM version;
* the SAS mapping program (``CMR_Mapping_Program_vYYYY-N.sas``): what each label sets and
  under which present-on-admission (POA) condition, the hierarchies, the CBVD combination,
  which exempt list applies to which discharge quarter;
* the SAS index program (``CMR_Index_Program_vYYYY-N.sas``): the weights of the two indices.

Nothing about the rules is written into this module: hierarchies, POA conditions, the CBVD
combination and the weights all come from the SAS text, and the workbook is checked
against the SAS (every code's flags must be exactly what the program sets for its label).
Anything that does not look as expected raises :class:`SourceFileError` naming the file.
Standard library only (and the build's ``.xlsx`` reader).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import attrs

from icd10cm.errors import SourceFileError
from icd10cm_build.xlsx import read_sheet

__all__ = [
    "MAPPING_SHEET",
    "MEASURES_SHEET",
    "PREFIX",
    "CmrVersion",
    "Combination",
    "Hierarchy",
    "LabelRule",
    "PoaRules",
    "read_cmr",
]

MEASURES_SHEET = "Comorbidity_Measures"
MAPPING_SHEET = "DX_to_Comorb_Mapping"
PREFIX = "CMR_"
_MAX_MEMBER = 64 * 1024 * 1024  # the largest member (format program) is ~6 MB
_CODE = re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}")
_END_MARK = "End of Content"  # v2025.1 ends every sheet with this row

# Zip members by role: (role, pattern of the file name, without folders).
_MEMBERS = (
    ("workbook", re.compile(r"CMR-Reference-File-v(\d{4})-(\d+)\.xlsx", re.I)),
    ("format", re.compile(r"CMR_Format_Program_v(\d{4})-(\d+)\.sas", re.I)),
    ("mapping", re.compile(r"CMR_Mapping_Program_v(\d{4})-(\d+)\.sas", re.I)),
    ("index", re.compile(r"CMR_Index_Program_v(\d{4})-(\d+)\.sas", re.I)),
)


# --------------------------------------------------------------------------- public values


@attrs.frozen
class LabelRule:
    """What one value (*label*) of the ``$COMFMT`` format sets for a secondary diagnosis.

    Flags are raw program flags without the ``CMR_`` prefix (``"CBVD_POA"`` is a flag that
    feeds the final ``"CBVD"`` measure through a :class:`Combination`).
    """

    label: str
    #: set whatever the POA indicator (the "POA-neutral" part of the program)
    always: frozenset[str]
    #: set only when the code is POA-exempt, or not exempt and its POA indicator is one
    #: of :attr:`PoaRules.present_values` (and only when the program runs with POA data)
    if_present: frozenset[str]
    #: set only when the code is not POA-exempt and its POA indicator is one of
    #: :attr:`PoaRules.absent_values` (and only when the program runs with POA data)
    if_absent: frozenset[str]

    @property
    def flags(self) -> frozenset[str]:
        """The flags this label stands for: what the workbook marks with 1 for its codes.
        (:attr:`if_absent` is not among them: ``CBVD_NPOA`` is no workbook column but a
        flag the program derives from ``CBVD_POA`` codes that were not present on
        admission.)"""
        return self.always | self.if_present


@attrs.frozen
class Hierarchy:
    """``IF CMR_A = 1 [AND ...] THEN CMR_B = 0 [; CMR_C = 0 ...]``, applied once per record
    after all diagnoses were read, in program order."""

    if_present: tuple[str, ...]
    drop: tuple[str, ...]
    #: the SAS macro condition around the rule, exactly as written (``"&POA. = 1"``), or
    #: None when the rule always applies
    macro_condition: str | None

    @property
    def needs_poa_data(self) -> bool:
        return self.macro_condition is not None


@attrs.frozen
class Combination:
    """A final measure set from other flags after all diagnoses were read:
    ``measure`` = 1 when any of the conjunctions holds; each conjunction is a tuple of
    ``(flag, required value)``."""

    measure: str
    any_of: tuple[tuple[tuple[str, int], ...], ...]
    macro_condition: str | None


@attrs.frozen
class PoaRules:
    """How the mapping program uses POA indicators and picks a POA-exempt list."""

    #: POA values that count as present on admission, e.g. ("Y", "W")
    present_values: tuple[str, ...]
    #: POA values that count as not present on admission, e.g. ("N", "U")
    absent_values: tuple[str, ...]
    #: the macro condition under which any POA logic runs (``"&POA. = 1"``)
    macro_condition: str
    #: position of the first diagnosis the program reads (2: the principal is skipped)
    first_diagnosis: int
    #: (discharge YEAR, DQTR quarters, ICD-10-CM version number) as the program assigns them
    icd_versions: tuple[tuple[int, tuple[int, ...], int], ...]
    #: the ICD-10-CM version used for any other discharge date (the ELSE branch)
    default_icd_version: int
    #: ICD-10-CM version number -> the fiscal year it is (33 -> 2016)
    fiscal_year_of_version: Mapping[int, int]
    #: ICD-10-CM version number -> name of the SAS format that lists its exempt codes
    exempt_format_of_version: Mapping[int, str]

    @property
    def default_fiscal_year(self) -> int:
        return self.fiscal_year_of_version[self.default_icd_version]


@attrs.frozen
class CmrVersion:
    """One CMR release, as read from its official zip."""

    version: str  # "v2025.1"
    #: the last ICD-10-CM fiscal year whose codes it includes (2025 for v2025.1)
    fiscal_year: int
    #: the first one (2016: every version keeps codes valid since October 2015)
    first_fiscal_year: int
    #: measure id (no CMR_ prefix) -> description, in workbook order
    measures: Mapping[str, str]
    #: measures the workbook marks as using POA indicators (checked against the program)
    poa_dependent: frozenset[str]
    #: undotted code -> raw workbook columns flagged 1 (CBVD_POA / CBVD_SQLA kept as is)
    codes: Mapping[str, frozenset[str]]
    #: undotted code -> its $COMFMT label in the format program
    code_labels: Mapping[str, str]
    #: $COMFMT label -> what the mapping program sets for it
    label_rules: Mapping[str, LabelRule]
    #: the $COMFMT label of every code not listed (``other = " "``): sets nothing
    unmapped_label: str
    #: the flags the program drops from its output (inputs of combinations)
    intermediate_flags: frozenset[str]
    combinations: tuple[Combination, ...]
    hierarchies: tuple[Hierarchy, ...]
    #: the hierarchies and combinations in the order the program runs them, after all
    #: diagnoses were read
    steps: tuple[Hierarchy | Combination, ...]
    poa: PoaRules
    #: ICD-10-CM fiscal year -> POA-exempt codes (from the format program's exempt lists)
    poa_exempt: Mapping[int, frozenset[str]]
    mortality_weights: Mapping[str, int]
    readmission_weights: Mapping[str, int]
    #: role ("workbook", "format", "mapping", "index") -> member name in the zip
    files: Mapping[str, str] = attrs.field(repr=False)


# --------------------------------------------------------------------------- entry point


def read_cmr(zip_path: Path, sha256: str) -> CmrVersion:
    """Read the CMR zip at *zip_path*, which must have the given sha256 (hex)."""
    zip_name = str(zip_path)
    if not re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
        raise ValueError(f"sha256 must be 64 hex digits, got {sha256!r}")
    data = zip_path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256.lower():
        raise SourceFileError(
            zip_name,
            f"sha256 is {actual}, expected {sha256.lower()}: not the file the manifest "
            "names (a different version, or a damaged download)",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SourceFileError(zip_name, f"not a zip file: {exc}") from exc
    with archive:
        members, year, release = _find_members(archive, zip_name)
        raw = {role: _read_member(archive, name, zip_name) for role, name in members.items()}
    version = f"v{year}.{release}"
    m = re.search(r"v(\d{4})[-.](\d+)", zip_path.name)
    if m is not None and (m.group(1), m.group(2)) != (year, release):
        raise SourceFileError(
            zip_name, f"the zip's name says v{m.group(1)}.{m.group(2)} but its files are {version}"
        )

    def where(role: str) -> str:
        return f"{zip_name}!{members[role]}"

    # The small programs first, so that a surprise there is reported quickly.
    program = _read_mapping_program(_text(raw["mapping"], where("mapping")), where("mapping"))
    if program.version != f"{year}.{release}":
        raise SourceFileError(
            where("mapping"), f"CMR_VERSION is {program.version!r}, file names say {version}"
        )
    mortality, readmission = _read_index_program(
        _text(raw["index"], where("index")), where("index")
    )
    measures, poa_yes, columns, codes = _read_workbook(
        raw["workbook"], where("workbook")
    )
    formats = _read_format_program(_text(raw["format"], where("format")), where("format"))

    code_labels, unmapped = _format(formats, program.label_format, where("format"))
    _check_labels(code_labels, unmapped, program, where("format"), where("mapping"))
    _check_codes(codes, code_labels, program.label_rules, where("workbook"), where("format"))
    _check_measures(measures, poa_yes, program, where("workbook"), where("mapping"))
    strange = sorted(set(columns) - set(measures) - program.intermediate_flags)
    if strange:
        raise SourceFileError(where("workbook"), f"columns {strange} are not measures or flags "
                              f"that {where('mapping')} combines into measures")
    for name, weights in (("mortality", mortality), ("readmission", readmission)):
        if set(weights) != set(measures):
            raise SourceFileError(
                where("index"),
                f"{name} weights are for {sorted(weights)}, the workbook's measures are "
                f"{sorted(measures)}",
            )

    poa_exempt: dict[int, frozenset[str]] = {}
    for icd_version, format_name in sorted(program.poa.exempt_format_of_version.items()):
        exempt, other = _format(formats, format_name, where("format"))
        labels = set(exempt.values())
        if labels != {"1"} or other.strip():
            raise SourceFileError(
                where("format"),
                f"POA-exempt format {format_name} should map its codes to '1' and other "
                f"to ' ', found labels {sorted(labels)} and other {other!r}",
            )
        poa_exempt[program.poa.fiscal_year_of_version[icd_version]] = frozenset(exempt)

    return CmrVersion(
        version=version,
        fiscal_year=program.last_fiscal_year,
        first_fiscal_year=program.first_fiscal_year,
        measures=MappingProxyType(measures),
        poa_dependent=frozenset(poa_yes),
        codes=MappingProxyType(codes),
        code_labels=MappingProxyType(code_labels),
        label_rules=MappingProxyType(dict(program.label_rules)),
        unmapped_label=unmapped,
        intermediate_flags=program.intermediate_flags,
        combinations=program.combinations,
        hierarchies=program.hierarchies,
        steps=program.steps,
        poa=program.poa,
        poa_exempt=MappingProxyType(poa_exempt),
        mortality_weights=MappingProxyType(mortality),
        readmission_weights=MappingProxyType(readmission),
        files=MappingProxyType(members),
    )


# --------------------------------------------------------------------------- zip members


def _find_members(
    archive: zipfile.ZipFile, zip_name: str
) -> tuple[dict[str, str], str, str]:
    """Role -> member name, and the (year, release) the member names carry."""
    found: dict[str, str] = {}
    versions: set[tuple[str, str]] = set()
    names = [n for n in archive.namelist() if not n.endswith("/")]
    for role, pattern in _MEMBERS:
        hits = [n for n in names if pattern.fullmatch(PurePosixPath(n).name)]
        if len(hits) != 1:
            raise SourceFileError(
                zip_name,
                f"expected exactly one {role} file named like {pattern.pattern!r}, found "
                f"{hits or 'none'} among {names}",
            )
        found[role] = hits[0]
        m = pattern.fullmatch(PurePosixPath(hits[0]).name)
        assert m is not None
        versions.add((m.group(1), m.group(2)))
    if len(versions) != 1:
        raise SourceFileError(zip_name, f"its files are of different versions: {found}")
    (year, release) = versions.pop()
    return found, year, release


def _read_member(archive: zipfile.ZipFile, name: str, zip_name: str) -> bytes:
    if archive.getinfo(name).file_size > _MAX_MEMBER:
        raise SourceFileError(f"{zip_name}!{name}", "member is implausibly large")
    return archive.read(name)


def _text(data: bytes, file: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceFileError(file, f"not UTF-8/ASCII text: {exc}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- workbook


def _header_row(rows: list[list[str]], first: str, file: str, sheet: str) -> int:
    for i, row in enumerate(rows[:10]):
        if row and " ".join(row[0].split()).startswith(first):
            return i
    raise SourceFileError(
        f"{file}[{sheet}]", f"no header row starting with {first!r} in the first 10 rows"
    )


def _read_workbook(
    data: bytes, file: str
) -> tuple[dict[str, str], set[str], list[str], dict[str, frozenset[str]]]:
    """(measures, POA-dependent measures, flag columns, code -> flags)."""
    # Comorbidity_Measures: Abbreviation (SAS Data Element Name) | Description | Uses POA?
    rows = read_sheet(data, file, MEASURES_SHEET)
    where = f"{file}[{MEASURES_SHEET}]"
    top = _header_row(rows, "Abbreviation", file, MEASURES_SHEET)
    header = [" ".join(c.split()) for c in rows[top]]
    if len(header) < 3 or not header[1].startswith("Comorbidity Description") or not (
        header[2].startswith("Uses present on admission (POA)")
    ):
        raise SourceFileError(where, f"unexpected header {header}")
    measures: dict[str, str] = {}
    poa_yes: set[str] = set()
    for number, row in enumerate(rows[top + 1 :], start=top + 2):
        cells = [c.strip() for c in row] + ["", "", ""]
        if not any(cells) or cells[0] == _END_MARK:
            break
        m = re.fullmatch(PREFIX + r"([A-Z][A-Z_]*)", cells[0])
        if m is None or not cells[1] or cells[2] not in ("Yes", "No"):
            raise SourceFileError(where, f"row {number} is not 'CMR_X | text | Yes/No': {row}")
        if m.group(1) in measures:
            raise SourceFileError(where, f"row {number}: measure {cells[0]} listed twice")
        measures[m.group(1)] = " ".join(cells[1].split())
        if cells[2] == "Yes":
            poa_yes.add(m.group(1))
    if not measures:
        raise SourceFileError(where, "no measures listed")

    # DX_to_Comorb_Mapping: code | title | # Comorbidities | one 0/1 column per flag
    rows = read_sheet(data, file, MAPPING_SHEET)
    where = f"{file}[{MAPPING_SHEET}]"
    top = _header_row(rows, "ICD-10-CM Diagnosis", file, MAPPING_SHEET)
    header = [c.strip() for c in rows[top]]
    while header and not header[-1]:
        header.pop()
    if header[1:3] != ["ICD-10-CM Code Description", "# Comorbidities"] or len(header) < 4:
        raise SourceFileError(where, f"unexpected header {header}")
    flags = header[3:]
    if len(set(flags)) != len(flags) or not all(re.fullmatch(r"[A-Z][A-Z_]*", f) for f in flags):
        raise SourceFileError(where, f"flag columns are not distinct measure names: {flags}")
    codes: dict[str, frozenset[str]] = {}
    for number, row in enumerate(rows[top + 1 :], start=top + 2):
        if row and row[0].strip() == _END_MARK:
            if any(c.strip() for c in row[1:]):
                raise SourceFileError(where, f"row {number}: text after {_END_MARK!r}")
            break
        if not any(c.strip() for c in row):
            continue
        code = row[0].strip()
        if not _CODE.fullmatch(code):
            raise SourceFileError(where, f"row {number}: {code!r} is not an undotted code")
        if code in codes:
            raise SourceFileError(where, f"row {number}: code {code} listed twice")
        values = [c.strip() for c in row[3 : 3 + len(flags)]]
        extra = [c for c in row[3 + len(flags) :] if c.strip()]
        if len(values) != len(flags) or any(v not in ("0", "1") for v in values) or extra:
            raise SourceFileError(
                where, f"row {number} ({code}): expected {len(flags)} cells of 0/1, got {row[3:]}"
            )
        flagged = frozenset(f for f, v in zip(flags, values, strict=True) if v == "1")
        if row[2].strip() != str(len(flagged)) or not flagged:
            raise SourceFileError(
                where, f"row {number} ({code}): '# Comorbidities' {row[2]!r} but flags {flagged}"
            )
        codes[code] = flagged
    if not codes:
        raise SourceFileError(where, "no codes listed")
    return measures, poa_yes, flags, codes


# --------------------------------------------------------------------------- format program

_VALUE_STATEMENT = re.compile(
    r"\bvalue\s+(\$?[A-Za-z_]\w*)((?:\"[^\"]*\"|'[^']*'|[^;\"'])*);", re.I
)
_FORMAT_TOKEN = re.compile(r"\"([^\"]*)\"|'([^']*)'|(=)|(,)|(-)|\b(other)\b|(\S+)", re.I)


def _read_format_program(text: str, file: str) -> dict[str, tuple[dict[str, str], str]]:
    """Format name (upper case, no ``$``) -> (value -> label, label of ``other``)."""
    start = re.search(r"\bproc\s+format\b[^;]*;", text, re.I)
    if start is None:
        raise SourceFileError(file, "no PROC FORMAT statement")
    formats: dict[str, tuple[dict[str, str], str]] = {}
    for statement in _VALUE_STATEMENT.finditer(text, start.end()):
        name = statement.group(1).lstrip("$").upper()
        line = text.count("\n", 0, statement.start()) + 1
        if name in formats:
            raise SourceFileError(file, f"format {name} defined twice", line)
        formats[name] = _format_entries(statement.group(2), file, name, line)
    if not formats:
        raise SourceFileError(file, "PROC FORMAT defines no VALUE formats")
    return formats


def _format_entries(body: str, file: str, name: str, line: int) -> tuple[dict[str, str], str]:
    """``"A", "B" = "label" ... other = " "`` -> ({"A": "label", "B": "label"}, " ")."""
    values: dict[str, str] = {}
    other: str | None = None
    keys: list[str] = []
    is_other = want_label = False

    def fail(problem: str) -> SourceFileError:
        return SourceFileError(file, f"format {name}: {problem}", line)

    for m in _FORMAT_TOKEN.finditer(body):
        string = m.group(1) if m.group(1) is not None else m.group(2)
        if want_label:
            if string is None:
                raise fail(f"'=' followed by {m.group()!r}, not a quoted label")
            if is_other:
                if other is not None:
                    raise fail("two 'other' labels")
                other = string
            for key in keys:
                if key in values:
                    raise fail(f"{key!r} listed twice")
                values[key] = string
            keys, is_other, want_label = [], False, False
        elif string is not None and not is_other:
            keys.append(string.strip())
        elif m.group(4) is not None and keys and not is_other:  # ","
            continue
        elif m.group(3) is not None and (keys or is_other):  # "="
            want_label = True
        elif m.group(6) is not None and not keys and not is_other:  # other
            is_other = True
        elif m.group(5) is not None:
            raise fail("value ranges (a-b) are not supported")
        else:
            raise fail(f"unexpected {m.group()!r}")
    if keys or is_other or want_label:
        raise fail("values without a label at the end")
    if other is None:
        raise fail("no 'other' label")
    return values, other


def _format(
    formats: Mapping[str, tuple[dict[str, str], str]], reference: str, file: str
) -> tuple[dict[str, str], str]:
    """The format a program refers to as ``COMFMT.`` or ``$poaxmpt_v42fmt.``."""
    name = reference.lstrip("$").rstrip(".").upper()
    if name not in formats:
        raise SourceFileError(
            file, f"the mapping program uses format {reference} but it is not defined here "
            f"(defined: {', '.join(formats)})"
        )
    values, other = formats[name]
    bad = [v for v in values if not _CODE.fullmatch(v)]
    if bad:
        raise SourceFileError(file, f"format {name}: not undotted codes: {bad[:5]}")
    return values, other


# --------------------------------------------------------------------------- mapping program

# Macro statements, which SAS resolves before the DATA step sees the text.
_MACRO = re.compile(
    r"%if\b[^;]*?%then\s*%do\s*;|%else\s*%do\s*;|%end\s*;"
    r"|%if\b[^;]*?%then\s*%let\b[^;]*;|%else\s*%let\b[^;]*;|%let\b[^;]*;",
    re.I,
)
_PIECE = re.compile(r"\"[^\"]*\"|'[^']*'|;|[^;\"']+")
_ASSIGN = re.compile(r"(\w+(?:\(\s*\w+\s*\))?)\s*=\s*(.+)")
# IF (EXEMPTPOA(I) = 1) or (EXEMPTPOA(I) = 0 AND DXPOA(I) IN ("Y","W")) THEN DO;
_PRESENT = re.compile(
    r"\(\s*EXEMPTPOA\(I\)\s*=\s*1\s*\)\s+OR\s+\(\s*EXEMPTPOA\(I\)\s*=\s*0\s+AND\s+"
    r"DXPOA\(I\)\s+IN\s*\(([^)]*)\)\s*\)",
    re.I,
)
# IF (EXEMPTPOA(I) = 0 AND DXPOA(I) IN ("N","U")) THEN DO;
_ABSENT = re.compile(
    r"\(\s*EXEMPTPOA\(I\)\s*=\s*0\s+AND\s+DXPOA\(I\)\s+IN\s*\(([^)]*)\)\s*\)", re.I
)
# (ICDVER = 42 AND PUT(DX(I),$poaxmpt_v42fmt.)='1')
_EXEMPT_TERM = re.compile(
    r"\(\s*ICDVER\s*=\s*(\d+)\s+AND\s+PUT\(\s*DX\(I\)\s*,\s*(\$?\w+\.)\s*\)\s*=\s*'1'\s*\)", re.I
)
# (YEAR IN (2015) AND DQTR IN (4))
_QUARTER = re.compile(
    r"\(\s*YEAR\s+IN\s*\(\s*(\d{4})\s*\)\s+AND\s+DQTR\s+IN\s*\(([\d,\s]+)\)\s*\)", re.I
)
# CMR_CBVD_POA=1
_FLAG_TEST = re.compile(PREFIX + r"(\w+)\s*=\s*(\d)", re.I)
_IGNORED = ("LABEL", "LENGTH", "ATTRIB", "RETAIN", "SET", "DATA", "RUN", "TITLE")


@attrs.define
class _Frame:
    """An open block: a macro %if ... %do, a DATA step DO loop or an IF ... THEN DO."""

    kind: str  # "macro", "loop" or "if"
    text: str  # the macro condition, the loop variable, or the IF condition
    line: int
    start: str = ""  # loop start
    end: str = ""  # loop end
    diagnoses: bool = False  # the loop over the record's diagnoses
    zeroed: list[str] = attrs.field(factory=list)  # CMR_X = 0 directly inside an IF ... DO


@attrs.frozen
class _Program:
    version: str
    first_fiscal_year: int
    last_fiscal_year: int
    label_format: str
    label_rules: Mapping[str, LabelRule]
    steps: tuple[Hierarchy | Combination, ...]
    intermediate_flags: frozenset[str]
    poa: PoaRules

    @property
    def hierarchies(self) -> tuple[Hierarchy, ...]:
        return tuple(step for step in self.steps if isinstance(step, Hierarchy))

    @property
    def combinations(self) -> tuple[Combination, ...]:
        return tuple(step for step in self.steps if isinstance(step, Combination))


def _statements(body: str) -> Iterator[tuple[str, str, int]]:
    """("macro", text, offset) and ("stmt", text, offset), white space runs made one space,
    in order. A DATA step statement with macro statements inside it (``DROP A %if &POA.=1
    %then %do; B %end; C;``) comes whole, after them."""
    parts: list[str] = []
    start = -1
    position = 0
    for macro in [*_MACRO.finditer(body), None]:
        end = macro.start() if macro is not None else len(body)
        for piece in _PIECE.finditer(body, position, end):
            text = piece.group()
            if text == ";":
                statement = " ".join("".join(parts).split())
                if statement:
                    yield "stmt", statement, start
                parts, start = [], -1
                continue
            if start < 0 and text.strip():
                start = piece.start() + len(text) - len(text.lstrip())
            parts.append(text)
        if macro is None:
            break
        parts.append(" ")
        yield "macro", " ".join(macro.group().split()), macro.start()
        position = macro.end()
    if "".join(parts).strip():
        raise ValueError(f"statement without ';' at the end: {''.join(parts).strip()[:80]!r}")


def _quoted(values: str) -> tuple[str, ...]:
    return tuple(a or b for a, b in re.findall(r"\"([^\"]*)\"|'([^']*)'", values))


def _flag(variable: str, file: str, line: int | None) -> str:
    if not variable.upper().startswith(PREFIX):
        raise SourceFileError(file, f"{variable} is not a {PREFIX} flag", line)
    return variable[len(PREFIX) :].upper()


def _presence(condition: str) -> tuple[str, ...] | None:
    """("A", "B") for ``CMR_A = 1 AND CMR_B = 1``; None for anything else."""
    names = []
    for term in re.split(r"\s+AND\s+", condition.strip(), flags=re.I):
        test = _FLAG_TEST.fullmatch(term.strip())
        if test is None or test.group(2) != "1":
            return None
        names.append(test.group(1).upper())
    return tuple(names)


def _disjunction(condition: str) -> tuple[tuple[tuple[str, int], ...], ...] | None:
    """``(CMR_A=1) OR (CMR_A=0 AND CMR_B=1)`` -> ((("A", 1),), (("A", 0), ("B", 1)))."""
    result = []
    for term in re.split(r"\s+OR\s+", condition.strip(), flags=re.I):
        term = term.strip()
        if term.startswith("(") and term.endswith(")"):
            term = term[1:-1]
        conjunction = []
        for test_text in re.split(r"\s+AND\s+", term.strip(), flags=re.I):
            test = _FLAG_TEST.fullmatch(test_text.strip())
            if test is None:
                return None
            conjunction.append((test.group(1).upper(), int(test.group(2))))
        result.append(tuple(conjunction))
    return tuple(result)


class _MappingReader:
    """Walks the DATA step of the mapping program statement by statement, keeping a stack
    of open blocks, and files every assignment it understands; any other assignment to a
    ``CMR_`` flag, or any statement it does not know, raises."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.stack: list[_Frame] = []
        self.last_closed_macro = ""
        self.arrays: dict[str, tuple[str, ...]] = {}
        self.label_format = ""
        self.label_length = 0
        self.first_diagnosis = 0
        self.always: dict[str, set[str]] = {}
        self.present: dict[str, set[str]] = {}
        self.absent: dict[str, set[str]] = {}
        self.present_values: tuple[str, ...] = ()
        self.absent_values: tuple[str, ...] = ()
        self.poa_macro = ""
        self.steps: list[Hierarchy | Combination] = []
        self.intermediates: set[str] = set()
        self.quarters: list[tuple[int, tuple[int, ...], int]] = []
        self.default_version = 0
        self.exempt_formats: dict[int, str] = {}

    def fail(self, problem: str, line: int | None) -> SourceFileError:
        return SourceFileError(self.file, problem, line)

    def same(self, known: tuple[str, ...], found: tuple[str, ...], line: int) -> tuple[str, ...]:
        """*found*, which must equal what was *known* before (if anything)."""
        if known and known != found:
            raise self.fail(f"POA values {found} here but {known} before", line)
        return found

    def macro_condition(self) -> str | None:
        conditions = [f.text for f in self.stack if f.kind == "macro"]
        return " AND ".join(conditions) if conditions else None

    def in_diagnosis_loop(self) -> bool:
        return any(f.diagnoses for f in self.stack)

    def label_bucket(self, line: int) -> dict[str, set[str]]:
        """Where a label rule goes, by the POA conditions of the blocks around it."""
        bucket = self.always
        for frame in self.stack:
            if frame.kind != "if":
                continue
            if (present := _PRESENT.fullmatch(frame.text)) is not None:
                bucket = self.present
                self.present_values = self.same(
                    self.present_values, _quoted(present.group(1)), line
                )
            elif (absent := _ABSENT.fullmatch(frame.text)) is not None:
                bucket = self.absent
                self.absent_values = self.same(self.absent_values, _quoted(absent.group(1)), line)
            elif re.search(r"DXPOA|EXEMPTPOA", frame.text, re.I):
                raise self.fail(f"unrecognised POA condition {frame.text!r}", line)
        condition = self.macro_condition()
        if bucket is self.always and condition is not None:
            raise self.fail(f"label rule without a POA test inside %if {condition}", line)
        if bucket is not self.always:
            if condition is None or self.poa_macro not in ("", condition):
                raise self.fail(f"POA logic under %if {condition}, not %if {self.poa_macro}",
                                line)
            self.poa_macro = condition
        return bucket

    # ----- statements

    def statement(self, text: str, line: int) -> None:
        word = text.split(None, 1)[0].upper()
        if word in _IGNORED:
            length = re.search(r"\bDXVALUE\s+\$(\d+)", text, re.I)
            if word == "LENGTH" and length is not None:
                self.label_length = int(length.group(1))
            return
        if word == "DROP":
            names = re.findall(PREFIX + r"\w+", text, re.I)
            self.intermediates |= {_flag(v, self.file, line) for v in names}
            return
        if word == "ARRAY":
            self.array(text, line)
            return
        if (m := re.fullmatch(r"DO\s+(\w+)\s*=\s*(\S+)\s+TO\s+(.+)", text, re.I)) is not None:
            self.stack.append(_Frame("loop", m.group(1).upper(), line, m.group(2), m.group(3)))
            return
        if text.upper() == "END":
            self.end(line)
            return
        if (m := re.fullmatch(r"(?:ELSE\s+)?IF\s+(.+?)\s+THEN\s+DO", text, re.I)) is not None:
            self.stack.append(_Frame("if", m.group(1).strip(), line))
            return
        if (m := re.fullmatch(r"(?:ELSE\s+)?IF\s+(.+?)\s+THEN\s+(.+)", text, re.I)) is not None:
            action = _ASSIGN.fullmatch(m.group(2))
            if action is None:
                raise self.fail(f"unrecognised action in {text!r}", line)
            self.assignment(action.group(1), action.group(2), m.group(1).strip(), line)
            return
        if (m := re.fullmatch(r"ELSE\s+(.+)", text, re.I)) is not None:
            action = _ASSIGN.fullmatch(m.group(1))
            if action is None:
                raise self.fail(f"unrecognised ELSE {text!r}", line)
            self.assignment(action.group(1), action.group(2), "ELSE", line)
            return
        if (action := _ASSIGN.fullmatch(text)) is not None:
            self.assignment(action.group(1), action.group(2), None, line)
            return
        raise self.fail(f"unrecognised statement {text!r}", line)

    def macro(self, text: str, line: int) -> None:
        if (m := re.fullmatch(r"%if\b(.*?)%then\s*%do\s*;", text, re.I)) is not None:
            self.stack.append(_Frame("macro", " ".join(m.group(1).split()), line))
        elif re.fullmatch(r"%else\s*%do\s*;", text, re.I):
            self.stack.append(_Frame("macro", f"NOT ({self.last_closed_macro})", line))
        elif re.fullmatch(r"%end\s*;", text, re.I):
            if not self.stack or self.stack[-1].kind != "macro":
                raise self.fail("%end without %do", line)
            self.last_closed_macro = self.stack.pop().text
        # %let and %if ... %then %let only set macro variables

    def array(self, text: str, line: int) -> None:
        m = re.fullmatch(
            r"ARRAY\s+(\w+)\s*\(\s*([^)]*?)\s*\)\s*(?:\$\s*\d*\s*)?(.*)", text, re.I
        )
        if m is None:
            raise self.fail(f"unrecognised ARRAY statement {text!r}", line)
        name, size, rest = m.group(1).upper(), m.group(2), m.group(3)
        if not size.isdigit():
            return  # DX, DXPOA, EXEMPTPOA: sized by macro variables, not flags or labels
        values = _quoted(rest) if "(" in rest else tuple(rest.upper().split())
        if len(values) != int(size):
            raise self.fail(f"array {name} declares {size} elements but has {len(values)}", line)
        self.arrays[name] = values

    def end(self, line: int) -> None:
        if not self.stack or self.stack[-1].kind == "macro":
            raise self.fail("END without DO", line)
        frame = self.stack.pop()
        if frame.zeroed:
            drop_if = _presence(frame.text)
            if drop_if is None:
                raise self.fail(f"flags set to 0 under unrecognised IF {frame.text!r}", frame.line)
            self.steps.append(Hierarchy(drop_if, tuple(frame.zeroed), self.macro_condition()))

    def assignment(self, target: str, value: str, condition: str | None, line: int) -> None:
        target = re.sub(r"\s+", "", target).upper()
        value = value.strip()
        block = self.stack[-1] if self.stack and self.stack[-1].kind == "if" else None
        if target == "DXVALUE":
            self.diagnosis_label(value, condition, line)
        elif target == "ICDVER":
            self.icd_version(value, condition, line)
        elif target.startswith("EXEMPTPOA"):
            self.exempt_test(target, value, condition, line)
        elif re.fullmatch(r"\w+\(\w+\)", target):
            self.array_rule(target, value, condition, line)
        elif not target.startswith(PREFIX):
            raise self.fail(f"unrecognised assignment {target} = {value}", line)
        elif condition is None and block is None:
            if value not in ("0", "."):
                raise self.fail(f"unconditional {target} = {value}", line)
            # otherwise: initialisation to 0, or to missing without POA data
        elif condition is None and block is not None and value == "0" and (
            _presence(block.text) is not None
        ):
            block.zeroed.append(_flag(target, self.file, line))  # IF CMR_A = 1 THEN DO ...
        else:
            self.flag_rule(target, value, condition or (block.text if block else ""), line)

    def diagnosis_label(self, value: str, condition: str | None, line: int) -> None:
        """``DXVALUE = PUT(DX(I),COMFMT.)``: the label of the diagnosis at hand."""
        put = re.fullmatch(r"PUT\(\s*DX\(I\)\s*,\s*(\$?\w+\.)\s*\)", value, re.I)
        loop = next((f for f in reversed(self.stack) if f.kind == "loop"), None)
        if put is None or condition is not None or loop is None or not loop.start.isdigit():
            raise self.fail(f"unexpected DXVALUE = {value}", line)
        self.label_format = put.group(1)
        loop.diagnoses = True
        self.first_diagnosis = int(loop.start)

    def icd_version(self, value: str, condition: str | None, line: int) -> None:
        if condition is None:
            return  # ICDVER = 0 (initialisation)
        if not value.isdigit():
            raise self.fail(f"ICDVER = {value} is not a number", line)
        if condition == "ELSE":
            self.default_version = int(value)
            return
        quarter = _QUARTER.fullmatch(condition)
        if quarter is None:
            raise self.fail(f"unrecognised ICDVER condition {condition!r}", line)
        quarters = tuple(int(x) for x in quarter.group(2).replace(",", " ").split())
        self.quarters.append((int(quarter.group(1)), quarters, int(value)))

    def exempt_test(self, target: str, value: str, condition: str | None, line: int) -> None:
        if condition is None and value == "0":
            return  # EXEMPTPOA(I) = 0 (initialisation)
        terms = [_EXEMPT_TERM.fullmatch(t.strip()) for t in
                 re.split(r"\s+OR\s+", condition or "", flags=re.I)]
        if target != "EXEMPTPOA(I)" or value != "1" or not all(terms):
            raise self.fail(f"unrecognised POA-exempt test {condition!r}", line)
        for term in terms:
            assert term is not None
            self.exempt_formats[int(term.group(1))] = term.group(2)

    def array_rule(self, target: str, value: str, condition: str | None, line: int) -> None:
        """``IF DXVALUE = VALANYPOA(J) THEN COMANYPOA(J) = 1`` in ``DO J = 1 TO 20``."""
        name, index = target[:-1].split("(")
        if condition is None:
            if value not in ("0", "."):
                raise self.fail(f"unexpected {target} = {value}", line)
            return  # initialisation of an array of flags
        test = re.fullmatch(r"DXVALUE\s*=\s*(\w+)\((\w+)\)", condition, re.I)
        loop = next((f for f in reversed(self.stack) if f.kind == "loop"), None)
        if test is None or value != "1" or loop is None or (
            test.group(2).upper() != index or loop.text != index
        ):
            raise self.fail(f"unrecognised rule IF {condition} THEN {target} = {value}", line)
        labels_name = test.group(1).upper()
        if name not in self.arrays or labels_name not in self.arrays:
            raise self.fail(f"array {name} or {labels_name} is not declared", line)
        flags, labels = self.arrays[name], self.arrays[labels_name]
        if not (loop.start == "1" and loop.end == str(len(flags)) == str(len(labels))):
            raise self.fail(
                f"loop {loop.text} = {loop.start} TO {loop.end} does not cover arrays "
                f"{name} ({len(flags)}) and {labels_name} ({len(labels)})",
                line,
            )
        bucket = self.label_bucket(line)
        for label, flag in zip(labels, flags, strict=True):
            bucket.setdefault(label, set()).add(_flag(flag, self.file, line))

    def flag_rule(self, target: str, value: str, condition: str, line: int) -> None:
        flag = _flag(target, self.file, line)
        label = re.fullmatch(r"DXVALUE\s*=\s*\"([^\"]*)\"", condition, re.I)
        if label is not None:
            if value != "1" or not self.in_diagnosis_loop():
                raise self.fail(f"unexpected label rule {target} = {value}", line)
            self.label_bucket(line).setdefault(label.group(1), set()).add(flag)
            return
        if self.in_diagnosis_loop():
            raise self.fail(f"unrecognised rule IF {condition} THEN {target} = {value}", line)
        drop_if = _presence(condition)
        if value == "0" and drop_if is not None:
            self.steps.append(Hierarchy(drop_if, (flag,), self.macro_condition()))
            return
        any_of = _disjunction(condition)
        if value == "1" and any_of is not None:
            self.steps.append(Combination(flag, any_of, self.macro_condition()))
            return
        raise self.fail(f"unrecognised rule IF {condition} THEN {target} = {value}", line)

    # ----- result

    def result(self, version: str, first_fy: int, last_fy: int) -> _Program:
        problems = []
        if not self.label_format:
            problems.append("no DXVALUE = PUT(DX(I), format.)")
        if not self.always or not self.present:
            problems.append("no label rules for both POA-neutral and POA-present measures")
        if not self.present_values or not self.absent_values:
            problems.append("no DXPOA(I) IN (...) conditions")
        if not any(isinstance(step, Hierarchy) for step in self.steps):
            problems.append("no hierarchies (IF CMR_A = 1 THEN CMR_B = 0)")
        if not self.quarters or not self.default_version:
            problems.append("no ICDVER assignments by YEAR and DQTR")
        if not self.exempt_formats:
            problems.append("no POA-exempt format tests")
        if problems:
            raise self.fail("; ".join(problems), None)

        fiscal_year: dict[int, int] = {}
        for year, quarters, icd_version in self.quarters:
            if set(quarters) == {4}:
                fy = year + 1  # October-December start the next fiscal year
            elif set(quarters) <= {1, 2, 3}:
                fy = year
            else:
                raise self.fail(f"quarters {quarters} of {year} span two fiscal years", None)
            if fiscal_year.setdefault(icd_version, fy) != fy:
                raise self.fail(f"ICDVER {icd_version} is used for two fiscal years", None)
        unmatched = sorted(set(fiscal_year) ^ set(self.exempt_formats))
        if unmatched or self.default_version not in fiscal_year:
            raise self.fail(
                f"ICD versions {unmatched} have quarters but no exempt list or the other way "
                f"round, or the default {self.default_version} has no quarter",
                None,
            )
        years = sorted(fiscal_year.values())
        if (years[0], years[-1]) != (first_fy, last_fy):
            raise self.fail(
                f"ICDVER covers fiscal years {years[0]}-{years[-1]}, the header says "
                f"{first_fy}-{last_fy}",
                None,
            )
        rules = {}
        for label in sorted(set(self.always) | set(self.present) | set(self.absent)):
            if self.label_length and len(label) > self.label_length:
                raise self.fail(f"label {label!r} is longer than DXVALUE (${self.label_length})",
                                None)
            rules[label] = LabelRule(
                label,
                frozenset(self.always.get(label, ())),
                frozenset(self.present.get(label, ())),
                frozenset(self.absent.get(label, ())),
            )
        poa = PoaRules(
            present_values=self.present_values,
            absent_values=self.absent_values,
            macro_condition=self.poa_macro,
            first_diagnosis=self.first_diagnosis,
            icd_versions=tuple(self.quarters),
            default_icd_version=self.default_version,
            fiscal_year_of_version=MappingProxyType(dict(sorted(fiscal_year.items()))),
            exempt_format_of_version=MappingProxyType(dict(sorted(self.exempt_formats.items()))),
        )
        return _Program(
            version=version,
            first_fiscal_year=first_fy,
            last_fiscal_year=last_fy,
            label_format=self.label_format,
            label_rules=MappingProxyType(rules),
            steps=tuple(self.steps),
            intermediate_flags=frozenset(self.intermediates),
            poa=poa,
        )


def _read_mapping_program(text: str, file: str) -> _Program:
    m = re.search(r"%LET\s+CMR_VERSION\s*=\s*\"(\d{4}\.\d+)\"\s*;", text, re.I)
    if m is None:
        raise SourceFileError(file, 'no %LET CMR_VERSION = "YYYY.N";')
    version = m.group(1)
    m = re.search(r"codes\s+from\s+October\s+(\d{4})\s+through\s+September\s+(\d{4})", text)
    if m is None:
        raise SourceFileError(file, "no 'codes from October YYYY through September YYYY'")
    first_fy, last_fy = int(m.group(1)) + 1, int(m.group(2))

    # Comments become blank lines, so that line numbers stay right.
    code = re.sub(r"/\*.*?\*/", lambda c: "\n" * c.group().count("\n"), text, flags=re.S)
    macro = re.search(r"%macro\s+\w+\s*;(.*?)%mend\b", code, re.I | re.S)
    if macro is None:
        raise SourceFileError(file, "no %macro ... %mend block")
    first_line = code.count("\n", 0, macro.start(1)) + 1
    body = macro.group(1)
    reader = _MappingReader(file)
    try:
        statements = list(_statements(body))
    except ValueError as exc:
        raise SourceFileError(file, str(exc)) from None
    for kind, statement, offset in statements:
        line = first_line + body.count("\n", 0, offset)
        if kind == "macro":
            reader.macro(statement, line)
        else:
            reader.statement(statement, line)
    if reader.stack:
        raise SourceFileError(file, f"unclosed {reader.stack[-1].kind} block",
                              reader.stack[-1].line)
    return reader.result(version, first_fy, last_fy)


# --------------------------------------------------------------------------- index program


def _read_index_program(text: str, file: str) -> tuple[dict[str, int], dict[str, int]]:
    """(mortality weights, readmission weights), measure id -> weight."""
    code = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    weights: dict[str, int] = {}
    for m in re.finditer(r"^\s*(\w+)\s*=\s*(-?\d+)\s*;", code, re.M):
        name = m.group(1).upper()
        if name in weights:
            raise SourceFileError(file, f"{m.group(1)} is assigned twice")
        weights[name] = int(m.group(2))
    arrays = {
        m.group(1).lower(): m.group(2).split()
        for m in re.finditer(r"\barray\s+(\w+)\s*\(\s*&NUMcomorb_\s*\)([^;]*);", code, re.I)
    }
    count = re.search(r"%Let\s+NUMcomorb_\s*=\s*(\d+)\s*;", code, re.I)
    if count is None or "cmvars" not in arrays:
        raise SourceFileError(file, "no %Let NUMcomorb_ = n; or no array cmvars(&NUMcomorb_)")
    flags = arrays["cmvars"]
    if len(flags) != int(count.group(1)):
        raise SourceFileError(file, f"cmvars has {len(flags)} flags, NUMcomorb_ is {count[1]}")
    products = {
        m.group(1).lower(): m.group(2).lower()
        for m in re.finditer(
            r"(\w+)\[\s*i\s*\]\s*=\s*cmvars\[\s*i\s*\]\s*\*\s*(\w+)\[\s*i\s*\]\s*;", code, re.I
        )
    }
    result: dict[str, dict[str, int]] = {}
    for index in ("Mortality", "Readmission"):
        total = re.search(
            rf"CMR_Index_{index}\s*=\s*sum\(\s*of\s+(\w+)\[\s*\*\s*\]\s*\)\s*;", code, re.I
        )
        if total is None or total.group(1).lower() not in products:
            raise SourceFileError(
                file, f"CMR_Index_{index} is not sum(of x[*]) with x[i] = cmvars[i]*w[i]"
            )
        weight_array = arrays.get(products[total.group(1).lower()])
        if weight_array is None or len(weight_array) != len(flags):
            raise SourceFileError(file, f"the weights array of CMR_Index_{index} is not sized "
                                  "like cmvars")
        index_weights: dict[str, int] = {}
        prefixes = set()
        for flag, weight_name in zip(flags, weight_array, strict=True):
            measure, weight_name = _flag(flag, file, None), weight_name.upper()
            prefixes.add(weight_name[: -len(measure)])
            if not weight_name.endswith(measure) or weight_name not in weights:
                raise SourceFileError(
                    file, f"CMR_Index_{index}: {flag} is multiplied by {weight_name}, which is "
                    "not named after it or is never assigned an integer"
                )
            index_weights[measure] = weights[weight_name]
        if len(prefixes) != 1:
            raise SourceFileError(file, f"CMR_Index_{index}: weights named {sorted(prefixes)}")
        result[index] = index_weights
    return result["Mortality"], result["Readmission"]


# --------------------------------------------------------------------------- cross-checks


def _check_labels(
    code_labels: Mapping[str, str], unmapped: str, program: _Program, fmt: str, mapping: str
) -> None:
    used = set(code_labels.values())
    unknown = sorted(used - set(program.label_rules))
    if unknown:
        raise SourceFileError(
            fmt, f"labels {unknown} of {program.label_format} are never tested by {mapping}: "
            "their codes would set nothing"
        )
    if unmapped.strip() in program.label_rules:
        raise SourceFileError(fmt, f"the 'other' label {unmapped!r} sets flags")


def _check_codes(
    codes: Mapping[str, frozenset[str]],
    code_labels: Mapping[str, str],
    rules: Mapping[str, LabelRule],
    workbook: str,
    fmt: str,
) -> None:
    only_workbook = sorted(set(codes) - set(code_labels))
    only_format = sorted(set(code_labels) - set(codes))
    if only_workbook or only_format:
        raise SourceFileError(
            workbook, f"codes differ from {fmt}: only in the workbook {only_workbook[:10]}, "
            f"only in the format {only_format[:10]}"
        )
    for code, flags in codes.items():
        expected = rules[code_labels[code]].flags
        if flags != expected:
            raise SourceFileError(
                workbook, f"{code}: flagged {sorted(flags)} but the programs set "
                f"{sorted(expected)} (label {code_labels[code]!r})"
            )


def _check_measures(
    measures: Mapping[str, str], poa_yes: set[str], program: _Program, workbook: str,
    mapping: str,
) -> None:
    always = set().union(*(r.always for r in program.label_rules.values()))
    on_poa = set().union(*(r.if_present | r.if_absent for r in program.label_rules.values()))
    combined = {c.measure: c for c in program.combinations}
    program_poa: set[str] = set()
    for measure in measures:
        inputs = (
            {f for conj in combined[measure].any_of for f, _ in conj}
            if measure in combined
            else {measure}
        )
        if not inputs <= always | on_poa:
            raise SourceFileError(mapping, f"measure {measure} is never set by the program")
        if inputs <= on_poa - always:
            program_poa.add(measure)
    if program_poa != poa_yes:
        raise SourceFileError(
            workbook, f"POA use differs from {mapping}: workbook says {sorted(poa_yes)}, "
            f"program says {sorted(program_poa)}"
        )
    not_poa = set().union(*(r.if_absent for r in program.label_rules.values()))
    if not not_poa <= program.intermediate_flags:
        raise SourceFileError(
            mapping, f"flags {sorted(not_poa)} set for diagnoses not present on admission are "
            "not all intermediates: a measure would count a complication of care"
        )
    flags = always | on_poa
    if program.intermediate_flags & set(measures) or not (
        flags <= set(measures) | program.intermediate_flags
    ):
        raise SourceFileError(
            mapping, f"flags {sorted(flags - set(measures))} are neither measures nor dropped "
            f"intermediates {sorted(program.intermediate_flags)}"
        )
    for rule in program.hierarchies:
        if not set(rule.if_present + rule.drop) <= set(measures):
            raise SourceFileError(mapping, f"hierarchy {rule} names unknown measures")
