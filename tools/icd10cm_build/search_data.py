"""Write the search corpora of :mod:`icd10cm.index.data_format`: tables and posting lists.

Each corpus is a cross-release table (each distinct row stored once, each
release selecting its rows) and a JSON file mapping every word stem to the rows
whose own text has it (``words``), to those that have it only in parentheses
(``modifiers``) and, for an index, to the main terms that have it only in a qualifier
(``qualifiers``), computed here with :mod:`icd10cm.index.data_format`, which stems
words as the run time stems queries.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from icd10cm.index.data_format import (
    CORPORA,
    CORPUS_COLUMNS,
    encode_postings,
    entry_size,
    index_words,
    text_words,
)
from icd10cm.releases.table_format import encode_table, merge_rows

if TYPE_CHECKING:
    from icd10cm.official.assemble import ReleaseContent

__all__ = ["corpus_files", "digest", "note_rows", "title_rows"]


def digest(text: str) -> str:
    """A short stable id of *text* (its CRC-32 in hex)."""
    return f"{zlib.crc32(text.encode()):08x}"


def title_rows(content: ReleaseContent) -> list[tuple[str, ...]]:
    """(dotted code, size, title id) of each code of up to 6 characters, with its title."""
    return [
        (row.code if len(row.code) == 3 else f"{row.code[:3]}.{row.code[3:]}",
         str(entry_size(row.title)), digest(row.title), row.title)
        for row in content.rows
        if len(row.code) < 7
    ]


def note_rows(content: ReleaseContent, kind: str) -> list[tuple[str, ...]]:
    """(dotted code, text, size) of each note of *kind* (``"inclusion_term"`` or
    ``"includes"``) at a code (not at a block or chapter)."""
    return [
        (note.node, note.text, str(entry_size(note.text)))
        for note in content.notes or ()
        if note.kind == kind and ":" not in note.node
    ]


def corpus_files(
    corpus: str,
    per_release: Mapping[str, Sequence[tuple[str, ...]]],
    text_of: Callable[[tuple[str, ...]], str],
    level_of: Callable[[tuple[str, ...]], int] | None = None,
) -> dict[str, bytes]:
    """The table and posting lists of one corpus. *per_release* rows may carry extra
    trailing values (beyond the corpus columns) that only *text_of* reads. For an
    index, *level_of* gives a row's level, for the ``qualifiers`` of its main terms
    (:func:`~icd10cm.index.data_format.index_words`)."""
    table_name, words_name = CORPORA[corpus]
    names = CORPUS_COLUMNS[corpus]
    rows, selections = merge_rows(per_release)
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    kinds: dict[str, dict[str, list[int]]] = {"words": {}, "modifiers": {}, "qualifiers": {}}
    for number, row in enumerate(rows):
        text = text_of(row)
        essential, modifier = text_words(text)
        qualifier = index_words(text, level_of(row))[1] if level_of is not None else set()
        for kind, found in (("words", essential | modifier), ("modifiers", modifier),
                            ("qualifiers", qualifier)):
            for word in found:
                kinds[kind].setdefault(word, []).append(number)
    document: dict[str, object] = {"format": 2, "rows": len(rows)}
    for kind, postings in kinds.items():
        document[kind] = {word: encode_postings(found) for word, found in sorted(postings.items())}
    return {
        table_name: encode_table(corpus, columns, selections),
        words_name: (json.dumps(document, sort_keys=True, separators=(",", ":"),
                                ensure_ascii=False) + "\n").encode(),
    }
