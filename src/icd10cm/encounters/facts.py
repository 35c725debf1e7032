"""What the encounter rules need to know about one code, worked out once per code.

:class:`Facts` classify a code (external cause, symptom, manifestation,
poisoning...) as bits of :attr:`Facts.flags`, so that a rule can test a whole
encounter at once (the encounter's flags are the union of its codes'), and
resolve the code references of the notes that apply to it into spans of
tabular positions, so that checking a pair of codes is a few integer
comparisons. Facts are kept per release, for the notes the release uses and for
its own notes only.

Notes that name their target in words rather than by code are resolved here
too (I.A.13): ``category T31 or T32`` (the T20-T25 block note), ``Chapter 20``,
"the neoplasm" (chapter 2, C00-D49) and "underlying infection" (chapter 1,
A00-B99).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Hashable, Sequence
from functools import partial
from typing import Any, NamedTuple

import attrs

from icd10cm.core.caches import HeldMemo
from icd10cm.core.code import Code
from icd10cm.core.notes import Note, NoteKind
from icd10cm.core.references import CodeReference
from icd10cm.core.release import Release
from icd10cm.core.text import dot, listing
from icd10cm.encounters import acuity
from icd10cm.encounters.guidelines import EDITIONS, GuidelineEdition, edition_for

__all__ = ["NO_LINK", "Facts", "Link", "ReleaseFacts", "Span", "facts", "release_facts"]

# --- the flags ---------------------------------------------------------------------------

EXTERNAL = 1 << 0  # V00-Y99: an external cause (I.C.20)
PLACE = 1 << 1  # Y92: place of occurrence
ACTIVITY = 1 << 2  # Y93: activity
STATUS = 1 << 3  # Y99: external cause status
SYMPTOM = 1 << 4  # R00-R99 (I.C.18)
PREGNANCY = 1 << 5  # O00-O9A (chapter 15)
INJURY = 1 << 6  # S00-T34 (injuries, burns, corrosions, frostbite)
BURN = 1 << 7  # T20-T25 with a degree (I.C.19.d.1)
POISONING = 1 << 8  # T36-T50 with intent 1-4 (I.C.19.e.5.b)
ADVERSE = 1 << 9  # T36-T50 with intent 5 (I.C.19.e.5.a)
UNDERDOSING = 1 << 10  # T36-T50 with intent 6 (I.C.19.e.5.c)
TOXIC = 1 << 11  # T51-T65 (I.C.19.e.5.d)
MANIFESTATION = 1 << 12  # "in ... classified elsewhere" in its own or an ancestor's title
UNDERLYING_FIRST = 1 << 13  # a "Code first" note for an underlying condition
SUPPLEMENTARY = 1 << 14  # B95-B97, infectious agents (I.A.13)
# A sequela code (I.B.10): 7th character S, not an external cause; or a code whose 'Code
# first' note asks for the "condition resulting from (sequela)" (B90-B94, E64, E68, G09,
# G65, O94)
SEQUELA = 1 << 15
FIRST_ONLY = 1 << 16  # on the edition's first-listed-only list (I.C.21.c.16/15)
AFTERCARE = 1 << 17  # Z42-Z49, Z51.8 (I.C.21.c.7)
BMI = 1 << 18  # Z68 (I.C.21.c.3)
SECONDARY_ONLY = 1 << 19  # on the edition's I.B.14 list, BMI aside
NEWBORN = 1 << 20  # Z38: liveborn infant (newborn record only, I.C.16.a.2)
PERINATAL = 1 << 21  # P00-P96 (chapter 16, I.C.16.a.1)
COVID = 1 << 22  # U07.1
COVID_EXPOSURE = 1 << 23  # Z20.822
OBSERVATION = 1 << 24  # Z03, Z04 (I.C.21.c.6)
THERAPY = 1 << 25  # Z51.0, Z51.11, Z51.12 (I.C.2.e.2)
HYPERTENSION = 1 << 26  # I10
CKD = 1 << 27  # N18
HYPERTENSIVE_HEART = 1 << 28  # I11
HYPERTENSIVE_CKD = 1 << 29  # I12
GESTATIONAL_DIABETES = 1 << 30  # O24.4-
DIABETES_DRUGS = 1 << 31  # the edition's I.C.15.i long-term drug codes
BIRTH_WEIGHT = 1 << 32  # P07.0-, P07.1-
GESTATIONAL_AGE = 1 << 33  # P07.2-, P07.3-
POSTPANCREATECTOMY = 1 << 34  # E89.1, E13, Z90.41- (I.C.4.a.6.b.i)
PREGNANCY_STATUS = 1 << 35  # Z33, Z34, Z3A: pregnancy, for the BMI rule
RIGHT = 1 << 36  # its title says right
ACUTE_FORM = 1 << 37  # the acute code of an acute/chronic pair of the Alphabetic Index
HAS_SPANS = 1 << 38  # notes that link it to other codes
MISADVENTURE = 1 << 39  # Y62-Y69: misadventures to patients during surgical and medical care
HEADER = 1 << 40  # not reportable (I.B.2)
UNSPECIFIED = 1 << 41  # unspecified, where more specific codes exist (I.B.2)
# A definitive diagnosis, which a symptom yields first place to (I.C.18): not a symptom,
# Z code, external cause, sequela or adverse effect.
DEFINITIVE = 1 << 42
# What a sequela or adverse effect yields first place to, its nature (I.B.10,
# I.C.19.e.5.a): a disease, symptom or complication (A00-R99, T66-T88, U codes), not
# itself a sequela or adverse effect.
NATURE = 1 << 43
LEFT = 1 << 44  # its title says left
LATERAL = RIGHT | LEFT  # its title says right or left
CHRONIC_FORM = 1 << 51  # the chronic code of an acute/chronic pair of the Alphabetic Index
DELIVERY_OUTCOME = 1 << 52  # Z37: outcome of delivery (maternal record only, I.C.15.b.5)
HYPERTENSIVE_HEART_CKD = 1 << 53  # I13
# A heart condition that hypertension is presumed to cause (I.C.9.a.1): I50.-, I51.4-I51.7,
# I51.89, I51.9
HEART_DISEASE = 1 << 54
# I10-I13: hypertension, which the classification links to heart and kidney disease
HYPERTENSIVE = HYPERTENSION | HYPERTENSIVE_HEART | HYPERTENSIVE_CKD | HYPERTENSIVE_HEART_CKD
# O80: encounter for full-term uncomplicated delivery (I.C.15.n)
NORMAL_DELIVERY = 1 << 59
BILATERAL = 1 << 62  # its title says bilateral (I.B.13)
GESTATION_WEEKS = 1 << 63  # Z3A: weeks of gestation (I.C.21.c.11)
# What Z3A is not assigned for (I.C.21.c.11): pregnancies with abortive outcomes (O00-O08)
# and elective termination of pregnancy (Z33.2)
ABORTIVE = 1 << 64
# A postpartum condition (I.C.21.c.11): the puerperium's block (O85-O92), a chapter 15
# code whose title says puerperium or postpartum (but for the labor and delivery codes,
# O60-O82: "postpartum hemorrhage" is coded on the delivery's record), postpartum care (Z39)
POSTPARTUM = 1 << 65
# Its title says "without complication(s)": a combination code for the condition with
# none (I.B.9; E11.9, K50.00)
NO_COMPLICATIONS = 1 << 66
HISTORY_OF_MALIGNANCY = 1 << 67  # Z85: personal history of malignant neoplasm (I.C.2.d)
TRANSPLANT_STATUS = 1 << 68  # Z94: transplanted organ and tissue status (I.C.21.c.3)
TRANSPLANT_COMPLICATION = 1 << 69  # T86: complications of transplanted organs (I.C.21.c.3)
# R65.2-: severe sepsis; T81.12-: postprocedural septic shock (never principal, I.C.1.d.2-3)
SEVERE_SEPSIS = 1 << 70
# An external cause code other than a place, activity or status code: a cause (I.C.20.b, k)
CAUSE = 1 << 71
UNSPECIFIED_STATUS = 1 << 72  # Y92.9, Y93.9, Y99.9 (I.C.20.b, c, k)
# A code after T65 whose title gives its intent, and so its external cause (I.C.20.a.8):
# the asphyxiations T71.1- and T71.2- ("..., accidental")
INTENT_INCLUDED = 1 << 73
ESRD = 1 << 74  # N18.6: end stage renal disease (I.C.14.a.1)
# A systemic infection, sepsis (I.C.1.d.4): A40, A41, and the other chapter 1 codes whose
# titles say sepsis (A02.1 Salmonella sepsis, A20.7 septicemic plague, A39.2-A39.4
# meningococcemia...): see _SEPSIS_TITLE
SEPSIS = 1 << 75
# A localized infection (I.C.1.d.4, "such as pneumonia or cellulitis"): see _LOCALIZED
LOCALIZED_INFECTION = 1 << 76
SUBSEQUENT_MI = 1 << 77  # I22: subsequent STEMI and NSTEMI myocardial infarction (I.C.9.e.4)
DIABETES_IN_PREGNANCY = 1 << 78  # O24, but for gestational diabetes, O24.4- (I.C.15.i)
INCIDENTAL_PREGNANCY = 1 << 79  # Z33.1: "a secondary code only" (I.C.21.c.3)
# A sequela code (by its 'Code first' note) whose 7th character codes an initial or
# subsequent encounter: acute and sequela in one code, which I.B.10/acute-with-sequela
# cannot pass over by its stems alone
ACUTE_AND_SEQUELA = 1 << 80
# A code whose title names methicillin resistant Staphylococcus aureus, but for the Z
# codes (carrier, history): the combination codes (A41.02, J15.212...) and B95.62 (I.C.1.e)
MRSA = 1 << 81
PENICILLIN_RESISTANCE = 1 << 82  # Z16.11: resistance to penicillins (I.C.1.e.1)
COMA_SCALE = 1 << 83  # R40.21- to R40.24-: the coma scale and its total score (I.C.18.e)
MULTIPLE_INJURIES = 1 << 84  # T07: unspecified multiple injuries (I.C.19.b)
BURN_EXTENT = 1 << 85  # T31, T32: burns and corrosions by extent of body surface (I.C.19.d.6)
DISSEMINATED = 1 << 86  # C80.0: disseminated malignant neoplasm, unspecified (I.C.2.j)
HURRICANE = 1 << 87  # X37.0-: hurricane (I.B.19)
# A chapter 15 code that says a delivery has occurred (I.C.15.b.5): O80, O82, and the
# codes whose title says so (see _DELIVERED)
DELIVERED = 1 << 88
VAP = 1 << 89  # J95.851: ventilator associated pneumonia (I.C.10.d)
# T85.6- codes of an insulin pump's malfunction; T38.3X1-, T38.3X6-: poisoning by and
# underdosing of insulin and oral hypoglycemic drugs (I.C.4.a.5)
INSULIN_PUMP = 1 << 90
INSULIN_DOSE = 1 << 91
HYPERTENSIVE_RETINOPATHY = 1 << 92  # H35.03-: hypertensive retinopathy (I.C.9.a.5)
SECONDARY_HYPERTENSION = 1 << 93  # I15: secondary hypertension (I.C.9.a.6)
HIV_IN_PREGNANCY = 1 << 94  # O98.7-: HIV disease complicating pregnancy (I.C.15.f)
TRANSPLANT_MALIGNANCY = 1 << 95  # C80.2: malignant neoplasm of a transplanted organ (I.C.2.r)
OSTEOPOROSIS = 1 << 96  # M81: osteoporosis without current pathological fracture (I.C.13.d)
ACUTE_OR_CHRONIC = ACUTE_FORM | CHRONIC_FORM  # in an acute/chronic pair
# The encounter a 7th character codes, of an injury or condition (S, T, and the fractures
# of chapter 13: M48.4, M48.5, M80, M84, M97) and of an external cause (V-Y): the rules
# that compare them (I.C.20) run only where the two can differ.
INJURY_INITIAL = 1 << 45
INJURY_SUBSEQUENT = 1 << 46
INJURY_SEQUELA = 1 << 47
CAUSE_INITIAL = 1 << 48
CAUSE_SUBSEQUENT = 1 << 49
CAUSE_SEQUELA = 1 << 50
INJURY_PHASES = INJURY_INITIAL | INJURY_SUBSEQUENT | INJURY_SEQUELA
CAUSE_PHASES = CAUSE_INITIAL | CAUSE_SUBSEQUENT | CAUSE_SEQUELA
#: A cause's phase flag shifted right by this is the injury's flag of the same phase.
CAUSE_TO_INJURY = 3
# Flags of the encounter rather than of a code (set by the analysis):
# a code's Excludes1, 'Code first' or 'Use additional code' note covers another code
LINKED_EXCLUDES1 = 1 << 55
LINKED_CODE_FIRST = 1 << 56
LINKED_USE_ADDITIONAL = 1 << 57
REPEATED = 1 << 58  # a code is reported more than once
INPATIENT_POA = 1 << 60  # an inpatient stay whose present-on-admission indicators are given
NO_NOTES = 1 << 61  # no Tabular List notes to check against (I.A/notes-unavailable)

_INITIAL, _SUBSEQUENT, _SEQUELA = "initial", "subsequent", "sequela"
#: (whether an injury or condition rather than an external cause, phase) -> flag
_PHASE_FLAGS = {
    (True, _INITIAL): INJURY_INITIAL, (True, _SUBSEQUENT): INJURY_SUBSEQUENT,
    (True, _SEQUELA): INJURY_SEQUELA, (False, _INITIAL): CAUSE_INITIAL,
    (False, _SUBSEQUENT): CAUSE_SUBSEQUENT, (False, _SEQUELA): CAUSE_SEQUELA,
}
_LINKED_KINDS = (NoteKind.EXCLUDES1, NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL_CODE)
_ELSEWHERE = re.compile(r"\bclassified elsewhere\b")
_CAUSE_OF = re.compile(r"\bas the cause of\b")
# "Code first underlying disease"; "Code first erythematous condition causing exfoliation" (L49)
_UNDERLYING = re.compile(r"\bunderlying\b|\bcondition causing\b")
# "Code first condition resulting from (sequela) of ...": the code is a sequela code (I.B.10)
_RESULTING_FROM_SEQUELA = re.compile(r"\(sequela\)")
_SUCH_AS = re.compile(r"\bsuch as\b|:\s*$")
_SIDE = re.compile(r"\b(right|left)\b")
_CATEGORIES = re.compile(
    r"\b(?:sub)?categor(?:y|ies)\s+((?:[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]+)?"
    r"(?:\s*(?:,|or|and)\s*)?)+)")
_CODE = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]+)?")
_CHAPTER = re.compile(r"\bchapter\s+(\d+)\b", re.I)
# Words a note names its target by, and the chapter they mean (I.A.13).
_NAMED_CHAPTERS = ((re.compile(r"\bneoplasms?\b"), 2),
                   (re.compile(r"\bunderlying infection\b"), 1))


#: Positions are grouped by 64 (shifted right by GROUP) to tell at once which codes a
#: code's notes may cover: the tabular order keeps related codes close together.
GROUP = 6
_NO_GROUPS: frozenset[int] = frozenset()

#: The entries the rules keep with the facts of one release's codes (the words for a pair
#: of codes, how one code's notes cover another: about 300 bytes each), at most: then
#: they are all forgotten and made again (see :meth:`ReleaseFacts.count_kept`).
KEPT_LIMIT = 1 << 20

# The prefixes of each edition's first-listed-only and secondary-only lists, to pass
# over most codes at once.
_LISTED = {edition.id: (tuple(prefix for prefix, _ in edition.first_listed_only),
                        tuple(prefix for prefix, _ in edition.secondary_only))
           for edition in EDITIONS}


@attrs.frozen(eq=False)
class Span:
    """A note's code reference, resolved to tabular positions *lo* to *hi* of the
    release (-1 when it must be matched by text)."""

    lo: int
    hi: int
    note: Note
    reference: CodeReference

    def covers(self, code: Code) -> bool:
        if self.lo < 0:
            return self.reference.matches(code.value)
        if not self.lo <= code.index <= self.hi:
            return False
        return not self.reference.condition or self.reference.matches(code.value)


@attrs.frozen(eq=False, kw_only=True)
class Facts:
    """The facts about one code in one release (for the notes it uses).

    The attributes the analysis of every encounter reads come first, so that they
    share the first lines of memory of the object (claims touch many codes, each
    seldom: most reads of a code's facts are not cached by the processor)."""

    flags: int
    # The tabular positions in groups of 64 (see :data:`GROUP`): the group of the code,
    # the other groups its spans reach, and whether they reach its own (spans matched by
    # text aside: they reach every group). Another code can only be covered if its group
    # is reached.
    group: int
    reach: frozenset[int]
    by_text: tuple[Span, ...]  # spans that must be matched by text
    near: bool
    #: its first 6 undotted characters: "S52521" for S52.521A (I.B.10)
    stem: str
    index: int  # the code's tabular position in its release
    links_to: dict[int, Link] = attrs.field(factory=dict)  # link_to(), by code index
    #: What the rules work out from this code (alone, or with another code) and keep, by
    #: keys of their own: a finding at a position, the words of a note's edge...
    kept: dict[Hashable, Any] = attrs.field(factory=dict)
    #: for a code with a side, what a code of the same condition on the other side shares
    #: with it (I.B.13): the title without its side, the category, the 7th character
    alike: tuple[str, str, str] | None
    # stem and alike are made once for all the codes of a release that share them
    # (:attr:`ReleaseFacts.shared`), so that the rules tell them apart by identity, which
    # reads nothing from memory.
    value: str  # the code's dotted value
    category: str  # undotted, e.g. "S52"
    phase: str  # initial, subsequent or sequela: injuries, external causes, M fractures
    side: str  # "right", "left" or ""
    code: Code
    undotted: str
    burn_degree: int  # 1-3 for a burn or corrosion of a stated degree, else 0
    code_first: tuple[Note, ...]  # the 'Code first' notes that apply
    open_underlying: bool  # one asks for an underlying condition by example only, or not at all
    acuity: tuple[tuple[int, str], ...]  # (pair, "acute"/"chronic") of the Index
    lateral_key: str  # the title without its side, for I.B.13
    more_specific: tuple[str, ...]  # for an unspecified code
    unspecified_message: str  # the I.B.2 finding's message, where there are some
    spans: tuple[Span, ...]
    # The spans' positions merged into disjoint runs, each with the spans in it, so
    # that a code is tested against the spans of one run only: *bounds* holds each
    # run's first position and the position after its last, in order.
    bounds: tuple[int, ...]
    runs: tuple[tuple[Span, ...], ...]
    owner: ReleaseFacts = attrs.field(repr=False)  # the facts of the release's other codes

    def link_to(self, other: Code) -> Link:
        """How this code's notes cover *other* (:data:`NO_LINK`: not at all), kept per code."""
        found = self.links_to.get(other.index)
        if found is None:
            slot = bisect_right(self.bounds, other.index)
            candidates = self.runs[slot >> 1] + self.by_text if slot & 1 else self.by_text
            self.owner.count_kept()
            found = self.links_to.setdefault(other.index, _link(
                [span for span in candidates if span.covers(other)]))
        return found

    def keep(self, key: Hashable, value: Any) -> Any:
        """*value*, kept in :attr:`kept` under *key*, or what is kept there already."""
        self.owner.count_kept()
        return self.kept.setdefault(key, value)


class Link(NamedTuple):
    """How one code's notes cover another: the first span of each linked kind of note
    that covers it (None: none), and the encounter flags of those kinds (*kinds*:
    LINKED_EXCLUDES1, LINKED_CODE_FIRST, LINKED_USE_ADDITIONAL)."""

    excludes1: Span | None
    code_first: Span | None
    use_additional: Span | None
    kinds: int = 0


NO_LINK = Link(None, None, None)


def _link(spans: Sequence[Span]) -> Link:
    if not spans:
        return NO_LINK
    first: dict[NoteKind, Span] = {}
    for span in spans:
        first.setdefault(span.note.kind, span)
    excludes1 = first.get(NoteKind.EXCLUDES1)
    code_first = first.get(NoteKind.CODE_FIRST)
    use_additional = first.get(NoteKind.USE_ADDITIONAL_CODE)
    return Link(excludes1, code_first, use_additional,
                (LINKED_EXCLUDES1 if excludes1 is not None else 0)
                | (LINKED_CODE_FIRST if code_first is not None else 0)
                | (LINKED_USE_ADDITIONAL if use_additional is not None else 0))


class _NodeLinks(NamedTuple):
    """What the linked notes printed at one node contribute to a code's facts."""

    spans: tuple[Span, ...]
    code_first: tuple[Note, ...]
    underlying: bool  # a 'Code first' note asks for an underlying condition
    open_underlying: bool  # ... by example only ("such as"), or not at all
    sequela: bool  # a 'Code first' note asks for the condition resulting from (sequela)


_NO_LINKS = _NodeLinks((), (), False, False, False)


@attrs.define(eq=False)
class ReleaseFacts:
    """The facts of one release's codes (with the notes the release uses, or with its
    own notes only), made as the codes are first seen, and what they share: the
    linked notes of each node (a chapter's notes apply to every code in it), the
    resolved references, and whether a heading's title names a manifestation.

    *flags* are the encounter flags every encounter of the release has (NO_NOTES).
    Dictionaries are filled without a lock: two threads that make the same entry
    make equal ones, and ``setdefault`` keeps the first.
    """

    release: Release
    own_data_only: bool
    edition: GuidelineEdition
    exact_edition: bool
    flags: int
    known: dict[int, Facts] = attrs.field(factory=dict)  # by code index
    #: :attr:`known` as a list indexed by code index (None: not made yet), which the
    #: analysis of each encounter reads: quicker than the dictionary
    by_index: list[Facts | None] = attrs.field(factory=list)
    #: each Facts.reach made, kept once: codes under the same notes reach the same groups
    reaches: dict[frozenset[int], frozenset[int]] = attrs.field(factory=dict)
    #: each Facts.stem and Facts.alike made, kept once
    shared: dict[Hashable, Any] = attrs.field(factory=dict)
    linked: dict[tuple[str, bool], _NodeLinks] = attrs.field(factory=dict)  # (node, adverse)
    resolved: dict[tuple[str, str], tuple[int, int]] = attrs.field(factory=dict)
    manifestations: dict[int, bool] = attrs.field(factory=dict)  # heading index -> names one
    kept_count: int = 0  # entries put in the Facts.kept and Facts.links_to of known

    def facts(self, code: Code) -> Facts:
        """The facts of *code*, a code of this release."""
        made = self.known.get(code.index)
        if made is None:
            made = self.known.setdefault(code.index, _build(code, self))
            self.by_index[code.index] = made
        return made

    def count_kept(self) -> None:
        """One more entry is put in the :attr:`Facts.kept` or :attr:`Facts.links_to` of
        a code: past :data:`KEPT_LIMIT` of them, every code's are forgotten (and made
        again as encounters need them), so that a process that checks encounters for
        months keeps a bounded amount. Counted without a lock: two threads may miss one
        count, and the limit is not exact."""
        self.kept_count += 1
        if self.kept_count > KEPT_LIMIT:
            self.kept_count = 0
            for known in list(self.known.values()):
                known.kept.clear()
                known.links_to.clear()


def _release_facts(release: Release, own_data_only: bool) -> ReleaseFacts:
    edition, exact = edition_for(release.id, release.info.fiscal_year)
    no_notes = release.notes_from is None or (own_data_only and not release.has_notes)
    return ReleaseFacts(release, own_data_only, edition, exact, NO_NOTES if no_notes else 0,
                        by_index=[None] * len(release.undotted_codes))


# The facts of each release, with the notes it uses and with its own notes only (held
# by the release, as they refer to it), and how each is made.
_releases: tuple[HeldMemo[Release, ReleaseFacts], HeldMemo[Release, ReleaseFacts]] = (
    HeldMemo(), HeldMemo())
_MAKE = (partial(_release_facts, own_data_only=False), partial(_release_facts, own_data_only=True))


def release_facts(release: Release, own_data_only: bool = False) -> ReleaseFacts:
    """The facts of *release*'s codes (with *own_data_only*, from its own notes only)."""
    return _releases[own_data_only].made(release, _MAKE[own_data_only])


def facts(code: Code, own_data_only: bool = False) -> Facts:
    """The facts of *code*, worked out on first use and kept for its release. Its notes
    are the release's, or the nearest release's for a release without a tabular of its
    own (unless *own_data_only*)."""
    return release_facts(code.release, own_data_only).facts(code)


def _phase(undotted: str, letter: str) -> str:
    """The encounter that the 7th character of an injury, an external cause or a
    fracture of chapter 13 codes (I.C.19.a, I.C.20.a.2, I.C.13.c): a letter, A, B or C
    initial, S sequela, the others subsequent. A 7-character code whose last character
    is a digit (T86.8401, corneal transplant rejection, right eye) has no 7th character
    of that kind."""
    if len(undotted) != 7 or letter not in "MSTVWXY" or not undotted[6].isalpha():
        return ""
    seventh = undotted[6]
    if seventh == "S":
        return _SEQUELA
    return _INITIAL if seventh in "ABC" else _SUBSEQUENT


def _intent(undotted: str) -> str:
    """The intent digit of a T36-T65 code: the last character of its 6-character stem
    that is not the placeholder X (T36.0X1A -> 1; T36.95XA -> 5)."""
    return undotted[:6].rstrip("X")[-1:] if len(undotted) >= 5 else ""


#: I.C.9.a.1: "heart conditions classified to I50.- or I51.4-I51.7, I51.89, I51.9" (with
#: I50, the codes hypertension with heart disease takes as I11)
_POSTPARTUM = re.compile(r"\b(?:puerperium|puerperal|postpartum)\b", re.I)
# "with preterm delivery", "delivery by (planned) cesarean section", "Term delivery with
# preterm labor", "during delivery", "complicating childbirth", "in childbirth"; not
# "without delivery", nor "pregnancy, childbirth, and the puerperium"
_DELIVERED = re.compile(r"\bwith (?:\w+ )?delivery\b|\bdelivery by\b|\bterm delivery\b"
                        r"|\bduring delivery\b|\b(?:complicating|in) childbirth\b", re.I)
# The intents that a code's title may give (T71.111A "Asphyxiation due to smothering under
# pillow, accidental, initial encounter")
_INTENT = re.compile(r", (?:accidental|intentional self-harm|assault|undetermined)\b")
_HEART_DISEASE = ("I51.4", "I51.5", "I51.6", "I51.7", "I51.89", "I51.9")


def _flags(code: Code, edition: GuidelineEdition) -> int:
    undotted = code.undotted
    letter, category = undotted[0], undotted[:3]
    value = code.value
    flags = 0
    if letter in "VWXY":
        flags |= EXTERNAL
        status = {"Y92": PLACE, "Y93": ACTIVITY, "Y99": STATUS}.get(category, 0)
        flags |= status or CAUSE
        if value in ("Y92.9", "Y93.9", "Y99.9"):
            flags |= UNSPECIFIED_STATUS
        if "Y62" <= category <= "Y69":
            flags |= MISADVENTURE
        elif value.startswith("X37.0"):
            flags |= HURRICANE
    elif value == "C80.0":
        flags |= DISSEMINATED
    elif value == "C80.2":
        flags |= TRANSPLANT_MALIGNANCY
    elif letter == "R":
        flags |= SYMPTOM
        if value.startswith("R65.2"):
            flags |= SEVERE_SEPSIS
        elif value.startswith(("R40.21", "R40.22", "R40.23", "R40.24")):
            flags |= COMA_SCALE
    elif letter == "O":
        flags |= PREGNANCY
        if value in ("O80", "O82") or _DELIVERED.search(code.title):
            flags |= DELIVERED
        if value.startswith("O98.7"):
            flags |= HIV_IN_PREGNANCY
        if value == "O80":
            flags |= NORMAL_DELIVERY
        elif category <= "O08":
            flags |= ABORTIVE
        elif "O85" <= category <= "O92" or (
                not "O60" <= category <= "O82" and _POSTPARTUM.search(code.title)):
            flags |= POSTPARTUM  # not a complication of labor and delivery (O60-O77)
        if value.startswith("O24.4"):
            flags |= GESTATIONAL_DIABETES
        elif category == "O24":
            flags |= DIABETES_IN_PREGNANCY
    elif letter == "P":
        flags |= PERINATAL
        if value.startswith(("P07.0", "P07.1")):
            flags |= BIRTH_WEIGHT
        elif value.startswith(("P07.2", "P07.3")):
            flags |= GESTATIONAL_AGE
    elif letter == "S" or (letter == "T" and category <= "T34"):
        flags |= INJURY
        if "T20" <= category <= "T25" and len(undotted) >= 4 and undotted[3] in "123567":
            flags |= BURN
        elif category == "T07":
            flags |= MULTIPLE_INJURIES
        elif category in ("T31", "T32"):
            flags |= BURN_EXTENT
    elif value.startswith("H35.03"):
        flags |= HYPERTENSIVE_RETINOPATHY
    elif category == "T86":
        flags |= TRANSPLANT_COMPLICATION
    elif value.startswith("T85.6") and "insulin pump" in code.title:
        flags |= INSULIN_PUMP
    elif value.startswith("T81.12"):
        flags |= SEVERE_SEPSIS
    elif letter == "T" and "T36" <= category <= "T65":
        if value.startswith(("T38.3X1", "T38.3X6")):
            flags |= INSULIN_DOSE
        intent = _intent(undotted)
        if category >= "T51":
            flags |= TOXIC
        elif intent in ("1", "2", "3", "4"):
            flags |= POISONING
        elif intent == "5":
            flags |= ADVERSE
        elif intent == "6":
            flags |= UNDERDOSING
    elif letter == "T" and category >= "T66" and _INTENT.search(code.title):
        flags |= INTENT_INCLUDED
    elif letter == "B" and "B95" <= category <= "B97":
        flags |= SUPPLEMENTARY
    elif letter == "U" and value == "U07.1":
        flags |= COVID
    elif letter == "I":
        if category == "I15":
            flags |= SECONDARY_HYPERTENSION
        flags |= {"I10": HYPERTENSION, "I11": HYPERTENSIVE_HEART,
                  "I12": HYPERTENSIVE_CKD, "I13": HYPERTENSIVE_HEART_CKD}.get(category, 0)
        if category == "I50" or value.startswith(_HEART_DISEASE):
            flags |= HEART_DISEASE
        elif category == "I22":
            flags |= SUBSEQUENT_MI
    elif letter == "N" and category == "N18":
        flags |= CKD
        if value == "N18.6":
            flags |= ESRD
    elif letter == "Z":
        if category == "Z68":
            flags |= BMI
        elif "Z42" <= category <= "Z49" or undotted.startswith("Z518"):
            flags |= AFTERCARE
        elif value in ("Z51.0", "Z51.11", "Z51.12"):
            flags |= THERAPY
        elif category == "Z38":
            flags |= NEWBORN
        elif category == "Z37":
            flags |= DELIVERY_OUTCOME
        elif category in ("Z03", "Z04"):
            flags |= OBSERVATION
        elif category in ("Z33", "Z34", "Z3A"):
            flags |= PREGNANCY_STATUS
            if category == "Z3A":
                flags |= GESTATION_WEEKS
            elif value == "Z33.2":
                flags |= ABORTIVE
            elif value == "Z33.1":
                flags |= INCIDENTAL_PREGNANCY
        elif category == "Z39":
            flags |= POSTPARTUM
        elif category == "Z85":
            flags |= HISTORY_OF_MALIGNANCY
        elif category == "Z94":
            flags |= TRANSPLANT_STATUS
        elif value.startswith("Z16.11"):
            flags |= PENICILLIN_RESISTANCE
        elif value == "Z20.822":
            flags |= COVID_EXPOSURE
        if value.startswith(edition.no_insulin_with_o244):
            flags |= DIABETES_DRUGS
        if value.startswith("Z90.41"):
            flags |= POSTPANCREATECTOMY
    if value.startswith("E89.1") or category == "E13":
        flags |= POSTPANCREATECTOMY
    if category == "M81":
        flags |= OSTEOPOROSIS
    if letter in "ABHJKLMN":
        flags |= _infection(value, category, code.title)
        if value == "J95.851":
            flags |= VAP
        if "methicillin resistant staphylococcus aureus" in code.title.lower():
            flags |= MRSA
    first_listed, secondary = _LISTED[edition.id]
    if value.startswith(first_listed) and edition.first_listed_only_entry(value) is not None:
        flags |= FIRST_ONLY
    if (not flags & BMI and value.startswith(secondary)
            and edition.secondary_only_entry(value) is not None):
        flags |= SECONDARY_ONLY
    if letter not in "VWXY" and _phase(undotted, letter) == _SEQUELA:
        flags |= SEQUELA
    if letter not in "RZ" and not flags & (EXTERNAL | SEQUELA | ADVERSE):
        flags |= DEFINITIVE
    if not flags & (SEQUELA | ADVERSE) and (
            letter in "ABCDEFGHIJKLMNOPQRU" or (letter == "T" and category >= "T66")):
        flags |= NATURE
    return flags


#: I.C.1.d.4: the chapter 1 codes of a systemic infection beside A40 and A41, by title:
#: "sepsis" (A02.1, A22.7, A26.7, A32.7, A42.7, A54.86, B37.7), "septicemic" (A20.7),
#: "meningococcemia" (A39.2-A39.4); not "aseptic" (A27.81, aseptic meningitis)
_SEPSIS_TITLE = re.compile(r"\bsepsis\b|\bsepticemi(?:a|c)\b|\bmeningococcemia\b", re.I)
#: I.C.1.d.4 names pneumonia and cellulitis as localized infections: the pneumonia
#: categories J12-J16 and J18 (J17, pneumonia in diseases classified elsewhere, is a
#: manifestation), the skin and subcutaneous tissue infections L02 (abscess, furuncle,
#: carbuncle), L03 (cellulitis and acute lymphangitis) and L08 (other local infections),
#: and the urinary tract infections N10 (acute pyelonephritis), N30.0- (acute cystitis) and
#: N39.0 (urinary tract infection, site not specified). Also the cellulitis and abscess of
#: the sites that the Excludes2 notes of L02 and L03 send elsewhere: anal and rectal region
#: K61, external auditory canal H60.1, eyelid H00.0, female external genital organs N76.4,
#: lacrimal apparatus H04.3, male external genital organs N48.2 and N49, mouth K12.2, nose
#: J34.0 (not L98.2, L98.3 or I89.1, named there as not infections); pyogenic (septic)
#: arthritis M00, osteomyelitis M86 and M46.2 (vertebra); abscess of lung J85 and
#: pyothorax J86
_LOCALIZED = ("J12", "J13", "J14", "J15", "J16", "J18", "L02", "L03", "L08", "N10", "N30.0",
              "N39.0", "K61", "H60.1", "H00.0", "N76.4", "H04.3", "N48.2", "N49", "K12.2",
              "J34.0", "M00", "M86", "M46.2", "J85", "J86")


def _infection(value: str, category: str, title: str) -> int:
    """SEPSIS or LOCALIZED_INFECTION for a code of I.C.1.d.4, else 0."""
    if category in ("A40", "A41") or (value[0] in "AB" and _SEPSIS_TITLE.search(title)):
        return SEPSIS
    if value.startswith(_LOCALIZED):
        return LOCALIZED_INFECTION
    return 0


def _names_manifestation(title: str) -> bool:
    """I.A.13: "in diseases classified elsewhere" (and the variants "in conditions", "in
    disease", "presenting with conditions", "due to disease"); B95-B97 ("as the cause of
    diseases classified elsewhere") are supplementary codes, not manifestations."""
    lower = title.lower()
    return bool(_ELSEWHERE.search(lower)) and not _CAUSE_OF.search(lower)


def _manifestation(code: Code, headings: Sequence[int], known: ReleaseFacts) -> bool:
    """Whether *code* is a manifestation code: its own title or a title above it (at
    tabular positions *headings*) says so."""
    if _names_manifestation(code.title):
        return True
    titles, found = code.release.titles, known.manifestations
    for index in headings:
        names = found.get(index)
        if names is None:
            names = found[index] = _names_manifestation(titles[index])
        if names:
            return True
    return False


def _build(code: Code, known: ReleaseFacts) -> Facts:
    release = code.release
    undotted, title = code.undotted, code.title.lower()
    nodes = release.note_nodes(code)  # the code, the codes above it, its block and chapter
    headings = [release.index_of(node) for node in nodes[1:-2]]  # nearest first
    above = [index for index in headings if index is not None]
    flags = _flags(code, known.edition)
    if _manifestation(code, above, known):
        flags |= MANIFESTATION
    adverse = bool(flags & ADVERSE)
    spans: list[Span] = []
    code_first: list[Note] = []
    open_underlying = False
    for node in reversed(nodes):
        links = _node_links(node, adverse, known)
        if links is not _NO_LINKS:
            spans += links.spans
            code_first += links.code_first
            if links.underlying:
                flags |= UNDERLYING_FIRST
                open_underlying = open_underlying or links.open_underlying
            if links.sequela:
                flags = (flags | SEQUELA) & ~(DEFINITIVE | NATURE)
    if spans:
        flags |= HAS_SPANS
    side_match = _SIDE.search(title)
    side = side_match.group(1) if side_match else ""
    if side:
        flags |= RIGHT if side == "right" else LEFT
    elif "bilateral" in title:
        flags |= BILATERAL
    phase = _phase(undotted, undotted[0])
    if phase:
        flags |= _PHASE_FLAGS[not flags & EXTERNAL, phase]
        if flags & SEQUELA and flags & (INJURY_INITIAL | INJURY_SUBSEQUENT):
            flags |= ACUTE_AND_SEQUELA
    pairs = acuity.acuity_of(undotted, release)
    for _, role in pairs:
        flags |= ACUTE_FORM if role == "acute" else CHRONIC_FORM
    lateral_key = _SIDE.sub("", title) if side else ""
    merged: list[list[int]] = []
    for lo, hi in sorted((span.lo, span.hi) for span in spans if span.lo >= 0):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    by_text = tuple(span for span in spans if span.lo < 0)
    more_specific = _more_specific(code, above) if "unspecified" in title else ()
    if more_specific:
        flags |= UNSPECIFIED
    if not code.is_billable:
        flags |= HEADER
    if "without complication" in title:
        flags |= NO_COMPLICATIONS
    return Facts(
        code=code,
        value=code.value,
        index=code.index,
        undotted=undotted,
        category=undotted[:3],
        stem=known.shared.setdefault(undotted[:6], undotted[:6]),
        flags=flags,
        phase=phase,
        burn_degree=_burn_degree(undotted) if flags & BURN else 0,
        code_first=tuple(code_first),
        open_underlying=open_underlying,
        acuity=pairs,
        side=side,
        lateral_key=lateral_key,
        alike=_once((lateral_key, undotted[:3], undotted[6:]), known) if side else None,
        more_specific=more_specific,
        unspecified_message=(
            f"{code.value} ({code.title}) is unspecified; its category has more specific "
            f"codes, such as {listing(more_specific)}. If the documentation supports one, "
            "query the provider and report it (I.B.2, I.B.18)." if more_specific else ""),
        spans=tuple(spans),
        bounds=tuple(bound for lo, hi in merged for bound in (lo, hi + 1)),
        runs=tuple(tuple(span for span in spans if lo <= span.lo <= hi) for lo, hi in merged),
        by_text=by_text,
        group=code.index >> GROUP,
        reach=_reach(merged, code.index >> GROUP, known),
        near=any(lo >> GROUP <= code.index >> GROUP <= hi >> GROUP for lo, hi in merged),
        owner=known,
    )


def _once(made: tuple[str, str, str], known: ReleaseFacts) -> tuple[str, str, str]:
    """*made*, or the equal tuple made before for *known*."""
    found: tuple[str, str, str] = known.shared.setdefault(made, made)
    return found


def _reach(merged: Sequence[list[int]], own: int, known: ReleaseFacts) -> frozenset[int]:
    """The groups of the runs of positions *merged* but the group *own*, as made once
    for *known*."""
    reach = frozenset(group for lo, hi in merged
                      for group in range(lo >> GROUP, (hi >> GROUP) + 1)) - {own}
    return known.reaches.setdefault(reach, reach) if reach else _NO_GROUPS


def _burn_degree(undotted: str) -> int:
    """The degree of a burn or corrosion of T20-T25: the 4th character 1-3 (burns) or
    5-7 (corrosions)."""
    return {"1": 1, "2": 2, "3": 3, "5": 1, "6": 2, "7": 3}.get(undotted[3], 0)


def _node_links(node: str, adverse: bool, known: ReleaseFacts) -> _NodeLinks:
    """What the linked notes at *node* contribute to the facts of a code below it (an
    adverse effect code, if *adverse*), worked out once per node."""
    found = known.linked.get((node, adverse))
    if found is None:
        notes = known.release.notes_at(node, own_data_only=known.own_data_only)
        found = _links_of(notes, adverse, known) if notes else _NO_LINKS
        found = known.linked.setdefault((node, adverse), found)
    return found


def _links_of(notes: Sequence[Note], adverse: bool, known: ReleaseFacts) -> _NodeLinks:
    """Resolve the references of the Excludes1, 'Code first' and 'Use additional code'
    notes of one node. A note line ending in a colon heads the lines after it; 'Code
    first' lines headed "for adverse effects" apply only to adverse effect codes."""
    release = known.release
    spans: list[Span] = []
    code_first: list[Note] = []
    underlying = open_list = sequela = False
    heading: dict[tuple[str, NoteKind], str] = {}
    for note in notes:
        if note.kind not in _LINKED_KINDS:
            continue
        key = (note.node, note.kind)
        text = note.text.strip()
        lower = text.lower()
        if text.endswith(":"):
            heading[key] = lower
        if note.kind is NoteKind.CODE_FIRST:
            if "adverse effect" in heading.get(key, "") and not adverse:
                continue
            code_first.append(note)
            if _UNDERLYING.search(lower):
                underlying = True
                open_list = open_list or bool(_SUCH_AS.search(lower)) or not note.references
            sequela = sequela or bool(_RESULTING_FROM_SEQUELA.search(lower))
        references = note.references
        if not references and note.kind is not NoteKind.EXCLUDES1:
            references = _named_targets(text, release)
        for reference in references:
            lo, hi = _resolve(reference, known)
            spans.append(Span(lo, hi, note, reference))
    if not spans and not code_first:
        return _NO_LINKS
    return _NodeLinks(tuple(spans), tuple(code_first), underlying, open_list, sequela)


def _named_targets(text: str, release: Release) -> tuple[CodeReference, ...]:
    """The codes a note names in words: categories and chapters by number, and the
    chapters of :data:`_NAMED_CHAPTERS` by name."""
    found: list[CodeReference] = []
    for match in _CATEGORIES.finditer(text):
        found += [CodeReference(code, code, "", match.group(0))
                  for code in _CODE.findall(match.group(1))]
    numbers = [int(number) for number in _CHAPTER.findall(text)]
    lower = text.lower()
    numbers += [number for pattern, number in _NAMED_CHAPTERS if pattern.search(lower)]
    for chapter in release.chapters:
        if chapter.number in numbers:
            found.append(CodeReference(chapter.first, chapter.last, "", str(chapter)))
    return tuple(found)


def _resolve(reference: CodeReference, known: ReleaseFacts) -> tuple[int, int]:
    key = (reference.first, reference.last)
    found = known.resolved.get(key)
    if found is None:
        release = known.release
        first = release.index_of(reference.first)
        last = release.index_of(reference.last)
        if first is None or last is None or first > last:
            found = (-1, -1)
        else:
            found = (first, release.subtree_end(last))
        known.resolved[key] = found
    return found


def _more_specific(code: Code, above: Sequence[int]) -> tuple[str, ...]:
    """Reportable codes near an unspecified *code* whose titles say "unspecified"
    fewer times: those under its parent, else under the next code up, up to the
    category (*above*: the tabular positions of the codes above it, nearest first).
    A code with a 7th character is matched with codes of the same 7th character."""
    release = code.release
    codes, titles, billable = release.undotted_codes, release.titles, release.billable_flags
    seventh = code.undotted[6:] if len(code.undotted) == 7 else ""
    vagueness = code.title.lower().count("unspecified")
    for ancestor in above:
        prefix, index, found = codes[ancestor], ancestor + 1, []
        while index < len(codes) and codes[index].startswith(prefix):
            candidate = codes[index]
            if (billable[index] and candidate[6:] == seventh
                    and titles[index].lower().count("unspecified") < vagueness):
                found.append(dot(candidate))
            index += 1
        if found:
            return tuple(found)
    return ()
