"""The engine's shortcuts agree with the plain definitions they stand for.

For speed, :func:`icd10cm.check` and :func:`icd10cm.sequence` run a rule only when the
encounter's flags say it can fire (stricter than the flags it reads), place the codes
in one pass, answer :meth:`Analysis.preferred_first` at once in the common case, keep
words made for a pair of codes, and make findings and moves without attrs' generic
``__init__``. Each test compares a shortcut with the plain definition it replaces.
"""

from __future__ import annotations

import pickle
import random
import types
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

import icd10cm
from icd10cm import Encounter, Finding, check
from icd10cm.encounters import facts as f
from icd10cm.encounters.analysis import Analysis, analyse
from icd10cm.encounters.checks import APPLIERS
from icd10cm.encounters.findings import make_finding
from icd10cm.encounters.guidelines import EDITIONS
from icd10cm.encounters.rules import RULES, Dispatch, Kind, Severity, rule_by_id
from icd10cm.encounters.sequencing import Move, Sequencing, _move, _place, _sequencing, moved

RELEASE = "2025-04"
# Codes for the rules whose flags were made stricter, with codes that make them fire
# and codes that do not: injuries of each encounter (A, D, S) with external causes of
# each, place/activity/status codes, poisonings, right and left codes with a bilateral
# code, acute and chronic forms, notes that link codes.
_POOL = (
    "S52.521A S52.521D S52.521S W19.XXXA W19.XXXD W19.XXXS Y92.009 Y92.010 Y93.01 Y99.0 "
    "Y99.8 T42.4X1A T39.395A T42.4X5A Y63.0 M17.11 M17.12 H40.1111 H40.1121 K85.90 K86.1 "
    "J96.01 J96.10 J96.00 N17.9 N18.4 I12.9 E11.22 E11.65 Z79.4 Z68.41 E66.01 G30.9 F02.80 "
    "E11.621 L97.519 U07.1 J12.82 Z20.822 R40.0 J44.1 R06.02 A41.9 R65.20 B96.20 N39.0"
)
POOL = _POOL.split()

#: The flags each rule needed before they were made stricter, for the rules whose
#: needs changed (links: an Excludes1, 'Code first' or 'Use additional code' note of a
#: code covers another).
LOOSER: dict[str, Callable[[Analysis], bool]] = {
    "I.A.12.a/excludes1": lambda a: bool(a.links),
    "I.B.9/combination-code": lambda a: bool(a.flags & f.ACUTE_OR_CHRONIC),
    "I.B.13/bilateral": lambda a: bool(a.flags & f.LATERAL),
    "I.B.10/acute-with-sequela": lambda a: bool(a.flags & f.SEQUELA),
    "I.C.20.a.2/seventh-character": lambda a: bool(a.flags & f.EXTERNAL),
    "I.C.20.b/place-not-initial": lambda a: bool(a.flags & f.PLACE),
    "I.C.20.c/activity-not-initial": lambda a: bool(a.flags & f.ACTIVITY),
    "I.C.20.k/status-not-initial": lambda a: bool(a.flags & f.STATUS),
    "I.C.20.c/activity-with-poisoning": lambda a: bool(a.flags & f.ACTIVITY),
    "I.C.20.k/status-with-poisoning": lambda a: bool(a.flags & f.STATUS),
    "I.A.13/code-first-order": lambda a: bool(a.links),
    "I.A.13/use-additional-order": lambda a: bool(a.links),
    "I.C.1.g.1/covid-first": lambda a: bool(a.flags & f.COVID and a.links),
    "I.B.8/acute-first": lambda a: bool(a.flags & f.ACUTE_OR_CHRONIC),
    "I.C.20.d/after-main-cause": lambda a: bool(a.flags & f.EXTERNAL),
}


def _new_gate(rule_id: str, flags: int) -> bool:
    _, needs, any_of, when = APPLIERS[rule_id]
    return (flags & needs == needs and (not any_of or bool(flags & any_of))
            and (when is None or when(flags)))


def _records(rule: Callable[..., Any], analysis: Analysis) -> object:
    """What an ordering rule records on a fresh copy of *analysis*'s inputs."""
    fresh = Analysis(analysis.encounter, analysis.facts, analysis.code_flags, analysis.flags,
                     analysis.edition, analysis.links)
    rule(fresh)
    return fresh.barred, list(fresh.required), fresh.edges, fresh.tiers, fresh.demotions


@cache
def _encounters() -> tuple[Encounter, ...]:
    release = icd10cm.load_release(RELEASE)
    pool = [code for code in POOL if code in release]
    rng = random.Random(15)
    return tuple(
        Encounter.from_codes(rng.sample(pool, rng.randint(2, 6)), release=release,
                             setting=rng.choice(["inpatient", "outpatient"]))
        for _ in range(400))


