"""Comorbidities of a claims table: one row per diagnosis in, one row per encounter out.

:func:`comorbidity` takes a pandas DataFrame, a polars DataFrame or a pyarrow Table
with one row per diagnosis (as MIMIC-IV's ``diagnoses_icd``), and returns a table of
the same library with one row per encounter: a flag column per CMR measure or Charlson
condition, the indices, and the number of unmapped rows. The work is done on plain
Python values, one distinct (code, POA indicator) pair at a time: each is read once per
release with :mod:`icd10cm.comorbidity`, and each row costs a few dictionary reads.

Importing this module imports no data frame library: each is imported inside the
function that handles its table, which the caller has already imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar

from icd10cm.comorbidity.charlson import WEIGHTINGS, program_with
from icd10cm.comorbidity.codes import fiscal_year_of, lookup
from icd10cm.comorbidity.elixhauser import contribution, program_for, read_code
from icd10cm.comorbidity.maps import CharlsonProgram, CmrProgram
from icd10cm.core.release import Release
from icd10cm.errors import ComorbidityError
from icd10cm.releases.registry import ReleaseLike, as_date, release_for, resolve_release

__all__ = ["METHODS", "comorbidity", "summarise"]

METHODS = ("elixhauser", "charlson")
Method = Literal["elixhauser", "charlson"]


def _missing(value: object) -> bool:
    """None, NaN, NaT, pandas' NA, or an empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):  # pandas' NA compares to NA
        return True


V = TypeVar("V")


