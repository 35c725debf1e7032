"""The version and coverage table of docs/comorbidity.md, recomputed from the library."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import icd10cm

pytestmark = pytest.mark.slow  # reads every release's codes

PAGE = Path(__file__).resolve().parent.parent / "docs" / "comorbidity.md"


def _row(release_id: str) -> str:
    coverage = icd10cm.elixhauser_coverage(release_id)
    exempt = icd10cm.elixhauser([], release=release_id).exempt_list
    report = icd10cm.charlson_patterns(release_id)
    whole = sum(p.matches_nothing for p in report)
    return (f"| `{release_id}` | {coverage.version} | "
            f"{'nearest' if coverage.nearest else 'own'} | FY{exempt} | {coverage.billable:,} | "
            f"{coverage.mapped:,} | {len(coverage.inherited)} | {len(coverage.unmapped)} | "
            f"{whole} | {len(report) - whole} |")


def test_the_coverage_table_is_up_to_date() -> None:
    text = PAGE.read_text(encoding="utf-8")
    table = re.search(r"<!-- BEGIN COVERAGE TABLE -->\n(.*?)<!-- END COVERAGE TABLE -->",
                      text, flags=re.DOTALL)
    assert table is not None
    rows = table.group(1).splitlines()[2:]
    assert rows == [_row(info.id) for info in icd10cm.available_releases()]
