"""Chapters and blocks (the Tabular List's sections)."""

from __future__ import annotations

import attrs

__all__ = ["Block", "Chapter"]


@attrs.frozen
class Chapter:
    """A chapter of the Tabular List, e.g. chapter 4, E00-E89."""

    number: int
    title: str
    first: str
    last: str

    @property
    def range(self) -> str:
        return self.first if self.first == self.last else f"{self.first}-{self.last}"

    def __str__(self) -> str:
        return f"Chapter {self.number}: {self.title} ({self.range})"


@attrs.frozen
class Block:
    """A block of categories (a tabular ``section``), e.g. ``"E08-E13"``."""

    id: str
    title: str
    first: str
    last: str
    chapter: int

    def __str__(self) -> str:
        return f"{self.title} ({self.id})"
