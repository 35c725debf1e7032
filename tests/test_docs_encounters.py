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


def _rule_table(page: Path) -> list[tuple[str, str, str]]:
    """The (id, severity, kind) rows of the table headed ``| id | section | severity |
    kind | ...``."""
    lines = page.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines)
                  if re.match(r"^\|\s*id\s*\|\s*section\s*\|\s*severity\s*\|\s*kind\s*\|", line))
    assert re.match(r"^\|(\s*-+\s*\|)+\s*$", lines[header + 1]), "the table has no separator row"
    rows: list[tuple[str, str, str]] = []
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        match = _ROW.match(line)
        assert match, f"cannot read the table row {line!r}"
        cells = [cell.strip() for cell in match["rest"].split("|")]
        assert len(cells) == 5, f"the row {line!r} does not have 6 columns"
        rows.append((match["id"], cells[1], cells[2]))
    return rows


def test_rule_table_lists_every_rule_in_order() -> None:
    import icd10cm

    expected = [(rule.id, str(rule.severity), str(rule.kind)) for rule in icd10cm.rules()]
    assert _rule_table(ENCOUNTERS) == expected


def test_rule_table_is_generated_and_up_to_date() -> None:
    from render_rules_doc import is_up_to_date

    assert is_up_to_date(ENCOUNTERS), (
        "docs/encounters.md is out of date: run python tools/render_rules_doc.py")


def test_render_rules_doc_check_fails_on_a_stale_page(tmp_path: Path) -> None:
    from render_rules_doc import main

    stale = tmp_path / "encounters.md"
    stale.write_text(ENCOUNTERS.read_text(encoding="utf-8").replace(
        "| `I.B.2/unspecified` |", "| `I.B.2/unspecific` |"), encoding="utf-8")
    assert main(["--check", "--doc", str(stale)]) == 1
    assert main(["--doc", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == ENCOUNTERS.read_text(encoding="utf-8")


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
