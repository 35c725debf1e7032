"""``icd10cm.release_from_files``: build a release at run time from the official files.

Runs on the miniature FY2024/FY2025 files in tests/fixtures/mini-cms, packed the
way CMS publishes them (zips), extracted, or gzipped. The last tests build the
full FY2025 release from ../shared/cms-raw and compare it with the bundled one.
"""

from __future__ import annotations

import gzip
import pickle
import shutil
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import icd10cm
from icd10cm import Part, Release, SourceFileError
from icd10cm.core.notes import Note, NoteKind
from icd10cm.official.sources import sha256
from icd10cm_build.bundle import read_manifest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini-cms"
ORDER_2024 = FIXTURE / "2024" / "icd10cm-order-2024.txt"
ORDER_2025 = FIXTURE / "2025" / "icd10cm_order_2025.txt"
CODES_2025 = FIXTURE / "2025" / "icd10cm_codes_2025.txt"
TABULAR_2025 = FIXTURE / "2025" / "icd-10-cm-tabular-2025.xml"

ORDER_MEMBER = "Code Descriptions/icd10cm_order_2025.txt"
CODES_MEMBER = "Code Descriptions/icd10cm_codes_2025.txt"
TABULAR_MEMBER = "Table and Index/icd10cm_tabular_2025.xml"

Snapshot = tuple[list[tuple[str, str, str, bool]], dict[str, tuple[Note, ...]]]


