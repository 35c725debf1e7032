"""Convert a code between releases by the official CMS/CDC conversion tables.

The conversion tables give, for every code added since FY2017, its "previous
code(s) assignment". :func:`convert` walks release by release: going forward, a
code that stays reportable maps to itself, and a code deleted (or made a header)
maps to the new codes whose previous codes include it; going back, a new code (or
a header made reportable) maps to its previous codes. Every candidate is kept,
with the chain of steps that led to it; a code that no table row continues is
reported as a dead end.
"""

from __future__ import annotations

import enum
import itertools
import threading
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from icd10cm.codes.parse import parse_code
from icd10cm.core import caches
from icd10cm.core.release import Release
from icd10cm.core.text import dot, undot
from icd10cm.errors import ConversionUnavailableError
from icd10cm.releases import bundle
from icd10cm.releases.registry import ReleaseLike, available_releases, load_release, resolve_release

__all__ = ["Conversion", "ConversionCandidate", "ConversionStep", "DeadEnd", "Relation",
           "convert"]

_FILE = "conversions.json"


class Relation(str, enum.Enum):
    """How a code relates to the code it converts to, in one step or over a chain."""

    UNCHANGED = "unchanged"  # the same code in both releases
    REPLACED = "replaced"  # one code for one code
    SPLIT = "split"  # the code maps to several codes; this is one of them
    MERGED = "merged"  # the target also stands for other codes
    OVERLAP = "overlap"  # both split and merged (many to many)

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class ConversionStep:
    """One step from one release to the next. *table_text* is the "previous code(s)"
    cell of the conversion table row the step follows ("" for an unchanged code)."""

    from_release: str
    to_release: str
    from_code: str
    to_code: str
    relation: Relation
    table_text: str = ""

    def __str__(self) -> str:
        text = f" (table: {self.table_text!r})" if self.table_text else ""
        return (f"{self.from_code} ({self.from_release}) -> {self.to_code} ({self.to_release}): "
                f"{self.relation}{text}")


@attrs.frozen
class ConversionCandidate:
    """A code of the target release, how it relates to the input overall, and every
    chain of steps (release by release) that leads to it."""

    code: str
    relation: Relation
    chains: tuple[tuple[ConversionStep, ...], ...]

    @property
    def steps(self) -> tuple[ConversionStep, ...]:
        """The first chain that leads to the code."""
        return self.chains[0]


@attrs.frozen
class DeadEnd:
    """A code the walk could not carry from *from_release* to *to_release*, and why."""

    code: str
    from_release: str
    to_release: str
    reason: str
    steps: tuple[ConversionStep, ...]


