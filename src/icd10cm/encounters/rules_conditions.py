"""The rules on particular conditions that neither an Excludes1 note nor another rule
covers (I.B.19 the hurricane, I.C.1.d.4 sepsis with a localized infection, I.C.1.e MRSA,
I.C.2.j disseminated malignancy, I.C.9.e.4 subsequent myocardial
infarction, I.C.14.a.1 end stage renal disease, I.C.15.i gestational diabetes and its
control, I.C.15.q.4 hemorrhage after an abortion, I.C.16.f sepsis of a newborn with its
organism, I.C.18.e the coma scale, I.C.19.b unspecified multiple injuries, I.C.19.d.6 the
extent of burns).

Each rule was checked against the Tabular List of every bundled release first: where
an Excludes1 note already keeps two codes apart (N18.5 with N18.6; Z34 and Z33.1 with
chapter 15; I22 with I21.A1 or I21.A9; use, abuse and dependence of one substance,
F10-F19), the I.A.12.a/excludes1 finding reports it, and these rules do not report it
again.
"""

from __future__ import annotations

from collections.abc import Iterator

from icd10cm.core.notes import NoteKind
from icd10cm.core.text import listing
from icd10cm.encounters import facts as f
from icd10cm.encounters.analysis import Analysis
from icd10cm.encounters.encounter import PresentOnAdmission, Setting
from icd10cm.encounters.facts import NO_LINK
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.rules import Appliers

__all__ = ["APPLY"]

APPLY = Appliers()


def _excluded(a: Analysis, x: int, y: int) -> bool:
    """Whether an Excludes1 note of one of the codes at *x* and *y* covers the other
    (then the I.A.12.a/excludes1 finding reports the pair)."""
    links = a.links
    return (links.get((x, y), NO_LINK).excludes1 is not None
            or links.get((y, x), NO_LINK).excludes1 is not None)


#: Where the sepsis code is an additional diagnosis, not the principal one, so that
#: I.C.1.d.4 does not decide what comes first: a postprocedural infection, "a code from
#: T81.40 to T81.43 ... should be coded first, if known. Assign an additional code for
#: sepsis following a procedure (T81.44)", and "a code from subcategory T80.2 ... or code
#: T88.0- ... should be coded first, followed by the code for the specific infection"
#: (I.C.1.d.5); and with a chapter 15 code, which has sequencing priority (I.C.15.a.1),
#: "a code for the specific type of infection should be assigned as an additional
#: diagnosis" (I.C.15.j).
_PROCEDURAL = ("T81.4", "T80.2", "T88.0")


@APPLY("I.C.1.d.4/localized-infection-first", needs=f.SEPSIS | f.LOCALIZED_INFECTION)
def localized_infection_first(a: Analysis) -> Iterator[Finding]:
    encounter = a.encounter
    if encounter.setting is not Setting.INPATIENT or not a.code_flags[0] & f.LOCALIZED_INFECTION:
        return
    if a.flags & f.PREGNANCY or any(fact.value.startswith(_PROCEDURAL) for fact in a.facts):
        return  # another section puts a code other than the sepsis code first (_PROCEDURAL)
    sepsis = a.positions(f.SEPSIS)
    facts = a.facts
    first, codes = facts[0].value, listing(facts[p].value for p in sepsis)
    indicators = encounter.present_on_admission
    poa = [indicators[p] for p in sepsis] if indicators is not None else []
    if poa and all(indicator is PresentOnAdmission.NO for indicator in poa):
        return  # the sepsis developed after admission: the localized infection is first
    rule = "I.C.1.d.4/localized-infection-first"
    present = [p for p in sepsis
               if indicators is not None and indicators[p] is PresentOnAdmission.YES]
    if present:
        yield a.finding(
            rule, (0, *sepsis),
            f"{first} (a localized infection) is the principal diagnosis, but "
            f"{listing(facts[p].value for p in present)} (sepsis) was present on admission: "
            "if the reason for admission is sepsis or severe sepsis and a localized "
            "infection, such as pneumonia or cellulitis, a code(s) for the underlying "
            "systemic infection should be assigned first and the code for the localized "
            "infection should be assigned as a secondary diagnosis "
            f"(I.C.1.d.4). Put {facts[present[0]].value} first, unless the provider documents "
            "that the sepsis was not a reason for the admission.")
        return
    unclear = [p for p in sepsis if indicators is not None
               and indicators[p] not in (PresentOnAdmission.YES, PresentOnAdmission.NO)]
    unknown = (f" The present-on-admission indicator of "
               f"{listing(facts[p].value for p in unclear)} does not say which: query the "
               "provider." if unclear else "")
    yield a.finding(
        rule, (0, *sepsis),
        f"{first} (a localized infection) is the principal diagnosis, before {codes} "
        "(sepsis). If the reason for admission is sepsis or severe sepsis and a localized "
        "infection, such as pneumonia or cellulitis, the code for the underlying systemic "
        "infection is assigned first and the localized infection as a secondary diagnosis; "
        "only if the patient is admitted with the localized infection and the sepsis "
        "doesn't develop until after admission is the localized infection assigned first, "
        f"followed by the sepsis codes (I.C.1.d.4). Check which applies: was the sepsis "
        f"present on admission?{unknown}")


