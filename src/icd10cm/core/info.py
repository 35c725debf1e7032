"""What a release is: its id, dates of use, the parts it has and where they came from."""

from __future__ import annotations

import enum
from datetime import date

import attrs

__all__ = ["Part", "ReleaseInfo", "ReleaseSource"]


class Part(str, enum.Enum):
    """A part of an official release that the data of a release includes."""

    ORDER = "order"  # codes, titles and the billable flag (always present)
    TABULAR = "tabular"  # instructional notes and 7th-character definitions
    INDEX = "index"  # the Alphabetic Index of diseases and injuries
    EINDEX = "eindex"  # the External Cause Index
    DRUG = "drug"  # the Table of Drugs and Chemicals
    NEOPLASM = "neoplasm"  # the Neoplasm Table

    def __str__(self) -> str:
        return self.value


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

    @property
    def has_notes(self) -> bool:
        """Whether the release has instructional notes from a tabular of its own."""
        return Part.TABULAR in self.parts

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
