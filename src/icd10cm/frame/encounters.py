"""Check a long claims table, one row per diagnosis, encounter by encounter.

Each library's module factorises the table's columns (:class:`Column`: an
integer id per row and the distinct values) and builds its tables from the
columns this module returns. Everything per row here is vectorised with numpy:
sorting the rows into encounters, the release of each encounter, the code of
each row (each distinct code text is parsed once per release), and the checks
of the rows themselves. What remains per encounter is building it and calling
:func:`icd10cm.check` and :func:`icd10cm.sequence`. Importing this module
imports numpy.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from datetime import date

import attrs
import numpy as np
import numpy.typing as npt

from icd10cm.codes.parse import parse_code
from icd10cm.codes.validate import Status, Validation, validate
from icd10cm.core.code import Code
from icd10cm.core.release import Release
from icd10cm.encounters.checks import check
from icd10cm.encounters.encounter import Encounter, PresentOnAdmission, Setting
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.sequencing import Move, sequence
from icd10cm.errors import Icd10cmError, MissingColumnError
from icd10cm.frame.claims import rules
from icd10cm.releases.registry import ReleaseLike, resolve, resolve_release

__all__ = ["Claims", "Column", "FindingRows", "OrderRows", "check_claims", "claims_of"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]

_NO_POSITION = np.iinfo(np.int64).max  # sorts after every position
_MEMO_CODES = 4  # encounters of at most this many diagnoses are memoised within a call
_MEMO_LIMIT = 100_000  # distinct encounters memoised per call, at most
_SEVERITY = {rule.id: rule.severity.value for rule in rules()}
_NOT_CHECKED = " The encounter was not checked against the Guidelines."


@attrs.frozen
class Column:
    """One column of the table, factorised: row *i* holds ``values[ids[i]]``, or a
    null where ``ids[i]`` is -1. *name* is the column's name in the table."""

    name: str
    ids: Ints
    values: Sequence[object]


@attrs.frozen
class Claims:
    """The columns :func:`check_claims` reads; the optional ones may be None."""

    encounter: Column
    code: Column
    position: Column
    setting: Column | None = None
    date: Column | None = None
    poa: Column | None = None


@attrs.frozen
class FindingRows:
    """The findings table, column by column. *row* holds, for each finding, an input
    row of its encounter (for a row without an encounter id, that row): the tables
    take the encounter id from there, in the input's own type."""

    row: Ints
    rule: list[str]
    severity: list[str]
    positions: list[tuple[int, ...]]
    codes: list[tuple[str, ...]]
    message: list[str]
    suggestions: list[tuple[str, ...]]
    release: list[str | None]
    source_release: list[str | None]


@attrs.frozen
class OrderRows:
    """The order table, column by column: for each diagnosis of each checked
    encounter, an input *row* of the encounter, its *position* in the suggested
    order, its *code*, the position it had (*from_position*) and the rule that
    moved it (None where none did)."""

    row: Ints
    position: Ints
    code: Objects
    from_position: Ints
    rule: Objects


class _Findings:
    """The findings table as it grows."""

    def __init__(self) -> None:
        self.row: list[int] = []
        self.rule: list[str] = []
        self.severity: list[str] = []
        self.positions: list[tuple[int, ...]] = []
        self.codes: list[tuple[str, ...]] = []
        self.message: list[str] = []
        self.suggestions: list[tuple[str, ...]] = []
        self.release: list[str | None] = []
        self.source_release: list[str | None] = []

    def add(self, row: int, rule: str, positions: tuple[int, ...],
            codes: tuple[str, ...], message: str, release: str | None,
            suggestions: tuple[str, ...] = ()) -> None:
        self.row.append(row)
        self.rule.append(rule)
        self.severity.append(_SEVERITY[rule])
        self.positions.append(positions)
        self.codes.append(codes)
        self.message.append(message)
        self.suggestions.append(suggestions)
        self.release.append(release)
        self.source_release.append(release)

    def rows(self) -> FindingRows:
        return FindingRows(np.array(self.row, dtype=np.int64), self.rule, self.severity,
                           self.positions, self.codes, self.message, self.suggestions,
                           self.release, self.source_release)


