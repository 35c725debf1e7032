"""Comorbidities of a claims table: one row per diagnosis in, one row per encounter out.

:func:`comorbidity` takes a pandas DataFrame, a polars DataFrame or a pyarrow Table
with one row per diagnosis (as MIMIC-IV's ``diagnoses_icd``), and returns a table of
the same library with one row per encounter: a flag column per CMR measure or Charlson
condition, the indices, and the number of unmapped rows. Each column is factorised by
its own library, as :func:`icd10cm.frame.check` does it (the ``column`` function of
:mod:`icd10cm.frame.claims_pandas`, ``claims_polars`` or ``claims_arrow``: each row
becomes the position of its value among the distinct values), each distinct code is read
once per release with :mod:`icd10cm.comorbidity`, and each row then costs a few list
reads and bit operations.

Importing this module imports no data frame library: the module of the table's library
is imported when a table comes, and the caller has already imported the library.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Literal

from icd10cm.comorbidity.charlson import WEIGHTINGS, program_with
from icd10cm.comorbidity.codes import fiscal_year_of, lookup
from icd10cm.comorbidity.elixhauser import (
    contribution,
    covers,
    if_not_present,
    known,
    program_for,
    read_code,
)
from icd10cm.comorbidity.maps import CharlsonProgram, CmrProgram
from icd10cm.core.release import Release
from icd10cm.encounters.encounter import PresentOnAdmission
from icd10cm.errors import ComorbidityError, quote
from icd10cm.releases.registry import ReleaseLike, as_date, resolve_release

if TYPE_CHECKING:
    from icd10cm.frame.encounters import Column

__all__ = ["METHODS", "Method", "comorbidity", "summarise"]

Method = Literal["elixhauser", "charlson"]
METHODS: tuple[Method, ...] = ("elixhauser", "charlson")


def _missing(value: object) -> bool:
    """None, NaN, NaT, pandas' NA, or an empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError, ArithmeticError):  # pandas' NA compares to NA, and a
        return True  # signalling NaN (Decimal("sNaN")) raises decimal.InvalidOperation


def _positions(column: Column | None, count: int) -> tuple[list[int], list[object]]:
    """For each row, the position of its value among the distinct values; and those
    values. A null (-1 in ``column.ids``) is a None at the end of the values, where a
    Python list's index -1 finds it. No column: every row holds None."""
    if column is None:
        return [0] * count, [None]
    keys: list[int] = column.ids.tolist()
    values = list(column.values)
    if keys and min(keys) < 0:
        values.append(None)
    return keys, values


#: The kinds of POA indicator, by position in a code's contributions.
_PRESENT, _NO_INDICATOR, _ABSENT, _OTHER = range(4)
#: (1 if unmapped else 0, (flags set, flags set only if assumed present on admission,
#: flags it would set if not present on admission) for each kind of POA indicator)
_Reading = tuple[int, tuple[tuple[int, int, int], ...]]
#: The POA indicators a table may hold (Guidelines Appendix I), upper case.
_POA_VALUES = frozenset(p.value for p in PresentOnAdmission)
_NOTHING: _Reading = (0, ((0, 0, 0),) * 4)  # a code that sets nothing
_UNMAPPED: _Reading = (1, ((0, 0, 0),) * 4)


