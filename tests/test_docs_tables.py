"""The examples of docs/tables.md run, and show the lookups, rows and every error."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from test_docs import run_pycon_blocks  # tests/ is on sys.path under pytest

TABLES = Path(__file__).resolve().parent.parent / "docs" / "tables.md"
_PYCON = re.compile(r"^```pycon\n(.*?)^```$", flags=re.DOTALL | re.MULTILINE)


def _examples() -> list[doctest.Example]:
    parser = doctest.DocTestParser()
    text = TABLES.read_text(encoding="utf-8")
    return [example for block in _PYCON.findall(text) for example in parser.get_examples(block)]


def test_tables_examples_run() -> None:
    assert run_pycon_blocks(TABLES).attempted >= 25


def test_examples_show_the_api_and_errors() -> None:
    examples = _examples()
    source = "".join(example.source for example in examples)
    for name in ("drug(", "neoplasm(", "drug_row(", "neoplasm_row(", "drug_rows(",
                 "add_seventh_character(", "Intent.", "Behavior."):
        assert name in source, f"docs/tables.md has no example using {name}"
    raised = "".join(example.exc_msg or "" for example in examples)
    for error in ("TableUnavailableError", "NoTableCodeError", "UnknownTableTermError",
                  "AmbiguousTableTermError", "UnknownTableColumnError"):
        assert error in raised, f"docs/tables.md shows no {error}"
