"""What :func:`icd10cm.check` reports: :class:`Finding` values under the :class:`Rule` they cite."""

from __future__ import annotations

import enum

import attrs

__all__ = ["Finding", "Rule", "Severity", "rules"]


class Severity(str, enum.Enum):
    """How much a finding matters: an error makes the claim wrong as coded."""

    ERROR = "error"
    WARNING = "warning"  # probably wrong; depends on documentation or judgement
    INFO = "info"  # worth a look, such as a chance to code more specifically

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Rule:
    """One check. *id* is stable and starts with the Guidelines section it cites
    (``"I.A.13/code-first-order"``); *ordering* says whether reordering the
    diagnoses (:func:`icd10cm.sequence`) can resolve it."""

    id: str
    title: str
    severity: Severity
    ordering: bool

    @property
    def section(self) -> str:
        """The Guidelines section, such as ``"I.A.13"`` or ``"I.C.21.c.16"``."""
        return self.id.partition("/")[0]


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_RULES = (
    Rule("I.B.2/not-reportable", "A code is a header or lacks its 7th character", _E, False),
    Rule("I.B.2/unspecified", "An unspecified code where more specific codes exist", _I, False),
    Rule("I.B.12/duplicate", "The same code is reported more than once", _E, False),
    Rule("I.A.12.a/excludes1", "Two codes that an Excludes1 note keeps apart", _E, False),
    Rule("I.A.13/manifestation-first", "A manifestation code is first-listed", _E, True),
    Rule("I.A.13/underlying-missing", "A manifestation without its underlying condition",
         _I, False),
    Rule("I.A.13/code-first-order", "A code is listed before the code its "
         "'Code first' note asks for", _E, True),
    Rule("I.A.13/use-additional-order", "An additional code is listed before the code "
         "whose 'Use additional code' note asks for it", _W, True),
    Rule("I.B.8/acute-first", "The chronic form is listed before the acute form", _W, True),
    Rule("I.B.9/combination-code", "Acute and chronic forms where one combination "
         "code exists", _W, False),
    Rule("I.B.10/sequela-first", "A sequela code is first-listed before the condition "
         "it caused", _W, True),
    Rule("I.B.10/acute-with-sequela", "The acute and the sequela code of one injury",
         _E, False),
    Rule("I.C.15.a/pregnancy-first", "Pregnancy codes are present but not first", _W, True),
    Rule("I.C.18/symptom-first", "A symptom is first-listed beside a definitive "
         "diagnosis", _W, True),
    Rule("I.C.19.e.5.a/adverse-effect-first", "An adverse effect code is listed before "
         "the nature of the adverse effect", _W, True),
    Rule("I.C.19.e.5.b/poisoning-first", "A poisoning code is present but not first",
         _W, True),
    Rule("I.C.20.a.6/external-cause-first", "An external cause code is first-listed",
         _E, True),
    Rule("I.C.20.a.2/seventh-character", "An external cause's 7th character differs from "
         "its injury's", _W, False),
    Rule("I.C.20.b/place-not-initial", "A place of occurrence code at a later encounter",
         _W, False),
    Rule("I.C.20.d/more-than-one", "More than one place, activity or status code", _W, False),
    Rule("I.C.20.d/after-main-cause", "A place, activity or status code is listed before "
         "the main external cause", _W, True),
    Rule("I.C.21.c.3/bmi-first", "A BMI code (Z68) is first-listed", _E, True),
    Rule("I.C.21.c.3/bmi-in-pregnancy", "A BMI code (Z68) during pregnancy", _E, False),
    Rule("I.C.21.c.7/aftercare-for-injury", "An aftercare Z code beside an injury", _W, False),
    Rule("I.C.21.c.16/first-listed-only", "A first-listed-only Z code is not first",
         _E, True),
    Rule("I.C.21.c.16/more-than-one", "More than one first-listed-only Z code", _E, True),
    Rule("I.A/notes-unavailable", "The release has no Tabular List notes to check against",
         _I, False),
)
RULES = {rule.id: rule for rule in _RULES}


def rules() -> tuple[Rule, ...]:
    """Every rule :func:`icd10cm.check` applies, in the order it applies them."""
    return _RULES


@attrs.frozen
class Finding:
    """One problem, or one opportunity, in an encounter.

    *positions* are 0-based places in the encounter's diagnoses and *codes* the
    codes there; *suggestions* are codes to consider. *message* says in plain
    words what is wrong and what to do. *source_release* is set when the finding
    rests on an instructional note of another release's Tabular List (a release
    without one of its own uses the nearest release's); the message says so too.
    """

    rule: str
    severity: Severity
    positions: tuple[int, ...]
    codes: tuple[str, ...]
    message: str
    suggestions: tuple[str, ...] = ()
    source_release: str | None = None

    @property
    def section(self) -> str:
        """The Guidelines section the rule cites, such as ``"I.A.12.a"``."""
        return self.rule.partition("/")[0]

    @property
    def is_ordering(self) -> bool:
        """Whether the finding is about the order of the codes."""
        return RULES[self.rule].ordering

    def __str__(self) -> str:
        return f"{self.severity} {self.rule}: {self.message}"
