"""When a code existed across the bundled releases, and which valid codes are closest."""

from __future__ import annotations

import threading

from icd10cm import _data
from icd10cm.release import Release, dot, undot
from icd10cm.releases import available_releases

__all__ = ["clear", "closest_codes", "describe_history", "releases_with"]

_lock = threading.Lock()
_masks: dict[str, int] | None = None
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _code_masks() -> dict[str, int]:
    """Undotted code -> bit mask of the bundled releases (in date order) that have it."""
    global _masks
    infos = available_releases()  # before _lock: never hold it while taking releases' lock
    with _lock:
        if _masks is None:
            table = _data.read_table("codes.table")
            masks: dict[str, int] = {}
            codes = table.columns["code"]
            for bit, info in enumerate(infos):
                flag = 1 << bit
                for row in table.rows(info.id) or ():
                    code = codes[row]
                    masks[code] = masks.get(code, 0) | flag
            _masks = masks
        return _masks


def clear() -> None:
    global _masks
    with _lock:
        _masks = None


def releases_with(code: str) -> tuple[str, ...]:
    """Ids of the bundled releases that have *code* (dotted or undotted), oldest first."""
    mask = _code_masks().get(undot(code), 0)
    return tuple(info.id for bit, info in enumerate(available_releases()) if mask >> bit & 1)


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


def describe_history(code: str, release: Release) -> str:
    """Plain words for when *code* existed, e.g. ``"deleted after FY2023"``."""
    ids = releases_with(code)
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
    for length in range(len(undotted) - 1, 2, -1):
        ancestor = release.get(undotted[:length])
        if ancestor is not None:
            if ancestor.is_billable:
                found.append(ancestor.value)
            else:
                found.extend(c.value for c in ancestor.descendants if c.is_billable)
            break
    # one-character slips, latest position first: a slip late in the code keeps more of
    # it; the first letter (the chapter) is changed only as a last resort
    candidates: list[str] = []
    for i in range(len(undotted) - 1, -1, -1):
        if i + 1 < len(undotted):
            candidates.append(undotted[:i] + undotted[i + 1] + undotted[i] + undotted[i + 2 :])
        candidates.extend(undotted[:i] + ch + undotted[i + 1 :] for ch in _ALPHABET)
        candidates.append(undotted[:i] + undotted[i + 1 :])
        if i >= 3:
            candidates.extend(undotted[:i] + ch + undotted[i:] for ch in _ALPHABET)
    candidates.extend(undotted + ch for ch in _ALPHABET)
    position, billable = release._position, release._billable
    for candidate in candidates:
        index = position.get(candidate)
        if index is not None and billable[index] and candidate != undotted:
            found.append(dot(candidate))
    unique = list(dict.fromkeys(found))
    return tuple(unique[:limit])
