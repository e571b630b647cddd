"""Ranking a cluster-year and proposing its awards: the rules, over plain records.

The database computes them (the `ranking` view, store/migrations.py M6), so that the CLI, the
sqlite3 shell and Datasette agree; `assemble` turns the view's rows into a `Ranking`.
`rank_cluster` below states the same rules in Python: the tests hold the view to it.

1. The counted value of each unit and criterion follows the score rule (default: the final value
   where present, else the mean of peer scores rounded half up to hundredths, else self).
2. Total = base + bonus - deduction, in hundredths.
3. Units are ranked by total, highest first, competition style (1, 2, 2, 4). Units with equal
   totals go through the tie-break chain (votes at the review, then a named criteria group);
   a step that some of the tied units have no value for is passed over. What is still equal
   after the chain stays tied and is shown as such.
4. Year-end only: the award slots, Cờ thi đua (flag quota) then Bằng khen (merit quota), go down
   the ranking to eligible units, one award each; flagged units keep their place but are passed
   over. A tie among eligible units that the slots would split (two units, one flag) is an
   unresolved tie: neither gets an automatic proposal until the cluster settles it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from thidua_cli.models import Member
from thidua_cli.points import mean_half_up
from thidua_cli.rules.policy import Policy
from thidua_cli.rules.text import fold_key, sort_key

CO_THI_DUA = "co_thi_dua"
BANG_KHEN = "bang_khen"
AWARD_NAMES = {
    CO_THI_DUA: "Cờ thi đua của UBND tỉnh",
    BANG_KHEN: "Bằng khen của Chủ tịch UBND tỉnh",
}


@dataclass(frozen=True)
class Criterion:
    id: int
    code: str
    group: str
    name: str
    max_points: int
    kind: str  # base | bonus | deduction
    position: int = 0


class Score(NamedTuple):
    """One stored score. A tuple, not a dataclass: a national year holds hundreds of thousands."""

    unit_id: int
    criterion_id: int
    source: str  # self | peer | final
    points: int
    scorer_id: int | None = None


@dataclass
class Row:
    unit_id: int
    unit: str
    short: str | None = None  # the short name, for narrow tables
    base: int = 0
    bonus: int = 0
    deduction: int = 0
    scored: int = 0  # criteria with a counted value
    missing: int = 0  # base criteria without one
    votes: int | None = None
    voters: int | None = None
    flags: list[str] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=dict)
    rank: int | None = None
    tied: bool = False
    decided_by: str | None = None  # the tie-break step that placed it among equal totals
    award_code: str | None = None
    pending_awards: list[str] = field(default_factory=list)  # awards an unresolved tie holds

    @property
    def total(self) -> int:
        return self.base + self.bonus - self.deduction

    @property
    def eligible(self) -> bool:
        return not self.flags and self.scored > 0


@dataclass(frozen=True)
class Tie:
    rank: int
    units: tuple[str, ...]
    awards: tuple[str, ...]
    total: int


@dataclass
class Ranking:
    period: str
    members: int
    rows: list[Row]
    unresolved_ties: list[Tie]
    tie_groups: list[tuple[int, tuple[str, ...], tuple[str, ...]]]  # total, units, steps used
    merit_quota: int
    flag_quota: int

    @property
    def has_scores(self) -> bool:
        return any(r.scored for r in self.rows)


class Standing(NamedTuple):
    """One row of the `ranking` view: a member's standing in its cluster-year and period."""

    cluster_id: int
    unit_id: int
    unit: str
    short: str | None
    rank: int | None
    tied: bool
    base: int
    bonus: int
    deduction: int
    scored: int
    missing: int
    votes: int | None
    voters: int | None
    flags: list[str]
    decided_by: str | None
    decided_steps: tuple[str, ...]
    flag_quota: int
    merit_quota: int
    award: str | None
    pending: tuple[str, ...]


def assemble(standings: Sequence[Standing], period: str) -> Ranking:
    """A cluster-year's Ranking from its rows of the view: places, then Vietnamese order."""
    rows = [
        Row(
            s.unit_id,
            s.unit,
            s.short,
            base=s.base,
            bonus=s.bonus,
            deduction=s.deduction,
            scored=s.scored,
            missing=s.missing,
            votes=s.votes,
            voters=s.voters,
            flags=list(s.flags),
            rank=s.rank,
            tied=s.tied,
            decided_by=s.decided_by,
            award_code=s.award,
            pending_awards=list(s.pending),
        )
        for s in standings
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, sort_key(r.unit)))
    steps_of = {s.unit_id: s.decided_steps for s in standings}
    tie_groups = []
    by_total: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        if row.scored:
            by_total[row.total].append(row)
    for total, group in by_total.items():
        if len(group) > 1:
            chain = [s for row in group for s in steps_of[row.unit_id]]
            units = tuple(r.unit for r in sorted(group, key=lambda r: sort_key(r.unit)))
            tie_groups.append((total, units, tuple(dict.fromkeys(chain))))
    ties = []
    for row in rows:
        if row.pending_awards and (not ties or ties[-1].rank != row.rank):
            sharing = [r for r in rows if r.rank == row.rank and r.pending_awards]
            ties.append(
                Tie(row.rank or 0, tuple(r.unit for r in sharing), tuple(row.pending_awards),
                    row.total)
            )  # fmt: skip
    first = standings[0] if standings else None
    return Ranking(
        period=period,
        members=len(rows),
        rows=rows,
        unresolved_ties=ties,
        tie_groups=tie_groups,
        merit_quota=first.merit_quota if first else 0,
        flag_quota=first.flag_quota if first else 0,
    )


