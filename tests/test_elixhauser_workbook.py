"""Every code of every CMR reference workbook, as a one-code patient with POA Y.

For each row of the sheet ``DX_to_Comorb_Mapping`` of each official zip, the measures of
``icd10cm.elixhauser([code], poa=["Y"])`` must be exactly the row's flags (the columns
``CBVD_POA`` and ``CBVD_SQLA`` both give CBVD: with POA Y no cerebrovascular diagnosis
arose during the stay), minus those dropped by a hierarchy documented in the user guide
("Handling of Clinically Similar Comorbidity Measures"). The sheet is read here with
the build's generic ``.xlsx`` reader, not with the CMR parser.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import icd10cm
from icd10cm.comorbidity.elixhauser import read_code
from icd10cm.comorbidity.maps import cmr_program
from icd10cm.core.text import dot
from icd10cm_build.xlsx import read_sheet

pytestmark = pytest.mark.slow  # about 13,000 patients over the releases of FY2016-FY2025

ZIPS = {"v2022.1": "CMR_v2022-1.zip", "v2023.1": "CMR_v2023-1.zip", "v2025.1": "CMR_v2025.1.zip"}
ROWS = {"v2022.1": 4319, "v2023.1": 4432, "v2025.1": 4542}

# User guide, "Handling of Clinically Similar Comorbidity Measures": "the SAS analysis
# program will only assign the input record to the more severe comorbidity measure".
GUIDE_HIERARCHIES = [
    ("DIAB_CX", {"DIAB_UNCX"}),
    ("HTN_CX", {"HTN_UNCX"}),
    ("LIVER_SEV", {"LIVER_MLD"}),
    ("RENLFL_SEV", {"RENLFL_MOD"}),
    ("CANCER_METS", {"CANCER_SOLID", "CANCER_NSITU"}),
    ("CANCER_SOLID", {"CANCER_NSITU"}),
]


def workbook_rows(path: Path) -> tuple[dict[str, set[str]], list[str]]:
    """Code -> flagged columns of ``DX_to_Comorb_Mapping``, and the rows' first cells."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".xlsx") and "Reference" in n)
        rows = read_sheet(archive.read(name), name, "DX_to_Comorb_Mapping")
    top = next(i for i, row in enumerate(rows) if row and row[0].startswith("ICD-10-CM Diag"))
    columns = rows[top]
    body = [row for row in rows[top + 1:] if any(cell.strip() for cell in row)]
    codes = {}
    for row in body:
        if row[0] == "End of Content":
            continue
        codes[row[0]] = {columns[i] for i in range(3, len(columns))
                         if i < len(row) and row[i].strip() == "1"}
    return codes, [row[0] for row in body]


def expected(flags: set[str]) -> set[str]:
    measures = {"CBVD" if flag in ("CBVD_POA", "CBVD_SQLA") else flag for flag in flags}
    for severe, milder in GUIDE_HIERARCHIES:
        if severe in measures:
            measures -= milder
    return measures


@pytest.mark.parametrize("version", list(ZIPS))
def test_every_workbook_code_flags_its_measures(ahrq_cmr: Path, version: str) -> None:
    codes, first_cells = workbook_rows(ahrq_cmr / ZIPS[version])
    assert len(codes) == ROWS[version]
    if version == "v2025.1":  # 4,543 rows below the header: the last one ends the sheet
        assert len(first_cells) == 4543 and first_cells[-1] == "End of Content"
    fiscal_year = int(version[1:5])
    # newest first: each code is tried in the newest release of FY2016-FY the version
    # covers in which it is billable (the workbook keeps codes deleted since FY2016)
    releases = [icd10cm.load_release(info.id) for info in reversed(icd10cm.available_releases())
                if info.fiscal_year <= fiscal_year]
    disagreements = []
    for code, flags in codes.items():
        release = next(r for r in releases
                       if (i := r.index_of(code)) is not None and r.billable_flags[i])
        result = icd10cm.elixhauser([dot(code)], poa=["Y"], release=release, version=version)
        if result.measures != expected(flags) or result.unmapped or result.assumed:
            disagreements.append((code, release.id, sorted(flags), sorted(result.measures)))
    assert disagreements == []


def format_values(path: Path, fmt: str) -> dict[str, str]:
    """Code -> value of one ``Value $FMT`` block of the zip's format program, read with a
    regular expression (quotes may be single or double), not with the CMR parser."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if "Format_Program" in n)
        text = archive.read(name).decode("latin-1")
    start = re.search(rf"(?i)\bvalue\s+\${fmt}\b", text)
    assert start is not None, fmt
    end = re.search(r"(?i)\bother\s*=", text[start.end():])
    assert end is not None, fmt
    values: dict[str, str] = {}
    pending: list[str] = []
    for match in re.finditer(r"""["']([^"']*)["']\s*(?:=\s*["']([^"']*)["'])?""",
                             text[start.end():start.end() + end.start()]):
        pending.append(match.group(1))
        if match.group(2) is not None:
            values.update(dict.fromkeys(pending, match.group(2)))
            pending = []
    return values


def test_a_new_code_reads_as_the_next_version_maps_it(ahrq_cmr: Path) -> None:
    # A code newer than v2023.1 takes the label and the POA exemption of the mapped code
    # above it. v2025.1, AHRQ's next version here, maps those codes itself: its $COMFMT
    # and its FY2025 exempt list ($POAXMPT_V42FMT) must say the same for every one
    # (Q23.81, Q23.82, Q23.88 under the exempt Q23.8; Z91.151, Z91.158 under Z91.15 ...).
    labels = format_values(ahrq_cmr / ZIPS["v2025.1"], "COMFMT")
    exempt = {code for code, value in format_values(ahrq_cmr / ZIPS["v2025.1"],
                                                    "POAXMPT_V42FMT").items() if value == "1"}
    release = icd10cm.load_release("2025")
    program = cmr_program("v2023.1")
    _, old_exempt = program.exempt_codes(2025)
    inherited = {}
    for index, code in enumerate(release.undotted_codes):
        if release.billable_flags[index]:
            reading = read_code(program, release, old_exempt, code)
            if reading.inherited_from is not None:
                inherited[code] = (reading.label, reading.exempt)
    assert len(inherited) >= 40 and {"Q2381", "Z91151"} <= set(inherited)
    assert inherited == {code: (labels.get(code), code in exempt) for code in inherited}
    assert inherited["Q2381"][1] and inherited["Z91151"] == ("RENLFL_SEV", True)
