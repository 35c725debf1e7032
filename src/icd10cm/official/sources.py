"""Find and read official CMS/CDC release files in folders, zips and ``.gz`` files."""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath

import attrs

from icd10cm.errors import SourceFileError

__all__ = ["SourceFile", "classify", "scan_sources", "sha256"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@attrs.frozen
class SourceFile:
    """One official file; *read* gives its uncompressed bytes."""

    name: str
    role: str
    read: Callable[[], bytes] = attrs.field(eq=False, repr=False)


def classify(name: str) -> str:
    """The role of an official file, from its name as CMS/CDC publish it."""
    lower = PurePosixPath(name).name.lower().removesuffix(".gz")
    suffix = PurePosixPath(lower).suffix
    if "addenda" in lower or "errata" in lower:
        for part in ("order", "codes", "tabular", "index", "drug", "neoplasm"):
            if part in lower:
                return f"{part}_addenda"
        return "addenda"
    if "poaexempt" in lower:
        return "poa_exempt"
    if "conversion" in lower:
        return "conversion"
    if suffix not in (".txt", ".xml"):
        return "other"
    for needle, role in (
        ("order", "order"),
        ("codes", "codes"),
        ("tabular", "tabular"),
        ("eindex", "eindex"),
        ("e-index", "eindex"),
        ("index", "index"),
        ("drug", "drug"),
        ("neoplasm", "neoplasm"),
    ):
        if needle in lower:
            return role
    return "other"


def _decompress(data: bytes, name: str) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise SourceFileError(name, f"cannot decompress: {exc} (truncated download?)") from exc


def _from_zip(archive: zipfile.ZipFile, label: str) -> Iterator[SourceFile]:
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        member = f"{label}!{info.filename}"
        if info.filename.lower().endswith(".zip"):
            try:
                inner = zipfile.ZipFile(io.BytesIO(archive.read(info)))
            except (zipfile.BadZipFile, OSError) as exc:
                raise SourceFileError(member, f"not a readable zip archive: {exc}") from exc
            yield from _from_zip(inner, member)
            continue

        def read(info: zipfile.ZipInfo = info, member: str = member) -> bytes:
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise SourceFileError(member, f"cannot read zip member: {exc}") from exc
            return _decompress(data, member) if member.lower().endswith(".gz") else data

        yield SourceFile(member, classify(info.filename), read)


def _from_path(path: Path) -> Iterator[SourceFile]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file():
                yield from _from_path(child)
        return
    if not path.is_file():
        raise SourceFileError(str(path), "no such file or folder")
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceFileError(str(path), f"not a readable zip archive: {exc}") from exc
        yield from _from_zip(archive, str(path))
        return

    def read(path: Path = path) -> bytes:
        data = path.read_bytes()
        return _decompress(data, str(path)) if path.suffix.lower() == ".gz" else data

    yield SourceFile(str(path), classify(path.name), read)


def scan_sources(paths: Iterable[str | Path]) -> list[SourceFile]:
    """Every file in *paths* (folders are walked, zips and nested zips opened)."""
    found: list[SourceFile] = []
    for path in paths:
        found.extend(_from_path(Path(path)))
    return found
