"""The sequencing facts of an encounter, shared by :func:`icd10cm.check` and
:func:`icd10cm.sequence` so that the two always agree.

An :class:`Analysis` holds the codes that may not come first, the Z codes that
must, the pairs whose order a note or guideline fixes (edges), and a preference
among the codes that may come first (tiers: pregnancy, then poisoning, then the
rest, then codes that a present code should precede).
"""

from __future__ import annotations

from typing import NamedTuple

import attrs

from icd10cm.core.caches import IdentityMemo
from icd10cm.core.notes import Note, NoteKind
from icd10cm.core.release import Release
from icd10cm.encounters.encounter import Encounter
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.guidelines import GuidelineEdition, edition_for
from icd10cm.encounters.profile import Profile, Span, profile, profiles_of

__all__ = ["Analysis", "Edge", "analyse", "borrowed_from", "remember"]

_PREGNANCY, _POISONING, _OTHER, _DEMOTED = 1, 2, 3, 4
_STATUS_CATEGORIES = ("Y92", "Y93", "Y99")  # place, activity, external cause status
_CODE_FIRST = "I.A.13/code-first-order"
_SYMPTOM = "I.C.18/symptom-first"


class Edge(NamedTuple):
    """The code at *before* must precede the code at *after* (positions).

    A named tuple, not an attrs class: encounters make and permute many of them."""

    before: int
    after: int
    rule: str
    reason: str
    source_release: str | None = None  # the release whose Tabular List gives the note


@attrs.frozen
class Analysis:
    encounter: Encounter
    own_data_only: bool
    profiles: tuple[Profile, ...]
    edition: GuidelineEdition
    exact_edition: bool
    barred: dict[int, str]  # position -> rule that bars the code from first place
    required: tuple[int, ...]  # positions of first-listed-only Z codes
    edges: tuple[Edge, ...]
    tiers: tuple[int, ...]
    demotions: dict[int, str]  # position -> the rule that prefers another code first
    links: dict[tuple[int, int], tuple[Span, ...]]  # (a, b) -> a's note spans covering b
    #: The edges into each position.
    incoming_edges: dict[int, list[Edge]]
    #: The ordering findings, once worked out (see :func:`checks.ordering_findings`).
    ordering: list[tuple[Finding, ...]] = attrs.field(factory=list, eq=False)

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
            encounter, self.own_data_only, tuple(self.profiles[old] for old in placed),
            self.edition,
            self.exact_edition, {new[p]: rule for p, rule in self.barred.items()},
            tuple(sorted(new[p] for p in self.required)), edges,
            tuple(self.tiers[old] for old in placed),
            {new[p]: rule for p, rule in self.demotions.items()},
            {(new[a], new[b]): spans for (a, b), spans in self.links.items()},
            _incoming(edges))

    def preferred_first(self, *, keep_designated: bool) -> tuple[int, str | None]:
        """The position that should come first, and the rule that moves it there
        (None when position 0 stays or nothing can come first)."""
        if self.required:
            chosen = self.required[0]
            return chosen, (None if chosen == 0 else "I.C.21.c.16/first-listed-only")
        barred, incoming = self.barred, self.incoming_edges
        candidates = [p for p in range(len(self.profiles))
                      if p not in barred and p not in incoming]
        if not candidates or (keep_designated and self.encounter.first_designated
                              and candidates[0] == 0):
            return 0, None
        chosen = min(candidates, key=lambda p: (self.tiers[p], p))
        if self.tiers[chosen] == _OTHER and candidates[0] == 0 and 0 in self.demotions:
            # The first code yields to a code of the kind its rule names: a symptom to
            # a definitive diagnosis, a sequela or adverse effect to its nature.
            wanted = _definitive if self.demotions[0] == _SYMPTOM else _nature
            chosen = next((p for p in candidates
                           if p not in self.demotions and wanted(self.profiles[p])), chosen)
        if chosen == 0:
            return 0, None
        if 0 in self.barred:
            return chosen, self.barred[0]
        if self.incoming(0):
            return chosen, self.incoming(0)[0].rule
        if self.tiers[chosen] == _PREGNANCY:
            return chosen, "I.C.15.a/pregnancy-first"
        if self.tiers[chosen] == _POISONING:
            return chosen, "I.C.19.e.5.b/poisoning-first"
        return chosen, self.demotions[0]


def borrowed_from(note: Note, release: Release) -> str:
    """Words for a message built on *note* when it is another release's: which release's
    Tabular List prints it (empty for the release's own note)."""
    if note.source_release in ("", release.id):
        return ""
    return (f" (a note of the Tabular List of release {note.source_release}: ICD-10-CM "
            f"{release.info.label} has no Tabular List of its own)")


