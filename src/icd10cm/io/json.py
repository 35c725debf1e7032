"""JSON documents for codes, encounters, findings, validations, sequencings and release
diffs.

:func:`to_json` turns a value into a plain, JSON-ready ``dict`` and
:func:`from_json` reads it back, checking every field; :func:`dumps` and
:func:`loads` do the same with JSON text. Every document starts with
``"icd10cm_json": 1`` (the format version) and ``"type"`` (what it holds). A code
is written as its dotted value and release id and read back from the bundled
release; an encounter names its release once and lists its codes as text; a validation
is read back only if it is the verdict of the bundled release it names. Bad
input raises :class:`~icd10cm.errors.SerializationError` listing every problem
with its JSON path. The format is described in ``docs/json.md``.
"""

from __future__ import annotations

import enum
import json
import re
import types
import typing
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)

from icd10cm.codes.parse import parse_code
from icd10cm.codes.validate import Status, Validation, validate
from icd10cm.core.code import Code
from icd10cm.core.release import Release
from icd10cm.encounters.checks import check
from icd10cm.encounters.encounter import Encounter, PresentOnAdmission, Setting
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.rules import RULES, Severity
from icd10cm.encounters.sequencing import Sequencing
from icd10cm.errors import (
    EncounterError,
    Icd10cmError,
    SerializationError,
    UnknownReleaseError,
    quote,
)
from icd10cm.releases.diff import BillableChange, ReleaseDiff, Retitle
from icd10cm.releases.registry import available_releases, load_release

__all__ = [
    "FORMAT_VERSION",
    "check_from_json",
    "check_to_json",
    "dumps",
    "from_json",
    "loads",
    "to_json",
]

#: The version of the document format, written as ``"icd10cm_json"``.
FORMAT_VERSION = 1

T = TypeVar("T")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the form to_json() writes

#: The ``"type"`` of the document that holds each class.
_TYPES: dict[type, str] = {
    Code: "code",
    Encounter: "encounter",
    Finding: "finding",
    Validation: "validation",
    Sequencing: "sequencing",
    ReleaseDiff: "release_diff",
}

#: What to do instead, for values that have no document of their own (docs/json.md).
_NO_DOCUMENT = {
    "ValidationBatch": "write each of its Validation values: [to_json(v) for v in batch]",
    "ElixhauserResult": "comorbidity results are written by `icd10cm comorbidity --format "
                        "json` only, and not read back",
    "CharlsonResult": "comorbidity results are written by `icd10cm comorbidity --format "
                      "json` only, and not read back",
    "Release": "write its id (release.id) and load it with icd10cm.load_release(id)",
}


class _BadValue(ValueError):
    """A value of the wrong kind; its message repeats the value and is shown as is."""


@attrs.frozen
class _CodeDocument:
    code: str
    release: str


@attrs.frozen
class _EncounterDocument:
    release: str
    diagnoses: tuple[str, ...]
    setting: Setting = Setting.OUTPATIENT
    date_of_service: date | None = None
    present_on_admission: tuple[PresentOnAdmission | None, ...] | None = None
    first_designated: bool = False


@attrs.frozen
class _CheckDocument:
    """The body of a ``"check"`` document (see :func:`check_to_json`)."""

    encounter: Encounter
    findings: tuple[Finding, ...]


def _strict(kind: type) -> Callable[[object, type], object]:
    names = {str: "a string", int: "an integer", bool: "true or false"}

    def structure(value: object, _: type) -> object:
        if type(value) is not kind:  # no str(5), int("5") or bool("false")
            raise _BadValue(f"expected {names[kind]}, got {quote(value)}")
        return value

    return structure


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):  # on every Python version
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _BadValue(f"expected an ISO date such as '2025-10-01', got {quote(value)}")


