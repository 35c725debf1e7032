"""The analysis of an encounter, shared by :func:`icd10cm.check` and
:func:`icd10cm.sequence` so that the two always agree.

An :class:`Analysis` holds the facts of each code, the note links between them,
and what the ordering rules (:mod:`icd10cm.encounters.rules_order`) require: the
codes that may not come first, the Z codes that must, the pairs whose order a note
or guideline fixes (edges), and a preference among the codes that may come first
(tiers: pregnancy, then poisoning and toxic effects, then the rest, then codes
that yield to another). The finding rules read it as their context.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence, Set
from typing import Any

import attrs

from icd10cm.core.caches import RecentMemo
from icd10cm.encounters import facts as f, rules_order
from icd10cm.encounters.constraints import NOTHING, OTHER, PREGNANCY, TOXIC, Constraints
from icd10cm.encounters.encounter import Encounter, Setting
from icd10cm.encounters.facts import NO_LINK, Facts, Link, release_facts
from icd10cm.encounters.findings import Finding, make_finding
from icd10cm.encounters.guidelines import EDITIONS
from icd10cm.encounters.rules import RULES, Dispatch, Kind

__all__ = ["Analysis", "analyse", "analyse_once", "remember"]

#: The ordering rules, by edition, and those an encounter's flags call for.
_ORDERING = Dispatch(rules_order.APPLY, lambda kind: kind is not Kind.FINDINGS)
_SEVERITY = {declared.id: declared.severity for declared in RULES}
_SECTIONS = {edition.id: {declared.id: declared.section_in(edition) for declared in RULES}
             for edition in EDITIONS}
_NO_TIER = (OTHER, None)
_KEEP_FIRST: tuple[int, str | None] = (0, None)


@attrs.define(eq=False)
class Analysis(Constraints):
    """Everything :func:`icd10cm.check` and :func:`icd10cm.sequence` need to know about
    one encounter: the constraints its ordering rules recorded, and the context the
    finding rules read."""

    own_data_only: bool = False
    exact_edition: bool = True
    #: position -> the positions its edges put before it, in the order of the edges
    predecessors: dict[int, list[int]] = NOTHING
    #: whether an edge puts a code before one reported before it (the order breaks it)
    backward: bool = False
    #: The ordering findings, once worked out (see :func:`checks.ordering_findings`).
    ordering: tuple[Finding, ...] | None = None
    #: preferred_first(), once asked for, by whether a designation is kept.
    first_choices: dict[bool, tuple[int, str | None]] = NOTHING

    def finding(self, rule: str, positions: Iterable[int], message: str,
                suggestions: Iterable[str] = (), source_release: str | None = None) -> Finding:
        """A finding of *rule* on the codes at *positions* (*source_release*: the release
        whose note it rests on, kept only when it is another release)."""
        positions = tuple(positions)
        if source_release and source_release == self.facts[0].code.release.id:
            source_release = None
        facts = self.facts
        return make_finding(rule, _SEVERITY[rule], positions,
                            tuple([facts[p].value for p in positions]), message,
                            tuple(suggestions), source_release or None)

    def kept(self, position: int, key: Hashable, make: Callable[..., str], *args: Any) -> str:
        """``make(*args)``, kept with the facts of the code at *position* under *key*: for
        the words a rule makes alike for the same codes in any encounter (*key* names the
        rule and the other codes they depend on, by index)."""
        facts = self.facts[position]
        found: str | None = facts.kept.get(key)
        if found is None:
            found = facts.keep(key, make(*args))
        return found

    def excluded(self, x: int, y: int) -> bool:
        """Whether an Excludes1 note of one of the codes at *x* and *y* covers the other
        (then the I.A.12.a/excludes1 finding reports the pair)."""
        links = self.links
        return (links.get((x, y), NO_LINK).excludes1 is not None
                or links.get((y, x), NO_LINK).excludes1 is not None)

    def section(self, rule: str) -> str:
        """The section *rule* cites in the edition of this encounter's release."""
        return _SECTIONS[self.edition.id][rule]

    def rules_before(self, position: int) -> list[str]:
        """The rules of the edges that put another code before the code at *position*."""
        edges = self.edges
        return [edges[(before, position)][0] for before in self.predecessors.get(position, ())]

    def can_be_first(self, position: int) -> bool:
        return position not in self.barred and position not in self.predecessors

    def tier(self, position: int) -> int:
        """The preference tier of the code at *position* (the lowest comes first)."""
        return self.tiers.get(position, _NO_TIER)[0]

    def tier_rule(self, position: int) -> str | None:
        """The rule that put the code at *position* in its tier (None: no rule did)."""
        return self.tiers.get(position, _NO_TIER)[1]

    def permuted(self, encounter: Encounter, placed: list[int]) -> Analysis:
        """The analysis of *encounter*, which holds this one's diagnoses in the order
        *placed* (old positions): the same facts under new positions."""
        new = [0] * len(placed)
        for index, old in enumerate(placed):
            new[old] = index
        edges = {(new[before], new[after]): edge
                 for (before, after), edge in self.edges.items()}
        return Analysis(
            encounter, tuple([self.facts[old] for old in placed]),
            tuple([self.code_flags[old] for old in placed]), self.flags, self.edition,
            {(new[a], new[b]): link for (a, b), link in self.links.items()},
            {new[p]: why for p, why in self.barred.items()},
            sorted(new[p] for p in self.required), edges,
            {new[p]: tier for p, tier in self.tiers.items()},
            {new[p]: demotion for p, demotion in self.demotions.items()},
            self.own_data_only, self.exact_edition, *_predecessors(edges))

    def preferred_first(self, *, keep_designated: bool) -> tuple[int, str | None]:
        """The position that should come first, and the rule that moves it there
        (None when position 0 stays or nothing can come first)."""
        keep = keep_designated and self.encounter.first_designated
        found = self.first_choices.get(keep)
        if found is None:
            if (not self.required and 0 not in self.barred and 0 not in self.predecessors
                    and 0 not in self.demotions):
                for tier, _ in self.tiers.values():
                    if tier < OTHER:
                        found = self._preferred_first(keep)
                        break
                else:  # the first code may be first, and no code is preferred to it
                    found = _KEEP_FIRST
            else:
                found = self._preferred_first(keep)
            if self.first_choices is NOTHING:
                self.first_choices = {}
            self.first_choices[keep] = found
        return found

    def _preferred_first(self, keep_designated: bool) -> tuple[int, str | None]:
        if self.required:
            chosen = self.required[0]
            return chosen, (None if chosen == 0 else "I.C.21.c.16/first-listed-only")
        barred, incoming, tiers = self.barred, self.predecessors, self.tiers
        if not barred and not incoming and not tiers:
            return 0, None  # nothing prefers another code first
        candidates = [p for p in range(len(self.facts)) if p not in barred and p not in incoming]
        if not candidates or (keep_designated and candidates[0] == 0):
            return 0, None
        chosen, best = candidates[0], OTHER  # the first code of the lowest tier
        if tiers:
            best = tiers.get(chosen, _NO_TIER)[0]
            for position in candidates:
                tier = tiers.get(position, _NO_TIER)[0]
                if tier < best:
                    chosen, best = position, tier
        if best == OTHER and candidates[0] == 0 and 0 in self.demotions:
            # The first code yields to a code of the kind its rule names: a symptom to
            # a definitive diagnosis, a sequela or adverse effect to its nature.
            wanted = self.demotions[0][1]
            chosen = next((p for p in candidates
                           if p not in self.demotions and self.code_flags[p] & wanted), chosen)
        if chosen == 0:
            return 0, None
        if best in (PREGNANCY, TOXIC) and best < self.tier(0):
            return chosen, self.tier_rule(chosen)
        if 0 in barred:
            return chosen, barred[0][0]
        if 0 in incoming:
            return chosen, self.edges[(incoming[0][0], 0)][0]
        return chosen, self.demotions[0][0]


