"""Exceptions raised by icd10cm.

Every exception the library raises on purpose derives from :class:`Icd10cmError`,
so ``except icd10cm.Icd10cmError`` catches them all. Each message repeats the
offending input and says how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "DataIntegrityError",
    "EncounterError",
    "Icd10cmError",
    "InvalidDateError",
    "MalformedCodeError",
    "NoReleaseForDateError",
    "PlaceholderError",
    "SeventhCharacterError",
    "SourceFileError",
    "UnknownCodeError",
    "UnknownReleaseError",
]


class Icd10cmError(Exception):
    """Base class of every error icd10cm raises."""


class UnknownReleaseError(Icd10cmError, LookupError):
    """A release id that is not bundled (and was not built from files)."""

    def __init__(self, release: object, valid: Iterable[str]) -> None:
        self.release = release
        self.valid = tuple(valid)
        super().__init__(
            f"Unknown ICD-10-CM release: {release!r}. "
            f"Valid release ids: {', '.join(self.valid)}. "
            "A bare fiscal year such as 2025 means that year's October 1 release."
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


class InvalidDateError(Icd10cmError, ValueError):
    """A date of service that is not a date."""

    def __init__(self, when: object) -> None:
        self.date = when
        super().__init__(
            f"Invalid date of service: {when!r}. Give a datetime.date or an ISO date "
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
        super().__init__(f"Invalid ICD-10-CM code: {text!r}: {problem}")


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
        super().__init__(f"{code!r} is not a code of ICD-10-CM {label}: {history}.{hint}")


class SeventhCharacterError(Icd10cmError, ValueError):
    """A 7th character that cannot be added to a code (Guidelines I.A.5)."""

    def __init__(self, code: str, problem: str) -> None:
        self.code = code
        self.problem = problem
        super().__init__(f"Cannot add a 7th character to {code!r}: {problem}")


class PlaceholderError(Icd10cmError, ValueError):
    """Placeholder X padding (Guidelines I.A.4) that does not lead to one valid code."""

    def __init__(self, code: str, problem: str) -> None:
        self.code = code
        self.problem = problem
        super().__init__(f"Cannot pad {code!r} with placeholder X: {problem}")


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
