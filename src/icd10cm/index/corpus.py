"""Load the bundled search corpora (see :mod:`icd10cm.index.data_format`) for a release.

A :class:`Corpus` is one corpus's table and posting lists, shared by every
release; a :class:`ReleaseCorpus` is the rows one release selects from it. Both
are read on first use, once (thread-safe), and cached until :func:`clear`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence

from icd10cm.core import caches
from icd10cm.errors import DataIntegrityError
from icd10cm.index.data_format import CORPORA, CORPUS_COLUMNS, decode_postings, essential_title
from icd10cm.index.words import fold_spaced, words
from icd10cm.releases import bundle
from icd10cm.releases.table_format import Table

__all__ = ["Corpus", "IndexView", "ReleaseCorpus", "clear", "corpus", "release_corpus"]

_POSTINGS_CACHE = 4096  # decoded posting lists kept per corpus


class Corpus:
    """A corpus: its columns (decimal ``size``, and ``span`` for an index) and its
    posting lists, decoded one word at a time as queries need them."""

    __slots__ = ("_decoded", "_encoded", "columns", "name", "sizes", "spans")

    def __init__(self, name: str, columns: Mapping[str, Sequence[str]],
                 encoded: Mapping[str, str] | None,
                 decoded: dict[str, list[int]] | None = None) -> None:
        self.name = name
        self.columns = columns
        # decimal text, converted where used: converting whole columns costs more
        # than the first search may take
        self.sizes: Sequence[str] = columns["size"]
        self.spans: Sequence[str] | None = columns.get("span")
        self._encoded = encoded  # None: every posting list is in *decoded*
        self._decoded: dict[str, list[int]] = decoded if decoded is not None else {}

    @classmethod
    def bundled(cls, name: str) -> Corpus:
        """A corpus of the bundled data, read and checked by :mod:`icd10cm.releases.bundle`."""
        table_name, words_name = CORPORA[name]
        table = bundle.read_table(table_name)
        missing = set(CORPUS_COLUMNS[name]) - set(table.columns)
        if missing:
            raise DataIntegrityError(table_name, f"lacks the columns {sorted(missing)}")
        document = bundle.read_json(words_name)
        if document.get("rows") != table.row_count:
            raise DataIntegrityError(words_name, f"does not match {table_name} (row counts)")
        corpus = cls(name, table.columns, document["words"])
        _tables[name] = table
        return corpus

    @classmethod
    def from_texts(cls, name: str, codes: Sequence[str], texts: Sequence[str]) -> Corpus:
        """A corpus built at run time (for a release built from files, which the bundled
        corpora do not cover): row *i* is ``texts[i]`` at ``codes[i]``."""
        postings: dict[str, list[int]] = {}
        sizes = []
        for row, text in enumerate(texts):
            own = set(words(text))
            sizes.append(str(len(own)))
            for word in own:
                postings.setdefault(word, []).append(row)
        return cls(name, {"code": codes, "text": texts, "size": sizes}, None, postings)

    def postings(self, word: str) -> list[int]:
        """The rows whose own text has *word* (ascending); [] if none."""
        found = self._decoded.get(word)
        if found is None:
            encoded = self._encoded.get(word) if self._encoded is not None else None
            if encoded is None:
                return []
            found = decode_postings(encoded)
            if len(self._decoded) >= _POSTINGS_CACHE:
                self._decoded.clear()
            self._decoded[word] = found
        return found


class ReleaseCorpus:
    """The rows of a corpus that one release has, in the release's order."""

    __slots__ = ("_view", "corpus", "members", "position", "rows")

    def __init__(self, corpus: Corpus, rows: Sequence[int]) -> None:
        self.corpus = corpus
        self.rows = rows
        self.members: frozenset[int] = frozenset()
        self.position: dict[int, int] | None = None
        self._view: IndexView | None = None
        if corpus.spans is None:
            self.members = frozenset(rows)
        else:  # an index: terms are addressed by position
            self.position = dict(zip(rows, range(len(rows)), strict=True))
            if len(self.position) != len(rows):
                raise DataIntegrityError(CORPORA[corpus.name][0], "selects a row twice")

    def __len__(self) -> int:
        return len(self.rows)

    def view(self) -> IndexView:
        """The rows as an index (for an index corpus), made once."""
        view = self._view
        if view is None:
            view = self._view = IndexView(self)
        return view


