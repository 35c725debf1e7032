"""Cross-check the bundled data against the official CMS/CDC files, release by release.

The order files are read here with a few lines of independent code (not the
builder's parser), so a bug in the builder cannot hide behind itself.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

import icd10cm
from icd10cm.core.seventh import seventh_character_stems
from icd10cm.index.words import strip_accents
from icd10cm.official.assemble import ReleaseContent
from icd10cm.official.safe_xml import parse_xml
from icd10cm.official.tabular import parse_tabular
from icd10cm.releases.bundle import raw
from icd10cm_build.catalog import RELEASES
from icd10cm_build.extra_data import ExtraData
from icd10cm_build.extras import build_bundled
from icd10cm_build.writer import encode_data

pytestmark = pytest.mark.slow  # exhaustive: runs in CI, not in the fast tier

RELEASE_IDS = [info.id for info in icd10cm.available_releases()]

# Official billable counts, as published (../shared/docs/coding-rules.md).
OFFICIAL_BILLABLE = {
    "2016": 69823, "2017": 71486, "2018": 71704, "2019": 71932, "2020": 72184,
    "2021": 72616, "2021-01": 72621, "2022": 72748, "2022-04": 72750, "2023": 73639,
    "2023-04": 73674, "2024": 74044, "2025": 74260, "2026": 74719, "2027": 74879,
}


T = TypeVar("T")


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def official_rows(cms_raw: Path, file: str) -> list[tuple[str, bool, str, str]]:
    """(code, billable, short title, long title) of an order file, independently parsed."""
    rows = []
    for line in read(cms_raw / file).decode("ascii").split("\r\n"):
        if line:
            rows.append((line[6:13].strip(), line[14] == "1", line[16:76].rstrip(), line[77:]))
    return rows


def expected_rows(cms_raw: Path, release_id: str) -> list[tuple[str, bool, str, str]]:
    info = icd10cm.load_release(release_id).info
    orders = [s.file for s in info.sources if s.role == "order"]
    if release_id == "2020-04":  # FY2020 plus the three U07 rows of FY2021
        assert orders == ["2020/icd10cm_order_2020.txt.gz", "2021/icd10cm_order_2021.txt.gz"]
        u07 = [r for r in official_rows(cms_raw, orders[1]) if r[0].startswith("U07")]
        assert [r[0] for r in u07] == ["U07", "U070", "U071"]
        return official_rows(cms_raw, orders[0]) + u07
    assert len(orders) == 1, orders
    return official_rows(cms_raw, orders[0])


@pytest.fixture(scope="module")
def bundle(cms_raw: Path) -> tuple[list[ReleaseContent], list[ExtraData]]:
    return build_bundled(cms_raw)


@pytest.fixture(scope="module")
def contents(bundle: tuple[list[ReleaseContent], list[ExtraData]]) -> dict[str, ReleaseContent]:
    return {content.id: content for content in bundle[0]}


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_codes_titles_and_flags_equal_the_order_file(cms_raw: Path, release_id: str) -> None:
    release = icd10cm.load_release(release_id)
    expected = expected_rows(cms_raw, release_id)
    got = [(c.undotted, c.is_billable, c.short_title, c.title) for c in release]
    assert got == expected  # same codes, same official order, same titles and flags
    billable = sum(row[1] for row in expected)
    assert release.billable_count == billable
    assert release.header_count == len(expected) - billable
    assert len(release) == len(expected)


@pytest.mark.parametrize("release_id", sorted(OFFICIAL_BILLABLE))
def test_billable_counts_equal_the_published_counts(release_id: str) -> None:
    assert icd10cm.load_release(release_id).billable_count == OFFICIAL_BILLABLE[release_id]


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_codes_file_lists_exactly_the_billable_codes(cms_raw: Path, release_id: str) -> None:
    release = icd10cm.load_release(release_id)
    codes_files = [s.file for s in release.info.sources if s.role == "codes"]
    assert codes_files, f"{release_id} has no codes file among its sources"
    billable = [(c.undotted, c.title) for c in release.billable_codes()]
    for file in codes_files:
        listed = [
            (line[:8].strip(), line[8:].strip())
            for line in read(cms_raw / file).decode("ascii").splitlines()
        ]
        expected = billable
        if release_id == "2020-04":  # FY2020's codes file lacks the April additions
            expected = [row for row in billable if not row[0].startswith("U07")]
        assert listed == expected, file


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_source_checksums_match_the_manifest(cms_raw: Path, release_id: str) -> None:
    manifest = {}
    for line in (cms_raw / "MANIFEST.tsv").read_text().splitlines()[1:]:
        release, file, digest = line.split("\t")[:3]
        manifest[f"{release}/{file}"] = digest
    sources = icd10cm.load_release(release_id).info.sources
    assert sources
    for source in sources:
        assert manifest[source.file] == source.sha256


TABULAR_RELEASES = [i.id for i in icd10cm.available_releases() if i.has_notes]


@pytest.mark.parametrize("release_id", TABULAR_RELEASES)
def test_own_tabular_agrees_with_the_order_file(
    cms_raw: Path, contents: dict[str, ReleaseContent], release_id: str
) -> None:
    """Every tabular code is in the order file with the same title (the tabular keeps
    accents the order file drops), and every order-file code is a tabular code or a
    7th-character extension of one, padded with placeholder X."""
    release = icd10cm.load_release(release_id)
    content = contents[release_id]
    structure_codes = {
        note.node for note in content.notes or () if note.kind == "seventh_character"
    }
    order_titles = {c.value: c.title for c in release}
    diag_titles = _tabular_titles(cms_raw, content)
    accent_only = 0
    for value, title in diag_titles.items():
        assert value in order_titles, f"tabular code {value} is not in the order file"
        if order_titles[value] != title:
            assert strip_accents(title) == order_titles[value], (value, title)
            accent_only += 1
    assert accent_only < 200  # the known accent differences (Sézary, Charcôt, ...)
    seven_roots = tuple(sorted(structure_codes))
    for code in release:
        if code.value in diag_titles:
            continue
        assert len(code.undotted) == 7, f"{code.value}: neither a tabular nor a 7th-char code"
        stem = code.value[:-1].rstrip("X").rstrip(".")
        assert stem in diag_titles, f"{code.value}: stem {stem} is not a tabular code"
        assert any(stem.startswith(root) for root in seven_roots), code.value


def _tabular_titles(cms_raw: Path, content: ReleaseContent) -> dict[str, str]:
    """Code -> title of every <diag> in the release's own tabular file(s)."""

    titles: dict[str, str] = {}
    for source in content.sources:
        if source.role != "tabular":
            continue
        data = read(cms_raw / source.file)
        tabular = parse_tabular(parse_xml(data, source.file), source.file)
        added = next((s.added_chapter for s in RELEASES if s.id == content.id), None)
        is_extra = added is not None and source.file.startswith(f"{added[0]}/")
        for code in tabular.codes:
            if is_extra and not code.code.startswith("U"):
                continue
            titles.setdefault(code.code, code.title)
    return titles


