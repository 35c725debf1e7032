"""Check an encounter's diagnoses against the Official Guidelines: :func:`check`."""

from __future__ import annotations

from collections.abc import Iterator

from icd10cm.core.text import listing
from icd10cm.encounters import (
    rules_codes,
    rules_conditions,
    rules_injuries,
    rules_maternity,
    rules_order,
    rules_pairs,
    rules_present_on_admission,
)
from icd10cm.encounters.analysis import Analysis, analyse
from icd10cm.encounters.encounter import Encounter
from icd10cm.encounters.findings import Finding, make_finding
from icd10cm.encounters.rules import RULES, Applier, Dispatch, Kind, Severity

__all__ = ["APPLIERS", "check", "findings_of", "ordering_findings"]

#: The function that applies each rule, with the flags it needs, by rule id.
APPLIERS: dict[str, Applier] = {
    **rules_codes.APPLY, **rules_pairs.APPLY, **rules_present_on_admission.APPLY,
    **rules_order.APPLY, **rules_conditions.APPLY, **rules_maternity.APPLY,
    **rules_injuries.APPLY,
}
#: The finding rules, by edition, and those an encounter's flags call for.
_FINDINGS = Dispatch(APPLIERS, lambda kind: kind is Kind.FINDINGS)
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_SEVERITY = {declared.id: declared.severity for declared in RULES}
_ORDER = {declared.id: index for index, declared in enumerate(RULES)}


def _key(finding: Finding) -> tuple[int, tuple[int, ...], int]:
    return _RANK[finding.severity], finding.positions, _ORDER[finding.rule]


def check(encounter: Encounter, *, own_data_only: bool = False) -> tuple[Finding, ...]:
    """Every finding on *encounter*, errors first, then warnings, then information.

    Pure: the same encounter always gives the same findings. Each finding cites
    its rule (see :func:`icd10cm.rules`) and says what to do. Only the rules of the
    Guidelines edition of the encounter's release apply. A release without a
    Tabular List of its own is checked against the nearest release's notes, and
    each finding that rests on one says so (*source_release*); *own_data_only*
    checks only against the release's own notes (none: the notes-unavailable
    finding).
    """
    return findings_of(analyse(encounter, own_data_only))


def findings_of(analysis: Analysis) -> tuple[Finding, ...]:
    """What :func:`check` says of the encounter of *analysis*."""
    found = list(ordering_findings(analysis))
    for apply in _FINDINGS.select(analysis.edition, analysis.flags):
        found.extend(apply(analysis))
    if len(found) > 1:
        found.sort(key=_key)
    return tuple(found)


def ordering_findings(analysis: Analysis) -> tuple[Finding, ...]:
    """The findings about the order of the codes; :func:`icd10cm.sequence` resolves
    each one unless the rules conflict. Worked out once per analysis and kept with it:
    check() and sequence() of an encounter that needs no change ask for the same ones."""
    found = analysis.ordering
    if found is None:
        # none without a code barred from first place, a first-listed-only code, an edge
        # the order breaks or a rule that prefers another code first
        found = analysis.ordering = tuple(_ordering_findings(analysis)) if (
            0 in analysis.barred or analysis.required or analysis.backward
            or analysis.preferred_first(keep_designated=False)[1] is not None) else ()
    return found


def _ordering_findings(analysis: Analysis) -> Iterator[Finding]:
    encounter = analysis.encounter
    found = analysis.facts
    if 0 in analysis.barred:
        barred, why = analysis.barred[0]
        others = [p for p in range(1, len(found)) if analysis.can_be_first(p)]
        hint = (f" Put {found[others[0]].value} first." if others else
                " No other code here can be first: add the code for the condition treated.")
        yield analysis.finding(barred, (0,),
                               f"{found[0].value} is first-listed, but {why()}.{hint}")
    if analysis.required:
        yield from _first_listed_only(analysis)
    broken: set[str] = set()  # the rules of the edges the order breaks
    if analysis.backward:
        for finding in _backward_edges(analysis):
            broken.add(finding.rule)
            yield finding
    if not analysis.required:
        chosen, rule = analysis.preferred_first(keep_designated=False)
        if rule in rules_order.PREFERENCE_MESSAGES and rule not in broken and (
                analysis.can_be_first(0) or rule == analysis.tier_rule(chosen)):
            message = rules_order.PREFERENCE_MESSAGES[rule](
                encounter, found[0].value, found[chosen].value)
            if encounter.first_designated:
                message += (f" {found[0].value} was designated as the "
                            f"{encounter.setting.first_term}, so sequence() keeps it first; "
                            "confirm with the provider.")
            yield analysis.finding(rule, (0, chosen), message)


def _backward_edges(analysis: Analysis) -> Iterator[Finding]:
    """A finding for each edge that the reported order breaks."""
    facts = analysis.facts
    own = facts[0].code.release.id
    for (before, after), (edge_rule, reason, source) in analysis.edges.items():
        if after < before:  # analysis.finding(), without its generality
            yield make_finding(edge_rule, _SEVERITY[edge_rule], (before, after),
                               (facts[before].value, facts[after].value),
                               f"{reason()} ({analysis.section(edge_rule)}).", (),
                               source if source and source != own else None)


def _first_listed_only(analysis: Analysis) -> Iterator[Finding]:
    required = analysis.required
    encounter = analysis.encounter
    term = encounter.setting.first_term
    edition = analysis.edition
    section = analysis.section("I.C.21.c.16/first-listed-only")
    source = (f"the {edition.label} Guidelines" if analysis.exact_edition else
              f"the {edition.label} Guidelines, the edition nearest to ICD-10-CM "
              f"{encounter.release.info.label} among the official files")
    if section != "I.C.21.c.16":
        source += "; I.C.21.c.16 before April 2025"
    if required[0] != 0:
        code = analysis.facts[required[0]].code
        yield analysis.finding(
            "I.C.21.c.16/first-listed-only", (required[0],),
            f"{code.value} ({code.title}) may only be reported as the {term} ({section} of "
            f"{source}), except when the records of several encounters on the same day are "
            "combined. Put it first.")
    if len(required) > 1:
        yield analysis.finding(
            "I.C.21.c.16/more-than-one", required,
            f"{listing(analysis.facts[p].value for p in required)} may each only be the "
            f"{term} ({section} of {source}); only one can be. Unless the records of several "
            "encounters on the same day are combined, report the encounter's reason and "
            "review the others.")
