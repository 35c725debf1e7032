"""Lists from the Official Guidelines that change by edition, keyed by release.

Each edition's list is transcribed from the Guidelines text that ships in the
CMS/CDC release files; ``tests/test_guidelines.py`` re-reads every edition's text
and checks the transcription. Releases whose own edition is not among the
official files use the nearest edition, and say so (``exact`` is False).
"""

from __future__ import annotations

import attrs

__all__ = ["GuidelineEdition", "edition_for"]


@attrs.frozen
class GuidelineEdition:
    """One edition of the ICD-10-CM Official Guidelines for Coding and Reporting.

    *first_listed_only* holds the Z codes, subcategories and categories that may
    only be principal or first-listed (I.C.21.c.16), each with its exceptions;
    *first_listed_only_section* is that list's section number in this edition.
    """

    id: str
    label: str
    file: str  # the edition's text under guidelines/text/ in the official files
    first_listed_only_section: str
    first_listed_only: tuple[tuple[str, tuple[str, ...]], ...]

    def first_listed_only_entry(self, code: str) -> str | None:
        """The list entry (``"Z51.1"``) that makes *code* first-listed-only, or None."""
        for prefix, exceptions in self.first_listed_only:
            if code.startswith(prefix) and not code.startswith(exceptions):
                return prefix
        return None


_FY2021_LIST = (
    ("Z00", ("Z00.6",)), ("Z01", ()), ("Z02", ()), ("Z04", ()), ("Z33.2", ()),
    ("Z31.81", ()), ("Z31.83", ()), ("Z31.84", ()), ("Z34", ()), ("Z39", ()), ("Z38", ()),
    ("Z40", ()), ("Z42", ()), ("Z51.0", ()), ("Z51.1", ()), ("Z52", ("Z52.9",)),
    ("Z76.1", ()), ("Z76.2", ()), ("Z99.12", ()),
)
_FY2020_LIST = (*_FY2021_LIST[:3], ("Z03", ()), *_FY2021_LIST[3:])


def _edition(id: str, label: str, file: str, section: str = "I.C.21.c.16") -> GuidelineEdition:
    listed = _FY2020_LIST if id == "FY2020" else _FY2021_LIST
    return GuidelineEdition(id, label, file, section, listed)


EDITIONS = (
    _edition("FY2020", "FY2020", "10cmguidelines-FY2020_final.txt"),
    _edition("FY2021-01", "FY2021 (January 2021 update)",
             "ICD-10cmguidelines-FY2021-COVID-update-January-2021-508.txt"),
    _edition("FY2022", "FY2022", "10cmguidelines-FY2022-7-2022-7-15-21-update-508.txt"),
    _edition("FY2022-04", "FY2022 (April 1, 2022 update)",
             "10cmguidelines-FY2022-April 1 update 2-3-22.txt"),
    _edition("FY2023", "FY2023", "ICD-10-CM-Guidelines-FY2023.txt"),
    _edition("FY2023-04", "FY2023 (April 1, 2023 update)",
             "ICD-10-CM-Guidelines-April 1, FY2023.txt"),
    _edition("FY2024", "FY2024", "ICD-10-CM-Guidelines-October 1 FY2024FINALv.2.txt"),
    _edition("FY2024-04", "FY2024 (April 1, 2024 update)",
             "ICD-10-CM-Guidelines-April-1 FY2024.txt"),
    _edition("FY2025", "FY2025", "icd-10-cm-FY25-guidelines-october -2024.txt"),
    # The April 2025 update renumbered the list from I.C.21.c.16 to I.C.21.c.15.
    _edition("FY2025-04", "FY2025 (April 1, 2025 update)",
             "ICD-10-CM-April-1-FY25-Guidelines.txt", "I.C.21.c.15"),
    _edition("FY2026", "FY2026", "ICD-10-CM-October-2025-Guidelines.txt", "I.C.21.c.15"),
)
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
