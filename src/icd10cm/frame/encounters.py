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

import itertools
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from icd10cm.codes.validate import Status, Validation, validate
from icd10cm.core.code import Code
from icd10cm.core.release import Release
from icd10cm.encounters.analysis import analyse_once
from icd10cm.encounters.checks import findings_of
from icd10cm.encounters.encounter import (
    Encounter,
    PresentOnAdmission,
    Setting,
    unchecked_encounter,
)
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.rules import Severity
from icd10cm.encounters.sequencing import moved
from icd10cm.errors import (
    QUOTE_LIMIT,
    DuplicateColumnError,
    Icd10cmError,
    MissingColumnError,
    quote,
)
from icd10cm.frame.claims import rules
from icd10cm.releases.registry import ReleaseLike, as_date, resolve, resolve_release

__all__ = ["SEVERITIES", "Claims", "Column", "FindingRows", "OrderRows", "blanks_as_nulls",
           "check_claims", "claims_of", "distinct", "flattened", "same_days"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]
_T = TypeVar("_T")

_NO_POSITION = np.iinfo(np.int64).max  # sorts after every position
_LOWEST = np.iinfo(np.int64).min
# \d: the decimal digits int() reads; "2.0" or "2.00": a float column written as text
_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?").fullmatch
_REQUIRED = ("encounter", "code", "position")  # the roles of claims_of that need a column
_MEMO_CODES = 4  # encounters of at most this many diagnoses are memoised within a call
_MEMO_LIMIT = 100_000  # distinct encounters memoised per call, at most
_FLUSH = 64  # findings kept as Finding objects before they become columns (see _Out)
_RULES = {rule.id: rule for rule in rules()}
#: The severities, in the order of the severity codes of :class:`FindingRows`.
SEVERITIES = tuple(severity.value for severity in Severity)
# The code of each severity, by the member's id: an Enum member hashes in Python, slowly.
_SEVERITY_CODE = {id(severity): code for code, severity in enumerate(Severity)}
_NONE = np.array(None, dtype=object)  # compared with a column of text and None, in C
_NOT_CHECKED = " The encounter was not checked against the Guidelines."


@attrs.frozen
class Column:
    """One column of the table, factorised: row *i* holds ``values[ids[i]]``, or a
    null where ``ids[i]`` is -1. *name* is the column's name in the table. *variants*:
    for an encounter column, the ids whose cells are equal in Python but of different
    kinds (``1``, ``1.0``, ``True``), with a cell of each (see :mod:`icd10cm.frame.ids`)."""

    name: str
    ids: Ints
    values: Sequence[object]
    variants: Mapping[int, tuple[object, ...]] = attrs.field(factory=dict)


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
    take the encounter id from there, in the input's own type. The positions of
    finding *i* are ``position_values[position_offsets[i]:position_offsets[i + 1]]``
    (the layout of an Arrow list column); :meth:`positions` gives them as tuples."""

    row: Ints
    rule: list[str]
    severity: npt.NDArray[np.int8]  # the index of each finding's severity in SEVERITIES
    position_values: Ints
    position_offsets: Ints
    codes: list[tuple[str, ...]]
    message: list[str]
    suggestions: list[tuple[str, ...]]
    release: list[str | None]
    source_release: list[str | None]

    def positions(self) -> list[tuple[int, ...]]:
        """The positions of each finding."""
        values = self.position_values.tolist()
        return [tuple(values[start:end]) for start, end
                in itertools.pairwise(self.position_offsets.tolist())]


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


# --- the values of the columns ---------------------------------------------------------------


def _whole(value: object) -> int | None:
    """A whole number (an integer, a float such as 2.0, a Decimal such as 2.00 from a
    database's NUMERIC column, or digits, with zeros after a dot or not), else None."""
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)  # type: ignore[arg-type]  # int, numpy integers
    except TypeError:
        pass
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else None
    if isinstance(value, str) and _WHOLE(value.strip()):
        return int(value.partition(".")[0])
    return None