@APPLY("I.C.9.e.4/i22-without-i21", needs=f.SUBSEQUENT_MI)
def i22_without_i21(a: Analysis) -> Iterator[Finding]:
    if any(fact.category == "I21" for fact in a.facts):
        return
    subsequent = a.positions(f.SUBSEQUENT_MI)
    yield a.finding(
        "I.C.9.e.4/i22-without-i21", subsequent,
        f"{listing(a.facts[p].value for p in subsequent)} codes a subsequent myocardial "
        "infarction, a new AMI within the 4 week time frame of an initial type 1 or "
        "unspecified AMI, and no code from category I21 is reported: a code from category "
        "I22 must be used in conjunction with a code from category I21 (I.C.9.e.4). Add the "
        "I21 code of the initial infarction.")


@APPLY("I.C.14.a.1/ckd-stage-with-esrd", needs=f.ESRD)
def ckd_stage_with_esrd(a: Analysis) -> Iterator[Finding]:
    esrd = a.positions(f.ESRD)
    facts = a.facts
    stages = [p for p in a.positions(f.CKD) if not facts[p].flags & f.ESRD
              and not any(_excluded(a, p, e) for e in esrd)]  # N18.5: Excludes1 at N18.5
    if stages:
        named = listing(f"{facts[p].value} ({facts[p].code.title})" for p in stages)
        yield a.finding(
            "I.C.14.a.1/ckd-stage-with-esrd", sorted(esrd[:1] + stages),
            f"N18.6 (end stage renal disease) is reported with {named}: if both a stage of "
            "CKD and ESRD are documented, assign code N18.6 only (I.C.14.a.1). Remove "
            f"{listing(facts[p].value for p in stages)}.")


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
    for organism, fact in enumerate(facts):
        if fact.category not in _ORGANISMS:
            continue
        first = facts[sepsis[0]]
        yield a.finding(
            "I.C.16.f/organism-with-p36", sorted((sepsis[0], organism)),
            f"{first.value} ({first.code.title}) includes the causal organism, and "
            f"{fact.value} ({fact.code.title}) identifies an organism that no other code "
            "here asks for: if the P36 code includes the causal organism, an additional code "
            "from category B95, Streptococcus, Staphylococcus, and Enterococcus as the cause "
            "of diseases classified elsewhere, or B96, Other bacterial agents as the cause of "
            f"diseases classified elsewhere, should not be assigned (I.C.16.f). Remove "
            f"{fact.value}.")


@APPLY("I.C.19.b/t07-with-injuries", needs=f.MULTIPLE_INJURIES)
def t07_with_injuries(a: Analysis) -> Iterator[Finding]:
    # "Codes from category T07, Unspecified multiple injuries should not be assigned in the
    # inpatient setting unless information for a more specific code is not available": here
    # the injuries are coded (S00-T14.9). T14.90, injury NOS, is T07's Excludes1 note.
    if a.encounter.setting is not Setting.INPATIENT:
        return
    facts = a.facts
    unspecified = a.positions(f.MULTIPLE_INJURIES)
    injuries = [p for p, fact in enumerate(facts)
                if ("S00" <= fact.category <= "T14" and fact.category != "T07"
                    and not any(_excluded(a, p, t07) for t07 in unspecified))]
    if unspecified and injuries:
        first = facts[unspecified[0]]
        yield a.finding(
            "I.C.19.b/t07-with-injuries", sorted(unspecified[:1] + injuries),
            f"{first.value} ({first.code.title}) is reported in an inpatient stay with the "
            f"codes of injuries, {listing(facts[p].value for p in injuries)}: codes from "
            "category T07, Unspecified multiple injuries should not be assigned in the "
            "inpatient setting unless information for a more specific code is not available "
            f"(I.C.19.b). Assign separate codes for each injury and remove {first.value}.")


#: The burns and corrosions coded by site (T20-T28), whose 7th character S is a sequela.
_BURN_SITES = ("T20", "T28")


