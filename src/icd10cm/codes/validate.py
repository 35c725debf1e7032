"""Validate code text against a release and explain the result in plain words.

A verdict's status and code are decided at once; its title, message, suggestions
and 7th characters are written when one of them is first read (see
:class:`Validation`), so validating a column of a claims file costs about a
dictionary lookup per distinct value.
"""

from __future__ import annotations

import enum
import itertools
import operator
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

import attrs

from icd10cm.codes.seventh import placeholder_candidates
from icd10cm.core import caches
from icd10cm.core.release import Release
from icd10cm.core.seventh import (
    SeventhCharacter,
    borrowed_meanings,
    seventh_character_stems,
    seventh_characters_of,
)
from icd10cm.core.text import dot, listing, normalize, undot
from icd10cm.errors import MalformedCodeError, quote
from icd10cm.releases.history import (
    billable_in,
    closest_codes,
    describe_history,
    describe_releases,
    in_some_release,
    releases_with,
)
from icd10cm.releases.registry import ReleaseLike, load_release, resolve_release

__all__ = [
    "Status",
    "Validation",
    "ValidationBatch",
    "clear",
    "hashable_key",
    "is_valid",
    "shared_verdicts",
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


_VALID = Status.VALID


@attrs.frozen
class Validation:
    """The verdict on one piece of text, with a plain-language message.

    *code* is the normalised form (None when malformed); *suggestions* are the
    codes to consider instead (the reportable codes under a header, the full
    codes of a stem, the closest valid codes); *seventh_characters* lists the
    allowed 7th characters where they are the issue.

    :func:`validate` decides the status and the code at once and writes the
    title, the message, the suggestions and the 7th characters when one of them
    is first read, then keeps them: a verdict that nobody reads costs little.
    Equality, hashing, ``repr``, pickling and JSON read them as any field does.
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


class _WrittenOnRead:
    """A field of :class:`Validation` whose slot may still be empty: reading it then
    writes every deferred field (:func:`_write_details`)."""

    __slots__ = ("_slot",)

    def __init__(self, slot: Any) -> None:
        self._slot = slot

    def __get__(self, instance: Validation | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        try:
            return self._slot.__get__(instance, owner)
        except AttributeError:  # not written yet
            _write_details(instance)
            return self._slot.__get__(instance, owner)

    def __set__(self, instance: Validation, value: object) -> None:
        self._slot.__set__(instance, value)

    def __delete__(self, instance: Validation) -> None:
        self._slot.__delete__(instance)


_SLOTS = {name: vars(Validation)[name] for name in attrs.fields_dict(Validation)}
for _name in ("title", "message", "suggestions", "seventh_characters"):
    setattr(Validation, _name, _WrittenOnRead(_SLOTS[_name]))
_set_title = _SLOTS["title"].__set__
_set_message = _SLOTS["message"].__set__
_set_suggestions = _SLOTS["suggestions"].__set__
_set_sevenths = _SLOTS["seventh_characters"].__set__


class _Unfrozen(Validation):
    """A :class:`Validation` being made: ``made = _Unfrozen()``, its fields set as plain
    attributes, then ``made.__class__ = Validation`` (allowed: a subclass without slots
    of its own has its base's layout). The same object as one whose slots' own
    ``__set__`` fill it, made in half the time (about 130 ns less): with the plain
    ``__setattr__`` (Validation's raises) CPython 3.11+ stores into a slot in one step
    instead of calling its ``__set__``. Never seen outside this module."""

    __slots__ = ()
    # All three plain, so that the C slots are the generic ones: no Python call to set
    # an attribute, and _Unfrozen() neither checks nor fills anything.
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__
    __init__ = object.__init__


def _made(text: str, status: Status, release: str, code: str) -> Validation:
    """``Validation(text, status, ..., release, code)`` whose other fields are left to be
    written on first read (see :class:`_Unfrozen`)."""
    made: Any = _Unfrozen()
    made.text = text
    made.status = status
    made.release = release
    made.code = code
    made.__class__ = Validation
    return made  # type: ignore[no-any-return]


def _sevenths(options: tuple[SeventhCharacter, ...]) -> str:
    return "; ".join(f"{o.character} = {o.meaning}" for o in options)


_Details = tuple[str | None, str, tuple[str, ...], tuple[SeventhCharacter, ...]]


def _details(status: Status, value: str, release: Release) -> _Details:
    """The title, message, suggestions and 7th characters of the verdict *status* on
    the normalised code text *value* in *release*."""
    label = release.info.label
    index = release.index_of(value)
    title = None if index is None else release.titles[index]
    if status is Status.VALID:
        return title, f"{value} is a reportable code in ICD-10-CM {label}: {title}.", (), ()
    if status is Status.HEADER:
        assert index is not None
        reportable = release.billable_below(index)
        was = tuple(other for other in releases_with(value) if billable_in(value, other))
        return (
            title,
            f"{value} ({title}) is a header, not reportable in ICD-10-CM {label}: report one "
            f"of the {len(reportable)} codes below it, such as {listing(reportable)}."
            + (f" It is reportable in other releases: {describe_releases(was)} (for a date "
               "of service then, validate against the release in force on that date)."
               if was else ""),
            reportable, (),
        )
    if status is Status.MISSING_SEVENTH_CHARACTER:
        options = seventh_characters_of(value, release)
        if title is not None:  # a code of the release
            message = (f"{value} ({title}) needs a 7th character (Guidelines I.A.5) in "
                       f"ICD-10-CM {label}: {_sevenths(options)}. For example {options[0].code}.")
        else:  # an X-padded stem such as W21.89X or T07.XX
            message = (f"{value} needs placeholder X and a 7th character (Guidelines I.A.4, "
                       f"I.A.5) in ICD-10-CM {label}: {_sevenths(options)}. For example "
                       f"{options[0].code}.")
        message += borrowed_meanings(options, release.id)
        return title, message, tuple(o.code for o in options), options
    if status is Status.MISSING_PLACEHOLDER:
        padded = placeholder_candidates(value, release)
        first = padded[0]
        intended = (
            f"the intended code is {first.value} ({first.title})" if len(padded) == 1
            else f"it may be any of {listing(c.value for c in padded)}"
        )
        stems = seventh_character_stems(release)
        if all(c.undotted[:6] in stems for c in padded):
            why = "the placeholder X that fills a code to 6 characters before its 7th character"
        else:  # H54.0X33, M86.8X11: codes in their own right with an X reserved inside
            why = "the placeholder X that holds a reserved position inside the code"
        return (
            None, f"{value} lacks {why} (Guidelines I.A.4): {intended}.",
            tuple(c.value for c in padded), (),
        )
    ids = releases_with(value)
    history = describe_history(ids, release)
    if status is Status.INVALID_SEVENTH_CHARACTER:
        stem = value[:-1]
        options = seventh_characters_of(stem, release)
        return (
            None,
            f"{value}: {value[-1]} is not a valid 7th character for {stem.rstrip('X.')} "
            f"in ICD-10-CM {label} (Guidelines I.A.5); valid: {_sevenths(options)}."
            + borrowed_meanings(options, release.id) + (f" Note: {history}." if ids else ""),
            tuple(o.code for o in options), options,
        )
    closest = closest_codes(value, release)
    advice = f"Closest valid codes: {', '.join(closest)}." if closest else "No close code found."
    if status is Status.NOT_IN_RELEASE:
        message = f"{value} is not a code of ICD-10-CM {label}: {history}. {advice}"
    else:
        message = f"{value} is not an ICD-10-CM code: {history}. {advice}"
    return None, message, closest, ()


def _write_details(verdict: Validation, facts: _Facts | None = None) -> None:
    """Write the deferred fields of *verdict*, a verdict of the release of *facts*
    (default: the bundled release it names). Two threads may both write them: the
    values are equal."""
    if facts is None:
        default = _default  # most verdicts are of the default release
        if default is not None and default[1].release_id == verdict.release:
            facts = default[1]
        else:
            facts = _bundled.get(verdict.release) or _facts_of(load_release(verdict.release))
    title, message, suggestions, options = facts.details(verdict.code, verdict.status)
    _set_title(verdict, title)
    _set_message(verdict, message)
    _set_suggestions(verdict, suggestions)
    _set_sevenths(verdict, options)


def _without_placeholders(undotted: Sequence[str], billable: Sequence[bool]) -> Iterator[str]:
    """Each reportable 7-character code with some of its X's in the 4th to 6th
    places taken out: the texts that lack those placeholders (I.A.4)."""
    for code, reportable in zip(undotted, billable, strict=True):
        if reportable and len(code) == 7 and "X" in code[3:6]:
            xs = [place for place in range(3, 6) if code[place] == "X"]
            for size in range(1, len(xs) + 1):
                for taken in itertools.combinations(xs, size):
                    yield "".join(c for place, c in enumerate(code) if place not in taken)


class _Facts:
    """What validating reads of one release, the verdicts so far and the details of each
    code so far (at most ``_CACHE_LIMIT`` of each). It holds its release weakly."""

    __slots__ = ("__weakref__", "billable", "billable_undotted", "bundled", "found_details",
                 "index_of_undotted", "memo", "placeholder_stems_found", "release", "release_id",
                 "stems_found", "undotted")

    def __init__(self, release: Release) -> None:
        self.memo: dict[str, Validation] = {}
        self.found_details: dict[str, _Details] = {}
        self.release = weakref.ref(release)
        self.release_id = release.id
        self.undotted, self.billable = release.undotted_codes, release.billable_flags
        self.index_of_undotted = release.index_of_undotted  # a dict's get: no view between
        # One probe of this set tells most texts, reportable codes, with fewer CPU cache
        # misses than the positions, their index and its flag (0.4 of 1.6 us, issue 15).
        self.billable_undotted = release.billable_undotted
        self.stems_found: Mapping[str, tuple[int, ...]] | None = None
        self.placeholder_stems_found: frozenset[str] | None = None
        # Only the verdicts of a bundled release defer their fields: they find these
        # facts again by the release id (see _bundled), or load the release by it. A
        # verdict of a release built from files is written at once.
        self.bundled = release.info.bundled

    def details(self, code: str | None, status: Status) -> _Details:
        """The title, message, suggestions and 7th characters of the verdict *status*
        on the normalised *code*, worked out once per code (however many texts name it)."""
        assert code is not None
        found = self.found_details.get(code)
        if found is None:
            release = self.release() or load_release(self.release_id)
            found = _details(status, code, release)
            if len(self.found_details) >= _CACHE_LIMIT:
                self.found_details.clear()
            self.found_details[code] = found
        return found

    @property
    def stems(self) -> Mapping[str, tuple[int, ...]]:
        """The 6-character stems (undotted) whose reportable codes add a 7th character
        (:func:`seventh_character_stems`, found on first use)."""
        stems = self.stems_found
        if stems is None:
            release = self.release() or load_release(self.release_id)
            stems = self.stems_found = seventh_character_stems(release)
        return stems

    def takes_seventh(self, undotted: str) -> bool:
        """Whether the stem *undotted* has reportable codes that add a 7th character,
        after placeholder X where it is shorter than 6 characters (I.A.4, I.A.5)."""
        return 3 <= len(undotted) <= 6 and undotted + "X" * (6 - len(undotted)) in self.stems

    def lacks_placeholder(self, undotted: str) -> bool:
        """Whether inserting placeholder X before the last character of *undotted* makes
        a reportable code (whether :func:`placeholder_candidates` finds one)."""
        found = self.placeholder_stems_found
        if found is None:
            found = self.placeholder_stems_found = frozenset(
                _without_placeholders(self.undotted, self.billable))
        return undotted in found

    def verdict(self, text: str, status: Status, code: str) -> Validation:
        """The verdict *status* on *text* (*code*: its normalised form), whose other
        fields are written on first read, or at once when they are known already or
        for a release built from files."""
        made = _made(text, status, self.release_id, code)
        found = self.found_details.get(code)
        if found is not None:  # another text named the code, and its details were read
            _set_title(made, found[0])
            _set_message(made, found[1])
            _set_suggestions(made, found[2])
            _set_sevenths(made, found[3])
        elif not self.bundled:
            _write_details(made, self)
        return made

    def unreportable(self, index: int) -> Status:
        """The status of the code at *index*, which is not reportable: a stem that
        needs a 7th character (I.A.5), or a header."""
        if self.takes_seventh(self.undotted[index]):
            return Status.MISSING_SEVENTH_CHARACTER
        return Status.HEADER

    def known(self, text: str, index: int, code: str) -> Validation:
        """The verdict on *text*, the code at *index* of the release (*code*, dotted)."""
        status = Status.VALID if self.billable[index] else self.unreportable(index)
        return self.verdict(text, status, code)

    def unknown(self, text: str, value: str, release: Release) -> Validation:
        """The verdict on *text*, normalised to *value*, a code the release lacks."""
        undotted = undot(value)
        if self.takes_seventh(undotted):  # an X-padded stem such as W21.89X or T07.XX
            status = Status.MISSING_SEVENTH_CHARACTER
        elif self.lacks_placeholder(undotted):
            status = Status.MISSING_PLACEHOLDER
        elif len(undotted) == 7 and undotted[:6] in self.stems:  # the stem, not this 7th
            status = Status.INVALID_SEVENTH_CHARACTER
        elif in_some_release(value):
            status = Status.NOT_IN_RELEASE
        else:
            status = Status.UNKNOWN
        return self.verdict(text, status, value)

    def first(self, text: str, release: Release) -> Validation:
        """The verdict on *text* (a str of at most 64 characters) not memoised yet,
        then memoised."""
        # Text that is a code but for one dot anywhere normalises to that code (the
        # dotted form has it after the 3rd character): "E11.9", "E119", "E1.19", "E119."
        key = text.replace(".", "", 1)
        status: Status | None = _VALID
        if key not in self.billable_undotted:  # most texts are reportable codes: one probe
            index = self.index_of_undotted(key)
            status = None if index is None else self.unreportable(index)
        if status is None:
            made = _compute(text, self, release)
        else:
            code = key if len(key) == 3 else text if text[3] == "." else f"{key[:3]}.{key[3:]}"
            if self.bundled:  # _made() inlined (a tenth of the time here): the other
                unfrozen: Any = _Unfrozen()  # fields are written on first read
                unfrozen.text = text
                unfrozen.status = status
                unfrozen.release = self.release_id
                unfrozen.code = code
                unfrozen.__class__ = Validation
                made = unfrozen
            else:
                made = self.verdict(text, status, code)
        memo = self.memo
        if len(memo) >= _CACHE_LIMIT:
            memo.clear()
        memo[text] = made
        return made


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


def _compute(text: object, facts: _Facts, release: Release) -> Validation:
    """The verdict on *text*, which is not a code's dotted or undotted form."""
    if type(text) is str and text.isascii():  # ASCII only: "\u017f".upper() is "S"
        index = release.index_of(text.strip().upper())  # the wrong case, or spaces
        if index is not None:
            return facts.known(text, index, dot(facts.undotted[index]))
    shown = str.__str__(text) if isinstance(text, str) else quote(text)  # a plain str
    if _is_missing(text):
        return Validation(shown, Status.MISSING, _MISSING_MESSAGE, release.id)
    try:
        value = normalize(text)  # type: ignore[arg-type]
    except MalformedCodeError as exc:
        return Validation(shown, Status.MALFORMED, str(exc), release.id)
    index = release.index_of(value)
    if index is not None:  # "E1.19" for E11.9
        return facts.known(shown, index, value)
    return facts.unknown(shown, value, release)


_lock = threading.Lock()
# Per release, its facts and the verdicts so far.
_facts: weakref.WeakKeyDictionary[Release, _Facts] = weakref.WeakKeyDictionary()
# The facts of each bundled release, by its id: how a verdict finds them again.
_bundled: weakref.WeakValueDictionary[str, _Facts] = weakref.WeakValueDictionary()
# The release validated last and its facts, found without hashing the release.
_last: tuple[weakref.ref[Release], _Facts] | None = None
# The default release (the latest) and its facts, for release=None: no resolving.
_default: tuple[Release, _Facts] | None = None


@caches.register
def clear() -> None:
    """Forget every memoised verdict."""
    global _last, _default
    with _lock:
        _facts.clear()
        _bundled.clear()
        _last = _default = None


def _facts_of(release: Release) -> _Facts:
    global _last
    last = _last
    if last is not None and last[0]() is release:
        return last[1]
    facts = _facts.get(release)
    if facts is None:
        with _lock:
            facts = _facts.get(release)
            if facts is None:
                facts = _facts[release] = _Facts(release)
                if facts.bundled:
                    _bundled[release.id] = facts
    _last = (weakref.ref(release), facts)
    return facts


def _resolved(release: ReleaseLike | None) -> tuple[Release, _Facts]:
    """The release that *release* names and its facts."""
    global _default
    if release is None:
        default = _default
        if default is None:
            latest = resolve_release(None)
            default = _default = (latest, _facts_of(latest))
        return default
    resolved = resolve_release(release)
    return resolved, _facts_of(resolved)


def _validate(text: object, release: Release, facts: _Facts) -> Validation:
    """The verdict on *text* in *release*, memoised (see :func:`validate`)."""
    if type(text) is not str or len(text) > _MEMO_MAX_LENGTH:
        # None, NaN, numbers (1 == True == 1.0) and long text are not memoised
        return _compute(text, facts, release)
    hit = facts.memo.get(text)
    return hit if hit is not None else facts.first(text, release)


def validate(text: str, *, release: ReleaseLike | None = None) -> Validation:
    """Check *text* against a release (default: the latest) and explain the verdict.

    Never raises for bad codes: malformed text, unknown codes and headers all give
    a :class:`Validation` whose :attr:`~Validation.status` says what is wrong and
    whose message says how to fix it (quoting at most 80 characters of the input).
    Results are memoised per release, for text of up to 64 characters.
    """
    default = _default
    if release is None and default is not None and type(text) is str:  # the fast path
        facts = default[1]
        hit = facts.memo.get(text)
        if hit is not None:
            return hit
        if len(text) <= _MEMO_MAX_LENGTH:
            return facts.first(text, default[0])
    return _validate(text, *_resolved(release))


def is_valid(text: str, *, release: ReleaseLike | None = None) -> bool:
    """Whether *text* is a reportable (billable) code in the release."""
    default = _default
    if release is None and default is not None and type(text) is str:  # the fast path
        hit = default[1].memo.get(text)
        if hit is not None:
            return hit.status is Status.VALID
    return _validate(text, *_resolved(release)).status is Status.VALID


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
    resolved, facts = _resolved(release)
    values: Sequence[object] = texts if isinstance(texts, (list, tuple)) else list(texts)
    try:
        unique = set(values)
    except TypeError:  # unhashable items (lists, dicts): keyed by their repr, MALFORMED
        values = [hashable_key(v) for v in values]
        unique = set(values)
    distinct = {value: _validate(value, resolved, facts) for value in unique}
    return ValidationBatch(values, distinct)


def shared_verdicts(
    texts: Sequence[str], *, release: ReleaseLike | None = None
) -> tuple[list[Validation], list[int]]:
    """The verdicts on *texts*, one per code, and for each text, in order, the position
    of its verdict: for the command line, which writes the rows of a file with their
    own text.

    The verdict on a text equals ``validate(text, release=release)`` in every field
    but :attr:`~Validation.text`, which may be another form of the same code; a text
    whose verdict has no code (a malformed one, whose message repeats the text) has
    its own. An ASCII text is validated once per key: the text without its
    surrounding white space, in upper case and without its dot, which is all of it
    that :func:`~icd10cm.core.text.normalize` reads when it has at most one dot
    (``" e11.9"``, ``"E119 "`` and ``"E1.19"`` are validated once, as ``"E119"``); a
    text of other characters is validated as it is.
    """
    resolved, facts = _resolved(release)
    verdicts: list[Validation] = []
    at_code: dict[str, int] = {}  # the position of the verdict on each code

    def position(verdict: Validation) -> int:
        code = verdict.code
        found = None if code is None else at_code.get(code)
        if found is None:
            found = len(verdicts)
            verdicts.append(verdict)
            if code is not None:
                at_code[code] = found
        return found

    keys = list(map(str.replace, map(str.upper, map(str.strip, texts)),
                    itertools.repeat("."), itertools.repeat(""), itertools.repeat(1)))
    at_key: dict[str, int] = {}  # -1: validate each text of the key as it is
    for key in dict.fromkeys(keys):
        # A dot left: two or more, malformed (and the message repeats the text).
        found = None if "." in key else _validate(key, resolved, facts)
        at_key[key] = -1 if found is None or found.code is None else position(found)
    rows = list(map(at_key.__getitem__, keys))
    del keys
    own = itertools.chain(  # the rows validated as they are: not ASCII, or no code
        itertools.compress(itertools.count(), map(operator.not_, map(str.isascii, texts))),
        itertools.compress(itertools.count(), map((-1).__eq__, rows)),
    )
    for row in own:
        rows[row] = position(_validate(texts[row], resolved, facts))
    return verdicts, rows
