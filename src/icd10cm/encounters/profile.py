"""Facts about one code that the encounter rules use, worked out once per code.

A :class:`Profile` classifies the code (external cause, symptom, sequela,
poisoning ...) and resolves the code references of the notes that apply to it
into spans of tabular positions, so that checking an encounter is a few integer
comparisons per pair of codes.
"""

from __future__ import annotations

import re
import threading
import weakref
from bisect import bisect_right
from collections.abc import Iterator, Sequence

import attrs

from icd10cm.core import caches
from icd10cm.core.code import Code
from icd10cm.core.notes import Note, NoteKind
from icd10cm.core.references import CodeReference
from icd10cm.core.release import Release
from icd10cm.core.text import dot, listing
from icd10cm.encounters.guidelines import GuidelineEdition, edition_for

__all__ = ["Profile", "Span", "acuity_of", "clear", "profile", "profiles_of"]

_INITIAL, _SUBSEQUENT, _SEQUELA = "initial", "subsequent", "sequela"
_WORD = re.compile(r"[a-z0-9]+")
_ACUTE = re.compile(r"\b(?:acute|subacute)\b")
_CHRONIC = re.compile(r"\bchronic\b")
_ACUITY_WORDS = frozenset({"acute", "subacute", "chronic", "unspecified"})
_LINKED_KINDS = (NoteKind.EXCLUDES1, NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL_CODE)


@attrs.frozen(eq=False)
class Span:
    """A note's code reference, resolved to tabular positions *lo* to *hi* of the
    release (-1 when it must be matched by text)."""

    lo: int
    hi: int
    note: Note
    reference: CodeReference

    def covers(self, code: Code) -> bool:
        if self.lo < 0:
            return self.reference.matches(code.value)
        if not self.lo <= code.index <= self.hi:
            return False
        return not self.reference.condition or self.reference.matches(code.value)


@attrs.frozen(eq=False)
class Profile:
    code: Code
    index: int  # the code's tabular position in its release
    letter: str
    category: str  # undotted, e.g. "S52"
    phase: str  # initial, subsequent or sequela, for injury and external cause codes
    external: bool  # V00-Y99
    symptom: bool  # R00-R99
    pregnancy: bool  # O00-O9A
    injury: bool  # S00-T34 (injuries, burns, frostbite)
    poisoning: bool  # T36-T65 with intent 1-4
    adverse: bool  # T36-T50 with 5th or 6th character 5
    manifestation_title: bool  # "in (other) diseases classified elsewhere"
    manifestation_notes: bool  # a 'Code first' note for an underlying condition
    code_first: tuple[Note, ...]
    acuity: str  # acute, chronic, "acute on chronic" or ""
    condition: tuple[str, ...]  # title words without acute/chronic/unspecified
    more_specific: tuple[str, ...]  # for an unspecified code
    unspecified_message: str  # the I.B.2 finding's message, where there are some
    first_listed_only: bool  # on the Guidelines' list (I.C.21.c.16) for the release
    aftercare: bool  # Z42-Z49 or Z51.8 (I.C.21.c.7)
    spans: tuple[Span, ...]
    # The spans' positions merged into disjoint runs, each with the spans in it,
    # so that a code is tested against the spans of one run only.
    _starts: tuple[int, ...]
    _ends: tuple[int, ...]
    _runs: tuple[tuple[Span, ...], ...]
    _by_text: tuple[Span, ...]  # spans that must be matched by text

    @property
    def sequela(self) -> bool:
        return self.phase == _SEQUELA and not self.external

    @property
    def manifestation(self) -> bool:
        return self.manifestation_title or self.manifestation_notes

    def links(self, others: Sequence[Profile]) -> Iterator[tuple[int, tuple[Span, ...]]]:
        """For each of *others* (by position) that this code's Excludes1, 'Code first'
        and 'Use additional code' notes cover, the spans that cover it."""
        starts, ends, runs, by_text = self._starts, self._ends, self._runs, self._by_text
        for position, other in enumerate(others):
            index = other.index
            slot = bisect_right(starts, index) - 1
            if slot >= 0 and index <= ends[slot]:
                candidates = runs[slot] + by_text if by_text else runs[slot]
            elif by_text:
                candidates = by_text
            else:
                continue
            code = other.code
            spans = tuple([span for span in candidates if span.covers(code)])
            if spans:
                yield position, spans


_lock = threading.Lock()
# Per release: the profiles made so far (by own_data_only, then code index), and resolved
# reference spans.
_profiles: weakref.WeakKeyDictionary[Release, tuple[dict[int, Profile], dict[int, Profile]]] = (
    weakref.WeakKeyDictionary())
_spans_of: weakref.WeakKeyDictionary[Release, dict[tuple[str, str], tuple[int, int]]] = (
    weakref.WeakKeyDictionary())


@caches.register
def clear() -> None:
    """Forget every profile."""
    with _lock:
        _profiles.clear()
        _spans_of.clear()


def profiles_of(release: Release, own_data_only: bool = False) -> dict[int, Profile]:
    """The profiles of *release* made so far, by code index (filled by :func:`profile`);
    with *own_data_only*, those built from the release's own notes only."""
    known = _profiles.get(release)
    if known is None:
        with _lock:
            known = _profiles.setdefault(release, ({}, {}))
    return known[own_data_only]


def profile(code: Code, own_data_only: bool = False) -> Profile:
    """The profile of *code*, built on first use and kept for its release. Its notes are
    the release's, or the nearest release's for a release without a tabular of its own
    (unless *own_data_only*)."""
    known = profiles_of(code.release, own_data_only)
    made = known.get(code.index)
    if made is None:
        made = known[code.index] = _build(code, own_data_only)
    return made


