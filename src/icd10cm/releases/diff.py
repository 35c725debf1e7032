"""Compare two releases: the codes added, deleted, retitled or made (non-)reportable."""

from __future__ import annotations

import attrs

from icd10cm.core.release import Release
from icd10cm.core.text import dot
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["BillableChange", "ReleaseDiff", "Retitle", "diff"]


@attrs.frozen
class Retitle:
    """A code whose long or short title differs between the two releases."""

    code: str
    old_title: str
    new_title: str
    old_short_title: str
    new_short_title: str

    def __str__(self) -> str:
        return f"{self.code}: {self.old_title!r} -> {self.new_title!r}"


@attrs.frozen
class BillableChange:
    """A code in both releases that became reportable, or became a header."""

    code: str
    old_billable: bool
    new_billable: bool

    def __str__(self) -> str:
        def kind(billable: bool) -> str:
            return "billable" if billable else "header"

        return f"{self.code}: {kind(self.old_billable)} -> {kind(self.new_billable)}"


@attrs.frozen
class ReleaseDiff:
    """What changed from release *old* to release *new* (ids; either may be the
    newer one). Codes are dotted values: *added* in the tabular order of *new*,
    the others in the tabular order of *old*."""

    old: str
    new: str
    added: tuple[str, ...]
    deleted: tuple[str, ...]
    retitled: tuple[Retitle, ...]
    billable_changed: tuple[BillableChange, ...]

    @property
    def is_empty(self) -> bool:
        """Whether the two releases have the same codes, titles and flags."""
        return not (self.added or self.deleted or self.retitled or self.billable_changed)

    def __str__(self) -> str:
        return (
            f"ICD-10-CM {self.old} -> {self.new}: {len(self.added)} added, "
            f"{len(self.deleted)} deleted, {len(self.retitled)} retitled, "
            f"{len(self.billable_changed)} changed billable status"
        )


def _in_order(release: Release, undotted: set[str]) -> tuple[str, ...]:
    indexes = sorted(i for code in undotted if (i := release.index_of(code)) is not None)
    return tuple(dot(release.undotted_codes[i]) for i in indexes)


def diff(old: ReleaseLike, new: ReleaseLike) -> ReleaseDiff:
    """The changes from release *old* to release *new*: adjacent or not, in either
    direction (``diff("2026", "2025")`` lists the FY2026 additions as deleted).

    Takes what ``release=`` arguments take (ids, dates of service, releases).
    Codes are compared by value; titles exactly as in the order files.
    """
    before, after = resolve_release(old), resolve_release(new)
    old_codes, new_codes = before.undotted_codes, after.undotted_codes
    added = set(new_codes).difference(old_codes)
    deleted = set(old_codes).difference(new_codes)
    retitled: list[Retitle] = []
    flags: list[BillableChange] = []
    old_titles, new_titles = before.titles, after.titles
    old_short, new_short = before.short_titles, after.short_titles
    old_billable, new_billable = before.billable_flags, after.billable_flags
    for index, code in enumerate(old_codes):  # the codes of both, in the old order
        other = after.index_of(code)
        if other is None:
            continue
        if old_titles[index] != new_titles[other] or old_short[index] != new_short[other]:
            retitled.append(Retitle(dot(code), old_titles[index], new_titles[other],
                                    old_short[index], new_short[other]))
        if old_billable[index] != new_billable[other]:
            flags.append(BillableChange(dot(code), old_billable[index], new_billable[other]))
    return ReleaseDiff(
        before.id, after.id, _in_order(after, added), _in_order(before, deleted),
        tuple(retitled), tuple(flags),
    )
