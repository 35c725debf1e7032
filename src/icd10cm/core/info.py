"""What a release is: its id, dates of use, the parts it has and where they came from."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

import attrs

__all__ = ["BORROWABLE", "Part", "ReleaseInfo", "ReleaseSource"]


class Part(str, enum.Enum):
    """A part of an official release that the data of a release includes."""

    ORDER = "order"  # codes, titles and the billable flag (always present)
    TABULAR = "tabular"  # instructional notes and 7th-character definitions
    NOTES = "tabular"  # noqa: PIE796 (an alias, named for what it gives: Part.NOTES is Part.TABULAR)
    INDEX = "index"  # the Alphabetic Index of diseases and injuries
    EINDEX = "eindex"  # the External Cause Index
    DRUG = "drug"  # the Table of Drugs and Chemicals
    NEOPLASM = "neoplasm"  # the Neoplasm Table
    POA_EXEMPT = "poa_exempt"  # the codes exempt from present-on-admission reporting

    def __str__(self) -> str:
        return self.value


#: The parts a release without its own may take from the nearest release that has
#: them (see :attr:`ReleaseInfo.borrowed`). The order file is never borrowed.
BORROWABLE = (Part.TABULAR, Part.INDEX, Part.EINDEX, Part.DRUG, Part.NEOPLASM,
              Part.POA_EXEMPT)


def _frozen_mapping(value: Mapping[Part, str]) -> Mapping[Part, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class ReleaseSource:
    """An official file a release was built from, with the sha256 of its content."""

    role: str
    file: str
    sha256: str


@attrs.frozen
class ReleaseInfo:
    """Describes one release without loading its codes."""

    id: str
    fiscal_year: int
    effective_from: date
    effective_to: date
    parts: frozenset[Part]
    billable_count: int
    header_count: int
    structure_from: str
    sources: tuple[ReleaseSource, ...] = ()
    provenance: tuple[str, ...] = ()
    bundled: bool = True
    #: Each part the release lacks and takes from another release, with that release's
    #: id: ``{Part.NOTES: "2026-04", Part.INDEX: "2023", ...}``. Empty when the release
    #: has every part of its own, or none to borrow from.
    borrowed: Mapping[Part, str] = attrs.field(factory=dict, converter=_frozen_mapping,
                                               hash=False)

    def source_of(self, part: Part) -> str | None:
        """The id of the release whose own files give *part* to this one: its own id,
        the id it borrows the part from, or None if it has the part from nowhere."""
        if part in self.parts:
            return self.id
        return self.borrowed.get(part)

    @property
    def has_notes(self) -> bool:
        """Whether the release has instructional notes from a tabular of its own."""
        return Part.TABULAR in self.parts

    @property
    def notes_from(self) -> str | None:
        """The id of the release whose Tabular List gives this one its notes: its own
        id, the nearest release's (see :attr:`borrowed`), or None."""
        return self.source_of(Part.NOTES)

    @property
    def label(self) -> str:
        """A human name: ``"FY2025"``, ``"FY2025 April 1 update"``."""
        _, _, month = self.id.partition("-")
        if not month:
            return f"FY{self.fiscal_year}"
        name = {"01": "January", "04": "April"}.get(month, f"month {month}")
        return f"FY{self.fiscal_year} {name} 1 update"

    def covers(self, day: date) -> bool:
        """Whether *day* falls in the period this release is in force."""
        return self.effective_from <= day <= self.effective_to

    def __str__(self) -> str:
        return f"{self.label} ({self.effective_from} to {self.effective_to})"