@attrs.frozen
class Conversion:
    """The result of :func:`convert`: every candidate code in the target release (in
    its tabular order) and every path that ended without one."""

    code: str
    from_release: str
    to_release: str
    candidates: tuple[ConversionCandidate, ...]
    dead_ends: tuple[DeadEnd, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(candidate.code for candidate in self.candidates)

    @property
    def is_ambiguous(self) -> bool:
        """Whether there is more than one candidate: the choice needs the record."""
        return len(self.candidates) > 1

    def __str__(self) -> str:
        head = f"{self.code} ({self.from_release}) -> {self.to_release}: "
        if not self.candidates:
            return head + "no conversion. " + " ".join(d.reason for d in self.dead_ends)
        found = head + ", ".join(f"{c.code} ({c.relation})" for c in self.candidates)
        if self.dead_ends:  # a path that ended without a code is said, not dropped
            found += ". Also no conversion: " + " ".join(d.reason for d in self.dead_ends)
        return found


_lock = threading.Lock()
# (release before, release after) -> (previous codes of each new code, successors of
# each previous code, table text of each new code, the references of each new code
# that name no code of the release before); weak so clear_cache() drops them.
_Step = tuple[Mapping[str, tuple[str, ...]], Mapping[str, tuple[str, ...]], Mapping[str, str],
              Mapping[str, tuple[str, ...]]]
_steps: weakref.WeakKeyDictionary[Release, dict[str, _Step]] = weakref.WeakKeyDictionary()


@caches.register
def clear() -> None:
    """Forget every conversion step worked out so far."""
    with _lock:
        _steps.clear()


def _expand(reference: str, release: Release) -> tuple[str, ...]:
    """The reportable codes a table reference names in *release*: a code as it is; a
    header, a range or ``X-`` (everything under X): the reportable codes in it, in
    tabular order; a code that *release* does not have: none."""
    if "-" not in reference:
        index = release.index_of(reference)
        if index is None:
            return ()
        if release.billable_flags[index]:
            return (reference,)
        return release.billable_below(index)
    start, _, end = reference.partition("-")
    low, high = undot(start), undot(end or start)
    found = []
    billable = release.billable_flags
    for index, code in enumerate(release.undotted_codes):
        if low <= code[:len(low)] and code[:len(high)] <= high and billable[index]:
            found.append(dot(code))
    return tuple(found)


def _step(before: Release, after: Release) -> _Step:
    with _lock:
        cached = _steps.setdefault(before, {}).get(after.id)
        if cached is not None:
            return cached
    document: dict[str, Any] = bundle.read_json(_FILE)
    rows: dict[str, list[Any]] = document["steps"].get(after.id, {})
    previous: dict[str, tuple[str, ...]] = {}
    successors: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    unknown: dict[str, tuple[str, ...]] = {}
    expanded: dict[str, tuple[str, ...]] = {}  # 126 rows name "T15-T19" in one step
    for code, (text, references) in rows.items():
        for reference in references:
            if reference not in expanded:
                expanded[reference] = _expand(reference, before)
        codes = tuple(dict.fromkeys(c for ref in references for c in expanded[ref]))
        previous[code], texts[code] = codes, text
        missing = tuple(ref for ref in references if "-" not in ref and ref not in before)
        if missing:  # the FY2023 row of V29.811A names V29.80XA, a code of no release
            unknown[code] = missing
        for old in codes:
            successors.setdefault(old, []).append(code)
    made: _Step = (previous, {k: tuple(v) for k, v in successors.items()}, texts, unknown)
    with _lock:
        _steps.setdefault(before, {})[after.id] = made
    return made


def _no_row(release: Release, row: str) -> str:
    """Why no conversion table row continues a path into *release*: no row of its
    table does what *row* says, or there is no table for it at all (FY2027)."""
    if release.id in bundle.read_json(_FILE)["steps"]:
        return f"no conversion table row {row}"
    return (f"no conversion table for ICD-10-CM {release.info.label} is bundled (the tables "
            f"bundled: {', '.join(bundle.read_json(_FILE)['tables'])})")


def _relation(targets: int, sources: int) -> Relation:
    if targets > 1:
        return Relation.OVERLAP if sources > 1 else Relation.SPLIT
    return Relation.MERGED if sources > 1 else Relation.REPLACED


def _one_step(code: str, before: Release, after: Release, forward: bool,
              ) -> tuple[list[tuple[str, Relation, str]], str | None]:
    """The (target, relation, table text) of *code* from *before* to *after*, or a
    reason why there are none."""
    if forward:
        previous, successors, texts, _ = _step(before, after)
        now = after.get(code)
        was = before.get(code)
        following = successors.get(code, ())
        if now is not None and (now.is_billable or was is None or not was.is_billable):
            return [(code, Relation.UNCHANGED, "")], None
        if not following:
            reason = (f"{code} {'was deleted' if now is None else 'became a header'} in "
                      f"ICD-10-CM {after.info.label} and "
                      f"{_no_row(after, 'names it as a previous code')}")
            if now is not None:  # a header is no conversion: name the codes to choose from
                below = after.billable_below(after.index_of(code) or 0, 5)
                reason += f"; the reportable codes below it include {', '.join(below)}"
            return [], reason
        return [(new, _relation(len(following), len(previous[new])), texts[new])
                for new in following], None
    previous, successors, texts, unknown = _step(after, before)
    was, now = after.get(code), before.get(code)
    if was is not None and (was.is_billable or now is None or not now.is_billable):
        return [(code, Relation.UNCHANGED, "")], None
    if code not in previous:
        if was is not None:  # a header then: no conversion, name the codes to choose from
            below = after.billable_below(after.index_of(code) or 0, 5)
            return [], (f"{code} was a header in ICD-10-CM {after.info.label}, made reportable "
                        f"in ICD-10-CM {before.info.label}, and "
                        f"{_no_row(before, 'gives its previous code(s)')}; the reportable "
                        f"codes below it include {', '.join(below)}")
        return [], (f"{code} was added in ICD-10-CM {before.info.label} and "
                    f"{_no_row(before, 'gives its previous code(s)')}")
    earlier, missing = previous[code], unknown.get(code, ())
    why: str | None = None
    if missing:  # a wrong table cell: reported, never guessed at
        why = (f"{code} was added in ICD-10-CM {before.info.label}; its conversion table "
               f"row ({texts[code]!r}) names {', '.join(missing)}, which "
               f"{'is' if len(missing) == 1 else 'are'} no code of ICD-10-CM "
               f"{after.info.label}")
    elif not earlier:
        why = (f"{code} was added in ICD-10-CM {before.info.label}; the conversion table "
               f"gives no previous code ({texts[code]!r})")
    # The earlier code also stands for the new codes made from it, and for itself
    # where it lives on (A41.59 kept its code when A41.54 was carved out of it).
    return [(old, _relation(len(earlier), len(successors.get(old, ()))
                            + (before.get(old) is not None)), texts[code])
            for old in earlier], why


def _overall(steps: Iterable[ConversionStep]) -> Relation:
    kinds = {step.relation for step in steps} - {Relation.UNCHANGED}
    if not kinds:
        return Relation.UNCHANGED
    if len(kinds) == 1:
        return kinds.pop()
    if kinds <= {Relation.REPLACED, Relation.SPLIT}:
        return Relation.SPLIT
    if kinds <= {Relation.REPLACED, Relation.MERGED}:
        return Relation.MERGED
    return Relation.OVERLAP


def convert(code: str, from_release: ReleaseLike, to_release: ReleaseLike) -> Conversion:
    """Convert *code* of *from_release* to the codes of *to_release* (older or newer),
    one release at a time, by the official conversion tables.

    *code* must be a code of *from_release* (dotted or undotted). Returns every
    candidate, never one picked among them; a path that no table row continues
    (a code deleted without a successor, a code added without a previous code)
    is listed in :attr:`Conversion.dead_ends`.
    """
    source, target = resolve_release(from_release), resolve_release(to_release)
    start = parse_code(code, release=source).value
    ids = [info.id for info in available_releases()]
    for release in (source, target):
        if not release.info.bundled or release.id not in ids:
            raise ConversionUnavailableError(release.id, ids)
    first, last = ids.index(source.id), ids.index(target.id)
    forward = last >= first
    path = ids[first:last + 1] if forward else ids[last:first + 1][::-1]
    paths: list[tuple[str, tuple[ConversionStep, ...]]] = [(start, ())]
    dead: list[DeadEnd] = []
    for before_id, after_id in itertools.pairwise(path):
        before = source if before_id == source.id else load_release(before_id)
        after = target if after_id == target.id else load_release(after_id)
        advanced: list[tuple[str, tuple[ConversionStep, ...]]] = []
        for current, steps in paths:
            found, reason = _one_step(current, before, after, forward)
            if reason is not None:
                dead.append(DeadEnd(current, before_id, after_id, reason, steps))
            for new, relation, text in found:
                step = ConversionStep(before_id, after_id, current, new, relation, text)
                advanced.append((new, (*steps, step)))
        paths = advanced
    chains: dict[str, list[tuple[ConversionStep, ...]]] = {}
    for final, steps in paths:
        chains.setdefault(final, []).append(steps)
    candidates = tuple(
        ConversionCandidate(final, _overall(s for chain in found for s in chain), tuple(found))
        for final, found in sorted(chains.items(), key=lambda item: target.index_of(item[0]) or 0)
    )
    return Conversion(start, source.id, target.id, candidates, tuple(dead))
