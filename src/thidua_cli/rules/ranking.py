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
4. A unit is eligible for an award when it has scores and is not flagged for the year, and,
   where the year's rules ask for them, when its ballot reaches the vote threshold (for the
   awards the threshold applies to) and its rating is the award's minimum or better. A unit
   whose ballot or rating is asked for but not recorded is taken as eligible, and the award it
   would get waits for it (`Row.awaiting`): nothing is submitted while one does.
5. Year-end only: the Cờ thi đua (its quota) then the Bằng khen (its quota) go down the ranking
   to the units eligible for each, one award each; units that are not eligible for an award
   keep their place but are passed over for it (a unit below the threshold for the Cờ may still
   hold a Bằng khen). A tie among eligible units that the slots would split (two units, one Cờ)
   is an unresolved tie: none of them gets an automatic proposal until the cluster settles it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from thidua_cli.models import (
    AWARDS,
    BANG_KHEN,
    CO_THI_DUA,
    AwardRules,
    CriterionScores,
    Member,
    Ranking,
    Row,
    Tally,
    Tie,
)
from thidua_cli.rules.ballot import passes_threshold
from thidua_cli.rules.policy import Policy, rating_reaches
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
    rows: list[Row],
    period: str,
    members: int,
    co_thi_dua_quota: int,
    bang_khen_quota: int,
    rules: AwardRules | None = None,
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
        rules=rules or AwardRules(),
    )


def _conditions(row: Row, rules: AwardRules) -> dict[str, list[str]]:
    """Mark the awards the unit's ballot or rating keeps from it (`barred`: award -> "votes",
    "rating" or "votes,rating"); return, per award, what the rules ask for that is not recorded
    (ballot, rating)."""
    waits: dict[str, list[str]] = {}
    for award in AWARDS:
        if rules.vote_threshold is not None and award in rules.vote_gates:
            if row.votes is None:
                waits.setdefault(award, []).append("ballot")
            elif row.voters is None:  # the votes without the valid ballots give no share
                waits.setdefault(award, []).append("voters")
            elif not passes_threshold(
                row.votes, row.voters, rules.vote_threshold, rules.vote_threshold_rule
            ):
                row.barred[award] = "votes"
        minimum = rules.min_rating_for(award)
        if minimum is not None:
            if row.rating is None:
                if award not in row.barred:  # barred already: the rating would change nothing
                    waits.setdefault(award, []).append("rating")
            elif not rating_reaches(row.rating, minimum):
                # both causes are named when both hold: "votes,rating"
                row.barred[award] = ",".join(filter(None, (row.barred.get(award), "rating")))
    return waits


def rank_cluster(
    members: Sequence[Member],
    tallies: Sequence[Tally],
    policy: Policy,
    *,
    base_criteria: int,
    period: str = "year",
    votes: Mapping[int, tuple[int, ...]] | None = None,
    flags: Mapping[int, Sequence[str]] | None = None,
    ratings: Mapping[int, str] | None = None,
) -> Ranking:
    """Rank the members of a cluster-year from the tallies of their scores.

    `base_criteria` is how many base criteria the cluster-year's set has (to count what is
    missing); `votes` maps a unit to (votes, valid ballots[, ballots issued]) at the review;
    `flags` to the reasons it is not eligible this year; `ratings` to its rating of the year.
    Group tallies are needed only when the tie-break names a group.
    """
    votes = votes or {}
    flags = flags or {}
    ratings = ratings or {}
    rules = policy.award_rules
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
            issued=vote[2] if vote and len(vote) > 2 else None,
            rating=ratings.get(m.unit_id),
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
    conditional = rules.vote_threshold is not None or bool(rules.min_rating)
    waits: dict[int, dict[str, list[str]]] = {}
    for row in rows.values():
        row.missing = base_criteria - counted_base[row.unit_id]
        row.eligible = row.scored > 0 and not row.flags
        if conditional and row.eligible:
            waits[row.unit_id] = _conditions(row, rules)

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
        for unit_id, wanted in waits.items():
            row = rows[unit_id]
            held = [row.award_code] if row.award_code else row.pending_awards
            row.awaiting = list(dict.fromkeys(w for award in held for w in wanted.get(award, [])))
    ranked = [r for part in ordered for r in part]
    unscored = _by_name([r for r in rows.values() if not r.scored])
    return recorded_ranking(
        ranked + unscored, period, len(members), policy.co_thi_dua_quota, bang_khen_quota, rules
    )


def _propose(ordered: Sequence[Sequence[Row]], co_thi_dua: int, bang_khen: int) -> None:
    """Give the awards down the places: the Cờ to the units eligible for it, then the Bằng khen
    to the units eligible for it that hold no Cờ; mark the ties that split an award.

    Within a group of equal places, the units eligible for the Cờ take it when there are enough
    Cờ for all of them; when there are not, they hold it pending (a tie for the cluster to
    settle), with the Bằng khen that those left without a Cờ would take. The units of the group
    that can take only a Bằng khen take one each when enough are left for them and for those.
    """
    flags_left, certificates_left = co_thi_dua, bang_khen
    for part in ordered:
        flag = [r for r in part if r.eligible and CO_THI_DUA not in r.barred] if flags_left else []
        only = [r for r in part if r.eligible and BANG_KHEN not in r.barred and r not in flag]
        contested = len(flag) > flags_left
        if contested:
            for row in flag:
                row.pending_awards = [CO_THI_DUA]
            losers = [r for r in flag if BANG_KHEN not in r.barred]
            wanting = len(only) + min(len(flag) - flags_left, len(losers))
            flags_left = 0
        else:
            for row in flag:
                row.award_code = CO_THI_DUA
            flags_left -= len(flag)
            losers, wanting = [], len(only)
        if not wanting or not certificates_left:
            continue
        if wanting <= certificates_left:
            for row in only:
                row.award_code = BANG_KHEN
            for row in losers:
                row.pending_awards.append(BANG_KHEN)
        else:
            for row in [*losers, *only]:
                row.pending_awards = [*row.pending_awards, BANG_KHEN]
        certificates_left = max(0, certificates_left - wanting)