def _position(value: object) -> int | None:
    """A whole number that an int64 holds (its largest marks an empty position), else None."""
    whole = _whole(value)
    return whole if whole is not None and _LOWEST <= whole < _NO_POSITION else None


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
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 1:
        return PresentOnAdmission.EXEMPT  # a column of numbers and nulls (floats in pandas)
    return None


def _day(value: object) -> date | None:
    try:
        return as_date(value)  # type: ignore[arg-type]
    except Icd10cmError:
        return None


def _diagnosis(value: object, release: Release) -> Code | Validation:
    """The code *value* names in *release*, or the verdict on why it names none."""
    if isinstance(value, str):
        code = release.get(value)
        if code is not None:
            return code
    verdict = validate(value, release=release)  # type: ignore[arg-type]  # memoised
    code = None if verdict.code is None else release.get(verdict.code)
    return verdict if code is None else code


def _table(column: Column, convert: Callable[[object], object]) -> Objects:
    """The converted value of each distinct value, and None last: index it with ids."""
    table = np.empty(len(column.values) + 1, dtype=object)  # the last one: null rows (id -1)
    table[:-1] = [convert(value) for value in column.values]
    table[-1] = None
    return table


def _is_none(table: Objects) -> Bools:
    return np.array([item is None for item in table.tolist()], dtype=bool)


def _shown(value: object) -> str:
    """A value as findings show it: text as it is (cut if very long), else its repr."""
    if isinstance(value, str) and len(value) <= QUOTE_LIMIT:
        return value
    return quote(value)


def blanks_as_nulls(column: Column) -> Column:
    """*column* with its blank texts (empty, or only spaces) as empty cells."""
    blank = [isinstance(value, str) and not value.strip() for value in column.values]
    if not any(blank):
        return column
    null = np.array([*blank, True])  # the last one: the empty cells (id -1)
    return attrs.evolve(column, ids=np.where(null[column.ids], -1, column.ids))


def _same(column: Column, convert: Callable[[object], object]) -> Column:
    """*column* with one id for the values that *convert* makes the same value (not
    None): the id of the first of them."""
    first: dict[object, int] = {}
    ids = [index if (value := convert(raw)) is None else first.setdefault(value, index)
           for index, raw in enumerate(column.values)]
    if ids == list(range(len(ids))):
        return column
    return attrs.evolve(column, ids=np.array([*ids, -1], dtype=np.int64)[column.ids])


def same_days(column: Column) -> Column:
    """A column of dates of service with blank texts as empty cells, and one id for the
    values that give the same day (``"2025-06-30"``, ``date(2025, 6, 30)`` and a
    datetime on that day)."""
    return _same(blanks_as_nulls(column), _day)