# --- the values of the columns ---------------------------------------------------------------


def _position(value: object) -> int | None:
    """A whole-number position (an integer, a float such as 2.0, or digits), else None."""
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)  # type: ignore[arg-type]  # int, numpy integers
    except TypeError:
        pass
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    return None


def _setting(value: object) -> Setting | None:
    if isinstance(value, str):
        try:
            return Setting(value.strip().lower())
        except ValueError:
            return None
    return None


def _indicator(value: object) -> PresentOnAdmission | None:
    if isinstance(value, str):
        try:
            return PresentOnAdmission(value.strip().upper())
        except ValueError:
            return None
    if isinstance(value, int) and not isinstance(value, bool) and value == 1:
        return PresentOnAdmission.EXEMPT  # a column of numbers and nulls: 1 is exempt
    return None


def _diagnosis(value: object, release: Release) -> Code | Validation:
    """The code *value* names in *release*, or the verdict on why it names none."""
    if isinstance(value, str):
        code = release.get(value)
        if code is not None:
            return code
        try:
            return parse_code(value, release=release)
        except Icd10cmError:
            pass
    return validate(value, release=release)  # type: ignore[arg-type]


def _table(column: Column, convert: Callable[[object], object]) -> Objects:
    """The converted value of each distinct value, and None last: index it with ids."""
    table = np.empty(len(column.values) + 1, dtype=object)  # the last one: null rows (id -1)
    table[:-1] = [convert(value) for value in column.values]
    table[-1] = None
    return table


def _is_none(table: Objects) -> Bools:
    return np.array([item is None for item in table.tolist()], dtype=bool)


def _shown(value: object) -> str:
    return value if isinstance(value, str) else repr(value)


# --- the encounters ---------------------------------------------------------------------------


@attrs.frozen
class _Groups:
    """The rows sorted into encounters: ``rows[starts[k]:starts[k + 1]]`` are the rows of
    the k-th encounter, by position."""

    rows: Ints
    starts: Ints  # one more than there are encounters: the last is len(rows)

    @property
    def count(self) -> int:
        return len(self.starts) - 1

    def first(self, per_row: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        """The value of each encounter's first row."""
        return per_row[self.starts[:-1]]

    def any(self, per_row: Bools) -> Bools:
        """Whether any row of each encounter is true."""
        if self.count == 0:
            return np.zeros(0, dtype=bool)
        found: Bools = np.logical_or.reduceat(per_row, self.starts[:-1])
        return found

    def varies(self, ids: Ints) -> Bools:
        """Whether an encounter's rows hold more than one id (a null counts as one)."""
        if self.count == 0:
            return np.zeros(0, dtype=bool)
        low = np.minimum.reduceat(ids, self.starts[:-1])
        high = np.maximum.reduceat(ids, self.starts[:-1])
        varies: Bools = low != high
        return varies


def _groups(encounters: Ints, positions: Ints) -> _Groups:
    kept = np.flatnonzero(encounters >= 0)
    rows = kept[np.lexsort((positions[kept], encounters[kept]))]
    sorted_ids = encounters[rows]
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]) if len(rows) else \
        np.zeros(0, dtype=np.int64)
    return _Groups(rows.astype(np.int64), np.r_[starts, len(rows)].astype(np.int64))


@attrs.frozen
class _Releases:
    """The release of each encounter: *releases* (None where the date of service gives
    none) and, per encounter, the index of its release and its date of service."""

    releases: list[Release | None]
    problems: list[tuple[str, ...]]
    of_encounter: Ints
    days: list[date | None]