def test_a_rule_its_flags_rule_out_would_find_nothing() -> None:
    skipped = dict.fromkeys(LOOSER, 0)
    fired = dict.fromkeys(LOOSER, 0)
    for encounter in _encounters():
        analysis = analyse(encounter)
        for rule_id in LOOSER:
            if not LOOSER[rule_id](analysis):
                continue
            rule = APPLIERS[rule_id][0]
            ordering = rule_by_id(rule_id).kind is not Kind.FINDINGS
            nothing: object = ({}, [], {}, {}, {}) if ordering else []
            found = _records(rule, analysis) if ordering else list(rule(analysis))
            if _new_gate(rule_id, analysis.flags):
                fired[rule_id] += found != nothing
            else:
                skipped[rule_id] += 1
                assert found == nothing, (rule_id, encounter)
    # Both paths were taken for every rule.
    assert all(skipped.values()), skipped
    assert all(fired.values()), fired


def test_the_rules_chosen_for_some_flags_are_those_whose_gate_the_flags_pass() -> None:
    # The dispatch keeps its choice by the flags the rules read only: any other flag,
    # set or not, must not change it. Flags of real encounters, and random ones.
    # The random ones dense (every flag a coin toss) and sparse (a dozen flags, as
    # encounters have), over every flag the rules know.
    rng = random.Random(15)
    width = max(value for name, value in vars(f).items()
                if name.isupper() and isinstance(value, int)).bit_length()
    flag_sets = [analyse(encounter).flags for encounter in _encounters()]
    flag_sets += [rng.getrandbits(width) for _ in range(1000)]
    flag_sets += [sum({1 << rng.randrange(width) for _ in range(12)}) for _ in range(1000)]
    appliers = APPLIERS  # the rules of both kinds

    def gate(rule_id: str, flags: int) -> bool:  # a condition given all the flags
        _, needs, any_of, when = appliers[rule_id]
        return (flags & needs == needs and (not any_of or bool(flags & any_of))
                and (when is None or when.holds(flags)))

    for findings in (True, False):
        def kinds(kind: Kind, findings: bool = findings) -> bool:
            return (kind is Kind.FINDINGS) is findings

        dispatch = Dispatch(appliers, kinds, keep=64)
        for edition in EDITIONS:
            for flags in flag_sets:
                wanted = tuple(appliers[r.id][0] for r in RULES if kinds(r.kind)
                               and r.applies_to(edition) and gate(r.id, flags))
                assert dispatch.select(edition, flags) == wanted, (edition.id, bin(flags))


def test_the_dispatch_keeps_the_latest_flag_sets_it_was_asked_for() -> None:
    # Beyond its size, the oldest set goes, not the whole record.
    dispatch = Dispatch(APPLIERS, lambda kind: kind is Kind.FINDINGS, keep=3)
    edition = EDITIONS[-1]
    flag_sets = [f.UNSPECIFIED, f.HEADER, f.REPEATED, f.LATERAL, f.EXTERNAL]
    for flags in flag_sets:
        dispatch.select(edition, flags)
    kept = dispatch._chosen[edition.id]
    assert list(kept) == [flags & dispatch._reads for flags in flag_sets[-3:]]
    dispatch.clear()
    assert not kept


def test_kept_words_are_the_words_made_afresh() -> None:
    encounters = _encounters()
    warm = [check(encounter) for encounter in encounters]
    release = icd10cm.load_release(RELEASE)
    for fact in f.release_facts(release).known.values():
        fact.kept.clear()
    assert [check(Encounter(e.diagnoses, e.setting)) for e in encounters] == warm


def test_what_the_facts_keep_is_bounded_and_forgetting_it_changes_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    encounters = _encounters()
    release = icd10cm.load_release(RELEASE)
    icd10cm.clear_cache()
    unbounded = [(check(e), icd10cm.sequence(e)) for e in encounters]
    known = f.release_facts(release).known
    total = sum(len(fact.kept) + len(fact.links_to) for fact in known.values())
    limit = total // 5
    assert limit > 10  # the encounters keep enough for the limit to be reached often
    icd10cm.clear_cache()
    monkeypatch.setattr(f, "KEPT_LIMIT", limit)
    bounded = []
    most = 0
    for encounter in encounters:
        bounded.append((check(encounter), icd10cm.sequence(encounter)))
        known = f.release_facts(release).known
        most = max(most, sum(len(fact.kept) + len(fact.links_to) for fact in known.values()))
    assert most <= limit + 1
    assert bounded == unbounded


@pytest.mark.parametrize("keep", [False, True])
def test_preferred_first_shortcut_agrees_with_the_full_choice(keep: bool) -> None:
    for encounter in _encounters():
        designated = Encounter(encounter.diagnoses, encounter.setting, first_designated=keep)
        analysis = analyse(designated)
        full = analysis._preferred_first(keep and designated.first_designated)
        assert analysis.preferred_first(keep_designated=keep) == full