@pytest.mark.parametrize("release_id", TABULAR_RELEASES)
def test_notes_are_the_release_tabulars_own(
    contents: dict[str, ReleaseContent], release_id: str
) -> None:
    release = icd10cm.load_release(release_id)
    content_notes = contents[release_id].notes or ()
    bundled = Counter(
        (n.node, str(n.kind), n.character, n.text)
        for node in {n.node for n in content_notes}
        for n in release.notes_at(node)
    )
    assert bundled == Counter((n.node, n.kind, n.key, n.text) for n in content_notes)
    assert len(content_notes) > 20000


def test_generated_data_equals_a_fresh_build(
    bundle: tuple[list[ReleaseContent], list[ExtraData]],
) -> None:
    """``tools/build_data.py --check``: the committed data is what the build gives."""
    fresh = encode_data(*bundle)
    for name, data in fresh.items():
        assert raw(name) == data, f"{name} differs from a fresh build: run tools/build_data.py"


def test_build_output_carries_no_timestamps(
    bundle: tuple[list[ReleaseContent], list[ExtraData]],
) -> None:
    # the build is deterministic: test_generated_data_equals_a_fresh_build compares this
    # run's build with the data built and committed earlier, in another process
    for name, data in encode_data(*bundle).items():
        assert not re.search(rb"20\d\d-\d\d-\d\dT\d\d:", data), name


def _sevenths_of_tabular(data: bytes) -> tuple[dict[str, set[str]], set[str]]:
    """From a Tabular List, independently of the library's reader: each code with no
    code below it whose nearest ``sevenChrDef`` at or above it defines 7th characters
    (its stem padded with placeholder X to 6 characters, undotted -> the characters),
    and every code of the tabular (undotted)."""
    import xml.etree.ElementTree as ET  # the files are official and trusted here

    stems: dict[str, set[str]] = {}
    codes: set[str] = set()

    def walk(diag: ET.Element, defined: set[str]) -> None:
        name = (diag.findtext("name") or "").strip().replace(".", "")
        codes.add(name)
        definition = diag.find("sevenChrDef")
        if definition is not None:
            defined = {str(e.get("char")) for e in definition.findall("extension")}
        below = diag.findall("diag")
        if not below and defined:
            stems[name + "X" * (6 - len(name))] = defined
        for child in below:
            walk(child, defined)

    for section in ET.fromstring(data).iter("section"):
        for diag in section.findall("diag"):
            walk(diag, set())
    return stems, codes


