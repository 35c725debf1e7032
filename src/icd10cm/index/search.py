"""Find codes from words: the Alphabetic Index, the External Cause Index, titles and
inclusion terms of a release (Guidelines I.B.1: look the term up in the Index, then
verify the code in the Tabular List)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import overload

import attrs

from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.errors import SearchQueryError, quote
from icd10cm.index.abbreviations import Expansion, expand
from icd10cm.index.entry_text import entry_text
from icd10cm.index.terms import nearest_with, needs_more
from icd10cm.index.word_index import Hit, SearchIndex, search_index
from icd10cm.index.words import query_words
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["SearchHit", "SearchResult", "SearchSource", "search"]


class SearchSource(str, enum.Enum):
    """Where a hit comes from."""

    INDEX = "index"  # the Alphabetic Index of diseases and injuries
    EXTERNAL_CAUSE_INDEX = "eindex"  # the External Cause Index
    TITLE = "title"  # a code's title in the order file
    INCLUSION_TERM = "inclusion_term"  # an inclusion term under a code in the Tabular List
    INCLUDES = "includes"  # an "Includes" note at a code in the Tabular List

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class SearchHit:
    """One entry that matches a search.

    *text* is the entry: an index term's path from its main term down
    (``"Fracture, traumatic > radius > lower end"``), a code title, an inclusion
    term or an "Includes" note. *via* lists the index's references that led to it,
    each as the referring term prints it (``"Broken > bone - see Fracture"``); it is
    empty when the entry itself matched. *code* is the code as the entry cites it;
    the index's trailing dash (``"S52.50-"``) marks a stem that needs more
    characters, and so does *needs_more_characters* for any code that is not
    reportable as it stands in the release (complete it with
    :func:`icd10cm.add_seventh_character` or pick a code below it). An index term
    may instead refer elsewhere: *see*, *see_also*, or *see_category* (a category or
    subcategory to look under). *manifestation* is the code the index prints in
    brackets, to be sequenced after *code*
    (Guidelines I.A.13). *score*, from 0 to 1, ranks the hits (docs/search.md,
    "Ranking": how many query words the entry has, how closely, whether it gives a
    code to report, and how many references were followed). *missing_words* are
    query words the entry lacks (only when no entry has them all: the hits then lack
    as few words as any entry does, at most three).
    *expansions* says which common abbreviations of the query
    (:mod:`icd10cm.index.abbreviations`) were searched as the words they stand for to
    reach the entry (``"UTI = urinary tract infection (common abbreviation, searched
    as these words; not the index's wording)"``): those words are icd10cm's, not the
    index's; empty when the query's own words reached it.

    *source_release* is the release whose index or tabular the entry comes from:
    a release without an Alphabetic Index (or Tabular List) of its own searches
    the nearest release's (:attr:`icd10cm.ReleaseInfo.borrowed`). Such an entry's
    code is re-checked against the release searched, and *code_problem* says when
    it is not a code there or has become a header; it is then never reportable.
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
    source_release: str = ""
    code_problem: str | None = None
    via: tuple[str, ...] = ()
    expansions: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = entry_text(self.text, self.code, self.manifestation, self.see, self.see_also,
                          self.see_category)
        reached = "".join(f"  (via {reference})" for reference in self.via)
        expanded = "".join(f"  [{expansion}]" for expansion in self.expansions)
        return f"{text}  ({self.source}){reached}{expanded}"


@attrs.frozen
class SearchResult:
    """The ranked hits of a search, and what was searched.

    *sources_used* lists what the release could answer from; a release without
    an Alphabetic Index of its own answers from titles and inclusion terms, and
    *note* then says so and names the nearest releases that have one.
    *unknown_words* are query words that no entry of the release has (they were
    left out of the match); *partial* means no entry has all the other words, and
    the hits lack one of them. *total* counts every matching entry, of which
    *hits* are the best *limit*. *expansions* lists the common abbreviations of the
    query that were searched as the words they stand for (each hit they led to says
    so); *words* are then the words searched, with the abbreviations' words.
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
    expansions: tuple[Expansion, ...] = ()

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


def _reached(expansions: tuple[Expansion, ...], missing: tuple[str, ...]) -> tuple[str, ...]:
    """The texts of the *expansions* that led to a hit lacking the stems *missing*: all
    but those whose words it lacks."""
    return tuple(str(expansion) for expansion in expansions
                 if not set(query_words(expansion.words)) <= set(missing))


def _hit(release: Release, index: SearchIndex, found: Hit,
         expansions: tuple[str, ...] = ()) -> SearchHit:
    segment, document = found.segment, found.document
    source = SearchSource(segment.source)
    missing_words = found.missing
    view = segment.view
    borrowed = segment.source_release
    score = round(found.score, 4)
    if view is None:
        code = segment.codes[document]
        # a bundled title has no text in its corpus: the release's own is shown
        text = segment.texts[document] if segment.texts else release[code].title
        problem = index.problem(code, borrowed)
        return SearchHit(text, code, source, problem is not None or needs_more(release, code),
                         path=(text,), score=score, missing_words=missing_words,
                         source_release=borrowed, code_problem=problem,
                         expansions=expansions)
    path = view.path(document)
    cited = view.value("code", document) or None
    problem = index.problem(cited, borrowed) if cited is not None else None
    return SearchHit(
        " > ".join(path),
        cited,
        source,
        needs_more_characters=cited is not None and (problem is not None
                                                     or needs_more(release, cited)),
        source_release=borrowed,
        code_problem=problem,
        see=view.value("see", document) or None,
        see_also=view.value("see_also", document) or None,
        see_category=view.value("see_category", document) or None,
        manifestation=view.value("manif", document) or None,
        path=path,
        score=score,
        missing_words=missing_words,
        via=tuple(entry_text(" > ".join(view.path(term)), None, None,
                             view.value("see", term) or None,
                             view.value("see_also", term) or None, None)
                  for term in found.via),
        expansions=expansions,
    )


_BORROWABLE = {"index": "Alphabetic Index", "eindex": "External Cause Index",
               "inclusion_term": "Tabular List", "includes": "Tabular List"}


def _either(names: Iterable[str]) -> str:
    """``"A"``, ``"A or B"``, ``"A, B or C"``."""
    items = list(names)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _note(release: Release, index: SearchIndex) -> str:
    """What the search used that is not the release's own, and what it lacked."""
    label = release.info.label
    used = {segment.source: segment.source_release for segment in index.segments}
    borrowed = list(dict.fromkeys((name, used[source]) for source, name in _BORROWABLE.items()
                                  if used.get(source, release.id) != release.id))
    notes = []
    if borrowed:
        notes.append(
            f"ICD-10-CM {label} has no {_either(name for name, _ in borrowed)} of its "
            f"own: this search used the nearest release's ("
            + "; ".join(f"{name}: {source}" for name, source in borrowed)
            + f"). Each hit from them names its source_release, and their codes were "
            f"re-checked against {label}.")
    if "index" not in used:
        nearest = nearest_with(release, Part.INDEX)
        where = f" The nearest releases with one: {', '.join(nearest)}." if nearest else ""
        notes.append(f"ICD-10-CM {label} has no Alphabetic Index of its own, and none was "
                     f"borrowed (own_data_only=True): this search used only its "
                     f"{', '.join(str(SearchSource(s)) for s in used)} entries.{where}")
    return " ".join(notes)


_EXACT = 0.99995  # the score of an entry with exactly the words searched (1, rounded)


class _Attempt:
    """The words of a query whose abbreviations were *expanded* (:func:`expand`), and
    their match (None when no word is known)."""

    __slots__ = ("expansions", "known", "match", "surface")

    def __init__(self, expanded: tuple[str, tuple[Expansion, ...]], index: SearchIndex,
                 limit: int) -> None:
        searched, self.expansions = expanded
        self.surface = query_words(searched)
        self.known = tuple(word for word in self.surface if index.knows(word))
        self.match = index.match(self.known, limit) if self.known else None

    @property
    def best(self) -> float:
        """How well the best hit matches: 1 when an entry has every word (not partial),
        else the best score below 1 (0 without hits)."""
        match = self.match
        if match is None or not match.hits:
            return 0.0
        return 1.0 if not match.partial else min(match.hits[0].score, 0.999)

    @property
    def exact(self) -> bool:
        """Whether the best hit has exactly the words searched, all outside parentheses,
        and a code (score 1)."""
        match = self.match
        return (match is not None and bool(match.hits) and not match.partial
                and match.hits[0].score >= _EXACT)


def search(
    text: str,
    *,
    release: ReleaseLike | None = None,
    limit: int = 20,
    own_data_only: bool = False,
) -> SearchResult:
    """Ranked entries of a release that match the words of *text*.

    Searches the Alphabetic Index (each term with its path from the main term,
    following its *see* references), the External Cause Index, the code titles, the
    inclusion terms and the "Includes" notes that the release has. Matching ignores
    case, accents, word order, linking words (*of*, *with*, ...) and word forms
    (*diabetes*, *diabetic*; *fell*, *fall*). Hits are ranked by
    :attr:`SearchHit.score` (docs/search.md). A common clinical abbreviation that no
    entry of the release has ("UTI", "AFib", "CHF": :mod:`icd10cm.index.abbreviations`)
    is searched as the words it stands for, and so is one that the release has when no
    entry has exactly the words of the query with it and the words do better ("ckd
    stage 3", "htn with ckd"); each hit they led to says so
    (:attr:`SearchHit.expansions`). *release* is a
    release id, a date of service or a :class:`Release` (None: the latest). A release
    without an index or a Tabular List of its own searches the nearest release's, and
    says so on every hit (*own_data_only* searches only the release's own parts). Raises
    :class:`SearchQueryError` for text without words or a *limit* below 1.
    """
    if not isinstance(text, str):
        raise SearchQueryError(text, "the query must be a string of words")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise SearchQueryError(text, f"limit must be a positive integer, not {quote(limit)}")
    surface = query_words(text)
    if not surface:
        raise SearchQueryError(text, "it has no words to look for (linking words such as "
                                     "'of' and 'with' are ignored)")
    chosen = resolve_release(release)
    index = search_index(chosen, own_data_only=own_data_only)
    found = _Attempt(expand(text, index.knows), index, limit)
    if len(surface) > 1 and not found.exact:
        # no entry has all the words, or none has exactly them: an abbreviation the
        # release knows as a word ("ckd stage 3"; "htn with ckd", whose only entry with
        # both words has "(CKD)" in parentheses) is tried as the words it stands for,
        # kept if that does better: an entry with all the words where there was none,
        # a better partial hit, or an entry with exactly the words
        every = expand(text, index.knows, known_too=True)
        if every[1] != found.expansions:
            wider = _Attempt(every, index, limit)
            if wider.best > found.best or (wider.exact and not found.exact):
                found = wider
    surface, expansions, match, known = found.surface, found.expansions, found.match, found.known
    unknown = tuple(surface[word] for word in surface if word not in known)
    sources = tuple(SearchSource(source) for source in index.sources)
    if match is None:
        return SearchResult(text, chosen.id, (), 0, sources, tuple(surface.values()), unknown,
                            note=_note(chosen, index), expansions=expansions)
    reached = [_reached(expansions, hit.missing) for hit in match.hits]
    for hit in match.hits:
        hit.missing = tuple(surface[word] for word in hit.missing)
    hits = tuple(_hit(chosen, index, hit, expanded)
                 for hit, expanded in zip(match.hits, reached, strict=True))
    return SearchResult(text, chosen.id, hits, match.total, sources, tuple(surface.values()),
                        unknown, partial=match.partial, note=_note(chosen, index),
                        expansions=expansions)
