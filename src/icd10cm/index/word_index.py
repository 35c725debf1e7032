"""The word index that :func:`icd10cm.search` runs on, one per release, and its score.

A release searches up to five *segments*: its Alphabetic Index, its External
Cause Index, its code titles, its inclusion terms and its "Includes" notes (see
:mod:`icd10cm.index.data_format`). A document is a term (by position in index
order) or a title or note (by row of its corpus table).

**Matching.** An index term also *covers* the words of its ancestors: the term
"Fracture, traumatic > radius > lower end" covers *fracture*, *radius* and
*lower*. A query matches the documents that cover every query word and have at
least one of them in their own text (deeper terms only add words, so they never
rank above the term that completes the match). An index term without a code that
refers elsewhere (*see*, or else *see also*) is followed to the term it names
(:meth:`~icd10cm.index.corpus.IndexView.target`), again from there if that term
has no code either (up to :data:`MAX_REFERENCES` references). A reference also
lets a query go on below the term it names: "broken wrist" matches "Broken >
bone", which says *see Fracture*, then "wrist" under "Fracture, traumatic"
(``S62.10-``). If no entry has every query word, the entries that have all but
one of them are the matches (*partial*); failing any, those that have all but two,
and so on up to :data:`MAX_MISSING` words.

**The score** of a hit, from 0 to 1 (:func:`score`), is the product of:

* *coverage*: the share of the query words the entry has, a word counting 1 when
  it is an essential word of the entry (or of its path, or of the term whose
  reference was followed), :data:`MODIFIER_WEIGHT` when it is only in a
  nonessential modifier (the words in parentheses), 0 when missing (a partial
  match);
* *fit*: ``(1 + precision) / 2``, where *precision* is the share of the entry's
  essential words (its *size*, :mod:`icd10cm.index.data_format`) that the query
  has, at most 1; a query word that only a main term's qualifier has
  ("traumatic" in "Fracture, traumatic") does not count;
* *quality* of what the entry gives (:data:`QUALITY`): a code to report, the
  index's code (stem or not) or a category, 1; a header (a title or note at a
  code that is not reportable), 0.9; a code that is not a code of the release
  searched, 0.8; no code (a heading, or a reference that names no term), 0.75;
* 0.95 for each reference followed (:data:`REFERENCE_FACTOR`).

Hits are ranked by score, then by source (index, External Cause Index, title,
inclusion term, "Includes" note), then main terms before subterms, then the order
of the index or the tabular. An entry reached by several ways is listed once, with
its best score. The best hits are found without scoring every match: the matches
are taken by size, from the fewest words up, while their best possible score can
still rank among the best found so far.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import combinations

from icd10cm.core.caches import HeldMemo
from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.index import corpus
from icd10cm.index.corpus import Corpus, IndexView, ReleaseCorpus
from icd10cm.releases.recheck import code_problem

__all__ = [
    "MAX_MISSING",
    "MAX_REFERENCES",
    "MODIFIER_WEIGHT",
    "QUALITY",
    "REFERENCE_FACTOR",
    "SOURCES",
    "Hit",
    "Match",
    "SearchIndex",
    "Segment",
    "score",
    "search_index",
]

#: The kinds of document, in ranking order on equal scores.
SOURCES = ("index", "eindex", "title", "inclusion_term", "includes")
#: What an entry gives -> its quality factor in the score.
QUALITY = {"code": 1.0, "header": 0.9, "problem": 0.8, "none": 0.75}
#: The score factor for each reference followed.
REFERENCE_FACTOR = 0.95
#: The most references followed from one entry.
MAX_REFERENCES = 4
#: The most query words a partial hit may lack.
MAX_MISSING = 3
_ORDER = {source: order for order, source in enumerate(SOURCES)}
#: The coverage weight of a query word that an entry has only in a nonessential modifier.
MODIFIER_WEIGHT = 0.75
_CACHE = 1024  # word -> documents sets kept per segment


def score(coverage: float, precision: float, quality: float, references: int) -> float:
    """The score of a hit from its parts (see the module documentation)."""
    return coverage * (1 + min(precision, 1.0)) / 2 * quality * REFERENCE_FACTOR ** references


class Segment:
    """The documents of one source in one release, with per-word caches."""

    __slots__ = ("_counted", "_covers", "_essential", "_only", "_owns", "_referring",
                 "_sorted", "codes",
                 "release_corpus", "sizes", "source", "source_release", "spans", "texts", "view")

    def __init__(self, source: str, release_corpus: ReleaseCorpus, source_release: str,
                 texts: Sequence[str] = ()) -> None:
        self.source = source
        self.source_release = source_release  # the release whose data the documents are
        self.release_corpus = release_corpus
        self.sizes = release_corpus.corpus.sizes
        self.spans = release_corpus.corpus.spans
        self.view: IndexView | None = release_corpus.view() if self.spans is not None else None
        self.codes = release_corpus.corpus.columns["code"]  # dotted
        self.texts = texts
        self._owns: dict[str, set[int]] = {}
        self._sorted: dict[str, list[int]] = {}
        self._only: dict[str, dict[str, set[int]]] = {}
        self._covers: dict[str, set[int]] = {}
        self._essential: dict[str, set[int]] = {}
        self._counted: dict[str, set[int]] = {}
        self._referring: dict[str, set[int]] = {}

    def _documents(self, word: str, kind: str) -> set[int]:
        rows = self.release_corpus.corpus.postings(word, kind)
        position = self.release_corpus.position
        if position is None:
            return set(self.release_corpus.members.intersection(rows))
        get = position.get
        return {p for p in map(get, rows) if p is not None}

    def has(self, word: str) -> bool:
        return bool(self.own(word))

    def own(self, word: str) -> set[int]:
        """Documents whose own text has *word*."""
        found = self._owns.get(word)
        if found is None:
            if len(self._owns) >= _CACHE:
                self._owns.clear()
            found = self._owns[word] = self._documents(word, "words")
        return found

    def own_sorted(self, word: str) -> list[int]:
        """:meth:`own`, in ascending order."""
        found = self._sorted.get(word)
        if found is None:
            if len(self._sorted) >= _CACHE:
                self._sorted.clear()
            found = self._sorted[word] = sorted(self.own(word))
        return found

    def only_as(self, word: str, kind: str) -> set[int]:
        """Documents that have *word* only as *kind*: ``"modifiers"`` (in parentheses)
        or ``"qualifiers"`` (in a main term's qualifier)."""
        cache = self._only.setdefault(kind, {})
        found = cache.get(word)
        if found is None:
            if len(cache) >= _CACHE:
                cache.clear()
            found = cache[word] = self._documents(word, kind)
        return found

    def _spread(self, owners: Iterable[int]) -> set[int]:
        """*owners* and every index term below them."""
        rows, spans = self.release_corpus.rows, self.spans
        assert spans is not None
        found: set[int] = set()
        for position in owners:
            span = spans[rows[position]]
            if span == "0":
                found.add(position)
            else:
                found.update(range(position, position + int(span) + 1))
        return found

    def cover(self, word: str) -> set[int]:
        """Documents that have *word* themselves or below an index term that has it."""
        if self.spans is None:
            return self.own(word)
        found = self._covers.get(word)
        if found is None:
            if len(self._covers) >= _CACHE:
                self._covers.clear()
            found = self._covers[word] = self._spread(self.own(word))
        return found

    def referring(self, word: str) -> set[int]:
        """The index terms in :meth:`cover` that have a reference to follow."""
        assert self.view is not None
        found = self._referring.get(word)
        if found is None:
            if len(self._referring) >= _CACHE:
                self._referring.clear()
            found = self._referring[word] = self.cover(word) & self.view.referring()
        return found

    def _narrowed(self, word: str, kind: str, cache: dict[str, set[int]]) -> set[int]:
        """:meth:`cover`, without the documents that have *word* only as *kind*
        (``"modifiers"`` or ``"qualifiers"``)."""
        left_out = self.only_as(word, kind)
        if not left_out:
            return self.cover(word)
        found = cache.get(word)
        if found is None:
            if len(cache) >= _CACHE:
                cache.clear()
            owners = self.own(word) - left_out
            found = cache[word] = owners if self.spans is None else self._spread(owners)
        return found

    def essential_cover(self, word: str) -> set[int]:
        """:meth:`cover`, counting only the documents that have *word* as an essential
        word (outside parentheses)."""
        return self._narrowed(word, "modifiers", self._essential)

    def counted_cover(self, word: str) -> set[int]:
        """:meth:`cover`, counting only the documents that have *word* other than in a
        main term's qualifier (:func:`~icd10cm.index.data_format.index_words`)."""
        if self.spans is None:
            return self.cover(word)
        return self._narrowed(word, "qualifiers", self._counted)

    def size(self, document: int) -> int:
        row = self.release_corpus.rows[document] if self.spans is not None else document
        return max(int(self.sizes[row]), 1)

    def level(self, document: int) -> int:
        return self.view.level(document) if self.view is not None else 0

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

    def weight(self, document: int, words: Iterable[str]) -> tuple[float, int]:
        """How *document* has *words*: their coverage weight (1 for each essential word,
        :data:`MODIFIER_WEIGHT` for each word only in a nonessential modifier), and
        how many of them count for its precision (not only in a qualifier)."""
        weight, counted = 0.0, 0
        for word in words:
            weight += 1.0 if document in self.essential_cover(word) else MODIFIER_WEIGHT
            counted += document in self.counted_cover(word)
        return weight, counted

    def follow(self, document: int) -> tuple[int, tuple[int, ...]]:
        """The entry *document* leads to, following references from terms without a
        code, and the terms whose references were followed."""
        view = self.view
        if view is None:
            return document, ()
        via: list[int] = []
        while len(via) < MAX_REFERENCES and not (view.value("code", document)
                                                 or view.value("see_category", document)):
            target = view.target(document)
            if target is None or target in via:
                break
            via.append(document)
            document = target
        return document, tuple(via)


class Hit:
    """One scored entry: the document reached, the references followed to it (their
    terms), and the query word it lacks (a partial match)."""

    __slots__ = ("document", "missing", "score", "segment", "via")

    def __init__(self, segment: Segment, document: int, score: float,
                 via: tuple[int, ...], missing: tuple[str, ...]) -> None:
        self.segment = segment
        self.document = document
        self.score = score
        self.via = via
        self.missing = missing

    def key(self, order: int) -> tuple[float, int, int, int]:
        return (-self.score, order, self.segment.level(self.document), self.document)


class Match:
    """The best hits for a query, and how many entries matched in all."""

    __slots__ = ("hits", "partial", "total")

    def __init__(self, hits: list[Hit], total: int, partial: bool) -> None:
        self.hits = hits
        self.total = total
        self.partial = partial


class _Ranking:
    """The best hits found so far, one per entry reached."""

    def __init__(self, index: SearchIndex, limit: int) -> None:
        self.index = index
        self.limit = limit
        self.best: dict[tuple[int, int], tuple[tuple[float, int, int, int], Hit]] = {}
        self._threshold: float | None = 0.0  # None: to work out again

    def threshold(self) -> float:
        """The score a hit must reach to be among the best *limit* so far."""
        if self._threshold is None:
            self._threshold = 0.0
            if len(self.best) >= self.limit:
                self._threshold = -heapq.nsmallest(self.limit, (key[0] for key, _ in
                                                                 self.best.values()))[-1]
        return self._threshold

    def add(self, number: int, segment: Segment, document: int, coverage: float, size: int,
            matched: int, via: tuple[int, ...], missing: tuple[str, ...]) -> None:
        final, more = segment.follow(document)
        via += more
        value = score(coverage, matched / size, self.index.quality(segment, final), len(via))
        hit = Hit(segment, final, value, via, missing)
        key = hit.key(_ORDER[segment.source])
        known = self.best.get((number, final))
        if known is None or key < known[0]:
            self.best[(number, final)] = (key, hit)
            self._threshold = None

    def hits(self) -> list[Hit]:
        return [hit for _, hit in sorted(self.best.values(), key=lambda item: item[0])
                ][:self.limit]


class SearchIndex:
    """The segments of one release."""

    __slots__ = ("_problems", "release", "segments")

    def __init__(self, release: Release, segments: Sequence[Segment]) -> None:
        self.release = release
        self.segments = tuple(s for s in segments if len(s.release_corpus))
        self._problems: dict[tuple[str, str], str | None] = {}

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s.source for s in self.segments)

    def knows(self, word: str) -> bool:
        return any(segment.has(word) for segment in self.segments)

    def problem(self, code: str, source_release: str) -> str | None:
        """:func:`~icd10cm.releases.recheck.code_problem` of a code cited by another
        release's data, worked out once per code."""
        if source_release == self.release.id:
            return None
        key = (code, source_release)
        if key not in self._problems:
            self._problems[key] = code_problem(code.rstrip("-").rstrip("."), self.release,
                                               source_release)
        return self._problems[key]

    def quality(self, segment: Segment, document: int) -> float:
        """The quality factor (:data:`QUALITY`) of what *document* gives."""
        code = segment.codes[segment.release_corpus.rows[document]
                             if segment.view is not None else document]
        if segment.view is not None and not code:
            return QUALITY["code" if segment.view.value("see_category", document) else "none"]
        index = self.release.index_of(code.rstrip("-").rstrip("."))
        if index is None:
            return QUALITY["problem"]
        if segment.view is not None or self.release.billable_flags[index]:
            return QUALITY["code"]  # the index's code, stem or not, is its answer
        return QUALITY["header"]

    def match(self, query: Sequence[str], limit: int) -> Match:
        """The best *limit* hits for *query* (distinct stems that some segment has):
        the entries that have every word, directly or through references; failing any,
        those that have all words but one; failing any, all but two, and so on up to
        :data:`MAX_MISSING` words ("congestive heart failure with atrial fibrillation",
        which no entry has but for one word)."""
        ranking = _Ranking(self, limit)
        total = self._direct(ranking, query, ())
        total += self._through_references(ranking, query)
        if total or len(query) < 2:
            return Match(ranking.hits(), total, False)
        for lacking in range(1, min(MAX_MISSING, len(query) - 1) + 1):
            for missing in combinations(query, lacking):
                total += self._direct(ranking, [w for w in query if w not in missing],
                                      missing, len(query))
            if total:
                break
        return Match(ranking.hits(), total, bool(total))

    def _direct(self, ranking: _Ranking, words: Sequence[str], missing: tuple[str, ...],
                count: int | None = None) -> int:
        """Rank the entries that have all *words* (of a query of *count* words); return
        how many there are."""
        count = count or len(words)
        buckets: list[tuple[float, int, int, list[int]]] = []
        total = 0
        for number, segment in enumerate(self.segments):
            found = segment.matching(words)
            total += len(found)
            by_size: dict[str, list[int]] = {}
            sizes = segment.sizes
            if segment.view is None:
                for document in found:
                    by_size.setdefault(sizes[document], []).append(document)
            else:
                rows = segment.release_corpus.rows
                for document in found:
                    by_size.setdefault(sizes[rows[document]], []).append(document)
            for text, documents in by_size.items():
                size = max(int(text), 1)
                bound = score(len(words) / count, len(words) / size, 1.0, 0)
                buckets.append((-bound, number, size, documents))
        buckets.sort(key=lambda bucket: bucket[:3])
        for negative_bound, number, size, documents in buckets:
            if -negative_bound < ranking.threshold():
                break
            segment = self.segments[number]
            for document in documents:
                weight, counted = segment.weight(document, words)
                ranking.add(number, segment, document, weight / count, size, counted, (),
                            missing)
        return total

    def _through_references(self, ranking: _Ranking, query: Sequence[str]) -> int:
        """Rank the entries that complete a query below the term a reference names:
        a term whose essential words the query has, but for at most one (and not all the
        query words), that refers to another term, under which a subterm has the other
        words ("broken wrist": Broken > bone, see Fracture; then Fracture, traumatic >
        wrist). Return
        how many were ranked: the referring terms are tried from the fewest words up,
        until none can rank among the best."""
        if len(query) < 2:
            return 0
        total = 0
        for number, segment in enumerate(self.segments):
            view = segment.view
            if view is None:
                continue
            found: set[int] = set()
            for word in query:
                found.update(segment.referring(word))
            covers = [(word, segment.cover(word)) for word in query]
            seen: dict[tuple[int, tuple[str, ...]], list[int]] = {}
            rows, sizes = segment.release_corpus.rows, segment.sizes
            sized = ((int(sizes[rows[term]]), term) for term in found)
            bound_size = 0
            for size, term in sorted(item for item in sized if item[0] <= len(query)):
                if size != bound_size:  # the best score a term of this size may lead to
                    if score(1.0, len(query) / (size + 1), 1.0, 1) < ranking.threshold():
                        break
                    bound_size = size
                rest = tuple(word for word, cover in covers if term not in cover)
                if not rest or len(query) - len(rest) < size - 1:
                    continue  # the query names the term, but for at most one word
                target = view.target(term)
                if target is None or view.end(target) == target + 1:
                    continue  # nothing below the target
                below = seen.get((target, rest))
                if below is None:
                    below = seen[(target, rest)] = self._below(segment, target, rest)
                total += len(below)
                have = [word for word in query if word not in rest]
                weight, counted = segment.weight(term, have)
                base = segment.size(target)
                for document in below:
                    more, more_counted = segment.weight(document, rest)
                    ranking.add(number, segment, document, (weight + more) / len(query),
                                size + max(segment.size(document) - base, 1),
                                counted + more_counted, (term,), ())
        return total

    @staticmethod
    def _below(segment: Segment, target: int, words: Sequence[str]) -> list[int]:
        """The terms below *target* that cover *words* and have one of them themselves."""
        view = segment.view
        assert view is not None
        start, stop = target + 1, view.end(target)
        found: set[int] = set()
        for word in words:
            if stop - start <= 64:
                own = segment.own(word)
                found.update(d for d in range(start, stop) if d in own)
            else:
                owners = segment.own_sorted(word)
                found.update(owners[bisect.bisect_left(owners, start):
                                    bisect.bisect_left(owners, stop)])
        return sorted(d for d in found if all(d in segment.cover(w) for w in words))


