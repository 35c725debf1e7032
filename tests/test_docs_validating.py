"""The examples of docs/validating.md and docs/migration.md run, and cover what they promise."""

from __future__ import annotations

import doctest
import inspect
import re
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
VALIDATING = DOCS / "validating.md"
MIGRATION = DOCS / "migration.md"

_PYCON = re.compile(r"^```pycon\n(.*?)^```$", flags=re.DOTALL | re.MULTILINE)




def _examples(page: Path) -> list[doctest.Example]:
    text = page.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    return [example for block in _PYCON.findall(text) for example in parser.get_examples(block)]


def test_validating_shows_every_status() -> None:
    import icd10cm

    shown = "".join(example.want for example in _examples(VALIDATING))
    for status in icd10cm.Status:
        assert repr(status) in shown, f"docs/validating.md shows no example of {status!r}"


def test_validating_shows_every_helper_and_error() -> None:
    source = "".join(example.source for example in _examples(VALIDATING))
    for name in ("normalize(", "parse_code(", "validate(", "is_valid(", "validate_many(",
                 "add_seventh_character(", "seventh_characters(", "pad_placeholder(",
                 ".statuses()", "release=date(", 'release="2025"'):
        assert name in source, f"docs/validating.md has no example calling {name}"
    raised = "".join(example.exc_msg or "" for example in _examples(VALIDATING))
    for error in ("MalformedCodeError", "UnknownCodeError", "SeventhCharacterError",
                  "PlaceholderError", "NoReleaseForDateError", "UnknownReleaseError"):
        assert error in raised, f"docs/validating.md shows no {error}"


@pytest.mark.slow
def test_migration_names_every_simple_icd_10_cm_function() -> None:
    """Where simple-icd-10-cm is installed, every public function of it is in the table."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        simple = pytest.importorskip("simple_icd_10_cm")
    text = MIGRATION.read_text(encoding="utf-8")
    functions = [name for name, value in vars(simple).items()
                 if inspect.isfunction(value) and not name.startswith("_")
                 and value.__module__ == simple.simple_icd_10_cm.__name__]
    assert len(functions) >= 30
    for name in functions:
        assert f"| `{name}(" in text, f"docs/migration.md does not map {name}()"