def _enum_hook(kind: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    values = {member.value: member for member in kind}

    def structure(value: object, _: type) -> enum.Enum:
        member = values.get(value) if isinstance(value, str) else None
        if member is None:
            shown = ", ".join(repr(v) for v in values)
            raise _BadValue(f"{quote(value)} is not one of {shown}")
        return member

    return structure


def _enum_value(member: enum.Enum) -> object:
    """A member's plain value: ``"error"``, not the ``str`` subclass ``Severity.ERROR``."""
    return str(member.value) if isinstance(member.value, str) else member.value


def _is_tuple(kind: Any) -> bool:
    args = typing.get_args(kind)
    return typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_optional(kind: Any) -> bool:
    args = typing.get_args(kind)
    return (typing.get_origin(kind) in (typing.Union, types.UnionType) and len(args) == 2
            and type(None) in args)


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _strict(kind))
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, _structure_date)
    for enum_type in (Setting, PresentOnAdmission, Severity, Status):  # before the str hook
        converter.register_structure_hook(enum_type, _enum_hook(enum_type))
        converter.register_unstructure_hook(enum_type, _enum_value)

    def tuple_hook(kind: Any) -> Callable[[object, type], tuple[object, ...]]:
        item = typing.get_args(kind)[0]

        def structure(value: object, _: type) -> tuple[object, ...]:
            if not isinstance(value, (list, tuple)):
                raise _BadValue(f"expected a list, got {quote(value)}")
            hook = converter.get_structure_hook(item)
            made: list[object] = []
            errors: list[Exception] = []
            for index, element in enumerate(value):
                try:
                    made.append(hook(element, item))
                except Exception as exc:  # gathered, then raised together
                    note = IterableValidationNote(f"@ index {index}", index, item)
                    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"while reading a list of {item}", errors, kind)
            return tuple(made)

        return structure

    converter.register_structure_hook_factory(_is_tuple, tuple_hook)

    def optional_hook(kind: Any) -> Callable[[object, type], object]:
        item = next(arg for arg in typing.get_args(kind) if arg is not type(None))

        def structure(value: object, _: type) -> object:
            return None if value is None else converter.get_structure_hook(item)(value, item)

        return structure

    converter.register_structure_hook_factory(_is_optional, optional_hook)

    def dict_only(hook: Callable[[Any, type], T]) -> Callable[[object, type], T]:
        def structure(value: object, kind: type) -> T:
            if not isinstance(value, dict):
                raise _BadValue(f"expected an object, got {quote(value)}")
            return hook(value, kind)

        return structure

    # Predicates, not classes: registering a class would resolve the annotations of
    # Code, which name Release only for type checkers.
    converter.register_structure_hook_func(
        lambda kind: kind is Encounter, dict_only(_structure_encounter(converter)))
    converter.register_structure_hook_func(
        lambda kind: kind is Code, dict_only(_structure_code(converter)))
    converter.register_unstructure_hook_func(
        lambda kind: isinstance(kind, type) and issubclass(kind, Code), _unstructure_code)
    converter.register_unstructure_hook_func(
        lambda kind: kind is Encounter, lambda e: _unstructure_encounter(converter, e))
    # After the hooks above, which the generated hooks of these classes use.
    for cls in (_CodeDocument, _EncounterDocument, Retitle, BillableChange):
        converter.register_structure_hook(cls, dict_only(converter.get_structure_hook(cls)))
    converter.register_structure_hook(
        Validation, dict_only(_the_verdict(converter.get_structure_hook(Validation))))
    converter.register_structure_hook(
        ReleaseDiff, dict_only(_bundled_ids(converter.get_structure_hook(ReleaseDiff))))
    converter.register_structure_hook(
        Sequencing, dict_only(_consistent_order(converter.get_structure_hook(Sequencing))))
    converter.register_structure_hook(
        Finding, dict_only(_known_rule(converter.get_structure_hook(Finding))))
    converter.register_structure_hook(  # after Encounter and Finding, which it reads
        _CheckDocument,
        dict_only(_findings_in_place(converter.get_structure_hook(_CheckDocument))))
    return converter


def _unstructure_code(code: Code) -> dict[str, Any]:
    return {"code": code.value, "release": code.release.id}


def _unstructure_encounter(converter: cattrs.Converter, encounter: Encounter) -> dict[str, Any]:
    poa = encounter.present_on_admission
    return {
        "release": encounter.release.id,
        "setting": encounter.setting.value,
        "diagnoses": [code.value for code in encounter.diagnoses],
        "date_of_service": converter.unstructure(encounter.date_of_service),
        "present_on_admission": None if poa is None else [
            None if p is None else p.value for p in poa],
        "first_designated": encounter.first_designated,
    }


