"""Load a release's Table of Drugs or Neoplasm Table, once, and find its rows.

A row is found by its path (a tuple, or titles joined with ``>``), compared
without regard to case, accents or spacing, with or without its nonessential
modifiers. The first match wins in this order: the whole path exactly as
printed (the table has rows that differ only in case, ``1-propanol`` and
``1-Propanol``), the whole path ignoring case and accents, the whole path without
nonessential modifiers, then also without a final NEC or NOS (``"Lead"`` is the
main term ``Lead (dust) (fumes) (vapor) NEC``), the path below the one main term of
a table that has only one (``"bone > femur"`` in the Neoplasm Table), and the
end of a path when exactly one row ends that way. Failing these, the path is walked
from the main terms down, each step naming a title also by one of its
comma-separated forms (``"abdomen > wall"`` is ``abdomen, abdominal > wall``); a
reference as the tables print it, its parts separated by commas (``"Neoplasm,
skin, ear"``, ``"Carbon, monoxide, fuel, utility"``), is such a walk. Anything
else is unknown or ambiguous, with suggestions; nothing is guessed.
"""

from __future__ import annotations

import difflib
import re
import threading
import weakref
from collections.abc import Sequence
from typing import Union

from icd10cm.core import caches
from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.errors import (
    AmbiguousTableTermError,
    DataIntegrityError,
    TableUnavailableError,
    UnknownTableTermError,
)
from icd10cm.index.words import fold_spaced, fold_tight
from icd10cm.releases import bundle
from icd10cm.releases.nearest import nearest_having
from icd10cm.tables.columns import stored_columns
from icd10cm.tables.rows import TableRow, table_name

__all__ = ["LoadedTable", "TableTerm", "clear", "loaded_table", "normalize_term"]

#: A row of a table: its path as a sequence of titles, or a string joined with ``>``.
TableTerm = Union[str, Sequence[str]]  # noqa: UP007 (a runtime alias on 3.10)

_FILES = {Part.DRUG: "drugs.table", Part.NEOPLASM: "neoplasms.table"}
_WHAT = {Part.DRUG: "substance", Part.NEOPLASM: "neoplasm site"}
_SEPARATOR = " > "
_MODIFIER = re.compile(r"\{([^{}]*)\}")
_SPACE = re.compile(r"\s+")
_QUALIFIER = re.compile(r"\s+(nec|nos)$")

_lock = threading.RLock()
# Per release, its tables loaded so far.
_cache: weakref.WeakKeyDictionary[Release, dict[Part, LoadedTable]] = weakref.WeakKeyDictionary()


def normalize_term(text: str) -> str:
    """Case, accents and spacing folded: ``"Acétaminophen "`` -> ``"acetaminophen"``."""
    return fold_spaced(text).casefold()


def _display(title: str) -> str:
    return title.replace("{", "").replace("}", "")


def _essential(title: str) -> str:
    return _SPACE.sub(" ", _MODIFIER.sub(" ", title)).strip()


def _add(index: dict[tuple[str, ...], list[int]], key: tuple[str, ...], row: int) -> None:
    index.setdefault(key, []).append(row)


