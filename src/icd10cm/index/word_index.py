"""The word index that :func:`icd10cm.search` runs on, one per release.

A release searches up to four *segments*: its Alphabetic Index, its External
Cause Index, its code titles and its inclusion terms (see
:mod:`icd10cm.index.data_format`). A document is a term (by position in index
order) or a title or inclusion term (by row of its corpus table).

An index term also *covers* the words of its ancestors: the term "Fracture,
traumatic > radius > lower end" covers *fracture*, *radius* and *lower*. A
query matches the documents that cover every query word and have at least one
of them in their own text (deeper terms only add words, so they never rank
above the term that completes the match). Documents are ranked by how few
essential words their path has (a main term's first comma part only: "Fracture,
traumatic" counts as one word), then by source (index, external cause index,
title, inclusion term), then by depth (main terms first), then by the order of
the index or tabular.
"""

from __future__ import annotations

import heapq
import threading
import weakref
from collections.abc import Iterable, Sequence

from icd10cm.core import caches
from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.index import corpus
from icd10cm.index.corpus import Corpus, ReleaseCorpus

__all__ = ["SOURCES", "Match", "SearchIndex", "Segment", "clear", "search_index"]

#: The kinds of document, in ranking order on equal coverage.
SOURCES = ("index", "eindex", "title", "inclusion_term")
_DOC_BITS = 20  # document numbers stay below 2**20
_SOURCE_BITS = 2
_LEVEL_BITS = 4  # index levels 0-9
_CACHE = 1024  # word -> documents sets kept per segment


class Segment:
    """The documents of one source in one release, with per-word caches."""

    __slots__ = ("_covers", "_owns", "codes", "release_corpus", "sizes", "source",
                 "source_release", "spans", "texts", "view")

    def __init__(self, source: str, release_corpus: ReleaseCorpus, source_release: str,
                 texts: Sequence[str] = ()) -> None:
        self.source = source
        self.source_release = source_release  # the release whose data the documents are
        self.release_corpus = release_corpus
        self.sizes = release_corpus.corpus.sizes
        self.spans = release_corpus.corpus.spans
        self.view = release_corpus.view() if self.spans is not None else None
        self.codes = release_corpus.corpus.columns["code"]  # dotted
        self.texts = texts
        self._owns: dict[str, set[int]] = {}
        self._covers: dict[str, set[int]] = {}

    def has(self, word: str) -> bool:
        return bool(self.own(word))

    def own(self, word: str) -> set[int]:
        """Documents whose own text has *word*."""
        found = self._owns.get(word)
        if found is None:
            rows = self.release_corpus.corpus.postings(word)
            position = self.release_corpus.position
            if position is None:
                found = set(self.release_corpus.members.intersection(rows))
            else:
                get = position.get
                found = {p for p in map(get, rows) if p is not None}
            if len(self._owns) >= _CACHE:
                self._owns.clear()
            self._owns[word] = found
        return found

    def cover(self, word: str) -> set[int]:
        """Documents that have *word* themselves or below an index term that has it."""
        if self.spans is None:
            return self.own(word)
        found = self._covers.get(word)
        if found is None:
            rows, spans = self.release_corpus.rows, self.spans
            found = set()
            for position in self.own(word):
                span = spans[rows[position]]
                if span == "0":
                    found.add(position)
                else:
                    found.update(range(position, position + int(span) + 1))
            if len(self._covers) >= _CACHE:
                self._covers.clear()
            self._covers[word] = found
        return found

    def size(self, document: int) -> int:
        row = self.release_corpus.rows[document] if self.spans is not None else document
        return max(int(self.sizes[row]), 1)

    def matching(self, query: Sequence[str]) -> set[int]:
        if len(query) == 1:
            return self.own(query[0])
        covers = sorted((self.cover(word) for word in query), key=len)
        if not covers[0]:
            return set()
        found = covers[0].intersection(*covers[1:])
        if found and self.spans is not None:
            own: set[int] = set()
            for word in query:
                own.update(self.own(word))
            found &= own
        return found

    def ranks(self, documents: Iterable[int], source: int) -> Iterable[int]:
        """Sort keys of *documents*: size, then source, then index level (a main term
        first), then document number."""
        tag = source << (_DOC_BITS + _LEVEL_BITS)
        shift = _DOC_BITS + _LEVEL_BITS + _SOURCE_BITS
        if self.spans is None:
            sizes = self.sizes
            return ((max(int(sizes[d]), 1) << shift) | tag | d for d in documents)
        rows, sizes = self.release_corpus.rows, self.sizes
        levels = self.release_corpus.corpus.columns["level"]
        return ((max(int(sizes[rows[d]]), 1) << shift) | tag
                | (int(levels[rows[d]]) << _DOC_BITS) | d for d in documents)


