"""The rule registry: every rule :func:`icd10cm.check` applies, declared once.

A :class:`Rule` says what it checks, the Guidelines section it cites in each
edition (sections were renumbered between editions), its severity, how it works
(:class:`Kind`: it reports findings, or it constrains the order), and the
editions it applies to. :data:`RULES` lists them in the order ``check`` applies
them; the function that applies each one sits in a rule module
(``icd10cm.encounters.rules_*``), registered under the rule's id. The rule table
of docs/encounters.md is generated from this registry by
``tools/render_rules_doc.py``, and a test fails if the two drift.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from icd10cm.core import caches
from icd10cm.encounters.guidelines import EDITIONS, GuidelineEdition, edition_for
from icd10cm.releases.registry import resolve_release

if TYPE_CHECKING:
    from datetime import date, datetime

    from icd10cm.releases.registry import ReleaseLike

__all__ = ["RULES", "Applier", "Appliers", "Condition", "Dispatch", "Kind", "Rule", "Severity",
           "rule_by_id", "rules"]


class Severity(str, enum.Enum):
    """How much a finding matters: an error makes the claim wrong as coded."""

    ERROR = "error"
    WARNING = "warning"  # probably wrong; depends on documentation or judgement
    INFO = "info"  # worth a look, such as a chance to code more specifically

    def __str__(self) -> str:
        return self.value


class Kind(str, enum.Enum):
    """How a rule works: it reports findings, or it constrains the order of the codes
    (and :func:`icd10cm.sequence` can then resolve it)."""

    FINDINGS = "findings"  # reports findings on the codes as they are
    NEVER_FIRST = "never first"  # bars some codes from first place
    ONLY_FIRST = "only first"  # some codes may only be first
    ORDER = "order"  # puts one code before another
    PREFERENCE = "preference"  # prefers some codes first where no other rule decides

    def __str__(self) -> str:
        return self.value


_ORDER = {edition.id: edition.order for edition in EDITIONS}


@attrs.frozen
class Rule:
    """One check. *id* is stable and starts with the Guidelines section it cites
    (``"I.A.13/code-first-order"``); *ordering* says whether reordering the
    diagnoses (:func:`icd10cm.sequence`) can resolve it.

    *sections* gives the section the rule cites from an edition on, as pairs of an
    edition id and a section (the id's section before the first); *since* and
    *until* are the first and last editions whose text has the rule (None:
    open-ended).
    """

    id: str
    title: str
    severity: Severity
    kind: Kind = Kind.FINDINGS
    sections: tuple[tuple[str, str], ...] = ()
    since: str | None = None
    until: str | None = None

    def __attrs_post_init__(self) -> None:
        for edition_id in [*(s for s, _ in self.sections), self.since, self.until]:
            if edition_id is not None and edition_id not in _ORDER:
                raise ValueError(f"rule {self.id!r}: unknown Guidelines edition {edition_id!r}")

    @property
    def ordering(self) -> bool:
        """Whether reordering the diagnoses can resolve the rule's findings."""
        return self.kind is not Kind.FINDINGS

    @property
    def section(self) -> str:
        """The Guidelines section the id cites, such as ``"I.A.13"``."""
        return self.id.partition("/")[0]

    def section_in(self, edition: GuidelineEdition) -> str:
        """The section this rule cites in *edition* (I.C.21.c.15 from April 2025 for
        the first-listed-only list, which was I.C.21.c.16 before)."""
        found = self.section
        for since, section in self.sections:
            if _ORDER[since] <= edition.order:
                found = section
        return found

    def applies_to(self, edition: GuidelineEdition) -> bool:
        """Whether *edition*'s text has the rule."""
        return ((self.since is None or _ORDER[self.since] <= edition.order)
                and (self.until is None or edition.order <= _ORDER[self.until]))

    @property
    def editions(self) -> tuple[str, ...]:
        """The ids of the editions the rule applies to."""
        return tuple(edition.id for edition in EDITIONS if self.applies_to(edition))


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_NEVER, _ONLY, _EDGE, _PREFER = Kind.NEVER_FIRST, Kind.ONLY_FIRST, Kind.ORDER, Kind.PREFERENCE
_LIST_SECTIONS = (("FY2020", "I.C.21.c.16"), ("FY2025-04", "I.C.21.c.15"))
_POA = (("FY2020", "Appendix I"),)

#: Every rule, in the order :func:`icd10cm.check` applies them.
RULES: tuple[Rule, ...] = (
    # --- one code at a time
    Rule("I.B.2/not-reportable", "A code is a header or lacks its 7th character", _E),
    Rule("I.B.2/unspecified", "An unspecified code where more specific codes exist", _I),
    Rule("I.B.12/duplicate", "The same code is reported more than once", _E),
    Rule("I.A.13/underlying-missing", "A manifestation without its underlying condition", _I),
    Rule("I.A.13/code-first-principal", "A code whose 'Code first' note asks for an "
         "underlying condition is the principal diagnosis of a stay", _W),
    # --- pairs and groups of codes
    Rule("I.A.12.a/excludes1", "Two codes that an Excludes1 note keeps apart", _E),
    Rule("I.B.9/combination-code", "Acute and chronic forms where the Index gives one "
         "combination code", _W),
    Rule("I.B.9/without-complications", "A code 'without complications' with a code of "
         "the same condition with a complication", _E),
    Rule("I.A.15/with-combination", "A code 'without complications' with a condition "
         "that a combination code of its category includes", _W),
    Rule("I.B.10/acute-with-sequela", "The acute and the sequela code of one injury", _E),
    Rule("I.B.13/bilateral", "Right and left codes of one condition that has a bilateral "
         "code", _I),
    Rule("I.B.13/bilateral-with-one-side", "A bilateral code with a one-sided code of the "
         "same condition", _W),
    Rule("I.C.1.d.4/localized-infection-first", "A localized infection is the principal "
         "diagnosis of a stay, before a sepsis code", _W),
    Rule("I.C.1.g.1.e/z20822-with-covid", "Exposure to COVID-19 (Z20.822) with confirmed "
         "COVID-19 (U07.1)", _E, since="FY2021-01"),
    Rule("I.C.2.d/history-with-current", "A personal history of malignant neoplasm (Z85) "
         "with a current malignancy its Tabular entry classifies", _W),
    Rule("I.C.9.a.1/hypertension-heart", "Hypertension with a heart condition (I50.-, "
         "I51.4-I51.7, I51.89, I51.9) coded otherwise than with one I11 code", _W),
    Rule("I.C.9.a.2/hypertension-ckd", "Hypertension with chronic kidney disease (N18) "
         "coded otherwise than with one I12 code for the stage", _W),
    Rule("I.C.9.a.3/hypertensive-heart-ckd", "Hypertension with heart and chronic kidney "
         "disease coded otherwise than with one I13 code", _W),
    Rule("I.C.1.e.1.a/mrsa-with-b9562", "B95.62 (MRSA as the cause of diseases classified "
         "elsewhere) with a combination code that includes MRSA", _E),
    Rule("I.C.1.e.1/mrsa-with-z1611", "Resistance to penicillins (Z16.11) with an MRSA "
         "code", _E),
    Rule("I.B.19.b/collapse-with-hurricane", "Collapse of dam or man-made structure (X36.0-) "
         "with a hurricane (X37.0-)", _E),
    Rule("I.C.2.j/disseminated-with-sites", "Disseminated malignant neoplasm, unspecified "
         "(C80.0), with codes of primary or secondary sites", _E),
    Rule("I.C.2.r/transplant-malignancy-codes", "A malignant neoplasm associated with a "
         "transplanted organ (C80.2) without its transplant complication (T86.-) or the code "
         "of the specific malignancy", _E),
    Rule("I.C.9.a.2/i12-without-n18", "Hypertensive chronic kidney disease (I12) without "
         "the code of the stage of chronic kidney disease (N18)", _E),
    Rule("I.C.9.a.3/i13-without-n18", "Hypertensive heart and chronic kidney disease (I13) "
         "without the code of the stage of chronic kidney disease (N18)", _E),
    Rule("I.C.9.a.5/retinopathy-without-hypertension", "Hypertensive retinopathy (H35.03-) "
         "without a code of hypertension (I10-I15)", _E),
    Rule("I.C.9.a.6/secondary-hypertension-alone", "Secondary hypertension (I15) without a "
         "code that could be its underlying etiology", _W),
    Rule("I.C.9.e.4/i22-without-i21", "A subsequent myocardial infarction (I22) without a "
         "code from category I21", _E),
    Rule("I.C.10.d.1/vap-with-pneumonia", "Ventilator associated pneumonia (J95.851) with a "
         "code of J12-J18 for its type, not the pneumonia the patient was admitted with", _W),
    Rule("I.C.14.a.1/ckd-stage-with-esrd", "A stage of chronic kidney disease (N18) with "
         "end stage renal disease (N18.6)", _E),
    Rule("I.C.15.a.2/maternal-record-only", "Pregnancy (chapter 15), outcome of delivery "
         "(Z37) or weeks of gestation (Z3A) codes with newborn codes (Z38, chapter 16)", _E),
    Rule("I.C.15.b.5/delivery-without-outcome", "A code that says a delivery has occurred, "
         "and no outcome of delivery code (Z37)", _E),
    Rule("I.C.15.f/o98-7-without-hiv-code", "HIV disease complicating pregnancy (O98.7-) "
         "without the code of the HIV disease (B20) or status (Z21)", _E),
    Rule("I.C.15.i/no-insulin-with-gestational", "A long-term diabetes drug code with "
         "gestational diabetes (O24.4-)", _E),
    Rule("I.C.15.i/o24-with-gestational", "Another diabetes in pregnancy code (O24) with "
         "gestational diabetes (O24.4-)", _E),
    Rule("I.C.15.i/gestational-diet-with-drugs", "A diet-controlled gestational diabetes "
         "code with an insulin- or oral-drug-controlled one of the same subcategory", _W),
    Rule("I.C.15.n.1/o80-with-complication", "O80 (uncomplicated delivery) with another "
         "chapter 15 code", _E),
    Rule("I.C.15.n.3/o80-outcome", "O80 (uncomplicated delivery) with an outcome of "
         "delivery other than Z37.0", _E),
    Rule("I.C.15.q.4/o72-after-abortion", "O72.1 (other immediate postpartum hemorrhage) "
         "with a code of a spontaneous abortion or a termination of pregnancy (O03, O04, O07)",
         _E, since="FY2023"),
    Rule("I.C.16.f/organism-with-p36", "An organism code (B95, B96) with a newborn sepsis code "
         "(P36) that includes the causal organism, and no other code asks for it", _E),
    Rule("I.C.18.e/coma-scale-set", "Coma scale codes of one 7th character that are not one "
         "from each of R40.21-, R40.22-, R40.23-, or that come with the total score (R40.24-)",
         _W, sections=(("FY2022", "I.C.18.e.1"),)),
    Rule("I.C.18.e/unspecified-coma-with-scale", "Unspecified coma (R40.20) with a traumatic "
         "brain injury (S06) and its coma scale (R40.21- to R40.24-)", _W, since="FY2024"),
    Rule("I.C.13.d.2/osteoporosis-with-traumatic-fracture", "Osteoporosis without a current "
         "pathological fracture (M81) with a traumatic fracture code", _W),
    Rule("I.C.19.b/t07-with-injuries", "Unspecified multiple injuries (T07) with codes of the "
         "injuries (S00-T14) in an inpatient stay", _E),
    Rule("I.C.19.d.6/extent-with-sequela", "A burn or corrosion extent code (T31, T32) with "
         "sequelae of burns or corrosions only (T20-T28, 7th character S)", _E,
         since="FY2022"),
    Rule("I.C.20.a.2/seventh-character", "An external cause's 7th character differs from "
         "its injury's", _W),
    Rule("I.C.20.b/place-not-initial", "A place of occurrence code at a later encounter", _W),
    Rule("I.C.20.c/activity-not-initial", "An activity code (Y93) at a later encounter", _W),
    Rule("I.C.20.c/activity-with-poisoning", "An activity code (Y93) with a poisoning, "
         "adverse effect, underdosing, misadventure or sequela", _W),
    Rule("I.C.20.k/status-not-initial", "An external cause status code (Y99) at a later "
         "encounter", _W),
    Rule("I.C.20.k/status-with-poisoning", "An external cause status code (Y99) with a "
         "poisoning, adverse effect, misadventure or sequela", _W),
    Rule("I.C.20.b/place-without-cause", "A place of occurrence code (Y92) without another "
         "external cause code", _W),
    Rule("I.C.20.k/status-without-cause", "An external cause status code (Y99) without a "
         "cause or activity code", _W),
    Rule("I.C.20.b/unspecified-place", "The unspecified place of occurrence code (Y92.9)",
         _W),
    Rule("I.C.20.c/unspecified-activity", "The unspecified activity code (Y93.9)", _W),
    Rule("I.C.20.k/unspecified-status", "The unspecified external cause status code "
         "(Y99.9)", _W),
    Rule("I.C.20.d/more-than-one", "More than one place, activity or status code", _W),
    Rule("I.C.21.c.11/weeks-of-gestation", "Weeks of gestation (Z3A) with an abortive "
         "outcome, an elective termination or a postpartum condition", _W),
    Rule("I.C.21.c.3/status-with-complication", "A transplant status code (Z94) with a "
         "complication of the same transplant (T86)", _W),
    Rule("I.C.21.c.3/bmi-in-pregnancy", "A BMI code (Z68) during pregnancy", _E),
    Rule("I.C.21.c.6/observation-with-diagnosis", "An observation code (Z03, Z04) with "
         "the condition it was to rule out", _W),
    Rule("I.C.21.c.7/aftercare-for-injury", "An aftercare Z code beside an injury", _W),
    # --- codes that may never be first
    Rule("I.A.13/manifestation-first", "A manifestation code is first-listed", _E, _NEVER),
    Rule("I.C.1.d.3/severe-sepsis-first", "A severe sepsis (R65.2-) or septic shock "
         "(T81.12-) code is first-listed", _E, _NEVER),
    Rule("I.A.13/supplementary-first", "An infectious agent code (B95-B97) is first-listed",
         _E, _NEVER),
    Rule("I.B.14/secondary-only", "A code I.B.14 reports only as a secondary diagnosis is "
         "first-listed", _E, _NEVER),
    Rule("I.C.19.e.5.c/underdosing-first", "An underdosing code is first-listed", _E,
         _NEVER),
    Rule("I.C.20.a.6/external-cause-first", "An external cause code is first-listed", _E,
         _NEVER),
    Rule("I.C.21.c.3/bmi-first", "A BMI code (Z68) is first-listed", _E, _NEVER),
    Rule("I.C.21.c.3/incidental-pregnancy-first", "Z33.1 (pregnant state, incidental) is "
         "first-listed", _E, _NEVER),
    Rule("I.C.21.c.11/delivery-outcome-first", "An outcome of delivery code (Z37) is "
         "first-listed", _E, _NEVER),
    # --- codes that may only be first
    Rule("I.C.21.c.16/first-listed-only", "A first-listed-only Z code is not first", _E,
         _ONLY, _LIST_SECTIONS),
    Rule("I.C.21.c.16/more-than-one", "More than one first-listed-only Z code", _E, _ONLY,
         _LIST_SECTIONS),
    # --- one code before another
    Rule("I.A.13/code-first-order", "A code is listed before the code its 'Code first' "
         "note asks for", _E, _EDGE),
    Rule("I.A.13/use-additional-order", "An additional code is listed before the code "
         "whose 'Use additional code' note asks for it", _W, _EDGE),
    Rule("I.C.1.g.1/covid-first", "A manifestation of COVID-19 is listed before U07.1", _W,
         _EDGE, since="FY2021-01"),
    Rule("I.C.4.a.6.b.i/postpancreatectomy-order", "Postpancreatectomy diabetes is not "
         "sequenced as the Guidelines say", _W, _EDGE),
    Rule("I.B.8/acute-first", "The chronic form is listed before the acute form", _W, _EDGE),
    Rule("I.C.4.a.5/insulin-pump-first", "An insulin pump malfunction (T85.6-) with a "
         "poisoning by or underdosing of insulin (T38.3X1-, T38.3X6-) is not first-listed",
         _W, _EDGE),
    Rule("I.C.16.d/birth-weight-first", "Gestational age (P07.2-, P07.3-) is listed before "
         "birth weight (P07.0-, P07.1-)", _W, _EDGE),
    Rule("I.C.19.d.1/highest-degree-first", "A burn of a lower degree is listed before one "
         "of a higher degree", _W, _EDGE),
    Rule("I.C.20.d/after-main-cause", "A place, activity or status code is listed before "
         "the main external cause", _W, _EDGE),
    # --- which code should be first where nothing else decides
    Rule("I.C.15.a/pregnancy-first", "Pregnancy codes are present but not first", _W,
         _PREFER),
    Rule("I.C.19.e.5.b/poisoning-first", "A poisoning code is present but not first", _W,
         _PREFER),
    Rule("I.C.19.e.5.d/toxic-effect-first", "A toxic effect code is present but not first",
         _W, _PREFER, since="FY2024"),
    Rule("I.C.18/symptom-first", "A symptom is first-listed beside a definitive diagnosis",
         _W, _PREFER),
    Rule("I.B.10/sequela-first", "A sequela code is first-listed before the condition it "
         "caused", _W, _PREFER),
    Rule("I.C.19.e.5.a/adverse-effect-first", "An adverse effect code is listed before the "
         "nature of the adverse effect", _W, _PREFER),
    # --- present on admission (inpatient)
    Rule("Appendix-I/poa-missing", "A diagnosis of a stay has no present-on-admission "
         "indicator", _E, sections=_POA),
    Rule("Appendix-I/poa-exempt-with-indicator", "A POA-exempt code has an indicator other "
         "than blank or 1", _W, sections=_POA),
    Rule("Appendix-I/poa-not-exempt", "A code that is not POA-exempt is reported as exempt "
         "(1)", _E, sections=_POA),
    Rule("Appendix-I/poa-exempt-unknown", "A code is new since the release whose POA-exempt "
         "list is borrowed, so its indicator cannot be checked", _I, sections=_POA),
    # --- notes
    Rule("I.A/notes-unavailable", "The release has no Tabular List notes to check "
         "against", _I),
)
_BY_ID = {declared.id: declared for declared in RULES}
if len(_BY_ID) != len(RULES):
    raise ValueError("a rule id is declared twice")


def rule_by_id(rule_id: str) -> Rule:
    """The rule with this id (KeyError for an unknown one)."""
    return _BY_ID[rule_id]


def rules(release: ReleaseLike | None = None, *,
          date_of_service: date | datetime | str | None = None) -> tuple[Rule, ...]:
    """Every rule :func:`icd10cm.check` applies, in the order it applies them; with a
    *release* or a *date_of_service* (resolved as :func:`icd10cm.load_release` and
    :func:`icd10cm.release_for` do), only those its Guidelines edition has."""
    if release is None and date_of_service is None:
        return RULES
    resolved = resolve_release(release, date_of_service=date_of_service)
    edition, _ = edition_for(resolved.id, resolved.info.fiscal_year)
    return tuple(declared for declared in RULES if declared.applies_to(edition))


@attrs.frozen
class Condition:
    """Whether an encounter with some flags can need a rule (beyond its needs and
    any_of): *holds* is given the flags masked to those it *reads*, so that the choice
    of rules depends on those flags alone (see :class:`Dispatch`)."""

    reads: int
    holds: Callable[[int], bool]

    def __call__(self, flags: int) -> bool:
        return self.holds(flags & self.reads)


#: A rule's function, the flags it needs (all of them), any of which it needs (at least
#: one; 0: none), and a further condition on the flags (None: none).
Applier = tuple[Callable[..., Any], int, int, "Condition | None"]


class Appliers(dict[str, Applier]):
    """The functions of one rule module, by rule id, with the flags an encounter must
    have for the rule to run (*needs*: all of them; *any_of*: at least one; *when*: a
    further condition on the flags, for a rule that can only fire on some mixes of
    them)."""

    def __call__(self, rule_id: str, *, needs: int = 0, any_of: int = 0,
                 when: Condition | None = None
                 ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        if rule_id not in _BY_ID:
            raise ValueError(f"{rule_id!r} is not a declared rule")

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            if rule_id in self:
                raise ValueError(f"rule {rule_id!r} has two functions")
            self[rule_id] = (function, needs, any_of, when)
            return function

        return register


def _by_flag(table: Sequence[Applier]) -> tuple[dict[int, tuple[int, ...]], tuple[int, ...]]:
    """The positions in *table* of the rules found under each flag (the lowest flag a rule
    needs, or each flag of its any_of), and of the rules that need no flag."""
    found: dict[int, list[int]] = {}
    always: list[int] = []
    for position, (_, needs, any_of, _when) in enumerate(table):
        mask = needs & -needs if needs else any_of
        if not mask:
            always.append(position)
        while mask:
            lowest = mask & -mask
            found.setdefault(lowest, []).append(position)
            mask ^= lowest
    return {flag: tuple(positions) for flag, positions in found.items()}, tuple(always)


class Dispatch:
    """The functions of some of the rules, for each Guidelines edition in the order of
    :data:`RULES`, and those that can fire on an encounter: those whose flags it has.

    Which rules can fire depends only on the edition and the flags the rules read
    (their needs, any_of and conditions), so it is kept for each set of those flags
    seen: the last *keep* sets per edition (the oldest goes first). Registered with
    :func:`icd10cm.clear_cache`.
    """

    def __init__(self, appliers: Mapping[str, Applier],
                 kinds: Callable[[Kind], bool], keep: int = 65536) -> None:
        self._tables = {
            edition.id: tuple(appliers[declared.id] for declared in RULES
                              if kinds(declared.kind) and declared.applies_to(edition))
            for edition in EDITIONS}
        self._reads = 0  # the flags the rules read
        for table in self._tables.values():
            for _, needs, any_of, when in table:
                self._reads |= needs | any_of | (when.reads if when is not None else 0)
        # Per edition, where a rule can be found from one flag an encounter has: under the
        # lowest flag it needs, or each flag of its any_of; the rules that need no flag.
        self._by_flag = {edition_id: _by_flag(table) for edition_id, table in self._tables.items()}
        self._chosen: dict[str, dict[int, tuple[Callable[..., Any], ...]]] = {
            edition.id: {} for edition in EDITIONS}
        # one tuple per distinct choice of rules, however many flag sets make it
        self._shared: dict[tuple[Callable[..., Any], ...], tuple[Callable[..., Any], ...]] = {}
        self._keep = keep
        self._lock = threading.Lock()  # for writers: reading needs none
        caches.register(self.clear)

    def select(self, edition: GuidelineEdition, flags: int) -> tuple[Callable[..., Any], ...]:
        """The functions of *edition*'s rules that an encounter with *flags* needs."""
        chosen = self._chosen[edition.id]
        flags &= self._reads
        found = chosen.get(flags)
        if found is None:
            by_flag, always = self._by_flag[edition.id]
            candidates = set(always)
            rest = flags
            while rest:  # only the rules found under the encounter's flags can apply
                lowest = rest & -rest
                candidates.update(by_flag.get(lowest, ()))
                rest ^= lowest
            table = self._tables[edition.id]
            found = tuple(apply for apply, needs, any_of, when in map(table.__getitem__,
                                                                     sorted(candidates))
                          if flags & needs == needs and (not any_of or flags & any_of)
                          and (when is None or when(flags)))
            with self._lock:
                found = self._shared.setdefault(found, found)
                if len(chosen) >= self._keep:
                    del chosen[next(iter(chosen))]
                chosen[flags] = found
        return found

    def clear(self) -> None:
        with self._lock:
            for chosen in self._chosen.values():
                chosen.clear()
            self._shared.clear()
