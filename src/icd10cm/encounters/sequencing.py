"""Put an encounter's diagnoses in a defensible order: :func:`sequence`."""

from __future__ import annotations

from functools import partial

import attrs

from icd10cm.encounters.analysis import Analysis, analyse, remember
from icd10cm.encounters.checks import ordering_findings
from icd10cm.encounters.constraints import Text
from icd10cm.encounters.encounter import Encounter
from icd10cm.encounters.findings import Finding

__all__ = ["Move", "Sequencing", "moved", "sequence"]


@attrs.frozen
class Move:
    """One code that :func:`sequence` moved, from and to 0-based positions, and why."""

    code: str
    from_position: int
    to_position: int
    rule: str
    reason: str

    def __str__(self) -> str:
        return (f"{self.code}: position {self.from_position + 1} -> {self.to_position + 1} "
                f"({self.rule}): {self.reason}")


@attrs.frozen
class Sequencing:
    """The result of :func:`sequence`.

    *encounter* is the reordered encounter; *order* gives, for each of its
    diagnoses, the position it had in the input; *moves* explains every code a
    rule moved; *unresolved* holds the ordering findings that no order resolves,
    such as two first-listed-only Z codes.
    """

    encounter: Encounter
    order: tuple[int, ...]
    moves: tuple[Move, ...]
    unresolved: tuple[Finding, ...]

    @property
    def changed(self) -> bool:
        return self.order != tuple(range(len(self.order)))


def sequence(encounter: Encounter, *, own_data_only: bool = False) -> Sequencing:
    """Reorder *encounter* by the rules that fix an order, keeping the reported order
    wherever no rule decides (that is clinical judgement).

    A designated first diagnosis (``first_designated``) stays first unless a rule
    forbids it; the move then says so. Pure and deterministic: sequencing the
    result again moves nothing.
    """
    analysis = analyse(encounter, own_data_only)
    placement = _placement(analysis)
    if placement is None:  # no rule moves a code, or none can
        return _sequencing(encounter, tuple(range(len(analysis.facts))), (),
                           ordering_findings(analysis))
    placed, reasons, cycle = placement
    result = encounter.reordered(placed)
    values = encounter.diagnoses
    moves = []
    for index, position in enumerate(placed):
        if index != position and position in reasons:
            rule_id, reason = reasons[position]
            moves.append(_move(values[position].value, position, index, rule_id, reason()))
    if _resolved(analysis, placed, cycle):
        unresolved: tuple[Finding, ...] = ()
    else:
        after = analysis.permuted(result, placed)
        remember(after)  # check(result) need not analyse it again
        unresolved = ordering_findings(after)
    return _sequencing(result, tuple(placed), tuple(moves), unresolved)


def moved(analysis: Analysis) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]] | None:
    """What :func:`sequence` does to the encounter of *analysis*, without the reordered
    encounter, the reasons' words or the unresolved findings: None when it keeps the
    order, else its :attr:`~Sequencing.order` and the (to_position, rule) of each move.
    For callers that sequence many encounters and keep only that
    (:func:`icd10cm.frame.check`)."""
    placement = _placement(analysis, words=False)
    if placement is None:
        return None
    placed, reasons, _ = placement
    return tuple(placed), tuple([(index, reasons[position][0])
                                 for index, position in enumerate(placed)
                                 if index != position and position in reasons])


def _placement(analysis: Analysis, words: bool = True
               ) -> tuple[list[int], dict[int, tuple[str, Text]], bool] | None:
    """The order of :func:`sequence` (old positions), the rule and words that moved
    each code (without *words*, the words of the first code's move are empty), and
    whether the edges form a cycle; None when the order stays."""
    chosen, rule = analysis.preferred_first(keep_designated=True)
    if chosen == 0 and not analysis.backward:
        return None  # no rule moves a code: the reported order meets every edge
    reasons: dict[int, tuple[str, Text]] = {}
    if rule is not None:
        reasons[chosen] = (rule, partial(_first_reason, analysis.encounter, chosen, rule)
                           if words else str)
    placed, cycle = _place(analysis, chosen, reasons)
    # A cycle, or an edge into a first code that nothing can replace, kept the order.
    if chosen == 0 and placed == list(range(len(placed))):
        return None
    return placed, reasons, cycle