def _normalised(claims: Claims) -> Claims:
    """*claims* with blank texts as empty cells (but the codes and positions, whose
    findings say what they hold), and one id for the settings or dates of service that
    say the same in other words (``"Inpatient"`` and ``"inpatient "``; ``"2025-06-30"``
    and a datetime on that day), so that they are not mixed."""
    setting, day, poa = claims.setting, claims.date, claims.poa
    return attrs.evolve(
        claims, encounter=blanks_as_nulls(claims.encounter),
        setting=None if setting is None else _same(blanks_as_nulls(setting), _setting),
        date=None if day is None else same_days(day),
        poa=None if poa is None else blanks_as_nulls(poa))


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
    ids, places = encounters[kept], positions[kept]
    step = ids[1:] - ids[:-1]
    if np.all((step > 0) | ((step == 0) & (places[1:] >= places[:-1]))):
        rows = kept  # sorted already (as lexsort, which is stable, would leave them)
    else:
        rows = kept[np.lexsort((places, ids))]
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

    def shared(self) -> Ints:
        """For each entry of *releases*, the first entry with the same release (itself
        where it has none): a date column holds many dates of one release, and the work
        per release (each code read, each encounter memoised) is done once for them."""
        first: dict[str, int] = {}
        return np.array([index if release is None else first.setdefault(release.id, index)
                         for index, release in enumerate(self.releases)], dtype=np.int64)


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
    shared = found.shared()
    one = len(found.releases) == 1
    of_row = None if one else np.repeat(shared[found.of_encounter], np.diff(groups.starts))
    diagnoses = np.empty(len(ids), dtype=object)
    parsed = np.zeros(len(ids), dtype=bool)
    values = np.empty(len(ids), dtype=object)
    distinct = claims.code.values
    for index in np.unique(shared).tolist():  # once per release, not per date
        release = found.releases[index]
        if release is None:
            continue
        chosen = None if of_row is None else np.flatnonzero(of_row == index)
        mine = ids if chosen is None else ids[chosen]
        used = np.zeros(len(distinct) + 1, dtype=bool)  # the last one: null codes (id -1)
        used[mine] = True  # a null code (-1) marks the last one
        read = np.flatnonzero(used[:-1])
        made = [_diagnosis(value, release) for value in map(distinct.__getitem__, read.tolist())]
        table = np.full(len(used), None, dtype=object)
        is_code = np.zeros(len(used), dtype=bool)
        dotted = np.full(len(used), None, dtype=object)
        table[read] = np.fromiter(made, dtype=object, count=len(made))
        codes = [item.value if isinstance(item, Code) else None for item in made]
        is_code[read] = [code is not None for code in codes]
        dotted[read] = np.fromiter(codes, dtype=object, count=len(codes))
        if chosen is None:  # one release: every row is its
            return _Rows(table[mine], is_code[mine], dotted[mine])
        diagnoses[chosen] = table[mine]
        parsed[chosen] = is_code[mine]
        values[chosen] = dotted[mine]
    return _Rows(diagnoses, parsed, values)


# --- one encounter ----------------------------------------------------------------------------


# What check and sequence say of one encounter: its findings, its new order (None when
# it stays) and, for each diagnosis a rule moved, its new place and the rule.
_Checked = tuple[tuple[Finding, ...], tuple[int, ...] | None, tuple[tuple[int, str], ...]]
_UNMOVED = (None, ())


def _check(encounter: Encounter, own_data_only: bool) -> _Checked | Icd10cmError:
    """Check and sequence *encounter*."""
    try:
        analysis = analyse_once(encounter, own_data_only)
        return findings_of(analysis), *(moved(analysis) or _UNMOVED)
    except Icd10cmError as error:  # bad data makes a finding; one encounter never stops all
        return error


def _finding(rule: str, places: Sequence[int], codes: Sequence[str], message: str,
             suggestions: tuple[str, ...] = ()) -> Finding:
    """A finding of a frame/ rule; *places* are offsets from its encounter's first row."""
    return Finding(rule, _RULES[rule].severity, tuple(places), tuple(codes), message,
                   suggestions)


