"""The bundled drug and neoplasm tables against the official files, release by release."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import icd10cm
from icd10cm import Part
from icd10cm.tables.rows import EMPTY_CELLS
from icd10cm_build.catalog import RELEASES
from icd10cm_build.tables import check_csv_rows, parse_csv_rows, parse_table

pytestmark = pytest.mark.slow  # exhaustive: runs in CI, not in the fast tier

KINDS = {Part.DRUG: "drug", Part.NEOPLASM: "neoplasm"}


def _official(cms_raw: Path, folder: str, kind: str) -> Path | None:
    found = [p for p in sorted((cms_raw / folder).iterdir())
             if kind in p.name.lower() and not p.name.endswith((".xsd", ".pdf", ".csv"))
             and "addenda" not in p.name.lower()]
    assert len(found) <= 1, found
    return found[0] if found else None


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _expected_parts(cms_raw: Path) -> dict[str, set[Part]]:
    return {
        spec.id: {part for part, kind in KINDS.items()
                  if spec.folder and _official(cms_raw, spec.folder, kind)}
        for spec in RELEASES
    }


def test_each_release_has_exactly_the_tables_of_its_own_folder(cms_raw: Path) -> None:
    expected = _expected_parts(cms_raw)
    for info in icd10cm.available_releases():
        assert info.parts & set(KINDS) == expected[info.id], info.id
        roles = {s.role for s in info.sources} & {"drug", "neoplasm"}
        assert roles == {KINDS[p] for p in expected[info.id]}, info.id
    having = {rid for rid, parts in expected.items() if parts}
    assert having == {"2016", "2017", "2019", "2020", "2021", "2022-04", "2023-04", "2024-04",
                      "2025", "2025-04", "2026-04"}
    assert expected["2024-04"] == {Part.DRUG}


def _raw_rows(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(depth, title text, cells) of every term, read with plain ElementTree."""
    rows = []

    def walk(element: ET.Element, depth: int) -> None:
        for child in element:
            if child.tag in ("mainTerm", "term"):
                title = child.find("title")
                assert title is not None
                cells = {c.get("col"): (c.text or "").strip() for c in child.findall("cell")}
                rows.append((depth, " ".join("".join(title.itertext()).split()),
                             tuple(cells.get(str(n), "") for n in range(2, 8))))
                walk(child, depth + 1)
            elif child.tag == "letter":
                walk(child, depth)

    walk(ET.fromstring(_read(path)), 0)
    return rows


@pytest.mark.parametrize("part", list(KINDS))
def test_rows_and_cells_equal_the_official_files(cms_raw: Path, part: Part) -> None:
    for spec in RELEASES:
        path = _official(cms_raw, spec.folder, KINDS[part]) if spec.folder else None
        if path is None:
            continue
        lookup = icd10cm.drug_rows if part is Part.DRUG else icd10cm.neoplasm_rows
        bundled = list(lookup(release=spec.id))
        raw = _raw_rows(path)
        assert len(bundled) == len(raw), spec.id
        for row, (depth, title, cells) in zip(bundled, raw, strict=True):
            assert len(row.path) == depth + 1 and row.cells == cells, (spec.id, row)
            assert row.term.replace(" ", "") == title.replace(" ", ""), (spec.id, row, title)
        print(f"{spec.id} {KINDS[part]}: {len(bundled)} rows")


@pytest.mark.parametrize("part", list(KINDS))
def test_every_code_resolves_in_the_release(cms_raw: Path, part: Part) -> None:
    """Each code of a table is a code of the release's order file, or a stem of one
    (``T39.1X1`` of ``T39.1X1A``, ``C40.2-`` of ``C40.20``). Exceptions are counted
    and printed."""
    lookup = icd10cm.drug_rows if part is Part.DRUG else icd10cm.neoplasm_rows
    total_missing = 0
    for info in icd10cm.available_releases():
        if part not in info.parts:
            continue
        release = icd10cm.load_release(info.id)
        undotted = [code.undotted for code in release]
        stems = {code[:n] for code in undotted for n in range(3, len(code) + 1)}
        checked, missing = 0, []
        for row in lookup(release=info.id):
            for cell in row.cells:
                if not cell or cell in EMPTY_CELLS:
                    continue
                checked += 1
                stem = cell.rstrip("-").rstrip(".").replace(".", "")
                if stem not in stems and stem.rstrip("X") not in stems:
                    missing.append(f"{row} = {cell}")
        print(f"{info.id} {KINDS[part]}: {checked} codes, {len(missing)} not in the order "
              f"file: {sorted(set(missing))[:10]}")
        assert checked > 0
        total_missing += len(missing)
        assert len(missing) <= checked // 100, missing[:20]
    print(f"{KINDS[part]}: {total_missing} codes not found in all")


def test_the_april_2025_csv_agrees_with_its_xml(cms_raw: Path) -> None:
    """The CSV rendition is checked, not used: every CSV row is an XML row with the same
    codes, in order; the CSV lacks some rows."""
    folder = cms_raw / "2025-04"
    xml = _official(cms_raw, "2025-04", "drug")
    assert xml is not None
    table = parse_table(ET.fromstring(_read(xml)), "drug", xml.name)
    (csv_file,) = folder.glob("*drug*.csv")
    rows = parse_csv_rows(csv_file.read_bytes(), csv_file.name)
    lacking = check_csv_rows(table, rows, csv_file.name)
    print(f"CSV: {len(rows)} rows; the XML has {len(table.rows)}; the CSV lacks {lacking}")
    assert lacking == len(table.rows) - len(rows) == 26
    assert len(list(icd10cm.drug_rows(release="2025-04"))) == len(table.rows)
