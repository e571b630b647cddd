"""The year's record as thidua shows it: what a cluster submitted where it has submitted, else
the live ranking marked as a draft; with the province's decisions and the earlier versions.

`awards`, `history`, `report` and `submission` read it; `rank` shows the live ranking and
compares it with what was submitted.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence

from thidua_cli.app.facts import provenance_of, provenances_of_year
from thidua_cli.app.ranking import live_ranking, live_rankings_of_year, policy_for, require_scores
from thidua_cli.app.session import find_cluster, find_unit
from thidua_cli.models import (
    Cluster,
    ClusterReport,
    ClusterResult,
    ClusterYear,
    CouncilVote,
    Decision,
    LiveRanking,
    Ranking,
    Review,
    Row,
    Submission,
    Unit,
    UnitYear,
)
from thidua_cli.rules.ballot import passes_threshold
from thidua_cli.rules.ranking import recorded_ranking
from thidua_cli.store import records, registry, scoring


def submitted_ranking(submission: Submission, rows: list[Row]) -> Ranking:
    return recorded_ranking(
        rows,
        submission.period,
        submission.members,
        submission.co_thi_dua_quota,
        submission.bang_khen_quota,
        submission.rules,
    )


# ---------------------------------------------------------------- the Council's votes


def judged(vote: CouncilVote, threshold: int, rule: str) -> CouncilVote:
    """The vote with whether it reaches the Council's share."""
    return dataclasses.replace(
        vote, passed=passes_threshold(vote.agree, vote.members, threshold, rule)
    )


def council_rule(conn: sqlite3.Connection, year: int) -> tuple[int, str]:
    policy = policy_for(conn, None, year)
    return policy.council_threshold, policy.council_threshold_rule


def council_of(
    conn: sqlite3.Connection, year: int, submissions: Sequence[Submission]
) -> dict[int, list[CouncilVote]]:
    """submission id -> the Council's votes on its proposals, judged by the year's rule."""
    rule = council_rule(conn, year)
    return {
        sid: [judged(v, *rule) for v in votes]
        for sid, votes in records.council_votes_of(conn, [s.id for s in submissions]).items()
    }


def _result(
    cluster: Cluster,
    year: int,
    period: str,
    versions: Sequence[Submission],
    rows: dict[int, list[Row]],
    decided: Sequence[Decision],
    live: Ranking | None,
    board: Board,
) -> ClusterResult:
    standing = next((s for s in versions if s.status == "submitted"), None)
    reviews, council = board
    by_submission: dict[int, list[Decision]] = {}
    for decision in decided:
        by_submission.setdefault(decision.submission_id, []).append(decision)
    result = ClusterResult(
        cluster,
        year,
        period,
        submitted_ranking(standing, rows[standing.id]) if standing else live,
        standing,
        withdrawn=[s for s in versions if s.status == "withdrawn"],
    )
    if standing is not None:
        result.decisions = {(d.unit_id, d.award): d for d in by_submission.get(standing.id, [])}
    for earlier in result.withdrawn:
        unit_rows = {r.unit_id: r for r in rows[earlier.id]}
        result.earlier_decisions.extend(
            (earlier, unit_rows[d.unit_id], d) for d in by_submission.get(earlier.id, [])
        )
        returned = reviews.get(earlier.id)
        if returned is not None and returned.action == "return":
            result.returned.append((earlier, returned))
    if standing is not None:
        result.review = reviews.get(standing.id)
        result.council = {(v.unit_id, v.award): v for v in council.get(standing.id, [])}
    return result


# The Board's reviews (submission id -> review) and the Council's votes (submission id -> votes).
Board = tuple[dict[int, Review], dict[int, list[CouncilVote]]]


def _board(conn: sqlite3.Connection, year: int, versions: Sequence[Submission]) -> Board:
    return records.reviews_of(conn, [s.id for s in versions]), council_of(conn, year, versions)


def cluster_result(
    conn: sqlite3.Connection, cluster: Cluster, year: int, period: str = "year"
) -> ClusterResult:
    """A cluster-year's review: the standing submission, else the live ranking (a draft)."""
    versions = records.submissions(conn, cluster_id=cluster.id, year=year, period=period)
    submitted = any(s.status == "submitted" for s in versions)
    result = _result(
        cluster,
        year,
        period,
        versions,
        records.rows_of(conn, [s.id for s in versions]),
        [d for s in versions for d in records.decisions_of(conn, s.id)],
        None if submitted else live_ranking(conn, cluster, year, period),
        _board(conn, year, versions),
    )
    result.provenance = provenance_of(conn, cluster.id, year, period)
    return result


def clusters_of_year(conn: sqlite3.Connection, year: int) -> list[Cluster]:
    """The clusters with members in `year`, in Vietnamese order."""
    active = registry.clusters_with_members(conn, year)
    return [c for c in registry.clusters(conn) if c.id in active]


