"""Which release lends a part to a release that lacks it.

The rule (:func:`nearest_source`): a release uses its own file for a part when it
has one. Otherwise it takes the part from the nearest release that has it: first
a release of the same fiscal year, then the nearest earlier release, then the
nearest later one. FY2026 takes its notes from the April 2026 update, FY2027
from the April 2026 update too (the nearest earlier), and FY2024 from FY2023.
"""

from __future__ import annotations

from collections.abc import Sequence

from icd10cm.core.info import BORROWABLE, Part, ReleaseInfo

__all__ = ["borrowings", "nearest_source"]


def nearest_source(
    info: ReleaseInfo, part: Part, candidates: Sequence[ReleaseInfo]
) -> ReleaseInfo | None:
    """The release of *candidates* whose own *part* serves *info*, or None if none has
    it. *info* itself when it has the part."""
    if part in info.parts:
        return info
    having = [other for other in candidates if part in other.parts and other.id != info.id]
    start = info.effective_from
    same_year = [other for other in having if other.fiscal_year == info.fiscal_year]
    if same_year:
        return min(same_year, key=lambda other: (abs((other.effective_from - start).days),
                                                 other.effective_from))
    earlier = [other for other in having if other.effective_from < start]
    if earlier:
        return max(earlier, key=lambda other: other.effective_from)
    later = [other for other in having if other.effective_from > start]
    return min(later, key=lambda other: other.effective_from) if later else None


def borrowings(info: ReleaseInfo, candidates: Sequence[ReleaseInfo]) -> dict[Part, str]:
    """Every part *info* lacks, mapped to the id of the release it takes it from."""
    found = {}
    for part in BORROWABLE:
        if part not in info.parts:
            source = nearest_source(info, part, candidates)
            if source is not None:
                found[part] = source.id
    return found