class _Out:
    """The tables as they grow. The findings are :class:`Finding` values whose positions
    are offsets from their encounter's first sorted row, encounter after encounter; the
    rows without an encounter id come last, each as an encounter of its own.

    The findings are kept as columns of strings, numbers and tuples (which the garbage
    collector stops tracking): :meth:`flush` turns the latest few into columns. Finding
    objects kept for long would each outlive two young collections, and so many of them
    would start full collections, each walking every object of the process: on 100,000
    encounters these took an eighth of the time, now next to none."""

    def __init__(self, count: int) -> None:
        self.findings: list[Finding] = []  # the latest findings, not yet in the columns
        self.counts: list[int] = [0] * count  # the findings of each encounter
        self.changed: list[tuple[int, int]] = []  # (start row, size) of each reordered one
        self.orders: list[int] = []  # their new orders, one after the other
        self.moved_rows: list[int] = []
        self.moved_rules: list[str] = []
        self.rules: list[str] = []
        self.severities: list[int] = []  # the index of each one's severity in SEVERITIES
        self.sizes: list[int] = []  # how many positions each one has
        self.places: list[int] = []  # their positions, one finding after the other
        self.codes: list[tuple[str, ...]] = []
        self.messages: list[str] = []
        self.suggestions: list[tuple[str, ...]] = []
        self.sources: list[str | None] = []

    def flush(self) -> None:
        """Turn the latest findings into columns, and let them go."""
        found = self.findings
        self.rules += [finding.rule for finding in found]
        self.severities += [_SEVERITY_CODE[id(finding.severity)] for finding in found]
        places = [finding.positions for finding in found]
        self.sizes += map(len, places)  # read while the findings are fresh in the caches
        self.places += itertools.chain.from_iterable(places)
        self.codes += [finding.codes for finding in found]
        self.messages += [finding.message for finding in found]
        self.suggestions += [finding.suggestions for finding in found]
        self.sources += [finding.source_release for finding in found]
        found.clear()

    def finding_rows(self, starts: Ints, rows: Ints, releases: Ints, positions: Ints,
                     release_ids: Sequence[str | None]) -> FindingRows:
        """The findings table. Per encounter: *starts* holds its first sorted row, *rows*
        an input row of it and *releases* the index of its release in *release_ids*;
        *positions* holds the position of each sorted row."""
        self.flush()
        of_finding = np.repeat(np.arange(len(self.counts), dtype=np.int64),
                               np.array(self.counts, dtype=np.int64))
        sizes = np.array(self.sizes, dtype=np.int64)
        flat = np.array(self.places, dtype=np.int64)
        released = np.array(release_ids, dtype=object)[releases[of_finding]]
        sources = np.array(self.sources, dtype=object)
        own = np.equal(sources, _NONE)  # the finding rests on the encounter's own release
        sources[own] = released[own]
        return FindingRows(
            row=rows[of_finding],
            rule=self.rules,
            severity=np.array(self.severities, dtype=np.int8),
            position_values=positions[np.repeat(starts[of_finding], sizes) + flat],
            position_offsets=np.r_[0, np.cumsum(sizes)].astype(np.int64),
            codes=self.codes,
            message=self.messages,
            suggestions=self.suggestions,
            release=released.tolist(),
            source_release=sources.tolist(),
        )

    def permutation(self, count: int) -> Ints:
        """For each of *count* sorted rows, the sorted row whose diagnosis comes there in
        the suggested order."""
        source = np.arange(count, dtype=np.int64)
        if self.changed:
            starts, sizes = np.array(self.changed, dtype=np.int64).T
            firsts = np.repeat(starts, sizes)
            offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            source[firsts + offsets] = firsts + np.array(self.orders, dtype=np.int64)
        return source


# --- the check ----------------------------------------------------------------------------------


def check_claims(claims: Claims, *, release: ReleaseLike | None = None,
                 own_data_only: bool = False) -> tuple[FindingRows, OrderRows]:
    """Check every encounter of *claims*; see :func:`icd10cm.frame.check`."""
    claims = _normalised(claims)
    position_of = _table(claims.position, _position)
    missing_position = _is_none(position_of)[claims.position.ids]
    position_of[_is_none(position_of)] = _NO_POSITION
    positions = position_of.astype(np.int64)[claims.position.ids]
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
    bad = groups.any(~rows.parsed | missing | duplicate) | _mixed_ids(claims.encounter, groups)
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
    work = _Work(claims, groups, found, rows, sorted_positions, missing, duplicate, settings,
                 indicators)
    out = _Out(groups.count)
    failed = work.run(bad, own_data_only, out)
    orphans = np.flatnonzero(claims.encounter.ids < 0)  # each is an encounter of its own
    out.findings += [work.orphan(index, bool(missing_position[index]))
                     for index in orphans.tolist()]
    out.counts += [1] * len(orphans)
    release_ids = [None if r is None else r.id for r in found.releases]
    findings = out.finding_rows(
        np.r_[groups.starts[:-1], len(groups.rows) + np.arange(len(orphans), dtype=np.int64)],
        np.r_[groups.first(groups.rows), orphans],
        np.r_[found.of_encounter, np.full(len(orphans), len(found.releases), dtype=np.int64)],
        np.r_[sorted_positions, positions[orphans]], [*release_ids, None])
    checked = ~bad
    checked[failed] = False
    kept = np.flatnonzero(np.repeat(checked, np.diff(groups.starts)))
    source = out.permutation(len(groups.rows))[kept]
    moved = np.full(len(groups.rows), None, dtype=object)
    moved[np.array(out.moved_rows, dtype=np.int64)] = out.moved_rules
    order = OrderRows(row=groups.rows[kept], position=sorted_positions[kept],
                      code=rows.values[source], from_position=sorted_positions[source],
                      rule=moved[kept])
    return findings, order


