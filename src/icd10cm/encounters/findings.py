"""What :func:`icd10cm.check` reports: :class:`Finding` values under the rule they cite."""

from __future__ import annotations

import attrs

from icd10cm.encounters.rules import Severity, rule_by_id

__all__ = ["Finding", "make_finding"]


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
        return rule_by_id(self.rule).ordering

    def __str__(self) -> str:
        return f"{self.severity} {self.rule}: {self.message}"


_SET = {name: vars(Finding)[name].__set__ for name in attrs.fields_dict(Finding)}
_set_rule, _set_severity, _set_positions, _set_codes = (
    _SET["rule"], _SET["severity"], _SET["positions"], _SET["codes"])
_set_message, _set_suggestions, _set_source = (
    _SET["message"], _SET["suggestions"], _SET["source_release"])
_new = object.__new__


def make_finding(rule: str, severity: Severity, positions: tuple[int, ...],
                 codes: tuple[str, ...], message: str, suggestions: tuple[str, ...] = (),
                 source_release: str | None = None) -> Finding:
    """``Finding(...)`` for the engine, which makes many: the same value, without the
    generic ``__init__`` (the arguments are of the declared types already)."""
    made = _new(Finding)
    _set_rule(made, rule)
    _set_severity(made, severity)
    _set_positions(made, positions)
    _set_codes(made, codes)
    _set_message(made, message)
    _set_suggestions(made, suggestions)
    _set_source(made, source_release)
    return made
