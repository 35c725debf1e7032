"""What :func:`icd10cm.frame.check` returns, and the rules of its bad-row findings.

Nothing here imports a data frame library or numpy: :mod:`icd10cm.frame` exports
these names, and the per-library modules build the tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from icd10cm.encounters.rules import Rule, Severity

__all__ = ["FINDING_COLUMNS", "ORDER_COLUMNS", "CheckedTable", "rules"]

#: The columns of the findings table, after the encounter id column (named
#: ``encounter``, whatever the input's encounter column is named).
FINDING_COLUMNS = ("rule", "severity", "positions", "codes", "message", "suggestions",
                   "release", "source_release")
#: The columns of the order table, after the encounter id column (``encounter``).
ORDER_COLUMNS = ("position", "code", "from_position", "rule")

_E = Severity.ERROR
_RULES = (
    Rule("frame/missing-encounter", "A row has no encounter id", _E),
    Rule("frame/mixed-encounter-id", "The rows of an encounter give ids that are equal but "
         "different values (1, 1.0, True)", _E),
    Rule("frame/missing-code", "A row has no code", _E),
    Rule("frame/malformed-code", "A row's code is not shaped like an ICD-10-CM code", _E),
    Rule("frame/unknown-code", "A row's code is not a code of the encounter's release", _E),
    Rule("frame/missing-position", "A row has no position, or one that is not a whole number", _E),
    Rule("frame/duplicate-position", "Two rows of an encounter have the same position", _E),
    Rule("frame/invalid-setting", "A setting that is not 'inpatient' or 'outpatient'", _E),
    Rule("frame/mixed-setting", "The rows of an encounter give different settings", _E),
    Rule("frame/invalid-date", "A date of service that is missing, not a date, or not covered "
         "by the release", _E),
    Rule("frame/mixed-date", "The rows of an encounter give different dates of service", _E),
    Rule("frame/invalid-poa", "A present-on-admission indicator that is not Y, N, U, W or 1, "
         "or one on an outpatient encounter", _E),
    Rule("frame/invalid-encounter", "The rows make no valid encounter for another reason", _E),
)


def rules() -> tuple[Rule, ...]:
    """The rules of the findings that :func:`icd10cm.frame.check` makes of bad rows.

    Their ids start with ``frame/``, where the Guidelines rules of
    :func:`icd10cm.rules` start with a Guidelines section. An encounter with
    such a finding is not checked against the Guidelines and has no suggested
    order; every other encounter of the table is checked as usual.
    """
    return _RULES


@attrs.frozen
class CheckedTable:
    """The two tables :func:`icd10cm.frame.check` returns, of the input's library.

    *findings* has one row per finding; *order* one row per diagnosis of each
    encounter that was checked, in the suggested order. Unpacks as
    ``findings, order = icd10cm.frame.check(...)``.
    """

    findings: Any
    order: Any

    def __iter__(self) -> Iterator[Any]:
        return iter((self.findings, self.order))
