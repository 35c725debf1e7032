"""Load the bundled search corpora (see :mod:`icd10cm.index.data_format`) for a release.

A :class:`Corpus` is one corpus's table and posting lists, shared by every
release; a :class:`ReleaseCorpus` is the rows one release selects from it. Both
are read on first use, once (thread-safe), and cached until :func:`clear`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

from icd10cm.core import caches
from icd10cm.errors import DataIntegrityError
from icd10cm.index.data_format import (
    CORPORA,
    CORPUS_COLUMNS,
    PATH_SEPARATOR,
    decode_postings,
    entry_size,
    essential_title,
    text_words,
)
from icd10cm.index.words import fold_spaced
from icd10cm.releases import bundle
from icd10cm.releases.table_format import Table

__all__ = ["Corpus", "IndexView", "ReleaseCorpus", "clear", "corpus", "release_corpus"]

_POSTINGS_CACHE = 4096  # decoded posting lists kept per corpus


class Corpus:
    """A corpus: its columns (decimal ``size``, and ``span`` for an index) and its
    posting lists (see :mod:`icd10cm.index.data_format`), decoded one word at a time
    as queries need them."""

    __slots__ = ("_decoded", "_encoded", "columns", "name", "sizes", "spans")

    def __init__(self, name: str, columns: Mapping[str, Sequence[str]],
                 encoded: Mapping[str, Mapping[str, str]] | None,
                 decoded: dict[tuple[str, str], list[int]] | None = None) -> None:
        self.name = name
        self.columns = columns
        # decimal text, converted where used: converting whole columns costs more
        # than the first search may take
        self.sizes: Sequence[str] = columns["size"]
        self.spans: Sequence[str] | None = columns.get("span")
        # kind ("words", "modifiers", "qualifiers") -> word -> encoded rows; None: all
        # in *decoded*
        self._encoded = encoded
        self._decoded: dict[tuple[str, str], list[int]] = (
            decoded if decoded is not None else {})

    @classmethod
    def bundled(cls, name: str) -> Corpus:
        """A corpus of the bundled data, read and checked by :mod:`icd10cm.releases.bundle`."""
        table_name, words_name = CORPORA[name]
        table = bundle.read_table(table_name)
        missing = set(CORPUS_COLUMNS[name]) - set(table.columns)
        if missing:
            raise DataIntegrityError(table_name, f"lacks the columns {sorted(missing)}")
        document = bundle.read_json(words_name)
        if document.get("rows") != table.row_count or document.get("format") != 2:
            raise DataIntegrityError(words_name, f"does not match {table_name} (row counts) "
                                                 f"or is not in format 2")
        corpus = cls(name, table.columns, document)
        _tables[name] = table
        return corpus

    @classmethod
    def from_texts(cls, name: str, codes: Sequence[str], texts: Sequence[str]) -> Corpus:
        """A corpus built at run time (for a release built from files, which the bundled
        corpora do not cover): row *i* is ``texts[i]`` at ``codes[i]``."""
        postings: dict[tuple[str, str], list[int]] = {}
        sizes = []
        for row, text in enumerate(texts):
            essential, modifier = text_words(text)
            sizes.append(str(entry_size(text)))
            for word in essential | modifier:
                postings.setdefault(("words", word), []).append(row)
            for word in modifier:
                postings.setdefault(("modifiers", word), []).append(row)
        return cls(name, {"code": codes, "text": texts, "size": sizes}, None, postings)

    def postings(self, word: str, kind: str = "words") -> list[int]:
        """The rows whose own text has *word* (ascending); [] if none. With *kind*
        ``"modifiers"``, the rows that have it only in parentheses; ``"qualifiers"``,
        the main terms that have it only in a qualifier."""
        key = (kind, word)
        found = self._decoded.get(key)
        if found is None:
            encoded = self._encoded[kind].get(word) if self._encoded is not None else None
            if encoded is None:
                return []
            found = decode_postings(encoded)
            if len(self._decoded) >= _POSTINGS_CACHE:
                self._decoded.clear()
            self._decoded[key] = found
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

    __slots__ = ("_children", "_exact_main", "_keys", "_see", "_targets", "columns", "corpus",
                 "part", "rows", "spans")

    def __init__(self, release_corpus: ReleaseCorpus) -> None:
        self.corpus = release_corpus
        self.part = release_corpus.corpus.name
        self.rows = release_corpus.rows
        self.columns = release_corpus.corpus.columns
        spans = release_corpus.corpus.spans
        assert spans is not None
        self.spans = spans
        self._children: dict[int, list[int]] = {}
        self._keys: dict[int, dict[str, int]] = {}
        self._exact_main: dict[str, int] | None = None
        self._targets: dict[int, int] = {}
        self._see: frozenset[int] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def value(self, column: str, position: int) -> str:
        return self.columns[column][self.rows[position]]

    def title(self, position: int) -> str:
        """The term's essential title: its text without the parenthesised modifiers."""
        return essential_title(self.columns["text"][self.rows[position]])

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

    def children(self, position: int) -> list[int]:
        """Positions of the direct subterms of *position*; -1: the main terms."""
        found = self._children.get(position)
        if found is None:
            found = []
            start, stop = (position + 1, self.end(position)) if position >= 0 else (0, len(self))
            spans, rows = self.spans, self.rows
            while start < stop:
                found.append(start)
                start += 1 + int(spans[rows[start]])
            self._children[position] = found
        return found

    def child_keys(self, position: int) -> dict[str, int]:
        """The direct subterms of *position* (-1: the main terms) by the
        :func:`~icd10cm.index.words.fold_spaced` form of their printed text, of their
        essential title, and of their text without its ``<nemod>``; a printed text
        wins over the other forms, and an earlier term over a later one."""
        keys = self._keys.get(position)
        if keys is None:
            keys = {}
            children = self.children(position)
            texts, nemods, rows = self.columns["text"], self.columns["nemod"], self.rows
            for child in children:
                keys.setdefault(fold_spaced(texts[rows[child]]), child)
            for child in children:
                text, nemod = texts[rows[child]], nemods[rows[child]]
                keys.setdefault(fold_spaced(essential_title(text)), child)
                if nemod:
                    keys.setdefault(fold_spaced(text.replace(nemod, " ")), child)
            self._keys[position] = keys
        return keys

    def target(self, position: int) -> int | None:
        """The term that the term's *see* (else *see also*) reference names, if it has
        no code and the reference names a term (resolved when the data was built)."""
        found = self._targets.get(position)
        if found is None:
            found = self._targets[position] = self._find_path(self.value("see_to", position))
        return found if found >= 0 else None

    def _find_path(self, path: str) -> int:
        """The position of the term whose printed texts, joined with
        :data:`~icd10cm.index.data_format.PATH_SEPARATOR`, are *path*; -1 if none."""
        if not path:
            return -1
        texts, rows = self.columns["text"], self.rows
        if self._exact_main is None:
            mains: dict[str, int] = {}
            for main in self.children(-1):
                mains.setdefault(texts[rows[main]], main)
            self._exact_main = mains
        main_text, *steps = path.split(PATH_SEPARATOR)
        position = self._exact_main.get(main_text)
        if position is None:
            raise DataIntegrityError(CORPORA[self.part][0], f"a reference to {path!r}, which "
                                                            f"is not in the index")
        for step in steps:
            found = next((c for c in self.children(position) if texts[rows[c]] == step), None)
            if found is None:
                raise DataIntegrityError(CORPORA[self.part][0], f"a reference to {path!r}, "
                                                                f"which is not in the index")
            position = found
        return position

    def referring(self) -> frozenset[int]:
        """The positions of the terms with a target (see :meth:`target`)."""
        see = self._see
        if see is None:
            column, rows = self.columns["see_to"], self.rows
            see = self._see = frozenset(p for p in range(len(rows)) if column[rows[p]])
        return see


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
