"""How far a unit's own score is from its peers' and from the value that counts.

A unit scores itself (tự chấm), the other members score it (chấm chéo), and the cluster settles
the value that counts. The gaps show where a unit over- or under-rated itself: per criterion,
its own points minus the mean of its peers' and minus the counted value; per unit, the same
over the criteria both sides scored (a deduction counts against, as in the total). A gap is
marked when its size is above the threshold the user gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from thidua_cli.models import Criterion, CriterionScores
from thidua_cli.rules.ranking import counted_value


@dataclass(frozen=True)
class Gap:
    """One unit's (or one unit and criterion's) self, peer mean and counted values, in
    hundredths, with the gaps of self against each; None where a side has no value."""

    unit_id: int
    criterion_id: int | None  # None: the unit's totals
    self: int | None
    peer: int | None
    counted: int | None
    self_vs_peer: int | None
    self_vs_counted: int | None
    over: bool


def _gap(a: int | None, b: int | None) -> int | None:
    return a - b if a is not None and b is not None else None


def _over(threshold: int | None, *gaps: int | None) -> bool:
    return threshold is not None and any(g is not None and abs(g) > threshold for g in gaps)


def score_gaps(
    criteria: Sequence[Criterion],
    scores: Sequence[CriterionScores],
    rule: Sequence[str],
    unit_ids: Sequence[int],
    *,
    over: int | None,
    detail: bool,
) -> list[Gap]:
    """The gaps of each unit in `unit_ids` order: its totals, or (detail) one per criterion."""
    kinds = {c.id: c.kind for c in criteria}
    order = {c.id: n for n, c in enumerate(criteria)}
    by_unit: dict[int, list[CriterionScores]] = {}
    for s in scores:
        if s.criterion_id in kinds:
            by_unit.setdefault(s.unit_id, []).append(s)
    found: list[Gap] = []
    for unit_id in unit_ids:
        rows = sorted(by_unit.get(unit_id, []), key=lambda s: order[s.criterion_id])
        if detail:
            for s in rows:
                counted = counted_value(s, rule)
                pair = (_gap(s.self, s.peer), _gap(s.self, counted))
                found.append(
                    Gap(unit_id, s.criterion_id, s.self, s.peer, counted, *pair, _over(over, *pair))
                )
            continue
        totals: dict[str, int | None] = dict.fromkeys(("self", "peer", "counted", "sp", "sc"))
        for s in rows:
            sign = -1 if kinds[s.criterion_id] == "deduction" else 1
            counted = counted_value(s, rule)
            values = {
                "self": s.self, "peer": s.peer, "counted": counted,
                "sp": _gap(s.self, s.peer), "sc": _gap(s.self, counted),
            }  # fmt: skip
            for key, value in values.items():
                if value is not None:
                    totals[key] = (totals[key] or 0) + sign * value
        pair = (totals["sp"], totals["sc"])
        found.append(
            Gap(
                unit_id, None, totals["self"], totals["peer"], totals["counted"], *pair,
                _over(over, *pair),
            )
        )  # fmt: skip
    return found
