"""The verdict on each distinct value of a column, as dictionary-encoded columns.

A column of ten million rows usually holds a few thousand distinct values. Each
library's module finds them, this module validates each one once, and the
module maps the verdicts back to the rows. Nothing here imports a data frame
library.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from icd10cm.codes.validate import Status, hashable_key, validate
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["COLUMNS", "STATUSES", "Encoded", "Verdicts", "factorized", "verdicts"]

COLUMNS = ("code", "status", "message", "title", "chapter", "block")
STATUSES = tuple(status.value for status in Status)  # the status column's categories


@attrs.frozen
class Encoded:
    """A string column over the distinct values, dictionary-encoded.

    *categories* are its distinct strings in order of first appearance;
    *positions* gives, for each distinct value, the index of its string in
    *categories*, or -1 where it is null.
    """

    categories: tuple[str, ...]
    positions: tuple[int, ...]

    @classmethod
    def of(cls, strings: Iterable[str | None], categories: Iterable[str] = ()) -> Encoded:
        """Encode *strings*, starting from the given *categories* (if any)."""
        index = {category: i for i, category in enumerate(categories)}
        positions: list[int] = []
        for string in strings:
            if string is None:
                positions.append(-1)
            else:
                positions.append(index.setdefault(string, len(index)))
        return cls(tuple(index), tuple(positions))

    def decoded(self) -> list[str | None]:
        """The string (or None) of each distinct value."""
        return [None if p < 0 else self.categories[p] for p in self.positions]


@attrs.frozen
class Verdicts:
    """The output columns (see :data:`COLUMNS`) for each distinct input value.

    *chapter* holds chapter numbers. *title*, *chapter* and *block* are those of
    the code in the release, and null where the release has no such code.
    """

    code: Encoded
    status: Encoded  # its categories are STATUSES, every status in Status order
    message: Encoded
    title: Encoded
    chapter: tuple[int | None, ...]
    block: Encoded


def verdicts(values: Iterable[object], release: ReleaseLike | None) -> Verdicts:
    """Validate each of the distinct *values* once with :func:`icd10cm.validate`.

    Nulls (None, NaN, pandas' NA) get :attr:`Status.MISSING` and other
    non-strings :attr:`Status.MALFORMED`, as :func:`icd10cm.validate` gives them.
    """
    resolved = resolve_release(release)
    codes: list[str | None] = []
    statuses: list[str] = []
    messages: list[str] = []
    titles: list[str | None] = []
    chapters: list[int | None] = []
    blocks: list[str | None] = []
    for value in values:
        verdict = validate(value, release=resolved)  # type: ignore[arg-type]
        code = None if verdict.code is None else resolved.get(verdict.code)
        codes.append(verdict.code)
        statuses.append(verdict.status.value)
        messages.append(verdict.message)
        titles.append(None if code is None else code.title)
        chapters.append(None if code is None else code.chapter.number)
        blocks.append(None if code is None else code.block.id)
    return Verdicts(
        code=Encoded.of(codes),
        status=Encoded.of(statuses, STATUSES),
        message=Encoded.of(messages),
        title=Encoded.of(titles),
        chapter=tuple(chapters),
        block=Encoded.of(blocks),
    )


def factorized(values: Iterable[object]) -> tuple[list[int], list[object]]:
    """The position of each of *values* among the distinct ones (-1 for None), and the
    distinct values other than None, in order of first appearance.

    For the values a data frame library cannot compare itself (Arrow lists, structs and
    maps, polars ``Object`` columns): two values are the same when they have the same
    type and are equal, as :func:`~icd10cm.codes.validate.hashable_key` makes them.
    """
    index: dict[tuple[type, object], int] = {}
    distinct: list[object] = []
    positions: list[int] = []
    for value in values:
        if value is None:
            positions.append(-1)
            continue
        key = (type(value), hashable_key(value))
        position = index.setdefault(key, len(distinct))
        if position == len(distinct):
            distinct.append(value)
        positions.append(position)
    return positions, distinct