@APPLY("I.C.19.d.6/extent-with-sequela", needs=f.BURN_EXTENT)
def extent_with_sequela(a: Analysis) -> Iterator[Finding]:
    # "Codes from categories T31 and T32 should not be used for sequelae of burns or
    # corrosions." With a burn of the current encounter (7th character A or D) the extent
    # may be the current burns': only sequelae (S) make the finding.
    facts = a.facts
    extents = a.positions(f.BURN_EXTENT)
    burns = [p for p, fact in enumerate(facts)
             if _BURN_SITES[0] <= fact.category <= _BURN_SITES[1] and len(fact.undotted) == 7]
    sequelae = [p for p in burns if facts[p].undotted[6] == "S"]
    if sequelae and len(sequelae) == len(burns):
        yield a.finding(
            "I.C.19.d.6/extent-with-sequela", sorted(extents + sequelae),
            f"{listing(facts[p].value for p in extents)} classifies burns or corrosions by "
            "the extent of body surface involved, and the burns here are sequelae "
            f"({listing(facts[p].value for p in sequelae)}): codes from categories T31 and "
            "T32 should not be used for sequelae of burns or corrosions (I.C.19.d.6). Remove "
            f"{listing(facts[p].value for p in extents)}.")


@APPLY("I.C.1.e.1.a/mrsa-with-b9562", needs=f.MRSA | f.SUPPLEMENTARY)
def mrsa_with_b9562(a: Analysis) -> Iterator[Finding]:
    # "Do not assign code B95.62 ... as an additional code, because the combination code
    # includes the type of infection and the MRSA organism" (A41.02, J15.212).
    facts = a.facts
    mrsa = a.positions(f.MRSA)
    organisms = [p for p in mrsa if facts[p].value == "B95.62"]
    for organism in organisms:
        combined = [p for p in mrsa if p not in organisms and not _excluded(a, p, organism)]
        if combined:
            named = listing(f"{facts[p].value} ({facts[p].code.title})" for p in combined)
            yield a.finding(
                "I.C.1.e.1.a/mrsa-with-b9562", sorted([organism, *combined]),
                f"{named} is a combination code that includes the type of infection and the "
                "MRSA organism: do not assign code B95.62, Methicillin resistant "
                "Staphylococcus aureus infection as the cause of diseases classified "
                "elsewhere, as an additional code (I.C.1.e.1.a). Remove B95.62.")


@APPLY("I.C.1.e.1/mrsa-with-z1611", needs=f.MRSA | f.PENICILLIN_RESISTANCE)
def mrsa_with_z1611(a: Analysis) -> Iterator[Finding]:
    # With a combination code for MRSA, or B95.62 for the MRSA infection of another
    # condition: "Do not assign a code from subcategory Z16.11, Resistance to penicillins"
    # (where an Excludes1 note keeps the two apart, that finding reports them).
    facts = a.facts
    mrsa = a.positions(f.MRSA)
    for resistance in a.positions(f.PENICILLIN_RESISTANCE):
        coded = [p for p in mrsa if not _excluded(a, p, resistance)]
        if coded:
            yield a.finding(
                "I.C.1.e.1/mrsa-with-z1611", sorted([resistance, *coded]),
                f"{facts[resistance].value} ({facts[resistance].code.title}) is reported "
                f"with {listing(facts[p].value for p in coded)}, which codes the infection "
                "as due to methicillin resistant Staphylococcus aureus: do not assign a code "
                "from subcategory Z16.11, Resistance to penicillins (I.C.1.e.1). Remove "
                f"{facts[resistance].value}.")


#: The subcategories of the coma scale, one code of each needed for a score (I.C.18.e).
_COMA_PARTS = {"R4021": "R40.21- (eyes open)", "R4022": "R40.22- (best verbal response)",
               "R4023": "R40.23- (best motor response)"}


@APPLY("I.C.18.e/coma-scale-set", needs=f.COMA_SCALE)
def coma_scale_set(a: Analysis) -> Iterator[Finding]:
    # "These codes, one from each subcategory, are needed to complete the scale. The 7th
    # character indicates when the scale was recorded. The 7th character should match for
    # all three codes." A facility may capture several scores: one set per 7th character.
    # "Assign code R40.24-, Glasgow coma scale, total score, when only the total score is
    # documented ... and not the individual score(s)."
    # (The total scores of FY2016, R40.241-R40.244, have no 7th character: they go with
    # the scores of any time.)
    facts = a.facts
    sets: dict[str, list[int]] = {}
    untimed = []
    for position in a.positions(f.COMA_SCALE):
        undotted = facts[position].undotted
        if len(undotted) == 7:
            sets.setdefault(undotted[6], []).append(position)
        else:
            untimed.append(position)
    if untimed:
        sets = {key: sorted(untimed + timed) for key, timed in sets.items()} or {"": untimed}
    section = a.section("I.C.18.e/coma-scale-set")
    for seventh, positions in sets.items():
        parts = [facts[p].undotted[:5] for p in positions]
        scale = [part for part in parts if part in _COMA_PARTS]
        problems = []
        missing = [name for part, name in _COMA_PARTS.items() if part not in scale]
        if scale and missing:
            problems.append(f"lack {listing(missing)}")
        repeated = sorted({_COMA_PARTS[part] for part in scale if scale.count(part) > 1})
        if repeated:
            problems.append(f"have more than one {listing(repeated)}")
        if scale and len(scale) < len(parts):
            problems.append("have the total score (R40.24-) beside individual scores")
        if problems:
            yield a.finding(
                "I.C.18.e/coma-scale-set", positions,
                "The coma scale codes "
                + (f"recorded with 7th character {seventh} " if seventh else "")
                + f"({listing(facts[p].value for p in positions)}) {' and '.join(problems)}: "
                "the scale takes one code from each subcategory (R40.21-, R40.22-, R40.23-), "
                "the 7th character should match for all three codes, and the total score "
                f"(R40.24-) is assigned when only it is documented ({section}).")


