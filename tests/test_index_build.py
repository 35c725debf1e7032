"""The index reader and the search data build: on small inline XML, and against the
official files (the bundled data has every main term and term of each index file)."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from icd10cm.errors import SourceFileError
from icd10cm.index.data_format import decode_postings, encode_postings, essential_title
from icd10cm.index.words import query_words, stem, words
from icd10cm.official.safe_xml import parse_xml
from icd10cm.releases.table_format import decode_table
from icd10cm_build.index import IndexRow, index_layout, parse_index
from icd10cm_build.search_data import corpus_files

MINI = b"""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index>
  <version>2099</version>
  <title>ICD-10-CM INDEX TO DISEASES and INJURIES</title>
  <letter>
    <title>A</title>
    <mainTerm>
      <title>Abasia<nemod>(-astasia) (hysterical)</nemod></title>
      <code>F44.4</code>
    </mainTerm>
    <mainTerm>
      <title>Abdominalgia</title>
      <see>Pain, abdominal</see>
    </mainTerm>
    <mainTerm>
      <title>Abandonment<nemod>(with intent to injure)</nemod> NEC</title>
      <seeAlso>Maltreatment</seeAlso>
      <code>X58</code>
      <term level="1">
        <title>heart</title>
        <code>E85.4</code>
        <manif>I43</manif>
        <term level="2">
          <title>cerebral</title>
          <seecat>M01</seecat>
        </term>
      </term>
      <term level="1">
        <title>acoustic</title>
        <subcat>H93.3</subcat>
      </term>
    </mainTerm>
  </letter>
</ICD10CM.index>
"""


def _parse(data: bytes) -> tuple[IndexRow, ...]:
    return parse_index(parse_xml(data, "mini.xml"), "mini.xml")


def test_parse_index_reads_every_field() -> None:
    rows = _parse(MINI)
    assert rows == (
        IndexRow(0, "Abasia (-astasia) (hysterical)", "(-astasia) (hysterical)", "F44.4"),
        IndexRow(0, "Abdominalgia", see="Pain, abdominal"),
        IndexRow(0, "Abandonment (with intent to injure) NEC", "(with intent to injure)",
                 code="X58", see_also="Maltreatment"),
        IndexRow(1, "heart", code="E85.4", manif="I43"),
        IndexRow(2, "cerebral", see_category="M01"),
        IndexRow(1, "acoustic", see_category="H93.3"),
    )
    assert essential_title(rows[2].text, rows[2].nemod) == "Abandonment NEC"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b"<code>F44.4</code>", b"<code>F44.4</code><cell col='2'>x</cell>", "unexpected <cell>"),
        (b'<term level="2">', b'<term level="3">', "level '3' where level 2"),
        (b"<code>X58</code>", b"<code>X58</code><code>X59</code>", "repeated <code>"),
        (b"<see>Pain, abdominal</see>", b"<see>Pain, abdominal</see> stray",
         "unexpected text"),
        (b"<title>Abdominalgia</title>", b"<title>Abd<b>x</b></title>", "unexpected <b>"),
        (b"<manif>I43</manif>", b"<manif></manif>", "empty <manif>"),
        (b"<letter>", b"<letter><mainTerm><title>x</title></mainTerm><bad/>",
         "unexpected <bad>"),
    ],
)
def test_parse_index_refuses_what_it_does_not_know(old: bytes, new: bytes,
                                                    problem: str) -> None:
    assert old in MINI
    with pytest.raises(SourceFileError, match=problem):
        _parse(MINI.replace(old, new, 1))


def test_parse_index_refuses_an_empty_index() -> None:
    with pytest.raises(SourceFileError, match="no main terms"):
        _parse(b"<ICD10CM.index><version>1</version></ICD10CM.index>")
    with pytest.raises(SourceFileError, match="root element"):
        _parse(b"<ICD10CM.tabular/>")


def test_layout_spans_sizes_and_path_ids() -> None:
    rows = _parse(MINI)
    layout = index_layout(rows)
    spans = [int(row[8]) for row in layout]
    sizes = [int(row[9]) for row in layout]
    assert spans == [0, 0, 3, 1, 0, 0]
    # essential words from the main term down (modifiers and "NEC" not counted)
    assert sizes == [1, 1, 1, 2, 3, 2]
    assert len({row[10] for row in layout}) == len(layout)
    comma = index_layout((IndexRow(0, "Fracture, traumatic"), IndexRow(1, "radius")))
    assert [row[9] for row in comma] == ["1", "2"]  # a main term's first comma part counts
    twice = index_layout(rows + rows[3:4])  # the same term again under the same parent
    assert twice[-1][10] == twice[3][10] + "#2"


def test_corpus_files_are_deterministic_and_decode() -> None:
    layout = index_layout(_parse(MINI))
    per_release = {"2099": layout, "2098": layout[:2]}
    files = corpus_files("index", per_release, lambda row: row[1])
    assert files == corpus_files("index", per_release, lambda row: row[1])
    table = decode_table(files["index.table"])
    assert table.rows("2098") == [0, 1]
    assert table.rows("2099") == list(range(6))
    postings = json.loads(files["index-words.json"])
    assert postings["rows"] == 6
    assert decode_postings(postings["words"][stem("hysterical")]) == [0]  # a modifier's word
    assert decode_postings(postings["words"]["heart"]) == [3]


def test_words_fold_case_accents_and_inflections() -> None:
    assert words("Sézary's DISEASES of the lower end") == ["sezary", "diseas", "lower", "end"]
    assert stem("fractures") == stem("fractured") == stem("fracture")
    assert stem("injuries") == stem("injury")
    assert stem("vertebrae") == stem("vertebra")
    assert stem("arthritis") == "arthritis"
    assert query_words("Fractures fracture of RADIUS") == {"fractur": "fractures",
                                                           "radius": "radius"}
    assert encode_postings([3, 5, 9]) == "3 2 4"
    assert decode_postings("3 2 4") == [3, 5, 9]


def _raw_counts(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    root = ET.fromstring(data)
    return sum(1 for _ in root.iter("mainTerm")), sum(1 for _ in root.iter("term"))


@pytest.mark.slow
def test_bundled_indexes_have_every_term_of_the_official_files(cms_raw: Path) -> None:
    import icd10cm
    from icd10cm.index.corpus import IndexView, release_corpus

    checked = 0
    for info in icd10cm.available_releases():
        for source in info.sources:
            if source.role not in ("index", "eindex"):
                continue
            main_terms, terms = _raw_counts(cms_raw / source.file)
            view = IndexView(release_corpus(source.role, info.id))
            levels = [view.level(p) for p in range(len(view))]
            assert levels.count(0) == main_terms, (info.id, source.file)
            assert len(levels) - main_terms == terms, (info.id, source.file)
            checked += 1
    assert checked == 14  # 4 Alphabetic Indexes and 10 External Cause Indexes
