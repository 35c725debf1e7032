"""When a code existed across the bundled releases, and which valid codes are closest."""

from __future__ import annotations

import bisect
import threading
import weakref
from collections.abc import Iterator, Sequence

from icd10cm.core import caches
from icd10cm.core.release import Release
from icd10cm.core.text import dot, undot
from icd10cm.releases import bundle

__all__ = [
    "billable_in",
    "clear",
    "closest_codes",
    "describe_history",
    "describe_releases",
    "in_some_release",
    "releases_with",
]

_lock = threading.Lock()
_index: tuple[dict[str, list[int]], list[tuple[str, list[int], list[int]]]] | None = None
_runs: dict[str, tuple[list[int], list[int]]] = {}  # release id -> its rows, as sorted runs
_known: frozenset[str] | None = None  # every code (undotted) of some bundled release
_scans = 0  # billable_in calls that scanned the codes table (see there)
_SCANS_BEFORE_INDEX = 8
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_ORDER = {ch: n for n, ch in enumerate(_ALPHABET)}
_CODES_PER_SEARCH = 64  # a category's patterns are built once asked for once per 64 of its codes


def _release_ids() -> list[str]:
    """The bundled release ids, oldest first (from the bundled index of releases)."""
    return [record["id"] for record in bundle.read_json("releases.json")["releases"]]


def _history_index() -> tuple[dict[str, list[int]], list[tuple[str, list[int], list[int]]]]:
    """The rows of every code in the codes table, and every release's rows as sorted
    runs (starts, ends), for bisecting. Built on first use (tens of milliseconds)."""
    global _index
    with _lock:
        if _index is None:
            table = bundle.read_table("codes.table")
            rows_of: dict[str, list[int]] = {}
            for row, code in enumerate(table.columns["code"]):
                rows_of.setdefault(code, []).append(row)
            runs = []
            for release_id in _release_ids():
                found = _runs_of(release_id)
                if found is not None:
                    runs.append((release_id, *found))
            _index = (rows_of, runs)
        return _index


@caches.register
def clear() -> None:
    """Forget the history index, the runs of each release read so far, the codes and
    the indices of closest codes."""
    global _index, _known, _scans
    with _lock:
        _index = _known = None
        _scans = 0
        _runs.clear()
        _slip_indices.clear()


def in_some_release(code: str) -> bool:
    """Whether some bundled release has *code* (dotted or undotted): whether
    :func:`releases_with` finds one, in a set lookup (the set is made on first use,
    in milliseconds)."""
    global _known
    known = _known
    if known is None:
        with _lock:
            if _known is None:
                runs = sorted(run for release_id in _release_ids()
                              for run in zip(*_runs_of(release_id) or ((), ()), strict=True))
                covered: list[list[int]] = []  # the rows of some release, as merged runs
                for start, end in runs:
                    if covered and start <= covered[-1][1]:
                        covered[-1][1] = max(covered[-1][1], end)
                    else:
                        covered.append([start, end])
                codes = bundle.read_table("codes.table").columns["code"]
                _known = frozenset(code for start, end in covered for code in codes[start:end])
            known = _known
    return undot(code) in known


def releases_with(code: str) -> tuple[str, ...]:
    """Ids of the bundled releases that have *code* (dotted or undotted), oldest first."""
    rows_of, runs = _history_index()
    rows = rows_of.get(undot(code), ())
    found = []
    for release_id, starts, ends in runs:
        for row in rows:
            run = bisect.bisect_right(starts, row) - 1
            if run >= 0 and row < ends[run]:
                found.append(release_id)
                break
    return tuple(found)


def _runs_of(release_id: str) -> tuple[list[int], list[int]] | None:
    """The release's rows of the codes table as sorted runs (starts, ends)."""
    found = _runs.get(release_id)
    if found is None:
        selection = bundle.read_table("codes.table").selections.get(release_id)
        if selection is None:
            return None
        pairs = []
        for token in selection.split(","):
            first, plus, count = token.partition("+")
            pairs.append((int(first), int(first) + (int(count) if plus else 1)))
        pairs.sort()
        found = _runs[release_id] = ([a for a, _ in pairs], [b for _, b in pairs])
    return found