class _Context:
    """One release and its map, and what each distinct code and POA indicator gives."""

    def __init__(self, release: Release, method: Method, fiscal_year: int,
                 variants: tuple[bool, bool] = (False, False)) -> None:
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
            self.covered = covers(self.cmr, release)  # every code of the release is known
            self.labels: dict[tuple[str, bool], _Reading] = {}
        else:
            self.charlson = program_with(*variants)
        self.scored: dict[int, tuple[int, ...]] = {}

    def read(self, code: object) -> _Reading:
        """1 if *code* is unmapped (else 0), and what it gives by the kind of its POA
        indicator: (flags set, flags set only if assumed present on admission)."""
        release = self.release
        if self.charlson is not None:
            index, _ = lookup(release, code)
            if index is None:
                return _UNMAPPED
            mask = self.charlson.match(release.undotted_codes[index])
            return (0, ((mask, 0, 0),) * 4) if mask else _NOTHING
        assert self.cmr is not None
        index = release.index_of(code) if type(code) is str else None
        if index is not None and release.billable_flags[index]:  # the common case, quickly
            undotted = release.undotted_codes[index]
            label = self.cmr.code_labels.get(undotted)
            if label is not None:
                return self._contributions(label, undotted in self.exempt)
            if self.covered or known(self.cmr, release, undotted):
                return _NOTHING
        reading = read_code(self.cmr, release, self.exempt, code)
        if reading.label is None:
            return _NOTHING if reading.unmapped is None else _UNMAPPED
        return self._contributions(reading.label, reading.exempt)

    def _contributions(self, label: str, exempt: bool) -> _Reading:
        """What a diagnosis with this label gives, by the kind of its POA indicator."""
        key = (label, exempt)
        found = self.labels.get(key)
        if found is None:
            assert self.cmr is not None
            found = self.labels[key] = (0, tuple(
                (*contribution(self.cmr, label, exempt, indicator)[:2],
                 if_not_present(self.cmr, label, exempt, indicator))
                for indicator in self.indicators))
        return found

    def kind(self, indicator: object, column: str) -> int:
        """The kind of a POA indicator as given (None, NaN and blanks: none given) in
        *column*. A value that is no POA indicator is refused, as ``elixhauser`` refuses
        it: counting it as "not present on admission" would drop measures silently."""
        if self.cmr is None:
            return _PRESENT
        if _missing(indicator):
            return _NO_INDICATOR
        text = str(indicator).strip().upper()
        if text not in _POA_VALUES:
            raise ComorbidityError(
                f"Present-on-admission indicator {quote(indicator)} in column {quote(column)} "
                "is not one of Y, N, U, W or 1 (exempt); leave the cell empty where there is "
                "none.")
        return (_PRESENT if text in self.cmr.present_values
                else _ABSENT if text in self.cmr.absent_values else _OTHER)

    def names(self) -> tuple[str, ...]:
        """The names of the columns of :meth:`row`."""
        if self.cmr is not None:
            return (*self.cmr.flags[: len(self.cmr.info.measures)], "mortality_index",
                    "readmission_index", "assumed")
        assert self.charlson is not None
        return (*self.charlson.conditions, *WEIGHTINGS)

    def row(self, certain: int, assumed: int, doubt: int) -> tuple[int, tuple[int, ...]]:
        """An encounter's measures or conditions, and its scores (and how many measures
        were assumed), from the flags its diagnoses set for sure, only if assumed
        present on admission, and would set if not present on admission."""
        if self.cmr is not None:
            final = self.cmr.finish(certain | assumed)
            only_assumed = final & ~self.cmr.finish(certain | doubt) if assumed else 0
            return final, (*self.scores(final), bin(only_assumed).count("1"))
        assert self.charlson is not None
        final = self.charlson.finish(certain)
        return final, self.scores(final)

    def scores(self, final: int) -> tuple[int, ...]:
        """The indices (or scores) of a set of measures (or conditions), once each."""
        found = self.scored.get(final)
        if found is None:
            if self.cmr is not None:
                found = self.cmr.indices(final)
            else:
                assert self.charlson is not None
                found = tuple(self.charlson.score(final, w) for w in WEIGHTINGS)
            self.scored[final] = found
        return found


