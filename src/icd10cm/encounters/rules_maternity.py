"""The rules of pregnancy, childbirth and the newborn that neither an Excludes1 note nor
another rule covers: I.C.15.b.5 the outcome of delivery, I.C.15.f HIV in pregnancy,
I.C.15.i gestational diabetes and its control, I.C.15.q.4 hemorrhage after an abortion,
I.C.16.f sepsis of a newborn with its organism. Where an Excludes1 note keeps two codes
apart (Z34 and Z33.1 with chapter 15), the I.A.12.a/excludes1 finding reports it.
"""

from __future__ import annotations

from collections.abc import Iterator

from icd10cm.core.notes import NoteKind
from icd10cm.core.text import listing
from icd10cm.encounters import facts as f
from icd10cm.encounters.analysis import Analysis
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.rules import Appliers

__all__ = ["APPLY"]

APPLY = Appliers()


@APPLY("I.C.15.i/o24-with-gestational", needs=f.GESTATIONAL_DIABETES | f.DIABETES_IN_PREGNANCY)
def o24_with_gestational(a: Analysis) -> Iterator[Finding]:
    gestational = a.positions(f.GESTATIONAL_DIABETES)
    others = a.positions(f.DIABETES_IN_PREGNANCY)
    facts = a.facts
    yield a.finding(
        "I.C.15.i/o24-with-gestational", sorted(gestational + others),
        f"{listing(facts[p].value for p in gestational)} codes gestational diabetes, and "
        f"{listing(facts[p].value for p in others)} diabetes mellitus in pregnancy, "
        "childbirth or the puerperium: no other code from category O24, Diabetes mellitus "
        "in pregnancy, childbirth, and the puerperium, should be used with a code from O24.4 "
        "(I.C.15.i). Gestational diabetes is diabetes in a patient who was not diabetic "
        "before the pregnancy: keep the O24.4 code for it, or else the other O24 codes with "
        "the diabetes codes (E08-E13).")


#: How the O24.4 codes say the gestational diabetes is controlled, by the end of their
#: titles ("Gestational diabetes mellitus in pregnancy, diet controlled").
_DIET = ", diet controlled"
_DRUGS = {", insulin controlled": "insulin-controlled",
          ", controlled by oral hypoglycemic drugs": '"controlled by oral hypoglycemic drugs"'}


@APPLY("I.C.15.i/gestational-diet-with-drugs", needs=f.GESTATIONAL_DIABETES)
def gestational_diet_with_drugs(a: Analysis) -> Iterator[Finding]:
    # "If a patient with gestational diabetes is treated with both diet and insulin, only
    # the code for insulin-controlled is required", and so for oral hypoglycemic drugs:
    # a diet-controlled code with a drug-controlled one of the same subcategory (in
    # pregnancy O24.41-, childbirth O24.42-, the puerperium O24.43-).
    facts = a.facts
    gestational = a.positions(f.GESTATIONAL_DIABETES)
    for diet in gestational:
        if not facts[diet].code.title.endswith(_DIET):
            continue
        subcategory = facts[diet].undotted[:5]
        for drug in gestational:
            title = facts[drug].code.title
            ending = next((end for end in _DRUGS if title.endswith(end)), None)
            if ending is None or facts[drug].undotted[:5] != subcategory:
                continue
            yield a.finding(
                "I.C.15.i/gestational-diet-with-drugs", sorted((diet, drug)),
                f"{facts[diet].value} codes gestational diabetes controlled by diet, and "
                f"{facts[drug].value} the same diabetes{ending}: if a patient with "
                "gestational diabetes is treated with both diet and "
                f"{'insulin' if 'insulin' in ending else 'oral hypoglycemic medications'}, "
                f"only the code for {_DRUGS[ending]} is required (I.C.15.i). Remove "
                f"{facts[diet].value}.")


#: "Post abortion conditions" (I.C.15.q.4): spontaneous abortion (O03), complications
#: following an induced termination of pregnancy (O04), a failed attempted termination (O07).
_ABORTIONS = ("O03", "O04", "O07")


@APPLY("I.C.15.q.4/o72-after-abortion", needs=f.ABORTIVE)
def o72_after_abortion(a: Analysis) -> Iterator[Finding]:
    facts = a.facts
    hemorrhage = [p for p, fact in enumerate(facts) if fact.value == "O72.1"]
    abortions = [p for p, fact in enumerate(facts) if fact.category in _ABORTIONS]
    if hemorrhage and abortions:
        named = listing(f"{facts[p].value} ({facts[p].code.title})" for p in abortions)
        yield a.finding(
            "I.C.15.q.4/o72-after-abortion", sorted(hemorrhage + abortions),
            f"O72.1 (other immediate postpartum hemorrhage) is reported with {named}: O72.1 "
            "should not be assigned for post abortion conditions (I.C.15.q.4). Code the "
            "hemorrhage with the abortion's own code for it (for hemorrhage post elective "
            "abortion, O04.6, delayed or excessive hemorrhage following (induced) termination "
            "of pregnancy) and remove O72.1.")