def billable_in(code: str, release_id: str) -> bool | None:
    """Whether *code* is reportable in the bundled release *release_id* (None: the
    release lacks it, or is not bundled). Takes the code's rows from the history index
    when it is built; otherwise scans the codes table for them (about a millisecond),
    without building it, for the first few calls: after them it builds the index
    (tens of milliseconds, once), as notes re-checked node after node need."""
    runs = _runs_of(release_id)
    if runs is None:
        return None
    starts, ends = runs
    table = bundle.read_table("codes.table")
    codes, flags = table.columns["code"], table.columns["billable"]
    undotted = undot(code)
    global _scans
    built = _index  # when the history index is built, it has the code's rows
    if built is None and _scans >= _SCANS_BEFORE_INDEX:  # asked often: worth building
        built = _history_index()
    _scans += 1  # a count for deciding, not a result: a lost update does no harm
    for row in built[0].get(undotted, ()) if built is not None else _rows(codes, undotted):
        run = bisect.bisect_right(starts, row) - 1
        if run >= 0 and row < ends[run]:
            return flags[row] == "1"
    return None


def _rows(codes: Sequence[str], code: str) -> Iterator[int]:
    """The rows of *code* in the codes column, found by scanning it."""
    row = -1
    while True:
        try:
            row = codes.index(code, row + 1)
        except ValueError:
            return
        yield row


def _spans(ids: tuple[str, ...]) -> list[tuple[str, str]]:
    order = _release_ids()
    spans: list[tuple[str, str]] = []
    for release_id in ids:
        if spans and order.index(release_id) == order.index(spans[-1][1]) + 1:
            spans[-1] = (spans[-1][0], release_id)
        else:
            spans.append((release_id, release_id))
    return spans


def _label(release_id: str) -> str:
    year, _, month = release_id.partition("-")
    return f"FY{year}" if not month else release_id


def describe_releases(ids: tuple[str, ...]) -> str:
    """The bundled releases *ids* (oldest first) in runs: ``"FY2016 to FY2023,
    2024-04"``."""
    return _described(_spans(ids))


def _described(spans: list[tuple[str, str]]) -> str:
    return ", ".join(_label(a) if a == b else f"{_label(a)} to {_label(b)}" for a, b in spans)


def describe_history(ids: tuple[str, ...], release: Release) -> str:
    """Plain words for when a code existed, from :func:`releases_with`, e.g.
    ``"deleted after FY2023"``."""
    order = _release_ids()
    if not ids:
        return f"it is in no release from {_label(order[0])} to {_label(order[-1])}"
    spans = _spans(ids)
    text = _described(spans)
    here = order.index(release.id) if release.id in order else len(order)
    first, last = order.index(ids[0]), order.index(ids[-1])
    if len(spans) == 1 and last < here:
        return f"it was deleted after {_label(ids[-1])} (valid {text})"
    if len(spans) == 1 and first > here:
        return f"it was added in {_label(ids[0])} (valid {text})"
    return f"it exists in other releases: {text}"


def closest_codes(code: str, release: Release, limit: int = 5) -> tuple[str, ...]:
    """Reportable codes of *release* closest to *code*: under its nearest existing
    ancestor first, then codes one typing slip away (one character changed, added,
    dropped or two swapped)."""
    undotted = undot(code)
    found: list[str] = []
    billable, index_of = release.billable_flags, release.index_of_undotted
    for length in range(len(undotted) - 1, 2, -1):
        index = index_of(undotted[:length])
        if index is not None:
            if billable[index]:
                found.append(dot(undotted[:length]))
            else:
                found.extend(release.billable_below(index, limit))
            break
    unique = dict.fromkeys(found[:limit])
    fast = len(undotted) >= 3 and undotted.isascii() and undotted.isalnum()
    candidates = _SlipIndex.of(release).slips(undotted) if fast else _slips(undotted)
    for candidate in candidates:
        if len(unique) >= limit:
            break
        index = index_of(candidate)
        if index is not None and billable[index] and candidate != undotted:
            unique[dot(candidate)] = None
    return tuple(unique)


