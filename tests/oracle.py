"""The sums the store makes (store/scoring.py: tallies), written the plain way, as the tests'
oracle: per unit, criterion kind, group and the set of sources each criterion has, the sum of
each source's value (a peer value is the mean of the peer scores, rounded half up)."""

from __future__ import annotations

from collections.abc import Sequence

from thidua_cli.models import Criterion, Score, Tally
from thidua_cli.points import mean_half_up


def tallies_of(
    scores: Sequence[Score], criteria: Sequence[Criterion], *, groups: bool = True
) -> list[Tally]:
    by_id = {c.id: c for c in criteria}
    per: dict[tuple[int, int], dict[str, list[int]]] = {}
    for s in scores:
        if s.criterion_id in by_id:
            per.setdefault((s.unit_id, s.criterion_id), {}).setdefault(s.source, []).append(
                s.points
            )
    sums: dict[tuple[int, str, str | None, frozenset[str]], list[int]] = {}
    for (unit_id, criterion_id), sources in per.items():
        criterion = by_id[criterion_id]
        key = (unit_id, criterion.kind, criterion.group if groups else None, frozenset(sources))
        entry = sums.setdefault(key, [0, 0, 0, 0])
        entry[0] += 1
        entry[1] += sources["final"][0] if "final" in sources else 0
        entry[2] += mean_half_up(sources["peer"]) if "peer" in sources else 0
        entry[3] += sources["self"][0] if "self" in sources else 0
    return [Tally(*key, *values) for key, values in sums.items()]


def normalised(tallies: Sequence[Tally]) -> list[tuple]:
    """Tallies compared without caring how the store split them: per unit, kind, group and
    sources, the sums (a criterion group of None and of '' are the same: no group)."""
    merged: dict[tuple, list[int]] = {}
    for t in tallies:
        key = (t.unit_id, t.kind, t.group or "", tuple(sorted(t.sources)))
        entry = merged.setdefault(key, [0, 0, 0, 0])
        for i, value in enumerate((t.criteria, t.final, t.peer, t.self)):
            entry[i] += value
    return sorted((*key, *values) for key, values in merged.items())