class _Memo(dict[object, V]):
    """A dictionary that makes a missing value with *make* and keeps it (except for NaN
    keys, which are never equal to themselves)."""

    def __init__(self, make: Callable[[object], V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: object) -> V:
        value = self.make(key)
        if key == key:
            self[key] = value
        return value


#: The kinds of POA indicator, by position in a code's contributions.
_PRESENT, _NO_INDICATOR, _ABSENT, _OTHER = range(4)
#: (1 if unmapped else 0, (flags set, flags set only if assumed present on admission) for
#: each kind of POA indicator)
_Reading = tuple[int, tuple[tuple[int, int], ...]]
_NOTHING: _Reading = (0, ((0, 0),) * 4)  # a code that sets nothing
_UNMAPPED: _Reading = (1, ((0, 0),) * 4)


class _Context:
    """One release and its map, and what each distinct code and POA indicator gives."""

    def __init__(self, release: Release, method: Method, fiscal_year: int) -> None:
        self.release = release
        self.cmr: CmrProgram | None = None
        self.charlson: CharlsonProgram | None = None
        self.version = ""
        if method == "elixhauser":
            self.cmr, _ = program_for(release, None)
            self.version = self.cmr.info.version
            self.exempt = self.cmr.exempt_codes(fiscal_year)[1]
            # an indicator of each kind, in the order of the kinds
            self.indicators = (min(self.cmr.present_values), None,
                               min(self.cmr.absent_values), "?")
        else:
            self.charlson = program_with(False, False)
        self.codes: _Memo[_Reading] = _Memo(self._read)
        self.kinds: _Memo[int] = _Memo(self._kind)
        self.finished: dict[tuple[int, int], tuple[int, int]] = {}
        self.rows: dict[tuple[int, int], tuple[object, ...]] = {}

    def _read(self, code: object) -> _Reading:
        if self.charlson is not None:
            index, _ = lookup(self.release, code)
            if index is None:
                return _UNMAPPED
            mask = self.charlson.match(self.release.undotted_codes[index])
            return (0, ((mask, 0),) * 4) if mask else _NOTHING
        assert self.cmr is not None
        reading = read_code(self.cmr, self.release, self.exempt, code)
        if reading.label is None:
            return _NOTHING if reading.unmapped is None else _UNMAPPED
        return (0, tuple(contribution(self.cmr, reading.label, reading.exempt, indicator)[:2]
                         for indicator in self.indicators))

    def _kind(self, indicator: object) -> int:
        if self.cmr is None:
            return _PRESENT
        if _missing(indicator):
            return _NO_INDICATOR
        text = str(indicator).strip().upper()
        return (_PRESENT if text in self.cmr.present_values
                else _ABSENT if text in self.cmr.absent_values else _OTHER)

    def names(self) -> tuple[str, ...]:
        """The names of the columns of :meth:`row`."""
        if self.cmr is not None:
            return (*self.cmr.flags[: len(self.cmr.info.measures)], "mortality_index",
                    "readmission_index", "assumed")
        assert self.charlson is not None
        return (*self.charlson.conditions, *WEIGHTINGS)

    def row(self, certain: int, assumed: int) -> tuple[object, ...]:
        """An encounter's flags and scores, from the flags its diagnoses set (for sure,
        and only if assumed present on admission); made once per distinct pair."""
        key = (certain, assumed)
        row = self.rows.get(key)
        if row is not None:
            return row
        if self.cmr is not None:
            final = self.cmr.finish(certain | assumed)
            only_assumed = final & ~self.cmr.finish(certain) if assumed else 0
            flags = tuple(final >> bit & 1 == 1 for bit in range(len(self.cmr.info.measures)))
            row = (*flags, *self.cmr.indices(final), bin(only_assumed).count("1"))
        else:
            assert self.charlson is not None
            final = self.charlson.finish(certain)
            flags = tuple(final >> bit & 1 == 1 for bit in range(len(self.charlson.conditions)))
            row = (*flags, *(self.charlson.score(final, weighting) for weighting in WEIGHTINGS))
        self.rows[key] = row
        return row


def summarise(
    encounters: Sequence[object],
    codes: Sequence[object],
    poa: Sequence[object] | None,
    dates: Sequence[object] | None,
    *,
    release: ReleaseLike | None,
    method: Method,
) -> tuple[list[object], dict[str, list[Any]]]:
    """The encounters, in order of first appearance, and the output columns (besides the
    encounter column) as lists, one entry per encounter."""
    if method not in METHODS:
        raise ComorbidityError(f"Unknown method {method!r}: give one of {', '.join(METHODS)}.")
    count = len(codes)
    if dates is None:
        resolved = resolve_release(release)
        context = _Context(resolved, method, resolved.info.fiscal_year)
        row_contexts: Sequence[_Context] = [context] * count
        readings = [context.codes[code] for code in codes]
        kinds = [_NO_INDICATOR if method == "elixhauser" else _PRESENT] * count if poa is None \
            else [context.kinds[value] for value in poa]
    else:
        contexts: _Memo[_Context] = _Memo(lambda day: _dated(day, method))
        row_contexts = [contexts[day] for day in dates]
        readings = [c.codes[code] for c, code in zip(row_contexts, codes, strict=True)]
        kinds = [_NO_INDICATOR if method == "elixhauser" else _PRESENT] * count if poa is None \
            else [c.kinds[value] for c, value in zip(row_contexts, poa, strict=True)]
    days = [None] * count if dates is None else dates

    position: dict[object, int] = {}
    entries: list[list[Any]] = []  # [context, date, set, assumed, unmapped] per encounter
    for encounter, reading, kind, context, day in zip(
        encounters, readings, kinds, row_contexts, days, strict=True
    ):
        at = position.get(encounter)
        if at is None:
            at = position[encounter] = len(entries)
            entries.append([context, day, 0, 0, 0])
        elif day is not entries[at][1] and day != entries[at][1]:
            raise ComorbidityError(
                f"Encounter {encounter!r} has rows with the dates of service "
                f"{entries[at][1]!r} and {day!r}; give all rows of an encounter one date "
                "(the discharge date of a stay).")
        if reading is not _NOTHING:
            entry = entries[at]
            applied, assumed = reading[1][kind]
            entry[2] |= applied
            entry[3] |= assumed
            entry[4] += reading[0]
    return list(position), _columns(entries, method, release)


def _dated(day: object, method: Method) -> _Context:
    """The context of a date of service: the release in force, and the POA-exempt list
    of its fiscal year."""
    if _missing(day):
        raise ComorbidityError(f"A row has no date of service ({day!r}); give every row a "
                               "date, or leave date= out and give release=.")
    when = as_date(day)  # type: ignore[arg-type]
    return _Context(release_for(when), method, fiscal_year_of(when))


def _columns(entries: list[list[Any]], method: Method, release: ReleaseLike | None
             ) -> dict[str, list[Any]]:
    """The output columns, from each encounter's row."""
    names = (entries[0][0] if entries else _Context(resolve_release(release), method, 0)).names()
    for other in {id(entry[0]): entry[0] for entry in entries}.values():
        if other.names() != names:
            raise ComorbidityError(
                f"The CMR versions of these dates ({entries[0][0].version}, {other.version}) "
                "list their measures differently; give the rows of one version at a time.")
    rows = [context.row(certain, assumed) for context, _, certain, assumed, _ in entries]
    columns = {name: list(values) for name, values in
               zip(names, zip(*rows, strict=True) if rows else [()] * len(names), strict=True)}
    columns["unmapped"] = [entry[4] for entry in entries]
    columns["release"] = [entry[0].release.id for entry in entries]
    if method == "elixhauser":
        columns["version"] = [entry[0].version for entry in entries]
    return columns


def _kind(table: object) -> str:
    library = type(table).__module__.partition(".")[0]
    name = type(table).__name__
    if (library, name) in (("pandas", "DataFrame"), ("polars", "DataFrame"),
                           ("pyarrow", "Table")):
        return library
    raise ComorbidityError(
        f"Cannot read a {type(table).__module__}.{type(table).__qualname__} as a claims "
        "table: icd10cm.frame.comorbidity takes a pandas DataFrame, a polars DataFrame or a "
        "pyarrow Table with one row per diagnosis."
    )


def _reader(table: Any, library: str) -> tuple[list[str], Callable[[str], list[Any]]]:
    if library == "pandas":
        return [str(c) for c in table.columns], lambda name: table[name].tolist()
    if library == "polars":
        return list(table.columns), lambda name: table.get_column(name).to_list()
    return list(table.column_names), lambda name: table.column(name).to_pylist()


def _table(library: str, columns: dict[str, list[Any]]) -> Any:
    if library == "pandas":
        import pandas as pd  # type: ignore[import-untyped]

        return pd.DataFrame(columns)
    if library == "polars":
        import polars as pl

        return pl.DataFrame(columns, strict=False)
    import pyarrow as pa  # type: ignore[import-untyped]

    return pa.table(columns)


def comorbidity(
    table: Any,
    *,
    encounter: str,
    code: str,
    poa: str | None = None,
    date: str | None = None,
    release: ReleaseLike | None = None,
    method: Method = "elixhauser",
) -> Any:
    """One row per encounter of a claims table with one row per diagnosis.

    *table* is a pandas DataFrame, a polars DataFrame or a pyarrow Table; *encounter*,
    *code*, *poa* and *date* name its columns: the encounter (stay or patient) id, the
    diagnosis code (dotted or not), the present-on-admission indicator, and the date of
    service (the discharge date of a stay), which chooses the release, and with it the
    CMR version and the POA-exempt list. Without a date column every row uses *release*
    (default: the latest).

    The result, of the same library, has the encounter column, then for
    ``method="elixhauser"`` one boolean column per CMR measure, ``mortality_index``,
    ``readmission_index`` and ``assumed`` (how many of the measures were counted only by
    assuming a diagnosis without a POA indicator present on admission); for
    ``method="charlson"`` one boolean column per condition and the scores
    ``charlson1987`` and ``quan2011``; then ``unmapped`` (rows whose code the map
    cannot read, empty ones included) and ``release`` (and ``version``, the CMR
    version). Every row counts as a secondary diagnosis: drop the principal
    diagnoses first to follow the CMR program exactly. Unknown codes never raise.
    """
    library = _kind(table)
    names, column = _reader(table, library)
    wanted = {"encounter": encounter, "code": code, "poa": poa, "date": date}
    absent = [f"{k}={v!r}" for k, v in wanted.items() if v is not None and v not in names]
    if absent:
        raise ComorbidityError(f"The table has no column {', '.join(absent)}; its columns are "
                               f"{', '.join(map(repr, names))}.")
    ids, columns = summarise(
        column(encounter), column(code), None if poa is None else column(poa),
        None if date is None else column(date), release=release, method=method,
    )
    if encounter in columns:
        raise ComorbidityError(f"The encounter column {encounter!r} has the name of an output "
                               "column; rename it first.")
    return _table(library, {encounter: ids, **columns})
