"""The bundled search data: file names, columns, and the word lists (posting lists).

Search runs on four *corpora*, each a bundled table whose rows are shared
across releases (each release selects its rows), with a JSON file of posting
lists beside it: every word stem -> the table rows whose own text has it. The
data build computes the posting lists with :func:`icd10cm.index.words.words`, so
the run time never tokenizes the data, only the query.

* ``index`` / ``eindex``: the Alphabetic Index and the External Cause Index,
  one row per term in index order (``level`` 0 for a main term), with ``span``
  (how many rows below it are its subterms), ``size`` (the essential words of
  its path from the main term; of the main term, only the words before its first
  comma count). The same term under different parents is stored
  as different rows (the build tells them apart by their path), so that a release
  selects each row at most once.
* ``title``: the codes of up to 6 characters with the size of their title (a
  7-character code's title is its parent's plus its 7th character's meaning);
  ``title_id`` keeps a code's different titles apart. The text is the release's.
* ``inclusion_term``: the inclusion terms at codes, from the releases' own
  Tabular List.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

__all__ = [
    "CORPORA",
    "CORPUS_COLUMNS",
    "INDEX_NAMES",
    "decode_postings",
    "encode_postings",
    "essential_title",
]

#: corpus -> (bundled table, bundled posting lists)
CORPORA = {
    "index": ("index.table", "index-words.json"),
    "eindex": ("eindex.table", "eindex-words.json"),
    "title": ("search-titles.table", "search-titles-words.json"),
    "inclusion_term": ("search-inclusion.table", "search-inclusion-words.json"),
}
_INDEX_COLUMNS = ("level", "text", "nemod", "code", "manif", "see", "see_also",
                  "see_category", "span", "size")
#: corpus -> the columns of its table
CORPUS_COLUMNS = {
    "index": _INDEX_COLUMNS,
    "eindex": _INDEX_COLUMNS,
    "title": ("code", "size", "title_id"),
    "inclusion_term": ("code", "text", "size"),
}
#: index part -> what the Guidelines call it
INDEX_NAMES = {"index": "Alphabetic Index", "eindex": "External Cause Index"}


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


def essential_title(text: str, nemod: str) -> str:
    """An index title without its nonessential modifiers."""
    return " ".join(text.replace(nemod, " ").split()) if nemod else text
