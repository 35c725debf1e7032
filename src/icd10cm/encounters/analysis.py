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

from collections.abc import Callable, Iterable

import attrs

from icd10cm.core.caches import IdentityMemo
from icd10cm.encounters import facts as f, rules_order
from icd10cm.encounters.constraints import OTHER, PREGNANCY, TOXIC, Constraints, Edge, Text
from icd10cm.encounters.encounter import Encounter, Setting
from icd10cm.encounters.facts import Facts, Span, facts, facts_of
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.guidelines import EDITIONS, GuidelineEdition, edition_for
from icd10cm.encounters.rules import RULES, Kind, rule_by_id

__all__ = ["Analysis", "Edge", "analyse", "remember"]

# The ordering rules of each edition, in the order they apply, with their functions and
# the flags they need.
_ORDERING = {edition.id: tuple(rules_order.APPLY[declared.id] for declared in RULES
                               if declared.kind is not Kind.FINDINGS
                               and declared.applies_to(edition))
             for edition in EDITIONS}
_CODE_FIRST = "I.A.13/code-first-order"
_SEVERITY = {declared.id: declared.severity for declared in RULES}


@attrs.frozen
class Analysis:
    """Everything :func:`icd10cm.check` and :func:`icd10cm.sequence` need to know about
    one encounter."""

    encounter: Encounter
    own_data_only: bool
    facts: tuple[Facts, ...]
    code_flags: tuple[int, ...]  # the flags of each code, by position
    flags: int  # the union of the codes' flags
    edition: GuidelineEdition
    exact_edition: bool
    links: dict[tuple[int, int], tuple[Span, ...]]  # (a, b) -> a's note spans covering b
    barred: dict[int, tuple[str, Text]]  # position -> the rule that bars it first, and why
    required: tuple[int, ...]  # positions of first-listed-only Z codes
    edges: tuple[Edge, ...]
    tiers: tuple[int, ...]
    tier_rules: dict[int, str]  # position -> the rule of its tier
    demotions: dict[int, tuple[str, Callable[[Facts], bool]]]  # position -> rule, yields to
    #: The edges into each position.
    incoming_edges: dict[int, list[Edge]]
    #: The ordering findings, once worked out (see :func:`checks.ordering_findings`).
    ordering: list[tuple[Finding, ...]] = attrs.field(factory=list, eq=False)

    def finding(self, rule: str, positions: Iterable[int], message: str,
                suggestions: Iterable[str] = (), source_release: str | None = None) -> Finding:
        """A finding of *rule* on the codes at *positions* (*source_release*: the release
        whose note it rests on, kept only when it is another release)."""
        positions = tuple(positions)
        borrowed = (source_release if source_release not in (None, "",
                                                              self.encounter.release.id)
                    else None)
        facts = self.facts
        return Finding(rule, _SEVERITY[rule], positions,
                       tuple([facts[p].value for p in positions]), message,
                       tuple(suggestions), borrowed)

    def positions(self, flag: int) -> list[int]:
        """The positions of the codes that have *flag*."""
        return [position for position, flags in enumerate(self.code_flags) if flags & flag]

    def section(self, rule: str) -> str:
        """The section *rule* cites in the edition of this encounter's release."""
        return rule_by_id(rule).section_in(self.edition)

    def incoming(self, position: int) -> list[Edge]:
        """The edges that put another code before the code at *position*."""
        return self.incoming_edges.get(position, [])

    def can_be_first(self, position: int) -> bool:
        return position not in self.barred and position not in self.incoming_edges

    def permuted(self, encounter: Encounter, placed: list[int]) -> Analysis:
        """The analysis of *encounter*, which holds this one's diagnoses in the order
        *placed* (old positions): the same facts under new positions."""
        new = [0] * len(placed)
        for index, old in enumerate(placed):
            new[old] = index
        edges = tuple([Edge(new[before], new[after], rule, reason, source)
                       for before, after, rule, reason, source in self.edges])
        return Analysis(
            encounter, self.own_data_only, tuple(self.facts[old] for old in placed),
            tuple(self.code_flags[old] for old in placed), self.flags, self.edition,
            self.exact_edition,
            {(new[a], new[b]): spans for (a, b), spans in self.links.items()},
            {new[p]: why for p, why in self.barred.items()},
            tuple(sorted(new[p] for p in self.required)), edges,
            tuple(self.tiers[old] for old in placed),
            {new[p]: rule for p, rule in self.tier_rules.items()},
            {new[p]: demotion for p, demotion in self.demotions.items()},
            _incoming(edges))

    def preferred_first(self, *, keep_designated: bool) -> tuple[int, str | None]:
        """The position that should come first, and the rule that moves it there
        (None when position 0 stays or nothing can come first)."""
        if self.required:
            chosen = self.required[0]
            return chosen, (None if chosen == 0 else "I.C.21.c.16/first-listed-only")
        barred, incoming = self.barred, self.incoming_edges
        candidates = [p for p in range(len(self.facts)) if p not in barred and p not in incoming]
        if not candidates or (keep_designated and self.encounter.first_designated
                              and candidates[0] == 0):
            return 0, None
        tiers = self.tiers
        chosen = candidates[0]
        for position in candidates:
            if tiers[position] < tiers[chosen]:
                chosen = position
        if tiers[chosen] == OTHER and candidates[0] == 0 and 0 in self.demotions:
            # The first code yields to a code of the kind its rule names: a symptom to
            # a definitive diagnosis, a sequela or adverse effect to its nature.
            wanted = self.demotions[0][1]
            chosen = next((p for p in candidates
                           if p not in self.demotions and wanted(self.facts[p])), chosen)
        if chosen == 0:
            return 0, None
        if self.tiers[chosen] in (PREGNANCY, TOXIC) and self.tiers[chosen] < self.tiers[0]:
            return chosen, self.tier_rules[chosen]
        if 0 in self.barred:
            return chosen, self.barred[0][0]
        if self.incoming(0):
            return chosen, self.incoming(0)[0].rule
        return chosen, self.demotions[0][0]


