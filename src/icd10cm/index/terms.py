"""Walk the Alphabetic Index the way the book is read: main term, then subterms.

>>> import icd10cm
>>> term = icd10cm.index_lookup("Fracture, traumatic", "radius", "lower end", release="2023")
>>> term.code, term.needs_more_characters
('S52.50-', True)
"""

from __future__ import annotations

import difflib
import threading

import attrs

from icd10cm.core.caches import IdentityMemo
from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.errors import IndexUnavailableError, SearchQueryError, UnknownIndexTermError
from icd10cm.index.corpus import IndexView, release_corpus
from icd10cm.index.data_format import INDEX_NAMES, modifiers
from icd10cm.index.entry_text import entry_text
from icd10cm.index.words import fold_spaced, fold_tight, words
from icd10cm.releases.nearest import nearest_having
from icd10cm.releases.recheck import code_problem
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["IndexTerm", "index_lookup", "nearest_with", "needs_more"]


class _Place:
    """Where a term is: the release walked, the index it walks and the position there;
    works out the term's subterms and same-titled siblings when first asked."""

    __slots__ = ("_alternatives", "_children", "position", "release", "source", "view")

    def __init__(self, release: Release, view: IndexView, position: int, source: str) -> None:
        self.release = release
        self.view = view
        self.position = position
        self.source = source
        self._children: tuple[IndexTerm, ...] | None = None
        self._alternatives: tuple[IndexTerm, ...] | None = None

    def children(self) -> tuple[IndexTerm, ...]:
        if self._children is None:
            self._children = tuple(_term(self.release, self.view, child, self.source)
                                   for child in self.view.children(self.position))
        return self._children

    def alternatives(self) -> tuple[IndexTerm, ...]:
        if self._alternatives is None:
            view, position = self.view, self.position
            title = view.title(position)
            self._alternatives = tuple(
                _term(self.release, view, sibling, self.source)
                for sibling in view.children(view.parent(position))
                if sibling != position and view.title(sibling) == title)
        return self._alternatives


@attrs.frozen
class IndexTerm:
    """One term of the Alphabetic Index (or the External Cause Index) of a release.

    *title* is the term without its nonessential modifiers, the words the index
    prints in parentheses, which are in *modifiers* as printed (``"(generalized)
    (primary)"``); *text* is the title as printed, modifiers included. *path* runs
    from the main term down to this term. *code* is the code the index gives, as
    printed: a trailing dash (``"S52.50-"``) marks a stem that needs more
    characters, as does *needs_more_characters* for any code not reportable as it
    stands in the release. *see* and *see_also* refer to other main terms;
    *see_category* to a category or subcategory of the Tabular List;
    *manifestation* is the code printed in brackets after *code*, sequenced after
    it (Guidelines I.A.13). *children* are the subterms, each with its own
    children. *alternatives* are the other subterms of the same parent with the
    same title: the index prints a few titles twice with different codes
    (``opioid-induced > anxiety disorder``, F11.288 and F11.988), or with
    different modifiers.

    *release* is the release walked and *source_release* the release whose index
    prints the term: a release without an index of its own walks the nearest
    release's (:attr:`icd10cm.ReleaseInfo.borrowed`). Such a term's code is
    re-checked against the release walked; *code_problem* says when it is not a
    code there or has become a header, and the code is then not reportable as it is.
    """

    title: str
    path: tuple[str, ...]
    release: str
    code: str | None = None
    needs_more_characters: bool = False
    see: str | None = None
    see_also: str | None = None
    see_category: str | None = None
    manifestation: str | None = None
    modifiers: str = ""
    text: str = ""
    external_cause: bool = False
    source_release: str = ""
    code_problem: str | None = None
    _place: _Place | None = attrs.field(default=None, eq=False, repr=False, alias="place")

    @property
    def children(self) -> tuple[IndexTerm, ...]:
        """The subterms, in index order."""
        return self._place.children() if self._place is not None else ()

    @property
    def alternatives(self) -> tuple[IndexTerm, ...]:
        """The other subterms of the same parent with the same title."""
        return self._place.alternatives() if self._place is not None else ()

    def child(self, title: str) -> IndexTerm:
        """The subterm with this title (case, accents, spacing and modifiers aside)."""
        place = self._place
        found = None
        if place is not None:
            found = _step(place.view, place.position, title)
        if found is None or place is None:
            if place is not None:
                raise _unknown(place.view, place.position, title, self.external_cause)
            raise UnknownIndexTermError(title, self.path, _index_name(self.external_cause), ())
        return _term(place.release, place.view, found, place.source)

    def __str__(self) -> str:
        return entry_text(" > ".join(self.path), self.code, self.manifestation, self.see,
                          self.see_also, self.see_category)