def _place(analysis: Analysis, chosen: int, reasons: dict[int, tuple[str, Text]]
           ) -> tuple[list[int], bool]:
    """The order: *chosen* first, then each code as soon as the codes its edges put
    before it are placed, in reported order otherwise; and whether the edges form a
    cycle (then the reported order is kept where nothing is ready). *reasons* gets the
    first edge that held back each code that waited.

    That is: at each step, the lowest waiting code that is ready. The codes are passed
    in reported order; one that is not ready is held (lowest first), and after each
    code placed, the held codes that became ready are placed before the next code is
    passed (they are lower)."""
    count = len(analysis.facts)
    predecessors, edges = analysis.predecessors, analysis.edges
    if not predecessors:  # nothing waits for another code
        return [chosen, *range(chosen), *range(chosen + 1, count)], False
    placed = [chosen]  # nothing can precede the first code, so edges from it are met
    held: list[int] = []
    for position in range(count):
        if position == chosen:
            continue
        befores = predecessors.get(position)
        if befores is not None:
            for before in befores:
                if before not in placed:  # a short list: as quick as a set
                    if position not in reasons:
                        reasons[position] = edges[(before, position)][:2]
                    held.append(position)
                    break
            else:
                befores = None
            if befores is not None:
                continue
        placed.append(position)
        if held:
            _release(held, predecessors, placed)
    cycle = bool(held)
    while held:  # a cycle: nothing held is ready, so the lowest goes first
        placed.append(held.pop(0))
        _release(held, predecessors, placed)
    return placed, cycle


def _release(held: list[int], predecessors: dict[int, list[int]], placed: list[int]) -> None:
    """Place the held codes whose predecessors are all placed, lowest first (each one
    placed can make a lower one ready)."""
    index = 0
    while index < len(held):
        for before in predecessors[held[index]]:
            if before not in placed:
                index += 1
                break
        else:
            placed.append(held.pop(index))
            index = 0


def _resolved(analysis: Analysis, placed: list[int], cycle: bool) -> bool:
    """Whether the order *placed* certainly leaves no ordering finding, without
    analysing it again: no cycle, at most one first-listed-only code, a first code that
    may be first, every edge met, and no designation kept against a rule. Without a
    cycle, :func:`_place` meets every edge but those into the first code."""
    if cycle or len(analysis.required) > 1 or analysis.encounter.first_designated:
        return False
    first = placed[0]
    return first not in analysis.barred and first not in analysis.predecessors


_set_code, _set_from, _set_to, _set_rule, _set_reason = (
    vars(Move)[name].__set__ for name in attrs.fields_dict(Move))
_set_encounter, _set_order, _set_moves, _set_unresolved = (
    vars(Sequencing)[name].__set__ for name in attrs.fields_dict(Sequencing))
_new = object.__new__


def _move(code: str, from_position: int, to_position: int, rule: str, reason: str) -> Move:
    """``Move(...)`` without the generic ``__init__``: the same value."""
    made = _new(Move)
    _set_code(made, code)
    _set_from(made, from_position)
    _set_to(made, to_position)
    _set_rule(made, rule)
    _set_reason(made, reason)
    return made


def _sequencing(encounter: Encounter, order: tuple[int, ...], moves: tuple[Move, ...],
                unresolved: tuple[Finding, ...]) -> Sequencing:
    """``Sequencing(...)`` without the generic ``__init__``: the same value."""
    made = _new(Sequencing)
    _set_encounter(made, encounter)
    _set_order(made, order)
    _set_moves(made, moves)
    _set_unresolved(made, unresolved)
    return made


def _first_reason(encounter: Encounter, chosen: int, rule: str) -> str:
    first, code = encounter.diagnoses[0].value, encounter.diagnoses[chosen].value
    term = encounter.setting.first_term
    reason = f"{code} becomes the {term} in place of {first} ({rule.partition('/')[0]})"
    if encounter.first_designated:
        reason += f"; this overrides the designation of {first}, which the rule forbids"
    return reason