def _bundled(release_id: str) -> Release:
    """The bundled release with exactly this id, as to_json() writes it: not a date of
    service, a bare number or an id with spaces, which ``release=`` also takes."""
    ids = [info.id for info in available_releases()]
    if release_id not in ids:
        raise UnknownReleaseError(release_id, ids)
    return load_release(release_id)


def _structure_code(converter: cattrs.Converter) -> Callable[[object, type], Code]:
    def structure(value: object, _: type) -> Code:
        document = converter.structure(value, _CodeDocument)
        return parse_code(document.code, release=_bundled(document.release))

    return structure


def _structure_encounter(converter: cattrs.Converter) -> Callable[[object, type], Encounter]:
    def structure(value: object, _: type) -> Encounter:
        document = converter.structure(value, _EncounterDocument)
        release = _bundled(document.release)
        try:
            return Encounter.from_codes(
                document.diagnoses,
                setting=document.setting,
                date_of_service=document.date_of_service,
                release=release,
                present_on_admission=document.present_on_admission,
                first_designated=document.first_designated,
            )
        except EncounterError as error:
            raise _encounter_problems(error) from None

    return structure


def _known_rule(hook: Callable[[Any, type], Finding]) -> Callable[[Any, type], Finding]:
    """*hook*, refusing a finding whose rule is not one of :func:`icd10cm.rules`."""
    def structure(value: Any, kind: type) -> Finding:
        finding = hook(value, kind)
        if finding.rule not in {declared.id for declared in RULES}:
            problem = _BadValue(f"unknown rule {quote(finding.rule)}; the rules are those of "
                                "icd10cm.rules()")
            setattr(problem, "__notes__",  # noqa: B010
                    [AttributeValidationNote("rule", "rule", str)])
            raise ClassValidationError("invalid finding", [problem], Finding)
        return finding

    return structure


def _field_problem(field: str, message: str, kind: type) -> _BadValue:
    """A problem with the field *field* of a document (its JSON path ends in .field)."""
    problem = _BadValue(message)
    setattr(problem, "__notes__",  # noqa: B010
            [AttributeValidationNote(field, field, kind)])
    return problem


def _release_problem(field: str, release_id: str) -> _BadValue | None:
    """The problem of a release id that is not a bundled release's, as written, if any."""
    try:
        _bundled(release_id)
    except UnknownReleaseError as error:
        return _field_problem(field, str(error).rstrip("."), str)
    return None


#: The fields of a validation that say what the release answers: read back only if the
#: bundled release still gives them. The words (message, suggestions, 7th characters)
#: are kept as written: they may change between versions of the library.
_VERDICT_FIELDS = ("status", "code", "title")


def _the_verdict(hook: Callable[[Any, type], Validation]) -> Callable[[Any, type], Validation]:
    """*hook*, refusing a validation that names no bundled release, or whose status,
    code or title are not those that release gives for its text (an edited document, or
    one of a release built from files that has a bundled release's id)."""
    def structure(value: Any, kind: type) -> Validation:
        verdict = hook(value, kind)
        problem = _release_problem("release", verdict.release)
        problems = [problem] if problem else []
        if not problems:
            release = _bundled(verdict.release)
            fresh = validate(verdict.text, release=release)
            if verdict.status is Status.MISSING and fresh.status is Status.MALFORMED:
                # the verdict on no value (None, NaN, an empty cell of a data frame),
                # whose text is the value's repr ('None', 'nan', '<NA>'), not a code
                fresh = validate(None, release=release)  # type: ignore[arg-type]
            problems += [
                _field_problem(field, f"{field} {quote(_plain_value(getattr(verdict, field)))} "
                               f"is not what release {quote(verdict.release)} gives for "
                               f"{quote(verdict.text)}: "
                               f"{quote(_plain_value(getattr(fresh, field)))}", str)
                for field in _VERDICT_FIELDS if getattr(verdict, field) != getattr(fresh, field)]
        if problems:
            raise ClassValidationError("invalid validation", problems, Validation)
        return verdict

    return structure


def _plain_value(value: object) -> object:
    return _enum_value(value) if isinstance(value, enum.Enum) else value