def _index_name(external_cause: bool) -> str:
    return INDEX_NAMES["eindex" if external_cause else "index"]


def _step(view: IndexView, position: int, step: str) -> int | None:
    """The subterm of *position* (-1: the main terms) that *step* names: by its printed
    text, its essential title or its text without ``<nemod>`` (case, accents and
    spacing aside, also the spaces next to a parenthesis, comma or hyphen: "Nodule(s),
    nodular"), else by the same words in any order and inflection, else by one of its
    comma-separated forms when exactly one subterm has that form (the index names
    "Diabetes, diabetic" as "Diabetes" in its references)."""
    found = view.child_keys(position).get(fold_spaced(step))
    if found is None:
        found = _by_tight_text(view, position, fold_tight(step))
    if found is None:
        stems = sorted(words(step))
        if stems:
            found = next((child for child in view.children(position)
                          if sorted(words(view.title(child))) == stems), None)
    if found is None:
        forms = _by_form(view, position, step)
        found = forms[0] if len(forms) == 1 else None
    return found


def _by_tight_text(view: IndexView, position: int, key: str) -> int | None:
    """The first subterm of *position* whose printed text, else essential title or text
    without ``<nemod>``, is *key* once folded by :func:`fold_tight`."""
    children = view.children(position)
    for child in children:
        if fold_tight(view.value("text", child)) == key:
            return child
    for child in children:
        text, nemod = view.value("text", child), view.value("nemod", child)
        if key in (fold_tight(view.title(child)),
                   fold_tight(text.replace(nemod, " ")) if nemod else None):
            return child
    return None


def _by_form(view: IndexView, position: int, step: str) -> list[int]:
    """The subterms of *position* whose title has *step* as its first comma-separated
    form (``"Fracture"``: ``"Fracture, burst"``, ``"Fracture, traumatic"`` ...), else
    as another of its forms."""
    key = fold_spaced(step)
    forms = [(child, [fold_spaced(form) for form in view.title(child).split(",")])
             for child in view.children(position) if "," in view.title(child)]
    first = [child for child, names in forms if names[0] == key]
    return first or [child for child, names in forms if key in names]


def _unknown(view: IndexView, position: int, step: str,
             external_cause: bool) -> UnknownIndexTermError:
    """The error for a *step* that names no single subterm of *position*: the terms
    that have it as a form come first among the suggestions."""
    forms = [view.title(child) for child in _by_form(view, position, step)]
    close = _suggest(step, [view.title(child) for child in view.children(position)])
    return UnknownIndexTermError(step, view.path(position) if position >= 0 else (),
                                 _index_name(external_cause),
                                 tuple(dict.fromkeys([*forms, *close])))


def _suggest(step: str, titles: list[str]) -> tuple[str, ...]:
    by_key: dict[str, str] = {}
    for title in titles:
        by_key.setdefault(fold_spaced(title), title)
    close = difflib.get_close_matches(fold_spaced(step), list(by_key), n=5, cutoff=0.6)
    return tuple(by_key[key] for key in close)


def needs_more(release: Release, code: str) -> bool:
    """Whether a code as the index prints it is not reportable as it stands."""
    if code.endswith("-"):
        return True
    found = release.get(code)
    return found is not None and not found.is_billable


def nearest_with(release: Release, part: Part) -> tuple[str, ...]:
    """Ids of the bundled releases nearest to *release* that have *part*: the closest
    one before it and the closest one after it, by date."""
    return tuple(info.id for info in nearest_having(release, part))


class _Walks:
    """What walking one release's indexes needs, made once per release: for each index
    (and *own_data_only*), the view walked and the release it comes from; and, for a
    bundled release, the terms made so far, by position. (A term refers to its
    release, which the registry keeps until :func:`icd10cm.clear_cache` anyway; the
    terms of a release built from files are not kept, so that it can be let go.)"""

    __slots__ = ("terms", "views")

    def __init__(self) -> None:
        self.views: dict[int, tuple[IndexView, str]] = {}  # external_cause + 2 * own_data_only
        self.terms: dict[tuple[str, str, int], IndexTerm] = {}