def _mixed_ids(column: Column, groups: _Groups) -> Bools:
    """Whether each encounter's id stands for cells equal in Python but of different
    kinds (``frame/mixed-encounter-id``)."""
    if not column.variants:
        return np.zeros(groups.count, dtype=bool)
    found: Bools = np.isin(groups.first(column.ids[groups.rows]), list(column.variants))
    return found


@attrs.frozen
class _Work:
    """The table sorted into encounters, and what is known of its rows: each encounter
    is explained (when its rows are bad) or checked and sequenced by :meth:`run`."""

    claims: Claims
    groups: _Groups
    found: _Releases
    rows: _Rows
    positions: Ints  # per sorted row; _NO_POSITION where missing
    missing: Bools  # per sorted row: no position
    duplicate: Bools  # per sorted row: another row of the encounter has its position
    settings: Objects | None  # per sorted row: a Setting, or None
    indicators: Objects | None  # per sorted row: a PresentOnAdmission, or None

    def run(self, bad: Bools, own_data_only: bool, out: _Out) -> list[int]:
        """Explain each encounter that is *bad*, check and sequence every other one, in
        order, into *out*; returns the encounters that check or sequence refused."""
        groups, found, claims = self.groups, self.found, self.claims
        diagnoses = self.rows.diagnoses.tolist()
        starts = groups.starts.tolist()
        settings = [Setting.OUTPATIENT] * groups.count if self.settings is None else \
            groups.first(self.settings).tolist()
        indicators = [] if self.indicators is None else self.indicators.tolist()
        with_poa = [False] * groups.count if claims.poa is None else \
            groups.any(claims.poa.ids[groups.rows] >= 0).tolist()
        days = found.days
        small = (np.diff(groups.starts) <= _MEMO_CODES).tolist()
        # The memo's keys hold ids (ints hash fast), not the values they stand for. The
        # Guidelines checks read the codes, the setting and the indicators; the date of
        # service only chooses the release.
        code_ids = claims.code.ids[groups.rows].tolist()
        setting_ids = [-1] * len(code_ids) if claims.setting is None else \
            claims.setting.ids[groups.rows].tolist()
        poa_ids = None if claims.poa is None else claims.poa.ids[groups.rows].tolist()
        of_encounter = found.shared()[found.of_encounter].tolist()  # the memo: by release
        memo: dict[tuple[object, ...], _Checked | Icd10cmError] = {}
        failed: list[int] = []
        findings, counts, changed, orders = out.findings, out.counts, out.changed, out.orders
        moved_rows, moved_rules = out.moved_rows, out.moved_rules
        check, unchecked, flush = _check, unchecked_encounter, out.flush
        gathered = _Gathered.of(self, bad)
        spans = zip(bad.tolist(), starts[:-1], starts[1:], small, settings, days, with_poa,
                    of_encounter, strict=True)
        for encounter, (cannot, start, end, memoised, setting, day, poa_given,
                        release_index) in enumerate(spans):
            if cannot:
                explained = _Explanation(self, gathered, encounter).findings()
                findings += explained
                counts[encounter] = len(explained)
                continue
            key: tuple[object, ...] = ()
            result = None
            if memoised:
                key = (release_index, setting_ids[start],
                       None if poa_ids is None else tuple(poa_ids[start:end]),
                       *code_ids[start:end])
                result = memo.get(key)
            if result is None:
                poa = tuple(indicators[start:end]) if poa_given else None
                result = check(unchecked(tuple(diagnoses[start:end]), setting, day, poa),
                               own_data_only)
                if key and len(memo) < _MEMO_LIMIT:
                    memo[key] = result
            if isinstance(result, Icd10cmError):
                failed.append(encounter)
                findings.append(self._failure(result, start, end))
                counts[encounter] = 1
                continue
            said, order, moves = result
            findings += said
            counts[encounter] = len(said)
            if len(findings) >= _FLUSH:
                flush()
            if order is not None:
                changed.append((start, end - start))
                orders += order
                for place, rule in moves:
                    moved_rows.append(start + place)
                    moved_rules.append(rule)
        return failed

    def orphan(self, index: int, missing: bool) -> Finding:
        """The finding on input row *index*, which has no encounter id."""
        code_id = int(self.claims.code.ids[index])
        codes = () if code_id < 0 else (_shown(self.claims.code.values[code_id]),)
        return _finding("frame/missing-encounter", () if missing else (0,), codes,
                        f"This row has no encounter id (column {self.claims.encounter.name!r} "
                        "is empty), so it belongs to no encounter and was not checked: fill "
                        "it in.")

    def _failure(self, error: Icd10cmError, start: int, end: int) -> Finding:
        codes = [str(value) for value in self.rows.values[start:end].tolist()]
        return _finding("frame/invalid-encounter", range(end - start), codes,
                        str(error).rstrip(".") + "." + _NOT_CHECKED)


