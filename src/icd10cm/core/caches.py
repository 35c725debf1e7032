"""The registry of the library's caches.

Each module that keeps a cache registers the function that empties it, once, at
import; :func:`icd10cm.clear_cache` calls them all. A cache that was never
imported holds nothing, so it needs no clearing. Each ``clear`` takes at most its
own lock, so clearing never waits on two locks at once.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

__all__ = ["HeldMemo", "Holder", "IdentityMemo", "RecentMemo", "clear_all", "register"]

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


class Holder(Protocol):
    """An object that holds the values :class:`HeldMemo` caches keep for it."""

    @property
    def memos(self) -> dict[object, object]: ...


H = TypeVar("H", bound=Holder)


class HeldMemo(Generic[H, V]):
    """Values kept for objects that the values refer to, held by the objects themselves.

    A weakly keyed cache whose value refers to its key keeps the key alive for good
    (the facts of a release's codes hold the codes, which hold the release). Held by
    the key (in its :attr:`Holder.memos`), key and value go together once nothing else
    refers to them. The memo knows its keys weakly, so that :meth:`clear` can take its
    values back. Registered with :func:`register`.
    """

    __slots__ = ("_holders", "_lock")

    def __init__(self) -> None:
        self._holders: weakref.WeakSet[H] = weakref.WeakSet()
        self._lock = threading.Lock()
        register(self.clear)

    def made(self, key: H, make: Callable[[H], V]) -> V:
        """The value kept for *key*: ``make(key)``, made once (thread-safe) and kept."""
        value: V | None = key.memos.get(self)  # type: ignore[assignment]  # a V made here
        if value is None:
            with self._lock:
                value = key.memos.get(self)  # type: ignore[assignment]
                if value is None:
                    value = key.memos[self] = make(key)
                    self._holders.add(key)
        return value

    def clear(self) -> None:
        with self._lock:
            for holder in list(self._holders):
                holder.memos.pop(self, None)
            self._holders.clear()


class RecentMemo(Generic[K, V]):
    """Values kept for the last *size* objects put, keyed by identity.

    For values worked out from an object that are asked for again soon after (the
    analysis of an encounter, which :func:`icd10cm.check` and :func:`icd10cm.sequence`
    both read): unlike :class:`IdentityMemo`, it holds its keys (a value may refer to
    its key without keeping it alive for good) and makes no weak reference, so it
    costs a dictionary read to look up and keeps at most *size* values. Registered
    with :func:`register`.
    """

    __slots__ = ("_items", "_lock", "_size")

    def __init__(self, size: int) -> None:
        self._items: dict[int, tuple[K, V]] = {}
        self._lock = threading.Lock()
        self._size = size
        register(self.clear)

    def get(self, key: K) -> V | None:
        item = self._items.get(id(key))
        return item[1] if item is not None and item[0] is key else None

    def put(self, key: K, value: V) -> None:
        items = self._items
        with self._lock:
            items.pop(id(key), None)  # a key put again becomes the most recent
            items[id(key)] = (key, value)
            if len(items) > self._size:
                del items[next(iter(items))]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
