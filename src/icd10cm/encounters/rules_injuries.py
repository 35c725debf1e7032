"""The rules of injuries, the coma scale and external causes that neither an Excludes1
note nor another rule covers: I.B.19.b the hurricane, I.C.13.d.2 a fracture with known
osteoporosis, I.C.18.e the coma scale and unspecified coma, I.C.19.b unspecified
multiple injuries, I.C.19.d.6 the extent of burns. Where an Excludes1 note keeps two
codes apart (T07 with T14.90), the I.A.12.a/excludes1 finding reports it.
"""

from __future__ import annotations

from collections.abc import Iterator

from icd10cm.core.text import listing
from icd10cm.encounters import facts as f
from icd10cm.encounters.analysis import Analysis
from icd10cm.encounters.encounter import Setting
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.rules import Appliers

__all__ = ["APPLY"]

APPLY = Appliers()


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
                    and not any(a.excluded(p, t07) for t07 in unspecified))]
    if injuries:  # (the rule runs where there is a T07 code)
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


@APPLY("I.C.13.d.2/osteoporosis-with-traumatic-fracture", needs=f.OSTEOPOROSIS | f.INJURY)
def osteoporosis_with_traumatic_fracture(a: Analysis) -> Iterator[Finding]:
    # "A code from category M80, not a traumatic fracture code, should be used for any
    # patient with known osteoporosis who suffers a fracture, even if the patient had a
    # minor fall or trauma, if that fall or trauma would not usually break a normal,
    # healthy bone." Whether the trauma would have is the provider's word: a warning.
    # (A traumatic fracture: an S code whose title says fracture; read here, where M81 is,
    # not kept as a flag of every injury code.)
    facts = a.facts
    fractures = [p for p, fact in enumerate(facts) if fact.undotted[0] == "S"
                 and "fracture" in fact.code.title.lower()]
    if not fractures:
        return
    osteoporosis = a.positions(f.OSTEOPOROSIS)
    yield a.finding(
        "I.C.13.d.2/osteoporosis-with-traumatic-fracture", sorted(osteoporosis[:1] + fractures),
        f"{facts[osteoporosis[0]].value} codes known osteoporosis, and "
        f"{listing(facts[p].value for p in fractures)} a traumatic fracture: a code from "
        "category M80, Osteoporosis with current pathological fracture, not a traumatic "
        "fracture code, should be used for any patient with known osteoporosis who suffers "
        "a fracture, even if the patient had a minor fall or trauma, if that fall or trauma "
        "would not usually break a normal, healthy bone (I.C.13.d.2). Unless the trauma "
        "would have broken a healthy bone, code the fracture with M80.0- (age-related "
        "osteoporosis) or M80.8- in place of the M81 and fracture codes.")