# Per release: its search index, and its index of its own data only (held by the
# release, as they refer to it).
_indexes: tuple[HeldMemo[Release, SearchIndex], HeldMemo[Release, SearchIndex]] = (
    HeldMemo(), HeldMemo())


def search_index(release: Release, *, own_data_only: bool = False) -> SearchIndex:
    """The search index of *release*, built on first use (once, thread-safe) and cached.

    It searches the release's own parts and, unless *own_data_only*, the parts it
    borrows from the nearest release that has them (:attr:`ReleaseInfo.borrowed`)."""
    return _indexes[own_data_only].made(release, partial(_build, own_data_only=own_data_only))


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
        for kind in ("inclusion_term", "includes"):
            notes = corpus.release_corpus(kind, source)
            segments.append(Segment(kind, notes, source, texts=notes.corpus.columns["text"]))
    return SearchIndex(release, segments)


def _own_texts(release: Release) -> list[Segment]:
    """The titles and notes of a release built from files, split into words here (the
    bundled corpora do not cover it)."""
    shown = [code for code in release if len(code.undotted) < 7]
    corpora = [Corpus.from_texts("title", [c.value for c in shown], [c.title for c in shown])]
    if release.has_notes:
        for kind in ("inclusion_term", "includes"):
            notes = [(code.value, note.text) for code in release
                     for note in release.notes_at(code.value) if note.kind == kind]
            corpora.append(Corpus.from_texts(kind, [code for code, _ in notes],
                                             [text for _, text in notes]))
    return [
        Segment(corpus.name, ReleaseCorpus(corpus, range(len(corpus.sizes))), release.id,
                texts=corpus.columns["text"])
        for corpus in corpora
    ]