class Match:
    """The best documents for a query, how many matched in all, and which query word
    each partial match lacks."""

    __slots__ = ("documents", "missing", "total")

    def __init__(self, documents: list[tuple[Segment, int]], total: int,
                 missing: dict[tuple[int, int], str]) -> None:
        self.documents = documents
        self.total = total
        self.missing = missing  # (segment number, document) -> word


class SearchIndex:
    """The segments of one release."""

    __slots__ = ("release", "segments")

    def __init__(self, release: Release, segments: Sequence[Segment]) -> None:
        self.release = release
        self.segments = tuple(s for s in segments if len(s.release_corpus))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s.source for s in self.segments)

    def knows(self, word: str) -> bool:
        return any(segment.has(word) for segment in self.segments)

    def match(self, query: Sequence[str], limit: int) -> Match:
        """The best *limit* documents having every word of *query* (distinct stems that
        some segment has); failing any, those that have all words but one."""
        found = [(n, s, s.matching(query)) for n, s in enumerate(self.segments)]
        missing: dict[tuple[int, int], str] = {}
        if not any(documents for _, _, documents in found) and len(query) > 1:
            found = []
            for n, segment in enumerate(self.segments):
                documents = set()
                for word in query:
                    for document in segment.matching([w for w in query if w != word]):
                        missing.setdefault((n, document), word)
                        documents.add(document)
                found.append((n, segment, documents))
        total = sum(len(documents) for _, _, documents in found)
        mask = (1 << _DOC_BITS) - 1
        best: list[tuple[int, int]] = []
        for n, segment, documents in found:
            source = SOURCES.index(segment.source)
            best.extend((rank, n) for rank in heapq.nsmallest(limit, segment.ranks(documents,
                                                                                   source)))
        best.sort()
        chosen = [(self.segments[n], rank & mask) for rank, n in best[:limit]]
        return Match(chosen, total, missing)


_lock = threading.Lock()
# Per release: its search index, and its index of its own data only.
_indexes: weakref.WeakKeyDictionary[Release, dict[bool, SearchIndex]] = (
    weakref.WeakKeyDictionary())


def search_index(release: Release, *, own_data_only: bool = False) -> SearchIndex:
    """The search index of *release*, built on first use (once, thread-safe) and cached.

    It searches the release's own parts and, unless *own_data_only*, the parts it
    borrows from the nearest release that has them (:attr:`ReleaseInfo.borrowed`)."""
    built = _indexes.get(release)
    index = built.get(own_data_only) if built is not None else None
    if index is not None:
        return index
    with _lock:
        built = _indexes.setdefault(release, {})
        index = built.get(own_data_only)
        if index is None:
            index = built[own_data_only] = _build(release, own_data_only)
        return index


@caches.register
def clear() -> None:
    """Forget every search index."""
    with _lock:
        _indexes.clear()


def _source(release: Release, part: Part, own_data_only: bool) -> str | None:
    source = release.info.source_of(part)
    return None if own_data_only and source != release.id else source


def _build(release: Release, own_data_only: bool) -> SearchIndex:
    segments = []
    for part in (Part.INDEX, Part.EINDEX):
        source = _source(release, part, own_data_only)
        if source is not None:  # a release built from files borrows a bundled index
            segments.append(Segment(part.value, corpus.release_corpus(part.value, source),
                                    source))
    if release.info.bundled:
        segments.append(Segment("title", corpus.release_corpus("title", release.id),
                                release.id))
    else:
        segments += _own_texts(release)
    source = _source(release, Part.NOTES, own_data_only)
    if source is not None and (release.info.bundled or source != release.id):
        inclusion = corpus.release_corpus("inclusion_term", source)
        segments.append(Segment("inclusion_term", inclusion, source,
                                texts=inclusion.corpus.columns["text"]))
    return SearchIndex(release, segments)


def _own_texts(release: Release) -> list[Segment]:
    """The titles and inclusion terms of a release built from files, split into words
    here (the bundled corpora do not cover it)."""
    shown = [code for code in release if len(code.undotted) < 7]
    corpora = [Corpus.from_texts("title", [c.value for c in shown], [c.title for c in shown])]
    if release.has_notes:
        notes = [(code.value, note.text) for code in release
                 for note in release.notes_at(code.value) if note.kind == "inclusion_term"]
        corpora.append(Corpus.from_texts("inclusion_term", [code for code, _ in notes],
                                         [text for _, text in notes]))
    return [
        Segment(corpus.name, ReleaseCorpus(corpus, range(len(corpus.sizes))), release.id,
                texts=corpus.columns["text"])
        for corpus in corpora
    ]