def _bundled_ids(hook: Callable[[Any, type], ReleaseDiff]) -> Callable[[Any, type], ReleaseDiff]:
    """*hook*, refusing a release diff whose ``old`` or ``new`` is not a bundled release
    id as to_json() writes it."""
    def structure(value: Any, kind: type) -> ReleaseDiff:
        changes = hook(value, kind)
        problems = [p for p in (_release_problem("old", changes.old),
                                _release_problem("new", changes.new)) if p is not None]
        if problems:
            raise ClassValidationError("invalid release diff", problems, ReleaseDiff)
        return changes

    return structure


def _consistent_order(hook: Callable[[Any, type], Sequencing],
                      ) -> Callable[[Any, type], Sequencing]:
    """*hook*, refusing a sequencing whose ``order`` is not a reordering of its
    diagnoses' positions, or whose moves name a position it does not have."""
    def structure(value: Any, kind: type) -> Sequencing:
        result = hook(value, kind)
        count = len(result.encounter.diagnoses)
        problems: list[Exception] = []
        if sorted(result.order) != list(range(count)):
            problem = _BadValue(f"{list(result.order)} is not an order of {count} "
                                f"diagnoses: give each position 0 to {count - 1} once")
            setattr(problem, "__notes__",  # noqa: B010
                    [AttributeValidationNote("order", "order", tuple)])
            problems.append(problem)
        moves: list[Exception] = []
        for index, move in enumerate(result.moves):
            fields: list[Exception] = []
            for field in ("from_position", "to_position"):
                position = getattr(move, field)
                if not 0 <= position < count:
                    problem = _BadValue(f"position {position} is not one of the {count} "
                                        "diagnoses (0-based)")
                    setattr(problem, "__notes__",  # noqa: B010
                            [AttributeValidationNote(field, field, int)])
                    fields.append(problem)
            if fields:
                bad_move = ClassValidationError("invalid move", fields, type(move))
                setattr(bad_move, "__notes__",  # noqa: B010
                        [IterableValidationNote(f"@ index {index}", index, type(move))])
                moves.append(bad_move)
        if moves:
            listed = IterableValidationError("moves", moves, tuple)
            setattr(listed, "__notes__",  # noqa: B010
                    [AttributeValidationNote("moves", "moves", tuple)])
            problems.append(listed)
        if problems:
            raise ClassValidationError("invalid sequencing", problems, Sequencing)
        return result

    return structure


def _misplaced(findings: Sequence[Finding], diagnoses: Sequence[Code]
               ) -> list[tuple[int, str, str]]:
    """``(index, field, problem)`` for each of *findings* whose positions are not places
    among *diagnoses* (0-based), or whose codes are not the codes at its positions."""
    count = len(diagnoses)
    found = []
    for index, finding in enumerate(findings):
        outside = [position for position in finding.positions if not 0 <= position < count]
        if outside:
            found.append((index, "positions", f"{outside} {'is' if len(outside) == 1 else 'are'}"
                          f" not among the {count} diagnoses (0-based positions)"))
            continue
        there = [diagnoses[position].value for position in finding.positions]
        if list(finding.codes) != there:
            found.append((index, "codes", f"{list(finding.codes)} are not the codes at "
                          f"positions {list(finding.positions)}, which are {there}"))
    return found


def _findings_in_place(hook: Callable[[Any, type], _CheckDocument],
                       ) -> Callable[[Any, type], _CheckDocument]:
    """*hook*, refusing a check whose findings name a position its encounter does not
    have, or codes that are not the codes at their positions."""
    def structure(value: Any, kind: type) -> _CheckDocument:
        result = hook(value, kind)
        bad: list[Exception] = []
        for index, field, problem in _misplaced(result.findings, result.encounter.diagnoses):
            exc = _BadValue(problem)
            setattr(exc, "__notes__", [AttributeValidationNote(field, field, tuple)])  # noqa: B010
            finding = ClassValidationError("invalid finding", [exc], Finding)
            setattr(finding, "__notes__",  # noqa: B010
                    [IterableValidationNote(f"@ index {index}", index, Finding)])
            bad.append(finding)
        if bad:
            listed = IterableValidationError("findings", bad, tuple)
            setattr(listed, "__notes__",  # noqa: B010
                    [AttributeValidationNote("findings", "findings", tuple)])
            raise ClassValidationError("invalid check", [listed], _CheckDocument)
        return result

    return structure