_ORGANISMS = ("B95", "B96")
_ASKS_FOR_ORGANISM = ("organism", "infectious agent", "bacterial agent")


def _asks_for_organism(a: Analysis, position: int) -> bool:
    """Whether a "Use additional code" note of the code at *position* (its own or one
    above it) asks for an organism: in words, or by citing B95 or B96."""
    notes = a.encounter.release.notes_for(
        a.facts[position].code, kinds=[NoteKind.USE_ADDITIONAL_CODE],
        own_data_only=a.own_data_only)
    return any(any(word in note.text.lower() for word in _ASKS_FOR_ORGANISM)
               or any(reference.first[:3] <= category <= reference.last[:3]
                      for reference in note.references for category in _ORGANISMS)
               for note in notes)


@APPLY("I.C.16.f/organism-with-p36", needs=f.PERINATAL | f.SUPPLEMENTARY)
def organism_with_p36(a: Analysis) -> Iterator[Finding]:
    # "If the P36 code includes the causal organism, an additional code from category B95
    # ... or B96 ... should not be assigned." A P36 code includes it when its title names
    # it ("Sepsis of newborn due to Escherichia coli"), not P36.8 or P36.9. When another
    # code has a "Use additional code" note that asks for an organism (P39, a urinary
    # tract infection of the newborn: "code to identify organism or specific infection"),
    # the organism code may be that condition's: left alone.
    facts = a.facts
    sepsis = [p for p, fact in enumerate(facts)
              if fact.category == "P36" and " due to " in fact.code.title]
    if not sepsis or any(_asks_for_organism(a, p) for p, fact in enumerate(facts)
                         if p not in sepsis and fact.category not in _ORGANISMS):
        return
    first = facts[sepsis[0]]
    for organism, fact in enumerate(facts):
        if fact.category not in _ORGANISMS:
            continue
        yield a.finding(
            "I.C.16.f/organism-with-p36", sorted((sepsis[0], organism)),
            f"{first.value} ({first.code.title}) includes the causal organism, and "
            f"{fact.value} ({fact.code.title}) identifies an organism that no other code "
            "here asks for: if the P36 code includes the causal organism, an additional code "
            "from category B95, Streptococcus, Staphylococcus, and Enterococcus as the cause "
            "of diseases classified elsewhere, or B96, Other bacterial agents as the cause of "
            f"diseases classified elsewhere, should not be assigned (I.C.16.f). Remove "
            f"{fact.value}.")


@APPLY("I.C.15.b.5/delivery-without-outcome", needs=f.DELIVERED)
def delivery_without_outcome(a: Analysis) -> Iterator[Finding]:
    # "A code from category Z37, Outcome of delivery, should be included on every maternal
    # record when a delivery has occurred." A code says so: O80 or O82 (the encounter for a
    # delivery), "with preterm delivery", "complicating childbirth", "during delivery"...
    if a.flags & f.DELIVERY_OUTCOME:
        return
    facts = a.facts
    delivered = a.positions(f.DELIVERED)
    yield a.finding(
        "I.C.15.b.5/delivery-without-outcome", delivered,
        f"{listing(f'{facts[p].value} ({facts[p].code.title})' for p in delivered)} "
        f"{'says' if len(delivered) == 1 else 'say'} that a delivery has occurred, and no "
        "outcome of delivery code is reported: a code from category Z37, Outcome of "
        "delivery, should be included on every maternal record when a delivery has occurred "
        "(I.C.15.b.5). Add the Z37 code of the outcome (Z37.0, single live birth, ...).")


@APPLY("I.C.15.f/o98-7-without-hiv-code", needs=f.HIV_IN_PREGNANCY)
def o98_7_without_hiv_code(a: Analysis) -> Iterator[Finding]:
    # "a patient admitted because of an HIV-related illness should receive a principal
    # diagnosis from subcategory O98.7- ... followed by the code(s) for the HIV-related
    # illness(es). Patients with asymptomatic HIV infection status ... should receive
    # codes of O98.7- and Z21" (I.C.15.f); with HIV disease, "followed by code B20"
    # (I.C.1.a.2). O98.7- says neither which.
    if any(fact.value in ("B20", "Z21") for fact in a.facts):
        return
    positions = a.positions(f.HIV_IN_PREGNANCY)
    yield a.finding(
        "I.C.15.f/o98-7-without-hiv-code", positions,
        f"{listing(a.facts[p].value for p in positions)} codes HIV disease complicating "
        "pregnancy, childbirth or the puerperium, and neither B20 (HIV disease) nor Z21 "
        "(asymptomatic HIV infection status) is reported: a patient with an HIV-related "
        "illness receives O98.7- followed by the codes of the HIV-related illnesses, and "
        "patients with asymptomatic HIV infection status should receive codes of O98.7- "
        "and Z21 (I.C.15.f). Add B20 or Z21.")
