"""A damaged bundled data file must raise DataIntegrityError, never give a wrong answer.

The installed files are not touched: ``icd10cm.releases.bundle.raw`` (the one function that
reads them) is replaced by one that returns altered bytes for one file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from importlib.resources import files

import pytest

import icd10cm
from icd10cm import DataIntegrityError
from icd10cm.index.data_format import CORPORA
from icd10cm.releases import bundle as _data

DATA = files("icd10cm.data")
TABLES = ("codes.table", "structure.table", "categories.table", "notes.table")
#: The Alphabetic Index, the External Cause Index and the search corpora.
SEARCH_FILES = tuple(name for pair in CORPORA.values() for name in pair)


def original(name: str) -> bytes:
    return DATA.joinpath(name).read_bytes()


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Start and end with nothing cached, so no damaged data outlives the test."""
    icd10cm.clear_cache()
    yield
    icd10cm.clear_cache()


def serve(monkeypatch: pytest.MonkeyPatch, replacements: dict[str, bytes]) -> None:
    """Make the data reader see *replacements* instead of the installed files."""
    real: Callable[[str], bytes] = _data.raw

    def raw(name: str) -> bytes:
        return replacements[name] if name in replacements else real(name)

    monkeypatch.setattr(_data, "raw", raw)


def with_manifest_for(damaged: dict[str, bytes]) -> dict[str, bytes]:
    """*damaged* plus a manifest that vouches for it, to get past the sha256 check."""
    manifest = json.loads(original("manifest.json"))
    for name, data in damaged.items():
        manifest["files"][name] = hashlib.sha256(data).hexdigest()
    return {**damaged, "manifest.json": json.dumps(manifest).encode()}


def flip_one_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


# --- the committed files ---------------------------------------------------------------


