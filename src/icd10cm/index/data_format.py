"""The bundled search data: file names, columns, and the word lists (posting lists).

Search runs on five *corpora*, each a bundled table whose rows are shared
across releases (each release selects its rows), with a JSON file of posting
lists beside it: every word stem -> the table rows whose own text has it
(``words``), the rows that have it only inside parentheses, as a nonessential
modifier (``modifiers``), and, in an index, the main terms that have it only in a
qualifier (``qualifiers``, see :func:`index_words`). The data build computes them
with :func:`text_words` and :func:`index_words`, so the run time never tokenizes
the data, only the query.

* ``index`` / ``eindex``: the Alphabetic Index and the External Cause Index,
  one row per term in index order (``level`` 0 for a main term), with ``span``
  (how many rows below it are its subterms), ``size`` (the essential words of
  its path from the main term that count: :func:`index_words`) and ``see_to``:
  for a term without a code, the term its *see*
  (else *see also*) reference names, as the printed texts of its path joined
  with ``" > "`` (empty when the reference names no term: "see condition", a
  table, a category). The same term under different parents is stored as
  different rows (the build tells them apart by their path), so that a release
  selects each row at most once.
* ``title``: the codes of up to 6 characters with the size of their title (a
  7-character code's title is its parent's plus its 7th character's meaning);
  ``title_id`` keeps a code's different titles apart. The text is the release's.
* ``inclusion_term`` and ``includes``: the inclusion terms and the "Includes"
  notes at codes, from the releases' own Tabular List.

A *size* counts distinct essential words (:func:`text_words`), leaving out
:data:`UNCOUNTED` words, which qualify an entry without narrowing it
("Chest pain, unspecified" has the size of "Chest pain").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import accumulate

from icd10cm.index.words import words

__all__ = [
    "CORPORA",
    "CORPUS_COLUMNS",
    "INDEX_NAMES",
    "PATH_SEPARATOR",
    "UNCOUNTED",
    "decode_postings",
    "encode_postings",
    "entry_size",
    "essential_title",
    "index_words",
    "modifiers",
    "text_words",
]

#: corpus -> (bundled table, bundled posting lists)
CORPORA = {
    "index": ("index.table", "index-words.json"),
    "eindex": ("eindex.table", "eindex-words.json"),
    "title": ("search-titles.table", "search-titles-words.json"),
    "inclusion_term": ("search-inclusion.table", "search-inclusion-words.json"),
    "includes": ("search-includes.table", "search-includes-words.json"),
}
_INDEX_COLUMNS = ("level", "text", "nemod", "code", "manif", "see", "see_also",
                  "see_category", "see_to", "span", "size")
_NOTE_COLUMNS = ("code", "text", "size")
#: corpus -> the columns of its table
CORPUS_COLUMNS = {
    "index": _INDEX_COLUMNS,
    "eindex": _INDEX_COLUMNS,
    "title": ("code", "size", "title_id"),
    "inclusion_term": _NOTE_COLUMNS,
    "includes": _NOTE_COLUMNS,
}
#: index part -> what the Guidelines call it
INDEX_NAMES = {"index": "Alphabetic Index", "eindex": "External Cause Index"}
#: joins the texts of a path in the ``see_to`` column
PATH_SEPARATOR = " > "
#: stems that do not count in an entry's size
UNCOUNTED = frozenset(words("unspecified"))
_GROUP = re.compile(r"\s*\([^()]*\)")  # a parenthesised group without groups inside


def encode_postings(rows: Sequence[int]) -> str:
    """Ascending row numbers as space-separated gaps: ``[3, 5, 9]`` -> ``"3 2 4"``."""
    previous = 0
    gaps = []
    for row in rows:
        gaps.append(str(row - previous))
        previous = row
    return " ".join(gaps)


def decode_postings(text: str) -> list[int]:
    return list(accumulate(map(int, text.split())))


def essential_title(text: str) -> str:
    """*text* without its nonessential modifiers, the words the index prints in
    parentheses (nested ones too), whether or not the XML puts them in ``<nemod>``:
    ``"and (on) chronic (congestive)"`` -> ``"and chronic"``, ``"Amnes (t)ic syndrome"``
    -> ``"Amnesic syndrome"``. A stray parenthesis is dropped; a text that is all
    modifiers is kept whole."""
    if "(" not in text and ")" not in text:
        return text
    essential = text
    while True:  # innermost groups first
        shorter = _GROUP.sub("", essential)
        if shorter == essential:
            break
        essential = shorter
    essential = " ".join(essential.replace("(", " ").replace(")", " ").split())
    return essential.replace(" ,", ",") or text


def modifiers(text: str) -> str:
    """The parenthesised groups of *text*, as printed, separated by a space:
    ``"Abasia (-astasia) (hysterical)"`` -> ``"(-astasia) (hysterical)"``."""
    groups = []
    depth = start = 0
    for at, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = at
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append(text[start:at + 1])
    return " ".join(groups)


def text_words(text: str) -> tuple[set[str], set[str]]:
    """(essential stems, stems found only in modifiers) of *text*."""
    essential = set(words(essential_title(text)))
    return essential, set(words(text)) - essential


def index_words(text: str, level: int) -> tuple[set[str], set[str]]:
    """(the stems that count in the size, the *qualifiers*) of an index term's *text*.

    A subterm's essential words all count. A main term (*level* 0) names its subject
    before its first comma, and may go on with other forms of it ("Failure, failed",
    "Bite, bitten by": the first word's stem begins with the same four letters) or with
    qualifiers ("Fracture, traumatic", "Movements, dystonic"). Only the subject counts
    in the size; a form matches a query word as the subject does; a qualifier matches
    it too, but a query word that only a qualifier has does not make the entry more
    precise (see :mod:`icd10cm.index.word_index`)."""
    essential = essential_title(text)
    if level:
        return set(words(essential)) - UNCOUNTED, set()
    first, *others = essential.split(",")
    subject = set(words(first))
    key = min(subject)[:4] if len(subject) == 1 else None
    qualifiers: set[str] = set()
    for part in others:
        found = words(part)
        if not (key is not None and found and found[0][:4] == key):
            qualifiers.update(found)
    return subject - UNCOUNTED, qualifiers - subject


def entry_size(text: str) -> int:
    """The size of a title or note: its distinct essential stems, not counting
    :data:`UNCOUNTED` ones."""
    return len(text_words(text)[0] - UNCOUNTED)
