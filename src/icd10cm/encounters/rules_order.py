"""The rules that constrain the order of an encounter's codes.

Each function records, on :class:`~icd10cm.encounters.constraints.Constraints`,
which codes may never be first, which may only be first, which code goes before
which, and which codes are preferred first; the analysis reports what the
reported order breaks, and :func:`icd10cm.sequence` resolves it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

from icd10cm.core.notes import NoteKind
from icd10cm.core.release import Release
from icd10cm.core.text import listing
from icd10cm.encounters import acuity, facts as f
from icd10cm.encounters.constraints import PREGNANCY, TOXIC, Constraints, Text
from icd10cm.encounters.encounter import Encounter, Setting
from icd10cm.encounters.facts import Facts, Span
from icd10cm.encounters.guidelines import GuidelineEdition
from icd10cm.encounters.rules import Appliers

__all__ = ["APPLY", "PREFERENCE_MESSAGES", "borrowed_from"]

APPLY = Appliers()
_STATUS_FLAGS = f.PLACE | f.ACTIVITY | f.STATUS  # Y92, Y93, Y99
_CODE_FIRST = "I.A.13/code-first-order"


def borrowed_from(source_release: str, release: Release) -> str:
    """Words for a message built on a note of another release's Tabular List (empty
    for the release's own note)."""
    if source_release in ("", release.id):
        return ""
    return (f" (a note of the Tabular List of release {source_release}: ICD-10-CM "
            f"{release.info.label} has no Tabular List of its own)")


# --- never first ------------------------------------------------------------------------


def _manifestation(term: str) -> str:
    return ("a manifestation code ('in ... classified elsewhere') is never the "
            f"{term}; its underlying condition comes first (I.A.13)")


def _supplementary(term: str) -> str:
    return ("B95-B97 codes are supplementary codes that identify the infectious agent of a "
            f"disease classified elsewhere; they are never the {term}: the disease comes "
            "first, with its 'Use additional code' note (I.A.13)")


def _secondary(what: str, edition: GuidelineEdition) -> str:
    return (f"{what} codes \"should only be reported as secondary diagnoses\" (I.B.14 of "
            f"{edition}), with the condition they describe")


def _underdosing(term: str) -> str:
    return ("codes for underdosing are never assigned as principal or first-listed codes; "
            "the relapse or exacerbation of the condition treated comes first "
            "(I.C.19.e.5.c)")


def _external(term: str) -> str:
    return (f"an external cause code can never be the {term} (I.C.20.a.6); it follows "
            "the code for the injury or condition it explains")


def _bmi(term: str) -> str:
    return (f"a BMI code (Z68) is never the {term}; it is reported only as a secondary "
            "diagnosis, with an associated reportable diagnosis such as obesity "
            "(I.C.21.c.3, I.B.14)")


def _incidental_pregnancy(term: str) -> str:
    return (f"Z33.1 (pregnant state, incidental) is never the {term}: \"This code is a "
            "secondary code only for use when the pregnancy is in no way complicating the "
            "reason for visit. Otherwise, a code from the obstetric chapter is required\" "
            "(I.C.21.c.3)")


def _delivery_outcome(term: str) -> str:
    return (f"an outcome of delivery code (Z37) is never the {term}: it \"should be "
            "included on all maternal delivery records. It is always a secondary code\" "
            "(I.C.21.c.11); the delivery's chapter 15 code comes first (I.C.15.b.5)")


def _per_setting(why: Callable[[str], str]) -> dict[Setting, Text]:
    """The words *why* gives for each setting's first diagnosis (made when shown)."""
    return {setting: partial(why, setting.first_term) for setting in Setting}


def _severe_sepsis(term: str) -> str:
    return (f"a code for severe sepsis (R65.2-) or septic shock (R65.21, T81.12-) can never be "
            f"the {term}: the code for the underlying systemic infection comes first "
            "(I.C.1.d.2, I.C.1.d.3), and for postprocedural septic shock the code of the "
            "postprocedural infection, such as T81.4- or O86.0- (I.C.1.d.5)")


