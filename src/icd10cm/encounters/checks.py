"""Check an encounter's diagnoses against the Official Guidelines: :func:`check`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from icd10cm.codes.validate import validate
from icd10cm.core.info import Part
from icd10cm.core.notes import Note, NoteKind
from icd10cm.core.release import Release
from icd10cm.core.text import listing
from icd10cm.encounters.analysis import Analysis, analyse, borrowed_from
from icd10cm.encounters.encounter import Encounter, Setting
from icd10cm.encounters.findings import RULES, Finding, Severity, rules
from icd10cm.encounters.profile import Profile, acuity_of
from icd10cm.releases.nearest import nearest_having

__all__ = ["check"]

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_ORDER = {rule.id: index for index, rule in enumerate(rules())}
_PHASE_CHARACTER = {"initial": "A", "subsequent": "D", "sequela": "S"}
_STATUS_NAMES = {"Y92": "place of occurrence", "Y93": "activity", "Y99": "external cause status"}


def check(encounter: Encounter, *, own_data_only: bool = False) -> tuple[Finding, ...]:
    """Every finding on *encounter*, errors first, then warnings, then information.

    Pure: the same encounter always gives the same findings. Each finding cites
    its rule (see :func:`icd10cm.rules`) and says what to do. A release without a
    Tabular List of its own is checked against the nearest release's notes, and
    each finding that rests on one says so (*source_release*); *own_data_only*
    checks only against the release's own notes (none: the notes-unavailable
    finding).
    """
    analysis = analyse(encounter, own_data_only)
    found = [*_code_findings(analysis), *_pair_findings(analysis), *ordering_findings(analysis)]
    return tuple(sorted(found, key=lambda f: (_RANK[f.severity], f.positions, _ORDER[f.rule])))


def _finding(rule: str, positions: Iterable[int], analysis: Analysis, message: str,
             suggestions: Iterable[str] = (), source_release: str | None = None) -> Finding:
    positions = tuple(positions)
    codes = tuple(analysis.profiles[p].code.value for p in positions)
    borrowed = source_release if source_release != analysis.encounter.release.id else None
    return Finding(rule, RULES[rule].severity, positions, codes, message, tuple(suggestions),
                   borrowed)


def _nearest_with_notes(release: Release) -> str:
    return ", ".join(f"{info.label} ({info.id})"
                     for info in nearest_having(release, Part.NOTES))


# --- one code at a time ----------------------------------------------------------------


def _code_findings(analysis: Analysis) -> Iterator[Finding]:
    encounter = analysis.encounter
    release = encounter.release
    if release.notes_from is None or (analysis.own_data_only and not release.has_notes):
        asked = (" and own_data_only=True refuses another release's notes"
                 if release.notes_from is not None else "")
        yield _finding(
            "I.A/notes-unavailable", (), analysis,
            f"ICD-10-CM {release.info.label} has no Tabular List of its own among the "
            f"official files{asked}, so its instructional notes are unknown: Excludes1 "
            "(I.A.12.a), 'Code first' and 'Use additional code' (I.A.13) were not checked. "
            f"Releases with notes nearest to it: {_nearest_with_notes(release)}.")
    first_at: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    for position, p in enumerate(analysis.profiles):
        code = p.code
        if code.value in first_at:  # a repeat: reported once, by I.B.12
            repeats.setdefault(code.value, [first_at[code.value]]).append(position)
            continue
        first_at[code.value] = position
        if not code.is_billable:
            verdict = validate(code.value, release=release)
            yield _finding("I.B.2/not-reportable", (position,), analysis,
                           f"{verdict.message.rstrip('.')} (I.B.2).", verdict.suggestions)
        if p.more_specific:
            yield Finding("I.B.2/unspecified", Severity.INFO, (position,), (code.value,),
                          p.unspecified_message, p.more_specific)
        if p.manifestation and not any(edge.rule == "I.A.13/code-first-order"
                                       for edge in analysis.incoming(position)):
            yield _underlying_missing(analysis, position, p)
    for value, positions in repeats.items():
        yield _finding(
            "I.B.12/duplicate", positions, analysis,
            f"{value} is reported {len(positions)} times; each code is reported once per "
            "encounter, even for both sides of a condition without a bilateral code "
            "(I.B.12). Remove the repeats.")


def _underlying_missing(analysis: Analysis, position: int, p: Profile) -> Finding:
    cited = [note for note in p.code_first if note.references]
    where = borrowed_from(cited[0], p.code.release) if cited else ""
    advice = (f"its 'Code first' note cites {'; '.join(n.text.strip() for n in cited)}{where}"
              if cited else "code the underlying condition first")
    return _finding(
        "I.A.13/underlying-missing", (position,), analysis,
        f"{p.code.value} ({p.code.title}) is a manifestation code, and no code for its "
        f"underlying condition is reported: {advice}. Report the underlying condition and "
        "sequence it first (I.A.13).",
        source_release=cited[0].source_release if cited else None)


# --- pairs and groups ------------------------------------------------------------------


def _pair_findings(analysis: Analysis) -> Iterator[Finding]:
    profiles = analysis.profiles
    excluded: dict[tuple[int, int], list[tuple[Profile, Profile, Note]]] = {}
    for (a, b), spans in analysis.links.items():
        for span in spans:
            if span.note.kind is NoteKind.EXCLUDES1:
                excluded.setdefault((min(a, b), max(a, b)), []).append(
                    (profiles[a], profiles[b], span.note))
    for (a, b), notes in sorted(excluded.items()):
        owner, other, note = notes[0]
        yield _finding(
            "I.A.12.a/excludes1", (a, b), analysis,
            f"{profiles[a].code.value} and {profiles[b].code.value} are not coded together: "
            f"the Excludes1 note of {owner.code.value} at {note.where} "
            f"(\"{note.text.strip()}\"){borrowed_from(note, owner.code.release)} covers "
            f"{other.code.value} (I.A.12.a). The one exception is two conditions that are "
            "unrelated to each other; if unsure, query the provider.",
            source_release=note.source_release)
    acute = [p for p, q in enumerate(profiles) if q.acuity == "acute"]
    for a in acute:
        for b, pb in enumerate(profiles):
            if pb.acuity == "chronic" and pb.condition == profiles[a].condition:
                yield from _combination(analysis, min(a, b), max(a, b))
    yield from _external_causes(analysis)
    yield from _injuries(analysis)


def _combination(analysis: Analysis, a: int, b: int) -> Iterator[Finding]:
    acute = analysis.profiles[a if analysis.profiles[a].acuity == "acute" else b]
    parent = acute.code.parent
    if parent is None:
        return
    for candidate in parent.descendants:  # titles only: no need for whole profiles
        if candidate.is_billable and acuity_of(candidate.title.lower()) == (
                "acute on chronic", acute.condition):
            yield _finding(
                "I.B.9/combination-code", (a, b), analysis,
                f"{analysis.profiles[a].code.value} and {analysis.profiles[b].code.value} "
                f"are the acute and chronic forms of one condition, and {candidate.value} "
                f"({candidate.title}) codes both: report the combination code alone (I.B.9).",
                (candidate.value,))
            return


def _external_causes(analysis: Analysis) -> Iterator[Finding]:
    profiles = analysis.profiles
    release = analysis.encounter.release
    by_category: dict[str, list[int]] = {}
    phases: set[str] = set()
    for position, p in enumerate(profiles):
        if p.category in _STATUS_NAMES:
            by_category.setdefault(p.category, []).append(position)
        elif p.phase and not p.external and p.letter in "ST":
            phases.add(p.phase)
    for category, positions in by_category.items():
        if len(positions) > 1:
            rare = (" An additional place code is right only when a new injury occurred "
                    "during the hospitalization." if category == "Y92" else "")
            yield _finding(
                "I.C.20.d/more-than-one", positions, analysis,
                f"{len(positions)} {_STATUS_NAMES[category]} codes ({category}) are reported: "
                f"{listing(profiles[p].code.value for p in positions)}; generally only one is "
                f"assigned to an encounter (I.C.20.d).{rare}")
    if not phases:
        return
    places = by_category.get("Y92", [])
    if places and "initial" not in phases:
        yield _finding(
            "I.C.20.b/place-not-initial", places, analysis,
            f"{listing(profiles[p].code.value for p in places)}: a place of occurrence code "
            "(Y92) is assigned only once, at the initial encounter for treatment, but every "
            "injury here is coded for a later encounter (I.C.20.b). Remove it.")
    for position, p in enumerate(profiles):
        if p.external and p.phase and p.phase not in phases:
            wanted = [f"{p.code.value[:-1]}{_PHASE_CHARACTER[phase]}" for phase in sorted(phases)]
            wanted = [value for value in wanted if value in release]
            yield _finding(
                "I.C.20.a.2/seventh-character", (position,), analysis,
                f"{p.code.value} is coded for the {p.phase} encounter, but the injuries here "
                f"are coded for the {' or '.join(sorted(phases))} encounter; the external "
                "cause's 7th character matches the injury's (I.C.20.a.2)"
                + (f": {listing(wanted)}." if wanted else "."), wanted)


def _injuries(analysis: Analysis) -> Iterator[Finding]:
    profiles = analysis.profiles
    stems: dict[str, list[int]] = {}
    bmi: list[int] = []
    aftercare: list[int] = []
    injuries: list[Profile] = []
    pregnant = False
    for position, p in enumerate(profiles):
        if p.phase and not p.external:
            stems.setdefault(p.code.undotted[:6], []).append(position)
            if p.injury and p.phase != "sequela":
                injuries.append(p)
        elif p.category == "Z68":
            bmi.append(position)
        elif p.aftercare:
            aftercare.append(position)
        pregnant = pregnant or p.pregnancy or p.category in ("Z33", "Z34", "Z3A")
    for positions in stems.values():
        if len(positions) < 2:
            continue
        phases = {profiles[p].phase for p in positions}
        if "sequela" in phases and len(phases) > 1:
            sequela = next(p for p in positions if profiles[p].sequela)
            yield _finding(
                "I.B.10/acute-with-sequela", positions, analysis,
                f"{listing(profiles[p].code.value for p in positions)} code one injury both "
                f"for its acute phase and as a sequela; the code for the acute phase is never "
                f"used with the code for its sequela (I.B.10). Keep "
                f"{profiles[sequela].code.value} if this is a late effect, else the acute code.")
    for position in sorted(bmi + aftercare):
        p = profiles[position]
        if p.category == "Z68":
            if pregnant:
                yield _finding(
                    "I.C.21.c.3/bmi-in-pregnancy", (position,), analysis,
                    f"{p.code.value} is a BMI code; BMI codes are not assigned during "
                    "pregnancy (I.C.21.c.3). Remove it.")
        elif injuries:
            release = analysis.encounter.release
            instead = [f"{q.code.value[:-1]}D" for q in injuries if q.phase == "initial"]
            instead = [value for value in instead if value in release]
            yield _finding(
                "I.C.21.c.7/aftercare-for-injury", (position,), analysis,
                f"{p.code.value} is an aftercare Z code, and aftercare Z codes are not used "
                "for injuries: for aftercare of an injury, report the injury code with the "
                "7th character for a subsequent encounter (D, or G, K or P for a fracture "
                f"healing badly) instead (I.C.21.c.7)"
                + (f", e.g. {listing(instead)}." if instead else "."), instead)


# --- order -------------------------------------------------------------------------------


def ordering_findings(analysis: Analysis) -> tuple[Finding, ...]:
    """The findings about the order of the codes; :func:`icd10cm.sequence` resolves
    each one unless the rules conflict. Worked out once per analysis and kept with it:
    check() and sequence() of an encounter that needs no change ask for the same ones."""
    if not analysis.ordering:
        analysis.ordering.append(tuple(_ordering_findings(analysis)))
    return analysis.ordering[0]


def _ordering_findings(analysis: Analysis) -> list[Finding]:
    encounter = analysis.encounter
    profiles = analysis.profiles
    term = encounter.setting.first_term
    found: list[Finding] = []
    first = profiles[0].code
    if 0 in analysis.barred:
        barred = analysis.barred[0]
        why = {
            "I.C.20.a.6/external-cause-first": "an external cause code can never be the "
            f"{term} (I.C.20.a.6); it follows the code for the injury or condition it explains",
            "I.C.21.c.3/bmi-first": f"a BMI code (Z68) is never the {term}; it is reported "
            "with an associated reportable diagnosis, such as obesity (I.C.21.c.3)",
            "I.A.13/manifestation-first": "a manifestation code ('in diseases classified "
            f"elsewhere') is never the {term}; its underlying condition comes first (I.A.13)",
        }[barred]
        others = [p for p in range(1, len(profiles)) if analysis.can_be_first(p)]
        hint = (f" Put {profiles[others[0]].code.value} first." if others else
                " No other code here can be first: add the code for the condition treated.")
        found.append(_finding(barred, (0,), analysis, f"{first.value} is first-listed, but "
                                                     f"{why}.{hint}"))
    section = analysis.edition.first_listed_only_section
    source = (f"the {analysis.edition.label} Guidelines" if analysis.exact_edition else
              f"the {analysis.edition.label} Guidelines, the edition nearest to "
              f"ICD-10-CM {encounter.release.info.label} among the official files")
    if section != "I.C.21.c.16":
        source += "; I.C.21.c.16 before April 2025"
    required = analysis.required
    if required and required[0] != 0:
        code = profiles[required[0]].code
        found.append(_finding(
            "I.C.21.c.16/first-listed-only", (required[0],), analysis,
            f"{code.value} ({code.title}) may only be reported as the {term} ({section} of "
            f"{source}), except when the records of several encounters on the same day are "
            "combined. Put it first."))
    if len(required) > 1:
        found.append(_finding(
            "I.C.21.c.16/more-than-one", required, analysis,
            f"{listing(profiles[p].code.value for p in required)} may each only be the {term} "
            f"({section} of {source}); only one can be. Unless the records of several "
            "encounters on the same day are combined, report the encounter's reason and "
            "review the others."))
    for edge in analysis.edges:
        if edge.after < edge.before:
            found.append(_finding(edge.rule, (edge.before, edge.after), analysis,
                                  f"{edge.reason} ({edge.rule.partition('/')[0]}).",
                                  source_release=edge.source_release))
    if not required and analysis.can_be_first(0):
        chosen, rule = analysis.preferred_first(keep_designated=False)
        if rule is not None:
            found.append(_preference(analysis, chosen, rule))
    return found


def _preference(analysis: Analysis, chosen: int, rule: str) -> Finding:
    encounter = analysis.encounter
    first, better = analysis.profiles[0].code, analysis.profiles[chosen].code
    term = encounter.setting.first_term
    section = "Section II.A" if encounter.setting is Setting.INPATIENT else "Section IV.D"
    message = {
        "I.C.15.a/pregnancy-first": f"{better.value} is a pregnancy code, and chapter 15 codes "
        "have sequencing priority over codes from other chapters (I.C.15.a): it should be the "
        f"{term}, not {first.value}. If the provider documents that the pregnancy is "
        "incidental to the encounter, report Z33.1 instead of chapter 15 codes.",
        "I.C.19.e.5.b/poisoning-first": f"{better.value} is a poisoning code: the poisoning "
        f"comes first, followed by its manifestations such as {first.value} (I.C.19.e.5.b). "
        f"If {first.value} is not a manifestation of the poisoning and was the reason for the "
        "encounter, keep it first.",
        "I.C.18/symptom-first": f"{first.value} is a symptom code, and {better.value} is a "
        f"definitive diagnosis: a symptom is not the {term} when a related definitive "
        f"diagnosis is established (I.C.18, {section}). If {first.value} is routinely part "
        f"of {better.value}, do not report it at all (I.B.5); if it is unrelated, keep the "
        "order.",
        "I.B.10/sequela-first": f"{first.value} is a sequela code: the condition or nature of "
        f"the sequela, such as {better.value}, comes first and the sequela code second "
        "(I.B.10).",
        "I.C.19.e.5.a/adverse-effect-first": f"{first.value} codes an adverse effect of a "
        f"drug: the nature of the adverse effect, such as {better.value}, comes first and the "
        "drug's T code second (I.C.19.e.5.a).",
    }[rule]
    if encounter.first_designated:
        message += (f" {first.value} was designated as the {term}, so sequence() keeps it "
                    "first; confirm with the provider.")
    return _finding(rule, (0, chosen), analysis, message)
