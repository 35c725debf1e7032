"""One ICD-10-CM release: its codes in tabular order, titles, chapters, blocks and notes."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import overload

from icd10cm.core.code import Category, Code
from icd10cm.core.info import ReleaseInfo
from icd10cm.core.notes import Note, NoteKind
from icd10cm.core.structure import Block, Chapter
from icd10cm.core.text import dot, undot
from icd10cm.errors import quote

__all__ = ["Release"]

_FOUND_NOTES_LIMIT = 1 << 18  # answers of notes_for kept per release (then it starts afresh)
_TEXTS_LIMIT = 1 << 18  # texts looked up and kept per release (then it starts afresh)


def _tree_of(codes: Sequence[str]) -> tuple[list[int], dict[int, tuple[int, ...]]]:
    """The parent of each code (-1 for a category) and the children of each code that has
    any, from the undotted codes in tabular order, where a code's subtree follows it."""
    parents: list[int] = []
    children: dict[int, list[int]] = {}
    stack: list[int] = []  # the codes above the current one, nearest last
    for index, code in enumerate(codes):
        while stack and not code.startswith(codes[stack[-1]]):
            stack.pop()
        parent = stack[-1] if stack else -1
        parents.append(parent)
        if parent >= 0:
            children.setdefault(parent, []).append(index)
        stack.append(index)
    return parents, {index: tuple(below) for index, below in children.items()}