def _never_first(rule_id: str, flag: int, why: Callable[[str], str]) -> None:
    """Register *rule_id*: each code that has *flag* may never be first, for the reason
    *why* gives for the setting's first diagnosis."""
    words = _per_setting(why)

    @APPLY(rule_id, needs=flag)
    def never_first(c: Constraints) -> None:
        c.bar_all(flag, rule_id, words[c.encounter.setting])


for _rule_id, _flag, _why in (
    ("I.A.13/manifestation-first", f.MANIFESTATION, _manifestation),
    ("I.C.1.d.3/severe-sepsis-first", f.SEVERE_SEPSIS, _severe_sepsis),
    ("I.A.13/supplementary-first", f.SUPPLEMENTARY, _supplementary),
    ("I.C.19.e.5.c/underdosing-first", f.UNDERDOSING, _underdosing),
    ("I.C.20.a.6/external-cause-first", f.EXTERNAL, _external),
    ("I.C.21.c.3/bmi-first", f.BMI, _bmi),
    ("I.C.21.c.3/incidental-pregnancy-first", f.INCIDENTAL_PREGNANCY, _incidental_pregnancy),
    ("I.C.21.c.11/delivery-outcome-first", f.DELIVERY_OUTCOME, _delivery_outcome),
):
    _never_first(_rule_id, _flag, _why)


@APPLY("I.B.14/secondary-only", needs=f.SECONDARY_ONLY)
def secondary_only(c: Constraints) -> None:
    for position in c.positions(f.SECONDARY_ONLY):
        what = c.edition.secondary_only_entry(c.facts[position].value) or ""
        c.bar(position, "I.B.14/secondary-only", partial(_secondary, what, c.edition))


# --- only first ---------------------------------------------------------------------------


@APPLY("I.C.21.c.16/first-listed-only", needs=f.FIRST_ONLY)
def first_listed_only(c: Constraints) -> None:
    therapy = c.positions(f.THERAPY)
    for position in c.positions(f.FIRST_ONLY):
        # I.C.2.e.2: radiation (Z51.0), chemotherapy (Z51.11) and immunotherapy (Z51.12)
        # in one encounter are all reported, one first and the others secondary.
        if position in therapy and position != therapy[0]:
            continue
        c.require(position)


@APPLY("I.C.21.c.16/more-than-one", needs=f.FIRST_ONLY)
def more_than_one_first(c: Constraints) -> None:
    """Reported from the required codes of :func:`first_listed_only`."""


# --- one code before another --------------------------------------------------------------


def _note_reason(owner: Facts, other: Facts, span: Span) -> str:
    where = borrowed_from(span.note.source_release, owner.code.release)
    if span.note.kind is NoteKind.CODE_FIRST:
        return (f"{owner.value} has a 'Code first' note for {span.reference.text} "
                f"({span.note.text.strip().lstrip(', ')}){where}, so {other.value} comes first")
    return (f"{owner.value} has a 'Use additional code' note for {span.reference.text} "
            f"({span.note.text.strip().lstrip(', ')}){where}, so {other.value} follows it")


def _note_edge_reason(owner: Facts, other: Facts, span: Span) -> Text:
    """The words of the edge that *owner*'s note *span* puts between it and *other*,
    made once per pair of codes (and kept with *owner*'s facts)."""
    key = (_note_reason, other.index, span)
    found: Text | None = owner.kept.get(key)
    if found is None:
        found = owner.keep(key, cache(partial(_note_reason, owner, other, span)))
    return found


@APPLY("I.A.13/code-first-order", needs=f.LINKED_CODE_FIRST)
def code_first_order(c: Constraints) -> None:
    facts = c.facts
    for (a, b), link in c.links.items():
        span = link.code_first
        if span is not None:
            c.edge(b, a, _CODE_FIRST, _note_edge_reason(facts[a], facts[b], span),
                   span.note.source_release)


