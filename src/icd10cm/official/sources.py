"""Find and read official CMS/CDC release files in folders, zips and ``.gz`` files.

The files may come from a user (:func:`icd10cm.release_from_files`), so every read
is bounded by :class:`SourceLimits`: members are decompressed as a stream and
refused once they exceed their size limit, and zips inside zips are opened only a
few levels deep.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Protocol

import attrs

from icd10cm.errors import SourceFileError
from icd10cm.official.safe_xml import MAX_DEPTH, MAX_ELEMENTS

__all__ = ["MiB", "SourceFile", "SourceLimits", "classify", "scan_sources", "sha256"]

MiB = 1 << 20
_CHUNK = MiB  # bytes read at a time


class _Stream(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"SourceLimits.{attribute.name} must be a positive int, not "
                         f"{value!r}")


@attrs.frozen
class SourceLimits:
    """How much of a user's official files :func:`icd10cm.release_from_files` reads.

    The files are untrusted: a small zip can expand to gigabytes, and XML can nest
    without end. Each limit is several times what the largest official file needs
    (an order file of 15 MB; a tabular of 10 MB, 182,000 elements, 10 levels deep);
    a file beyond one is refused with a :class:`~icd10cm.SourceFileError` that
    names the file and the limit.

    *text_size*: the most bytes of an order, codes or other non-XML file, once
    decompressed (and of a zip inside a zip). *xml_size*: the most bytes of a
    tabular (or other XML) file, once decompressed. *xml_elements* and
    *xml_depth*: the most elements in an XML file, and how deep they may nest.
    *archive_nesting*: how many levels of zips are opened (a zip is level 1, a
    zip inside it level 2).
    """

    text_size: int = attrs.field(default=64 * MiB, validator=_positive)
    xml_size: int = attrs.field(default=128 * MiB, validator=_positive)
    xml_elements: int = attrs.field(default=MAX_ELEMENTS, validator=_positive)
    xml_depth: int = attrs.field(default=MAX_DEPTH, validator=_positive)
    archive_nesting: int = attrs.field(default=4, validator=_positive)

    def size_of(self, name: str) -> tuple[int, str]:
        """The size limit of a file, by its name, and the field that sets it."""
        if name.lower().removesuffix(".gz").endswith(".xml"):
            return self.xml_size, "xml_size"
        return self.text_size, "text_size"


@attrs.frozen
class SourceFile:
    """One official file; *read* gives its uncompressed bytes, within the limits."""

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


def _bounded(stream: _Stream, name: str, limits: SourceLimits) -> bytes:
    """All of *stream*, read a chunk at a time and refused past the limit for *name*."""
    limit, field = limits.size_of(name)
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(min(_CHUNK, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            raise SourceFileError(
                name,
                f"more than {limit:,} bytes ({limit / MiB:g} MiB) once decompressed, the "
                f"limit SourceLimits.{field}: refusing it (official files are far smaller). "
                f"If it is genuine, pass limits=icd10cm.SourceLimits({field}=...) to "
                "release_from_files",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _content(stream: IO[bytes], name: str, limits: SourceLimits) -> bytes:
    """The bytes of a file or zip member, decompressed if its name ends in ``.gz``."""
    if not name.lower().endswith(".gz"):
        return _bounded(stream, name, limits)
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as unzipped:
            return _bounded(unzipped, name, limits)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceFileError(name, f"cannot decompress: {exc} (truncated download?)") from exc


def _from_zip(archive: zipfile.ZipFile, label: str, level: int,
              limits: SourceLimits) -> Iterator[SourceFile]:
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        member = f"{label}!{info.filename}"

        def read(info: zipfile.ZipInfo = info, member: str = member) -> bytes:
            try:
                with archive.open(info) as stream:
                    return _content(stream, member, limits)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                raise SourceFileError(member, f"cannot read zip member: {exc}") from exc

        if not info.filename.lower().endswith(".zip"):
            yield SourceFile(member, classify(info.filename), read)
            continue
        if level >= limits.archive_nesting:
            raise SourceFileError(
                member,
                f"a zip inside {level} levels of zips: at most {limits.archive_nesting} "
                "levels are opened (SourceLimits.archive_nesting); extract the files",
            )
        try:
            inner = zipfile.ZipFile(io.BytesIO(read()))
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceFileError(member, f"not a readable zip archive: {exc}") from exc
        yield from _from_zip(inner, member, level + 1, limits)


def _kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a file or folder"


def _from_path(path: Path, limits: SourceLimits) -> Iterator[SourceFile]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise SourceFileError(str(path), "no such file or folder") from None
    except OSError as exc:
        raise SourceFileError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(mode):
        for child in sorted(path.rglob("*")):
            if not child.is_dir():
                yield from _from_path(child, limits)
        return
    if not stat.S_ISREG(mode):
        raise SourceFileError(str(path), f"not a regular file: it is {_kind(mode)}; give a "
                                         "file, a folder or a zip")
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceFileError(str(path), f"not a readable zip archive: {exc}") from exc
        yield from _from_zip(archive, str(path), 1, limits)
        return

    def read(path: Path = path) -> bytes:
        try:
            with path.open("rb") as stream:
                return _content(stream, str(path), limits)
        except OSError as exc:
            raise SourceFileError(str(path), f"cannot read: {exc.strerror or exc}") from exc

    yield SourceFile(str(path), classify(path.name), read)


def scan_sources(paths: Iterable[str | Path],
                 limits: SourceLimits | None = None) -> list[SourceFile]:
    """Every file in *paths* (folders are walked, zips and nested zips opened), each
    read within *limits* (default: :class:`SourceLimits`)."""
    limits = SourceLimits() if limits is None else limits
    found: list[SourceFile] = []
    for path in paths:
        found.extend(_from_path(Path(path), limits))
    return found
