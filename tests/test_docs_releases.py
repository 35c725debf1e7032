"""The examples of docs/releases.md and docs/json.md run, and show what they promise."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from test_docs import run_pycon_blocks  # tests/ is on sys.path under pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
_PYCON = re.compile(r"^```pycon\n(.*?)^```$", flags=re.DOTALL | re.MULTILINE)


def _source(page: Path) -> str:
    parser = doctest.DocTestParser()
    return "".join(example.source for block in _PYCON.findall(page.read_text("utf-8"))
                   for example in parser.get_examples(block))


def test_releases_examples_run() -> None:
    assert run_pycon_blocks(DOCS / "releases.md").attempted >= 25


def test_json_examples_run() -> None:
    assert run_pycon_blocks(DOCS / "json.md").attempted >= 18


def test_releases_page_shows_diff_and_convert() -> None:
    source = _source(DOCS / "releases.md")
    for name in ("icd10cm.diff(", "icd10cm.convert(", ".dead_ends", ".billable_changed",
                 ".retitled", ".steps", ".table_text"):
        assert name in source, f"docs/releases.md has no example using {name}"


def test_json_page_shows_every_type_and_function() -> None:
    source = _source(DOCS / "json.md")
    for name in ("to_json(", "from_json(", "dumps(", "loads(", "check_to_json(",
                 "icd10cm.Code", "Encounter", "validate(", "sequence(", "SerializationError"):
        assert name in source, f"docs/json.md has no example using {name}"
    text = (DOCS / "json.md").read_text("utf-8")
    for kind in ("code", "encounter", "finding", "check", "validation", "sequencing"):
        assert f'"{kind}"' in text, f"docs/json.md does not describe the type {kind!r}"
