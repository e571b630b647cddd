"""Ranking a cluster-year and proposing its awards: the one place these rules live.

The store adds the scores up (`Tally`: per unit, criterion kind and group, and the sources
present); everything that decides is here, over plain records:

1. The counted value of a criterion follows the score rule (default: the final value where
   present, else the mean of the peer scores, else the unit's own score): `counted_source`.
2. Total = base + bonus - deduction, in hundredths.
3. Units are ranked by total, highest first, competition style (1, 2, 2, 4). Units with equal
   totals go through the tie-break chain (votes at the review, then a named criteria group);
   a step that some of the tied units have no value for is passed over. What is still equal
   after the chain stays tied and is shown as such.
4. A unit is eligible for an award when it has scores and is not flagged for the year.
5. Year-end only: the award slots, the Cờ thi đua (its quota) then the Bằng khen (its quota), go
   down the ranking to eligible units, one award each; units that are not eligible keep their
   place but are passed over. A tie among eligible units that the slots would split (two units,
   one Cờ) is an unresolved tie: neither gets an automatic proposal until the cluster settles it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from thidua_cli.models import (
    BANG_KHEN,
    CO_THI_DUA,
    CriterionScores,
    Member,
    Ranking,
    Row,
    Tally,
    Tie,
)
from thidua_cli.rules.policy import Policy
from thidua_cli.rules.text import fold_key, sort_key


def counted_source(sources: Collection[str], rule: Sequence[str]) -> str | None:
    """The source whose value counts for a criterion scored by `sources`: the rule's first."""
    return next((source for source in rule if source in sources), None)


def counted_value(scores: CriterionScores, rule: Sequence[str]) -> int | None:
    """The value that counts for one unit and criterion under the score rule, if any."""
    values = {"final": scores.final, "peer": scores.peer, "self": scores.self}
    source = counted_source([s for s, v in values.items() if v is not None], rule)
    return values[source] if source is not None else None


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


def _by_name(rows: Sequence[Row]) -> list[Row]:
    return list(rows) if len(rows) < 2 else sorted(rows, key=lambda r: sort_key(r.unit))


def tie_groups(rows: Sequence[Row]) -> list[tuple[int, tuple[str, ...], tuple[str, ...]]]:
    """(total, units in Vietnamese order, tie-break steps used) for every equal total of scored
    units, highest first; `rows` are in ranking order."""
    by_total: dict[int, list[Row]] = {}
    for row in rows:
        if row.scored:
            by_total.setdefault(row.total, []).append(row)
    return [
        (
            total,
            tuple(r.unit for r in _by_name(group)),
            tuple(dict.fromkeys(step for r in group for step in r.steps)),
        )
        for total, group in by_total.items()
        if len(group) > 1
    ]


def unresolved_ties(rows: Sequence[Row]) -> list[Tie]:
    """The places whose units hold awards pending a settlement; `rows` are in ranking order."""
    ties: list[Tie] = []
    for row in rows:
        if row.pending_awards and (not ties or ties[-1].rank != row.rank):
            sharing = [r for r in rows if r.rank == row.rank and r.pending_awards]
            ties.append(
                Tie(row.rank or 0, tuple(r.unit for r in sharing), tuple(row.pending_awards),
                    row.total)
            )  # fmt: skip
    return ties


def recorded_ranking(
    rows: list[Row], period: str, members: int, co_thi_dua_quota: int, bang_khen_quota: int
) -> Ranking:
    """A Ranking from rows recorded in ranking order (a submission's)."""
    return Ranking(
        period=period,
        members=members,
        rows=rows,
        unresolved_ties=unresolved_ties(rows),
        tie_groups=tie_groups(rows),
        co_thi_dua_quota=co_thi_dua_quota,
        bang_khen_quota=bang_khen_quota,
    )


def rank_cluster(
    members: Sequence[Member],
    tallies: Sequence[Tally],
    policy: Policy,
    *,
    base_criteria: int,
    period: str = "year",
    votes: Mapping[int, tuple[int, int | None]] | None = None,
    flags: Mapping[int, Sequence[str]] | None = None,
) -> Ranking:
    """Rank the members of a cluster-year from the tallies of their scores.

    `base_criteria` is how many base criteria the cluster-year's set has (to count what is
    missing); `votes` maps a unit to (votes, voters) at the review; `flags` to the reasons it is
    not eligible this year. Group tallies are needed only when the tie-break names a group.
    """
    votes = votes or {}
    flags = flags or {}
    rows: dict[int, Row] = {}
    for m in members:
        vote = votes.get(m.unit_id)
        rows[m.unit_id] = Row(
            m.unit_id,
            m.name,
            m.short_name,
            votes=vote[0] if vote else None,
            voters=vote[1] if vote else None,
            flags=list(flags.get(m.unit_id, ())),
        )
    counted_base: dict[int, int] = defaultdict(int)
    counts: dict[frozenset[str], str | None] = {}  # sources present -> the one that counts
    for tally in tallies:
        row = rows.get(tally.unit_id)
        if tally.sources in counts:
            source = counts[tally.sources]
        else:
            source = counts[tally.sources] = counted_source(tally.sources, policy.score_rule)
        if row is None or source is None:
            continue
        value = tally.final if source == "final" else tally.peer if source == "peer" else tally.self
        row.scored += tally.criteria
        if tally.kind == "base":
            row.base += value
            counted_base[tally.unit_id] += tally.criteria
        elif tally.kind == "bonus":
            row.bonus += value
        else:
            row.deduction += value
        if tally.group:
            key = fold_key(tally.group)
            row.groups[key] = row.groups.get(key, 0) + value
    for row in rows.values():
        row.missing = base_criteria - counted_base[row.unit_id]
        row.eligible = row.scored > 0 and not row.flags

    by_total: dict[int, list[Row]] = defaultdict(list)
    for row in rows.values():
        if row.scored:
            by_total[row.total].append(row)
    ordered: list[list[Row]] = []
    for total in sorted(by_total, reverse=True):
        for part, steps in _split(_by_name(by_total[total]), policy.tie_break):
            for row in part:
                row.steps = tuple(steps)
            ordered.append(part)
    position = 1
    for part in ordered:
        for row in part:
            row.rank = position
            row.tied = len(part) > 1
        position += len(part)

    bang_khen_quota = policy.bang_khen_quota_for(len(members))
    if period == "year":
        _propose(ordered, policy.co_thi_dua_quota, bang_khen_quota)
    ranked = [r for part in ordered for r in part]
    unscored = _by_name([r for r in rows.values() if not r.scored])
    return recorded_ranking(
        ranked + unscored, period, len(members), policy.co_thi_dua_quota, bang_khen_quota
    )


def _propose(ordered: Sequence[Sequence[Row]], co_thi_dua: int, bang_khen: int) -> None:
    """Give the award slots down the places, to eligible units; mark the ties that split one."""
    slots = [CO_THI_DUA] * co_thi_dua + [BANG_KHEN] * bang_khen
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
            at_stake = list(dict.fromkeys(mine))
            for row in eligible:
                row.pending_awards = list(at_stake)
        taken += len(eligible)