def counted_values(scores: Sequence[Score], rule: Sequence[str]) -> dict[tuple[int, int], int]:
    """(unit, criterion) -> the value that counts under the score rule."""
    by_source: dict[tuple[int, int], dict[str, list[int]]] = {}
    for unit_id, criterion_id, source, points, _scorer in scores:
        by_source.setdefault((unit_id, criterion_id), {}).setdefault(source, []).append(points)
    counted = {}
    for key, sources in by_source.items():
        for source in rule:
            values = sources.get(source)
            if values:
                counted[key] = mean_half_up(values) if source == "peer" else values[0]
                break
    return counted


def _step_value(row: Row, step: str) -> int | None:
    if step == "votes":
        return row.votes
    if step.startswith("group:"):
        return row.groups.get(fold_key(step[6:]))
    return None


def _split(group: list[Row], chain: Sequence[str]) -> list[tuple[list[Row], list[str]]]:
    """Order a group of equal totals by the chain: [(still-equal rows, steps that decided)]."""
    if len(group) == 1 or not chain:
        return [(group, [])]
    step, rest = chain[0], chain[1:]
    values = [_step_value(r, step) for r in group]
    if any(v is None for v in values):
        return _split(group, rest)
    result: list[tuple[list[Row], list[str]]] = []
    distinct = sorted({v for v in values if v is not None}, reverse=True)
    for value in distinct:
        part = [r for r in group if _step_value(r, step) == value]
        for sub, steps in _split(part, rest):
            result.append((sub, [step, *steps] if len(distinct) > 1 else steps))
    return result


def rank_cluster(
    members: Sequence[Member],
    criteria: Sequence[Criterion],
    scores: Sequence[Score],
    policy: Policy,
    *,
    period: str = "year",
    votes: Mapping[int, tuple[int, int | None]] | None = None,
    flags: Mapping[int, list[str]] | None = None,
) -> Ranking:
    votes = votes or {}
    flags = flags or {}
    by_id = {c.id: c for c in criteria}
    counted = counted_values(scores, policy.score_rule)
    rows = {
        m.unit_id: Row(
            m.unit_id,
            m.name,
            m.short_name,
            votes=votes.get(m.unit_id, (None, None))[0],
            voters=votes.get(m.unit_id, (None, None))[1],
            flags=list(flags.get(m.unit_id, [])),
        )
        for m in members
    }
    for (unit_id, criterion_id), value in counted.items():
        row, criterion = rows.get(unit_id), by_id.get(criterion_id)
        if row is None or criterion is None:
            continue
        row.scored += 1
        if criterion.kind == "base":
            row.base += value
        elif criterion.kind == "bonus":
            row.bonus += value
        else:
            row.deduction += value
        if criterion.group:
            key = fold_key(criterion.group)
            row.groups[key] = row.groups.get(key, 0) + value
    base_ids = [c.id for c in criteria if c.kind == "base"]
    for row in rows.values():
        row.missing = sum(1 for cid in base_ids if (row.unit_id, cid) not in counted)

    scored = [r for r in rows.values() if r.scored]
    unscored = sorted((r for r in rows.values() if not r.scored), key=lambda r: sort_key(r.unit))
    by_total: dict[int, list[Row]] = defaultdict(list)
    for row in scored:
        by_total[row.total].append(row)

    ordered: list[list[Row]] = []
    tie_groups = []
    for total in sorted(by_total, reverse=True):
        group = sorted(by_total[total], key=lambda r: sort_key(r.unit))
        parts = _split(group, policy.tie_break)
        if len(group) > 1:
            used = tuple(dict.fromkeys(s for _, steps in parts for s in steps))
            tie_groups.append((total, tuple(r.unit for r in group), used))
        for part, steps in parts:
            for row in part:
                row.decided_by = steps[0] if steps else None
            ordered.append(part)

    position = 1
    for part in ordered:
        for row in part:
            row.rank = position
            row.tied = len(part) > 1
        position += len(part)

    members_count = len(members)
    merits = policy.merits(members_count)
    ties: list[Tie] = []
    if period == "year":
        slots = [CO_THI_DUA] * policy.flag_quota + [BANG_KHEN] * merits
        taken = 0
        for part in ordered:
            eligible = [r for r in part if r.eligible]
            if not eligible or taken >= len(slots):
                continue
            mine = slots[taken : taken + len(eligible)]
            if len(eligible) == 1 or (len(mine) == len(eligible) and len(set(mine)) == 1):
                for row, award in zip(eligible, mine, strict=False):
                    row.award_code = award
            else:
                at_stake = tuple(dict.fromkeys(mine))
                for row in eligible:
                    row.pending_awards = list(at_stake)
                rank = eligible[0].rank or 0
                ties.append(Tie(rank, tuple(r.unit for r in eligible), at_stake, eligible[0].total))
            taken += len(eligible)

    return Ranking(
        period=period,
        members=members_count,
        rows=[r for part in ordered for r in part] + unscored,
        unresolved_ties=ties,
        tie_groups=tie_groups,
        merit_quota=merits,
        flag_quota=policy.flag_quota,
    )
