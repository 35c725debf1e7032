"""What the ordering rules say about an encounter's order, as they say it.

An ordering rule (:class:`~icd10cm.encounters.rules.Kind` NEVER_FIRST, ONLY_FIRST,
ORDER or PREFERENCE) is a small function of :class:`Constraints`: it reads the
codes' facts and records what it requires: a code that may never be first
(:meth:`Constraints.bar`, :meth:`bar_all`), a code that may only be first
(:meth:`require`), a pair whose order a note or guideline fixes (:meth:`edge`), and a
preference among the codes that may come first (:meth:`prefer_all`,
:meth:`demote_all`). The analysis turns them into findings, and
:func:`icd10cm.sequence` into an order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs

from icd10cm.encounters.encounter import Encounter
from icd10cm.encounters.facts import Facts, Link
from icd10cm.encounters.guidelines import GuidelineEdition

__all__ = ["DEMOTED", "NOTHING", "OTHER", "PREGNANCY", "TOXIC", "Constraints", "Edge", "Text"]

#: Preference tiers among the codes that may come first (the lowest comes first).
PREGNANCY, TOXIC, OTHER, DEMOTED = 1, 2, 3, 4


#: Words made only when they are shown: a finding's or a move's reason.
Text = Callable[[], str]


#: Why one code must precede another: the rule, its reason in words (made when shown),
#: and the release whose Tabular List gives the note the rule rests on (None: no
#: note, or the release's own). A plain tuple: encounters make and permute many.
Edge = tuple[str, Text, "str | None"]


#: The value of each record of :class:`Constraints` until a rule adds to it: shared,
#: never written to (an encounter's rules record nothing, mostly).
NOTHING: dict[Any, Any] = {}


@attrs.define(eq=False)
class Constraints:
    """The ordering constraints on one encounter, as its rules record them.

    Each record is :data:`NOTHING` until its method first adds to it, and is only
    ever changed through these methods."""

    encounter: Encounter
    facts: tuple[Facts, ...]
    code_flags: tuple[int, ...]  # the flags of each code, by position
    flags: int  # the union of the codes' flags, with the encounter's
    edition: GuidelineEdition
    links: dict[tuple[int, int], Link]  # (a, b) -> how a's notes cover b
    barred: dict[int, tuple[str, Text]] = NOTHING  # position -> rule, why
    required: Sequence[int] = ()  # positions that may only be first
    #: (before, after) -> why the code at *before* precedes the code at *after*, in the
    #: order the rules said so
    edges: dict[tuple[int, int], Edge] = NOTHING
    tiers: dict[int, tuple[int, str]] = NOTHING  # position -> tier, rule
    # position -> the rule that prefers another code first, and the flag of the codes it
    # prefers
    demotions: dict[int, tuple[str, int]] = NOTHING

    @property
    def term(self) -> str:
        """``"principal diagnosis"`` or ``"first-listed diagnosis"``."""
        return self.encounter.setting.first_term

    def positions(self, flag: int) -> list[int]:
        """The positions of the codes that have *flag*."""
        return [position for position, flags in enumerate(self.code_flags) if flags & flag]

    def bar(self, position: int, rule: str, why: Text) -> None:
        """The code at *position* may never be first; *why* gives the words that complete
        "X is first-listed, but ..." (the first rule to bar a code gives the reason)."""
        if self.barred is NOTHING:
            self.barred = {}
        self.barred.setdefault(position, (rule, why))

    def bar_all(self, flag: int, rule: str, why: Text) -> None:
        """:meth:`bar` each code that has *flag*, for the same reason."""
        barred = self.barred
        if barred is NOTHING:
            barred = self.barred = {}
        entry = (rule, why)
        for position, flags in enumerate(self.code_flags):
            if flags & flag:
                barred.setdefault(position, entry)

    def require(self, position: int) -> None:
        """The code at *position* may only be first."""
        self.required = [*self.required, position]

    def edge(self, before: int, after: int, rule: str, reason: Text,
             source_release: str | None = None, *, settles: bool = False,
             replaces: bool = False) -> None:
        """The code at *before* comes before the code at *after*: one edge per pair, for
        its first reason. A Guidelines rule that *settles* the pair (breaking a cycle of
        notes) removes the opposite edge; one that *replaces* also takes over the reason
        of an edge in the same direction."""
        if before == after:
            return
        edges = self.edges
        if edges is NOTHING:
            edges = self.edges = {}
        if settles or replaces:
            edges.pop((after, before), None)
        pair = (before, after)
        if not replaces and pair in edges:
            return
        edges[pair] = (rule, reason, source_release)

    def prefer_all(self, flag: int, tier: int, rule: str, unless: int = 0) -> None:
        """Prefer each code that has *flag* (and none of the flags *unless*) first, in
        *tier* (the lowest tier wins)."""
        tiers = self.tiers
        if tiers is NOTHING:
            tiers = self.tiers = {}
        entry = (tier, rule)
        for position, flags in enumerate(self.code_flags):
            if flags & flag and not flags & unless:
                known = tiers.get(position)
                if known is None or tier < known[0]:
                    tiers[position] = entry

    def demote_all(self, flag: int, rule: str, wanted: int) -> None:
        """The codes that have *flag* yield first place to a code with the flag *wanted*
        (a symptom to a definitive diagnosis, a sequela to its nature), and are preferred
        first after every other code (tier :data:`DEMOTED`)."""
        demotions, tiers = self.demotions, self.tiers
        if demotions is NOTHING:
            demotions = self.demotions = {}
        if tiers is NOTHING:
            tiers = self.tiers = {}
        demoted, tier = (rule, wanted), (DEMOTED, rule)
        for position, flags in enumerate(self.code_flags):
            if flags & flag:
                demotions.setdefault(position, demoted)
                tiers.setdefault(position, tier)  # DEMOTED is the last tier
