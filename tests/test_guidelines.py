"""The Guidelines lists keyed by release match the official Guidelines text of every edition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import icd10cm
from icd10cm.encounters.guidelines import EDITIONS, GuidelineEdition, edition_for

_TITLE = re.compile(r"^\s*(\d+)\)\s+Z Codes That May Only be Principal/First-Listed", re.M)
_ENTRY = re.compile(r"^\s*(Z\d\d(?:\.\d+)?)-?\s+\S")
_EXCEPT = re.compile(r"^\s*Except:\s*(Z\d\d\.\d+)")
_NEXT_SECTION = re.compile(r"^\s*(?:\d+\)\s+\S|Section II\b|\d+\.\s+Chapter 22)")


def _official_list(text: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    """The section number and entries (prefix -> exceptions) of the list in one edition."""
    starts = [m for m in _TITLE.finditer(text) if "The following Z codes" in
              text[m.end():m.end() + 400]]
    assert len(starts) == 1, "the list's heading is found exactly once"
    number = starts[0].group(1)
    entries: dict[str, tuple[str, ...]] = {}
    last = ""
    for line in text[starts[0].end():].splitlines()[1:]:
        if _NEXT_SECTION.match(line):
            break
        if (match := _EXCEPT.match(line)) is not None:
            entries[last] += (match.group(1),)
        elif (match := _ENTRY.match(line)) is not None:
            last = match.group(1)
            entries[last] = ()
    return f"I.C.21.c.{number}", entries


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda edition: edition.id)
def test_first_listed_only_list_matches_the_official_text(
    cms_raw: Path, edition: GuidelineEdition
) -> None:
    text = (cms_raw / "guidelines" / "text" / edition.file).read_text(encoding="utf-8")
    section, entries = _official_list(text)
    assert section == edition.first_listed_only_section
    assert dict(edition.first_listed_only) == entries
    assert len(entries) >= 19


def test_editions_differ_where_the_official_texts_do() -> None:
    by_id = {edition.id: edition for edition in EDITIONS}
    fy2020 = dict(by_id["FY2020"].first_listed_only)
    fy2021 = dict(by_id["FY2021-01"].first_listed_only)
    assert set(fy2020) - set(fy2021) == {"Z03"}  # Z03 left the list in FY2021
    assert by_id["FY2025"].first_listed_only_section == "I.C.21.c.16"
    assert by_id["FY2025-04"].first_listed_only_section == "I.C.21.c.15"


@pytest.mark.parametrize("info", icd10cm.available_releases(), ids=lambda info: info.id)
def test_every_release_has_an_edition(info: icd10cm.ReleaseInfo) -> None:
    edition, exact = edition_for(info.id, info.fiscal_year)
    assert edition in EDITIONS
    if exact:  # a release's own edition is of its fiscal year
        assert edition.id.startswith(f"FY{info.fiscal_year}")
    entry = edition.first_listed_only_entry
    assert entry("Z00.00") == "Z00" and entry("Z00.6") is None
    assert entry("Z51.11") == "Z51.1" and entry("Z51.81") is None
    assert entry("Z52.9") is None and entry("Z52.001") == "Z52"
