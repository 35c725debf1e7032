"""Exceptions raised by icd10cm.

Every exception the library raises on purpose derives from :class:`Icd10cmError`,
so ``except icd10cm.Icd10cmError`` catches them all. Each message repeats the
offending input (quoted by :func:`quote`: at most 80 characters, and never failing)
and says how to fix it. Every error pickles, so it can cross a process boundary
(``concurrent.futures.ProcessPoolExecutor``, Dask workers) intact.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "AmbiguousTableTermError",
    "ComorbidityError",
    "ConversionUnavailableError",
    "DataIntegrityError",
    "DominanceError",
    "DuplicateColumnError",
    "EncounterError",
    "Icd10cmError",
    "IndexUnavailableError",
    "InvalidDateError",
    "MalformedCodeError",
    "MissingColumnError",
    "NoReleaseForDateError",
    "NoTableCodeError",
    "PlaceholderError",
    "PoaExemptUnavailableError",
    "ReleaseDateMismatchError",
    "SearchQueryError",
    "SerializationError",
    "SeventhCharacterError",
    "SourceFileError",
    "TableUnavailableError",
    "UnknownCodeError",
    "UnknownIndexTermError",
    "UnknownReleaseError",
    "UnknownTableColumnError",
    "UnknownTableTermError",
    "UnsupportedColumnError",
    "UnsupportedTableError",
    "quote",
]

QUOTE_LIMIT = 80  # characters of an input that a message quotes


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` for a message: at most *limit* characters, cut with "…", and
    never raising, whatever *value* is (an int too long to print, an object whose
    ``__repr__`` fails, a string of a million characters)."""
    try:
        if isinstance(value, (str, bytes, bytearray)) and len(value) > limit:
            value = value[:limit]  # the repr of a prefix is enough, and cheap
        text = repr(value)
    except Exception:  # any failure of a user's __repr__
        kind = type(value).__name__
        text = (f"<{kind} of {value.bit_length()} bits>" if isinstance(value, int)
                else f"<{kind} object whose repr() failed>")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _restore(kind: type[Icd10cmError], args: tuple[object, ...]) -> Icd10cmError:
    """Unpickle an error without calling its ``__init__`` (whose parameters differ)."""
    error = kind.__new__(kind)
    error.args = args
    return error


class Icd10cmError(Exception):
    """Base class of every error icd10cm raises."""

    def __reduce__(self) -> tuple[object, ...]:
        # Exception pickles as kind(*args), which a subclass's own __init__ refuses;
        # rebuild it from its message (args) and attributes (__dict__) instead.
        return (_restore, (type(self), self.args), self.__dict__)


class UnknownReleaseError(Icd10cmError, LookupError):
    """A release id that is not bundled (and was not built from files)."""

    def __init__(self, release: object, valid: Iterable[str]) -> None:
        self.release = release
        self.valid = tuple(valid)
        super().__init__(
            f"Unknown ICD-10-CM release: {quote(release)}. "
            f"Valid release ids: {', '.join(self.valid)}. "
            "A bare fiscal year such as 2025 means that year's October 1 release."
        )


class ConversionUnavailableError(Icd10cmError, LookupError):
    """A conversion asked of a release built from files: the CMS conversion tables
    are bundled for the bundled releases only."""

    def __init__(self, release: object, bundled: Iterable[str]) -> None:
        self.release = release
        self.bundled = tuple(bundled)
        super().__init__(
            f"No conversion tables for release {quote(release)} built from files: the CMS "
            f"conversion tables are bundled for the bundled releases only "
            f"({', '.join(self.bundled)}); convert between those, e.g. "
            f"convert(code, {self.bundled[-2]!r}, {self.bundled[-1]!r})."
        )


class NoReleaseForDateError(Icd10cmError, LookupError):
    """No bundled release was in force on the given date of service."""

    def __init__(
        self, when: object, valid: Iterable[str], coverage: str, *, before: bool = False
    ) -> None:
        self.date = when
        self.valid = tuple(valid)
        advice = (
            "ICD-10-CM took effect in the US on 2015-10-01; earlier dates of service are "
            "coded in ICD-9-CM."
            if before
            else "For a newer release, build it from the official CMS/CDC files with "
            "icd10cm.release_from_files(...) or upgrade icd10cm."
        )
        super().__init__(
            f"No bundled ICD-10-CM release is in force on {when}: the bundled releases "
            f"({', '.join(self.valid)}) cover {coverage}. {advice}"
        )


