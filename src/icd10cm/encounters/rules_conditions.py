"""The rules on particular conditions that neither an Excludes1 note nor another rule
covers: I.C.1.d.4 sepsis with a localized infection, I.C.1.e MRSA, I.C.2.j disseminated
malignancy, I.C.2.r malignancy of a transplanted organ, I.C.9.a the codes hypertension
takes with it, I.C.9.e.4 subsequent
myocardial infarction, I.C.10.d ventilator associated pneumonia, I.C.14.a.1 end stage
renal disease. The rules of pregnancy and the newborn are in :mod:`rules_maternity`,
those of injuries and external causes in :mod:`rules_injuries`.

Each rule was checked against the Tabular List of every bundled release first: where
an Excludes1 note already keeps two codes apart (N18.5 with N18.6; I22 with I21.A1 or
I21.A9; use, abuse and dependence of one substance, F10-F19; A41.02 with Z16.11), the
I.A.12.a/excludes1 finding reports it, and these rules do not report it again.
"""

from __future__ import annotations

from collections.abc import Iterator

from icd10cm.core.text import listing
from icd10cm.encounters import facts as f
from icd10cm.encounters.analysis import Analysis
from icd10cm.encounters.encounter import PresentOnAdmission, Setting
from icd10cm.encounters.facts import Facts
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.rules import Appliers

__all__ = ["APPLY"]

APPLY = Appliers()


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
              and not any(a.excluded(p, e) for e in esrd)]  # N18.5: Excludes1 at N18.5
    if stages:
        named = listing(f"{facts[p].value} ({facts[p].code.title})" for p in stages)
        yield a.finding(
            "I.C.14.a.1/ckd-stage-with-esrd", sorted(esrd[:1] + stages),
            f"N18.6 (end stage renal disease) is reported with {named}: if both a stage of "
            "CKD and ESRD are documented, assign code N18.6 only (I.C.14.a.1). Remove "
            f"{listing(facts[p].value for p in stages)}.")


@APPLY("I.C.1.e.1.a/mrsa-with-b9562", needs=f.MRSA | f.SUPPLEMENTARY)
def mrsa_with_b9562(a: Analysis) -> Iterator[Finding]:
    # "Do not assign code B95.62 ... as an additional code, because the combination code
    # includes the type of infection and the MRSA organism" (A41.02, J15.212).
    facts = a.facts
    mrsa = a.positions(f.MRSA)
    organisms = [p for p in mrsa if facts[p].value == "B95.62"]
    for organism in organisms:
        combined = [p for p in mrsa if p not in organisms and not a.excluded(p, organism)]
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
        coded = [p for p in mrsa if not a.excluded(p, resistance)]
        if coded:
            yield a.finding(
                "I.C.1.e.1/mrsa-with-z1611", sorted([resistance, *coded]),
                f"{facts[resistance].value} ({facts[resistance].code.title}) is reported "
                f"with {listing(facts[p].value for p in coded)}, which codes the infection "
                "as due to methicillin resistant Staphylococcus aureus: do not assign a code "
                "from subcategory Z16.11, Resistance to penicillins (I.C.1.e.1). Remove "
                f"{facts[resistance].value}.")


#: The codes of malignant neoplasms of a stated site or kind, primary or secondary (C80,
#: of unspecified site, aside): C00-C7B, and the lymphoid and hematopoietic C81-C96.
_SITES = (("C00", "C7B"), ("C81", "C96"))


def _names_a_site(fact: Facts) -> bool:
    """Whether *fact* is the code of a malignant neoplasm of a stated site or kind."""
    return any(first <= fact.category <= last for first, last in _SITES)


@APPLY("I.C.2.j/disseminated-with-sites", needs=f.DISSEMINATED)
def disseminated_with_sites(a: Analysis) -> Iterator[Finding]:
    # "Code C80.0, Disseminated malignant neoplasm, unspecified, is for use only in those
    # cases where the patient has advanced metastatic disease and no known primary or
    # secondary sites are specified. It should not be used in place of assigning codes for
    # the primary site and all known secondary sites."
    facts = a.facts
    sites = [p for p, fact in enumerate(facts) if _names_a_site(fact)]
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


@APPLY("I.C.10.d.1/vap-with-pneumonia", needs=f.VAP)
def vap_with_pneumonia(a: Analysis) -> Iterator[Finding]:
    # "Do not assign an additional code from categories J12-J18 to identify the type of
    # pneumonia" (I.C.10.d.1), but "A patient may be admitted with one type of pneumonia
    # ... and subsequently develop VAP. In this instance, the principal diagnosis would be
    # the appropriate code from categories J12-J18 for the pneumonia diagnosed at the time
    # of admission" (I.C.10.d.2): a pneumonia code that is the principal diagnosis of an
    # inpatient stay, or present on admission, is that one.
    facts = a.facts
    encounter = a.encounter
    inpatient = encounter.setting is Setting.INPATIENT
    indicators = encounter.present_on_admission
    typed = [p for p, fact in enumerate(facts) if "J12" <= fact.category <= "J18" and not (
        inpatient and (p == 0 or (indicators is not None
                                  and indicators[p] is PresentOnAdmission.YES)))]
    if typed:
        vap = a.positions(f.VAP)
        yield a.finding(
            "I.C.10.d.1/vap-with-pneumonia", sorted(vap[:1] + typed),
            f"J95.851 (ventilator associated pneumonia) is reported with "
            f"{listing(facts[p].value for p in typed)}: do not assign an additional code "
            "from categories J12-J18 to identify the type of pneumonia; assign a code for "
            "the organism instead (e.g., Pseudomonas aeruginosa, B96.5) (I.C.10.d.1). Only "
            "a pneumonia the patient was admitted with, before developing VAP, is coded "
            "from J12-J18, as the principal diagnosis (I.C.10.d.2).")


