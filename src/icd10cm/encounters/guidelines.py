"""The editions of the Official Guidelines, and what changes between them, keyed by release.

Each edition's lists are transcribed from the Guidelines text that ships with the
CMS/CDC release files; ``tests/test_guidelines.py`` re-reads every edition's text
and checks the transcription and the section numbers. A release whose own edition
is not among the official files uses the nearest edition, and says so (``exact``
is False).
"""

from __future__ import annotations

import attrs

__all__ = ["EDITIONS", "GuidelineEdition", "edition_for"]


@attrs.frozen
class GuidelineEdition:
    """One edition of the ICD-10-CM Official Guidelines for Coding and Reporting.

    *order* places it among the editions (0 is the oldest bundled one). The lists:

    - *first_listed_only*: the Z codes, subcategories and categories that may only
      be principal or first-listed (I.C.21.c.16, I.C.21.c.15 from April 2025), each
      with its exceptions; *first_listed_only_section* is the list's number here;
    - *secondary_only*: the codes I.B.14 says "should only be reported as secondary
      diagnoses" (BMI, coma scale, NIHSS, blood alcohol, social determinants of
      health, underimmunization status, as the edition lists them), as code prefixes
      with what they are;
    - *no_insulin_with_o244*: the long-term drug codes I.C.15.i says are not assigned
      with gestational diabetes (O24.4-);
    - *postpancreatectomy_first*: the code I.C.4.a.6.b.i sequences first for
      postpancreatectomy diabetes (E89.1 until FY2024; E13.- from the April 2024
      edition on);
    - *toxic_effect_first*: whether I.C.19.e.5.d says the toxic effect comes first
      (from FY2024);
    - *heart_conditions_in_i11*: the heart conditions I.C.9.a.1 says take no code
      beside I11 (I51.5 and I51.7 from FY2026: "No additional code is assigned to
      identify the specific heart condition"; earlier editions say nothing of them).
    """

    id: str
    label: str
    file: str  # the edition's text under guidelines/text/ in the official files
    order: int
    first_listed_only_section: str
    first_listed_only: tuple[tuple[str, tuple[str, ...]], ...]
    secondary_only: tuple[tuple[str, str], ...]
    no_insulin_with_o244: tuple[str, ...]
    postpancreatectomy_first: str
    toxic_effect_first: bool
    covid: bool  # whether the edition has I.C.1.g.1 (COVID-19)
    heart_conditions_in_i11: tuple[str, ...]

    def first_listed_only_entry(self, code: str) -> str | None:
        """The list entry (``"Z51.1"``) that makes *code* first-listed-only, or None."""
        for prefix, exceptions in self.first_listed_only:
            if code.startswith(prefix) and not code.startswith(exceptions):
                return prefix
        return None

    def secondary_only_entry(self, code: str) -> str | None:
        """What makes *code* secondary-only under I.B.14 (``"BMI"``), or None."""
        for prefix, what in self.secondary_only:
            if code.startswith(prefix):
                return what
        return None

    def __str__(self) -> str:
        return f"the {self.label} Guidelines"


_FY2021_LIST = (
    ("Z00", ("Z00.6",)), ("Z01", ()), ("Z02", ()), ("Z04", ()), ("Z33.2", ()),
    ("Z31.81", ()), ("Z31.83", ()), ("Z31.84", ()), ("Z34", ()), ("Z39", ()), ("Z38", ()),
    ("Z40", ()), ("Z42", ()), ("Z51.0", ()), ("Z51.1", ()), ("Z52", ("Z52.9",)),
    ("Z76.1", ()), ("Z76.2", ()), ("Z99.12", ()),
)
_FY2020_LIST = (*_FY2021_LIST[:3], ("Z03", ()), *_FY2021_LIST[3:])

# I.B.14: "The BMI, coma scale, NIHSS codes and categories Z55-Z65 should only be reported
# as secondary diagnoses" (FY2020, FY2021); FY2022 adds the blood alcohol level; FY2023
# adds underimmunization status. The coma scale is R40.21- to R40.24- (FY2022 on spell it
# out; R40.20 is unspecified coma, a diagnosis, and R40.2A is not a scale).
_SDOH = tuple((f"Z{n}", "social determinants of health (Z55-Z65)") for n in range(55, 66))
_SECONDARY_FY2020 = (
    ("Z68", "body mass index (Z68)"),
    *((f"R40.2{n}", "coma scale (R40.21-R40.24)") for n in (1, 2, 3, 4)),
    ("R29.7", "NIH stroke scale (R29.7-)"),
    *_SDOH,
)
_SECONDARY_FY2022 = (*_SECONDARY_FY2020, ("Y90", "blood alcohol level (Y90)"))
_SECONDARY_FY2023 = (*_SECONDARY_FY2022, ("Z28.3", "underimmunization status (Z28.3-)"))

