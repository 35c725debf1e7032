"""Code references inside instructional notes: ``E08.-``, ``O10-O11``, ``Z79.4`` ...

Notes cite codes in parentheses, e.g. ``"diabetes mellitus due to underlying
condition (E08.-)"`` or ``"poisoning ... (T36-T65 with fifth or sixth character
1-4 or 6)"``. :func:`parse_references` turns them into :class:`CodeReference`
values that can be matched against codes, and returns any parenthesised text it
could not read, so that nothing is silently dropped.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import attrs

from icd10cm.core import caches

if TYPE_CHECKING:
    from icd10cm.core.code import Code

__all__ = ["CodeReference", "ParsedReferences", "parse_references"]

_CODE = r"[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{1,4})?"
_ITEM = re.compile(
    rf"(?P<first>{_CODE})(?:\.?-)?(?:\s*-\s*(?P<last>{_CODE})(?:\.?-)?)?"
    r"(?:\s+with\s+(?P<condition>(?:fifth or sixth|fifth or six|5th|fifth|6th|sixth)\s+"
    r"(?:character|digit)s?\s+[0-9X](?:\s*(?:-|,|or|and)\s*[0-9X])*))?"
)
_GROUP = re.compile(r"\(([^()]*)\)")
# A code has a digit in position 2 or 3 (E11, QA0), which tells it from abbreviations
# such as (NIHSS) or (G6PD).
_STARTS_WITH_CODE = re.compile(r"\s*[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?![0-9A-Z])")


@attrs.frozen
class CodeReference:
    """A code, a code and everything below it, or a range of codes, as a note cites it.

    *first* and *last* are dotted code prefixes (equal for a single reference);
    *condition* is a qualifier such as ``"fifth or sixth character 1-4 or 6"``.
    """

    first: str
    last: str
    condition: str = ""
    text: str = ""

    @property
    def allowed_characters(self) -> frozenset[str]:
        """The characters the condition allows (``"1-4 or 6"`` -> 1, 2, 3, 4, 6)."""
        if not self.condition:
            return frozenset()
        spec = re.split(r"\b(?:characters?|digits?)\s+", self.condition, maxsplit=1)[-1]
        chars: set[str] = set()
        for low, high in re.findall(r"([0-9X])(?:\s*-\s*([0-9X]))?", spec):
            if high and low.isdigit() and high.isdigit():
                chars.update(str(d) for d in range(int(low), int(high) + 1))
            else:
                chars.add(low)
        return frozenset(chars)

    def _in_range(self, code: Code | str) -> bool:
        value = code if isinstance(code, str) else code.value
        if self.first == self.last:
            return value.startswith(self.first)
        if not isinstance(code, str):
            release = code.release
            first, last = release.get(self.first), release.get(self.last)
            if first is not None and last is not None:
                end = last.descendants[-1] if last.descendants else last
                return first <= code <= end
        width = len(self.first)
        return self.first <= value[:width] <= self.last[:width] or value.startswith(self.last)

    def matches(self, code: Code | str) -> bool:
        """Whether *code* (a :class:`Code`, or a dotted string) falls under this reference.

        Ranges follow the release's tabular order when given a :class:`Code` (so
        ``C43-C44`` covers ``C4A``), and character order for plain strings.
        """
        if not self._in_range(code):
            return False
        if not self.condition:
            return True
        undotted = (code if isinstance(code, str) else code.value).replace(".", "")
        if self.condition.startswith(("5th", "fifth character", "fifth digit")):
            character = undotted[4:5]
        else:  # "fifth or sixth": the last character of the stem, past any placeholder X,
            # in position 5 or 6 (T36.5X, a header, has neither: its 5 is the 4th character)
            stem = undotted[:6].rstrip("X")
            character = stem[-1:] if len(stem) >= 5 else ""
        return character != "" and character in self.allowed_characters

    def __str__(self) -> str:
        text = self.first if self.first == self.last else f"{self.first}-{self.last}"
        return f"{text} with {self.condition}" if self.condition else text


@attrs.frozen
class ParsedReferences:
    """The references of a note, and the parenthesised text that was not a reference list."""

    references: tuple[CodeReference, ...]
    unparsed: tuple[str, ...]


@caches.register
def clear() -> None:
    """Forget the references parsed so far."""
    parse_references.cache_clear()


@functools.lru_cache(maxsize=65536)
def parse_references(text: str) -> ParsedReferences:
    """Find the code references in a note's text.

    A parenthesised group that starts like a code but cannot be read completely
    is returned in ``unparsed``; groups that are plain words, such as
    ``"(mellitus)"``, are neither.
    """
    references: list[CodeReference] = []
    unparsed: list[str] = []
    for group in _GROUP.finditer(text):
        inner = group.group(1)
        if not _STARTS_WITH_CODE.match(inner):
            continue
        found: list[CodeReference] = []
        for item in re.split(r"\s*[,;]\s*", inner.strip()):
            match = _ITEM.fullmatch(item)
            if match is None:
                unparsed.append(inner)
                found = []
                break
            first = match.group("first")
            found.append(
                CodeReference(first, match.group("last") or first,
                              match.group("condition") or "", item)
            )
        references.extend(found)
    return ParsedReferences(tuple(references), tuple(unparsed))
