"""The examples of docs/search.md run, and show every part of the search API."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from test_docs import run_pycon_blocks  # tests/ is on sys.path under pytest

SEARCH = Path(__file__).resolve().parent.parent / "docs" / "search.md"
_PYCON = re.compile(r"^```pycon\n(.*?)^```$", flags=re.DOTALL | re.MULTILINE)


def _examples() -> list[doctest.Example]:
    parser = doctest.DocTestParser()
    text = SEARCH.read_text(encoding="utf-8")
    return [example for block in _PYCON.findall(text) for example in parser.get_examples(block)]


def test_search_examples_run() -> None:
    assert run_pycon_blocks(SEARCH).attempted >= 30


def test_examples_show_the_api() -> None:
    examples = _examples()
    source = "".join(example.source for example in examples)
    for name in ("icd10cm.search(", "index_lookup(", "external_cause=True", ".children",
                 ".child(", ".needs_more_characters", ".sources_used", ".note",
                 ".unknown_words", "limit="):
        assert name in source, f"docs/search.md has no example using {name}"
    raised = "".join(example.exc_msg or "" for example in examples)
    for error in ("UnknownIndexTermError", "IndexUnavailableError", "SearchQueryError"):
        assert error in raised, f"docs/search.md shows no {error}"