@APPLY("I.C.18.e/unspecified-coma-with-scale", needs=f.COMA_SCALE | f.INJURY)
def unspecified_coma_with_scale(a: Analysis) -> Iterator[Finding]:
    # "Code R40.20, Unspecified coma, should be assigned when the underlying cause of the
    # coma is not known, or the cause is a traumatic brain injury and the coma scale is not
    # documented in the medical record": with the brain injury (S06) and its scale coded,
    # it is neither.
    facts = a.facts
    unspecified = [p for p, fact in enumerate(facts) if fact.value == "R40.20"]
    injuries = [p for p, fact in enumerate(facts) if fact.category == "S06"]
    if unspecified and injuries:
        scale = a.positions(f.COMA_SCALE)
        yield a.finding(
            "I.C.18.e/unspecified-coma-with-scale", sorted(unspecified + injuries[:1] + scale),
            f"R40.20 (unspecified coma) is reported with a traumatic brain injury "
            f"({facts[injuries[0]].value}) and its coma scale "
            f"({listing(facts[p].value for p in scale)}): code R40.20 should be assigned when "
            "the underlying cause of the coma is not known, or the cause is a traumatic brain "
            "injury and the coma scale is not documented in the medical record (I.C.18.e). "
            "Remove R40.20.")


@APPLY("I.B.19.b/collapse-with-hurricane", needs=f.HURRICANE)
def collapse_with_hurricane(a: Analysis) -> Iterator[Finding]:
    # "Code X36.0.-, Collapse of dam or man-made structure, should not be assigned when the
    # cause of the collapse is due to the hurricane. Use of code X36.0- is limited to
    # collapses of man-made structures due to earth surface movements."
    facts = a.facts
    collapses = [p for p, fact in enumerate(facts) if fact.value.startswith("X36.0")]
    if collapses:
        hurricane = a.positions(f.HURRICANE)
        yield a.finding(
            "I.B.19.b/collapse-with-hurricane", sorted(hurricane[:1] + collapses),
            f"{listing(facts[p].value for p in collapses)} (collapse of dam or man-made "
            f"structure) is reported with {facts[hurricane[0]].value} (hurricane): code X36.0- "
            "should not be assigned when the cause of the collapse is due to the hurricane; "
            "it is limited to collapses of man-made structures due to earth surface movements "
            "(I.B.19.b). For an injury from a building collapse during the hurricane, code the "
            "collapse with its own external cause code (W20.1-, struck by object due to "
            "collapse of building), after X37.0-.")


#: The codes of malignant neoplasms of a stated site or kind, primary or secondary (C80,
#: of unspecified site, aside): C00-C7B, and the lymphoid and hematopoietic C81-C96.
_SITES = (("C00", "C7B"), ("C81", "C96"))


@APPLY("I.C.2.j/disseminated-with-sites", needs=f.DISSEMINATED)
def disseminated_with_sites(a: Analysis) -> Iterator[Finding]:
    # "Code C80.0, Disseminated malignant neoplasm, unspecified, is for use only in those
    # cases where the patient has advanced metastatic disease and no known primary or
    # secondary sites are specified. It should not be used in place of assigning codes for
    # the primary site and all known secondary sites."
    facts = a.facts
    sites = [p for p, fact in enumerate(facts)
             if any(first <= fact.category <= last for first, last in _SITES)]
    if sites:
        disseminated = a.positions(f.DISSEMINATED)
        yield a.finding(
            "I.C.2.j/disseminated-with-sites", sorted(disseminated[:1] + sites),
            f"C80.0 (disseminated malignant neoplasm, unspecified) is reported with "
            f"{listing(facts[p].value for p in sites)}, which specify a primary or secondary "
            "site: C80.0 is for use only in those cases where the patient has advanced "
            "metastatic disease and no known primary or secondary sites are specified, and "
            "should not be used in place of assigning codes for the primary site and all "
            "known secondary sites (I.C.2.j). Remove C80.0.")


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
