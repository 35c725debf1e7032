"""Write the search corpora of :mod:`icd10cm.index.data_format`: tables and posting lists.

Each corpus is a cross-release table (each distinct row stored once, each
release selecting its rows) and a JSON file mapping every word stem to the rows
whose own text has it, computed here with the same :func:`icd10cm.index.words.words`
that the run time applies to queries.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from icd10cm.index.data_format import CORPORA, CORPUS_COLUMNS, encode_postings
from icd10cm.index.words import words
from icd10cm.releases.table_format import encode_table, merge_rows

if TYPE_CHECKING:
    from icd10cm.official.assemble import ReleaseContent

__all__ = ["corpus_files", "digest", "inclusion_rows", "title_rows"]


def digest(text: str) -> str:
    """A short stable id of *text* (its CRC-32 in hex)."""
    return f"{zlib.crc32(text.encode()):08x}"


def title_rows(content: ReleaseContent) -> list[tuple[str, ...]]:
    """(dotted code, size, title id) of each code of up to 6 characters, with its title."""
    return [
        (row.code if len(row.code) == 3 else f"{row.code[:3]}.{row.code[3:]}",
         str(len(set(words(row.title)))), digest(row.title), row.title)
        for row in content.rows
        if len(row.code) < 7
    ]


def inclusion_rows(content: ReleaseContent) -> list[tuple[str, ...]]:
    """(dotted code, text, size) of each inclusion term at a code."""
    return [
        (note.node, note.text, str(len(set(words(note.text)))))
        for note in content.notes or ()
        if note.kind == "inclusion_term" and ":" not in note.node
    ]


def corpus_files(
    corpus: str,
    per_release: Mapping[str, Sequence[tuple[str, ...]]],
    text_of: Callable[[tuple[str, ...]], str],
) -> dict[str, bytes]:
    """The table and posting lists of one corpus. *per_release* rows may carry extra
    trailing values (beyond the corpus columns) that only *text_of* reads."""
    table_name, words_name = CORPORA[corpus]
    names = CORPUS_COLUMNS[corpus]
    rows, selections = merge_rows(per_release)
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    postings: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        for word in sorted(set(words(text_of(row)))):
            postings.setdefault(word, []).append(number)
    document = {
        "format": 1,
        "rows": len(rows),
        "words": {word: encode_postings(found) for word, found in sorted(postings.items())},
    }
    return {
        table_name: encode_table(corpus, columns, selections),
        words_name: (json.dumps(document, sort_keys=True, separators=(",", ":"),
                                ensure_ascii=False) + "\n").encode(),
    }
