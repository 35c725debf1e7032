"""Validate code text against a release and explain the result in plain words."""

from __future__ import annotations

import enum
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import overload

import attrs

from icd10cm.codes.seventh import placeholder_candidates, seventh_characters
from icd10cm.core import caches
from icd10cm.core.code import Code
from icd10cm.core.release import Release
from icd10cm.core.seventh import SeventhCharacter
from icd10cm.core.text import listing, normalize, undot
from icd10cm.errors import MalformedCodeError, quote
from icd10cm.releases.history import closest_codes, describe_history, releases_with
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = [
    "Status",
    "Validation",
    "ValidationBatch",
    "clear",
    "hashable_key",
    "is_valid",
    "validate",
    "validate_many",
]

_CACHE_LIMIT = 1 << 18  # distinct inputs remembered per release (then it starts afresh)
# Longer text is never a code (at most 8 characters with the dot, white space aside), so
# it is not remembered: the memo holds at most _CACHE_LIMIT short strings per release.
_MEMO_MAX_LENGTH = 64


class Status(str, enum.Enum):
    """The outcome of :func:`validate`."""

    VALID = "valid"  # reportable (billable) in the release
    HEADER = "header"  # exists, but has codes below it: not reportable
    MISSING_SEVENTH_CHARACTER = "missing_seventh_character"
    INVALID_SEVENTH_CHARACTER = "invalid_seventh_character"
    MISSING_PLACEHOLDER = "missing_placeholder"
    NOT_IN_RELEASE = "not_in_release"  # exists in other releases
    UNKNOWN = "unknown"  # well-formed, in no bundled release
    MALFORMED = "malformed"  # not shaped like a code
    MISSING = "missing"  # no value: None, NaN or a null cell of a data frame

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Validation:
    """The verdict on one piece of text, with a plain-language message.

    *code* is the normalised form (None when malformed); *suggestions* are the
    codes to consider instead (the reportable codes under a header, the full
    codes of a stem, the closest valid codes); *seventh_characters* lists the
    allowed 7th characters where they are the issue.
    """

    text: str
    status: Status
    message: str
    release: str
    code: str | None = None
    title: str | None = None
    suggestions: tuple[str, ...] = ()
    seventh_characters: tuple[SeventhCharacter, ...] = ()

    @property
    def is_valid(self) -> bool:
        """True only for :attr:`Status.VALID`: reportable in the release."""
        return self.status is Status.VALID


def _sevenths(options: tuple[SeventhCharacter, ...]) -> str:
    return "; ".join(f"{o.character} = {o.meaning}" for o in options)


def _known(text: str, code: Code, label: str) -> Validation:
    release = code.release
    if code.is_billable:
        return Validation(
            text, Status.VALID, f"{code.value} is a reportable code in ICD-10-CM {label}: "
            f"{code.title}.", release.id, code.value, code.title,
        )
    options = seventh_characters(code)
    if options:
        return Validation(
            text, Status.MISSING_SEVENTH_CHARACTER,
            f"{code.value} ({code.title}) needs a 7th character (Guidelines I.A.5) in "
            f"ICD-10-CM {label}: {_sevenths(options)}. For example {options[0].code}.",
            release.id, code.value, code.title, tuple(o.code for o in options), options,
        )
    reportable = release.billable_below(code.index)
    return Validation(
        text, Status.HEADER,
        f"{code.value} ({code.title}) is a header, not reportable in ICD-10-CM {label}: "
        f"report one of the {len(reportable)} codes below it, such as {listing(reportable)}.",
        release.id, code.value, code.title, reportable,
    )


def _unknown(text: str, value: str, release: Release) -> Validation:
    label = release.info.label
    undotted = undot(value)
    options = seventh_characters(value, release=release)
    if options:  # an X-padded stem such as W21.89X or T07.XX
        return Validation(
            text, Status.MISSING_SEVENTH_CHARACTER,
            f"{value} needs placeholder X and a 7th character (Guidelines I.A.4, I.A.5) in "
            f"ICD-10-CM {label}: {_sevenths(options)}. For example {options[0].code}.",
            release.id, value, None, tuple(o.code for o in options), options,
        )
    padded = placeholder_candidates(value, release)
    if padded:
        first = padded[0]
        intended = (
            f"the intended code is {first.value} ({first.title})" if len(padded) == 1
            else f"it may be any of {listing(c.value for c in padded)}"
        )
        return Validation(
            text, Status.MISSING_PLACEHOLDER,
            f"{value} lacks the placeholder X that fills a code to 6 characters before its "
            f"7th character (Guidelines I.A.4): {intended}.",
            release.id, value, None, tuple(c.value for c in padded),
        )
    ids = releases_with(value)
    history, elsewhere = describe_history(ids, release), bool(ids)
    if len(undotted) == 7:
        stem = value[:-1]
        options = seventh_characters(stem, release=release)
        if options:  # the stem takes 7th characters here, but not this one
            return Validation(
                text, Status.INVALID_SEVENTH_CHARACTER,
                f"{value}: {undotted[6]} is not a valid 7th character for {stem.rstrip('X.')} "
                f"in ICD-10-CM {label} (Guidelines I.A.5); valid: {_sevenths(options)}."
                + (f" Note: {history}." if elsewhere else ""),
                release.id, value, None, tuple(o.code for o in options), options,
            )
    closest = closest_codes(value, release)
    advice = f"Closest valid codes: {', '.join(closest)}." if closest else "No close code found."
    if elsewhere:
        return Validation(
            text, Status.NOT_IN_RELEASE,
            f"{value} is not a code of ICD-10-CM {label}: {history}. {advice}",
            release.id, value, None, closest,
        )
    return Validation(
        text, Status.UNKNOWN, f"{value} is not an ICD-10-CM code: {history}. {advice}",
        release.id, value, None, closest,
    )


