"""Resolve the index's *see* and *see also* references to the terms they name.

A reference names a main term by one of its forms, then subterms, separated by
commas: ``see Fracture, femur, neck`` means ``Fracture, traumatic (abduction)
... > femur, femoral > neck``; ``see infarct, myocardium`` means ``Infarct,
infarction > myocardium, myocardial``; ``see also Otitis media`` means ``Otitis
> media``. :func:`resolve_references` finds, for each term without a code (or
category) of its own, the term its *see* reference names, else the one its *see
also* reference names. The search follows them (see docs/search.md).

A part of the reference matches a term when, case, accents, spacing and
parentheses aside, it is the term's title, its title without a final NEC or
NOS, one of the title's comma-separated forms, or the same words in any order
and inflection. A main term is the longest leading run of parts that names one;
a part may also name a subterm and one of its subterms ("upper limb" names
``upper > limb``). Among main terms that fit ("Fracture" names ``Fracture,
traumatic``, ``Fracture, pathological`` ...), the one where the most parts
resolve wins, then the largest. Instructions inside a reference ("by site",
"by type") are skipped. References that name no term are left unresolved:
"see condition", a table ("Table of Drugs and Chemicals", "Neoplasm, ..."), a
category or code ("category Y35", "E08-E13 with .3-"), and references whose
every part cannot be found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import attrs

from icd10cm.index.data_format import PATH_SEPARATOR, essential_title
from icd10cm.index.words import fold_spaced, words
from icd10cm_build.index_tree import IndexRow

__all__ = ["Resolution", "resolve_references"]

_NOT_A_TERM = re.compile(
    r"^(condition|table\b|neoplasm\b|also neoplasm|categor|subcategor|specific|specified|note\b"
    r"|index to|external cause|[a-z]\d\d)", re.IGNORECASE)
_INSTRUCTION = re.compile(r"^(by|according to)\b", re.IGNORECASE)
_QUALIFIER = re.compile(r"\s+(nec|nos)$")


@attrs.define(eq=False)
class _Node:
    number: int
    row: IndexRow
    parent: _Node | None
    children: list[_Node] = attrs.field(factory=list)
    size: int = 1  # the node and all the nodes below it
    _forms: tuple[frozenset[str], frozenset[tuple[str, ...]]] | None = None

    @property
    def forms(self) -> frozenset[str]:
        return self._described()[0]

    @property
    def stems(self) -> frozenset[tuple[str, ...]]:
        return self._described()[1]

    def _described(self) -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
        """The folded forms of the title, and the word stems of the title and its parts."""
        if self._forms is None:
            essential = fold_spaced(essential_title(self.row.text))
            forms = {fold_spaced(self.row.text), essential, _bare(essential)}
            stems = {_stem_key(essential)}
            for part in essential.split(","):
                forms.update((part.strip(), _bare(part)))
                stems.add(_stem_key(part))
            forms.discard("")
            self._forms = frozenset(forms), frozenset(stems) - {()}
        return self._forms

    def path(self) -> list[str]:
        texts = []
        node: _Node | None = self
        while node is not None:
            texts.append(node.row.text)
            node = node.parent
        return texts[::-1]


@attrs.frozen
class Resolution:
    """Where each reference of an index file leads (see :func:`resolve_references`)."""

    targets: tuple[str, ...]  # per row: the target's path texts joined, or ""
    unresolved: tuple[str, ...]  # "path: reference" of the references whose term is not found


def _bare(text: str) -> str:
    return _QUALIFIER.sub("", text.strip(" .,;"))


def _stem_key(text: str) -> tuple[str, ...]:
    return tuple(sorted(set(words(text))))


def _tree(rows: Sequence[IndexRow]) -> tuple[list[_Node], list[_Node]]:
    mains: list[_Node] = []
    nodes: list[_Node] = []
    stack: list[_Node] = []
    for number, row in enumerate(rows):
        del stack[row.level:]
        node = _Node(number, row, stack[-1] if stack else None)
        (stack[-1].children if stack else mains).append(node)
        for ancestor in stack:
            ancestor.size += 1
        stack.append(node)
        nodes.append(node)
    return mains, nodes


def _named(nodes: list[_Node], part: str) -> Iterator[_Node]:
    """The nodes that *part* names: by a form, else by its words, else as the start of
    the title ("acute" names "acute or subacute")."""
    folded = _bare(fold_spaced(part))
    key = _stem_key(folded)
    found = False
    for node in nodes:
        if folded in node.forms or key in node.stems:
            found = True
            yield node
    if not found and folded:
        for node in nodes:
            if any(form.startswith(folded + " ") for form in node.forms):
                yield node


def _parts(reference: str) -> list[str] | None:
    text = " ".join(reference.split()).strip(" ,.;")
    text = re.sub(r"^(also\s+|-\s*)", "", text, flags=re.IGNORECASE)
    if not text or _NOT_A_TERM.match(text):
        return None
    parts = [part.strip() for part in essential_title(text).split(",")]
    return [part for part in parts if part and not _INSTRUCTION.match(part)] or None


def _walk(node: _Node, parts: list[str]) -> tuple[int, _Node]:
    """How many of *parts* resolve below *node*, and the deepest node reached."""
    if not parts:
        return 0, node
    for child in _named(node.children, parts[0]):
        done, reached = _walk(child, parts[1:])
        return done + 1, reached
    split = parts[0].split()
    for cut in range(len(split) - 1, 0, -1):  # "upper limb" -> "upper" > "limb"
        for child in _named(node.children, " ".join(split[:cut])):
            done, reached = _walk(child, [" ".join(split[cut:]), *parts[1:]])
            if done:
                return done, reached
    return 0, node


class _MainTerms:
    """The main terms of an index file, found by their forms and word stems."""

    def __init__(self, mains: list[_Node]) -> None:
        self.by_form: dict[str, list[_Node]] = {}
        self.by_stems: dict[tuple[str, ...], list[_Node]] = {}
        for node in mains:
            for form in node.forms:
                self.by_form.setdefault(form, []).append(node)
            for key in node.stems:
                self.by_stems.setdefault(key, []).append(node)

    def named(self, part: str) -> list[_Node]:
        folded = _bare(fold_spaced(part))
        found = self.by_form.get(folded, []) + self.by_stems.get(_stem_key(folded), [])
        return list(dict.fromkeys(found))


def _main_terms(mains: _MainTerms, parts: list[str]) -> Iterator[tuple[_Node, list[str]]]:
    """Main terms that the leading parts may name, each with the parts left."""
    for count in range(len(parts), 0, -1):
        for node in mains.named(", ".join(parts[:count])):
            yield node, parts[count:]
    split = parts[0].split()
    for cut in range(len(split) - 1, 0, -1):  # "Otitis media" -> "Otitis" > "media"
        for node in mains.named(" ".join(split[:cut])):
            yield node, [" ".join(split[cut:]), *parts[1:]]


def _resolve(mains: _MainTerms, reference: str) -> _Node | None:
    parts = _parts(reference)
    if parts is None:
        return None
    best: tuple[int, int, int] | None = None
    found = None
    for main, rest in _main_terms(mains, parts):
        done, reached = _walk(main, rest)
        if done < len(rest):
            continue
        rank = (len(parts) - len(rest), main.size, -main.number)
        if best is None or rank > best:
            best, found = rank, reached
    return found


def resolve_references(rows: Sequence[IndexRow]) -> Resolution:
    """The target of every term of one index file that has no code or category of its
    own and a *see* (else *see also*) reference naming a term of the same file."""
    top, nodes = _tree(rows)
    mains = _MainTerms(top)
    targets: list[str] = []
    unresolved: list[str] = []
    for node in nodes:
        row = node.row
        target = None
        if not (row.code or row.see_category):
            for reference in (row.see, row.see_also):
                if reference and _parts(reference) is not None:
                    target = _resolve(mains, reference)
                    if target is None:
                        unresolved.append(f"{PATH_SEPARATOR.join(node.path())}: {reference}")
                    elif target is node:
                        target = None
                    if target is not None:
                        break
        targets.append(PATH_SEPARATOR.join(target.path()) if target is not None else "")
    return Resolution(tuple(targets), tuple(unresolved))