_EDITIONS = (
    # id, label, file, list section
    ("FY2020", "FY2020", "10cmguidelines-FY2020_final.txt", "I.C.21.c.16"),
    ("FY2021-01", "FY2021 (January 2021 update)",
     "ICD-10cmguidelines-FY2021-COVID-update-January-2021-508.txt", "I.C.21.c.16"),
    ("FY2022", "FY2022", "10cmguidelines-FY2022-7-2022-7-15-21-update-508.txt", "I.C.21.c.16"),
    ("FY2022-04", "FY2022 (April 1, 2022 update)",
     "10cmguidelines-FY2022-April 1 update 2-3-22.txt", "I.C.21.c.16"),
    ("FY2023", "FY2023", "ICD-10-CM-Guidelines-FY2023.txt", "I.C.21.c.16"),
    ("FY2023-04", "FY2023 (April 1, 2023 update)",
     "ICD-10-CM-Guidelines-April 1, FY2023.txt", "I.C.21.c.16"),
    ("FY2024", "FY2024", "ICD-10-CM-Guidelines-October 1 FY2024FINALv.2.txt", "I.C.21.c.16"),
    ("FY2024-04", "FY2024 (April 1, 2024 update)",
     "ICD-10-CM-Guidelines-April-1 FY2024.txt", "I.C.21.c.16"),
    ("FY2025", "FY2025", "icd-10-cm-FY25-guidelines-october -2024.txt", "I.C.21.c.16"),
    # The April 2025 update renumbered the list from I.C.21.c.16 to I.C.21.c.15.
    ("FY2025-04", "FY2025 (April 1, 2025 update)", "ICD-10-CM-April-1-FY25-Guidelines.txt",
     "I.C.21.c.15"),
    ("FY2026", "FY2026", "ICD-10-CM-October-2025-Guidelines.txt", "I.C.21.c.15"),
)


def _edition(order: int, id: str, label: str, file: str, section: str) -> GuidelineEdition:
    secondary = (_SECONDARY_FY2020 if order < 2 else _SECONDARY_FY2022 if order < 4
                 else _SECONDARY_FY2023)
    return GuidelineEdition(
        id=id, label=label, file=file, order=order, first_listed_only_section=section,
        first_listed_only=_FY2020_LIST if id == "FY2020" else _FY2021_LIST,
        secondary_only=secondary,
        # I.C.15.i: Z79.4 and Z79.84 until FY2022-04; Z79.85 too from FY2023.
        no_insulin_with_o244=("Z79.4", "Z79.84") if order < 4 else ("Z79.4", "Z79.84", "Z79.85"),
        postpancreatectomy_first="E89.1" if order < 7 else "E13",
        toxic_effect_first=order >= 6,
        covid=order >= 1,
        heart_conditions_in_i11=("I51.5", "I51.7") if order >= 10 else (),
    )


EDITIONS = tuple(_edition(order, *row) for order, row in enumerate(_EDITIONS))
_BY_ID = {edition.id: edition for edition in EDITIONS}

# release id -> edition id. Releases before FY2020 and after FY2026 (and the
# updates without an edition of their own) use the nearest edition.
_RELEASE_EDITION = {
    "2016": "FY2020", "2017": "FY2020", "2018": "FY2020", "2019": "FY2020",
    "2020": "FY2020", "2020-04": "FY2020", "2021": "FY2021-01", "2021-01": "FY2021-01",
    "2022": "FY2022", "2022-04": "FY2022-04", "2023": "FY2023", "2023-04": "FY2023-04",
    "2024": "FY2024", "2024-04": "FY2024-04", "2025": "FY2025", "2025-04": "FY2025-04",
    "2026": "FY2026", "2026-04": "FY2026", "2027": "FY2026",
}
_EXACT = {"2020", "2021-01", "2022", "2022-04", "2023", "2023-04", "2024", "2024-04",
          "2025", "2025-04", "2026"}


def edition(edition_id: str) -> GuidelineEdition:
    """The edition with this id (``"FY2025-04"``)."""
    return _BY_ID[edition_id]


def edition_for(release_id: str, fiscal_year: int) -> tuple[GuidelineEdition, bool]:
    """The edition that applies to a release, and whether it is the release's own.

    A release built from files with an id not listed here takes the edition of
    its fiscal year, or the nearest one.
    """
    edition_id = _RELEASE_EDITION.get(release_id)
    if edition_id is None:
        year = min(max(fiscal_year, 2020), 2026)
        edition_id = "FY2021-01" if year == 2021 else f"FY{year}"
    return _BY_ID[edition_id], release_id in _EXACT
