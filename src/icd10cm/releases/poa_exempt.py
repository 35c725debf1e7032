"""The codes exempt from present-on-admission reporting (Guidelines Appendix I), by release.

CMS publishes one POA-exempt list per fiscal year (and for some April and January
updates). A release without a list of its own uses the nearest release's list
(:attr:`icd10cm.ReleaseInfo.borrowed`), and the list says whose it is.

>>> import icd10cm
>>> fy2027 = icd10cm.poa_exempt_list(release="2027")
>>> fy2027.source_release, fy2027.borrowed, "Z37.0" in fy2027, "E11.9" in fy2027
('2026', True, True, False)

A borrowed list cannot judge the codes that are new since its release:

>>> fy2027.judges("E11.9"), fy2027.judges("Q87.A"), "Q87.A" in fy2027.not_in_source
(True, False, True)
"""

from __future__ import annotations

import threading
import weakref
from datetime import date, datetime

import attrs

from icd10cm.core import caches
from icd10cm.core.code import Code
from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.core.text import dot, undot
from icd10cm.errors import PoaExemptUnavailableError
from icd10cm.releases import bundle
from icd10cm.releases.nearest import nearest_having
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["PoaExemptList", "poa_exempt_list"]

_FILE = "poa-exempt.table"


@attrs.frozen
class PoaExemptList:
    """The POA-exempt codes that apply to a release.

    *release* is the release the list serves and *source_release* the release whose
    official list it is (the same unless the list is borrowed). *codes* are dotted,
    as published. ``code in the_list`` takes a dotted or undotted code, or a
    :class:`~icd10cm.Code`. A borrowed list is re-checked against the release it
    serves: *not_in_release* holds the listed codes that release does not have (deleted
    since, so they cannot be on its claims), and *not_in_source* the codes of that
    release that the list's own release does not have (new since): the list cannot say
    whether they are exempt (:meth:`judges`).
    """

    release: str
    source_release: str
    codes: frozenset[str] = attrs.field(repr=lambda codes: f"<{len(codes)} codes>")
    not_in_release: frozenset[str] = frozenset()
    not_in_source: frozenset[str] = attrs.field(
        default=frozenset(), repr=lambda codes: f"<{len(codes)} codes>")

    @property
    def borrowed(self) -> bool:
        """Whether the list is another release's (the release has none of its own)."""
        return self.source_release != self.release

    def __contains__(self, code: object) -> bool:
        dotted = _dotted(code)
        return dotted is not None and dotted in self.codes

    def judges(self, code: object) -> bool:
        """Whether the list can say if *code* is exempt: False for a code that is new
        since the release whose list this is (in *not_in_source*), so that its absence
        from the list means nothing. ``code in the_list`` is then False, but the code may
        be on the official list of its own release, which the official files lack."""
        dotted = _dotted(code)
        return dotted is not None and dotted not in self.not_in_source

    def __len__(self) -> int:
        return len(self.codes)

    def __str__(self) -> str:
        whose = ("the release's own list" if not self.borrowed
                 else f"the list of release {self.source_release}, the nearest with one")
        return f"POA-exempt codes for ICD-10-CM {self.release}: {len(self)} codes, {whose}"


def _dotted(code: object) -> str | None:
    """A code as the list spells it (dotted, upper case), or None for a non-code."""
    if isinstance(code, Code):
        return code.value
    return dot(undot(code.strip().upper())) if isinstance(code, str) else None


_lock = threading.Lock()
_lists: weakref.WeakKeyDictionary[Release, PoaExemptList] = weakref.WeakKeyDictionary()


@caches.register
def clear() -> None:
    """Forget every list read so far."""
    with _lock:
        _lists.clear()


def poa_exempt_list(
    release: ReleaseLike | None = None,
    *,
    date_of_service: date | datetime | str | None = None,
    own_data_only: bool = False,
) -> PoaExemptList:
    """The POA-exempt list that applies to a release (default: the latest, or the one
    in force on *date_of_service*).

    A release without a list of its own gets the nearest release's (same fiscal year
    first, then the nearest earlier, then the nearest later); with *own_data_only*
    it raises :class:`PoaExemptUnavailableError` instead.
    """
    resolved = resolve_release(release, date_of_service=date_of_service)
    source = resolved.info.source_of(Part.POA_EXEMPT)
    if source is None or (own_data_only and source != resolved.id):
        raise PoaExemptUnavailableError(
            resolved.id, resolved.info.label,
            [info.id for info in nearest_having(resolved, Part.POA_EXEMPT)],
            own_data_only=own_data_only and source is not None)
    found = _lists.get(resolved)
    if found is None:
        table = bundle.read_table(_FILE)
        (codes,) = table.select(source, "code") or [()]
        listed = frozenset(codes)
        stale: frozenset[str] = frozenset()
        new: frozenset[str] = frozenset()
        if source != resolved.id:
            stale = frozenset(code for code in listed if resolved.index_of(code) is None)
            lender = resolve_release(source)
            new = frozenset(dot(code) for code in resolved.undotted_codes
                            if lender.index_of(code) is None)
        found = PoaExemptList(resolved.id, source, listed, stale, new)
        with _lock:
            found = _lists.setdefault(resolved, found)
    return found
