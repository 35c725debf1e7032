"""The examples of docs/encounters.md run, its rule table matches rules(), and every
rule has an example."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

ENCOUNTERS = Path(__file__).resolve().parent.parent / "docs" / "encounters.md"

_PYCON = re.compile(r"^```pycon\n(.*?)^```$", flags=re.DOTALL | re.MULTILINE)
_ROW = re.compile(r"^\|\s*`(?P<id>[^`]+)`\s*\|(?P<rest>.*)\|\s*$")


def _examples(page: Path) -> list[doctest.Example]:
    text = page.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    return [example for block in _PYCON.findall(text) for example in parser.get_examples(block)]


def _rule_table(page: Path) -> list[tuple[str, str, str, str]]:
    """The (id, section, severity, ordering) rows of the table headed
    ``| id | section | severity | ordering | ...``."""
    lines = page.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines)
                  if re.match(r"^\|\s*id\s*\|\s*section\s*\|\s*severity\s*\|\s*ordering\s*\|",
                              line))
    assert re.match(r"^\|(\s*-+\s*\|)+\s*$", lines[header + 1]), "the table has no separator row"
    rows: list[tuple[str, str, str, str]] = []
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        match = _ROW.match(line)
        assert match, f"cannot read the table row {line!r}"
        cells = [cell.strip() for cell in match["rest"].split("|")]
        assert len(cells) == 4, f"the row {line!r} does not have 5 columns"
        section, severity, ordering, _what = cells
        rows.append((match["id"], section, severity, ordering))
    return rows


def test_rule_table_lists_every_rule_in_order() -> None:
    import icd10cm

    expected = [(rule.id, rule.section, str(rule.severity), "yes" if rule.ordering else "no")
                for rule in icd10cm.rules()]
    assert _rule_table(ENCOUNTERS) == expected


def test_every_rule_has_an_example() -> None:
    import icd10cm

    shown = "".join(example.source + example.want for example in _examples(ENCOUNTERS))
    for rule in icd10cm.rules():
        assert rule.id in shown, f"docs/encounters.md has no example of {rule.id}"


def test_examples_show_check_sequence_and_from_codes() -> None:
    examples = _examples(ENCOUNTERS)
    source = "".join(example.source for example in examples)
    for name in ("Encounter.from_codes(", "check(", "sequence(", "rules()", "first_designated=",
                 "present_on_admission=", 'setting="inpatient"', ".unresolved", ".moves"):
        assert name in source, f"docs/encounters.md has no example using {name}"
    raised = "".join(example.exc_msg or "" for example in examples)
    assert "EncounterError" in raised, "docs/encounters.md shows no EncounterError"