def results_of_year(
    conn: sqlite3.Connection, year: int, clusters: Sequence[Cluster] | None = None
) -> list[ClusterResult]:
    """The year-end review of every cluster of the year (or of `clusters`), read in a few
    passes: the submissions, and the live rankings of the clusters that have not submitted."""
    chosen = list(clusters) if clusters is not None else clusters_of_year(conn, year)
    wanted = {c.id for c in chosen}
    versions: dict[int, list[Submission]] = {}
    for submission in records.submissions(conn, year=year, period="year"):
        if submission.cluster_id in wanted:
            versions.setdefault(submission.cluster_id, []).append(submission)
    rows = records.rows_of(conn, [s.id for found in versions.values() for s in found])
    submitted = {c for c, found in versions.items() if any(s.status == "submitted" for s in found)}
    drafts = wanted - submitted
    live = (
        live_rankings_of_year(conn, year, "year", only=drafts if clusters or submitted else None)
        if drafts
        else {}
    )
    decided = [d for d in records.decisions(conn, year=year) if d.submission_id in rows]
    board = _board(conn, year, [s for found in versions.values() for s in found])
    provenance = provenances_of_year(conn, year, "year")
    results = [
        _result(c, year, "year", versions.get(c.id, []), rows, decided, live.get(c.id), board)
        for c in chosen
    ]
    for result in results:
        if result.cluster.id in provenance:
            result.provenance = provenance[result.cluster.id]
    return results


def unit_record(conn: sqlite3.Connection, unit_name: str) -> tuple[Unit, list[UnitYear]]:
    """The named unit, and every year it belonged to a cluster: role, year-end place, proposal,
    decisions."""
    unit = find_unit(conn, unit_name)
    unit_id = unit.id
    decided = records.decisions(conn, unit_id=unit_id)
    central = records.central_decisions(conn, unit_id=unit_id)
    record = []
    for year, cluster_id, role in registry.unit_years(conn, unit_id):
        result = cluster_result(conn, registry.cluster_by_id(conn, cluster_id), year)
        entry = UnitYear(
            year,
            result.cluster.name,
            role,
            kind=result.cluster.kind,
            status=result.status,
            version=result.submission.version if result.submission else None,
            flags=scoring.flags_by_unit(conn, year).get(unit_id, []),
            decisions=[d for d in decided if d.year == year],
            central=[d for d in central if d.year == year],
            provenance=result.provenance,
        )
        ranking = result.ranking
        row = (
            next((r for r in ranking.rows if r.unit_id == unit_id), None)
            if ranking is not None and ranking.has_scores
            else None
        )
        if row is not None:
            entry.rank, entry.tied, entry.total = row.rank, row.tied, row.total
            entry.award, entry.pending = row.award_code, list(row.pending_awards)
            entry.decided = result.decisions.get((unit_id, row.award_code or ""))
        record.append(entry)
    return unit, record


def cluster_record(
    conn: sqlite3.Connection, cluster_name: str
) -> tuple[Cluster, list[tuple[ClusterYear, ClusterResult]]]:
    """The named cluster, and every year it had members: who, and its year-end review."""
    cluster = find_cluster(conn, cluster_name)
    return cluster, [
        (registry.cluster_year(conn, cluster, year), cluster_result(conn, cluster, year))
        for year in registry.cluster_years(conn).get(cluster.id, [])
    ]


def cluster_report(
    conn: sqlite3.Connection, cluster: Cluster, year: int, period: str = "year"
) -> ClusterReport:
    """Everything a cluster's report of a year (or half-year) states, from the database."""
    result = cluster_result(conn, cluster, year, period)
    following = registry.members(conn, cluster.id, year + 1)
    leader = next((m.name for m in following if m.role == "leader"), None)
    deputy = next((m.name for m in following if m.role == "deputy"), None)
    return ClusterReport(
        result,
        registry.cluster_year(conn, cluster, year),
        leader if period == "year" else None,
        deputy if period == "year" else None,
        registry.covenant(conn, cluster.id, year + 1) if period == "year" else None,
    )


def reports_of_year(conn: sqlite3.Connection, year: int) -> list[ClusterReport]:
    """Every cluster's year-end report of a year, read in a few passes."""
    reports = []
    for result in results_of_year(conn, year):
        following = registry.members(conn, result.cluster.id, year + 1)
        reports.append(
            ClusterReport(
                result,
                registry.cluster_year(conn, result.cluster, year),
                next((m.name for m in following if m.role == "leader"), None),
                next((m.name for m in following if m.role == "deputy"), None),
                registry.covenant(conn, result.cluster.id, year + 1),
            )
        )
    return reports


def _placing(row: Row) -> tuple[object, ...]:
    return (row.rank, row.tied, row.total, row.award_code, tuple(row.pending_awards), row.eligible)


def live_with_record(
    conn: sqlite3.Connection, cluster_name: str, year: int, period: str = "year"
) -> LiveRanking:
    """The live ranking of a cluster-year that has scores, and how it stands against the
    submitted record: the units whose place, total or award differ."""
    cluster = find_cluster(conn, cluster_name, year)
    ranking = live_ranking(conn, cluster, year, period)
    require_scores(ranking, cluster, year, period)
    submission = records.standing(conn, cluster.id, year, period)
    differs: list[str] = []
    if submission is not None:
        submitted = {r.unit_id: r for r in records.rows_of(conn, [submission.id])[submission.id]}
        live = {r.unit_id: r for r in ranking.rows}
        for unit_id in dict.fromkeys([*live, *submitted]):
            now, then = live.get(unit_id), submitted.get(unit_id)
            if now is None or then is None or _placing(now) != _placing(then):
                differs.append((now or then).unit)  # type: ignore[union-attr]
    return LiveRanking(
        cluster, year, ranking, submission, differs, provenance_of(conn, cluster.id, year, period)
    )