# The analyses of the last encounters seen (with the notes the release uses, and with
# their own notes only): check() and sequence() are usually called on the same encounter
# in turn, and check() on the result of sequence(). Only a few are kept, so that checking
# a million encounters does not keep a million analyses (and their encounters) alive.
_RECENT = 16
_analyses: tuple[RecentMemo[Encounter, Analysis], RecentMemo[Encounter, Analysis]] = (
    RecentMemo(_RECENT), RecentMemo(_RECENT))


def analyse(encounter: Encounter, own_data_only: bool = False) -> Analysis:
    """The analysis of *encounter*, worked out once while it is among the last
    encounters analysed."""
    memo = _analyses[own_data_only]
    analysis = memo.get(encounter)
    if analysis is None:
        analysis = _analyse(encounter, own_data_only)
        memo.put(encounter, analysis)
    return analysis


def analyse_once(encounter: Encounter, own_data_only: bool = False) -> Analysis:
    """The analysis of *encounter*, worked out afresh and not kept: for a caller that
    reads it once (:func:`icd10cm.frame.check`)."""
    return _analyse(encounter, own_data_only)


def remember(analysis: Analysis) -> None:
    """Keep *analysis* for its encounter, e.g. the analysis of a sequenced encounter,
    which is worked out from its input's."""
    _analyses[analysis.own_data_only].put(analysis.encounter, analysis)


