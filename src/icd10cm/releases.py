"""Find, load and cache releases: by id, by date of service, or from official files."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Union

from icd10cm import _assembly, _data
from icd10cm.errors import (
    InvalidDateError,
    NoReleaseForDateError,
    SourceFileError,
    UnknownReleaseError,
)
from icd10cm.release import Release
from icd10cm.release_info import ReleaseInfo

if TYPE_CHECKING:
    from icd10cm._build.sources import SourceFile

__all__ = [
    "ReleaseLike",
    "available_releases",
    "clear_cache",
    "latest_release",
    "load_release",
    "release_for",
    "release_from_files",
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


def available_releases() -> tuple[ReleaseInfo, ...]:
    """Every bundled release, oldest first. Reads a small index, loads no codes."""
    global _infos
    with _lock:
        if _infos is None:
            _infos = _assembly.bundled_infos()
        return _infos


def _release_id(release: str | int) -> str:
    if isinstance(release, bool) or not isinstance(release, (str, int)):
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
            cached = _releases[release_id] = _assembly.bundled_release(infos[release_id])
        return cached


def _as_date(when: date | datetime | str) -> date:
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    if isinstance(when, str):
        try:
            return date.fromisoformat(when.strip())
        except ValueError:
            pass
    raise InvalidDateError(when)


def release_for(when: date | datetime | str) -> Release:
    """The release in force on a date of service (for inpatient stays, the discharge date).

    A date outside every bundled release raises :class:`NoReleaseForDateError`;
    there is no fallback to the nearest release.
    """
    day = _as_date(when)
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


def resolve_release(release: ReleaseLike | None) -> Release:
    """The release a ``release=`` argument names; None means :func:`latest_release`."""
    if release is None:
        latest = _latest
        return latest[0] if latest else latest_release()
    if isinstance(release, Release):
        return release
    if isinstance(release, date) or (isinstance(release, str) and _ISO_DATE.fullmatch(release)):
        return release_for(release)
    return load_release(release)


def clear_cache() -> None:
    """Forget every loaded release and decoded data file; the next use reloads them."""
    global _infos, _latest
    from icd10cm import _history, _search_index, _table_lookup

    with _lock:
        _releases.clear()
        _latest = ()
        _infos = None
        _data.clear_cache()
    _history.clear()  # outside _lock: _history takes its own lock, then ours
    _search_index.clear()  # the search indexes and index trees
    _table_lookup.clear()  # the drug and neoplasm tables


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTHS = {"jan": "01", "april": "04"}  # CDC names its update files by month
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_RELEASE_ID = re.compile(r"(20\d\d)(?:-(0[1-9]|1[0-2]))?")


def release_from_files(
    *paths: str | Path,
    release_id: str | None = None,
    effective_from: date | None = None,
) -> Release:
    """Build a release at run time from your own copies of the official files.

    *paths* are the zips as CMS/CDC publish them (for example
    ``2028-code-descriptions-tabular-order.zip`` and
    ``2028-code-tables-tabular-and-index.zip``), folders, or extracted files. The
    order file is required; the tabular XML adds notes. *release_id* is
    ``"YYYY"`` or ``"YYYY-MM"`` (default: the year in the order file's name);
    *effective_from* defaults to October 1 before fiscal year YYYY, or the 1st
    of month MM. The result is not cached or registered: pass it as
    ``release=`` where you need it.
    """
    from icd10cm._build.assemble import assemble_files
    from icd10cm._build.sources import scan_sources

    if not paths:
        raise TypeError("release_from_files() needs at least one file, folder or zip")
    files = scan_sources(paths)
    label = ", ".join(str(p) for p in paths)
    if release_id is None:
        release_id = _guess_release_id(files, label)
    match = _RELEASE_ID.fullmatch(release_id)
    if match is None:
        raise UnknownReleaseError(release_id, ["YYYY (e.g. 2028)", "YYYY-MM (e.g. 2028-04)"])
    fiscal_year = int(match.group(1))
    if effective_from is None:
        effective_from = (
            date(fiscal_year, int(match.group(2)), 1)
            if match.group(2)
            else date(fiscal_year - 1, 10, 1)
        )
    content = assemble_files(
        files,
        label,
        release_id=release_id,
        fiscal_year=fiscal_year,
        effective_from=effective_from,
        fallback_structures=_assembly.bundled_structures(available_releases()),
    )
    return _assembly.release_from_content(content, date(fiscal_year, 9, 30))


def _guess_release_id(files: Sequence[SourceFile], label: str) -> str:
    orders = [f for f in files if f.role == "order"]
    if not orders:
        from icd10cm._build.assemble import NO_ORDER_FILE

        raise SourceFileError(label, NO_ORDER_FILE)
    names = [Path(file.name.split("!")[-1]).name for file in orders]
    years = {year for name in names for year in _YEAR.findall(name)}
    months = {month for name in names for word, month in _MONTHS.items() if word in name.lower()}
    if len(years) == 1 and len(months) == 1:  # icd10cm-order-April-2025.txt
        return f"{years.pop()}-{months.pop()}"
    if len(years) != 1:
        raise SourceFileError(
            "order file",
            f"its name does not tell the fiscal year (years found: {sorted(years) or 'none'}); "
            "pass release_id='YYYY' or 'YYYY-MM'",
        )
    return str(years.pop())