def _releases(claims: Claims, groups: _Groups, release: ReleaseLike | None) -> _Releases:
    named = None if release is None else resolve_release(release)  # a bad release= raises
    if claims.date is None:
        base = resolve_release(named)
        count = groups.count
        return _Releases([base], [()], np.zeros(count, dtype=np.int64), [None] * count)
    column = claims.date
    releases: list[Release | None] = []
    problems: list[tuple[str, ...]] = []
    days: list[date | None] = []
    for value in column.values:
        found = resolve(named, date_of_service=value)  # type: ignore[arg-type]
        releases.append(found.release if not found.problems else None)
        problems.append(found.problems)
        days.append(found.date_of_service)
    releases.append(None)  # rows without a date (id -1)
    problems.append((f"no date of service (column {column.name!r} is empty): fill it in, or "
                     "check the table without date= to use one release for every "
                     "encounter",))
    days.append(None)
    first = groups.first(column.ids[groups.rows]).astype(np.int64)
    first[first < 0] = len(column.values)
    return _Releases(releases, problems, first, [days[i] for i in first.tolist()])


@attrs.frozen
class _Rows:
    """Per sorted row: the diagnosis (a Code, or the Validation of a code that is none),
    whether it is a Code, and its dotted value."""

    diagnoses: Objects
    parsed: Bools
    values: Objects


def _rows(claims: Claims, groups: _Groups, found: _Releases) -> _Rows:
    ids = claims.code.ids[groups.rows]
    sizes = np.diff(groups.starts)
    of_row = np.repeat(found.of_encounter, sizes)
    diagnoses = np.empty(len(ids), dtype=object)
    parsed = np.zeros(len(ids), dtype=bool)
    values = np.empty(len(ids), dtype=object)
    distinct = claims.code.values
    for index, release in enumerate(found.releases):
        if release is None:
            continue
        chosen = np.flatnonzero(of_row == index) if len(found.releases) > 1 else \
            np.arange(len(ids))
        mine = ids[chosen]
        table = np.empty(len(distinct) + 1, dtype=object)  # the last one: null codes (id -1)
        for code_id in np.unique(mine[mine >= 0]).tolist():
            table[code_id] = _diagnosis(distinct[code_id], release)
        is_code = np.array([isinstance(item, Code) for item in table], dtype=bool)
        dotted = np.array([item.value if isinstance(item, Code) else None for item in table],
                          dtype=object)
        diagnoses[chosen] = table[mine]
        parsed[chosen] = is_code[mine]
        values[chosen] = dotted[mine]
    return _Rows(diagnoses, parsed, values)


# --- the check ----------------------------------------------------------------------------------


def check_claims(claims: Claims, *, release: ReleaseLike | None = None,
                 own_data_only: bool = False) -> tuple[FindingRows, OrderRows]:
    """Check every encounter of *claims*; see :func:`icd10cm.frame.check`."""
    position_of = _table(claims.position, _position)
    missing_position = _is_none(position_of)[claims.position.ids]
    position_of[_is_none(position_of)] = _NO_POSITION
    positions = position_of.astype(np.int64)[claims.position.ids]
    out = _Findings()
    groups = _groups(claims.encounter.ids, positions)
    found = _releases(claims, groups, release)
    rows = _rows(claims, groups, found)
    sorted_positions = positions[groups.rows]
    missing = missing_position[groups.rows]
    same = (sorted_positions[1:] == sorted_positions[:-1]) & ~missing[1:]
    is_start = np.zeros(len(groups.rows) + 1, dtype=bool)
    is_start[groups.starts] = True
    same &= ~is_start[1:-1]
    duplicate = np.zeros(len(groups.rows), dtype=bool)
    duplicate[1:] |= same
    duplicate[:-1] |= same
    row_bad = ~rows.parsed | missing | duplicate
    bad = groups.any(row_bad)
    bad |= np.array([r is None for r in found.releases], dtype=bool)[found.of_encounter]
    settings = indicators = None
    inpatient = np.zeros(len(groups.rows), dtype=bool)
    if claims.setting is not None:
        table = _table(claims.setting, _setting)
        ids = claims.setting.ids[groups.rows]
        settings = table[ids]
        bad |= groups.any(_is_none(table)[ids])
        bad |= groups.varies(ids)
        inpatient = np.array([item is Setting.INPATIENT for item in table.tolist()])[ids]
    if claims.date is not None:
        bad |= groups.varies(claims.date.ids[groups.rows])
    if claims.poa is not None:
        table = _table(claims.poa, _indicator)
        ids = claims.poa.ids[groups.rows]
        indicators = table[ids]
        given = ids >= 0
        bad |= groups.any(given & (_is_none(table)[ids] | ~inpatient))
    context = _Context(claims, groups, found, rows, sorted_positions, out)
    order = context.check_all(bad, missing, duplicate, settings, indicators, own_data_only)
    for index in np.flatnonzero(claims.encounter.ids < 0).tolist():
        context.orphan(index, int(positions[index]))
    return out.rows(), order