def acuity_of(title: str) -> tuple[str, tuple[str, ...]]:
    """From a lower-cased title: "acute", "chronic", "acute on chronic" or "", and the
    condition (the title's words without acute, subacute, chronic and unspecified)."""
    if "acute on chronic" in title:
        acuity = "acute on chronic"
    elif _ACUTE.search(title):
        acuity = "" if _CHRONIC.search(title) else "acute"
    else:
        acuity = "chronic" if _CHRONIC.search(title) else ""
    words = _WORD.findall(title.replace("acute on chronic", " "))
    return acuity, tuple(word for word in words if word not in _ACUITY_WORDS)


def _edition(release: Release) -> GuidelineEdition:
    return edition_for(release.id, release.info.fiscal_year)[0]


def _phase(undotted: str, letter: str) -> str:
    if len(undotted) != 7 or letter not in "STVWXY":
        return ""
    seventh = undotted[6]
    if seventh == "S":
        return _SEQUELA
    return _INITIAL if seventh in "ABC" else _SUBSEQUENT


def _build(code: Code, own_data_only: bool) -> Profile:
    undotted, title = code.undotted, code.title.lower()
    letter, category = undotted[0], undotted[:3]
    intent = undotted[5:6] if letter == "T" and "T36" <= category <= "T65" else ""
    adverse = intent == "5" and category <= "T50"
    spans, code_first, underlying = _spans(code, adverse, own_data_only)
    merged: list[list[int]] = []
    for lo, hi in sorted((span.lo, span.hi) for span in spans if span.lo >= 0):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    runs = tuple(tuple(span for span in spans if lo <= span.lo <= hi) for lo, hi in merged)
    more_specific = _more_specific(code) if "unspecified" in title else ()
    acuity, condition = acuity_of(title)
    return Profile(
        code=code,
        index=code.index,
        letter=letter,
        category=category,
        phase=_phase(undotted, letter),
        external=letter in "VWXY",
        symptom=letter == "R",
        pregnancy=letter == "O",
        injury=letter == "S" or (letter == "T" and category <= "T34"),
        poisoning=intent in ("1", "2", "3", "4"),
        adverse=adverse,
        manifestation_title="diseases classified elsewhere" in title,
        manifestation_notes=underlying,
        code_first=code_first,
        acuity=acuity,
        condition=condition,
        more_specific=more_specific,
        unspecified_message=(
            f"{code.value} ({code.title}) is unspecified; its category has more specific "
            f"codes, such as {listing(more_specific)}. If the documentation supports one, query "
            "the provider and report it (I.B.2, I.B.18)." if more_specific else ""),
        first_listed_only=_edition(code.release).first_listed_only_entry(code.value) is not None,
        aftercare="Z42" <= category <= "Z49" or undotted.startswith("Z518"),
        spans=spans,
        starts=tuple(lo for lo, _ in merged),
        ends=tuple(hi for _, hi in merged),
        runs=runs,
        by_text=tuple(span for span in spans if span.lo < 0),
    )


def _spans(
    code: Code, adverse: bool, own_data_only: bool
) -> tuple[tuple[Span, ...], tuple[Note, ...], bool]:
    """Resolve the references of the Excludes1, 'Code first' and 'Use additional
    code' notes that apply to *code*. A note line ending in a colon heads the
    lines after it; 'Code first' lines headed "for adverse effects" apply only to
    adverse effect codes."""
    release = code.release
    spans: list[Span] = []
    code_first: list[Note] = []
    underlying = False
    heading: dict[tuple[str, NoteKind], str] = {}
    notes = (note for node in reversed(release.note_nodes(code))
             for note in release.notes_at(node, own_data_only=own_data_only))
    for note in notes:
        if note.kind not in _LINKED_KINDS:
            continue
        key = (note.node, note.kind)
        text = note.text.strip()
        if text.endswith(":"):
            heading[key] = text.lower()
        if note.kind is NoteKind.CODE_FIRST:
            if "adverse effect" in heading.get(key, "") and not adverse:
                continue
            code_first.append(note)
            underlying = underlying or "underlying" in text.lower()
        for reference in note.references:
            lo, hi = _resolve(reference, release)
            spans.append(Span(lo, hi, note, reference))
    return tuple(spans), tuple(code_first), underlying


def _resolve(reference: CodeReference, release: Release) -> tuple[int, int]:
    key = (reference.first, reference.last)
    cache = _spans_of.get(release)
    if cache is None:
        with _lock:
            cache = _spans_of.setdefault(release, {})
    found = cache.get(key)
    if found is None:
        first = release.index_of(reference.first)
        last = release.index_of(reference.last)
        if first is None or last is None or first > last:
            found = (-1, -1)
        else:
            found = (first, release.subtree_end(last))
        cache[key] = found
    return found


def _more_specific(code: Code) -> tuple[str, ...]:
    """Reportable codes near an unspecified *code* whose titles say "unspecified"
    fewer times: those under its parent, else under the next code up, up to the
    category. A code with a 7th character is matched with codes of the same 7th
    character."""
    release = code.release
    codes, titles, billable = release.undotted_codes, release.titles, release.billable_flags
    seventh = code.undotted[6:] if len(code.undotted) == 7 else ""
    vagueness = code.title.lower().count("unspecified")
    for ancestor in reversed(code.ancestors):
        prefix, index, found = ancestor.undotted, ancestor.index + 1, []
        while index < len(codes) and codes[index].startswith(prefix):
            candidate = codes[index]
            if (billable[index] and candidate[6:] == seventh
                    and titles[index].lower().count("unspecified") < vagueness):
                found.append(dot(candidate))
            index += 1
        if found:
            return tuple(found)
    return ()
