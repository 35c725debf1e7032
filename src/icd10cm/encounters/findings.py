"""What :func:`icd10cm.check` reports: :class:`Finding` values under the rule they cite."""

from __future__ import annotations

import attrs

from icd10cm.encounters.rules import Severity, rule_by_id

__all__ = ["Finding"]


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