def _scan(count: int, chosen: int, predecessors: dict[int, list[int]],
          edges: dict[tuple[int, int], tuple[str, str, None]],
          reasons: dict[int, tuple[str, str]]) -> tuple[list[int], bool]:
    """The definition: *chosen* first, then at each step the lowest waiting code whose
    predecessors are all placed (the lowest waiting code if none is: a cycle); each code
    passed over gets the first edge that held it back the first time."""
    placed, waiting, cycle = [chosen], [p for p in range(count) if p != chosen], False
    while waiting:
        for position in waiting:
            holding = [b for b in predecessors.get(position, []) if b not in placed]
            if not holding:
                break
            reasons.setdefault(position, edges[(holding[0], position)][:2])
        else:
            position, cycle = waiting[0], True
        waiting.remove(position)
        placed.append(position)
    return placed, cycle


def test_place_is_the_lowest_ready_code_at_each_step() -> None:
    rng = random.Random(2025)
    cycles = 0
    for _ in range(3000):
        count = rng.randint(1, 9)
        edges: dict[tuple[int, int], tuple[str, str, None]] = {}
        for _ in range(rng.randint(0, 12)):
            before, after = rng.randrange(count), rng.randrange(count)
            if before != after:
                edges.setdefault((before, after), (f"rule {before}", f"{before}<{after}", None))
        predecessors: dict[int, list[int]] = {}
        for before, after in edges:
            predecessors.setdefault(after, []).append(before)
        chosen = rng.randrange(count)
        analysis = types.SimpleNamespace(facts=[None] * count, predecessors=predecessors,
                                         edges=edges)
        reasons: dict[int, Any] = {chosen: ("first", "why")} if rng.random() < 0.3 else {}
        expected_reasons = dict(reasons)
        expected = _scan(count, chosen, predecessors, edges, expected_reasons)
        assert _place(analysis, chosen, reasons) == expected  # type: ignore[arg-type]
        assert reasons == expected_reasons
        cycles += expected[1]
    assert cycles > 100


def test_values_made_without_init_equal_those_made_with_it() -> None:
    made = make_finding("I.B.2/unspecified", Severity.INFO, (0,), ("E11.9",), "words",
                        ("E11.65",), "2025")
    plain = Finding("I.B.2/unspecified", Severity.INFO, (0,), ("E11.9",), "words",
                    ("E11.65",), "2025")
    move, plain_move = _move("E11.9", 2, 0, "rule", "why"), Move("E11.9", 2, 0, "rule", "why")
    encounter = Encounter.from_codes(["E11.9"], release=RELEASE)
    result = _sequencing(encounter, (0,), (move,), (made,))
    plain_result = Sequencing(encounter, (0,), (plain_move,), (plain,))
    for fast, slow in ((made, plain), (move, plain_move), (result, plain_result)):
        assert fast == slow and repr(fast) == repr(slow) and hash(fast) == hash(slow)
        assert pickle.loads(pickle.dumps(fast)) == slow


def test_an_order_no_code_can_improve_keeps_the_encounter() -> None:
    # Both external cause codes are barred from first place, and W19.XXXA (the main
    # cause) goes before Y92.009 (the place): nothing can be first, so the order stays,
    # with an edge into the first code that no order meets.
    e = Encounter.from_codes(["Y92.009", "W19.XXXA"], release=RELEASE)
    s = icd10cm.sequence(e)
    assert s.order == (0, 1) and s.encounter is e and s.moves == ()
    assert [f.rule for f in s.unresolved] == ["I.C.20.a.6/external-cause-first",
                                              "I.C.20.d/after-main-cause"]


def test_moved_is_what_sequence_does_to_the_order() -> None:
    # moved() (for frame.check) skips the reordered encounter and the reasons' words
    release = icd10cm.load_release(RELEASE)
    designated = [Encounter.from_codes([c.value for c in e.diagnoses], release=release,
                                       setting=e.setting, first_designated=True)
                  for e in _encounters()[:100]]
    changed = 0
    for encounter in (*_encounters(), *designated):
        done = icd10cm.sequence(encounter)
        want = None if not done.changed else (
            done.order, tuple((move.to_position, move.rule) for move in done.moves))
        assert moved(analyse(encounter)) == want, encounter
        changed += want is not None
    assert changed > 50  # the pool's encounters are often reordered


def test_codes_that_share_a_stem_or_a_side_free_key_share_one_object() -> None:
    # I.B.10/acute-with-sequela and I.B.13/bilateral tell stems and side-free keys
    # apart by identity: equal ones must be one object, different ones not.
    release = icd10cm.load_release(RELEASE)
    values = ["S52.521A", "S52.521D", "S52.521S", "S52.522A", "S52.522S", "M17.11",
              "M17.12", "M17.0", "H40.1111", "H40.1121", "H40.1131", "E11.9"]
    facts = [f.facts(release[value]) for value in values]
    for x in facts:
        for y in facts:
            assert (x.stem is y.stem) == (x.undotted[:6] == y.undotted[:6]), (x.value, y.value)
            if x.side and y.side:
                plain = ((x.lateral_key, x.category, x.undotted[6:])
                         == (y.lateral_key, y.category, y.undotted[6:]))
                assert (x.alike is y.alike) == plain, (x.value, y.value)
    assert facts[0].stem is facts[2].stem and facts[5].alike is facts[6].alike
    assert facts[-1].alike is None
