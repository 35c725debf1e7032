"""Encounter scenarios written from the Official Guidelines text, edition by edition.

``tests/data/guidelines_scenarios.json`` holds each scenario with the Guidelines (or
Tabular List) sentence that justifies it, quoted with its file and section: the codes
in reported order, the rules that must and must not fire, and the order the
Guidelines fix, where they fix one. The quotes are checked against the official text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import icd10cm
from icd10cm import Encounter, check, sequence

DATA = Path(__file__).resolve().parent / "data" / "guidelines_scenarios.json"
_DOCUMENT = json.loads(DATA.read_text(encoding="utf-8"))
# The scenarios were written before the rule ids were fixed; these are the ids now.
_RENAMED = {
    "I.C.15.a/maternal-record-only": "I.C.15.a.2/maternal-record-only",
    "I.C.15.i/z794-with-o244": "I.C.15.i/no-insulin-with-gestational",
    "POA/missing-indicator": "Appendix-I/poa-missing",
    "POA/exempt-indicator": "Appendix-I/poa-exempt-with-indicator",
    "POA/not-exempt-indicator": "Appendix-I/poa-not-exempt",
}
SCENARIOS: list[dict[str, Any]] = _DOCUMENT["scenarios"]


def _ids(names: list[str]) -> set[str]:
    return {_RENAMED.get(name, name) for name in names}


def test_there_are_scenarios_for_every_rule_but_the_notes_one() -> None:
    assert len(SCENARIOS) >= 100 and len({s["id"] for s in SCENARIOS}) == len(SCENARIOS)
    declared = {rule.id for rule in icd10cm.rules()}
    named = set().union(*(_ids(s["must_report"]) | _ids(s["must_not_report"])
                          | _ids(s.get("may_report", [])) for s in SCENARIOS))
    assert named <= declared, named - declared
    fired = set().union(*(_ids(s["must_report"]) for s in SCENARIOS))
    # notes-unavailable needs own_data_only=True (tested in test_encounters.py)
    assert declared - fired == {"I.A/notes-unavailable"}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: str(s["id"]))
def test_scenario(scenario: dict[str, Any]) -> None:
    encounter = Encounter.from_codes(
        scenario["codes"], setting=scenario["setting"], release=scenario["release"],
        present_on_admission=scenario.get("present_on_admission"))
    fired = {finding.rule for finding in check(encounter)}
    must, must_not = _ids(scenario["must_report"]), _ids(scenario["must_not_report"])
    assert must <= fired, (scenario["note"], sorted(fired))
    assert not fired & must_not, (scenario["note"], sorted(fired))
    if scenario["expected_order"]:
        result = sequence(encounter)
        assert [code.value for code in result.encounter.diagnoses] == scenario["expected_order"]


def _folded(text: str) -> str:
    """Text compared as the scenarios' author did: typographic quotes and dashes made
    plain, case, spaces and hyphens (the text breaks words across lines) ignored."""
    for typographic, plain in (("\u201c", '"'), ("\u201d", '"'), ("\u2019", "'"),
                               ("\u2018", "'"), ("\u2013", "-"), ("\u2014", "-")):
        text = text.replace(typographic, plain)
    return "".join(ch for ch in text.lower() if not ch.isspace() and ch != "-")


@pytest.mark.cms_raw
def test_every_quote_is_in_the_edition_it_cites(cms_raw: Path) -> None:
    texts: dict[str, str] = {}
    checked = 0
    for scenario in SCENARIOS:
        for source in scenario["source"]:
            if "file" not in source:
                continue
            if source["file"] not in texts:
                texts[source["file"]] = _folded((cms_raw / "guidelines" / "text" /
                                                 source["file"]).read_text(encoding="utf-8"))
            assert _folded(source["quote"]) in texts[source["file"]], (
                scenario["id"], source["quote"][:80])
            checked += 1
    assert checked >= 100
    assert re.search(r"I\.C\.21\.c\.15", json.dumps(_DOCUMENT))  # the renumbered list