@APPLY("I.A.13/use-additional-order", needs=f.LINKED_USE_ADDITIONAL)
def use_additional_order(c: Constraints) -> None:
    facts = c.facts
    for (a, b), link in c.links.items():
        span = link.use_additional
        if span is not None:
            c.edge(a, b, "I.A.13/use-additional-order",
                   _note_edge_reason(facts[a], facts[b], span), span.note.source_release)


def _covid(manifestation: str, term: str) -> str:
    return (f"{manifestation} is a manifestation of COVID-19: when COVID-19 meets the "
            f"definition of the {term}, U07.1 comes first, followed by its manifestations")


@APPLY("I.C.1.g.1/covid-first", needs=f.COVID | f.LINKED_CODE_FIRST)
def covid_first(c: Constraints) -> None:
    """U07.1 first, then the manifestations whose 'Code first' notes cite it."""
    for covid in c.positions(f.COVID):
        for (a, b), link in c.links.items():
            if b == covid and link.code_first is not None:
                c.edge(covid, a, "I.C.1.g.1/covid-first",
                       partial(_covid, c.facts[a].value, c.term), replaces=True)


def _postpancreatectomy(first: str, others: tuple[str, ...], edition: GuidelineEdition) -> str:
    additional = "additional codes" if len(others) > 1 else "an additional code"
    return (f"For postpancreatectomy diabetes, {edition} sequence {first} first, with "
            f"{listing(others)} as {additional}")


@APPLY("I.C.4.a.6.b.i/postpancreatectomy-order", needs=f.POSTPANCREATECTOMY)
def postpancreatectomy_order(c: Constraints) -> None:
    """E89.1 (postprocedural hypoinsulinemia), E13.- and Z90.41-: up to the FY2024
    edition, E89.1 first and E13.- and Z90.41- as additional codes; from April 2024 on,
    E13.- first and Z90.41- as an additional code. The Tabular notes of the three form a
    cycle (Z90.41's 'Use additional code' for E13.-) that this rule settles."""
    found: dict[str, int] = {}
    for position in c.positions(f.POSTPANCREATECTOMY):
        value = c.facts[position].value
        found.setdefault("E13" if value.startswith("E13") else value[:6], position)
    hypo, diabetes, absence = found.get("E89.1"), found.get("E13"), found.get("Z90.41")
    if diabetes is None or (hypo is None and absence is None):
        return
    first = diabetes if c.edition.postpancreatectomy_first == "E13" else hypo
    if first is None:
        return
    others = [p for p in (hypo, diabetes, absence) if p is not None and p != first]
    reason = partial(_postpancreatectomy, c.facts[first].value,
                     tuple(c.facts[p].value for p in others), c.edition)
    for after in others:
        c.edge(first, after, "I.C.4.a.6.b.i/postpancreatectomy-order", reason, settles=True)


def _acute(acute: str, chronic: str, path: tuple[str, ...]) -> str:
    return (f"{acute} is the acute and {chronic} the chronic form of one condition (the "
            f"Alphabetic Index lists both under {' > '.join(path)} at the same level): the "
            "acute code comes first")


@APPLY("I.B.8/acute-first", needs=f.ACUTE_FORM | f.CHRONIC_FORM)
def acute_first(c: Constraints) -> None:
    pairs = acuity.pairs_of(c.encounter.release)
    chronic: dict[int, list[int]] = {}
    for position in c.positions(f.ACUTE_OR_CHRONIC):
        for pair, role in c.facts[position].acuity:
            if role == "chronic":
                chronic.setdefault(pair, []).append(position)
    for position in c.positions(f.ACUTE_OR_CHRONIC):
        for pair, role in c.facts[position].acuity:
            for other in chronic.get(pair, ()) if role == "acute" else ():
                c.edge(position, other, "I.B.8/acute-first",
                       partial(_acute, c.facts[position].value, c.facts[other].value,
                               pairs[pair].path))


