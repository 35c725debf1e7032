"""Find, load and cache the bundled releases, and resolve which release an argument names.

:func:`resolve_release` is the one place that turns ``release=`` and
``date_of_service=`` arguments into a :class:`Release`; the library, the
encounter builder and the command line all call it (or :func:`resolve`, which
collects the problems instead of raising).
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime
from typing import Union

import attrs

from icd10cm.core import caches
from icd10cm.core.info import ReleaseInfo
from icd10cm.core.release import Release
from icd10cm.errors import (
    Icd10cmError,
    InvalidDateError,
    NoReleaseForDateError,
    ReleaseDateMismatchError,
    UnknownReleaseError,
)
from icd10cm.releases import assembly
from icd10cm.releases.recheck import recheck_note

__all__ = [
    "ReleaseLike",
    "Resolution",
    "as_date",
    "available_releases",
    "clear_cache",
    "latest_release",
    "load_release",
    "release_for",
    "resolve",
    "resolve_release",
]

#: What functions taking ``release=`` accept: an id (``"2025-04"``, ``"2025"``,
#: ``2025``), a date of service (a ``datetime.date`` or ``"2025-06-30"``), or a
#: :class:`Release`.
ReleaseLike = Union[str, int, date, Release]  # noqa: UP007 (a runtime alias on 3.10)

_lock = threading.RLock()
_infos: tuple[ReleaseInfo, ...] | None = None
_releases: dict[str, Release] = {}
_latest: tuple[Release, ...] = ()  # (latest_release(),) once loaded: the release=None path
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only


def available_releases() -> tuple[ReleaseInfo, ...]:
    """Every bundled release, oldest first. Reads a small index, loads no codes."""
    global _infos
    with _lock:
        if _infos is None:
            _infos = assembly.bundled_infos()
        return _infos


def _release_id(release: str | int) -> str:
    if (isinstance(release, bool) or not isinstance(release, (str, int))
            or (isinstance(release, int) and not 0 < release < 10_000)):  # not a year
        raise UnknownReleaseError(release, (i.id for i in available_releases()))
    return str(release).strip() if isinstance(release, str) else str(release)


def load_release(release: str | int) -> Release:
    """The bundled release with this id, loaded once (thread-safe) and cached.

    ``"2025-04"`` is the April 1, 2025 update; ``"2025"`` or ``2025`` is the
    October 1 release that opens fiscal year 2025.
    """
    release_id = _release_id(release)
    cached = _releases.get(release_id)
    if cached is not None:
        return cached
    with _lock:
        cached = _releases.get(release_id)
        if cached is None:
            infos = {info.id: info for info in available_releases()}
            if release_id not in infos:
                raise UnknownReleaseError(release, infos)
            cached = _releases[release_id] = assembly.bundled_release(
                infos[release_id], recheck_note)
        return cached


def _is_datetime64(value: object) -> bool:
    """Whether *value* is a ``numpy.datetime64`` (told by its type: numpy is not imported)."""
    kind = type(value)
    return kind.__name__ == "datetime64" and kind.__module__ == "numpy"


def as_date(when: date | datetime | str) -> date:
    """A date of service: a ``datetime.date``, a ``datetime`` (its day in its own time
    zone), a ``numpy.datetime64`` of a day or finer, or an ISO date string
    (``"2025-06-30"``: that form only, on every Python version)."""
    if isinstance(when, datetime):
        if when != when:  # a missing value (pandas NaT) is no date
            raise InvalidDateError(when)
        return when.date()
    if isinstance(when, date):
        return when
    text = str(when)[:10] if _is_datetime64(when) else when  # 'NaT' or '2025-06-30...'
    if isinstance(text, str) and _ISO_DATE.fullmatch(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:  # 2025-02-30
            pass
    raise InvalidDateError(when)


def release_for(when: date | datetime | str) -> Release:
    """The release in force on a date of service (for inpatient stays, the discharge date).

    A date outside every bundled release raises :class:`NoReleaseForDateError`;
    there is no fallback to the nearest release.
    """
    day = as_date(when)
    infos = available_releases()
    for info in infos:
        if info.covers(day):
            return load_release(info.id)
    raise NoReleaseForDateError(
        day,
        (i.id for i in infos),
        f"{infos[0].effective_from} to {infos[-1].effective_to}",
        before=day < infos[0].effective_from,
    )


def latest_release() -> Release:
    """The newest bundled release."""
    global _latest
    latest = _latest  # read once: clear_cache() may rebind it meanwhile
    if latest:
        return latest[0]
    with _lock:
        release = load_release(available_releases()[-1].id)
        _latest = (release,)
        return release


def _named(release: ReleaseLike) -> Release:
    if isinstance(release, Release):
        return release
    if (isinstance(release, date) or _is_datetime64(release)
            or (isinstance(release, str) and _ISO_DATE.fullmatch(release.strip()))):
        return release_for(release)  # type: ignore[arg-type]  # a datetime64 too
    return load_release(release)


def resolve_release(
    release: ReleaseLike | None = None,
    *,
    date_of_service: date | datetime | str | None = None,
) -> Release:
    """The release a ``release=`` argument names; None means the release in force on
    *date_of_service*, or without one :func:`latest_release`.

    Given both, the release must cover the date: otherwise
    :class:`ReleaseDateMismatchError` names the release in force then.
    """
    if date_of_service is None:
        if release is None:
            latest = _latest
            return latest[0] if latest else latest_release()
        return _named(release)
    day = as_date(date_of_service)
    if release is None:
        return release_for(day)
    named = _named(release)
    if not named.info.covers(day):
        raise ReleaseDateMismatchError(named.id, str(named.info), day, _in_force(day))
    return named


def _in_force(day: date) -> str | None:
    return next((info.id for info in available_releases() if info.covers(day)), None)


@attrs.frozen
class Resolution:
    """What :func:`resolve` found: the release and the date of service (None where
    they could not be had), and every problem, in words."""

    release: Release | None
    date_of_service: date | None
    problems: tuple[str, ...]


def resolve(
    release: ReleaseLike | None = None,
    *,
    date_of_service: date | datetime | str | None = None,
) -> Resolution:
    """Like :func:`resolve_release`, but collects every problem instead of raising the
    first: a bad date, an unknown release, and a release that does not cover the date."""
    problems: list[str] = []
    day: date | None = None
    if date_of_service is not None:
        try:
            day = as_date(date_of_service)
        except Icd10cmError as error:
            problems.append(str(error))
    resolved: Release | None = None
    try:
        if release is not None:
            resolved = _named(release)
        elif day is not None:
            resolved = release_for(day)
        elif date_of_service is None:
            resolved = latest_release()
    except Icd10cmError as error:
        problems.append(str(error))
    if resolved is not None and day is not None and not resolved.info.covers(day):
        problems.append(str(ReleaseDateMismatchError(
            resolved.id, str(resolved.info), day, _in_force(day))))
    return Resolution(resolved, day, tuple(problems))


@caches.register
def _forget_releases() -> None:
    global _infos, _latest
    with _lock:
        _releases.clear()
        _latest = ()
        _infos = None


def clear_cache() -> None:
    """Forget every loaded release and every cache built from one; the next use
    reloads them."""
    caches.clear_all()
