"""The rules that look at one code at a time (I.B.2, I.B.12, I.A.13, I.A)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from icd10cm.codes.validate import validate
from icd10cm.core.info import Part
from icd10cm.core.notes import Note
from icd10cm.encounters import facts as f
from icd10cm.encounters.analysis import Analysis
from icd10cm.encounters.encounter import Setting
from icd10cm.encounters.findings import Finding, make_finding
from icd10cm.encounters.rules import Appliers, Severity
from icd10cm.encounters.rules_order import borrowed_from
from icd10cm.releases.nearest import nearest_having

__all__ = ["APPLY"]

APPLY = Appliers()


@APPLY("I.B.2/not-reportable", needs=f.HEADER)
def not_reportable(a: Analysis) -> Iterator[Finding]:
    seen: set[int] = set()
    for position, fact in enumerate(a.facts):
        if not fact.code.is_billable and fact.index not in seen:
            seen.add(fact.index)
            verdict = validate(fact.value, release=a.encounter.release)
            yield a.finding("I.B.2/not-reportable", (position,),
                            f"{verdict.message.rstrip('.')} (I.B.2).", verdict.suggestions)


@APPLY("I.B.2/unspecified", needs=f.UNSPECIFIED)
def unspecified(a: Analysis) -> list[Finding]:
    found: list[Finding] = []
    seen: set[int] | None = set() if a.flags & f.REPEATED else None
    facts = a.facts
    for position, flags in enumerate(a.code_flags):
        if not flags & f.UNSPECIFIED:
            continue
        fact = facts[position]
        if seen is not None:
            if fact.index in seen:
                continue
            seen.add(fact.index)
        # The same finding in any encounter, kept under its position: the only keys of
        # Facts.kept that are plain integers (a small integer is quick to look up).
        made = fact.kept.get(position)
        if made is None:
            made = fact.keep(position, make_finding(
                "I.B.2/unspecified", Severity.INFO, (position,), (fact.value,),
                fact.unspecified_message, fact.more_specific))
        found.append(made)
    return found


@APPLY("I.B.12/duplicate", needs=f.REPEATED)
def duplicate(a: Analysis) -> Iterator[Finding]:
    indexes = [fact.index for fact in a.facts]
    if len(set(indexes)) == len(indexes):
        return
    where: dict[int, list[int]] = {}
    for position, index in enumerate(indexes):
        where.setdefault(index, []).append(position)
    for positions in where.values():
        if len(positions) > 1:
            value = a.facts[positions[0]].value
            yield a.finding(
                "I.B.12/duplicate", positions,
                f"{value} is reported {len(positions)} times; each code is reported once per "
                "encounter, even for both sides of a condition without a bilateral code "
                "(I.B.12). Remove the repeats.")


def _satisfied(a: Analysis, position: int) -> bool:
    """Whether a manifestation has its underlying condition here: a code its 'Code first'
    notes cover, or, for a note that names the condition only by example or not at all,
    some other code that can be an underlying condition (not a manifestation, symptom,
    Z code or external cause, nor a code its Excludes1 notes keep apart from it)."""
    for (owner, _), link in a.links.items():
        if owner == position and link.code_first is not None:
            return True
    if a.facts[position].open_underlying:
        excluded = {other for (owner, other), link in a.links.items() if owner == position
                    and link.excludes1 is not None}
        return any(other != position and other not in excluded
                   and not o.flags & (f.MANIFESTATION | f.SYMPTOM | f.EXTERNAL)
                   and o.undotted[0] != "Z" for other, o in enumerate(a.facts))
    return False


def _note_lines(notes: Sequence[Note]) -> str:
    """The lines of a note as one text: "such as:" runs into the line after it."""
    text = ""
    for note in notes:
        line = note.text.strip()
        text += (" " if text.endswith(":") else "; " if text else "") + line
    return text


@APPLY("I.A.13/underlying-missing", needs=f.MANIFESTATION)
def underlying_missing(a: Analysis) -> Iterator[Finding]:
    release = a.encounter.release
    for position, fact in enumerate(a.facts):
        if not fact.flags & f.MANIFESTATION or _satisfied(a, position):
            continue
        cited = [note for note in fact.code_first if note.references]
        where = borrowed_from(cited[0].source_release, release) if cited else ""
        advice = (f"its 'Code first' note cites {_note_lines(cited)}"
                  f"{where}" if cited else "code the underlying condition first")
        yield a.finding(
            "I.A.13/underlying-missing", (position,),
            f"{fact.value} ({fact.code.title}) is a manifestation code, and no code for its "
            f"underlying condition is reported: {advice}. Report the underlying condition "
            "and sequence it first (I.A.13).",
            source_release=cited[0].source_release if cited else None)


@APPLY("I.A.13/code-first-principal", needs=f.UNDERLYING_FIRST)
def code_first_principal(a: Analysis) -> Iterator[Finding]:
    first = a.facts[0]
    if (a.encounter.setting is not Setting.INPATIENT or not first.flags & f.UNDERLYING_FIRST
            or first.flags & f.MANIFESTATION
            or "I.A.13/code-first-order" in a.rules_before(0)):
        return  # a code the note cites is reported: I.A.13/code-first-order moves it first
    yield a.finding(
        "I.A.13/code-first-principal", (0,),
        f"{first.value} ({first.code.title}) is the principal diagnosis, but its 'Code first' "
        f"note asks for the underlying condition ({_note_lines(first.code_first)}), and no "
        "code it cites is reported: code that condition "
        "and sequence it first (I.A.13). Medicare's code editor (MCE) rejects this code as "
        "a principal diagnosis.",
        source_release=first.code_first[0].source_release if first.code_first else None)


@APPLY("I.A/notes-unavailable", needs=f.NO_NOTES)
def notes_unavailable(a: Analysis) -> Iterator[Finding]:
    release = a.encounter.release
    asked = (" and own_data_only=True refuses another release's notes"
             if release.notes_from is not None else "")
    nearest = ", ".join(f"{info.label} ({info.id})"
                        for info in nearest_having(release, Part.NOTES))
    yield a.finding(
        "I.A/notes-unavailable", (),
        f"ICD-10-CM {release.info.label} has no Tabular List of its own among the official "
        f"files{asked}, so its instructional notes are unknown: Excludes1 (I.A.12.a), "
        "'Code first' and 'Use additional code' (I.A.13) were not checked. Releases with "
        f"notes nearest to it: {nearest}.")
