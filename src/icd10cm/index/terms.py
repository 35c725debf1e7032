"""Walk the Alphabetic Index the way the book is read: main term, then subterms.

>>> import icd10cm
>>> term = icd10cm.index_lookup("Fracture, traumatic", "radius", "lower end", release="2023")
>>> term.code, term.needs_more_characters
('S52.50-', True)
"""

from __future__ import annotations

import difflib

import attrs

from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.errors import IndexUnavailableError, SearchQueryError, UnknownIndexTermError
from icd10cm.index.corpus import IndexView, release_corpus
from icd10cm.index.data_format import INDEX_NAMES
from icd10cm.index.entry_text import entry_text
from icd10cm.index.words import fold_spaced, words
from icd10cm.releases.nearest import nearest_having
from icd10cm.releases.recheck import code_problem
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["IndexTerm", "index_lookup", "nearest_with", "needs_more"]


@attrs.frozen
class IndexTerm:
    """One term of the Alphabetic Index (or the External Cause Index) of a release.

    *title* is the term without its nonessential modifiers, which are in
    *modifiers* as printed (``"(generalized) (primary)"``); *text* is the title as
    printed, modifiers included. *path* runs from the main term down to this
    term. *code* is the code the index gives, as printed: a trailing dash
    (``"S52.50-"``) marks a stem that needs more characters, as does
    *needs_more_characters* for any code not reportable as it stands in the
    release. *see* and *see_also* refer to other main terms; *see_category* to a
    category or subcategory of the Tabular List; *manifestation* is the code
    printed in brackets after *code*, sequenced after it (Guidelines I.A.13).
    *children* are the subterms, each with its own children.

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
    children: tuple[IndexTerm, ...] = attrs.field(default=(), repr=False)
    source_release: str = ""
    code_problem: str | None = None

    def child(self, title: str) -> IndexTerm:
        """The subterm with this title (case, accents and spacing aside)."""
        titles = [c.title for c in self.children]
        found = _find(title, titles, [c.text for c in self.children])
        if found is None:
            raise UnknownIndexTermError(title, self.path, _index_name(self.external_cause),
                                        _suggest(title, titles))
        return self.children[found]

    def __str__(self) -> str:
        return entry_text(" > ".join(self.path), self.code, self.manifestation, self.see,
                          self.see_also, self.see_category)


def _index_name(external_cause: bool) -> str:
    return INDEX_NAMES["eindex" if external_cause else "index"]


def _find(step: str, titles: list[str], texts: list[str]) -> int | None:
    """The position of the title that *step* names: the same text (case, accents and
    spacing aside, with or without the modifiers), else the same words in any order
    and inflection."""
    key = fold_spaced(step)
    for position, (title, text) in enumerate(zip(titles, texts, strict=True)):
        if fold_spaced(title) == key or fold_spaced(text) == key:
            return position
    stems = sorted(words(step))
    if stems:
        for position, title in enumerate(titles):
            if sorted(words(title)) == stems:
                return position
    return None


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


def _term(release: Release, view: IndexView, position: int,
          path: tuple[str, ...], source: str) -> IndexTerm:
    title = view.title(position)
    path = (*path, title)
    code = view.value("code", position) or None
    problem = (code_problem(code.rstrip("-").rstrip("."), release, source)
               if code is not None and source != release.id else None)
    return IndexTerm(
        title=title,
        path=path,
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
        modifiers=view.value("nemod", position),
        text=view.value("text", position),
        external_cause=view.part == "eindex",
        children=tuple(_term(release, view, child, path, source)
                       for child in view.children(position)),
    )


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
    if not path or not all(isinstance(step, str) and step.strip() for step in path):
        raise SearchQueryError(path, "give the main term and then any subterms, as strings")
    chosen = resolve_release(release)
    part = Part.EINDEX if external_cause else Part.INDEX
    source = chosen.info.source_of(part)
    if source is None or (own_data_only and source != chosen.id):
        raise IndexUnavailableError(chosen.id, chosen.info.label, _index_name(external_cause),
                                    nearest_with(chosen, part),
                                    own_data_only=own_data_only and source is not None)
    view = release_corpus(part.value, source).view()
    row = -1
    found_path: tuple[str, ...] = ()
    for step in path:
        if row < 0:  # most main terms are found by their exact title, without a scan
            main = view.main_term(fold_spaced(step))
            if main is not None:
                row = main
                found_path = (view.title(row),)
                continue
        rows = view.children(row)
        titles = [view.title(r) for r in rows]
        position = _find(step, titles, [view.value("text", r) for r in rows])
        if position is None:
            raise UnknownIndexTermError(step, found_path, _index_name(external_cause),
                                        _suggest(step, titles))
        row = rows[position]
        found_path = (*found_path, titles[position])
    return _term(chosen, view, row, found_path[:-1], source)
