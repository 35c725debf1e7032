"""Extract a tiny, deterministic copy of real official release files, for tests.

In the spirit of phonenumbers' test metadata, the unit tests run on a
miniature release rather than on the full CMS/CDC files: the rows of a few
categories, cut byte for byte out of the official files so that every quirk
of the real layout is kept.

* The **order file** keeps the rows of the chosen categories, renumbered
  ``1..N`` in columns 1-5; every other byte of a row (fixed-width columns,
  titles, CRLF) is the official one.
* The **codes file** keeps the lines of those categories.
* The **tabular XML** keeps the chapters, ``sectionRef`` entries, sections and
  category ``diag`` trees that contain those categories; every other element
  is cut out together with its line, so what is left is the official bytes
  (indentation, CRLF, notes) in the official ``chapter`` / ``sectionIndex`` /
  ``section`` / ``diag`` shape. The extraction checks that the cut tabular
  parses to exactly the chapters, blocks, codes and notes of those categories
  in the full file.

:func:`build_fixture` returns the files by relative path, with a
``MANIFEST.tsv`` in the layout of ``cms-raw`` (release, file, sha256 of the
content, bytes, source, notes). ``tools/build_fixture.py`` writes them into
``tests/fixtures/mini-cms/``.
"""

from __future__ import annotations

import gzip
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from xml.parsers import expat

import attrs

from icd10cm.errors import SourceFileError
from icd10cm.official.order_file import parse_order_file
from icd10cm.official.safe_xml import parse_xml
from icd10cm.official.sources import sha256
from icd10cm.official.tabular import Tabular, parse_tabular
from icd10cm_build.bundle import read_manifest

__all__ = [
    "FIXTURE_CATEGORIES",
    "FIXTURE_SOURCES",
    "FixtureSource",
    "build_fixture",
    "fixture_differences",
    "mini_codes_file",
    "mini_order_file",
    "mini_tabular",
    "write_fixture",
]

#: A00: chapter 1 notes of four kinds, inclusion terms. A77: a title revised in FY2025
#: (A77.41). E11: headers, 7th characters defined below the category (E11.3-) and
#: placeholder X (E11.37X1). E88: E88.82 added in FY2025; code first, code also,
#: block-level excludes. G24: includes, excludes1/2, use additional code. W08: a
#: category-level sevenChrDef with an inclusion term and triple placeholder X (W08.XXXA).
FIXTURE_CATEGORIES = ("A00", "A77", "E11", "E88", "G24", "W08")


@attrs.frozen
class FixtureSource:
    """An official file of ``cms-raw`` that the fixture keeps a miniature of."""

    release: str
    path: str  # under cms-raw, as MANIFEST.tsv lists it: RELEASE/FILE[.gz]
    kind: str  # "order", "codes" or "tabular"

    @property
    def name(self) -> str:
        """The file name the miniature gets: the official one, uncompressed."""
        return Path(self.path).name.removesuffix(".gz")


#: FY2024 has an order file only (as if no tabular were given); FY2025 has the order
#: file, the codes file and the tabular. The names are the official ones, in both the
#: dash (FY2024) and underscore (FY2025) spellings CMS used.
FIXTURE_SOURCES = (
    FixtureSource("2024", "2024/icd10cm-order-2024.txt.gz", "order"),
    FixtureSource("2025", "2025/icd10cm_order_2025.txt.gz", "order"),
    FixtureSource("2025", "2025/icd10cm_codes_2025.txt.gz", "codes"),
    FixtureSource("2025", "2025/icd-10-cm-tabular-2025.xml.gz", "tabular"),
)

_MANIFEST_HEADER = ("release", "file", "sha256", "bytes", "source", "notes")
_CRLF = b"\r\n"


# --- the three kinds of file ------------------------------------------------------


def _crlf_lines(data: bytes, file: str) -> list[bytes]:
    """The lines of an official text file, which must all end with CRLF."""
    if not data.endswith(_CRLF) or data.count(b"\n") != data.count(_CRLF):
        raise SourceFileError(file, "expected CRLF line endings on every line, as published")
    return data[: -len(_CRLF)].split(_CRLF)


def _require(categories: Collection[str], found: Collection[str], file: str) -> None:
    missing = sorted(set(categories) - set(found))
    if missing:
        raise SourceFileError(file, f"has no rows for categories {', '.join(missing)}")


