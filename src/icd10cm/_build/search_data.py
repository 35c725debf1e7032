"""Write the search corpora of :mod:`icd10cm._search_data`: tables and posting lists.

Each corpus is a cross-release table (each distinct row stored once, each
release selecting its rows) and a JSON file mapping every word stem to the rows
whose own text has it, computed here with the same :func:`icd10cm._words.words`
that the run time applies to queries.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from icd10cm._search_data import CORPORA, CORPUS_COLUMNS, encode_postings, essential_title
from icd10cm._table import encode_table, merge_rows
from icd10cm._words import words

if TYPE_CHECKING:
    from icd10cm._build.assemble import ReleaseContent
    from icd10cm._build.index import IndexRow

__all__ = ["corpus_files", "inclusion_rows", "index_layout", "title_rows"]


def _digest(text: str) -> str:
    return f"{zlib.crc32(text.encode()):08x}"


def index_layout(rows: Sequence[IndexRow]) -> list[tuple[str, ...]]:
    """The rows of one index file as table rows: each term's columns plus its span
    (subterm rows below it), size (distinct essential words from the main term
    down, counting only the first comma part of the main term) and, not written
    but part of the row for :func:`merge_rows`, a path id unique within the file."""
    spans = [0] * len(rows)
    sizes: list[int] = []
    path_ids: list[str] = []
    seen: dict[str, int] = {}
    stack: list[tuple[int, set[str], str]] = []  # open ancestors: row, words, path text
    for number, row in enumerate(rows):
        while len(stack) > row.level:
            stack.pop()
        title = essential_title(row.text, row.nemod)
        # a main term's other comma parts are forms or qualifiers of its first word
        # ("Diabetes, diabetic", "Fracture, traumatic"): they match, but do not count
        own = set(words(title.split(",")[0] if row.level == 0 else title))
        above = stack[-1][1] if stack else set()
        path = (stack[-1][2] + "\x1f" if stack else "") + row.text
        for ancestor, _, _ in stack:
            spans[ancestor] += 1
        stack.append((number, above | own, path))
        sizes.append(len(above | own))
        path_id = _digest(path)
        repeat = seen[path_id] = seen.get(path_id, 0) + 1
        path_ids.append(path_id if repeat == 1 else f"{path_id}#{repeat}")
    return [
        (*row.as_tuple(), str(span), str(size), path_id)
        for row, span, size, path_id in zip(rows, spans, sizes, path_ids, strict=True)
    ]


def title_rows(content: ReleaseContent) -> list[tuple[str, ...]]:
    """(dotted code, size, title id) of each code of up to 6 characters, with its title."""
    return [
        (row.code if len(row.code) == 3 else f"{row.code[:3]}.{row.code[3:]}",
         str(len(set(words(row.title)))), _digest(row.title), row.title)
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