_walks: IdentityMemo[Release, _Walks] = IdentityMemo()  # weakly keyed by the release
_lock = threading.Lock()
_TERMS_KEPT = 100_000  # terms kept per release


def _walks_of(release: Release) -> _Walks:
    found = _walks.get(release)
    if found is None:
        with _lock:
            found = _walks.get(release)
            if found is None:
                found = _Walks()
                _walks.put(release, found)
    return found


def _term(release: Release, view: IndexView, position: int, source: str,
          walks: _Walks | None = None) -> IndexTerm:
    """The term at *position* of *view* (the index of *source*), walked for *release*
    (whose :class:`_Walks` is *walks*); the same object every time."""
    terms = (walks or _walks_of(release)).terms
    key = (view.part, source, position)
    term = terms.get(key)
    if term is not None:
        return term
    code = view.value("code", position) or None
    problem = (code_problem(code.rstrip("-").rstrip("."), release, source)
               if code is not None and source != release.id else None)
    text = view.value("text", position)
    term = IndexTerm(
        title=view.title(position),
        path=view.path(position),
        release=release.id,
        code=code,
        needs_more_characters=code is not None and (problem is not None
                                                    or needs_more(release, code)),
        source_release=source,
        code_problem=problem,
        see=view.value("see", position) or None,
        see_also=view.value("see_also", position) or None,
        see_category=view.value("see_category", position) or None,
        manifestation=view.value("manif", position) or None,
        modifiers=modifiers(text),
        text=text,
        external_cause=view.part == "eindex",
        place=_Place(release, view, position, source),
    )
    if not release.info.bundled:
        return term
    with _lock:
        if len(terms) >= _TERMS_KEPT:
            terms.clear()
        return terms.setdefault(key, term)


def _view(release: Release, external_cause: bool, own_data_only: bool) -> tuple[IndexView, str]:
    """The index that *release* walks, and the release it comes from."""
    part = Part.EINDEX if external_cause else Part.INDEX
    source = release.info.source_of(part)
    if source is None or (own_data_only and source != release.id):
        raise IndexUnavailableError(release.id, release.info.label, _index_name(external_cause),
                                    nearest_with(release, part),
                                    own_data_only=own_data_only and source is not None)
    return release_corpus(part.value, source).view(), source


def index_lookup(
    *path: str,
    release: ReleaseLike | None = None,
    external_cause: bool = False,
    own_data_only: bool = False,
) -> IndexTerm:
    """The index term at *path*: a main term, then a subterm at each level.

    ``index_lookup("Fracture, traumatic", "radius", "lower end")`` reads the
    Alphabetic Index as the book is read (Guidelines I.B.1). Each step matches a
    title regardless of case, accents and spacing, with or without its
    nonessential modifiers, or else by its words in any order and inflection.
    *external_cause* walks the External Cause Index instead. *release* is a
    release id, a date of service or a :class:`Release` (None: the latest).

    A release without such an index of its own walks the nearest release's (same
    fiscal year first, then the nearest earlier, then the nearest later), and every
    term says so (*source_release*). Raises :class:`UnknownIndexTermError` (with the
    closest terms) for a step that is not there, and :class:`IndexUnavailableError`
    when there is no index to walk, or with *own_data_only* when the release has no
    such index of its own.
    """
    chosen = release if isinstance(release, Release) else resolve_release(release)
    walks = _walks_of(chosen)
    which = external_cause + 2 * own_data_only
    found = walks.views.get(which)
    if found is None:
        found = walks.views[which] = _view(chosen, bool(external_cause), bool(own_data_only))
    view, source = found
    position = -1
    for step in path:
        if not isinstance(step, str):
            break
        child = view.child_keys(position).get(fold_spaced(step))
        if child is None:
            if not step.strip():
                break
            child = _step(view, position, step)
            if child is None:
                raise _unknown(view, position, step, bool(external_cause))
        position = child
    else:
        if path:
            term = walks.terms.get((view.part, source, position))
            return term if term is not None else _term(chosen, view, position, source, walks)
    raise SearchQueryError(path, "give the main term and then any subterms, as strings")