def summarise(
    encounters: Column,
    codes: Column,
    poa: Column | None,
    dates: Column | None,
    *,
    release: ReleaseLike | None,
    method: Method,
    variants: tuple[bool, bool] = (False, False),
) -> tuple[list[object], dict[str, list[Any]]]:
    """The encounters, in order of first appearance (a null id last), and the output
    columns (besides the encounter column) as lists, one entry per encounter."""
    if method not in METHODS:
        raise ComorbidityError(f"Unknown method {quote(method)}: give one of "
                               f"{', '.join(METHODS)}.")
    if dates is not None:  # "2025-06-30" and a datetime on that day are one date
        from icd10cm.frame.encounters import same_days  # imports numpy, as the tables did

        dates = same_days(dates)
    count = len(codes.ids)
    encounter_keys, encounter_values = _positions(encounters, count)
    code_keys, code_values = _positions(codes, count)
    poa_keys, poa_values = _positions(poa, count)
    date_keys, date_values = _positions(dates, count)
    if dates is None:
        resolved = resolve_release(release)
        contexts = [_Context(resolved, method, resolved.info.fiscal_year, variants)]
        context_of_date = [0]
    else:  # one context per release and fiscal year
        shared: dict[tuple[str, int], int] = {}
        contexts = []
        context_of_date = [_dated(day, release, method, shared, contexts, variants)
                           for day in date_values]
    poa_name = "" if poa is None else str(poa.name)
    kinds = [[c.kind(value, poa_name) if c.cmr is not None else _PRESENT
              for value in poa_values] for c in contexts]
    readings: list[list[_Reading | None]] = [[None] * len(code_values) for _ in contexts]
    encounter_count = len(encounter_values)
    certain, assumed, unmapped = [0] * encounter_count, [0] * encounter_count, [0] * encounter_count
    doubt = [0] * encounter_count
    day_of = [-1] * encounter_count
    for encounter, code, indicator, day in zip(
        encounter_keys, code_keys, poa_keys, date_keys, strict=True
    ):
        if day_of[encounter] != day:
            if day_of[encounter] >= 0:
                dates_said = (f"the dates of service {quote(date_values[day_of[encounter]])} "
                              f"and {quote(date_values[day])}")
                if encounter < 0:  # the rows without an id, summed up as one encounter
                    raise ComorbidityError(
                        f"The rows without an encounter id (column {quote(encounters.name)} "
                        f"is empty) have {dates_said}, and they make one encounter: give "
                        "each row its encounter id, or drop those rows.")
                raise ComorbidityError(
                    f"Encounter {quote(encounter_values[encounter])} has rows with "
                    f"{dates_said}; "
                    "give all rows of an encounter one date (the discharge date of a stay).")
            day_of[encounter] = day
        context = context_of_date[day]
        reading = readings[context][code]
        if reading is None:
            reading = readings[context][code] = contexts[context].read(code_values[code])
        if reading is not _NOTHING:
            sure, maybe, unsure = reading[1][kinds[context][indicator]]
            certain[encounter] |= sure
            assumed[encounter] |= maybe
            doubt[encounter] |= unsure
            unmapped[encounter] += reading[0]
    entries = [(contexts[context_of_date[day]], sure, maybe, unsure, count)
               for day, sure, maybe, unsure, count in zip(day_of, certain, assumed, doubt,
                                                          unmapped, strict=True)]
    return encounter_values, _columns(entries, method, release)


def _dated(day: object, release: ReleaseLike | None, method: Method,
           shared: dict[tuple[str, int], int], contexts: list[_Context],
           variants: tuple[bool, bool]) -> int:
    """The context of a date of service, the release in force (or *release*, which must
    cover it) and the POA-exempt list of its fiscal year, as its position in *contexts*
    (one per release and fiscal year)."""
    if _missing(day):
        raise ComorbidityError(f"A row has no date of service ({quote(day)}); give every row a "
                               "date, or leave date= out and give release=.")
    when = as_date(day)  # type: ignore[arg-type]
    resolved, year = resolve_release(release, date_of_service=when), fiscal_year_of(when)
    key = (resolved.id, year)
    if key not in shared:
        shared[key] = len(contexts)
        contexts.append(_Context(resolved, method, year, variants))
    return shared[key]


def _columns(entries: list[tuple[_Context, int, int, int, int]], method: Method,
             release: ReleaseLike | None) -> dict[str, list[Any]]:
    """The output columns, from each encounter's context, the flags its diagnoses set (for
    sure, only if assumed present on admission, and would set if not present on
    admission) and its count of unmapped rows."""
    names = (entries[0][0] if entries else _Context(resolve_release(release), method, 0)).names()
    for other in {id(entry[0]): entry[0] for entry in entries}.values():
        if other.names() != names:
            raise ComorbidityError(
                f"The CMR versions of these dates ({entries[0][0].version}, {other.version}) "
                "list their measures differently; give the rows of one version at a time.")
    flag_count = len(names) - (3 if method == "elixhauser" else len(WEIGHTINGS))
    rows = [context.row(certain, assumed, unsure)
            for context, certain, assumed, unsure, _ in entries]
    finals = [final for final, _ in rows]
    columns: dict[str, list[Any]] = {
        name: [final >> bit & 1 == 1 for final in finals]
        for bit, name in enumerate(names[:flag_count])
    }
    for position, name in enumerate(names[flag_count:]):
        columns[name] = [scores[position] for _, scores in rows]
    columns["unmapped"] = [entry[4] for entry in entries]
    columns["release"] = [entry[0].release.id for entry in entries]
    if method == "elixhauser":
        columns["version"] = [entry[0].version for entry in entries]
    return columns