@APPLY("I.C.4.a.5/insulin-pump-first", needs=f.INSULIN_PUMP | f.INSULIN_DOSE)
def insulin_pump_first(c: Constraints) -> None:
    # An underdose or overdose of insulin due to an insulin pump failure: T85.6- "as the
    # principal or first-listed code, followed by code T38.3X6-" (underdosing) or
    # "T38.3X1-, Poisoning by insulin ..." (I.C.4.a.5). It settles the order that
    # I.C.19.e.5.b (the poisoning first) would give otherwise, and the pump takes the
    # poisoning's place among the codes preferred first.
    c.prefer_all(f.INSULIN_PUMP, TOXIC, "I.C.4.a.5/insulin-pump-first")
    for pump in c.positions(f.INSULIN_PUMP):
        for dose in c.positions(f.INSULIN_DOSE):
            c.edge(pump, dose, "I.C.4.a.5/insulin-pump-first",
                   partial("{} (a malfunction of the insulin pump) is the principal or "
                           "first-listed code, followed by {} (the overdose or underdose of "
                           "insulin due to it)".format, c.facts[pump].value,
                           c.facts[dose].value), settles=True)


@APPLY("I.C.16.d/birth-weight-first", needs=f.BIRTH_WEIGHT | f.GESTATIONAL_AGE)
def birth_weight_first(c: Constraints) -> None:
    for weight in c.positions(f.BIRTH_WEIGHT):
        for age in c.positions(f.GESTATIONAL_AGE):
            c.edge(weight, age, "I.C.16.d/birth-weight-first",
                   partial("{} (birth weight) is sequenced before {} (gestational "
                           "age)".format, c.facts[weight].value, c.facts[age].value))


@APPLY("I.C.19.d.1/highest-degree-first", needs=f.BURN)
def highest_degree_first(c: Constraints) -> None:
    burns = c.positions(f.BURN)
    for higher in burns:
        for lower in burns:
            if c.facts[higher].burn_degree > c.facts[lower].burn_degree:
                c.edge(higher, lower, "I.C.19.d.1/highest-degree-first",
                       partial("{} is a burn of a higher degree than {}: the highest "
                               "degree is sequenced first".format,
                               c.facts[higher].value, c.facts[lower].value))


@APPLY("I.C.20.d/after-main-cause", needs=f.EXTERNAL, any_of=_STATUS_FLAGS)
def after_main_cause(c: Constraints) -> None:
    for cause, flags in enumerate(c.code_flags):
        # the main external cause: the first reported that is no place, activity or status
        if flags & f.EXTERNAL and not flags & _STATUS_FLAGS:
            for status in c.positions(_STATUS_FLAGS):
                c.edge(cause, status, "I.C.20.d/after-main-cause",
                       partial("{} (place, activity or status) goes after the main external "
                               "cause code {}".format, c.facts[status].value,
                               c.facts[cause].value))
            return


# --- which code should be first -------------------------------------------------------------


# A sequela code is not preferred first for its chapter or kind: like all sequela codes,
# it follows the condition it caused (I.B.10; for O94, I.C.15.p.3).


@APPLY("I.C.15.a/pregnancy-first", needs=f.PREGNANCY)
def pregnancy_first(c: Constraints) -> None:
    c.prefer_all(f.PREGNANCY, PREGNANCY, "I.C.15.a/pregnancy-first", unless=f.SEQUELA)


@APPLY("I.C.19.e.5.b/poisoning-first", needs=f.POISONING)
def poisoning_first(c: Constraints) -> None:
    c.prefer_all(f.POISONING, TOXIC, "I.C.19.e.5.b/poisoning-first", unless=f.SEQUELA)


@APPLY("I.C.19.e.5.d/toxic-effect-first", needs=f.TOXIC)
def toxic_effect_first(c: Constraints) -> None:
    c.prefer_all(f.TOXIC, TOXIC, "I.C.19.e.5.d/toxic-effect-first", unless=f.SEQUELA)