class _SlipIndex:
    """The reportable codes of a release, grouped so that the codes one typing slip
    away from a code (:func:`_slips`) are found without trying all 36 characters at
    each position: by category (the first three characters), and within a category, on
    first use, by each pattern that replaces one character after the third with ``*``.
    Built once per release (milliseconds; a category in microseconds)."""

    __slots__ = ("__weakref__", "asked", "by_category", "categories", "patterns")

    def __init__(self, release: Release) -> None:
        by_category: dict[str, list[str]] = {}
        for code, flag in zip(release.undotted_codes, release.billable_flags, strict=True):
            if flag:
                by_category.setdefault(code[:3], []).append(code)
        self.by_category = by_category
        # A category's characters at each position, by the category with it as "*".
        categories: dict[str, str] = {}
        for category in by_category:
            for i in range(3):
                if category[i] in _ORDER:
                    key = f"{category[:i]}*{category[i + 1:]}"
                    categories[key] = categories.get(key, "") + category[i]
        for key, chars in categories.items():  # in alphabet order, as _slips tries them
            categories[key] = "".join(sorted(chars, key=_ORDER.__getitem__))
        self.categories = categories
        self.patterns: dict[str, dict[str, tuple[str, ...]]] = {}
        self.asked: dict[str, int] = {}  # how often each category was asked for

    @staticmethod
    def of(release: Release) -> _SlipIndex:
        found = _slip_indices.get(release)
        if found is None:
            made = _SlipIndex(release)
            with _lock:
                found = _slip_indices.setdefault(release, made)
        return found

    def _patterns(self, category: str) -> dict[str, tuple[str, ...]] | None:
        """The reportable codes of *category* by pattern, each pattern's codes in
        alphabet order of their character at the ``*``; None while building them would
        cost more than the searches asked for so far (a search tries ~300 strings,
        building ~4 per code)."""
        found = self.patterns.get(category)
        if found is None:
            asked = self.asked[category] = self.asked.get(category, 0) + 1  # racy: harmless
            if len(self.by_category.get(category, ())) > _CODES_PER_SEARCH * asked:
                return None
            grouped: dict[str, list[str]] = {}
            for code in self.by_category.get(category, ()):
                for i in range(3, len(code)):
                    if code[i] in _ORDER:
                        grouped.setdefault(f"{code[:i]}*{code[i + 1:]}", []).append(code)
            found = {}
            for key, codes in grouped.items():
                at = key.index("*")
                found[key] = tuple(sorted(codes, key=lambda code: _ORDER[code[at]]))
            found = self.patterns.setdefault(category, found)
        return found

    def slips(self, undotted: str) -> Iterator[str]:
        """The candidates of :func:`_slips` (alphanumeric *undotted* of three characters
        or more) that may be reportable codes, in the same order."""
        built = self._patterns(undotted[:3])
        patterns = _every_character if built is None else built.get
        categories = self.categories.get
        for i in range(len(undotted) - 1, -1, -1):
            if i + 1 < len(undotted):
                yield undotted[:i] + undotted[i + 1] + undotted[i] + undotted[i + 2 :]
            if i >= 3:
                yield from patterns(f"{undotted[:i]}*{undotted[i + 1:]}", ())
            else:  # the category changes: only to a category of the release
                chars = categories(f"{undotted[:i]}*{undotted[i + 1:3]}", "")
                yield from (undotted[:i] + ch + undotted[i + 1 :] for ch in chars)
            yield undotted[:i] + undotted[i + 1 :]
            if i >= 3:
                yield from patterns(f"{undotted[:i]}*{undotted[i:]}", ())
        yield from patterns(f"{undotted}*", ())


def _every_character(pattern: str, default: Sequence[str]) -> Sequence[str]:
    """*pattern* with each character of the alphabet at its ``*``, in order (the
    candidates of a category whose patterns are not built)."""
    head, _, tail = pattern.partition("*")
    return [head + ch + tail for ch in _ALPHABET]


# Per release, its reportable codes grouped for closest_codes (see _SlipIndex).
_slip_indices: weakref.WeakKeyDictionary[Release, _SlipIndex] = weakref.WeakKeyDictionary()


def _slips(undotted: str) -> Iterator[str]:
    """Codes one typing slip away, latest position first: a slip late in the code keeps
    more of it; the first letter (the chapter) is changed only as a last resort."""
    for i in range(len(undotted) - 1, -1, -1):
        if i + 1 < len(undotted):
            yield undotted[:i] + undotted[i + 1] + undotted[i] + undotted[i + 2 :]
        yield from (undotted[:i] + ch + undotted[i + 1 :] for ch in _ALPHABET)
        yield undotted[:i] + undotted[i + 1 :]
        if i >= 3:
            yield from (undotted[:i] + ch + undotted[i:] for ch in _ALPHABET)
    yield from (undotted + ch for ch in _ALPHABET)
