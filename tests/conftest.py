"""Shared test fixtures. Tests that need the official files skip where they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CMS_RAW = Path(os.environ.get("ICD10CM_CMS_RAW", REPO.parent / "shared" / "cms-raw"))


@pytest.fixture(scope="session")
def cms_raw() -> Path:
    """The folder of official CMS/CDC files; skips the test where it is absent."""
    if not (CMS_RAW / "MANIFEST.tsv").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the official files at {CMS_RAW}")
        pytest.skip(f"official CMS/CDC files not found at {CMS_RAW} (set ICD10CM_CMS_RAW)")
    return CMS_RAW