#: (library, type name) of the tables taken -> the module that factorises their columns
_TABLES = {
    ("pandas", "DataFrame"): "icd10cm.frame.claims_pandas",
    ("polars", "DataFrame"): "icd10cm.frame.claims_polars",
    ("pyarrow", "Table"): "icd10cm.frame.claims_arrow",
    ("pyarrow", "RecordBatch"): "icd10cm.frame.claims_arrow",
    ("pyarrow", "RecordBatchReader"): "icd10cm.frame.claims_arrow",  # read whole first
}


def _library(table: object) -> tuple[str, str]:
    """The library of a table, and the module that factorises its columns (for a subclass
    of a library's table, such as pandera's ``DataFrame[Schema]``, those of the library)."""
    for kind in type(table).__mro__:
        library = kind.__module__.partition(".")[0]
        module = _TABLES.get((library, kind.__name__))
        if module is not None:
            return library, module
    raise ComorbidityError(
        f"Cannot read a {type(table).__module__}.{type(table).__qualname__} as a claims "
        "table: icd10cm.frame.comorbidity takes a pandas DataFrame, a polars DataFrame or a "
        "pyarrow Table, RecordBatch or RecordBatchReader with one row per diagnosis."
    )


def _names(table: Any, library: str) -> list[object]:
    if library == "pandas":
        return list(table.columns)
    return list(table.columns if library == "polars" else table.column_names)


def _ids(column: Column) -> Column:
    """The encounter ids, blank texts as empty cells (as :func:`icd10cm.frame.check` reads
    them: pyarrow's CSV reader reads an empty cell as ``""``), and only the values that
    a row holds, so that each is an encounter."""
    import attrs
    import numpy as np  # the module that factorised the column imported it

    from icd10cm.frame.encounters import blanks_as_nulls

    blanked = blanks_as_nulls(column)
    used = np.unique(blanked.ids[blanked.ids >= 0])  # in order of first appearance still
    if len(used) == len(column.values):
        return blanked
    renumbered = np.full(len(column.values) + 1, -1, dtype=np.int64)  # the last: nulls
    renumbered[used] = np.arange(len(used), dtype=np.int64)
    return attrs.evolve(blanked, ids=renumbered[blanked.ids],
                        values=[column.values[index] for index in used.tolist()])


def _first_rows(ids: Any) -> list[int]:
    """The first row of each encounter, in the order of the encounters (of first
    appearance, the rows without an id last): *ids* are a factorised column's ids."""
    import numpy as np  # the module that factorised the column imported it

    distinct, first = np.unique(ids, return_index=True)
    if len(distinct) and distinct[0] < 0:  # the rows without an id: their encounter is last
        first = np.r_[first[1:], first[:1]]
    rows: list[int] = first.tolist()
    return rows


_TEXTS = ("release", "version")
_NUMBERS = ("mortality_index", "readmission_index", "assumed", "unmapped", *WEIGHTINGS)


def _kind(name: str) -> str:
    """The kind of an output column: text, a whole number, or a flag (a measure or a
    condition)."""
    return "text" if name in _TEXTS else "number" if name in _NUMBERS else "flag"


def _table(library: str, table: Any, encounter: Any, rows: list[int],
           columns: dict[str, list[Any]]) -> Any:
    """The result: the encounter column taken from *table* (the first row of each
    encounter, so its ids keep their type), then *columns*, each of the type of its kind
    (an empty table's too: a library would take a column of no values for floats or
    nulls)."""
    if library == "pandas":
        import pandas as pd  # type: ignore[import-untyped]

        from icd10cm.frame.claims_pandas import taken

        text = pd.Series(["text"]).dtype  # str, or object before pandas 3
        dtypes = {"text": text, "number": "int64", "flag": "bool"}
        return pd.DataFrame({encounter: taken(table[encounter], rows),
                             **{name: pd.Series(values, dtype=dtypes[_kind(name)])
                                for name, values in columns.items()}})
    if library == "polars":
        import polars as pl

        kinds = {"text": pl.String, "number": pl.Int64, "flag": pl.Boolean}
        result = pl.DataFrame([pl.Series(name, values, dtype=kinds[_kind(name)])
                               for name, values in columns.items()])
        return result.insert_column(0, table[encounter].gather(rows))
    import pyarrow as pa  # type: ignore[import-untyped]

    from icd10cm.frame.claims_arrow import taken as arrow_taken

    types = {"text": pa.string(), "number": pa.int64(), "flag": pa.bool_()}
    ids = arrow_taken(table.column(encounter), pa.array(rows, pa.int64()))
    return pa.table({name: pa.array(values, types[_kind(name)])
                     for name, values in columns.items()}).add_column(0, encounter, ids)


