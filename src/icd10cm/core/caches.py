"""The registry of the library's caches.

Each module that keeps a cache registers the function that empties it, once, at
import; :func:`icd10cm.clear_cache` calls them all. A cache that was never
imported holds nothing, so it needs no clearing. Each ``clear`` takes at most its
own lock, so clearing never waits on two locks at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["IdentityMemo", "clear_all", "register"]

K = TypeVar("K")
V = TypeVar("V")

_clearers: list[Callable[[], None]] = []


def register(clear: Callable[[], None]) -> Callable[[], None]:
    """Register *clear* to be called by :func:`clear_all`; returns it (a decorator)."""
    _clearers.append(clear)
    return clear


def clear_all() -> None:
    """Empty every registered cache."""
    for clear in tuple(_clearers):
        clear()


class IdentityMemo(Generic[K, V]):
    """Values kept for live objects, keyed by identity, dropped when the object dies.

    For objects that are cheap to make and expensive to hash (an encounter): looking
    one up costs an ``id()`` and a dictionary read. Registered with :func:`register`.
    """

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: dict[int, tuple[weakref.ref[K], V]] = {}
        register(self.clear)

    def get(self, key: K) -> V | None:
        item = self._items.get(id(key))
        return item[1] if item is not None and item[0]() is key else None

    def put(self, key: K, value: V) -> None:
        ident, items = id(key), self._items
        items[ident] = (weakref.ref(key, lambda _: items.pop(ident, None)), value)

    def clear(self) -> None:
        self._items.clear()