@attrs.frozen
class _Gathered:
    """What :class:`_Explanation` reads of the rows of the encounters that cannot be
    checked, gathered for all of them at once as lists (a few numpy calls in all, not a
    few per encounter). The rows of encounter *k* start at ``first[k]`` in each list."""

    first: dict[int, int]
    missing: list[bool]
    positions: list[int]
    duplicate: list[bool]
    diagnoses: list[object]
    values: list[object]
    settings: list[object]
    indicators: list[object]
    ids: dict[int, list[int]]  # by the id() of each column of the claims: its ids

    @classmethod
    def of(cls, work: _Work, bad: Bools) -> _Gathered:
        sizes = np.diff(work.groups.starts)
        chosen = np.flatnonzero(np.repeat(bad, sizes))  # sorted rows of bad encounters
        firsts = np.cumsum(sizes[bad]) - sizes[bad]
        rows = work.groups.rows[chosen]
        claims = work.claims
        columns = (claims.encounter, claims.code, claims.position, claims.setting, claims.date,
                   claims.poa)
        return cls(
            dict(zip(np.flatnonzero(bad).tolist(), firsts.tolist(), strict=True)),
            work.missing[chosen].tolist(), work.positions[chosen].tolist(),
            work.duplicate[chosen].tolist(), work.rows.diagnoses[chosen].tolist(),
            work.rows.values[chosen].tolist(),
            [] if work.settings is None else work.settings[chosen].tolist(),
            [] if work.indicators is None else work.indicators[chosen].tolist(),
            {id(column): column.ids[rows].tolist() for column in columns if column is not None})