def _encounter_problems(error: EncounterError) -> ClassValidationError:
    """The problems of an encounter, those of one diagnosis at ``diagnoses[i]``."""
    items: list[Exception] = []
    whole: list[Exception] = []
    for position, problem in error.problems:
        exc = _BadValue(problem)
        if position is None:
            whole.append(exc)
        else:
            note = IterableValidationNote(f"@ index {position}", position, str)
            setattr(exc, "__notes__", [note])  # noqa: B010 (mypy on 3.10 has no __notes__)
            items.append(exc)
    if items:
        diagnoses = IterableValidationError("diagnoses", items, tuple)
        setattr(diagnoses, "__notes__",  # noqa: B010
                [AttributeValidationNote("diagnoses", "diagnoses", tuple)])
        whole.insert(0, diagnoses)
    return ClassValidationError("invalid encounter", whole, Encounter)


_converter = _make_converter()


_TAKES = "a Code, Encounter, Finding, Validation, Sequencing or ReleaseDiff"


def _type_of(value: object) -> str:
    for cls, name in _TYPES.items():
        if isinstance(value, cls):
            return name
    name = type(value).__name__
    instead = _NO_DOCUMENT.get(name)
    raise TypeError(f"to_json() takes {_TAKES}, not {name}"
                    + (f": {instead}" if instead else "") + " (see docs/json.md)")


def _refuse_built(value: object, target: str) -> None:
    """Refuse a value of a release built from files: its document would name the
    release by id, and reading it would look the codes up in the bundled release of
    that id, another release."""
    if isinstance(value, (Validation, ReleaseDiff)):  # release ids only: check them
        fields = ("release",) if isinstance(value, Validation) else ("old", "new")
        for field in fields:
            problem = _release_problem(field, getattr(value, field))
            if problem is not None:
                raise SerializationError(target, [
                    f"{quote(getattr(value, field))} is not the id of a bundled release, "
                    f"and documents are read back from the bundled releases @ $.{field}"])
        return
    release = (value.release if isinstance(value, (Code, Encounter))
               else value.encounter.release if isinstance(value, Sequencing) else None)
    if release is not None and not release.info.bundled:
        path = "$.encounter.release" if isinstance(value, Sequencing) else "$.release"
        raise SerializationError(target, [
            f"{quote(value)} is of ICD-10-CM {release.info.label} built from files: its "
            f"document would name the release {quote(release.id)} and be read back from "
            f"the bundled release of that id; write values of bundled releases only "
            f"@ {path}"])


def to_json(value: Code | Encounter | Finding | Validation | Sequencing | ReleaseDiff
            ) -> dict[str, Any]:
    """The JSON-ready document for *value*: a ``dict`` of strings, numbers, booleans,
    None, lists and dicts, headed by ``"icd10cm_json"`` and ``"type"``.

    A value of a release built from files (:func:`icd10cm.release_from_files`), or a
    validation or release diff naming a release that is not bundled, raises
    :class:`~icd10cm.errors.SerializationError`: documents are read back from the
    bundled releases. Other values (a ``ValidationBatch``, a comorbidity result, a
    ``Release``) raise :class:`TypeError` saying what to write instead."""
    kind = _type_of(value)
    _refuse_built(value, type(value).__name__)
    body: dict[str, Any] = _converter.unstructure(value)
    return {"icd10cm_json": FORMAT_VERSION, "type": kind, **body}


def check_to_json(
    encounter: Encounter, findings: Sequence[Finding] | None = None
) -> dict[str, Any]:
    """The document of a check: the encounter and its findings (``"type": "check"``);
    :func:`check_from_json` reads it back.

    *findings* default to :func:`icd10cm.check` of the encounter. Findings given must be
    of this encounter: each position one of its diagnoses (0-based) and the codes those
    at the positions, else :class:`~icd10cm.errors.SerializationError` lists each one
    that is not (the document could not be read back).
    """
    _refuse_built(encounter, "check")
    if findings is None:
        findings = check(encounter)
    else:
        problems = [f"{problem} @ $.findings[{index}].{field}"
                    for index, field, problem in _misplaced(findings, encounter.diagnoses)]
        if problems:
            raise SerializationError("check", problems)
    return {
        "icd10cm_json": FORMAT_VERSION,
        "type": "check",
        "encounter": _converter.unstructure(encounter, Encounter),
        "findings": [_converter.unstructure(f, Finding) for f in findings],
    }


