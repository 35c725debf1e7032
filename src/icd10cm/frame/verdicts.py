"""The verdict on each distinct value of a column, as dictionary-encoded columns.

A column of ten million rows usually holds a few thousand distinct values. Each
library's module finds them, this module validates each one once, and the
module maps the verdicts back to the rows. Nothing here imports a data frame
library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from icd10cm.codes.validate import Status, validate
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["COLUMNS", "STATUSES", "Encoded", "Verdicts", "exact_key", "factorized", "firsts",
           "verdicts"]

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


_UNHASHABLE = object()  # marks the keys of unhashable values: no cell holds it


def exact_key(value: object) -> object:
    """*value* itself where it hashes; else a hashable key that equals another one only
    when the two values are equal and of the same type: the keys of its items (of a
    dict, a set of its pairs; of a numpy array, its list), or the whole repr of a value
    without items.

    Never a cut text: two lists that differ only after their first eighty characters
    are two values, so two encounter ids, not one.
    """
    try:
        hash(value)
    except TypeError:
        pass
    else:
        return value
    items: object
    if isinstance(value, dict):
        items = frozenset((exact_key(key), exact_key(item)) for key, item in value.items())
    elif isinstance(value, set):
        items = frozenset(exact_key(item) for item in value)
    elif isinstance(value, (list, tuple)):
        items = tuple(exact_key(item) for item in value)
    elif callable(tolist := getattr(value, "tolist", None)):  # numpy arrays
        items = exact_key(tolist())
    else:
        items = repr(value)
    return (_UNHASHABLE, type(value), items)


def firsts(ids: Iterable[int], cells: Iterable[object]) -> list[object]:
    """The cell where each id first occurs, by id (0, 1, 2 ...): the distinct values of
    cells factorised by their :func:`exact_key`, ids given in order of first appearance
    (a negative id, a null, is left out)."""
    found: dict[int, object] = {}
    for ident, cell in zip(ids, cells, strict=True):
        if ident >= 0 and ident not in found:
            found[ident] = cell
    return [found[ident] for ident in range(len(found))]


def _typed_key(value: object) -> object:
    """None for None, else *value*'s type and :func:`exact_key`."""
    return None if value is None else (type(value), exact_key(value))


def factorized(values: Iterable[object], key: Callable[[object], object] = _typed_key
               ) -> tuple[list[int], list[object]]:
    """The position of each of *values* among the distinct ones (-1 where *key* gives None),
    and the distinct values, in order of first appearance.

    By default for the values a data frame library cannot compare itself (Arrow lists,
    structs and maps, polars ``Object`` columns): two values are the same when they have
    the same type and the same :func:`exact_key`, and None is an empty cell.
    """
    index: dict[object, int] = {}
    distinct: list[object] = []
    positions: list[int] = []
    for value in values:
        found = key(value)
        if found is None:
            positions.append(-1)
            continue
        position = index.setdefault(found, len(distinct))
        if position == len(distinct):
            distinct.append(value)
        positions.append(position)
    return positions, distinct
