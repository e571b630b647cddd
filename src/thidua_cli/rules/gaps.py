"""How far a unit's own score is from its peers' and from the value that counts.

A unit scores itself (tự chấm), the other members score it (chấm chéo), and the cluster settles
the value that counts. The gaps show where a unit over- or under-rated itself: per criterion,
its own points minus the mean of its peers' and minus the counted value; per unit, the same
summed over the criteria the unit scored itself (a deduction counts against, as in the total),
so that each line's columns add up. A gap is marked when its size is above the threshold.
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
        # The unit's line covers the criteria it scored itself, so that its columns add up: the
        # peers' mean and the counted value over the same criteria (no peer sum when the peers
        # left one of them unscored).
        own = [s for s in rows if s.self is not None]
        signs = [-1 if kinds[s.criterion_id] == "deduction" else 1 for s in own]
        self_total = sum(sign * (s.self or 0) for sign, s in zip(signs, own, strict=True))
        peers = [s.peer for s in own]
        peer_total = (
            sum(sign * p for sign, p in zip(signs, peers, strict=True) if p is not None)
            if own and all(p is not None for p in peers)
            else None
        )
        counted_total = sum(
            sign * (counted_value(s, rule) or 0) for sign, s in zip(signs, own, strict=True)
        )
        own_total = self_total if own else None
        counted = counted_total if own else None
        pair = (_gap(own_total, peer_total), _gap(own_total, counted))
        found.append(Gap(unit_id, None, own_total, peer_total, counted, *pair, _over(over, *pair)))
    return found