def _format(exc: BaseException, kind: type | None) -> str:
    if isinstance(exc, (_BadValue, Icd10cmError)):
        return str(exc).rstrip(".")
    if isinstance(exc, KeyError):
        return "required field missing"
    return cattrs.v.format_exception(exc, kind)


def from_json(data: object, cls: type[T]) -> T:
    """Read a document made by :func:`to_json` back into a *cls* value.

    Codes are looked up in the bundled releases; a validation must be the verdict of
    the bundled release it names (its status, code and title). Raises
    :class:`~icd10cm.errors.SerializationError` listing every problem (a missing or
    extra field, a value of the wrong kind, an unknown code...) with its JSON path.
    """
    kind = _TYPES.get(cls)
    if kind is None:
        raise TypeError(
            f"from_json() reads Code, Encounter, Finding, Validation, Sequencing or "
            f"ReleaseDiff, not {getattr(cls, '__name__', cls)!r}"
        )
    return _read(data, kind, cls, cls.__name__)


def check_from_json(data: object) -> tuple[Encounter, tuple[Finding, ...]]:
    """Read a document made by :func:`check_to_json` back: the encounter and its findings.

    Checked as :func:`from_json` checks an encounter and findings, and each finding must
    be of the encounter: its positions among the diagnoses, its codes the codes there.
    Raises :class:`~icd10cm.errors.SerializationError` listing every problem with its
    JSON path (``$.findings[1].positions``).
    """
    document = _read(data, "check", _CheckDocument, "check")
    return document.encounter, document.findings


def _read(data: object, kind: str, target: type[T], name: str) -> T:
    """The *target* value of the document *data* of type *kind*, checked; *name* names
    it in the error."""
    if not isinstance(data, dict):
        raise SerializationError(name, [f"expected a JSON object, got {quote(data)} @ $"])
    problems = []
    version, found = data.get("icd10cm_json"), data.get("type")
    if type(version) is not int or version != FORMAT_VERSION:  # not true, not 1.0
        problems.append(f"expected format version {FORMAT_VERSION}, got {quote(version)} "
                        "@ $.icd10cm_json")
    if found != kind:
        hint = (" (read a check document with check_from_json())" if found == "check" else
                " (read it with from_json(data, cls))" if kind == "check" and found in
                _TYPES.values() else "")
        problems.append(f"expected type {quote(kind)}, got {quote(found)}{hint} @ $.type")
    body = {key: value for key, value in data.items() if key not in ("icd10cm_json", "type")}
    try:
        value = _converter.structure(body, target)
    except BaseValidationError as exc:
        problems += cattrs.transform_error(exc, "$", _format)
    except (_BadValue, Icd10cmError, KeyError) as exc:
        problems.append(f"{_format(exc, None)} @ $")
    if problems:
        raise SerializationError(name, problems)
    return value


def dumps(value: Code | Encounter | Finding | Validation | Sequencing | ReleaseDiff,
          **options: Any) -> str:
    """:func:`to_json` as JSON text; *options* go to :func:`json.dumps` (e.g. ``indent=2``)."""
    return json.dumps(to_json(value), ensure_ascii=False, **options)


def loads(text: str | bytes, cls: type[T]) -> T:
    """Read JSON text made by :func:`dumps` back into a *cls* value (see :func:`from_json`)."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise SerializationError(getattr(cls, "__name__", str(cls)),
                                 [f"expected JSON text (str or bytes), got {quote(text)} @ $"])
    try:
        data = json.loads(text)
    except RecursionError:  # arrays or objects nested too deep for the json module
        raise SerializationError(getattr(cls, "__name__", str(cls)),
                                 ["not JSON that can be read: nested too deep @ $"]) from None
    except ValueError as exc:
        raise SerializationError(getattr(cls, "__name__", str(cls)),
                                 [f"not JSON: {exc} @ $"]) from None
    return from_json(data, cls)