class LoadedTable:
    """One release's table: its rows, and indexes of their paths."""

    def __init__(self, part: Part, release: Release, columns: Sequence[Sequence[str]],
                 source: str) -> None:
        self.part = part
        self.release = release
        self.source = source
        self.name = f"{table_name(part)} of ICD-10-CM {release.info.label}"
        if source != release.id:
            self.name += f" (the table of release {source}, the nearest with one)"
        self.what = _WHAT[part]
        marked, *rest = columns
        self._cells = list(zip(*rest[:6], strict=True))
        self._refs = list(zip(*rest[6:], strict=True))
        self._marked = [path.split(_SEPARATOR) for path in marked]
        self.paths = [tuple(_display(title) for title in path) for path in self._marked]
        self._rows: list[TableRow | None] = [None] * len(self.paths)
        self._exact: dict[tuple[str, ...], list[int]] = {}
        self._display: dict[tuple[str, ...], list[int]] = {}
        self._essential: dict[tuple[str, ...], list[int]] = {}
        self._bare: dict[tuple[str, ...], list[int]] = {}  # also without a final NEC/NOS
        self._last: dict[str, list[int]] = {}
        self._suggestion_keys: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None
        self._tree: dict[int | None, list[int]] | None = None  # made when first walked
        self._tight: dict[tuple[str, ...], list[int]] | None = None  # made when first asked
        self._names: dict[int, tuple[set[str], set[str], set[str]]] = {}
        for number, path in enumerate(self._marked):
            _add(self._exact, self.paths[number], number)
            display = tuple(normalize_term(_display(title)) for title in path)
            essential = tuple(normalize_term(_essential(title)) for title in path)
            _add(self._display, display, number)
            _add(self._essential, essential, number)
            _add(self._bare, tuple(_QUALIFIER.sub("", title) for title in essential), number)
            for key in {display[-1], essential[-1]}:
                self._last.setdefault(key, []).append(number)
        roots = {path[0] for path in self.paths}
        self.root = roots.pop() if len(roots) == 1 else None

    def __len__(self) -> int:
        return len(self.paths)

    def row(self, number: int) -> TableRow:
        row = self._rows[number]
        if row is None:
            see, see_also, manif = self._refs[number]
            row = self._rows[number] = TableRow(
                part=self.part,
                release=self.release.id,
                path=self.paths[number],
                modifiers=tuple(_MODIFIER.findall(self._marked[number][-1])),
                cells=self._cells[number],
                see=see or None,
                see_also=see_also or None,
                manif=manif or None,
                source_release=self.source,
            )
        return row

    def children(self, number: int) -> list[TableRow]:
        """The rows directly below row *number*."""
        path = self.paths[number]
        found = []
        for other in range(number + 1, len(self.paths)):
            below = self.paths[other]
            if below[: len(path)] != path:
                break
            if len(below) == len(path) + 1:
                found.append(self.row(other))
        return found

    def find(self, term: object) -> int:
        """The number of the row that *term* names. Raises UnknownTableTermError or
        AmbiguousTableTermError."""
        exact = self._exact.get(_printed(term))
        if exact is not None and len(exact) == 1:  # "1-Propanol" beside "1-propanol"
            return exact[0]
        query = _segments(term)
        if query is None:
            raise UnknownTableTermError(term, self.what, self.name, ())
        attempts = [query]
        if self.root is not None:
            root = normalize_term(self.root)
            if query[0] != root:
                attempts.append((root, *query))
        for attempt in attempts:
            for index in (self._display, self._essential, self._bare):
                found = index.get(attempt)
                if found:
                    return self._one(term, found)
        ends = [number for number in self._last.get(query[-1], ())
                if self._ends_with(number, query)]
        if ends:
            return self._one(term, sorted(set(ends)))
        walked = self._walk(term, query)
        if walked is not None:
            return walked
        tight = self._tight_paths().get(tuple(fold_tight(step) for step in query))
        if tight:
            return self._one(term, sorted(set(tight)))
        raise UnknownTableTermError(term, self.what, self.name, self.suggestions(query))

    def _tight_paths(self) -> dict[tuple[str, ...], list[int]]:
        """Made once: the rows under each path folded by :func:`fold_tight` (without the
        spaces next to a parenthesis, comma or hyphen: the XML has no space before a
        ``<nemod>``, so "Paraffin(s) (wax)" is also typed "Paraffin (s) (wax)"), as
        printed and without nonessential modifiers, also without the main term of a
        one-term table."""
        if self._tight is None:
            tight: dict[tuple[str, ...], list[int]] = {}
            for number, path in enumerate(self._marked):
                for form in (_display, _essential):
                    folded = tuple(fold_tight(form(title)) for title in path)
                    for key in {folded, folded[1:] if self.root is not None else ()}:
                        if key:
                            tight.setdefault(key, []).append(number)
            self._tight = tight
        return self._tight

    def _walk(self, term: object, query: tuple[str, ...]) -> int | None:
        """The row reached by walking the table from its main terms, a step at a time,
        where a step names a title by one of its forms: as printed, without its
        nonessential modifiers or a final NEC or NOS, or one of its comma-separated
        forms ("abdomen" for "abdomen, abdominal"). A reference as the table prints it
        ("Neoplasm, skin, ear") is such a walk, its parts separated by commas; a step
        takes as many parts as name a title ("Fish, noxious, nonbacterial, shell"
        starts with a main term of three). The main term of a one-term table may be
        left out. None if the walk fails."""
        steps = query
        if len(query) == 1 and "," in query[0]:
            steps = tuple(part.strip() for part in query[0].split(","))
        for start in ((), (self.root,)) if self.root is not None else ((),):
            found = self._walk_from(term, start, steps)
            if found is not None:
                return found
        return None

    def _walk_from(self, term: object, start: tuple[str, ...],
                   steps: tuple[str, ...]) -> int | None:
        at: int | None = self._exact[start][0] if start else None
        rest = list(steps)
        while rest:
            below = self._below(at)
            named: list[int] = []
            for size in range(len(rest), 0, -1):
                step = ", ".join(rest[:size])
                for tier in range(3):  # the title; its first form; its other forms
                    named = [n for n in below if step in self._forms(n)[tier]]
                    if named:
                        break
                if named:
                    break
            else:
                return None
            at = self._one(term, named)
            rest = rest[size:]
        return at

    def _below(self, number: int | None) -> list[int]:
        """The rows directly below row *number* (None: the main terms)."""
        if self._tree is None:
            tree: dict[int | None, list[int]] = {}
            parents: dict[tuple[str, ...], int] = {}
            for row, path in enumerate(self.paths):
                tree.setdefault(parents.get(path[:-1]) if len(path) > 1 else None,
                                []).append(row)
                parents.setdefault(path, row)
            self._tree = tree
        return self._tree.get(number, [])

    def _forms(self, number: int) -> tuple[set[str], set[str], set[str]]:
        """The names of row *number*'s title, best first: as printed, without its
        nonessential modifiers or final NEC or NOS; its first comma-separated form;
        its other forms."""
        forms = self._names.get(number)
        if forms is None:
            title = self._marked[number][-1]
            essential = normalize_term(_essential(title))
            first, *others = (part.strip() for part in essential.split(","))
            forms = self._names[number] = (
                {normalize_term(_display(title)), essential, _QUALIFIER.sub("", essential)},
                {first, _QUALIFIER.sub("", first)}, set(others))
        return forms

    def _ends_with(self, number: int, query: tuple[str, ...]) -> bool:
        path = self._marked[number]
        if len(path) < len(query):
            return False
        tail = path[len(path) - len(query):]
        return all(q in (normalize_term(_display(t)), normalize_term(_essential(t)))
                   for q, t in zip(query, tail, strict=True))

    def _one(self, term: object, found: Sequence[int]) -> int:
        if len(found) == 1:
            return found[0]
        raise AmbiguousTableTermError(term, self.name,
                                      [_SEPARATOR.join(self.paths[n]) for n in found])

    def suggestions(self, query: tuple[str, ...], limit: int = 5) -> list[str]:
        """The paths of the rows closest to *query* (compared with and without
        nonessential modifiers, and without the main term of a one-term table)."""
        paths, ends = self._keys()
        keys = paths
        if len(query) == 1:  # a single term may also name the end of a path
            keys = {key: sorted(paths.get(key, []) + ends.get(key, []))
                    for key in paths.keys() | ends.keys()}
        close = difflib.get_close_matches(_SEPARATOR.join(query), list(keys), n=limit,
                                          cutoff=0.6)
        shown = dict.fromkeys(_SEPARATOR.join(self.paths[number])
                              for key in close for number in keys[key])
        return list(shown)[:limit]

    def _keys(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Made once: the rows under each normalised path (also without the main term
        of a one-term table), and the rows under each normalised last term."""
        if self._suggestion_keys is None:
            paths: dict[str, list[int]] = {}
            ends: dict[str, list[int]] = {}
            for number, path in enumerate(self._marked):
                for form in (_display, _essential):
                    shown = [normalize_term(form(title)) for title in path]
                    for words in (shown, shown[1:] if self.root is not None else []):
                        if words:
                            paths.setdefault(_SEPARATOR.join(words), []).append(number)
                    ends.setdefault(shown[-1], []).append(number)
            self._suggestion_keys = (paths, ends)
        return self._suggestion_keys


def _printed(term: object) -> tuple[str, ...]:
    if isinstance(term, str):
        return tuple(part.strip() for part in term.split(">"))
    if isinstance(term, (tuple, list)) and all(isinstance(part, str) for part in term):
        return tuple(term)
    return ()


def _segments(term: object) -> tuple[str, ...] | None:
    if isinstance(term, str):
        parts: Sequence[object] = term.split(">")
    elif isinstance(term, (tuple, list)):
        parts = term
    else:
        return None
    if not parts or not all(isinstance(part, str) for part in parts):
        return None
    segments = tuple(normalize_term(str(part)) for part in parts)
    return segments if all(segments) else None


def _nearest(release: Release, part: Part) -> list[str]:
    day = release.info.effective_from
    nearest = nearest_having(release, part)
    nearest.sort(key=lambda info: abs((info.effective_from - day).days))
    return [f"{info.id} ({info.label})" for info in nearest]


def loaded_table(part: Part, release: Release, *, own_data_only: bool = False) -> LoadedTable:
    """The table of a release, loaded once (thread-safe) and cached: its own, or the
    nearest release's (see :attr:`~icd10cm.ReleaseInfo.borrowed`).

    Raises TableUnavailableError if there is none, or with *own_data_only* if the
    release has no such table of its own.
    """
    source = release.info.source_of(part)
    if source is None or (own_data_only and source != release.id):
        raise TableUnavailableError(release.id, release.info.label, table_name(part),
                                    _nearest(release, part),
                                    own_data_only=own_data_only and source is not None)
    loaded = _cache.get(release)
    cached = loaded.get(part) if loaded is not None else None
    if cached is not None:
        return cached
    with _lock:
        loaded = _cache.setdefault(release, {})
        cached = loaded.get(part)
        if cached is None:
            table = bundle.read_table(_FILES[part])
            columns = table.select(source, *stored_columns(part.value))
            if columns is None:
                raise DataIntegrityError(_FILES[part], f"has no rows for release {source}, "
                                                       "which releases.json says has them")
            cached = loaded[part] = LoadedTable(part, release, columns, source)
        return cached


@caches.register
def clear() -> None:
    """Forget every loaded table."""
    with _lock:
        _cache.clear()