def mini_order_file(data: bytes, categories: Collection[str], file: str) -> bytes:
    """The order-file rows of *categories*, renumbered ``1..N``, other bytes kept."""
    parse_order_file(data, file)  # the whole file must be a valid order file
    kept: list[bytes] = []
    found: set[str] = set()
    for line in _crlf_lines(data, file):
        category = line[6:9].decode("ascii")
        if category in categories:
            found.add(category)
            kept.append(b"%05d" % (len(kept) + 1) + line[5:])
    _require(categories, found, file)
    return _CRLF.join(kept) + _CRLF


def mini_codes_file(data: bytes, categories: Collection[str], file: str) -> bytes:
    """The codes-file lines of *categories*, unchanged."""
    kept: list[bytes] = []
    found: set[str] = set()
    for number, line in enumerate(_crlf_lines(data, file), start=1):
        code, space, title = line.partition(b" ")
        if not space or not title.strip() or not code.isalnum():
            raise SourceFileError(file, f"not a codes-file line: {line!r}", number)
        category = code[:3].decode("ascii")
        if category in categories:
            found.add(category)
            kept.append(line)
    _require(categories, found, file)
    return _CRLF.join(kept) + _CRLF


class _Element:
    """An element of the XML with its byte span; only what the cutting needs."""

    __slots__ = ("attrib", "children", "end", "start", "tag", "text")

    def __init__(self, tag: str, attrib: dict[str, str], start: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.start = start
        self.end = start
        self.children: list[_Element] = []
        self.text: list[str] = []

    def child_text(self, tag: str) -> str:
        for child in self.children:
            if child.tag == tag:
                return "".join(child.text).strip()
        return ""


def _element_tree(data: bytes, file: str) -> _Element:
    """Every element of *data* with the byte offsets of its start and end tags."""
    parser = expat.ParserCreate()
    top = _Element("", {}, 0)
    stack = [top]

    def start(tag: str, attrib: dict[str, str]) -> None:
        element = _Element(tag, attrib, parser.CurrentByteIndex)
        stack[-1].children.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        element = stack.pop()
        element.end = data.index(b">", parser.CurrentByteIndex) + 1

    def text(chunk: str) -> None:
        stack[-1].text.append(chunk)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:  # parse_xml has accepted it already: unexpected
        raise SourceFileError(file, f"malformed XML: {exc}") from None
    return top.children[0]


def _line_span(data: bytes, start: int, end: int) -> tuple[int, int]:
    """Widen ``data[start:end]`` to its whole line(s) if nothing else is on them."""
    first = start
    while first > 0 and data[first - 1] in b" \t":
        first -= 1
    last = end
    while last < len(data) and data[last] in b" \t":
        last += 1
    if first == 0 or data[first - 1] == ord("\n"):
        if data.startswith(_CRLF, last):
            return first, last + 2
        if data.startswith(b"\n", last):
            return first, last + 1
    return start, end


def _cut(data: bytes, spans: Sequence[tuple[int, int]]) -> bytes:
    pieces: list[bytes] = []
    position = 0
    for start, end in sorted(_line_span(data, start, end) for start, end in spans):
        if start < position:
            raise ValueError("overlapping spans")  # a bug of the caller
        pieces.append(data[position:start])
        position = end
    pieces.append(data[position:])
    return b"".join(pieces)


def _only(tabular: Tabular, categories: Collection[str]) -> Tabular:
    """The part of *tabular* that holds *categories*: what the miniature must parse to."""
    blocks = {c.block for c in tabular.codes if c.code in categories}
    chapters = {b.chapter for b in tabular.blocks if b.id in blocks}
    codes = tuple(c for c in tabular.codes if c.code[:3] in categories)
    nodes = (
        {f"chapter:{n}" for n in chapters}
        | {f"block:{b}" for b in blocks}
        | {c.code for c in codes}
    )
    return Tabular(
        tabular.version,
        tuple(c for c in tabular.chapters if c.number in chapters),
        tuple(b for b in tabular.blocks if b.id in blocks),
        codes,
        tuple(n for n in tabular.notes if n.node in nodes),
    )


def mini_tabular(data: bytes, categories: Collection[str], file: str) -> bytes:
    """The tabular XML cut down to the chapters, sections and ``diag`` trees of *categories*."""
    full = parse_tabular(parse_xml(data, file), file)  # refuses DTDs; checks the schema
    expected = _only(full, categories)
    _require(categories, {c.code for c in expected.codes}, file)
    blocks = {b.id for b in expected.blocks}
    chapters = {str(c.number) for c in expected.chapters}
    drop: list[tuple[int, int]] = []
    for chapter in _element_tree(data, file).children:
        if chapter.tag != "chapter":
            continue  # <version>, <introduction>
        if chapter.child_text("name") not in chapters:
            drop.append((chapter.start, chapter.end))
            continue
        for part in chapter.children:
            if part.tag == "sectionIndex":
                drop.extend(
                    (ref.start, ref.end)
                    for ref in part.children
                    if ref.attrib.get("id") not in blocks
                )
            elif part.tag == "section" and part.attrib.get("id") not in blocks:
                drop.append((part.start, part.end))
            elif part.tag == "section":
                drop.extend(
                    (diag.start, diag.end)
                    for diag in part.children
                    if diag.tag == "diag" and diag.child_text("name") not in categories
                )
    mini = _cut(data, drop)
    if parse_tabular(parse_xml(mini, file), file) != expected:
        raise RuntimeError(f"{file}: the cut tabular does not parse to the kept categories")
    return mini


# --- the whole fixture ------------------------------------------------------------


def _read(root: Path, source: FixtureSource, manifest: Mapping[str, str]) -> bytes:
    path = root / source.path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceFileError(str(path), f"cannot read it ({exc})") from exc
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise SourceFileError(str(path), f"cannot decompress: {exc}") from exc
    expected = manifest.get(str(path))
    if expected is None:
        raise SourceFileError(str(path), "not listed in MANIFEST.tsv; refusing it")
    if sha256(data) != expected:
        raise SourceFileError(str(path), f"sha256 differs from MANIFEST.tsv ({expected})")
    return data


def _describe(kind: str, data: bytes, categories: Sequence[str], file: str) -> str:
    listed = ", ".join(categories)
    if kind == "order":
        rows = parse_order_file(data, file)
        billable = sum(row.billable for row in rows)
        return (
            f"categories {listed}; {len(rows)} rows ({billable} reportable, "
            f"{len(rows) - billable} headers); order numbers renumbered 1..{len(rows)}; "
            "official fixed-width columns and CRLF"
        )
    if kind == "codes":
        return f"categories {listed}; {data.count(_CRLF)} codes; official lines and CRLF"
    tabular = parse_tabular(parse_xml(data, file), file)
    return (
        f"categories {listed}; <version>{tabular.version}</version>; chapters "
        f"{', '.join(str(c.number) for c in tabular.chapters)}; sections "
        f"{', '.join(b.id for b in tabular.blocks)}; {len(tabular.codes)} diag elements, "
        f"{len(tabular.notes)} note lines; other chapters, sections and diags cut out "
        "line by line, remaining bytes (CRLF included) official"
    )


def build_fixture(
    cms_raw: Path,
    categories: Sequence[str] = FIXTURE_CATEGORIES,
    sources: Sequence[FixtureSource] = FIXTURE_SOURCES,
) -> dict[str, bytes]:
    """The miniature release files, by path relative to the fixture folder.

    Every official file read is checked against ``cms-raw/MANIFEST.tsv``. The
    result is deterministic: the same inputs give the same bytes.
    """
    root = cms_raw.resolve()
    manifest = read_manifest(root)
    cut = {"order": mini_order_file, "codes": mini_codes_file, "tabular": mini_tabular}
    files: dict[str, bytes] = {}
    rows: list[tuple[str, ...]] = []
    for source in sorted(sources, key=lambda s: (s.release, s.path)):
        data = _read(root, source, manifest)
        mini = cut[source.kind](data, categories, source.path)
        files[f"{source.release}/{source.name}"] = mini
        rows.append((
            source.release,
            source.name,
            sha256(mini),
            str(len(mini)),
            f"cut by icd10cm_build.fixture (tools/build_fixture.py) from cms-raw "
            f"{source.path} (sha256 {sha256(data)})",
            _describe(source.kind, mini, categories, source.name),
        ))
    lines = ["\t".join(_MANIFEST_HEADER), *("\t".join(row) for row in rows)]
    files["MANIFEST.tsv"] = ("\n".join(lines) + "\n").encode("utf-8")
    return files


def fixture_differences(files: Mapping[str, bytes], folder: Path) -> list[str]:
    """Paths that differ between *files* and *folder* (missing, changed or extra)."""
    present: set[str] = set()
    if folder.is_dir():
        present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    return sorted(
        name
        for name in present | set(files)
        if name not in files
        or name not in present
        or (folder / name).read_bytes() != files[name]
    )


def write_fixture(files: Mapping[str, bytes], folder: Path) -> None:
    """Write *files* under *folder* (created if needed)."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