class IndexView:
    """The terms of one index of one release, addressed by position in index order."""

    __slots__ = ("_main", "_main_keys", "columns", "corpus", "part", "rows", "spans")

    def __init__(self, release_corpus: ReleaseCorpus) -> None:
        self.corpus = release_corpus
        self.part = release_corpus.corpus.name
        self.rows = release_corpus.rows
        self.columns = release_corpus.corpus.columns
        spans = release_corpus.corpus.spans
        assert spans is not None
        self.spans = spans
        self._main: list[int] | None = None
        self._main_keys: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def value(self, column: str, position: int) -> str:
        return self.columns[column][self.rows[position]]

    def title(self, position: int) -> str:
        row = self.rows[position]
        return essential_title(self.columns["text"][row], self.columns["nemod"][row])

    def level(self, position: int) -> int:
        return int(self.columns["level"][self.rows[position]])

    def end(self, position: int) -> int:
        return position + 1 + int(self.spans[self.rows[position]])

    def parent(self, position: int) -> int:
        """The position of the term's parent; -1 for a main term."""
        level = self.level(position)
        if level == 0:
            return -1
        wanted = str(level - 1)
        levels, rows = self.columns["level"], self.rows
        while position > 0:
            position -= 1
            if levels[rows[position]] == wanted:
                return position
        raise DataIntegrityError(CORPORA[self.part][0], "a subterm without a main term")

    def path(self, position: int) -> tuple[str, ...]:
        titles = []
        while position >= 0:
            titles.append(self.title(position))
            position = self.parent(position)
        return tuple(reversed(titles))

    def _walk(self, start: int, stop: int) -> Iterator[int]:
        while start < stop:
            yield start
            start = self.end(start)

    def children(self, position: int) -> list[int]:
        """Positions of the direct subterms of *position*; -1: the main terms."""
        if position >= 0:
            return list(self._walk(position + 1, self.end(position)))
        if self._main is None:
            self._main = list(self._walk(0, len(self.rows)))
        return self._main

    def main_term(self, key: str) -> int | None:
        """The position of the main term whose title or printed text has this
        :func:`~icd10cm.index.words.fold_spaced` form."""
        if self._main_keys is None:
            keys: dict[str, int] = {}
            for position in reversed(self.children(-1)):  # the first of equal titles wins
                keys[fold_spaced(self.value("text", position))] = position
                keys[fold_spaced(self.title(position))] = position
            self._main_keys = keys
        return self._main_keys.get(key)


_lock = threading.Lock()
_corpora: dict[str, Corpus] = {}
_tables: dict[str, Table] = {}  # the bundled table of each corpus read so far
_release_corpora: dict[tuple[str, str], ReleaseCorpus] = {}


def corpus(name: str) -> Corpus:
    """A bundled corpus, read once and cached."""
    found = _corpora.get(name)
    if found is None:
        with _lock:
            found = _corpora.get(name)
            if found is None:
                found = _corpora[name] = Corpus.bundled(name)
    return found


def release_corpus(name: str, release_id: str) -> ReleaseCorpus:
    """A corpus as one bundled release selects it; loaded once and cached."""
    key = (name, release_id)
    found = _release_corpora.get(key)
    if found is None:
        shared = corpus(name)
        with _lock:
            found = _release_corpora.get(key)
            if found is None:
                rows = _tables[name].rows(release_id)
                found = _release_corpora[key] = ReleaseCorpus(shared, rows or [])
    return found


@caches.register
def clear() -> None:
    """Forget every corpus read so far."""
    with _lock:
        _corpora.clear()
        _release_corpora.clear()
        _tables.clear()
