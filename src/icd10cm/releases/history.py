"""When a code existed across the bundled releases, and which valid codes are closest."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator

from icd10cm.core import caches
from icd10cm.core.release import Release
from icd10cm.core.text import dot, undot
from icd10cm.releases import bundle
from icd10cm.releases.registry import available_releases

__all__ = ["clear", "closest_codes", "describe_history", "releases_with"]

_lock = threading.Lock()
_index: tuple[dict[str, list[int]], list[tuple[str, list[int], list[int]]]] | None = None
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _history_index() -> tuple[dict[str, list[int]], list[tuple[str, list[int], list[int]]]]:
    """The rows of every code in the codes table, and every release's rows as sorted
    runs (starts, ends), for bisecting. Built on first use (tens of milliseconds)."""
    global _index
    infos = available_releases()  # before _lock: never hold it while taking releases' lock
    with _lock:
        if _index is None:
            table = bundle.read_table("codes.table")
            rows_of: dict[str, list[int]] = {}
            for row, code in enumerate(table.columns["code"]):
                rows_of.setdefault(code, []).append(row)
            runs = []
            for info in infos:
                pairs = []
                for token in (table.selections.get(info.id) or "").split(","):
                    if token:
                        first, plus, count = token.partition("+")
                        pairs.append((int(first), int(first) + (int(count) if plus else 1)))
                pairs.sort()
                runs.append((info.id, [a for a, _ in pairs], [b for _, b in pairs]))
            _index = (rows_of, runs)
        return _index


@caches.register
def clear() -> None:
    """Forget the history index."""
    global _index
    with _lock:
        _index = None


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


def _spans(ids: tuple[str, ...]) -> list[tuple[str, str]]:
    order = [info.id for info in available_releases()]
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


def describe_history(ids: tuple[str, ...], release: Release) -> str:
    """Plain words for when a code existed, from :func:`releases_with`, e.g.
    ``"deleted after FY2023"``."""
    if not ids:
        infos = available_releases()
        return (f"it is in no release from {_label(infos[0].id)} to {_label(infos[-1].id)}")
    spans = _spans(ids)
    text = ", ".join(
        _label(a) if a == b else f"{_label(a)} to {_label(b)}" for a, b in spans
    )
    order = [info.id for info in available_releases()]
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
    billable = release.billable_flags
    for length in range(len(undotted) - 1, 2, -1):
        index = release.index_of(undotted[:length])
        if index is not None:
            if billable[index]:
                found.append(dot(undotted[:length]))
            else:
                found.extend(release.billable_below(index, limit))
            break
    unique = dict.fromkeys(found[:limit])
    for candidate in _slips(undotted):
        if len(unique) >= limit:
            break
        index = release.index_of(candidate)
        if index is not None and billable[index] and candidate != undotted:
            unique[dot(candidate)] = None
    return tuple(unique)


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
