"""The :class:`Encounter`: the diagnoses reported for one visit or stay."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import attrs

from icd10cm.codes.parse import parse_code
from icd10cm.core.code import Code
from icd10cm.core.release import Release
from icd10cm.errors import EncounterError, Icd10cmError, quote
from icd10cm.releases.registry import ReleaseLike, resolve

__all__ = ["Encounter", "PresentOnAdmission", "Setting", "unchecked_encounter"]


class Setting(str, enum.Enum):
    """Where the encounter happened. Inpatient stays report a principal diagnosis
    (Guidelines Section II); outpatient visits a first-listed diagnosis (Section IV)."""

    INPATIENT = "inpatient"
    OUTPATIENT = "outpatient"

    def __str__(self) -> str:
        return self.value

    @property
    def first_term(self) -> str:
        """``"principal diagnosis"`` or ``"first-listed diagnosis"``."""
        return "principal diagnosis" if self is Setting.INPATIENT else "first-listed diagnosis"


class PresentOnAdmission(str, enum.Enum):
    """Present-on-admission indicators of inpatient claims (Guidelines Appendix I)."""

    YES = "Y"
    NO = "N"
    UNKNOWN = "U"  # documentation insufficient
    CLINICALLY_UNDETERMINED = "W"
    EXEMPT = "1"  # the code is on the POA-exempt list

    def __str__(self) -> str:
        return self.value


def _diagnoses(value: Iterable[Code]) -> tuple[Code, ...]:
    return tuple(value)


def _setting(value: Setting | str) -> Setting:
    for setting in Setting:  # not Setting(value), whose error would repr() any value
        if setting is value or (isinstance(value, str) and setting.value == value):
            return setting
    raise EncounterError([(None, f"setting must be 'inpatient' or 'outpatient', not "
                                 f"{quote(value)}")])


def _indicator_problems(
    setting: Setting | None, count: int, poa: Sequence[object] | None
) -> list[tuple[int | None, str]]:
    """Problems with present-on-admission indicators (*setting* None: not known)."""
    if poa is None:
        return []
    problems: list[tuple[int | None, str]] = []
    if setting is Setting.OUTPATIENT:
        problems.append((None, "present-on-admission indicators are reported for inpatient "
                               "stays only; set setting='inpatient' or leave them out"))
    if len(poa) != count:
        problems.append((None, f"{len(poa)} present-on-admission indicator(s) for {count} "
                               "diagnoses; give one per diagnosis (None where there is none)"))
    return problems


def _check(encounter: Encounter) -> None:
    diagnoses = encounter.diagnoses
    problems = _indicator_problems(encounter.setting, len(diagnoses),
                                   encounter.present_on_admission)
    if not diagnoses:
        problems.append((None, "an encounter needs at least one diagnosis"))
    strays = [(p, code) for p, code in enumerate(diagnoses) if not isinstance(code, Code)]
    for position, code in strays:
        problems.append((position, f"{quote(code)} is not a Code; use Encounter.from_codes to "
                                   "parse text"))
    if diagnoses and not strays:
        release = diagnoses[0].release
        for position, code in enumerate(diagnoses):
            if code.release is not release:
                problems.append((position, f"{code.value} is from release {code.release.id}, "
                                           f"the first diagnosis from release {release.id}; "
                                           "use codes of one release"))
        day = encounter.date_of_service
        if day is not None and not release.info.covers(day):
            problems.append((None, f"ICD-10-CM {release.info} does not cover the date of "
                                   f"service {day.isoformat()}"))
    if problems:
        raise EncounterError(problems)


@attrs.frozen
class Encounter:
    """The diagnoses of one encounter, in reported order, and their context.

    All diagnoses belong to one release: the release in force on the date of
    service (the discharge date for inpatient stays). *present_on_admission*, if
    given, holds one indicator (or None) per diagnosis. *first_designated* says
    that the provider designated the first diagnosis as the principal or
    first-listed diagnosis: :func:`icd10cm.sequence` then keeps it first unless a
    rule forbids it. Build encounters from text with :meth:`from_codes`.
    """

    diagnoses: tuple[Code, ...] = attrs.field(converter=_diagnoses)
    setting: Setting = attrs.field(default=Setting.OUTPATIENT, converter=_setting)
    date_of_service: date | None = None
    present_on_admission: tuple[PresentOnAdmission | None, ...] | None = None
    first_designated: bool = False

    def __attrs_post_init__(self) -> None:
        _check(self)

    def reordered(self, order: Sequence[int]) -> Encounter:
        """This encounter with its diagnoses (and indicators) in *order*, a permutation
        of its positions. A permutation of a valid encounter is valid, so this skips the
        checks of ``__init__``."""
        diagnoses, poa = self.diagnoses, self.present_on_admission
        return unchecked_encounter(
            tuple([diagnoses[p] for p in order]), self.setting, self.date_of_service,
            None if poa is None else tuple([poa[p] for p in order]), self.first_designated)

    @property
    def release(self) -> Release:
        """The release every diagnosis belongs to."""
        return self.diagnoses[0].release

    @property
    def first(self) -> Code:
        """The principal (inpatient) or first-listed (outpatient) diagnosis."""
        return self.diagnoses[0]

    def __len__(self) -> int:
        return len(self.diagnoses)

    def __str__(self) -> str:
        codes = ", ".join(code.value for code in self.diagnoses)
        return f"{self.setting} encounter ({self.release.info.label}): {codes}"

    @classmethod
    def from_codes(
        cls,
        codes: Iterable[str | Code],
        *,
        setting: Setting | str = Setting.OUTPATIENT,
        date_of_service: date | datetime | str | None = None,
        release: ReleaseLike | None = None,
        present_on_admission: Sequence[PresentOnAdmission | str | None] | None = None,
        first_designated: bool = False,
    ) -> Encounter:
        """Build an encounter from code text, reporting every bad input at once.

        The release is *release* if given, else the one in force on
        *date_of_service*, else the latest. Codes are normalised, so ``"e119"``
        and ``"E11.9"`` both give E11.9. Raises :class:`EncounterError` listing
        every code that cannot be parsed and every other problem.
        """
        resolution = resolve(release, date_of_service=date_of_service)
        problems: list[tuple[int | None, str]] = [(None, p) for p in resolution.problems]
        resolved, day = resolution.release, resolution.date_of_service
        try:
            setting = _setting(setting)
        except EncounterError as error:
            problems.extend(error.problems)
        indicators: tuple[PresentOnAdmission | None, ...] | None = None
        if present_on_admission is not None:
            indicators = tuple(_indicator(position, value, problems)
                               for position, value in enumerate(present_on_admission))
        diagnoses: list[Code] = []
        texts = list(codes)
        problems += _indicator_problems(setting if isinstance(setting, Setting) else None,
                                        len(texts), present_on_admission)
        for position, text in enumerate(texts):
            if isinstance(text, Code):
                if resolved is not None and text.release is not resolved:
                    problems.append((position, f"{text.value} is a code of release "
                                               f"{text.release.id}, but the encounter's release "
                                               f"is {resolved.id}; pass the code as text"))
                diagnoses.append(text)
            elif resolved is not None:
                try:
                    diagnoses.append(parse_code(text, release=resolved))
                except Icd10cmError as error:
                    problems.append((position, str(error)))
        if problems:
            raise EncounterError(problems)
        return cls(tuple(diagnoses), setting, day, indicators, first_designated)


# The slots of Encounter, written directly by unchecked_encounter (its instances are frozen).
_set_diagnoses, _set_setting, _set_date, _set_poa, _set_designated = (
    vars(Encounter)[name].__set__ for name in attrs.fields_dict(Encounter))


def unchecked_encounter(
    diagnoses: tuple[Code, ...], setting: Setting, date_of_service: date | None,
    present_on_admission: tuple[PresentOnAdmission | None, ...] | None,
    first_designated: bool = False,
) -> Encounter:
    """The encounter of these fields, built without the checks of ``__init__``, for
    callers that meet them already (:meth:`Encounter.reordered`, and ``frame.check`` on
    rows it found good): the diagnoses are Codes of one release that covers
    *date_of_service*, and *present_on_admission* holds one indicator per diagnosis of
    an inpatient stay, or is None."""
    made = object.__new__(Encounter)
    _set_diagnoses(made, diagnoses)
    _set_setting(made, setting)
    _set_date(made, date_of_service)
    _set_poa(made, present_on_admission)
    _set_designated(made, first_designated)
    return made


def _indicator(
    position: int, value: PresentOnAdmission | str | None,
    problems: list[tuple[int | None, str]],
) -> PresentOnAdmission | None:
    if value is None or isinstance(value, PresentOnAdmission):
        return value
    if isinstance(value, str) and not value.strip():
        return None  # a blank field: Appendix I leaves it blank for an exempt code
    try:
        return PresentOnAdmission(value.strip().upper())
    except (ValueError, AttributeError):
        problems.append((position, f"present-on-admission indicator {quote(value)} is not one of "
                                   "Y, N, U, W or 1 (exempt); use None (or a blank) where "
                                   "there is none"))
        return None