def write_zip(path: Path, members: dict[str, bytes],
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def cms_zips(folder: Path, *, order: bytes | None = None, tabular: bytes | None = None,
             compression: int = zipfile.ZIP_DEFLATED) -> tuple[Path, Path]:
    """The two FY2025 zips as CMS names and lays them out, from the fixture files."""
    codes_zip = write_zip(
        folder / "2025-code-descriptions-tabular-order.zip",
        {
            ORDER_MEMBER: ORDER_2025.read_bytes() if order is None else order,
            CODES_MEMBER: CODES_2025.read_bytes(),
            "Code Descriptions/icd10OrderFiles.pdf": b"%PDF-1.4 not read",
        },
        compression,
    )
    tables_zip = write_zip(
        folder / "2025-code-tables-tabular-and-index.zip",
        {
            TABULAR_MEMBER: TABULAR_2025.read_bytes() if tabular is None else tabular,
            "Table and Index/icd10cm_tabular.xsd": b"<xs:schema/>",
        },
        compression,
    )
    return codes_zip, tables_zip


def snapshot(release: Release) -> Snapshot:
    """Everything a release says about its codes: values, titles, flags and notes."""
    codes = [(c.value, c.title, c.short_title, c.is_billable) for c in release]
    nodes = [c.value for c in release]
    nodes += [f"block:{b.id}" for b in release.blocks]
    nodes += [f"chapter:{c.number}" for c in release.chapters]
    return codes, {node: release.notes_at(node) for node in nodes if release.notes_at(node)}


def fixture_sha256(path: Path) -> str:
    return read_manifest(FIXTURE)[str(path)]


# --- a release with its tabular ------------------------------------------------------------


@pytest.fixture(scope="module")
def from_zips(tmp_path_factory: pytest.TempPathFactory) -> Release:
    return icd10cm.release_from_files(*cms_zips(tmp_path_factory.mktemp("zips")))


def test_release_id_and_dates_come_from_the_order_file_name(from_zips: Release) -> None:
    info = from_zips.info
    assert (info.id, info.fiscal_year) == ("2025", 2025)
    assert (info.effective_from, info.effective_to) == (date(2024, 10, 1), date(2025, 9, 30))
    assert info.parts == frozenset({Part.ORDER, Part.TABULAR})
    assert info.has_notes and from_zips.has_notes
    assert not info.bundled
    assert info.structure_from == "2025"
    assert any(line.startswith("Built at run time from ") for line in info.provenance)


def test_codes_titles_and_billable_flags(from_zips: Release) -> None:
    assert len(from_zips) == 171
    assert (from_zips.billable_count, from_zips.header_count) == (130, 41)
    assert [c.undotted for c in from_zips][:4] == ["A00", "A000", "A001", "A009"]
    code = from_zips["E11.9"]
    assert code.title == "Type 2 diabetes mellitus without complications"
    assert code.is_billable and not from_zips["E11"].is_billable
    assert from_zips["E1137X1"].short_title == (
        "Type 2 diab with diab mclr edema, resolved fol trtmt, r eye"
    )
    assert from_zips["A77.41"].title == "Ehrlichiosis chaffeensis [E. chaffeensis]"
    assert "E88.82" in from_zips and "W08.XXXS" in from_zips
    assert "S52.521A" not in from_zips and "E11.37X" not in from_zips
    assert [c.value for c in from_zips["W08"].children] == ["W08.XXXA", "W08.XXXD", "W08.XXXS"]


def test_structure_and_notes_come_from_the_given_tabular(from_zips: Release) -> None:
    assert [c.number for c in from_zips.chapters] == [1, 4, 6, 20]
    assert from_zips.block_of("E11.9").id == "E08-E13"
    assert from_zips.chapter_of("W08.XXXA").number == 20
    assert Note(NoteKind.INCLUDES, "diseases generally recognized as communicable or "
                "transmissible", "chapter:1", source_release="2025") in from_zips.notes_at(
        "chapter:1")
    assert [(n.character, n.text) for n in from_zips.notes_at("W08")
            if n.kind is NoteKind.SEVENTH_CHARACTER] == [
        ("A", "initial encounter"), ("D", "subsequent encounter"), ("S", "sequela"),
    ]
    assert Note(NoteKind.CODE_FIRST, "underlying condition", "E88.A",
                source_release="2025") in from_zips.notes_at("E88.A")
    with pytest.raises(KeyError, match="'S52' is not a node"):  # not in the files given
        from_zips.notes_at("S52")


def test_sources_name_the_zip_members_with_their_sha256(from_zips: Release) -> None:
    sources = {s.role: s for s in from_zips.info.sources}
    assert set(sources) == {"order", "codes", "tabular"}
    assert sources["order"].file.endswith("2025-code-descriptions-tabular-order.zip!"
                                          + ORDER_MEMBER)
    assert sources["tabular"].file.endswith("!" + TABULAR_MEMBER)
    assert sources["order"].sha256 == fixture_sha256(ORDER_2025)
    assert sources["codes"].sha256 == fixture_sha256(CODES_2025)
    assert sources["tabular"].sha256 == fixture_sha256(TABULAR_2025)


def test_the_extracted_folder_gives_the_same_release(from_zips: Release) -> None:
    release = icd10cm.release_from_files(FIXTURE / "2025")
    assert release.id == "2025"
    assert snapshot(release) == snapshot(from_zips)
    assert {s.file for s in release.info.sources} == {
        str(ORDER_2025), str(CODES_2025), str(TABULAR_2025),
    }


def test_gzipped_files_give_the_same_release(from_zips: Release, tmp_path: Path) -> None:
    paths = []
    for path in (ORDER_2025, CODES_2025, TABULAR_2025):
        target = tmp_path / (path.name + ".gz")
        target.write_bytes(gzip.compress(path.read_bytes(), mtime=0))
        paths.append(target)
    release = icd10cm.release_from_files(*paths)
    assert snapshot(release) == snapshot(from_zips)
    assert {s.sha256 for s in release.info.sources} == {
        s.sha256 for s in from_zips.info.sources
    }  # the sha256 of the content, not of the compressed bytes


def test_a_zip_inside_a_zip_is_opened(from_zips: Release, tmp_path: Path) -> None:
    codes_zip, tables_zip = cms_zips(tmp_path)
    outer = write_zip(tmp_path / "download.zip", {
        codes_zip.name: codes_zip.read_bytes(), tables_zip.name: tables_zip.read_bytes(),
    })
    assert snapshot(icd10cm.release_from_files(outer)) == snapshot(from_zips)


def test_release_id_and_effective_date_can_be_given() -> None:
    april = icd10cm.release_from_files(FIXTURE / "2025", release_id="2025-04")
    assert (april.id, april.info.fiscal_year) == ("2025-04", 2025)
    assert april.info.effective_from == date(2025, 4, 1)
    assert april.info.label == "FY2025 April 1 update"
    later = icd10cm.release_from_files(ORDER_2025, effective_from=date(2024, 11, 1))
    assert later.info.effective_from == date(2024, 11, 1)
    assert later.info.effective_to == date(2025, 9, 30)


@pytest.mark.parametrize("bad", ["FY2025", "2025-13", "25", "2025-4"])
def test_a_malformed_release_id_is_refused(bad: str) -> None:
    with pytest.raises(icd10cm.UnknownReleaseError, match=f"release: {bad!r}.*YYYY-MM"):
        icd10cm.release_from_files(ORDER_2025, release_id=bad)


def test_a_release_built_from_files_is_not_registered_or_picklable() -> None:
    release = icd10cm.release_from_files(ORDER_2025, release_id="2030")
    with pytest.raises(icd10cm.UnknownReleaseError):
        icd10cm.load_release("2030")
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(release)
    assert icd10cm.is_valid("E11.9", release=release)
    assert not icd10cm.is_valid("S52.521A", release=release)


# --- a release without a tabular ------------------------------------------------------------


def test_an_order_file_alone_gives_codes_and_the_nearest_bundled_releases_notes() -> None:
    release = icd10cm.release_from_files(FIXTURE / "2024")
    info = release.info
    assert (info.id, info.effective_from, info.effective_to) == (
        "2024", date(2023, 10, 1), date(2024, 9, 30),
    )
    assert info.parts == frozenset({Part.ORDER})
    assert not info.has_notes and not release.has_notes
    assert info.borrowed[Part.NOTES] == release.notes_from == "2023"  # no 2024 tabular
    assert len(release) == 170 and release.billable_count == 129
    assert release["A77.41"].title == "Ehrlichiosis chafeensis [E. chafeensis]"
    assert "E88.82" not in release  # added in FY2025
    for node in ("E11", "W08", "block:W00-W19", "chapter:1"):
        notes = release.notes_at(node)
        assert notes and {n.source_release for n in notes} == {"2023"}
        assert release.notes_at(node, own_data_only=True) == ()


def test_without_a_tabular_chapters_and_blocks_come_from_the_nearest_bundled_release() -> None:
    release = icd10cm.release_from_files(ORDER_2024)
    # FY2023 (2022-10-01) is 365 days before FY2024 and FY2025 (2024-10-01) 366 days after.
    assert release.info.structure_from == "2023"
    nearest = icd10cm.load_release("2023")
    assert release.chapters == nearest.chapters
    assert release.blocks == nearest.blocks
    assert release.block_of("E11.9") == nearest.block_of("E11.9")
    assert release.chapter_of("W08.XXXA").number == 20
    assert any("nearest bundled release with a tabular, 2023" in line
               for line in release.info.provenance)


def test_an_order_file_alone_borrows_another_release_of_its_year_never_its_namesake() -> None:
    """A release built from files is not the bundled release of the same id: its notes
    come from the nearest other release (the April update of its year), and say so."""
    release = icd10cm.release_from_files(ORDER_2025)
    assert release.info.structure_from == "2025"
    assert not release.has_notes and release.notes_from == "2025-04"
    assert {n.source_release for n in release.notes_at("W08")} == {"2025-04"}


# --- files that cannot be used ---------------------------------------------------------------


def test_a_missing_order_file_is_refused_naming_the_files_given() -> None:
    with pytest.raises(SourceFileError, match="no order file") as info:
        icd10cm.release_from_files(TABULAR_2025, CODES_2025, release_id="2025")
    assert str(TABULAR_2025) in str(info.value) and str(CODES_2025) in str(info.value)


def test_a_missing_order_file_without_a_release_id_is_refused() -> None:
    with pytest.raises(SourceFileError):
        icd10cm.release_from_files(TABULAR_2025)


def test_two_order_files_are_refused() -> None:
    with pytest.raises(SourceFileError, match="more than one order file") as info:
        icd10cm.release_from_files(ORDER_2024, ORDER_2025, release_id="2025")
    assert ORDER_2024.name in str(info.value) and ORDER_2025.name in str(info.value)


def test_a_path_that_does_not_exist_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "icd10cm_order_2025.txt"
    with pytest.raises(SourceFileError, match="no such file or folder") as info:
        icd10cm.release_from_files(missing)
    assert info.value.file == str(missing)


def test_no_paths_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="at least one"):
        icd10cm.release_from_files()