def _analyse(encounter: Encounter, own_data_only: bool) -> Analysis:
    diagnoses = encounter.diagnoses
    known = release_facts(diagnoses[0].release, own_data_only)
    made = known.by_index
    found = tuple([made[code.index] or known.facts(code) for code in diagnoses])
    code_flags = tuple([fact.flags for fact in found])
    flags = known.flags
    for each in code_flags:
        flags |= each
    if encounter.present_on_admission is not None and encounter.setting is Setting.INPATIENT:
        flags |= f.INPATIENT_POA
    links: dict[tuple[int, int], Link] = NOTHING
    if len(found) > 1:
        if flags & f.HAS_SPANS:
            links, kinds = _links(found)
            flags |= kinds
        if len(set(found)) < len(found):  # one Facts per code
            flags |= f.REPEATED
    analysis = Analysis(encounter, found, code_flags, flags, known.edition, links)
    if own_data_only:  # set apart: keywords cost more than they are worth here
        analysis.own_data_only = True
    if not known.exact_edition:
        analysis.exact_edition = False
    for apply in _ORDERING.select(known.edition, flags):
        apply(analysis)
    if analysis.edges:
        analysis.predecessors, analysis.backward = _predecessors(analysis.edges)
    return analysis


def _predecessors(edges: Iterable[tuple[int, int]]) -> tuple[dict[int, list[int]], bool]:
    """The positions that *edges* (before, after) put before each position, and whether
    one puts a position before a lower one."""
    found: dict[int, list[int]] = {}
    backward = False
    for before, after in edges:
        found.setdefault(after, []).append(before)
        if after < before:
            backward = True
    return found, backward


def _links(found: Sequence[Facts]) -> tuple[dict[tuple[int, int], Link], int]:
    """For each ordered pair of different codes (a, b), how a's notes cover b, where
    they do; and the union of the links' kinds (:attr:`Link.kinds`). Only the codes in
    the groups of positions that a's spans reach are looked at (see
    :attr:`Facts.reach`): one set operation per code tells whether the encounter has
    any, most often not."""
    groups = [fact.group for fact in found]
    present = set(groups)
    shared = len(present) < len(groups)  # some codes share a group
    links: dict[tuple[int, int], Link] = {}
    kinds = 0
    for a, fa in enumerate(found):
        reach: Set[int] = fa.reach  # the groups of the codes a's notes may cover
        if fa.by_text:  # spans matched by text may cover any code
            reach = present
        elif fa.near and shared and groups.count(fa.group) > 1:  # and codes of its group
            reach = reach | {fa.group}
        elif reach.isdisjoint(present):
            continue
        known, index = fa.links_to, fa.index
        for b, group in enumerate(groups):
            if group in reach:
                fb = found[b]
                if fb.index != index:
                    link = known.get(fb.index) or fa.link_to(fb.code)
                    if link is not NO_LINK:
                        links[(a, b)] = link
                        kinds |= link.kinds
    return links, kinds