def _stage_missing(a: Analysis, rule: str, flag: int, category: str) -> Iterator[Finding]:
    """The finding of *rule* on the codes of *category* that have *flag* (I12 or I13) when
    no code of category N18 gives the stage of chronic kidney disease."""
    if a.flags & f.CKD:
        return
    positions = a.positions(flag)
    yield a.finding(
        rule, positions,
        f"{listing(a.facts[p].value for p in positions)} is reported without a code from "
        "category N18, Chronic kidney disease: the appropriate code from category N18 "
        f"should be used as a secondary code with a code from category {category} to "
        f"identify the stage of chronic kidney disease ({a.section(rule)}). Add the N18 "
        "code of the stage.")


@APPLY("I.C.9.a.2/i12-without-n18", needs=f.HYPERTENSIVE_CKD)
def i12_without_n18(a: Analysis) -> Iterator[Finding]:
    return _stage_missing(a, "I.C.9.a.2/i12-without-n18", f.HYPERTENSIVE_CKD, "I12")


@APPLY("I.C.9.a.3/i13-without-n18", needs=f.HYPERTENSIVE_HEART_CKD)
def i13_without_n18(a: Analysis) -> Iterator[Finding]:
    return _stage_missing(a, "I.C.9.a.3/i13-without-n18", f.HYPERTENSIVE_HEART_CKD, "I13")


@APPLY("I.C.9.a.5/retinopathy-without-hypertension", needs=f.HYPERTENSIVE_RETINOPATHY)
def retinopathy_without_hypertension(a: Analysis) -> Iterator[Finding]:
    # "Subcategory H35.0, Background retinopathy and retinal vascular changes, should be
    # used along with a code from categories I10 - I15, in the Hypertensive diseases
    # section, to include the systemic hypertension" (Hypertensive Retinopathy). In
    # pregnancy the hypertension is coded in O10-O16 (O10.0 "Includes: Any condition in
    # I10 specified as a reason for obstetric care").
    if a.flags & (f.HYPERTENSIVE | f.SECONDARY_HYPERTENSION) or any(
            "O10" <= fact.category <= "O16" for fact in a.facts):
        return
    positions = a.positions(f.HYPERTENSIVE_RETINOPATHY)
    yield a.finding(
        "I.C.9.a.5/retinopathy-without-hypertension", positions,
        f"{listing(a.facts[p].value for p in positions)} codes hypertensive retinopathy, and "
        "no code of hypertension is reported: subcategory H35.0 should be used along with a "
        "code from categories I10-I15, Hypertensive diseases, to include the systemic "
        "hypertension (I.C.9.a.5). Add the hypertension code.")


#: What cannot be the underlying etiology of secondary hypertension, besides hypertension
#: itself (I10-I1A) and Z codes: the hypertensive retinopathy it causes, external causes.
_NOT_ETIOLOGY = f.HYPERTENSIVE_RETINOPATHY | f.EXTERNAL


@APPLY("I.C.9.a.6/secondary-hypertension-alone", needs=f.SECONDARY_HYPERTENSION)
def secondary_hypertension_alone(a: Analysis) -> Iterator[Finding]:
    # "Secondary hypertension is due to an underlying condition. Two codes are required:
    # one to identify the underlying etiology and one from category I15 to identify the
    # hypertension."
    facts = a.facts
    if any(not flags & _NOT_ETIOLOGY and fact.undotted[0] != "Z"
           and not "I10" <= fact.category <= "I1A"
           for fact, flags in zip(facts, a.code_flags, strict=True)):
        return
    positions = a.positions(f.SECONDARY_HYPERTENSION)
    yield a.finding(
        "I.C.9.a.6/secondary-hypertension-alone", positions,
        f"{listing(facts[p].value for p in positions)} codes secondary hypertension, and no "
        "code here identifies the condition it is due to: two codes are required, one to "
        "identify the underlying etiology and one from category I15 to identify the "
        "hypertension (I.C.9.a.6). Add the code of the underlying condition.")


@APPLY("I.C.2.r/transplant-malignancy-codes", needs=f.TRANSPLANT_MALIGNANCY)
def transplant_malignancy_codes(a: Analysis) -> Iterator[Finding]:
    # "A malignant neoplasm of a transplanted organ should be coded as a transplant
    # complication. Assign first the appropriate code from category T86.-, Complications
    # of transplanted organs and tissue, followed by code C80.2, Malignant neoplasm
    # associated with transplanted organ. Use an additional code for the specific
    # malignancy." (The order is the 'Code first' note's: I.A.13/code-first-order.)
    facts = a.facts
    missing = []
    if not a.flags & f.TRANSPLANT_COMPLICATION:
        missing.append("the code from category T86.- of the transplant complication, "
                       "assigned first")
    if not any(map(_names_a_site, facts)):
        missing.append("an additional code for the specific malignancy")
    if missing:
        positions = a.positions(f.TRANSPLANT_MALIGNANCY)
        yield a.finding(
            "I.C.2.r/transplant-malignancy-codes", positions,
            "C80.2 (malignant neoplasm associated with transplanted organ) is reported "
            f"without {' and without '.join(missing)}: a malignant neoplasm of a "
            "transplanted organ should be coded as a transplant complication, T86.- first, "
            "followed by C80.2, with an additional code for the specific malignancy "
            "(I.C.2.r).")