class _Explanation:
    """What is wrong with the rows of one encounter that cannot be checked."""

    def __init__(self, work: _Work, gathered: _Gathered, encounter: int) -> None:
        at = gathered.first[encounter]
        end = at + int(work.groups.starts[encounter + 1] - work.groups.starts[encounter])
        self.work, self.claims, self.gathered = work, work.claims, gathered
        self.at, self.end = at, end  # the encounter's rows in the lists of *gathered*
        self.span = range(end - at)  # offsets from the encounter's first sorted row
        self.missing: list[bool] = gathered.missing[at:end]
        self.positions: list[int] = gathered.positions[at:end]
        self.duplicate: list[bool] = gathered.duplicate[at:end]
        self.diagnoses: list[object] = gathered.diagnoses[at:end]
        self.code_ids = self.ids(work.claims.code)
        # The code of each row as findings show it: dotted, or the text as given.
        distinct = work.claims.code.values
        self.texts: list[str | None] = [
            str(value) if value is not None else None if code_id < 0 else
            _shown(distinct[code_id])
            for value, code_id in zip(gathered.values[at:end], self.code_ids, strict=True)]
        release_index = int(work.found.of_encounter[encounter])
        self.release = work.found.releases[release_index]
        self.problems = work.found.problems[release_index]
        self.found: list[Finding] = []

    def add(self, rule: str, offsets: Sequence[int], message: str,
            suggestions: tuple[str, ...] = ()) -> None:
        places = [k for k in offsets if not self.missing[k]]
        codes = [text for k in offsets if (text := self.texts[k]) is not None]
        self.found.append(_finding(rule, places, codes, message + _NOT_CHECKED, suggestions))

    def ids(self, column: Column) -> list[int]:
        """The ids of the encounter's rows in *column*, a column of the claims."""
        return self.gathered.ids[id(column)][self.at:self.end]

    def findings(self) -> list[Finding]:
        claims, work = self.claims, self.work
        variants = claims.encounter.variants.get(self.ids(claims.encounter)[0])
        if variants:
            self.add("frame/mixed-encounter-id", self.span, "The rows give encounter ids that "
                     f"are equal but different values ({', '.join(map(quote, variants))}; "
                     f"column {claims.encounter.name!r}), taken as one id as the table's "
                     "library groups them: give the rows of one encounter one id of one "
                     "type (convert the column to one type), and different encounters "
                     "different ids.")
        if self.release is None:
            self.add("frame/invalid-date", self.span, "; ".join(self.problems).rstrip(".") + ".")
        if claims.date is not None:
            self._mixed("frame/mixed-date", claims.date, "dates of service",
                        "an encounter has one date of service (the discharge date for an "
                        "inpatient stay)")
        inpatient = False
        if claims.setting is not None and work.settings is not None:
            self._mixed("frame/mixed-setting", claims.setting, "settings",
                        "an encounter has one setting")
            settings = self.gathered.settings[self.at:self.end]
            self._invalid("frame/invalid-setting", claims.setting, settings,
                          "'inpatient' or 'outpatient'", empty_too=True)
            inpatient = settings[0] is Setting.INPATIENT
        if claims.poa is not None and work.indicators is not None:
            indicators = self.gathered.indicators[self.at:self.end]
            self._invalid("frame/invalid-poa", claims.poa, indicators,
                          "Y, N, U, W or 1 (exempt); leave it empty where there is none",
                          empty_too=False)
            given = [k for k, raw in enumerate(self.ids(claims.poa)) if raw >= 0]
            if given and not inpatient:
                fix = ("give the encounter the setting 'inpatient'" if claims.setting is not None
                       else "name the column that holds the setting with setting= (without "
                       "it every encounter is outpatient)")
                self.add("frame/invalid-poa", given, "Present-on-admission indicators are "
                         f"reported for inpatient stays only: {fix}, or leave the column "
                         f"{claims.poa.name!r} empty for it.")
        self._rows()
        return self.found

    def _rows(self) -> None:
        claims = self.claims
        code_ids = self.code_ids
        position_ids = self.ids(claims.position)
        for k in self.span:
            if self.missing[k]:
                raw = position_ids[k]
                value = None if raw < 0 else claims.position.values[raw]
                what = "is empty" if raw < 0 else f"holds {quote(value)}, " + (
                    "not a whole number" if _whole(value) is None else "too large a number")
                self.add("frame/missing-position", [k], f"This row has no position (column "
                         f"{claims.position.name!r} {what}): give each diagnosis its place in "
                         "the encounter.")
            diagnosis = self.diagnoses[k]
            if code_ids[k] < 0:
                self.add("frame/missing-code", [k], f"This row has no code (column "
                         f"{claims.code.name!r} is empty): fill it in or drop the row.")
            elif isinstance(diagnosis, Validation):
                rule = {Status.MISSING: "frame/missing-code",
                        Status.MALFORMED: "frame/malformed-code"}.get(diagnosis.status,
                                                                      "frame/unknown-code")
                self.add(rule, [k], diagnosis.message.rstrip(".") + ".", diagnosis.suggestions)
        repeated = [k for k in self.span if self.duplicate[k]]
        for value in dict.fromkeys(self.positions[k] for k in repeated):
            same = [k for k in repeated if self.positions[k] == value]
            codes = ", ".join(text for k in same if (text := self.texts[k]) is not None)
            self.add("frame/duplicate-position", same, f"{len(same)} rows have position "
                     f"{value} ({codes}): give each diagnosis a position of its own.")

    def _mixed(self, rule: str, column: Column, what: str, why: str) -> None:
        ids = self.ids(column)
        if len(set(ids)) > 1:
            shown = ", ".join("empty" if i < 0 else quote(column.values[i])
                              for i in dict.fromkeys(ids))
            self.add(rule, self.span, f"The rows give different {what} ({shown}; column "
                     f"{column.name!r}): {why}; correct the rows.")

    def _invalid(self, rule: str, column: Column, converted: list[object], allowed: str, *,
                 empty_too: bool) -> None:
        bad: dict[int, list[int]] = {}
        for k, raw in enumerate(self.ids(column)):
            if converted[k] is None and (raw >= 0 or empty_too):
                bad.setdefault(raw, []).append(k)
        for raw, offsets in bad.items():
            what = "is empty" if raw < 0 else f"holds {quote(column.values[raw])}"
            self.add(rule, offsets, f"Column {column.name!r} {what}: it takes {allowed}.")