def _demote(c: Constraints, flag: int, rule: str, wanted: int) -> None:
    """The codes with *flag* yield first place to a code with the flag *wanted* that
    may be first (f.DEFINITIVE, f.NATURE)."""
    if not c.flags & wanted:
        return
    barred = c.barred
    for p, flags in enumerate(c.code_flags):
        if flags & wanted and p not in barred:
            c.demote_all(flag, rule, wanted)
            return


@APPLY("I.C.18/symptom-first", needs=f.SYMPTOM)
def symptom_first(c: Constraints) -> None:
    _demote(c, f.SYMPTOM, "I.C.18/symptom-first", f.DEFINITIVE)


@APPLY("I.B.10/sequela-first", needs=f.SEQUELA)
def sequela_first(c: Constraints) -> None:
    _demote(c, f.SEQUELA, "I.B.10/sequela-first", f.NATURE)


@APPLY("I.C.19.e.5.a/adverse-effect-first", needs=f.ADVERSE)
def adverse_effect_first(c: Constraints) -> None:
    _demote(c, f.ADVERSE, "I.C.19.e.5.a/adverse-effect-first", f.NATURE)


# --- the messages of preference findings ---------------------------------------------------


def _pregnancy(e: Encounter, first: str, better: str) -> str:
    return (f"{better} is a pregnancy code, and chapter 15 codes have sequencing priority "
            f"over codes from other chapters (I.C.15.a): it should be the "
            f"{e.setting.first_term}, not {first}. If the provider documents that the "
            "pregnancy is incidental to the encounter, report Z33.1 instead of chapter 15 "
            "codes.")


def _poisoning(e: Encounter, first: str, better: str) -> str:
    return (f"{better} is a poisoning code: the poisoning comes first, followed by its "
            f"manifestations such as {first} (I.C.19.e.5.b). If {first} is not a "
            "manifestation of the poisoning and was the reason for the encounter, keep it "
            "first.")


def _insulin_pump(e: Encounter, first: str, better: str) -> str:
    return (f"{better} is a malfunction of an insulin pump that caused an overdose or "
            "underdose of insulin: the T85.6- code is the principal or first-listed code, "
            f"followed by the T38.3X- code (I.C.4.a.5). If {first} was the reason for the "
            "encounter and the pump was not, keep it first.")


def _toxic(e: Encounter, first: str, better: str) -> str:
    return (f"{better} is a toxic effect code: the toxic effect comes first, followed by "
            f"codes for its manifestations such as {first} (I.C.19.e.5.d). If {first} is "
            "not a manifestation of the toxic effect, keep it first.")


def _symptom(e: Encounter, first: str, better: str) -> str:
    section = "Section II.A" if e.setting is Setting.INPATIENT else "Section IV.D"
    return (f"{first} is a symptom code, and {better} is a definitive diagnosis: a symptom "
            f"is not the {e.setting.first_term} when a related definitive diagnosis is "
            f"established (I.C.18, {section}). If {first} is routinely part of {better}, "
            "do not report it at all (I.B.5); if it is unrelated, keep the order.")


def _sequela(e: Encounter, first: str, better: str) -> str:
    return (f"{first} is a sequela code: the condition or nature of the sequela, such as "
            f"{better}, comes first and the sequela code second (I.B.10).")


def _adverse(e: Encounter, first: str, better: str) -> str:
    return (f"{first} codes an adverse effect of a drug: the nature of the adverse effect, "
            f"such as {better}, comes first and the drug's T code second (I.C.19.e.5.a).")


#: The message of a preference finding, by rule: from the encounter, the code listed
#: first and the code that should be.
PREFERENCE_MESSAGES = {
    "I.C.15.a/pregnancy-first": _pregnancy,
    "I.C.19.e.5.b/poisoning-first": _poisoning,
    "I.C.4.a.5/insulin-pump-first": _insulin_pump,
    "I.C.19.e.5.d/toxic-effect-first": _toxic,
    "I.C.18/symptom-first": _symptom,
    "I.B.10/sequela-first": _sequela,
    "I.C.19.e.5.a/adverse-effect-first": _adverse,
}
