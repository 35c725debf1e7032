"""The bundled releases nearest to a release that have a part of their own (for messages
that name them when a caller asked for the release's own data only)."""

from __future__ import annotations

from icd10cm.core.info import Part, ReleaseInfo
from icd10cm.core.release import Release
from icd10cm.releases.registry import available_releases

__all__ = ["nearest_having"]


def nearest_having(release: Release, part: Part) -> list[ReleaseInfo]:
    """The closest bundled release before *release* and the closest one after it, by
    date, that have *part* of their own (none, one or both; the earlier first): the
    releases an error names when a caller asked for the release's own data only."""
    having = [info for info in available_releases()
              if part in info.parts and info.id != release.id]
    start = release.info.effective_from
    before = [info for info in having if info.effective_from < start]
    after = [info for info in having if info.effective_from > start]
    return [*before[-1:], *after[:1]]