def _per_tabular(cms_raw: Path, reader: Callable[[bytes], T]) -> dict[str, T]:
    """*reader* applied to each Tabular List file that a bundled release names, by file."""
    found: dict[str, T] = {}
    for info in icd10cm.available_releases():
        for source in info.sources:
            if source.role == "tabular" and source.file not in found:
                found[source.file] = reader(read(cms_raw / source.file))
    return found


@pytest.fixture(scope="module")
def tabular_sevenths(cms_raw: Path) -> dict[str, tuple[dict[str, set[str]], set[str]]]:
    return _per_tabular(cms_raw, _sevenths_of_tabular)


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_seventh_characters_are_the_tabulars(
    tabular_sevenths: dict[str, tuple[dict[str, set[str]], set[str]]], release_id: str
) -> None:
    """A code of 7 characters ends in a 7th character exactly when a sevenChrDef sits
    above it (T86.8401, Z86.0100 and H54.511A are codes of the tabular in their own
    right). A release with a tabular: its stems and their characters are the tabular's,
    less what the order file does not list (S06.-X7 and S06.-X8 take only A). A
    release without one: each of its codes of 7 characters that some tabular has is
    judged as that tabular judges it."""
    release = icd10cm.load_release(release_id)
    files = [s.file for s in release.info.sources if s.role == "tabular"]
    stems = {stem: "".join(c.character for c in release[c].seventh_characters)
             for stem, c in ((s, release.code_at(i[0]).value)
                             for s, i in seventh_character_stems(release).items())}
    if files:
        expected: dict[str, str] = {}
        for file in files:
            for stem, characters in tabular_sevenths[file][0].items():
                listed = "".join(sorted(
                    c for c in characters
                    if (code := release.get(stem + c)) is not None and code.is_billable))
                if listed:
                    expected[stem] = listed
        assert {s: "".join(sorted(c)) for s, c in stems.items()} == expected
        return
    judged = 0
    for code in release.billable_codes():
        if len(code.undotted) != 7:
            continue
        for file, (tabular_stems, tabular_codes) in tabular_sevenths.items():
            if code.undotted in tabular_codes:  # a code in its own right there
                assert code.undotted[:6] not in stems, (code.value, file)
                judged += 1
                break
            if code.undotted[-1] in tabular_stems.get(code.undotted[:6], ()):
                assert code.undotted[:6] in stems, (code.value, file)
                judged += 1
                break
    assert judged > 40000  # of about 50000: all but the codes no tabular has


# --- chapters, blocks and the hierarchy, against the Tabular List read here -----------


def _tabular_outline(data: bytes) -> tuple[
        dict[int, str], dict[str, tuple[int, str]], dict[str, str], dict[str, str | None]]:
    """From a Tabular List, independently of the library's reader: chapter number ->
    title, block id -> (chapter, title), category -> block id, and every code -> the
    code of the <diag> it sits in (None for a category). A title is the chapter's or
    section's <desc> less its "(A00-B99)" range; a block's is its <sectionRef> in the
    chapter's <sectionIndex> where there is one (the two differ in case or wording for
    F70-F79, T36-T50 and Z68)."""
    import xml.etree.ElementTree as ET  # the files are official and trusted here

    code = r"[A-Z](?:\d[0-9A-Z]|[A-Z]\d)"  # A00, C7A, QA0 (not "BMI")

    def bare(text: str | None) -> str:
        return re.sub(rf"\s*\({code}(-{code})?\)$", "", " ".join((text or "").split()))

    chapters: dict[int, str] = {}
    blocks: dict[str, tuple[int, str]] = {}
    categories: dict[str, str] = {}
    parents: dict[str, str | None] = {}

    def walk(diag: ET.Element, parent: str | None) -> None:
        name = (diag.findtext("name") or "").strip()
        parents[name] = parent
        for child in diag.findall("diag"):
            walk(child, name)

    for chapter in ET.fromstring(data).iter("chapter"):
        number = int((chapter.findtext("name") or "").strip())
        chapters[number] = bare(chapter.findtext("desc"))
        refs = {ref.get("id"): bare(ref.text) for ref in chapter.findall("sectionIndex/sectionRef")}
        for section in chapter.findall("section"):
            block = str(section.get("id"))
            blocks[block] = (number, refs.get(block) or bare(section.findtext("desc")))
            for diag in section.findall("diag"):
                categories[(diag.findtext("name") or "").strip()] = block
                walk(diag, None)
    return chapters, blocks, categories, parents