def comorbidity(
    table: Any,
    *,
    encounter: str = "encounter",
    code: str = "code",
    poa: str | None = None,
    date: str | None = None,
    release: ReleaseLike | None = None,
    method: Method = "elixhauser",
    e1x6_as_complicated: bool = False,
    c4a_as_malignancy: bool = False,
) -> Any:
    """One row per encounter of a claims table with one row per diagnosis.

    *table* is a pandas DataFrame, a polars DataFrame, or a pyarrow Table, RecordBatch or
    RecordBatchReader (read whole; the result is then a Table); *encounter*, *code*, *poa*
    and *date* name its columns: the encounter (stay or patient) id, the diagnosis code
    (dotted or not), the present-on-admission indicator, and the date of service (the
    discharge date of a stay), which chooses the release, and with it the
    CMR version and the POA-exempt list. Without a date column every row uses *release*
    (default: the latest); with one, *release*, if given, must cover every date.

    The result, of the same library, has the encounter column, then for
    ``method="elixhauser"`` one boolean column per CMR measure, ``mortality_index``,
    ``readmission_index`` and ``assumed`` (how many of the measures were counted only by
    assuming a diagnosis without a POA indicator present on admission); for
    ``method="charlson"`` one boolean column per condition and the scores
    ``charlson1987`` and ``quan2011``; then ``unmapped`` (rows whose code the map
    cannot read, empty ones included) and ``release`` (and ``version``, the CMR
    version). Every row counts as a secondary diagnosis: drop the principal
    diagnoses first to follow the CMR program exactly. Unknown codes never raise.

    *e1x6_as_complicated* and *c4a_as_malignancy* are the two opt-in ICD-10-CM points
    of the Charlson document, as in :func:`icd10cm.charlson` (``method="charlson"``
    only); *poa* is for ``method="elixhauser"`` only.
    """
    variants = (e1x6_as_complicated, c4a_as_malignancy)
    if any(variants) and method != "charlson":
        chosen = [name for name, wanted in (("e1x6_as_complicated", e1x6_as_complicated),
                                            ("c4a_as_malignancy", c4a_as_malignancy))
                  if wanted]
        raise ComorbidityError(
            f"{' and '.join(f'{name}=True' for name in chosen)}: options of "
            f"method='charlson', not of method={quote(method)}; add method='charlson' or "
            "leave them out.")
    if poa is not None and method == "charlson":
        raise ComorbidityError(
            f"poa={quote(poa)} is an option of method='elixhauser': the Charlson index reads "
            "every code, whatever its POA indicator. Leave poa out, or use "
            "method='elixhauser'.")
    library, module = _library(table)
    if type(table).__name__ == "RecordBatchReader":  # such as DuckDB's relation.arrow()
        table = table.read_all()
    names = _names(table, library)
    factorised = importlib.import_module(module).column
    wanted = {"encounter": encounter, "code": code, "poa": poa, "date": date}
    absent = [f"{k}={quote(v)}" for k, v in wanted.items()
              if (v is None and k in ("encounter", "code")) or (v is not None and v not in names)]
    if absent:
        raise ComorbidityError(f"The table has no column {', '.join(absent)}; its columns are "
                               f"{', '.join(map(repr, names))}.")
    repeated = [f"{names.count(v)} columns named {quote(v)} ({k}={quote(v)})"
                for k, v in wanted.items() if v is not None and names.count(v) > 1]
    if repeated:
        raise ComorbidityError(f"The table has {', '.join(repeated)}, so which one holds the "
                               "data is unknown: rename or drop the others.")
    encounters = _ids(factorised(table, encounter))
    _, columns = summarise(
        encounters, factorised(table, code),
        None if poa is None else factorised(table, poa),
        None if date is None else factorised(table, date),
        release=release, method=method, variants=variants,
    )
    if encounter in columns:
        raise ComorbidityError(f"The encounter column {quote(encounter)} has the name of an output "
                               "column; rename it first.")
    return _table(library, table, encounter, _first_rows(encounters.ids), columns)