_MISSING_MESSAGE = (
    "Missing value: there is no code to validate (None, NaN or an empty cell of a data "
    "frame). Fill in the code or drop the row."
)


def _is_missing(value: object) -> bool:
    """None, a float NaN, or pandas' NA/NaT (recognised without importing pandas)."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    kind = type(value)
    return kind.__module__.startswith("pandas") and kind.__name__ in ("NAType", "NaTType")


def _compute(text: object, release: Release) -> Validation:
    shown = str.__str__(text) if isinstance(text, str) else quote(text)  # a plain str
    if _is_missing(text):
        return Validation(shown, Status.MISSING, _MISSING_MESSAGE, release.id)
    try:
        value = normalize(text)  # type: ignore[arg-type]
    except MalformedCodeError as exc:
        return Validation(shown, Status.MALFORMED, str(exc), release.id)
    code = release.get(value)
    if code is not None:
        return _known(shown, code, release.info.label)
    return _unknown(shown, value, release)


_lock = threading.Lock()
# Per release, the verdict on each text validated so far.
_memo: weakref.WeakKeyDictionary[Release, dict[str, Validation]] = weakref.WeakKeyDictionary()


@caches.register
def clear() -> None:
    """Forget every memoised verdict."""
    with _lock:
        _memo.clear()


def _memo_of(release: Release) -> dict[str, Validation]:
    memo = _memo.get(release)
    if memo is None:
        with _lock:
            memo = _memo.setdefault(release, {})
    return memo


def _validate(text: object, release: Release) -> Validation:
    if type(text) is not str or len(text) > _MEMO_MAX_LENGTH:
        # None, NaN, numbers (1 == True == 1.0) and long text are not memoised
        return _compute(text, release)
    cache = _memo_of(release)
    hit = cache.get(text)
    if hit is None:
        hit = _compute(text, release)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text] = hit
    return hit


def validate(text: str, *, release: ReleaseLike | None = None) -> Validation:
    """Check *text* against a release (default: the latest) and explain the verdict.

    Never raises for bad codes: malformed text, unknown codes and headers all give
    a :class:`Validation` whose :attr:`~Validation.status` says what is wrong and
    whose message says how to fix it (quoting at most 80 characters of the input).
    Results are memoised per release, for text of up to 64 characters.
    """
    resolved = resolve_release(release)
    if type(text) is str:  # the memoised fast path
        memo = _memo.get(resolved)
        if memo is not None:
            hit = memo.get(text)
            if hit is not None:
                return hit
    return _validate(text, resolved)


def is_valid(text: str, *, release: ReleaseLike | None = None) -> bool:
    """Whether *text* is a reportable (billable) code in the release."""
    return _validate(text, resolve_release(release)).status is Status.VALID


def hashable_key(value: object) -> object:
    """*value* itself, or for an unhashable one (a list, a dict) its repr (quoted as in
    messages): a key under which it is validated once (as malformed) however often it
    repeats."""
    try:
        hash(value)
    except TypeError:
        return quote(value)
    return value


class ValidationBatch(Sequence[Validation]):
    """The results of :func:`validate_many`: a read-only sequence, one per input.

    Each distinct input was validated once; the sequence maps every position to
    its shared :class:`Validation` on access, so even ten million rows take
    little memory. :attr:`distinct` holds the verdict per distinct input.
    """

    __slots__ = ("_counts", "_texts", "distinct")

    def __init__(self, texts: Sequence[object], distinct: Mapping[object, Validation]) -> None:
        self._texts = texts
        self.distinct = distinct
        self._counts: Counter[Status] | None = None

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Validation: ...

    @overload
    def __getitem__(self, index: slice) -> list[Validation]: ...

    def __getitem__(self, index: int | slice) -> Validation | list[Validation]:
        if isinstance(index, slice):
            return list(map(self.distinct.__getitem__, self._texts[index]))
        return self.distinct[self._texts[index]]

    def __iter__(self) -> Iterator[Validation]:
        return map(self.distinct.__getitem__, self._texts)

    def statuses(self) -> Counter[Status]:
        """How many inputs have each status (counted once, then remembered)."""
        if self._counts is None:
            total: Counter[Status] = Counter()
            for text, count in Counter(self._texts).items():
                total[self.distinct[text].status] += count
            self._counts = total
        return Counter(self._counts)

    def __repr__(self) -> str:
        counts = ", ".join(f"{s.value}: {n}" for s, n in self.statuses().most_common())
        return f"<ValidationBatch of {len(self)} ({counts})>"


def validate_many(
    texts: Iterable[str], *, release: ReleaseLike | None = None
) -> ValidationBatch:
    """Validate many strings at once, in order, for claims files and data frames.

    Each distinct value is validated once and its result shared, so repeated
    values (20,000 distinct codes in 10 million rows) cost one set insertion
    each. Returns a :class:`ValidationBatch`, a sequence with one
    :class:`Validation` per input.
    """
    resolved = resolve_release(release)
    values: Sequence[object] = texts if isinstance(texts, (list, tuple)) else list(texts)
    try:
        unique = set(values)
    except TypeError:  # unhashable items (lists, dicts): keyed by their repr, MALFORMED
        values = [hashable_key(v) for v in values]
        unique = set(values)
    distinct = {value: _validate(value, resolved) for value in unique}
    return ValidationBatch(values, distinct)
