"""Find codes from words: the Alphabetic Index, the External Cause Index, titles and
inclusion terms of a release (Guidelines I.B.1: look the term up in the Index, then
verify the code in the Tabular List)."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import overload

import attrs

from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.errors import SearchQueryError, quote
from icd10cm.index.entry_text import entry_text
from icd10cm.index.terms import nearest_with, needs_more
from icd10cm.index.word_index import Segment, search_index
from icd10cm.index.words import query_words
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["SearchHit", "SearchResult", "SearchSource", "search"]


class SearchSource(str, enum.Enum):
    """Where a hit comes from."""

    INDEX = "index"  # the Alphabetic Index of diseases and injuries
    EXTERNAL_CAUSE_INDEX = "eindex"  # the External Cause Index
    TITLE = "title"  # a code's title in the order file
    INCLUSION_TERM = "inclusion_term"  # an inclusion term under a code in the Tabular List

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class SearchHit:
    """One entry that matches a search.

    *text* is what matched: an index term's path from its main term down
    (``"Fracture, traumatic > radius > lower end"``), a code title, or an inclusion
    term. *code* is the code as the entry cites it; the index's trailing dash
    (``"S52.50-"``) marks a stem that needs more characters, and so does
    *needs_more_characters* for any code that is not reportable as it stands in
    the release (complete it with :func:`icd10cm.add_seventh_character` or pick a
    code below it). An index term may instead refer elsewhere: *see*, *see_also*,
    or *see_category* (a category or subcategory to look under). *manifestation*
    is the code the index prints in brackets, to be sequenced after *code*
    (Guidelines I.A.13). *score* is the share of the entry's words that the query
    matched (1.0: every word). *missing_words* are query words the entry lacks
    (only when no entry has them all).
    """

    text: str
    code: str | None
    source: SearchSource
    needs_more_characters: bool = False
    see: str | None = None
    see_also: str | None = None
    see_category: str | None = None
    manifestation: str | None = None
    path: tuple[str, ...] = ()
    score: float = 1.0
    missing_words: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = entry_text(self.text, self.code, self.manifestation, self.see, self.see_also,
                          self.see_category)
        return f"{text}  ({self.source})"


@attrs.frozen
class SearchResult:
    """The ranked hits of a search, and what was searched.

    *sources_used* lists what the release could answer from; a release without
    an Alphabetic Index of its own answers from titles and inclusion terms, and
    *note* then says so and names the nearest releases that have one.
    *unknown_words* are query words that no entry of the release has (they were
    left out of the match); *partial* means no entry has all the other words, and
    the hits lack one of them. *total* counts every matching entry, of which
    *hits* are the best *limit*.
    """

    query: str
    release: str
    hits: tuple[SearchHit, ...]
    total: int
    sources_used: tuple[SearchSource, ...]
    words: tuple[str, ...] = ()  # the query's words, case-folded, linking words left out
    unknown_words: tuple[str, ...] = ()
    partial: bool = False
    note: str = ""

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    @overload
    def __getitem__(self, position: int) -> SearchHit: ...

    @overload
    def __getitem__(self, position: slice) -> tuple[SearchHit, ...]: ...

    def __getitem__(self, position: int | slice) -> SearchHit | tuple[SearchHit, ...]:
        return self.hits[position]


def _hit(release: Release, segment: Segment, document: int, score: float,
         missing: str | None) -> SearchHit:
    source = SearchSource(segment.source)
    missing_words = (missing,) if missing else ()
    view = segment.view
    if view is None:
        code = segment.codes[document]
        # a bundled title has no text in its corpus: the release's own is shown
        text = segment.texts[document] if segment.texts else release[code].title
        return SearchHit(text, code, source, needs_more(release, code), path=(text,),
                         score=score, missing_words=missing_words)
    path = view.path(document)
    cited = view.value("code", document) or None
    return SearchHit(
        " > ".join(path),
        cited,
        source,
        needs_more_characters=cited is not None and needs_more(release, cited),
        see=view.value("see", document) or None,
        see_also=view.value("see_also", document) or None,
        see_category=view.value("see_category", document) or None,
        manifestation=view.value("manif", document) or None,
        path=path,
        score=score,
        missing_words=missing_words,
    )


def _note(release: Release) -> str:
    if release.info.bundled and Part.INDEX in release.info.parts:
        return ""
    nearest = nearest_with(release, Part.INDEX)
    where = f" The nearest releases with one: {', '.join(nearest)}." if nearest else ""
    other = (" the External Cause Index," if release.info.bundled
             and Part.EINDEX in release.info.parts else "")
    inclusion = " and inclusion terms" if release.has_notes else ""
    return (f"ICD-10-CM {release.info.label} has no Alphabetic Index of its own in the "
            f"bundled data: this search used{other} its code titles{inclusion}.{where}")


def search(text: str, *, release: ReleaseLike | None = None, limit: int = 20) -> SearchResult:
    """Ranked entries of a release that match the words of *text*.

    Searches the Alphabetic Index (each term with its path from the main term),
    the External Cause Index, the code titles and the inclusion terms that the
    release has. Matching ignores case, accents, word order, linking words
    (*of*, *with*, ...) and common inflections (*fracture*, *fractures*,
    *fractured*). *release* is a release id, a date of service or a
    :class:`Release` (None: the latest). Raises :class:`SearchQueryError` for text
    without words or a *limit* below 1.
    """
    if not isinstance(text, str):
        raise SearchQueryError(text, "the query must be a string of words")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise SearchQueryError(text, f"limit must be a positive integer, not {quote(limit)}")
    surface = query_words(text)
    query = tuple(surface)
    if not query:
        raise SearchQueryError(text, "it has no words to look for (linking words such as "
                                     "'of' and 'with' are ignored)")
    chosen = resolve_release(release)
    index = search_index(chosen)
    known = tuple(word for word in query if index.knows(word))
    unknown = tuple(surface[word] for word in query if word not in known)
    sources = tuple(SearchSource(source) for source in index.sources)
    if not known:
        return SearchResult(text, chosen.id, (), 0, sources, tuple(surface.values()), unknown,
                            note=_note(chosen))
    match = index.match(known, limit)
    hits = []
    for segment, document in match.documents:
        lacking = match.missing.get((index.segments.index(segment), document))
        matched = len(known) - (lacking is not None)
        hits.append(_hit(chosen, segment, document, min(1.0, matched / segment.size(document)),
                         surface.get(lacking) if lacking else None))
    return SearchResult(text, chosen.id, tuple(hits), match.total, sources,
                        tuple(surface.values()), unknown, partial=bool(match.missing),
                        note=_note(chosen))