@attrs.define
class _Context:
    """What :func:`check_claims` works with, and the findings it writes."""

    claims: Claims
    groups: _Groups
    found: _Releases
    rows: _Rows
    positions: Ints  # per sorted row; _NO_POSITION where missing
    out: _Findings

    def _first_row(self, encounter: int) -> int:
        return int(self.groups.rows[self.groups.starts[encounter]])

    def _text(self, row: int) -> str | None:
        """The code of a sorted row as shown in findings: dotted, or the text as given."""
        value = self.rows.values[row]
        if value is not None:
            return str(value)
        code_id = int(self.claims.code.ids[self.groups.rows[row]])
        return None if code_id < 0 else _shown(self.claims.code.values[code_id])

    def _where(self, rows: Sequence[int]) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The positions (those there are) and codes (those there are) of sorted rows."""
        positions = tuple(int(self.positions[r]) for r in rows
                          if self.positions[r] != _NO_POSITION)
        codes = tuple(text for r in rows if (text := self._text(r)) is not None)
        return positions, codes

    def orphan(self, index: int, position: int) -> None:
        """The finding on an input row without an encounter id."""
        code_id = int(self.claims.code.ids[index])
        code = () if code_id < 0 else (_shown(self.claims.code.values[code_id]),)
        place = () if position == _NO_POSITION else (int(position),)
        self.out.add(index, "frame/missing-encounter", place, code,
                     f"This row has no encounter id (column {self.claims.encounter.name!r} is "
                     "empty), so it belongs to no encounter and was not checked: fill it in.",
                     None)

    def explain(self, encounter: int, missing: Bools, duplicate: Bools,
                settings: Objects | None, indicators: Objects | None) -> None:
        """The findings on an encounter that cannot be checked: what is wrong with its rows."""
        start, end = int(self.groups.starts[encounter]), int(self.groups.starts[encounter + 1])
        ident = self._first_row(encounter)
        release_index = int(self.found.of_encounter[encounter])
        release = self.found.releases[release_index]
        release_id = None if release is None else release.id
        claims, add = self.claims, self.out.add

        def row_finding(rule: str, rows: Sequence[int], message: str,
                        suggestions: tuple[str, ...] = ()) -> None:
            positions, codes = self._where(rows)
            add(ident, rule, positions, codes, message + _NOT_CHECKED, release_id, suggestions)

        if release is None:
            row_finding("frame/invalid-date", range(start, end),
                        "; ".join(self.found.problems[release_index]).rstrip(".") + ".")
        if claims.date is not None:
            self._mixed("frame/mixed-date", claims.date, start, end, row_finding,
                        "dates of service", "an encounter has one date of service (the "
                        "discharge date for an inpatient stay)")
        if claims.setting is not None and settings is not None:
            self._mixed("frame/mixed-setting", claims.setting, start, end, row_finding,
                        "settings", "an encounter has one setting")
            self._invalid("frame/invalid-setting", claims.setting, settings, start, end,
                          row_finding, "'inpatient' or 'outpatient'")
        if claims.poa is not None and indicators is not None:
            self._invalid("frame/invalid-poa", claims.poa, indicators, start, end, row_finding,
                          "Y, N, U, W or 1 (exempt); leave it empty where there is none")
            inpatient = settings is not None and settings[start] is Setting.INPATIENT
            given = [r for r in range(start, end)
                     if claims.poa.ids[self.groups.rows[r]] >= 0]
            if given and not inpatient:
                row_finding("frame/invalid-poa", given,
                            "present-on-admission indicators are reported for inpatient stays "
                            "only: give the encounter the setting 'inpatient', or leave the "
                            f"column {claims.poa.name!r} empty for it.")
        for row in range(start, end):
            if missing[row]:
                raw = claims.position.ids[self.groups.rows[row]]
                what = "is empty" if raw < 0 else \
                    f"holds {_shown(claims.position.values[raw])}, not a whole number"
                row_finding("frame/missing-position", [row],
                            f"This row has no position (column {claims.position.name!r} "
                            f"{what}): give each diagnosis its place in the encounter.")
            if claims.code.ids[self.groups.rows[row]] < 0:
                row_finding("frame/missing-code", [row],
                            f"This row has no code (column {claims.code.name!r} is empty): "
                            "fill it in or drop the row.")
            elif release is not None and not self.rows.parsed[row]:
                self._bad_code(row, self.rows.diagnoses[row], row_finding)
        rows = [r for r in range(start, end) if duplicate[r]]
        for value in dict.fromkeys(int(self.positions[r]) for r in rows):
            same = [r for r in rows if self.positions[r] == value]
            codes = ", ".join(t for r in same if (t := self._text(r)) is not None)
            row_finding("frame/duplicate-position", same,
                        f"{len(same)} rows have position {value} ({codes}): give each "
                        "diagnosis a position of its own.")

    @staticmethod
    def _bad_code(row: int, diagnosis: object, row_finding: Callable[..., None]) -> None:
        assert isinstance(diagnosis, Validation)
        rule = {Status.MISSING: "frame/missing-code",
                Status.MALFORMED: "frame/malformed-code"}.get(diagnosis.status,
                                                              "frame/unknown-code")
        row_finding(rule, [row], diagnosis.message.rstrip(".") + ".", diagnosis.suggestions)

    def _mixed(self, rule: str, column: Column, start: int, end: int,
               row_finding: Callable[..., None], what: str, why: str) -> None:
        ids = column.ids[self.groups.rows[start:end]].tolist()
        if len(set(ids)) > 1:
            shown = ", ".join("empty" if i < 0 else _shown(column.values[i])
                              for i in dict.fromkeys(ids))
            row_finding(rule, range(start, end),
                        f"The rows give different {what} ({shown}; column {column.name!r}): "
                        f"{why}; correct the rows.")

    def _invalid(self, rule: str, column: Column, converted: Objects, start: int, end: int,
                 row_finding: Callable[..., None], allowed: str) -> None:
        bad: dict[int, list[int]] = {}
        for row in range(start, end):
            raw = int(column.ids[self.groups.rows[row]])
            if converted[row] is None and (raw >= 0 or rule != "frame/invalid-poa"):
                bad.setdefault(raw, []).append(row)
        for raw, rows in bad.items():
            what = "is empty" if raw < 0 else f"holds {_shown(column.values[raw])}"
            row_finding(rule, rows, f"Column {column.name!r} {what}: it takes {allowed}.")

    # --- the encounters that are checked ------------------------------------------------

    def check_all(self, bad: Bools, missing: Bools, duplicate: Bools,
                  settings: Objects | None, indicators: Objects | None,
                  own_data_only: bool) -> OrderRows:
        """Explain each encounter that is *bad*, check and sequence every other one, in
        order; returns the order table."""
        groups, found, out = self.groups, self.found, self.out
        diagnoses = self.rows.diagnoses.tolist()
        code_ids = self.claims.code.ids[groups.rows].tolist()
        positions = self.positions.tolist()
        starts = groups.starts.tolist()
        setting_list = None if settings is None else settings.tolist()
        indicator_list = None if indicators is None else indicators.tolist()
        release_ids = [None if r is None else r.id for r in found.releases]
        of_encounter = found.of_encounter.tolist()
        idents = groups.rows[groups.starts[:-1]].tolist()
        permutation = np.arange(len(groups.rows), dtype=np.int64)
        moved_by = np.full(len(groups.rows), None, dtype=object)
        memo: dict[tuple[object, ...], _Checked | Icd10cmError] = {}
        failed: list[int] = []  # encounters that make no Encounter: not in the order table
        default_setting = Setting.OUTPATIENT
        good = np.flatnonzero(~bad)
        for encounter, cannot in enumerate(bad.tolist()):
            if cannot:
                self.explain(encounter, missing, duplicate, settings, indicators)
                continue
            start, end = starts[encounter], starts[encounter + 1]
            setting = default_setting if setting_list is None else setting_list[start]
            poa = None
            if indicator_list is not None:
                poa = tuple(indicator_list[start:end])
                if not any(poa):
                    poa = None
            release_index = of_encounter[encounter]
            # The Guidelines checks read the codes, the setting and the indicators; the
            # date of service only chooses the release.
            key = (release_index, setting, poa, *code_ids[start:end])
            result = memo.get(key)
            if result is None:
                result = _check(tuple(diagnoses[start:end]), setting,
                                found.days[encounter], poa, own_data_only)
                if end - start <= _MEMO_CODES and len(memo) < _MEMO_LIMIT:
                    memo[key] = result
            ident, release_id = idents[encounter], release_ids[release_index]
            if isinstance(result, Icd10cmError):
                where = tuple(positions[start:end])
                codes = tuple(str(d) for d in diagnoses[start:end])
                out.add(ident, "frame/invalid-encounter", where, codes,
                        str(result).rstrip(".") + "." + _NOT_CHECKED, release_id)
                failed.append(encounter)
                continue
            for finding in result.findings:
                out.row.append(ident)
                out.rule.append(finding.rule)
                out.severity.append(finding.severity.value)
                out.positions.append(tuple(positions[start + p] for p in finding.positions))
                out.codes.append(finding.codes)
                out.message.append(finding.message)
                out.suggestions.append(finding.suggestions)
                out.release.append(release_id)
                out.source_release.append(finding.source_release or release_id)
            if result.order is not None:
                permutation[start:end] = [start + p for p in result.order]
            for move in result.moves:
                moved_by[start + move.to_position] = move.rule
        return self._order(good, failed, permutation, moved_by)

    def _order(self, good: Ints, failed: list[int], permutation: Ints,
               moved_by: Objects) -> OrderRows:
        groups = self.groups
        checked = np.zeros(groups.count, dtype=bool)
        checked[good] = True
        checked[failed] = False
        rows = np.flatnonzero(np.repeat(checked, np.diff(groups.starts)))
        source = permutation[rows]
        return OrderRows(
            row=groups.rows[rows],
            position=self.positions[rows],
            code=self.rows.values[source],
            from_position=self.positions[source],
            rule=moved_by[rows],
        )


@attrs.frozen
class _Checked:
    """What check and sequence say of one encounter: *order* is None when it stays."""

    findings: tuple[Finding, ...]
    order: tuple[int, ...] | None
    moves: tuple[Move, ...]


def _check(diagnoses: tuple[Code, ...], setting: Setting, day: date | None,
           poa: tuple[PresentOnAdmission | None, ...] | None,
           own_data_only: bool) -> _Checked | Icd10cmError:
    try:
        encounter = Encounter(diagnoses, setting, day, poa)
        findings = check(encounter, own_data_only=own_data_only)
        sequencing = sequence(encounter, own_data_only=own_data_only)
    except Icd10cmError as error:  # bad data makes a finding; one encounter never stops all
        return error
    order = sequencing.order if sequencing.changed else None
    return _Checked(findings, order, sequencing.moves)


def claims_of(names: dict[str, str | None], available: Sequence[object],
              column: Callable[[str], Column]) -> Claims:
    """The :class:`Claims` of a table whose columns are *available*: *names* maps each
    role (``encounter``, ``code``, ``position``, ``setting``, ``date``, ``poa``) to the
    column that holds it (None: not given), and *column* factorises one column.

    Raises :class:`~icd10cm.MissingColumnError` naming every column the table lacks.
    """
    missing = [(role, name) for role, name in names.items()
               if name is not None and name not in available]
    if missing:
        raise MissingColumnError(missing, available)
    made = {role: column(name) for role, name in names.items() if name is not None}
    return Claims(made["encounter"], made["code"], made["position"], made.get("setting"),
                  made.get("date"), made.get("poa"))