def test_the_committed_data_files_match_the_manifest() -> None:
    manifest = json.loads(original("manifest.json"))
    listed = manifest["files"]
    # the core tables, and whatever the optional-part builders (index, tables...) wrote
    assert set(listed) >= {*TABLES, *SEARCH_FILES, "releases.json"}
    present = {p.name for p in DATA.iterdir() if p.name.endswith((".table", ".json"))}
    assert present == {*listed, "manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256(original(name)).hexdigest() == digest, name
    assert manifest["format"] == 1
    assert manifest["data_version"] == json.loads(original("releases.json"))["releases"][-1]["id"]


@pytest.mark.usefixtures("fresh_cache")
def test_the_committed_tables_decode() -> None:
    releases = [r["id"] for r in _data.read_json("releases.json")["releases"]]
    for name in TABLES:
        table = _data.read_table(name)
        assert table.name == name.removesuffix(".table")
        assert table.row_count > 0
        assert set(table.selections) <= set(releases)
    assert set(_data.read_table("codes.table").selections) == set(releases)


# --- altered or truncated bytes ------------------------------------------------------------


@pytest.mark.usefixtures("fresh_cache")
@pytest.mark.parametrize("name", [*TABLES, "releases.json"])
@pytest.mark.parametrize(
    "damage",
    [
        flip_one_byte,
        lambda d: d[: len(d) // 2],
        lambda d: d[:-1],
        lambda d: b"",
        lambda d: d + b"\0",
    ],
    ids=["one-byte-flipped", "half", "last-byte-missing", "empty", "extra-byte"],
)
def test_altered_bytes_fail_the_manifest_check(
    monkeypatch: pytest.MonkeyPatch, name: str, damage: Callable[[bytes], bytes]
) -> None:
    serve(monkeypatch, {name: damage(original(name))})
    read = _data.read_json if name.endswith(".json") else _data.read_table
    with pytest.raises(DataIntegrityError) as info:
        read(name)
    assert info.value.file == name
    assert repr(name) in str(info.value)
    assert "the manifest says" in str(info.value)
    assert "Reinstall icd10cm" in str(info.value)


@pytest.mark.usefixtures("fresh_cache")
def test_loading_a_release_from_a_tampered_table_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, {"codes.table": flip_one_byte(original("codes.table"))})
    with pytest.raises(DataIntegrityError, match=r"'codes\.table'"):
        icd10cm.load_release("2025")
    with pytest.raises(DataIntegrityError, match=r"'codes\.table'"):
        icd10cm.is_valid("E11.9", release="2025")


@pytest.mark.usefixtures("fresh_cache")
def test_a_tampered_release_index_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    data = original("releases.json").replace(b'"2025-04"', b'"2025-05"', 1)
    serve(monkeypatch, {"releases.json": data})
    with pytest.raises(DataIntegrityError, match=r"'releases\.json'"):
        icd10cm.available_releases()


@pytest.mark.usefixtures("fresh_cache")
def test_damaged_notes_are_reported_when_the_notes_are_first_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serve(monkeypatch, {"notes.table": original("notes.table")[:-100]})
    release = icd10cm.load_release("2025")  # codes load; notes are read on first use
    assert release["E11.9"].title == "Type 2 diabetes mellitus without complications"
    with pytest.raises(DataIntegrityError, match=r"'notes\.table'"):
        release.notes_at("E11")


@pytest.mark.usefixtures("fresh_cache")
def test_the_cache_does_not_keep_damaged_data(monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        serve(patch, {"codes.table": original("codes.table")[:1000]})
        with pytest.raises(DataIntegrityError):
            icd10cm.load_release("2024")
    icd10cm.clear_cache()
    assert icd10cm.load_release("2024")["E11.9"].is_billable


# --- damage the manifest cannot see ---------------------------------------------------------


@pytest.mark.usefixtures("fresh_cache")
@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("keep", [0.5, 0.999])
def test_a_table_cut_short_with_a_matching_checksum_raises(
    monkeypatch: pytest.MonkeyPatch, name: str, keep: float
) -> None:
    text = original(name)
    short = text[: int(len(text) * keep)]
    serve(monkeypatch, with_manifest_for({name: short}))
    with pytest.raises(DataIntegrityError) as info:
        _data.read_table(name)
    assert info.value.file == name
    assert repr(name) in str(info.value)


@pytest.mark.usefixtures("fresh_cache")
def test_a_table_missing_its_last_release_line_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    text = original("codes.table")
    short = text[: text[:-1].rindex(b"\n") + 1]  # still ends with a newline
    serve(monkeypatch, with_manifest_for({"codes.table": short}))
    with pytest.raises(DataIntegrityError, match="releases section is truncated"):
        icd10cm.load_release("2016")


@pytest.mark.usefixtures("fresh_cache")
def test_a_table_that_is_not_utf8_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    data = original("structure.table")
    serve(monkeypatch, with_manifest_for({"structure.table": data[:100] + b"\xff" + data[101:]}))
    with pytest.raises(DataIntegrityError, match=r"'structure\.table'.*not UTF-8"):
        _data.read_table("structure.table")


@pytest.mark.usefixtures("fresh_cache")
def test_invalid_json_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, with_manifest_for({"releases.json": original("releases.json")[:500]}))
    with pytest.raises(DataIntegrityError, match=r"'releases\.json'.*not valid JSON"):
        icd10cm.available_releases()


@pytest.mark.usefixtures("fresh_cache")
def test_a_damaged_manifest_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, {"manifest.json": original("manifest.json")[:-40]})
    with pytest.raises(DataIntegrityError, match=r"'manifest\.json'.*not valid JSON"):
        icd10cm.load_release("2025")


@pytest.mark.usefixtures("fresh_cache")
def test_a_file_the_manifest_does_not_list_is_refused() -> None:
    with pytest.raises(DataIntegrityError, match=r"'extra\.table'.*not listed"):
        _data.read_table("extra.table")


@pytest.mark.usefixtures("fresh_cache")
def test_a_missing_table_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    real: Callable[[str], bytes] = _data.raw

    def raw(name: str) -> bytes:
        return real("gone-" + name if name == "codes.table" else name)

    monkeypatch.setattr(_data, "raw", raw)
    with pytest.raises(DataIntegrityError, match=r"'gone-codes\.table'.*cannot be read"):
        icd10cm.load_release("2025")


def test_reading_a_file_that_is_not_installed_raises() -> None:
    with pytest.raises(DataIntegrityError, match=r"'no-such-file\.json'.*cannot be read"):
        _data.raw("no-such-file.json")