class ReleaseDateMismatchError(Icd10cmError, ValueError):
    """A release and a date of service that it does not cover, given together."""

    def __init__(self, release: str, described: str, when: object, in_force: str | None) -> None:
        self.release = release
        self.date = when
        self.in_force = in_force
        then = (f"the release in force then is {in_force!r}" if in_force is not None
                else "no bundled release is in force then")
        super().__init__(
            f"ICD-10-CM {described} ({release!r}) does not cover the date of service {when}: "
            f"{then}. Give the date of service alone, or a release that covers it."
        )


class InvalidDateError(Icd10cmError, ValueError):
    """A date of service that is not a date."""

    def __init__(self, when: object) -> None:
        self.date = when
        super().__init__(
            f"Invalid date of service: {quote(when)}. Give a datetime.date or an ISO date "
            "such as '2025-10-01'."
        )


class SourceFileError(Icd10cmError, ValueError):
    """An official source file (order file, tabular XML, ...) is malformed or truncated."""

    def __init__(self, file: str, problem: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {problem}")


class DataIntegrityError(Icd10cmError, RuntimeError):
    """A bundled data file is missing, truncated or altered."""

    def __init__(self, file: str, problem: str) -> None:
        self.file = file
        self.problem = problem
        super().__init__(
            f"Bundled data file {file!r} is damaged: {problem}. "
            "Reinstall icd10cm (pip install --force-reinstall icd10cm) to restore it."
        )


class MalformedCodeError(Icd10cmError, ValueError):
    """Text that is not shaped like an ICD-10-CM code at all."""

    def __init__(self, text: object, problem: str) -> None:
        self.text = text
        self.problem = problem
        super().__init__(f"Invalid ICD-10-CM code: {quote(text)}: {problem}")


class UnknownCodeError(Icd10cmError, LookupError):
    """A well-formed code that the release does not have.

    *history* says when the code existed, if ever; *suggestions* are the
    closest codes that are valid in the release.
    """

    def __init__(
        self, code: str, release: str, label: str, history: str, suggestions: tuple[str, ...]
    ) -> None:
        self.code = code
        self.release = release  # the release id, e.g. "2027"
        self.history = history
        self.suggestions = suggestions
        hint = f" Closest valid codes: {', '.join(suggestions)}." if suggestions else ""
        super().__init__(f"{quote(code)} is not a code of ICD-10-CM {label}: {history}.{hint}")


class SeventhCharacterError(Icd10cmError, ValueError):
    """A 7th character that cannot be added to a code (Guidelines I.A.5)."""

    def __init__(self, code: str, problem: str) -> None:
        self.code = code
        self.problem = problem
        super().__init__(f"Cannot add a 7th character to {quote(code)}: {problem}")


class PlaceholderError(Icd10cmError, ValueError):
    """Placeholder X padding (Guidelines I.A.4) that does not lead to one valid code."""

    def __init__(self, code: str, problem: str) -> None:
        self.code = code
        self.problem = problem
        super().__init__(f"Cannot pad {quote(code)} with placeholder X: {problem}")


class EncounterError(Icd10cmError, ValueError):
    """An encounter that cannot be built. Every problem is reported at once.

    *problems* pairs each 0-based diagnosis position (None for a problem with the
    encounter as a whole) with what is wrong there.
    """

    def __init__(self, problems: Iterable[tuple[int | None, str]]) -> None:
        self.problems = tuple(problems)
        parts = [
            (problem if position is None else f"diagnosis {position + 1}: {problem}").rstrip(".")
            for position, problem in self.problems
        ]
        count = len(parts)
        super().__init__(
            f"Invalid encounter ({count} problem{'s' if count != 1 else ''}): "
            + "; ".join(parts) + "."
        )


class DominanceError(Icd10cmError, ValueError):
    """An I69 subcategory that does not code dominance, or a side or handedness that is
    not a known value (Guidelines I.C.9.d)."""


class SerializationError(Icd10cmError, ValueError):
    """A JSON document that cannot be read back. Every problem is reported at once.

    *problems* are messages such as ``"'E11.99' is not a code ... @ $.diagnoses[1]"``,
    each ending with the JSON path of the bad value.
    """

    def __init__(self, target: str, problems: Iterable[str]) -> None:
        self.target = target
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(
            f"Invalid icd10cm JSON for {target} ({count} problem{'s' if count != 1 else ''}): "
            + "; ".join(self.problems)
            + f". Documents are made by icd10cm.{'check_' if target == 'check' else ''}"
            "to_json(); see docs/json.md for the format."
        )


def _unavailable(release: str, label: str, what: str, nearest: tuple[str, ...],
                 own_data_only: bool) -> str:
    hint = (f" The nearest releases with one of their own: {', '.join(nearest)}."
            if nearest else "")
    if own_data_only:
        return (f"ICD-10-CM {label} ({release!r}) has no {what} of its own, and "
                f"own_data_only=True refuses another release's; without it, the nearest "
                f"release's {what} is used, and every answer says so.{hint}")
    return (f"No {what} applies to ICD-10-CM {label} ({release!r}): neither it nor any "
            f"bundled release has one.{hint}")


class IndexUnavailableError(Icd10cmError, LookupError):
    """A release without the Alphabetic Index (or External Cause Index) of its own asked
    for a term with ``own_data_only=True`` (or no release has the index at all).

    *nearest* names the closest releases, by date, that have one of their own.
    """

    def __init__(self, release: str, label: str, index: str, nearest: Iterable[str],
                 *, own_data_only: bool = True) -> None:
        self.release = release
        self.nearest = tuple(nearest)
        super().__init__(
            _unavailable(release, label, index, self.nearest, own_data_only)
            + " icd10cm.search() still answers from the release's titles."
        )


class UnknownIndexTermError(Icd10cmError, LookupError):
    """A term that is not in the index at the place the path gives.

    *found* is the part of the path that was found; *suggestions* are the closest terms
    at the place where the path went wrong.
    """

    def __init__(self, term: str, found: tuple[str, ...], index: str,
                 suggestions: tuple[str, ...]) -> None:
        self.term = term
        self.found = found
        self.suggestions = suggestions
        where = f"under {' > '.join(found)!r}" if found else "as a main term"
        hint = (f" Closest terms: {'; '.join(suggestions)}." if suggestions
                else " Try icd10cm.search() with the words you have.")
        super().__init__(f"Unknown index term: {quote(term)} is not in the {index} {where}.{hint}")


class SearchQueryError(Icd10cmError, ValueError):
    """A search that cannot be run: no words to look for, or a limit below 1."""

    def __init__(self, query: object, problem: str) -> None:
        self.query = query
        self.problem = problem
        super().__init__(f"Cannot search for {quote(query)}: {problem}")


class TableUnavailableError(Icd10cmError, LookupError):
    """A release without the Table of Drugs or the Neoplasm Table of its own asked for
    it with ``own_data_only=True`` (or no release has the table at all).

    *nearest* names the closest releases, by date, that have one of their own.
    """

    def __init__(self, release: str, label: str, table: str, nearest: Iterable[str],
                 *, own_data_only: bool = True) -> None:
        self.release = release
        self.table = table
        self.nearest = tuple(nearest)
        super().__init__(_unavailable(release, label, table, self.nearest, own_data_only))


class PoaExemptUnavailableError(Icd10cmError, LookupError):
    """A release without a POA-exempt list of its own asked for one with
    ``own_data_only=True`` (or no release has one at all).

    *nearest* names the closest releases, by date, that have one of their own.
    """

    def __init__(self, release: str, label: str, nearest: Iterable[str],
                 *, own_data_only: bool = True) -> None:
        self.release = release
        self.nearest = tuple(nearest)
        super().__init__(
            _unavailable(release, label, "POA-exempt list", self.nearest, own_data_only))


class UnknownTableTermError(Icd10cmError, LookupError):
    """A substance or neoplasm site that is not a row of the table.

    *suggestions* are the closest rows, as paths such as ``"Acetaminophen"`` or
    ``"Neoplasm, neoplastic > bone > femur"``.
    """

    def __init__(self, term: object, what: str, table: str, suggestions: Iterable[str]) -> None:
        self.term = term
        self.suggestions = tuple(suggestions)
        hint = (f" Closest rows: {'; '.join(repr(s) for s in self.suggestions)}."
                if self.suggestions else "")
        super().__init__(
            f"Unknown {what}: {quote(term)} is not a row of the {table}.{hint} Give a row's "
            "path as a tuple or joined with ' > '."
        )


class AmbiguousTableTermError(Icd10cmError, LookupError):
    """A term that names several rows of the table (a subterm under several terms).

    *candidates* are the paths of every row it names.
    """

    def __init__(self, term: object, table: str, candidates: Iterable[str]) -> None:
        self.term = term
        self.candidates = tuple(candidates)
        shown = "; ".join(repr(c) for c in self.candidates[:20])
        more = (f" and {len(self.candidates) - 20} more" if len(self.candidates) > 20 else "")
        super().__init__(
            f"{quote(term)} names {len(self.candidates)} rows of the {table}: {shown}{more}. "
            "Give the full path of one, as a tuple or joined with ' > '."
        )


class NoTableCodeError(Icd10cmError, LookupError):
    """The table has no code in this row and column: the cell is empty (``--``) or
    the row has no cells at all (a see reference, or a heading of its subterms)."""

    def __init__(self, row: str, column: str, table: str, problem: str) -> None:
        self.row = row
        self.column = column
        self.problem = problem
        super().__init__(f"The {table} has no code for {row!r} under {column!r}: {problem}")


class UnknownTableColumnError(Icd10cmError, ValueError):
    """A column (intent or behavior) that the table does not have."""

    def __init__(self, column: object, what: str, valid: Iterable[str]) -> None:
        self.column = column
        self.valid = tuple(valid)
        super().__init__(f"Unknown {what}: {quote(column)}. Valid: {', '.join(self.valid)}.")


class UnsupportedColumnError(Icd10cmError, TypeError):
    """A value that :func:`icd10cm.frame.validate` cannot take as a column."""

    def __init__(self, values: object) -> None:
        kind = type(values)
        self.type = f"{kind.__module__}.{kind.__qualname__}"
        if kind.__module__.startswith("dask"):
            advice = ("map icd10cm.frame.pandas.validate over its partitions with "
                      "map_partitions(..., meta=icd10cm.frame.pandas.meta())")
        elif kind.__name__ in ("DataFrame", "Table", "RecordBatch", "LazyFrame"):
            advice = "pass one column of it, such as df['code']"
        else:
            advice = "for a list or other iterable of strings, use icd10cm.validate_many"
        super().__init__(
            f"Cannot validate a {self.type}: icd10cm.frame.validate takes a pandas Series, "
            f"a polars Series, or a pyarrow Array or ChunkedArray; {advice}."
        )


class ComorbidityError(Icd10cmError, ValueError):
    """Input that a comorbidity measure cannot use: present-on-admission indicators that
    do not fit the codes, an unknown CMR version or weighting, a table without the named
    columns. Codes are never the problem: a code a map does not know is reported as
    unmapped, with its reason."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


class UnsupportedTableError(Icd10cmError, TypeError):
    """A value that :func:`icd10cm.frame.check` cannot take as a claims table."""

    def __init__(self, table: object) -> None:
        kind = type(table)
        self.type = f"{kind.__module__}.{kind.__qualname__}"
        if kind.__module__.startswith("dask"):
            advice = ("check it partition by partition, with the partitions split by "
                      "encounter (docs/frames.md, 'Dask')")
        elif kind.__name__ == "LazyFrame":
            advice = "collect() it first"
        elif kind.__name__ == "Series" or kind.__name__.endswith("Array"):
            advice = ("pass the whole table, one row per diagnosis, with its encounter, "
                      "code and position columns; icd10cm.frame.validate checks one column")
        else:
            advice = "for encounters held in Python, use icd10cm.Encounter and icd10cm.check"
        super().__init__(
            f"Cannot check a {self.type}: icd10cm.frame.check takes a pandas DataFrame, a "
            f"polars DataFrame, or a pyarrow Table, RecordBatch or RecordBatchReader; {advice}."
        )


class MissingColumnError(Icd10cmError, LookupError):
    """A column named to :func:`icd10cm.frame.check` that the table does not have."""

    def __init__(self, missing: Iterable[tuple[str, object]], available: Iterable[object]) -> None:
        self.missing = tuple(missing)
        self.available = tuple(quote(name) if not isinstance(name, str) else name
                               for name in available)
        named = ", ".join(f"{role}={quote(column)}" for role, column in self.missing)
        super().__init__(
            f"The table has no column {named}. Its columns: "
            f"{', '.join(self.available) or '(none)'}. Name the columns that hold the encounter "
            "id, the code and the position of each diagnosis (encounter=, code=, position=), "
            "and the optional setting=, date= and poa=."
        )


class DuplicateColumnError(Icd10cmError, LookupError):
    """A column named to :func:`icd10cm.frame.check` that the table has more than once."""

    def __init__(self, repeated: Iterable[tuple[str, object]], available: Iterable[object]) -> None:
        self.repeated = tuple(repeated)
        names = list(available)
        said = ", ".join(f"{names.count(column)} columns named {quote(column)} "
                         f"({role}={quote(column)})" for role, column in self.repeated)
        super().__init__(
            f"The table has {said}, so which one holds the data is unknown: rename or drop "
            "the others, so that each column named by encounter=, code=, position=, "
            "setting=, date= and poa= is the only one of its name."
        )