@pytest.fixture(scope="module")
def tabular_outlines(cms_raw: Path) -> dict[str, tuple[
        dict[int, str], dict[str, tuple[int, str]], dict[str, str], dict[str, str | None]]]:
    return _per_tabular(cms_raw, _tabular_outline)


def _first_tabular(release_id: str) -> str:
    return next(s.file for s in icd10cm.load_release(release_id).info.sources
                if s.role == "tabular")


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_chapters_and_blocks_are_the_tabulars(
    tabular_outlines: dict[str, tuple[
        dict[int, str], dict[str, tuple[int, str]], dict[str, str], dict[str, str | None]]],
    release_id: str,
) -> None:
    """Every category's chapter and block (ids and titles) are those of the Tabular List:
    the release's own, or for a release without one, that of the release it takes its
    chapters and blocks from (ReleaseInfo.structure_from), for the categories it has."""
    release = icd10cm.load_release(release_id)
    file = _first_tabular(release.info.structure_from)
    chapters, blocks, categories, _ = tabular_outlines[file]
    compared = 0
    for category, block_id in categories.items():
        code = release.get(category)
        if code is None:  # deleted since the tabular's release
            assert release.info.structure_from != release_id, category
            continue
        chapter, block_title = blocks[block_id]
        assert (code.block.id, code.block.title, code.block.chapter) == (
            block_id, block_title, chapter), category
        assert (code.chapter.number, code.chapter.title) == (chapter, chapters[chapter])
        compared += 1
    assert compared > 1890
    if release.info.structure_from == release_id:
        assert {b.id for b in release.blocks} >= set(blocks)


#: Where the Tabular List nests a code under a code that is not its longest prefix, the
#: library's parent (the longest prefix that is a code, as in the order files) differs:
#: FY2020 to FY2023 put H54.512A ("Low vision right eye category 2") under H54.511
#: ("Low vision, right eye, category 1-2"); FY2024 made H54.512 a code of its own.
TABULAR_NESTING_DIFFERS = {"H54.512A": ("H54.51", "H54.511")}


@pytest.mark.parametrize("release_id", TABULAR_RELEASES)
def test_parents_are_the_tabulars_nesting(
    tabular_outlines: dict[str, tuple[
        dict[int, str], dict[str, tuple[int, str]], dict[str, str], dict[str, str | None]]],
    release_id: str,
) -> None:
    """Code.parent is the <diag> a code sits in, in the release's own Tabular List, for
    every code of the tabular (7th-character codes are not <diag>s: see
    test_seventh_characters_are_the_tabulars), but for TABULAR_NESTING_DIFFERS."""
    release = icd10cm.load_release(release_id)
    parents = tabular_outlines[_first_tabular(release_id)][3]
    differs = {}
    for value, parent in parents.items():
        found = release[value].parent
        if (found.value if found else None) != parent:
            differs[value] = (found.value if found else None, parent)
    assert differs == {k: v for k, v in TABULAR_NESTING_DIFFERS.items()
                       if k in parents and parents[k] == v[1]}
    assert len(parents) > 40000


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_navigation_follows_the_order_file(cms_raw: Path, release_id: str) -> None:
    """For a sample of every release's codes: parent, ancestors, children, category,
    chapter and block, worked out here from the order file alone (a code's parent is the
    longest of its prefixes that the file lists; its children are the codes whose parent
    it is, in the file's order)."""
    release = icd10cm.load_release(release_id)
    order = [row[0] for row in expected_rows(cms_raw, release_id)]
    listed = set(order)
    # categories no tabular has, placed by the order file (the release's provenance says
    # which): the borrowed chapter's range does not reach FY2027's QA1
    placed = {note.split()[1] for note in release.info.provenance
              if note.startswith("category ") and "is in no tabular" in note}

    def parent(code: str) -> str | None:
        return next((code[:n] for n in range(len(code) - 1, 2, -1) if code[:n] in listed),
                    None)

    children: dict[str, list[str]] = {}
    for code in order:
        above = parent(code)
        if above is not None:
            children.setdefault(above, []).append(code)
    for code in order[::7]:
        item = release[code]
        chain = [code]
        while (above := parent(chain[-1])) is not None:
            chain.append(above)
        assert [c.undotted for c in item.ancestors] == chain[:0:-1], code
        assert (item.parent.undotted if item.parent else None) == parent(code), code
        assert [c.undotted for c in item.children] == children.get(code, []), code
        assert item.category.undotted == chain[-1] == code[:3], code
        assert item.block is item.category.block and item.chapter == item.category.chapter
        # (a block's range need not hold its categories: C4A is in block C43-C44)
        if code[:3] not in placed:
            assert item.chapter.first <= code[:3] <= item.chapter.last, code