def _nature(p: Profile) -> bool:
    """Whether the code can be the nature of a sequela or adverse effect: a disease,
    symptom or complication (A00-R99, T66-T88, U codes), not itself a sequela."""
    if p.sequela or p.adverse:
        return False
    return p.letter in "ABCDEFGHIJKLMNOPQRU" or (p.letter == "T" and p.category >= "T66")


def _definitive(p: Profile) -> bool:
    return p.letter not in "RZ" and not (p.external or p.sequela or p.adverse)


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
    known = profiles_of(release, own_data_only)
    profiles = tuple([known.get(code.index) or profile(code, own_data_only)
                      for code in encounter.diagnoses])
    barred: dict[int, str] = {}
    required: list[int] = []
    for position, p in enumerate(profiles):
        if p.external:
            barred[position] = "I.C.20.a.6/external-cause-first"
        elif p.category == "Z68":
            barred[position] = "I.C.21.c.3/bmi-first"
        elif p.manifestation_title:
            barred[position] = "I.A.13/manifestation-first"
        if p.first_listed_only:
            required.append(position)
    links = _links(profiles)
    edges = _edges(profiles, links)
    eligible = [position for position in range(len(profiles)) if position not in barred]
    definitive = any(_definitive(profiles[q]) for q in eligible)
    nature = any(_nature(profiles[q]) for q in eligible)
    tiers: list[int] = []
    demotions: dict[int, str] = {}
    for position, p in enumerate(profiles):
        if p.symptom and definitive:
            demotions[position] = _SYMPTOM
        elif p.sequela and nature:
            demotions[position] = "I.B.10/sequela-first"
        elif p.adverse and nature:
            demotions[position] = "I.C.19.e.5.a/adverse-effect-first"
        if position in demotions:
            tiers.append(_DEMOTED)
        else:
            tiers.append(_PREGNANCY if p.pregnancy else _POISONING if p.poisoning else _OTHER)
    return Analysis(encounter, own_data_only, profiles, edition, exact, barred,
                    tuple(required), edges,
                    tuple(tiers), demotions, links, _incoming(edges))


def _incoming(edges: tuple[Edge, ...]) -> dict[int, list[Edge]]:
    """The edges into each position."""
    incoming: dict[int, list[Edge]] = {}
    for edge in edges:
        incoming.setdefault(edge.after, []).append(edge)
    return incoming


def _links(profiles: tuple[Profile, ...]) -> dict[tuple[int, int], tuple[Span, ...]]:
    """For each ordered pair of different codes (a, b), the spans of a's notes that
    cover b, where there are any."""
    links: dict[tuple[int, int], tuple[Span, ...]] = {}
    for a, pa in enumerate(profiles):
        if pa.spans:
            for b, spans in pa.links(profiles):
                if a != b and pa.code.value != profiles[b].code.value:
                    links[(a, b)] = spans
    return links


def _edges(
    profiles: tuple[Profile, ...], links: dict[tuple[int, int], tuple[Span, ...]]
) -> tuple[Edge, ...]:
    edges: dict[tuple[int, int], Edge] = {}

    def add(before: int, after: int, rule: str, reason: str,
            source: str | None = None) -> None:
        # One edge per pair, for its first reason; a 'Code first' note outranks the others.
        known = edges.get((before, after))
        if known is None or (rule == _CODE_FIRST and known.rule != _CODE_FIRST):
            edges[(before, after)] = Edge(before, after, rule, reason, source)

    for (a, b), spans in links.items():
        pa, pb = profiles[a], profiles[b]
        for span in spans:
            where = borrowed_from(span.note, pa.code.release)
            if span.note.kind is NoteKind.CODE_FIRST:
                add(b, a, _CODE_FIRST,
                    f"{pa.code.value} has a 'Code first' note for {span.reference.text} "
                    f"({span.note.text.strip()}){where}, so {pb.code.value} comes first",
                    span.note.source_release)
            elif span.note.kind is NoteKind.USE_ADDITIONAL_CODE:
                add(a, b, "I.A.13/use-additional-order",
                    f"{pa.code.value} has a 'Use additional code' note for "
                    f"{span.reference.text} ({span.note.text.strip()}){where}, so "
                    f"{pb.code.value} follows it", span.note.source_release)
    for a, pa in enumerate(profiles):
        if pa.acuity == "acute":
            for b, pb in enumerate(profiles):
                if pb.acuity == "chronic" and pa.condition == pb.condition:
                    add(a, b, "I.B.8/acute-first",
                        f"{pa.code.value} is the acute and {pb.code.value} the chronic form "
                        "of one condition: the acute (subacute) code comes first")
        elif pa.external and pa.category not in _STATUS_CATEGORIES:
            for b, pb in enumerate(profiles):
                if pb.category in _STATUS_CATEGORIES:
                    add(a, b, "I.C.20.d/after-main-cause",
                        f"{pb.code.value} (place, activity or status) goes after the main "
                        f"external cause code {pa.code.value}")
    return tuple(edges.values())
