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


SHARED = CMS_RAW.parent
AHRQ_CMR = Path(os.environ.get("ICD10CM_AHRQ_CMR", SHARED / "ahrq-cmr"))
CHARLSON_DOC = Path(os.environ.get("ICD10CM_CHARLSON_DOC",
                                   SHARED / "docs" / "charlson-quan2005.md"))


@pytest.fixture(scope="session")
def ahrq_cmr() -> Path:
    """The folder of the official AHRQ CMR zips; skips the test where it is absent."""
    if not (AHRQ_CMR / "MANIFEST.tsv").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the AHRQ CMR zips at {AHRQ_CMR}")
        pytest.skip(f"AHRQ CMR zips not found at {AHRQ_CMR} (set ICD10CM_AHRQ_CMR)")
    return AHRQ_CMR


@pytest.fixture(scope="session")
def charlson_doc() -> Path:
    """The Charlson source document; skips the test where it is absent."""
    if not CHARLSON_DOC.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the Charlson document at {CHARLSON_DOC}")
        pytest.skip(f"Charlson document not found at {CHARLSON_DOC} "
                    "(set ICD10CM_CHARLSON_DOC)")
    return CHARLSON_DOC