# The analysis of each live encounter (with the notes the release uses, and with its own
# notes only): check() and sequence() are usually called on the same encounter in turn,
# and check() on the result of sequence().
_analyses: tuple[IdentityMemo[Encounter, Analysis], IdentityMemo[Encounter, Analysis]] = (
    IdentityMemo(), IdentityMemo())


def analyse(encounter: Encounter, own_data_only: bool = False) -> Analysis:
    """The analysis of *encounter*, worked out once while the encounter lives."""
    memo = _analyses[own_data_only]
    analysis = memo.get(encounter)
    if analysis is None:
        analysis = _analyse(encounter, own_data_only)
        memo.put(encounter, analysis)
    return analysis


def remember(analysis: Analysis) -> None:
    """Keep *analysis* for its encounter, e.g. the analysis of a sequenced encounter,
    which is worked out from its input's."""
    _analyses[analysis.own_data_only].put(analysis.encounter, analysis)


def _analyse(encounter: Encounter, own_data_only: bool) -> Analysis:
    release = encounter.release
    edition, exact = edition_for(release.id, release.info.fiscal_year)
    known = facts_of(release, own_data_only)
    found = tuple([known.get(code.index) or facts(code, own_data_only)
                   for code in encounter.diagnoses])
    code_flags = tuple([fact.flags for fact in found])
    flags = 0
    for each in code_flags:
        flags |= each
    if encounter.present_on_admission is not None and encounter.setting is Setting.INPATIENT:
        flags |= f.INPATIENT_POA
    if release.notes_from is None or (own_data_only and not release.has_notes):
        flags |= f.NO_NOTES
    links = _links(found) if flags & f.HAS_SPANS else {}
    constraints = Constraints(encounter, found, code_flags, flags, edition, links)
    for apply, needs, any_of in _ORDERING[edition.id]:
        if flags & needs == needs and (not any_of or flags & any_of):
            apply(constraints)
    tiers = tuple([constraints.tiers.get(position, (OTHER, ""))[0]
                   for position in range(len(found))])
    edges = tuple(constraints.edges.values())
    return Analysis(
        encounter, own_data_only, found, code_flags, flags, edition, exact, links,
        constraints.barred,
        tuple(constraints.required), edges, tiers,
        {position: rule for position, (_, rule) in constraints.tiers.items()},
        dict(constraints.demotions), _incoming(edges))


def _incoming(edges: tuple[Edge, ...]) -> dict[int, list[Edge]]:
    """The edges into each position."""
    incoming: dict[int, list[Edge]] = {}
    for edge in edges:
        incoming.setdefault(edge.after, []).append(edge)
    return incoming


def _links(found: tuple[Facts, ...]) -> dict[tuple[int, int], tuple[Span, ...]]:
    """For each ordered pair of different codes (a, b), the spans of a's notes that
    cover b, where there are any."""
    links: dict[tuple[int, int], tuple[Span, ...]] = {}
    for a, fa in enumerate(found):
        if fa.spans:
            known = fa.links_to.get  # the links worked out before, by code index
            for b, fb in enumerate(found):
                spans = known(fb.index)
                if spans is None:
                    spans = fa.covering(fb.code)
                if spans and fa.index != fb.index:
                    links[(a, b)] = spans
    return links