def flattened(items: Sequence[tuple[str, ...]]) -> tuple[list[str], Ints]:
    """The strings of *items*, one after the other, and how many each item has."""
    sizes = np.fromiter(map(len, items), np.int64, count=len(items))
    return list(itertools.chain.from_iterable(items)), sizes


def distinct(items: Sequence[_T]) -> tuple[list[_T], Ints]:
    """The distinct objects of *items* (by identity, not equality) and, for each item,
    the index of its object among them: ``items[i] is objects[index[i]]``.

    The findings share their tuples of suggested codes (one per code, or per rule;
    on a claims table some nine in ten are repeats): a list column of the distinct
    tuples, taken by *index*, is built twice as fast as one of every row's tuple."""
    identities = np.fromiter(map(id, items), np.uint64, count=len(items))
    _, firsts, index = np.unique(identities, return_index=True, return_inverse=True)
    objects = list(map(items.__getitem__, firsts.tolist()))
    return objects, index.astype(np.int64, copy=False)


def claims_of(names: dict[str, str | None], available: Sequence[object],
              column: Callable[[str], Column]) -> Claims:
    """The :class:`Claims` of a table whose columns are *available*: *names* maps each
    role (``encounter``, ``code``, ``position``, ``setting``, ``date``, ``poa``) to the
    column that holds it (None: not given), and *column* factorises one column.

    Raises :class:`~icd10cm.MissingColumnError` naming every column the table lacks
    (and every required role named None), and :class:`~icd10cm.DuplicateColumnError`
    naming every column it has more than once.
    """
    missing = [(role, name) for role, name in names.items()
               if (name is None and role in _REQUIRED) or
               (name is not None and name not in available)]
    if missing:
        raise MissingColumnError(missing, available)
    repeated = [(role, name) for role, name in names.items()
                if name is not None and available.count(name) > 1]
    if repeated:
        raise DuplicateColumnError(repeated, available)
    made = {role: column(name) for role, name in names.items() if name is not None}
    return Claims(made["encounter"], made["code"], made["position"], made.get("setting"),
                  made.get("date"), made.get("poa"))
