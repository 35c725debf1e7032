"""Shared test fixtures. Tests that need the official files skip where they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CMS_RAW = Path(os.environ.get("ICD10CM_CMS_RAW", REPO.parent / "shared" / "cms-raw"))
SHARED = CMS_RAW.parent
AHRQ_CMR = Path(os.environ.get("ICD10CM_AHRQ_CMR", SHARED / "ahrq-cmr"))
CHARLSON_DOC = Path(os.environ.get("ICD10CM_CHARLSON_DOC",
                                   SHARED / "docs" / "charlson-quan2005.md"))


def _shared(path: Path, what: str, variable: str, needed: Path) -> Path:
    """*path*, if *needed* exists; otherwise fail in CI and skip elsewhere."""
    if not needed.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the {what} at {path}")
        pytest.skip(f"{what} not found at {path} (set {variable})")
    return path


@pytest.fixture(scope="session")
def cms_raw() -> Path:
    """The folder of official CMS/CDC files; skips the test where it is absent."""
    return _shared(CMS_RAW, "official CMS/CDC files", "ICD10CM_CMS_RAW",
                   CMS_RAW / "MANIFEST.tsv")


@pytest.fixture(scope="session")
def ahrq_cmr() -> Path:
    """The folder of the official AHRQ CMR zips; skips the test where it is absent."""
    return _shared(AHRQ_CMR, "AHRQ CMR zips", "ICD10CM_AHRQ_CMR", AHRQ_CMR / "MANIFEST.tsv")


@pytest.fixture(scope="session")
def charlson_doc() -> Path:
    """The Charlson source document; skips the test where it is absent."""
    return _shared(CHARLSON_DOC, "Charlson document", "ICD10CM_CHARLSON_DOC", CHARLSON_DOC)