@pytest.mark.parametrize(
    "damage",
    [lambda d: b"PK\x03\x04" + b"\0" * 40, lambda d: d[: len(d) // 2], lambda d: b""],
    ids=["garbage", "truncated", "empty"],
)
def test_a_corrupt_zip_is_refused_naming_it(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    codes_zip, tables_zip = cms_zips(tmp_path)
    codes_zip.write_bytes(damage(codes_zip.read_bytes()))
    with pytest.raises(SourceFileError, match="not a readable zip archive") as info:
        icd10cm.release_from_files(codes_zip, tables_zip)
    assert info.value.file == str(codes_zip)


def test_a_zip_member_with_a_bad_crc_is_refused_naming_the_member(tmp_path: Path) -> None:
    codes_zip, tables_zip = cms_zips(tmp_path, compression=zipfile.ZIP_STORED)
    data = codes_zip.read_bytes()
    at = data.index(b"Cholera due to Vibrio")
    codes_zip.write_bytes(data[:at] + b"K" + data[at + 1 :])  # stored bytes: CRC now wrong
    with pytest.raises(SourceFileError, match="cannot read zip member") as info:
        icd10cm.release_from_files(codes_zip, tables_zip)
    assert info.value.file == f"{codes_zip}!{ORDER_MEMBER}"


@pytest.mark.parametrize("keep", [0.5, 0.999])
def test_a_truncated_tabular_is_refused_naming_file_and_line(tmp_path: Path, keep: float) -> None:
    data = TABULAR_2025.read_bytes()
    cut = data[: int(len(data) * keep)]
    codes_zip, tables_zip = cms_zips(tmp_path, tabular=cut)
    with pytest.raises(SourceFileError, match="truncated") as info:
        icd10cm.release_from_files(codes_zip, tables_zip)
    assert info.value.file == f"{tables_zip}!{TABULAR_MEMBER}"
    assert info.value.line == cut.count(b"\n") + 1
    assert f"{TABULAR_MEMBER}, line {info.value.line}: malformed XML" in str(info.value)


def test_a_truncated_extracted_tabular_is_refused(tmp_path: Path) -> None:
    tabular = tmp_path / "icd10cm_tabular_2025.xml"
    tabular.write_bytes(TABULAR_2025.read_bytes()[:-30])
    with pytest.raises(SourceFileError) as info:
        icd10cm.release_from_files(ORDER_2025, tabular)
    assert info.value.file == str(tabular) and info.value.line is not None


def test_a_truncated_order_file_in_a_zip_names_member_and_line(tmp_path: Path) -> None:
    codes_zip, tables_zip = cms_zips(tmp_path, order=ORDER_2025.read_bytes()[:-25])
    with pytest.raises(SourceFileError, match="truncated") as info:
        icd10cm.release_from_files(codes_zip, tables_zip)
    assert info.value.file == f"{codes_zip}!{ORDER_MEMBER}"
    assert info.value.line == 171


def test_a_truncated_gzip_file_is_refused_naming_it(tmp_path: Path) -> None:
    order = tmp_path / "icd10cm_order_2025.txt.gz"
    order.write_bytes(gzip.compress(ORDER_2025.read_bytes())[:-12])
    with pytest.raises(SourceFileError, match="cannot decompress") as info:
        icd10cm.release_from_files(order)
    assert info.value.file == str(order)


def test_a_codes_file_that_disagrees_with_the_order_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "2025"
    shutil.copytree(FIXTURE / "2025", folder)
    codes = folder / CODES_2025.name
    lines = codes.read_bytes().split(b"\r\n")
    codes.write_bytes(b"\r\n".join(lines[:5] + lines[6:]))
    with pytest.raises(SourceFileError, match="129 codes, but the order rows have 130") as info:
        icd10cm.release_from_files(folder)
    assert info.value.file == str(codes)


# --- the full FY2025 release from the official files ----------------------------------------


@pytest.fixture(scope="module")
def built_2025(cms_raw: Path) -> Release:
    return icd10cm.release_from_files(cms_raw / "2025")


@pytest.mark.slow
@pytest.mark.cms_raw
def test_the_official_2025_files_give_the_bundled_release(built_2025: Release) -> None:
    bundled = icd10cm.load_release("2025")
    assert built_2025.info.id == "2025" and not built_2025.info.bundled
    assert len(built_2025) == len(bundled) == 97584
    assert built_2025.billable_count == bundled.billable_count == 74260
    assert built_2025.header_count == bundled.header_count
    for mine, theirs in zip(built_2025, bundled, strict=True):
        assert (mine.value, mine.title, mine.short_title, mine.is_billable) == (
            theirs.value, theirs.title, theirs.short_title, theirs.is_billable,
        )


@pytest.mark.cms_raw
@pytest.mark.slow
def test_the_official_2025_files_give_the_bundled_structure(built_2025: Release) -> None:
    bundled = icd10cm.load_release("2025")
    assert built_2025.chapters == bundled.chapters
    assert built_2025.blocks == bundled.blocks
    for category in (c for c in bundled if len(c.undotted) == 3):
        assert built_2025.block_of(category.value) == category.block


@pytest.mark.cms_raw
@pytest.mark.parametrize(
    "node",
    ["chapter:1", "chapter:19", "block:E70-E88", "block:S50-S59", "E11", "E11.32", "E11.37",
     "S52", "H54", "W08", "Z3A", "A00.0", "O40"],
)
@pytest.mark.slow
def test_the_official_2025_files_give_the_bundled_notes(built_2025: Release, node: str) -> None:
    notes = built_2025.notes_at(node)
    assert notes, node
    assert notes == icd10cm.load_release("2025").notes_at(node)


@pytest.mark.cms_raw
@pytest.mark.slow
def test_the_official_2025_files_give_the_bundled_notes_everywhere(built_2025: Release) -> None:
    assert snapshot(built_2025)[1] == snapshot(icd10cm.load_release("2025"))[1]


@pytest.mark.slow
@pytest.mark.cms_raw
def test_the_official_2025_sources_match_the_manifest(built_2025: Release, cms_raw: Path) -> None:
    manifest = read_manifest(cms_raw)
    sources = {s.role: s for s in built_2025.info.sources}
    assert set(sources) == {"order", "codes", "tabular"}
    for source in sources.values():
        assert manifest[source.file] == source.sha256
    bundled = {(s.role, s.sha256) for s in icd10cm.load_release("2025").info.sources
               if s.role in sources}  # the bundled release also has its index, tables ...
    assert {(s.role, s.sha256) for s in sources.values()} == bundled
    assert sha256(b"") not in {s.sha256 for s in sources.values()}


def test_an_april_update_is_named_by_its_file(tmp_path: Path) -> None:
    april = tmp_path / "icd10cm-order-April-2025.txt"
    april.write_bytes(ORDER_2025.read_bytes())
    release = icd10cm.release_from_files(april)
    assert release.id == "2025-04"
    assert release.info.effective_from == date(2025, 4, 1)


def test_a_codes_file_that_is_not_utf8_names_the_file_and_line(tmp_path: Path) -> None:
    codes = tmp_path / "icd10cm_codes_2025.txt"
    lines = CODES_2025.read_bytes().split(b"\r\n")
    lines[2] = lines[2] + b"\xff"
    codes.write_bytes(b"\r\n".join(lines))
    with pytest.raises(icd10cm.SourceFileError) as info:
        icd10cm.release_from_files(ORDER_2025, codes)
    assert info.value.line == 3
    assert "icd10cm_codes_2025.txt" in str(info.value)