class Release:
    """An immutable ICD-10-CM release: a store of its codes, titles, structure and notes.

    Supports ``code in release``, ``release[code]``, ``release.get(code)``,
    ``len(release)`` and iteration in tabular (order-file) order. Lookups take
    the canonical dotted (``"E11.9"``) or undotted (``"E119"``) form; use
    :func:`icd10cm.normalize` first for free text. Obtain releases from
    :func:`icd10cm.load_release`; two loads of one bundled release return the
    same object.

    The columns :attr:`undotted_codes`, :attr:`billable_flags`, :attr:`titles`
    and :attr:`short_titles` hold one entry per code in tabular order; a code's
    :attr:`Code.index` is its place there, and :attr:`positions` maps each
    undotted code to it. With :meth:`index_of`,
    :meth:`code_at`, :meth:`subtree_end`, :meth:`billable_below` and the
    hierarchy (:meth:`parent_of`, :meth:`children_of`, :meth:`ancestors_of`) they
    are the read API that the rest of the library uses.
    """

    __slots__ = (
        "__weakref__",
        "_ancestors",
        "_billable_set",
        "_block_of",
        "_blocks",
        "_chapter_of",
        "_chapters",
        "_checked_notes",
        "_children",
        "_code_cache",
        "_found_notes",
        "_kind_loader",
        "_kind_notes",
        "_lock",
        "_memos",
        "_node_cache",
        "_note_check",
        "_notes",
        "_notes_loader",
        "_position",
        "_text_codes",
        "_tree",
        "billable_flags",
        "info",
        "positions",
        "short_titles",
        "titles",
        "undotted_codes",
    )

    info: ReleaseInfo
    #: Every code, undotted as in the order file, in tabular order.
    undotted_codes: Sequence[str]
    #: Whether each code is reportable (order-file flag 1), in tabular order.
    billable_flags: Sequence[bool]
    #: The long title of each code, in tabular order.
    titles: Sequence[str]
    #: The short title of each code, in tabular order.
    short_titles: Sequence[str]
    #: The tabular index of each code, by its undotted form (what :meth:`index_of` reads).
    positions: Mapping[str, int]
    _position: Mapping[str, int]
    _billable_set: frozenset[str]
    _chapters: tuple[Chapter, ...]
    _blocks: tuple[Block, ...]
    _block_of: Mapping[str, Block]
    _chapter_of: Mapping[int, Chapter]
    _notes_loader: Callable[[], Mapping[str, tuple[Note, ...]]] | None
    _notes: Mapping[str, tuple[Note, ...]] | None
    _note_check: Callable[[Release, Note], Note] | None  # re-checks a borrowed note
    _checked_notes: dict[str, tuple[Note, ...]]  # borrowed notes re-checked so far, by node
    _lock: threading.Lock
    _code_cache: dict[int, Code]  # the Code objects made so far, by index: one per code
    # The hierarchy, worked out on first use: the index of each code's parent (-1 for a
    # category) and, for each code with codes below it, the indices of its children.
    _tree: tuple[list[int], dict[int, tuple[int, ...]]] | None
    _children: dict[int, tuple[Code, ...]]  # children_of(index), as answered so far
    _ancestors: dict[int, tuple[Code, ...]]  # ancestors_of(index), as answered so far
    _text_codes: dict[str, Code]  # release[text] and get(text), as answered so far
    _node_cache: dict[int, tuple[str, ...]]  # note_nodes of each code asked so far
    _kind_notes: dict[NoteKind, Mapping[str, tuple[Note, ...]]]  # notes_of_kind(), so far
    # the notes of one kind, by node, read without the others (None: read from them all)
    _kind_loader: Callable[[NoteKind], Mapping[str, tuple[Note, ...]]] | None
    _memos: dict[object, object]  # see the memos property
    # notes_for(index, kinds, inherited, own_data_only) as answered so far
    _found_notes: dict[tuple[int, frozenset[NoteKind] | None, bool, bool], tuple[Note, ...]]

    def __init__(
        self,
        info: ReleaseInfo,
        *,
        codes: Sequence[str],
        billable: Sequence[bool],
        short_titles: Sequence[str],
        titles: Sequence[str],
        chapters: Sequence[Chapter],
        blocks: Sequence[Block],
        categories: Mapping[str, str],
        notes: Callable[[], Mapping[str, tuple[Note, ...]]] | None,
        note_check: Callable[[Release, Note], Note] | None = None,
        notes_of_kind: Callable[[NoteKind], Mapping[str, tuple[Note, ...]]] | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "info", info)
        init(self, "undotted_codes", codes)
        init(self, "billable_flags", billable)
        init(self, "short_titles", short_titles)
        init(self, "titles", titles)
        init(self, "_position", dict(zip(codes, range(len(codes)), strict=True)))
        init(self, "positions", MappingProxyType(self._position))
        # ~3 ms and 2 MB: validation's quickest test (see billable_undotted)
        init(self, "_billable_set", frozenset(itertools.compress(codes, billable)))
        init(self, "_chapters", tuple(chapters))
        init(self, "_blocks", tuple(blocks))
        by_id = {block.id: block for block in blocks}
        init(self, "_block_of", {cat: by_id[block] for cat, block in categories.items()})
        init(self, "_chapter_of", {chapter.number: chapter for chapter in chapters})
        init(self, "_notes_loader", notes)
        init(self, "_notes", None)
        init(self, "_note_check", note_check)
        init(self, "_checked_notes", {})
        init(self, "_lock", threading.Lock())
        init(self, "_code_cache", {})
        init(self, "_tree", None)
        init(self, "_children", {})
        init(self, "_ancestors", {})
        init(self, "_text_codes", {})
        init(self, "_node_cache", {})
        init(self, "_kind_notes", {})
        init(self, "_kind_loader", notes_of_kind)
        init(self, "_found_notes", {})
        init(self, "_memos", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Release is immutable; cannot set {name!r}")

    @property
    def memos(self) -> dict[object, object]:
        """What the library's caches keep for this release and that refers to it (see
        :class:`icd10cm.core.caches.HeldMemo`): kept here, it goes with the release.
        Internal; not for use outside the library."""
        return self._memos

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Release is immutable; cannot delete {name!r}")

    # --- identity ----------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.info.id

    def __repr__(self) -> str:
        return (
            f"<Release {self.info.id} ({self.info.label}, {self.info.effective_from} to "
            f"{self.info.effective_to}): {self.billable_count} billable codes, "
            f"{self.header_count} headers>"
        )

    def __reduce__(self) -> tuple[Callable[[str], Release], tuple[str]]:
        if not self.info.bundled:
            raise TypeError("a release built from files cannot be pickled; pickle its sources")
        import icd10cm  # the package face, which loads the registry lazily

        return icd10cm.load_release, (self.info.id,)

    # --- counts ----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.undotted_codes)

    @property
    def billable_count(self) -> int:
        """Reportable codes (order-file flag 1)."""
        return self.info.billable_count

    @property
    def header_count(self) -> int:
        """Headers: categories and subcategories that are not reportable (flag 0)."""
        return self.info.header_count

    # --- lookups ---------------------------------------------------------------

    def index_of(self, code: object) -> int | None:
        """The tabular index of a code (dotted or undotted text, or a :class:`Code` of
        any release), or None if the release lacks it."""
        if isinstance(code, str):
            position = self._position
            found = position.get(code)
            if found is None and len(code) > 3 and code[3] == ".":
                found = position.get(code[:3] + code[4:])
            return found
        undotted = getattr(code, "undotted", None)  # a Code
        return self._position.get(undotted) if isinstance(undotted, str) else None

    @property
    def index_of_undotted(self) -> Callable[[str], int | None]:
        """``positions.get`` for hot loops: the tabular index of an undotted code
        (``"E119"``), or None. It is the ``get`` of the plain dict behind the read-only
        :attr:`positions` view, without the view's second method call (about 15 ns);
        for reading only."""
        return self._position.get

    @property
    def billable_undotted(self) -> frozenset[str]:
        """The reportable (billable) codes, undotted (``"E119"``), for membership tests:
        ``key in release.billable_undotted`` is the quickest way to tell a reportable
        code, about three times as quick as ``positions.get`` and ``billable_flags``
        on a code the CPU caches have not seen (one probe of a 2 MB table instead of
        a larger dict, its index and the flag)."""
        return self._billable_set

    def code_at(self, index: int) -> Code:
        """The code at a tabular index; the same object every time."""
        made = self._code_cache.get(index)
        if made is None:
            code = self.undotted_codes[index]
            if len(code) == 3:
                made = Category(code, self, index)
            else:
                made = Code(f"{code[:3]}.{code[3:]}", self, index)
            self._code_cache[index] = made
        return made

    def __contains__(self, code: object) -> bool:
        return self.index_of(code) is not None

    def _by_text(self, code: str) -> Code | None:
        """The code that *code* (dotted or undotted text) names, remembered."""
        made = self._text_codes.get(code)
        if made is None:
            index = self.index_of(code)
            if index is None:
                return None
            made = self.code_at(index)
            if len(self._text_codes) >= _TEXTS_LIMIT:
                self._text_codes.clear()
            self._text_codes[code] = made
        return made

    def __getitem__(self, code: str) -> Code:
        if type(code) is str:
            found = self._text_codes.get(code) or self._by_text(code)
        else:
            index = self.index_of(code)
            found = None if index is None else self.code_at(index)
        if found is None:
            raise KeyError(
                f"{quote(code)} is not a code of ICD-10-CM release {self.info.id} "
                "(lookups take the dotted or undotted form; icd10cm.validate() explains why)"
            )
        return found

    @overload
    def get(self, code: str) -> Code | None: ...

    @overload
    def get(self, code: str, default: Code) -> Code: ...

    def get(self, code: str, default: Code | None = None) -> Code | None:
        if type(code) is str:
            found = self._text_codes.get(code) or self._by_text(code)
            return default if found is None else found
        index = self.index_of(code)
        return default if index is None else self.code_at(index)

    def __iter__(self) -> Iterator[Code]:
        return (self.code_at(i) for i in range(len(self.undotted_codes)))

    def billable_codes(self) -> Iterator[Code]:
        """Reportable codes in tabular order."""
        return (self.code_at(i) for i, flag in enumerate(self.billable_flags) if flag)

    def subtree_end(self, index: int) -> int:
        """The index of the last code below the code at *index* (itself if it has none)."""
        codes = self.undotted_codes
        prefix = codes[index]
        end = index
        while end + 1 < len(codes) and codes[end + 1].startswith(prefix):
            end += 1
        return end

    def billable_below(self, index: int, limit: int | None = None) -> tuple[str, ...]:
        """Dotted values of the reportable codes below the code at *index* (the first
        *limit* of them, if given)."""
        codes, billable = self.undotted_codes, self.billable_flags
        prefix = codes[index]
        found: list[str] = []
        index += 1
        while index < len(codes) and codes[index].startswith(prefix) and len(found) != limit:
            if billable[index]:
                found.append(dot(codes[index]))
            index += 1
        return tuple(found)

    # --- hierarchy -------------------------------------------------------------

    def _hierarchy(self) -> tuple[list[int], dict[int, tuple[int, ...]]]:
        tree = self._tree
        if tree is None:
            with self._lock:
                if self._tree is None:
                    object.__setattr__(self, "_tree", _tree_of(self.undotted_codes))
                tree = self._tree
            assert tree is not None
        return tree

    def parent_of(self, index: int) -> Code | None:
        """The nearest code above the code at *index* (``S52.521A`` -> ``S52.521``), or
        None for a category."""
        tree = self._tree or self._hierarchy()
        parent = tree[0][index]
        if parent < 0:
            return None
        return self._code_cache.get(parent) or self.code_at(parent)

    def children_of(self, index: int) -> tuple[Code, ...]:
        """The codes directly below the code at *index*, in tabular order."""
        found = self._children.get(index)
        if found is None:
            below = self._hierarchy()[1].get(index, ())
            found = self._children[index] = tuple(self.code_at(i) for i in below)
        return found

    def ancestors_of(self, index: int) -> tuple[Code, ...]:
        """The codes above the code at *index*, from its category down to its parent."""
        found = self._ancestors.get(index)
        if found is None:
            parent = self._hierarchy()[0][index]
            found = () if parent < 0 else (*self.ancestors_of(parent), self.code_at(parent))
            self._ancestors[index] = found
        return found

    # --- structure -------------------------------------------------------------

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return self._chapters

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self._blocks

    def block_of(self, code: str) -> Block:
        """The block of a code's category (``"E11.9"`` -> block ``E08-E13``)."""
        block = self._block_of.get(undot(code)[:3])
        if block is None:
            raise KeyError(f"{code!r}: no category {code[:3]!r} in ICD-10-CM release {self.id}")
        return block

    def chapter_of(self, code: str) -> Chapter:
        return self._chapter_of[self.block_of(code).chapter]

    # --- notes -----------------------------------------------------------------

    @property
    def has_notes(self) -> bool:
        """Whether this release has instructional notes from a tabular of its own."""
        return self.info.has_notes

    @property
    def notes_from(self) -> str | None:
        """The id of the release whose Tabular List gives the notes: this release's own
        id, the nearest release's for a release without a tabular of its own (see
        :attr:`ReleaseInfo.borrowed`), or None when there are none."""
        return self.info.notes_from if self._notes_loader is not None else None

    def _all_notes(self) -> Mapping[str, tuple[Note, ...]]:
        notes = self._notes
        if notes is None:
            with self._lock:
                if self._notes is None:
                    assert self._notes_loader is not None
                    object.__setattr__(self, "_notes", self._notes_loader())
                notes = self._notes
            assert notes is not None
        return notes

    def notes_of_kind(self, kind: NoteKind) -> Mapping[str, tuple[Note, ...]]:
        """The notes of *kind*, by node, in the Tabular List the release uses (its own or,
        re-checked as :meth:`notes_at` does, the nearest release's: see
        :attr:`notes_from`; none without notes), found once per kind: where the
        ``sevenChrDef`` notes sit, say, without reading every node's notes."""
        found = self._kind_notes.get(kind)
        if found is None:
            if self._notes_loader is None:
                notes: Mapping[str, tuple[Note, ...]] = {}
            elif self._notes is None and self._kind_loader is not None:
                notes = self._kind_loader(kind)  # the others are not loaded yet: skip them
            else:
                notes = self._all_notes()
            check = self._note_check
            made = {node: tuple(note if check is None else check(self, note) for note in of)
                    for node, at in notes.items()
                    if (of := [note for note in at if note.kind is kind])}
            found = self._kind_notes.setdefault(kind, MappingProxyType(made))
        return found

    def notes_at(self, node: str | Code, *, own_data_only: bool = False) -> tuple[Note, ...]:
        """The notes printed at one node: a dotted code, ``block:ID`` or ``chapter:N``.

        A release without a tabular of its own shows the nearest release's notes,
        each re-checked against this release and carrying its ``source_release``
        (see :attr:`notes_from`); with *own_data_only* it shows none. Loaded on
        first use. A node that is none of these (``"chapter:99"``, ``"block:nope"``, a
        code the release lacks) raises :class:`KeyError` rather than showing no notes.
        """
        if not isinstance(node, str):
            node = str(node)  # a Code
        elif ":" not in node:
            node = dot(undot(node))
        found = self._notes_of(node, own_data_only)
        if not found and not self._is_node(node):
            raise KeyError(
                f"{quote(node)} is not a node of ICD-10-CM release {self.info.id}: give a "
                "code of the release (dotted or undotted, in capitals), 'block:ID' with the "
                "ID of one of its blocks (such as 'block:E08-E13') or 'chapter:N' with a "
                "chapter number (such as 'chapter:4')"
            )
        return found

    def _is_node(self, node: str) -> bool:
        """Whether *node* names a code, block or chapter of the release, or a node of the
        notes it shows (a borrowed note may stand at a code the release lacks)."""
        kind, colon, name = node.partition(":")
        if not colon:
            known = self.index_of(node) is not None
        elif kind == "block":  # most often the block of its first category
            block = self._block_of.get(name.partition("-")[0])
            known = (block is not None and block.id == name) or any(
                block.id == name for block in self._blocks)
        else:
            known = kind == "chapter" and any(str(chapter.number) == name
                                              for chapter in self._chapters)
        return known or (self._notes_loader is not None and node in self._all_notes())

    def _notes_of(self, node: str, own_data_only: bool) -> tuple[Note, ...]:
        """The notes at *node*, a canonical node name (see :meth:`notes_at`)."""
        if self._notes_loader is None or (own_data_only and not self.has_notes):
            return ()
        found = self._all_notes().get(node, ())
        check = self._note_check
        if check is None or not found:
            return found
        checked = self._checked_notes.get(node)
        if checked is None:  # two threads may both check a node: the results are equal
            checked = self._checked_notes[node] = tuple(check(self, note) for note in found)
        return checked

    def note_nodes(self, code: str | Code) -> tuple[str, ...]:
        """The nodes whose notes apply to a code, nearest first: the code, each code above
        it up to its category, its block (``block:ID``) and its chapter (``chapter:N``)."""
        index = self.index_of(code)
        if index is None:
            raise KeyError(f"{code!r} is not a code of ICD-10-CM release {self.info.id}")
        return self._nodes(index)

    def _nodes(self, index: int) -> tuple[str, ...]:
        nodes = self._node_cache.get(index)
        if nodes is None:
            # The code and the codes above it: the codes its text begins with, as the
            # order file puts each code's subtree right after it (see _tree_of). Read
            # off the positions, so that the notes of a few codes never need the
            # hierarchy of the whole release (about 0.1 s to work out).
            code, position = self.undotted_codes[index], self._position
            chain = [dot(code[:size]) for size in range(len(code), 2, -1)
                     if code[:size] in position]
            block = self.block_of(code)
            nodes = self._node_cache[index] = (*chain, f"block:{block.id}",
                                               f"chapter:{block.chapter}")
        return nodes

    def notes_for(
        self,
        code: str | Code,
        *,
        kinds: Iterable[NoteKind] | None = None,
        inherited: bool = True,
        own_data_only: bool = False,
    ) -> tuple[Note, ...]:
        """The notes that apply to a code, nearest first: those at the code itself, then
        (with *inherited*) at each code above it, at its block and at its chapter. Each
        note's :attr:`~Note.node` says where it sits; *kinds* keeps only those kinds.

        >>> import icd10cm
        >>> [n.where for n in icd10cm.load_release("2025").notes_for(
        ...     "A00.0", kinds=[icd10cm.NoteKind.USE_ADDITIONAL_CODE])]
        ['chapter 1']
        """
        index = code.index if isinstance(code, Code) and code.release is self else \
            self.index_of(code)
        if index is None:
            raise KeyError(f"{code!r} is not a code of ICD-10-CM release {self.info.id}")
        wanted = None if kinds is None else frozenset(kinds)
        key = (index, wanted, inherited, own_data_only)
        found = self._found_notes.get(key)
        if found is None:
            nodes = self._nodes(index)
            found = tuple(
                note
                for node in (nodes if inherited else nodes[:1])
                for note in self._notes_of(node, own_data_only)
                if wanted is None or note.kind in wanted
            )
            if len(self._found_notes) >= _FOUND_NOTES_LIMIT:
                self._found_notes.clear()
            self._found_notes[key] = found
        return found
