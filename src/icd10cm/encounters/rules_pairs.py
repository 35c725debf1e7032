"""The rules that look at pairs and groups of codes (I.A.12, I.B, I.C)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from icd10cm.core.notes import Note, NoteKind
from icd10cm.core.text import listing
from icd10cm.encounters import acuity, facts as f
from icd10cm.encounters.analysis import Analysis
from icd10cm.encounters.encounter import PresentOnAdmission
from icd10cm.encounters.facts import Facts, Span
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.history_sites import Coverage, covered
from icd10cm.encounters.rules import Appliers, Condition
from icd10cm.encounters.rules_order import borrowed_from

__all__ = ["APPLY", "TRANSPLANT_COMPLICATIONS"]

APPLY = Appliers()
_PHASE_CHARACTER = {"initial": "A", "subsequent": "D", "sequela": "S"}
_STATUS_FLAGS = f.PLACE | f.ACTIVITY | f.STATUS  # Y92, Y93, Y99
_STATUS_NAMES = {"Y92": "place of occurrence", "Y93": "activity", "Y99": "external cause status"}
# Words that say on which side, and the organs named with a side ("right eye").
_NO_SIDE = re.compile(r"\b(?:right|left|bilateral|unilateral|of|side|eyes?|ears?)\b|[^a-z0-9 ]")


@APPLY("I.A.12.a/excludes1", needs=f.LINKED_EXCLUDES1)
def excludes1(a: Analysis) -> list[Finding]:
    excluded: dict[tuple[int, int], tuple[int, int, Note]] = {}
    for (owner, other), link in a.links.items():
        span = link.excludes1
        if span is not None:
            pair = (owner, other) if owner < other else (other, owner)
            if pair not in excluded:
                excluded[pair] = (owner, other, span.note)
    # The words depend on the two codes only (the first link of the pair, in the order of
    # the links, names the owner).
    return [a.finding("I.A.12.a/excludes1", pair,
                      a.kept(pair[0], ("I.A.12.a/excludes1", a.facts[pair[1]].index),
                             _excludes1_words, a, *pair, *found),
                      source_release=found[2].source_release)
            for pair, found in sorted(excluded.items())]


def _excludes1_words(a: Analysis, x: int, y: int, owner: int, other: int, note: Note) -> str:
    return (f"{a.facts[x].value} and {a.facts[y].value} are not coded together: the "
            f"Excludes1 note of {a.facts[owner].value} at {note.where} "
            f"(\"{note.text.strip()}\")"
            f"{borrowed_from(note.source_release, a.encounter.release)} covers "
            f"{a.facts[other].value} (I.A.12.a). The one exception is two conditions that "
            "are unrelated to each other; if unsure, query the provider.")


@APPLY("I.B.9/combination-code", needs=f.ACUTE_FORM | f.CHRONIC_FORM)
def combination_code(a: Analysis) -> Iterator[Finding]:
    release = a.encounter.release
    pairs = acuity.pairs_of(release)
    roles: dict[int, dict[str, int]] = {}
    for position in a.positions(f.ACUTE_OR_CHRONIC):
        for pair, role in a.facts[position].acuity:
            roles.setdefault(pair, {}).setdefault(role, position)
    for pair, found in roles.items():
        combined = pairs[pair].combination
        if len(found) == 2 and combined is not None:
            positions = sorted(found.values())
            below = (release.billable_below(index) if (index := release.index_of(combined))
                     is not None and not release.billable_flags[index] else ())
            code = release.undotted_codes[index] if index is not None else combined
            shown = f"{code[:3]}.{code[3:]}" if len(code) > 3 else code
            yield a.finding(
                "I.B.9/combination-code", positions,
                f"{a.facts[positions[0]].value} and {a.facts[positions[1]].value} are the "
                f"acute and chronic forms of one condition, and the Alphabetic Index gives "
                f"one code for both ({' > '.join(pairs[pair].path)}: {shown}): report the "
                "combination code alone (I.B.9).", below or (shown,))


#: Burns and corrosions (T20-T28): "both a code for a current burn or corrosion with 7th
#: character "A" or "D" and a burn or corrosion code with 7th character "S" may be
#: assigned on the same record" (I.C.19.d.8), as burns do not heal at the same rate.
_BURNS = frozenset(f"T{n}" for n in range(20, 29))


_ACUTE_PHASES = f.INJURY_INITIAL | f.INJURY_SUBSEQUENT


@APPLY("I.B.10/acute-with-sequela", needs=f.SEQUELA, any_of=_ACUTE_PHASES)
def acute_with_sequela(a: Analysis) -> list[Finding]:
    # Only the stems of both an injury or condition (S, T, M) coded for its initial or
    # subsequent encounter and a sequela code matter: their codes are grouped. Most
    # encounters have no two codes of one stem at all (a stem is one object per release),
    # and no code that is both.
    facts = a.facts
    if not a.flags & f.ACUTE_AND_SEQUELA and len({id(fact.stem) for fact in facts}) == len(facts):
        return []
    code_flags = a.code_flags
    acute = {facts[p].stem for p, flags in enumerate(code_flags)
             if flags & _ACUTE_PHASES and facts[p].category not in _BURNS}
    if not acute:
        return []
    both = acute.intersection([facts[p].stem for p, flags in enumerate(code_flags)
                               if flags & f.SEQUELA])
    if not both:
        return []
    stems: dict[str, list[int]] = {}
    for position, flags in enumerate(code_flags):
        if flags & f.INJURY_PHASES:
            stem = facts[position].stem
            if stem in both:
                stems.setdefault(stem, []).append(position)
    found = []
    for positions in stems.values():
        sequela = next(p for p in positions if facts[p].flags & f.SEQUELA)
        found.append(a.finding(
            "I.B.10/acute-with-sequela", positions,
            f"{listing(facts[p].value for p in positions)} code one injury or condition "
            "both for its acute phase and as a sequela; the code for the acute phase is never "
            "used with the code for its sequela (I.B.10). Keep "
            f"{facts[sequela].value} if this is a late effect, else the acute code."))
    return found


_WITHOUT_COMPLICATIONS = re.compile(r",? without complications?\b")


def _same_condition_with(condition: str, fact: Facts, other: Facts) -> bool:
    """Whether *other* codes *condition* (the title of *fact*, a code "without
    complications", before those words) "with" something, on no other side (K50.90
    "Crohn's disease, unspecified, without complications" and K50.911 "..., unspecified,
    with rectal bleeding")."""
    return (other.category == fact.category and other.index != fact.index
            and other.code.title.lower().startswith((condition + " with ",
                                                     condition + ", with "))
            and not (fact.side and other.side and fact.side != other.side))


@APPLY("I.B.9/without-complications", needs=f.NO_COMPLICATIONS)
def without_complications(a: Analysis) -> Iterator[Finding]:
    facts = a.facts
    for position in a.positions(f.NO_COMPLICATIONS):
        fact = facts[position]
        title = fact.code.title.lower()
        condition = _WITHOUT_COMPLICATIONS.split(title, maxsplit=1)[0]
        found = [p for p, other in enumerate(facts)
                 if p != position and _same_condition_with(condition, fact, other)]
        if found:
            yield a.finding(
                "I.B.9/without-complications", sorted((position, *found)),
                f"{fact.value} ({fact.code.title}) codes the condition without complications, "
                f"and {listing(facts[p].value for p in found)} "
                f"{'codes' if len(found) == 1 else 'code'} it with one: the "
                "combination codes include the complications (I.B.9), and a condition "
                "coded with its complications is not also coded as without any. Remove "
                f"{fact.value}.")


_WITH_KEY = ("I.A.15/with-combination", "codes")
#: A residual code's title after the condition: "with other diabetic ophthalmic
#: complication" (E11.39), "with other specified complication" (E11.69)
_RESIDUAL = re.compile(r" with other .*\bcomplications?\b")


def _with_codes(a: Analysis, fact: Facts) -> tuple[tuple[Facts, tuple[Span, ...]], ...]:
    """The reportable codes of the category of a code "without complications" (E11.9)
    that code the same condition "with" a named one (not a residual "with other ...
    complication": the Alphabetic Index reaches E11.39 only by "ophthalmic complication
    NEC", so a condition is coded there only when documented as one), on no other side,
    and whose own 'Use additional code' notes (below the category's) ask for the
    condition they are combined with (E11.22: N18.1-N18.6), with those notes' spans;
    found once."""
    found = fact.kept.get(_WITH_KEY)
    if found is None:
        release = fact.code.release
        category = release.index_of(fact.category)
        condition = _WITHOUT_COMPLICATIONS.split(fact.code.title.lower(), maxsplit=1)[0]
        made = []
        if category is not None:
            for index in range(category + 1, release.subtree_end(category) + 1):
                if release.billable_flags[index] and index != fact.index:
                    other = f.facts(release.code_at(index), a.own_data_only)
                    if not _same_condition_with(condition, fact, other) or _RESIDUAL.match(
                            other.code.title.lower(), len(condition)):
                        continue
                    spans = tuple(span for span in other.spans
                                  if span.note.kind is NoteKind.USE_ADDITIONAL_CODE
                                  and ":" not in span.note.node
                                  and len(span.note.node.replace(".", "")) > 3)
                    if spans:
                        made.append((other, spans))
        found = fact.keep(_WITH_KEY, tuple(made))
    return found  # type: ignore[no-any-return]


@APPLY("I.A.15/with-combination", needs=f.NO_COMPLICATIONS)
def with_combination(a: Analysis) -> Iterator[Finding]:
    facts = a.facts
    for position in a.positions(f.NO_COMPLICATIONS):
        fact = facts[position]
        candidates = _with_codes(a, fact)
        if not candidates:
            continue
        for other_position, other in enumerate(facts):
            if other.category == fact.category:
                continue
            key = ("I.A.15/with-combination", other.index)
            combined = fact.kept.get(key)
            if combined is None:
                combined = fact.keep(key, [(code, span) for code, spans in candidates
                                           for span in spans if span.covers(other.code)])
            if not combined:
                continue
            chosen = list({code.value: code for code, _ in combined}.values())
            codes = [code.value for code in chosen]
            span = combined[0][1]
            named = "; ".join(f"{code.value} ({code.code.title})" for code in chosen)
            yield a.finding(
                "I.A.15/with-combination", (position, other_position),
                f"{fact.value} ({fact.code.title}) and {other.value}: the classification "
                "presumes a causal relationship between conditions linked by \"with\", and "
                "they should be coded as related unless the documentation clearly states "
                f"they are unrelated (I.A.15). {named} "
                f"{'codes' if len(codes) == 1 else 'each code'} the condition with "
                f"{other.value}, which the 'Use additional code' note of {listing(codes)} "
                f"asks for (\"{span.note.text.strip().lstrip(', ')}\"). Report "
                f"{codes[0] if len(codes) == 1 else 'one of them'} instead of {fact.value}, "
                f"with {other.value}.", codes)


def _side_free(title: str) -> str:
    return " ".join(_NO_SIDE.sub(" ", title.lower()).split())


@APPLY("I.B.13/bilateral", needs=f.RIGHT | f.LEFT)
def bilateral(a: Analysis) -> list[Finding]:
    # Only codes alike but for their side pair up: group them, then pair a right and a
    # left code of one group, in the order of their positions.
    # (Facts.alike is one object per release for codes alike: told apart by identity.)
    facts = a.facts
    alike: dict[int, list[int]] = {}
    lateral = 0
    for position, flags in enumerate(a.code_flags):
        if flags & f.LATERAL:
            alike.setdefault(id(facts[position].alike), []).append(position)
            lateral += 1
    if len(alike) == lateral:  # no two alike
        return []
    pairs = [(x, y) for group in alike.values() if len(group) > 1
             for i, x in enumerate(group) for y in group[i + 1:]
             if facts[x].side != facts[y].side]
    pairs.sort()
    found = []
    for x, y in pairs:
        fx, fy = facts[x], facts[y]
        both = _bilateral_code(fx)
        if both is not None:
            found.append(a.finding(
                "I.B.13/bilateral", (x, y),
                f"{fx.value} and {fy.value} code one condition on the right and on "
                f"the left, and {both} ({a.encounter.release[both].title}) codes it on "
                "both sides: for a bilateral condition with a bilateral code, report "
                "that code (I.B.13).", (both,)))
    return found


@APPLY("I.B.13/bilateral-with-one-side", needs=f.BILATERAL, any_of=f.LATERAL)
def bilateral_with_one_side(a: Analysis) -> Iterator[Finding]:
    """A bilateral code with a code of the same condition on one side: the condition
    exists on both sides (the bilateral code alone) or no longer on one (the other
    side's code alone)."""
    facts = a.facts
    reported = {fact.value: position for position, fact in enumerate(facts)
                if fact.flags & f.BILATERAL}
    for position in a.positions(f.LATERAL):
        fact = facts[position]
        both = _bilateral_code(fact)
        if both is not None and both in reported:
            yield a.finding(
                "I.B.13/bilateral-with-one-side", sorted((reported[both], position)),
                f"{both} codes a condition on both sides, and {fact.value} codes it on the "
                f"{fact.side} side only: when the condition exists on both sides, the "
                "bilateral code alone is reported; when one side has been treated and the "
                "condition no longer exists there, the code for the side where it still "
                f"exists (I.B.13). Report {both} or a one-sided code, not both.")


def _bilateral_code(fact: Facts) -> str | None:
    """The reportable code of the category that says "bilateral" and otherwise names the
    same condition as *fact* (with the same 7th character), found once per code."""
    found: str | None = fact.kept.get(_BILATERAL_KEY)
    if found is None:
        found = fact.keep(_BILATERAL_KEY, _find_bilateral_code(fact) or "")
    return found or None


_BILATERAL_KEY = ("I.B.13/bilateral", "code")


def _find_bilateral_code(fact: Facts) -> str | None:
    release = fact.code.release
    wanted = _side_free(fact.code.title)
    seventh = fact.undotted[6:]
    category = release.index_of(fact.category)
    if category is None:
        return None
    for index in range(category, release.subtree_end(category) + 1):
        title = release.titles[index]
        code = release.undotted_codes[index]
        if ("bilateral" in title.lower() and release.billable_flags[index]
                and code[6:] == seventh and _side_free(title) == wanted):
            return f"{code[:3]}.{code[3:]}"
    return None


@APPLY("I.C.1.g.1.e/z20822-with-covid", needs=f.COVID | f.COVID_EXPOSURE)
def z20822_with_covid(a: Analysis) -> Iterator[Finding]:
    positions = sorted(a.positions(f.COVID | f.COVID_EXPOSURE))
    yield a.finding(
        "I.C.1.g.1.e/z20822-with-covid", positions,
        "Z20.822 (contact with and (suspected) exposure to COVID-19) is for exposure when the "
        "infection is ruled out or the test results are inconclusive; with confirmed "
        "COVID-19 (U07.1) it is not reported (I.C.1.g.1.e, and the Excludes1 note at Z20: "
        "diagnosed current infectious or parasitic disease). Remove Z20.822.")


#: The codes of hypertension and of the heart and kidney conditions the classification
#: presumes it causes (I.C.9.a): I10-I13, I50.-, I51.4-I51.7, I51.89, I51.9, N18.-.
_HYPERTENSION_FAMILY = f.HYPERTENSIVE | f.HEART_DISEASE | f.CKD


_HEART = f.HYPERTENSIVE_HEART | f.HYPERTENSIVE_HEART_CKD | f.HEART_DISEASE
_KIDNEY = f.HYPERTENSIVE_CKD | f.HYPERTENSIVE_HEART_CKD | f.CKD


def _involvement(flags: int) -> str:
    """Which combination category hypertension (I10-I13) with the codes of *flags* calls
    for: "heart" (I11), "kidney" (I12), "both" (I13), or "" (no combination, or
    hypertension alone in one code)."""
    family = flags & _HYPERTENSION_FAMILY
    if not family & f.HYPERTENSIVE or not family & (family - 1):
        return ""
    heart, kidney = bool(family & _HEART), bool(family & _KIDNEY)
    return "both" if heart and kidney else "heart" if heart else "kidney" if kidney else ""


def _involves(wanted: str) -> Condition:
    return Condition(_HYPERTENSION_FAMILY, lambda flags: _involvement(flags) == wanted)


#: I11, I12, I13 codes by (heart failure, stage 5 CKD or ESRD); I.C.9.a.1-3
_I11 = {True: "I11.0", False: "I11.9"}
_I12 = {True: "I12.0", False: "I12.9"}
_I13 = {(True, True): "I13.2", (True, False): "I13.0", (False, True): "I13.11",
        (False, False): "I13.10"}


class _Hypertension(NamedTuple):
    """What hypertension with heart or kidney disease should be coded as (I.C.9.a)."""

    rule: str  # the rule of the combination category
    code: str  # the one code of I11, I12 or I13 that codes it
    wrong: tuple[int, ...]  # the positions of the codes that stand in its way
    related: tuple[int, ...]  # the heart and kidney codes the presumption rests on


def _hypertension(a: Analysis) -> _Hypertension | None:
    """The combination code an encounter's hypertension should be coded with, where its
    codes differ from it (None: they agree, or there is nothing to combine)."""
    facts = a.facts
    hypertensive = a.positions(f.HYPERTENSIVE)
    heart_codes = a.positions(f.HEART_DISEASE)
    kidney_codes = a.positions(f.CKD)
    values = [facts[p].value for p in hypertensive]
    categories = {value[:3] for value in values}
    heart = bool(heart_codes) or bool(categories & {"I11", "I13"})
    kidney = bool(kidney_codes) or bool(categories & {"I12", "I13"})
    if not hypertensive or (not heart and not kidney):
        return None
    failures = [p for p in heart_codes if facts[p].category == "I50"]
    failure = bool(failures) or any(v in ("I11.0", "I13.0", "I13.2") for v in values)
    late = (any(facts[p].value.startswith(("N18.5", "N18.6")) for p in kidney_codes)
            if kidney_codes else any(v in ("I12.0", "I13.11", "I13.2") for v in values))
    if heart and kidney:
        rule, code = "I.C.9.a.3/hypertensive-heart-ckd", _I13[(failure, late)]
    elif kidney:
        rule, code = "I.C.9.a.2/hypertension-ckd", _I12[late]
    else:
        rule, code = "I.C.9.a.1/hypertension-heart", _I11[failure]
    # Exactly one hypertension code, the combination code, and no code for a heart
    # condition that the combination code includes
    wrong = [p for p in hypertensive if facts[p].value != code]
    # (I51.5 and I51.7 from the FY2026 edition: GuidelineEdition.heart_conditions_in_i11)
    included = a.edition.heart_conditions_in_i11
    wrong += [p for p in heart_codes if included and facts[p].value.startswith(included)]
    if not wrong:
        return None
    return _Hypertension(rule, code, tuple(sorted(wrong)),
                         tuple(p for p in sorted(heart_codes + kidney_codes) if p not in wrong))


_HYPERTENSION_WORDS = {
    "I.C.9.a.1/hypertension-heart": (
        "heart involvement", "hypertension with a heart condition classified to I50.-, "
        "I51.4-I51.7, I51.89 or I51.9 is assigned a code from category I11", "with a code "
        "from I50 or I51 to identify the heart condition, but none for I51.5 or I51.7",
        "the heart condition is unrelated to the hypertension"),
    "I.C.9.a.2/hypertension-ckd": (
        "kidney involvement", "hypertension with chronic kidney disease (N18) is assigned a "
        "code from category I12", "with the N18 code to identify the stage of chronic "
        "kidney disease", "the CKD is not related to the hypertension"),
    "I.C.9.a.3/hypertensive-heart-ckd": (
        "heart and kidney involvement", "hypertension with both heart and chronic kidney "
        "disease is assigned a code from combination category I13, not codes from I10, I11 "
        "or I12", "with the N18 code to identify the stage and, for heart failure, the I50 "
        "code to identify its type", "the conditions are unrelated"),
}


#: I.C.9.a.1 before the FY2026 edition: "Use additional code(s) from category I50, Heart
#: failure, to identify the type(s) of heart failure in those patients with heart failure"
_I11_ADDITIONAL_BEFORE_FY2026 = ("with a code from I50 to identify the type of heart failure, "
                                 "if there is heart failure")


def _hypertension_finding(a: Analysis, rule: str) -> Iterator[Finding]:
    found = _hypertension(a)
    if found is None or found.rule != rule:
        return
    facts = a.facts
    involvement, assigned, additional, unless = _HYPERTENSION_WORDS[rule]
    if rule == "I.C.9.a.1/hypertension-heart" and not a.edition.heart_conditions_in_i11:
        additional = _I11_ADDITIONAL_BEFORE_FY2026
    # The combination code replaces the hypertension codes, or is reported already and
    # they are removed, as are the heart conditions it includes.
    present = any(facts[p].value == found.code for p in a.positions(f.HYPERTENSIVE))
    replaced = [facts[p].value for p in found.wrong
                if facts[p].flags & f.HYPERTENSIVE and not present]
    removed = [facts[p].value for p in found.wrong if facts[p].value not in replaced]
    todo = [f"report {found.code} instead of {listing(replaced)}"] if replaced else []
    todo += [f"remove {listing(removed)}, which {found.code} includes"] if removed else []
    positions = sorted(found.wrong + found.related)
    yield a.finding(
        rule, positions,
        f"{listing(facts[p].value for p in positions)}: the classification presumes a causal "
        f"relationship between hypertension and {involvement} (\"with\", I.A.15), so "
        f"{assigned}: {found.code} ({a.encounter.release[found.code].title}), {additional} "
        f"({a.section(rule)}). So {' and '.join(todo)}, unless the provider documents that "
        f"{unless}.", (found.code,))


_COVERED_KEY = ("I.C.2.d/history-with-current", "covered")


def _covered(a: Analysis, fact: Facts) -> Coverage | None:
    """The malignancies a Z85 code is the history of (found once per code)."""
    found = fact.kept.get(_COVERED_KEY)
    if found is None:
        found = fact.keep(_COVERED_KEY, covered(fact.code, own_data_only=a.own_data_only) or ())
    return found or None


def _tabular_words(a: Analysis, history: Facts, coverage: Coverage) -> str:
    """Where the Tabular List names the malignancies of *history*, in words."""
    note = coverage.note
    site = (f"by the Tabular List titles, {history.value}'s site is that of "
            f"{listing(str(r) for r in coverage.references)}")
    if note is None:
        return site
    quoted = (f"the Tabular List at {note.where}: \"{note.text.strip()}\""
              f"{borrowed_from(note.source_release, a.encounter.release)}")
    return f"{quoted}; of these, {site}" if coverage.by_title else quoted


@APPLY("I.C.2.d/history-with-current", needs=f.HISTORY_OF_MALIGNANCY)
def history_with_current(a: Analysis) -> Iterator[Finding]:
    facts = a.facts
    for position in a.positions(f.HISTORY_OF_MALIGNANCY):
        coverage = _covered(a, facts[position])
        if coverage is None:
            continue
        current = [p for p, fact in enumerate(facts) if fact.value[0] in "CD"
                   and any(reference.matches(fact.code) for reference in coverage.references)]
        if current:
            history = facts[position]
            yield a.finding(
                "I.C.2.d/history-with-current", sorted((position, *current)),
                f"{history.value} ({history.code.title}) is for a malignancy previously "
                "excised or eradicated from its site, with no further treatment directed to "
                "that site and no evidence of any existing primary malignancy there, but "
                f"{listing(facts[p].value for p in current)} codes a current one "
                f"({_tabular_words(a, history, coverage)}) (I.C.2.d, "
                "I.C.2.m). While treatment is directed to the site, report the malignancy; "
                f"once it is eradicated, {history.value} alone. Keep both only if the current "
                "malignancy is another primary, at a site the history code also covers.",
                source_release=coverage.note.source_release if coverage.note else "")


@APPLY("I.C.9.a.1/hypertension-heart", any_of=f.HYPERTENSIVE, when=_involves("heart"))
def hypertension_heart(a: Analysis) -> Iterator[Finding]:
    yield from _hypertension_finding(a, "I.C.9.a.1/hypertension-heart")


@APPLY("I.C.9.a.2/hypertension-ckd", any_of=f.HYPERTENSIVE, when=_involves("kidney"))
def hypertension_ckd(a: Analysis) -> Iterator[Finding]:
    yield from _hypertension_finding(a, "I.C.9.a.2/hypertension-ckd")


@APPLY("I.C.9.a.3/hypertensive-heart-ckd", any_of=f.HYPERTENSIVE, when=_involves("both"))
def hypertensive_heart_ckd(a: Analysis) -> Iterator[Finding]:
    yield from _hypertension_finding(a, "I.C.9.a.3/hypertensive-heart-ckd")


#: The codes of the maternal record only: chapter 15 (I.C.15.a.2), the outcome of
#: delivery, Z37 ("not to be used on subsequent records or on the newborn record",
#: I.C.15.b.5), and the weeks of gestation, Z3A ("for use, only on the maternal record",
#: the category's note in the Tabular List).
_MATERNAL = f.PREGNANCY | f.DELIVERY_OUTCOME | f.GESTATION_WEEKS


def _maternal(flags: int) -> bool:
    """Whether the encounter has a code of the maternal record only."""
    return bool(flags & _MATERNAL)


@APPLY("I.C.15.a.2/maternal-record-only", any_of=f.NEWBORN | f.PERINATAL,
       when=Condition(_MATERNAL, _maternal))
def maternal_record_only(a: Analysis) -> Iterator[Finding]:
    mother = a.positions(_MATERNAL)
    newborn = a.positions(f.NEWBORN | f.PERINATAL)
    yield a.finding(
        "I.C.15.a.2/maternal-record-only", sorted(mother + newborn),
        "Pregnancy and delivery codes (chapter 15, Z37, Z3A: "
        f"{listing(a.facts[p].value for p in mother)}) belong on the maternal record only, "
        "never on the record of the newborn, and newborn codes (Z38 or chapter 16: "
        f"{listing(a.facts[p].value for p in newborn)}) on the newborn record only, never "
        "on the mother's (I.C.15.a.2, I.C.15.b.5, I.C.16.a.1, I.C.16.a.2; the Tabular "
        "List's note at Z3A). Split "
        "the codes between the two records.")


@APPLY("I.C.15.i/no-insulin-with-gestational", needs=f.GESTATIONAL_DIABETES | f.DIABETES_DRUGS)
def no_insulin_with_gestational(a: Analysis) -> Iterator[Finding]:
    drugs = a.positions(f.DIABETES_DRUGS)
    for gestational in a.positions(f.GESTATIONAL_DIABETES):
        for drug in drugs:
            yield a.finding(
                "I.C.15.i/no-insulin-with-gestational", sorted((gestational, drug)),
                a.kept(drug, ("I.C.15.i", a.facts[gestational].index),
                       _no_insulin_words, a, drug, gestational))


def _no_insulin_words(a: Analysis, drug: int, gestational: int) -> str:
    return (f"{a.facts[drug].value} is not assigned with gestational diabetes "
            f"({a.facts[gestational].value}): codes "
            f"{listing(a.edition.no_insulin_with_o244)} should not be assigned with "
            "subcategory O24.4, whose codes already say whether the diabetes is diet "
            "controlled, insulin controlled or controlled by oral hypoglycemic drugs "
            f"({a.section('I.C.15.i/no-insulin-with-gestational')} of {a.edition}). "
            "Remove it.")


def _with_o80(a: Analysis, rule: str, others: list[int], why: str) -> Iterator[Finding]:
    """A finding of *rule* on O80 and the codes at *others* reported with it, if any."""
    if others:
        normal = a.positions(f.NORMAL_DELIVERY)
        yield a.finding(
            rule, sorted(normal[:1] + others),
            f"O80 (encounter for full-term uncomplicated delivery) is reported with "
            f"{listing(a.facts[p].value for p in others)}: {why}")


@APPLY("I.C.15.n.1/o80-with-complication", needs=f.NORMAL_DELIVERY)
def o80_with_complication(a: Analysis) -> Iterator[Finding]:
    yield from _with_o80(
        a, "I.C.15.n.1/o80-with-complication",
        [p for p in a.positions(f.PREGNANCY) if a.facts[p].value != "O80"],
        "O80 is not to be used if any other code from chapter 15 is needed to describe a "
        "current complication of the antenatal, delivery, or postnatal period (I.C.15.n.1). "
        "Code the delivery with the complication codes and without O80, or remove the other "
        "chapter 15 codes if the complication resolved before the admission (I.C.15.n.2).")


@APPLY("I.C.15.n.3/o80-outcome", needs=f.NORMAL_DELIVERY | f.DELIVERY_OUTCOME)
def o80_outcome(a: Analysis) -> Iterator[Finding]:
    yield from _with_o80(
        a, "I.C.15.n.3/o80-outcome",
        [p for p in a.positions(f.DELIVERY_OUTCOME) if a.facts[p].value != "Z37.0"],
        "Z37.0, Single live birth, is the only outcome of delivery code appropriate for use "
        "with O80 (I.C.15.n.3). For another outcome, the delivery is not coded with O80.")


@APPLY("I.C.21.c.11/weeks-of-gestation", needs=f.GESTATION_WEEKS,
       any_of=f.ABORTIVE | f.POSTPARTUM)
def weeks_of_gestation(a: Analysis) -> Iterator[Finding]:
    # A postpartum condition counts only on a record that is not a delivery's (no other
    # pregnancy code, no outcome of delivery, Z37, which I.C.21.c.11 puts "on all
    # maternal delivery records"): a condition of the puerperium that arises during the
    # delivery stay is coded there.
    against = a.positions(f.ABORTIVE)
    if not against and not a.flags & f.DELIVERY_OUTCOME and all(
            flags & f.POSTPARTUM for flags in a.code_flags if flags & f.PREGNANCY):
        against = a.positions(f.POSTPARTUM)
    if against:
        weeks = a.positions(f.GESTATION_WEEKS)
        yield a.finding(
            "I.C.21.c.11/weeks-of-gestation", sorted(weeks + against),
            f"{listing(a.facts[p].value for p in weeks)}: category Z3A codes should not be "
            "assigned for pregnancies with abortive outcomes (O00-O08), elective termination "
            "of pregnancy (Z33.2), nor for postpartum conditions, as category Z3A is not "
            f"applicable to these conditions ({a.section('I.C.21.c.11/weeks-of-gestation')}), "
            f"such as {listing(a.facts[p].value for p in against)}. Remove it.")


def _injury_phases(a: Analysis) -> set[str]:
    return {fact.phase for fact in a.facts if fact.phase and not fact.flags & f.EXTERNAL}


def _cause_phase_differs(flags: int) -> bool:
    """Whether an external cause's 7th character can differ from every injury's."""
    injuries = flags & f.INJURY_PHASES
    return bool(injuries and (flags & f.CAUSE_PHASES) >> f.CAUSE_TO_INJURY & ~injuries)


def _only_later_injuries(flags: int) -> bool:
    """Whether the encounter's injuries are all coded for a later encounter."""
    return bool(flags & f.INJURY_PHASES and not flags & f.INJURY_INITIAL)


_CAUSE_PHASE_DIFFERS = Condition(f.INJURY_PHASES | f.CAUSE_PHASES, _cause_phase_differs)
_ONLY_LATER_INJURIES = Condition(f.INJURY_PHASES, _only_later_injuries)


@APPLY("I.C.20.a.2/seventh-character", needs=f.EXTERNAL, when=_CAUSE_PHASE_DIFFERS)
def seventh_character(a: Analysis) -> Iterator[Finding]:
    phases = _injury_phases(a)
    if not phases:
        return
    ordered = tuple(sorted(phases))
    for position in a.positions(f.EXTERNAL):
        fact = a.facts[position]
        if fact.phase and fact.phase not in phases:
            # the same finding in any encounter whose injuries have these phases
            key = ("I.C.20.a.2/seventh-character", position, ordered)
            found = fact.kept.get(key)
            if found is None:
                found = fact.keep(key, _seventh_character(a, position, ordered))
            yield found


def _seventh_character(a: Analysis, position: int, phases: tuple[str, ...]) -> Finding:
    fact, release = a.facts[position], a.encounter.release
    wanted = [f"{fact.value[:-1]}{_PHASE_CHARACTER[phase]}" for phase in phases]
    wanted = [value for value in wanted if value in release]
    return a.finding(
        "I.C.20.a.2/seventh-character", (position,),
        f"{fact.value} is coded for the {fact.phase} encounter, but the injuries here "
        f"are coded for the {' or '.join(phases)} encounter; the external "
        "cause's 7th character matches the injury's (I.C.20.a.2)"
        + (f": {listing(wanted)}." if wanted else "."), wanted)


def _not_initial(a: Analysis, flag: int, rule: str, what: str) -> Iterator[Finding]:
    phases = _injury_phases(a)
    positions = a.positions(flag)
    if positions and phases and "initial" not in phases:
        yield a.finding(
            rule, positions,
            f"{listing(a.facts[p].value for p in positions)}: {what} is assigned only once, "
            "at the initial encounter for treatment, but every injury here is coded for a "
            f"later encounter ({a.section(rule)}). Remove it.")


@APPLY("I.C.20.b/place-not-initial", needs=f.PLACE, when=_ONLY_LATER_INJURIES)
def place_not_initial(a: Analysis) -> Iterator[Finding]:
    yield from _not_initial(a, f.PLACE, "I.C.20.b/place-not-initial",
                            "a place of occurrence code (Y92)")


@APPLY("I.C.20.c/activity-not-initial", needs=f.ACTIVITY, when=_ONLY_LATER_INJURIES)
def activity_not_initial(a: Analysis) -> Iterator[Finding]:
    yield from _not_initial(a, f.ACTIVITY, "I.C.20.c/activity-not-initial",
                            "an activity code (Y93)")


@APPLY("I.C.20.k/status-not-initial", needs=f.STATUS, when=_ONLY_LATER_INJURIES)
def status_not_initial(a: Analysis) -> Iterator[Finding]:
    yield from _not_initial(a, f.STATUS, "I.C.20.k/status-not-initial",
                            "an external cause status code (Y99)")


#: The codes activity and status codes are not used with (I.C.20.c, I.C.20.k).
_CAUSES = f.POISONING | f.ADVERSE | f.MISADVENTURE | f.SEQUELA


def _not_applicable(a: Analysis, flag: int, rule: str, what: str,
                    underdosing: bool = False) -> Iterator[Finding]:
    causes = a.positions(_CAUSES | (f.UNDERDOSING if underdosing else 0))
    if causes:
        also = " or underdosing" if underdosing else ""
        for position in a.positions(flag):
            yield a.finding(
                rule, (position, *causes),
                f"{a.facts[position].value}: {what} are not applicable to poisonings, "
                f"adverse effects, misadventures or sequelae ({a.section(rule)}){also}, such as "
                f"{listing(a.facts[p].value for p in causes)}. Remove it.")


@APPLY("I.C.20.c/activity-with-poisoning", needs=f.ACTIVITY,
       any_of=_CAUSES | f.UNDERDOSING)
def activity_with_poisoning(a: Analysis) -> Iterator[Finding]:
    # The drug table's underdosing column shares the poisonings' T36-T50 codes: an
    # activity code is no more used with it than with a poisoning or adverse effect.
    yield from _not_applicable(a, f.ACTIVITY, "I.C.20.c/activity-with-poisoning",
                               "activity codes (Y93)", underdosing=True)


@APPLY("I.C.20.k/status-with-poisoning", needs=f.STATUS, any_of=_CAUSES)
def status_with_poisoning(a: Analysis) -> Iterator[Finding]:
    yield from _not_applicable(a, f.STATUS, "I.C.20.k/status-with-poisoning",
                               "external cause status codes (Y99)")


#: The codes whose own text gives the external cause and intent, so that no chapter 20
#: code is needed (I.C.20.a.8: "e.g., T36.0X1-, Poisoning by penicillins, accidental"),
#: and the asphyxiations whose titles name their intent (T71.111A: "..., accidental").
_CAUSE_INCLUDED = f.POISONING | f.ADVERSE | f.UNDERDOSING | f.TOXIC | f.INTENT_INCLUDED


#: What a place code (Y92) or a status code (Y99) may follow: another external cause code
#: (for Y99, a cause or an activity), or a code that includes its external cause.
_PLACE_CAUSES = f.CAUSE | f.ACTIVITY | f.STATUS | _CAUSE_INCLUDED
_STATUS_CAUSES = f.CAUSE | f.ACTIVITY | _CAUSES | _CAUSE_INCLUDED


def _none_of(flag: int) -> Condition:
    """The condition that the encounter has none of the flags *flag*."""
    return Condition(flag, lambda flags: not flags & flag)


def _without_cause(a: Analysis, flag: int, besides: int, causes: int, rule: str, words: str
                   ) -> Iterator[Finding]:
    """A finding on the codes with *flag* when no other external cause code (one without
    the flags *besides*) and no code with the flags *causes* is reported."""
    for flags in a.code_flags:
        if flags & causes or (flags & f.EXTERNAL and not flags & besides):
            return
    positions = a.positions(flag)
    yield a.finding(
        rule, positions, f"{listing(a.facts[p].value for p in positions)}: {words} "
        f"({a.section(rule)}). Add the main external cause code, or remove it.")


@APPLY("I.C.20.b/place-without-cause", needs=f.PLACE, when=_none_of(_PLACE_CAUSES))
def place_without_cause(a: Analysis) -> Iterator[Finding]:
    yield from _without_cause(
        a, f.PLACE, f.PLACE, _CAUSE_INCLUDED, "I.C.20.b/place-without-cause",
        "codes from category Y92, place of occurrence, are secondary codes for use after "
        "other external cause codes, and no other external cause code is reported")


@APPLY("I.C.20.k/status-without-cause", needs=f.STATUS, when=_none_of(_STATUS_CAUSES))
def status_without_cause(a: Analysis) -> Iterator[Finding]:
    # Y99 with a poisoning, adverse effect or misadventure: I.C.20.k/status-with-poisoning
    yield from _without_cause(
        a, f.STATUS, f.PLACE | f.STATUS, _CAUSES | _CAUSE_INCLUDED,
        "I.C.20.k/status-without-cause", "do not assign a code from category Y99, external "
        "cause status, if no other external cause codes (cause, activity) are applicable "
        "for the encounter, and none is reported")


#: I.C.20.b, c, k: the unspecified place, activity and status codes, which are not
#: assigned when the place, activity or status is not stated.
_UNSPECIFIED_STATUS = (
    ("I.C.20.b/unspecified-place", f.PLACE, "Y92.9", "Do not use place of occurrence code "
     "Y92.9 if the place is not stated or is not applicable"),
    ("I.C.20.c/unspecified-activity", f.ACTIVITY, "Y93.9", "Do not assign Y93.9, "
     "Unspecified activity, if the activity is not stated"),
    ("I.C.20.k/unspecified-status", f.STATUS, "Y99.9", "Do not assign code Y99.9, "
     "Unspecified external cause status, if the status is not stated"),
)


def _unspecified_status(a: Analysis, rule: str, flag: int, code: str, words: str
                        ) -> Iterator[Finding]:
    for position in a.positions(flag):
        if a.facts[position].value == code:
            yield a.finding(rule, (position,), f"{code}: \"{words}\" ({a.section(rule)}). "
                            f"Report the code of the stated one, or leave {code} out.")


@APPLY("I.C.20.b/unspecified-place", needs=f.PLACE | f.UNSPECIFIED_STATUS)
def unspecified_place(a: Analysis) -> Iterator[Finding]:
    yield from _unspecified_status(a, *_UNSPECIFIED_STATUS[0])


@APPLY("I.C.20.c/unspecified-activity", needs=f.ACTIVITY | f.UNSPECIFIED_STATUS)
def unspecified_activity(a: Analysis) -> Iterator[Finding]:
    yield from _unspecified_status(a, *_UNSPECIFIED_STATUS[1])


@APPLY("I.C.20.k/unspecified-status", needs=f.STATUS | f.UNSPECIFIED_STATUS)
def unspecified_status(a: Analysis) -> Iterator[Finding]:
    yield from _unspecified_status(a, *_UNSPECIFIED_STATUS[2])


@APPLY("I.C.20.d/more-than-one", any_of=f.PLACE | f.ACTIVITY | f.STATUS)
def more_than_one(a: Analysis) -> list[Finding]:
    by_category: dict[str, list[int]] = {}
    repeated = False
    for position, fact in enumerate(a.facts):
        if fact.flags & _STATUS_FLAGS:
            same = by_category.setdefault(fact.category, [])
            repeated = repeated or bool(same)
            same.append(position)
    if not repeated:  # one code of each category at most
        return []
    found: list[Finding] = []
    for category, positions in by_category.items():
        if len(positions) < 2 or (category == "Y92" and _injured_in_hospital(a)):
            continue
        rare = (" An additional place code is right only when a new injury occurred during "
                "the hospitalization (its present-on-admission indicator is N)."
                if category == "Y92" else "")
        found.append(a.finding(
            "I.C.20.d/more-than-one", positions,
            f"{len(positions)} {_STATUS_NAMES[category]} codes ({category}) are reported: "
            f"{listing(a.facts[p].value for p in positions)}; generally only one is assigned "
            f"to an encounter (I.C.20.d).{rare}"))
    return found


def _injured_in_hospital(a: Analysis) -> bool:
    """Whether a stay's injury was not present on admission: a new injury during the
    hospitalization, which takes a place code of its own (I.C.20.b)."""
    poa = a.encounter.present_on_admission
    return poa is not None and any(
        indicator is PresentOnAdmission.NO and a.facts[p].flags & f.INJURY
        for p, indicator in enumerate(poa))


@APPLY("I.C.21.c.3/bmi-in-pregnancy", needs=f.BMI, any_of=f.PREGNANCY | f.PREGNANCY_STATUS)
def bmi_in_pregnancy(a: Analysis) -> Iterator[Finding]:
    for position in a.positions(f.BMI):
        yield a.finding(
            "I.C.21.c.3/bmi-in-pregnancy", (position,),
            f"{a.facts[position].value} is a BMI code; BMI codes are not assigned during "
            "pregnancy (I.C.21.c.3). Remove it.")


#: I.C.21.c.3: "code Z94.1, Heart transplant status, should not be used with a code from
#: subcategory T86.2, Complications of heart transplant": each transplant status (Z94) and
#: the subcategory of complications of the same transplant (T86), by their titles.
TRANSPLANT_COMPLICATIONS = (
    ("Z94.0", "T86.1"),  # kidney
    ("Z94.1", "T86.2"),  # heart
    ("Z94.2", "T86.81"),  # lung
    ("Z94.3", "T86.3"),  # heart and lungs: heart-lung
    ("Z94.4", "T86.4"),  # liver
    ("Z94.5", "T86.82"),  # skin: skin graft
    ("Z94.6", "T86.83"),  # bone: bone graft
    ("Z94.7", "T86.84"),  # cornea
    ("Z94.81", "T86.0"),  # bone marrow
    ("Z94.82", "T86.85"),  # intestine
    ("Z94.84", "T86.5"),  # stem cells
)


@APPLY("I.C.21.c.3/status-with-complication",
       needs=f.TRANSPLANT_STATUS | f.TRANSPLANT_COMPLICATION)
def status_with_complication(a: Analysis) -> Iterator[Finding]:
    facts = a.facts
    for status in a.positions(f.TRANSPLANT_STATUS):
        value = facts[status].value
        for prefix, complications in TRANSPLANT_COMPLICATIONS:
            if value != prefix:
                continue
            found = [p for p in a.positions(f.TRANSPLANT_COMPLICATION)
                     if facts[p].value.startswith(complications)]
            if found:
                yield a.finding(
                    "I.C.21.c.3/status-with-complication", sorted((status, *found)),
                    f"{value} ({facts[status].code.title}) is a status code, and "
                    f"{listing(facts[p].value for p in found)} already says that the patient "
                    "has the transplant: a status code should not be used with a diagnosis "
                    "code that includes the information it provides, such as Z94.1, heart "
                    "transplant status, with a code from T86.2, complications of heart "
                    f"transplant ({a.section('I.C.21.c.3/status-with-complication')}). "
                    f"Remove {value}.")


# I.C.21.c.6: an observation code is not used with the condition it was to rule out.
# The pairs a code-only check can tell: (observation code prefix, related code prefixes).
_OBSERVED = (
    ("Z03.6", tuple(f"T{n}" for n in range(51, 66))),  # suspected toxic effect: T51-T65
    ("Z03.7", ("O26", "O35", "O36", "O40", "O41")),  # suspected maternal/fetal problem
    ("Z04.1", ("S", "T0", "T1")), ("Z04.2", ("S", "T0", "T1")),  # accidents: injuries
    ("Z04.3", ("S", "T0", "T1")),
    ("Z04.4", ("T74.2", "T76.2")),  # alleged rape: sexual abuse
    ("Z04.7", ("T74.1", "T76.1")),  # alleged physical abuse: physical abuse
    ("Z04.8", ("T74.1", "T74.2", "T76.1", "T76.2")),  # alleged abuse
)


@APPLY("I.C.21.c.6/observation-with-diagnosis", needs=f.OBSERVATION)
def observation_with_diagnosis(a: Analysis) -> Iterator[Finding]:
    for position in a.positions(f.OBSERVATION):
        value = a.facts[position].value
        for prefix, related in _OBSERVED:
            if not value.startswith(prefix):
                continue
            found = [p for p, fact in enumerate(a.facts) if fact.value.startswith(related)]
            if found:
                yield a.finding(
                    "I.C.21.c.6/observation-with-diagnosis", (position, *found),
                    f"{value} is for observation of a suspected condition that is ruled out, "
                    f"but {listing(a.facts[p].value for p in found)} codes that condition as "
                    "present: observation codes are not used when the condition, or a sign "
                    "or symptom of it, is present; code the condition instead (I.C.21.c.6). "
                    f"Remove {value}.")


@APPLY("I.C.21.c.7/aftercare-for-injury", needs=f.AFTERCARE | f.INJURY)
def aftercare_for_injury(a: Analysis) -> Iterator[Finding]:
    release = a.encounter.release
    injuries = [fact for fact in a.facts
                if fact.flags & f.INJURY and fact.phase and fact.phase != "sequela"]
    if not injuries:
        return
    instead = [f"{fact.value[:-1]}D" for fact in injuries if fact.phase == "initial"]
    instead = [value for value in instead if value in release]
    for position in a.positions(f.AFTERCARE):
        yield a.finding(
            "I.C.21.c.7/aftercare-for-injury", (position,),
            f"{a.facts[position].value} is an aftercare Z code, and aftercare Z codes are not "
            "used for injuries: for aftercare of an injury, report the injury code with the "
            "7th character for a subsequent encounter (D, or G, K or P for a fracture healing "
            f"badly) instead (I.C.21.c.7)" + (f", e.g. {listing(instead)}." if instead else "."),
            instead)

