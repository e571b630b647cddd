"""A cluster-year's results: what the store holds, put through the rules."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Cluster, ClusterYear, Decision
from thidua_cli.rules.history import UnitYear
from thidua_cli.rules.policy import Policy, effective
from thidua_cli.rules.ranking import Criterion, Ranking, Row, Standing, assemble
from thidua_cli.store import decisions, registry, scoring

if TYPE_CHECKING:  # the reports module is loaded by the commands that write one
    from thidua_cli.output.reports import ClusterReport


def policy_for(conn: sqlite3.Connection, cluster_id: int | None, year: int) -> Policy:
    layers = [
        ("default", scoring.default_policy_row(conn)),
        ("year", scoring.policy_row(conn, None, year)),
    ]
    if cluster_id is not None:
        layers.append(("cluster", scoring.policy_row(conn, cluster_id, year)))
    return effective(layers)


def criteria_for(conn: sqlite3.Connection, cluster: Cluster, year: int) -> list[Criterion]:
    found = scoring.applicable_criteria(conn, cluster.id, year)
    if found is None:
        raise InvalidInput(
            _(
                "{cluster} has no criteria for {year}, and there is no province default. "
                "Import them with `thidua criteria import`."
            ).format(cluster=cluster.name, year=year)
        )
    return found[0]


def ranking_for(
    conn: sqlite3.Connection, cluster: Cluster, year: int, period: str = "year"
) -> Ranking:
    """The cluster-year's ranking, as the database's ranking view computes it."""
    found = scoring.standings(conn, year, period, cluster.id)
    if not found:
        raise InvalidInput(
            _("{cluster} has no members in {year}.").format(cluster=cluster.name, year=year)
        )
    return assemble(found, period)


def rankings_of_year(
    conn: sqlite3.Connection, year: int, period: str = "year"
) -> dict[int, Ranking]:
    """Every cluster's ranking of a year, by cluster id, read in one pass over the view."""
    by_cluster: dict[int, list[Standing]] = {}
    for standing in scoring.standings(conn, year, period):
        by_cluster.setdefault(standing.cluster_id, []).append(standing)
    return {cluster_id: assemble(rows, period) for cluster_id, rows in by_cluster.items()}


def require_scores(ranking: Ranking, cluster: Cluster, year: int, period: str) -> None:
    if not ranking.has_scores:
        label = _("year-end") if period == "year" else _("half-year")
        raise InvalidInput(
            _("{cluster} has no {period} scores for {year}; there is nothing to rank.").format(
                cluster=cluster.name, period=label, year=year
            )
        )


def unit_row(ranking: Ranking, unit_id: int) -> Row | None:
    """The unit's row of a year-end ranking, or None when the cluster-year has no scores."""
    if not ranking.has_scores:
        return None
    return next((r for r in ranking.rows if r.unit_id == unit_id), None)


def unit_record(conn: sqlite3.Connection, unit_id: int) -> list[UnitYear]:
    """Every year the unit belonged to a cluster: role, year-end place, proposal, decision."""
    decided = decisions.decisions_of_unit(conn, unit_id)
    record = []
    for year, cluster_id, role in registry.unit_years(conn, unit_id):
        cluster = registry.cluster_by_id(conn, cluster_id)
        row = unit_row(ranking_for(conn, cluster, year, "year"), unit_id)
        entry = UnitYear(
            year,
            cluster.name,
            role,
            flags=scoring.flags_by_unit(conn, year).get(unit_id, []),
            decisions={award: d for (y, award), d in decided.items() if y == year},
        )
        if row is not None:
            entry.rank, entry.tied, entry.total = row.rank, row.tied, row.total
            entry.award, entry.pending = row.award_code, list(row.pending_awards)
        record.append(entry)
    return record


@dataclass
class ClusterYearRecord:
    """A cluster's year for its history: who was in it, how they placed, what was decided."""

    state: ClusterYear
    ranking: Ranking | None  # None when the year has no year-end scores
    decisions: dict[tuple[int, str], Decision]  # (unit id, award) -> decision


def cluster_record(conn: sqlite3.Connection, cluster: Cluster) -> list[ClusterYearRecord]:
    record = []
    for year in registry.cluster_years(conn).get(cluster.id, []):
        ranking = ranking_for(conn, cluster, year, "year")
        record.append(
            ClusterYearRecord(
                registry.cluster_year(conn, cluster, year),
                ranking if ranking.has_scores else None,
                decisions.decisions_of_year(conn, year),
            )
        )
    return record


def cluster_report(
    conn: sqlite3.Connection, cluster: Cluster, year: int, period: str = "year"
) -> ClusterReport:
    """Everything a cluster's report of a year (or half-year) states, from the database."""
    from thidua_cli.output.reports import ClusterReport

    ranking = ranking_for(conn, cluster, year, period)
    following = registry.members(conn, cluster.id, year + 1)
    leader = next((m.name for m in following if m.role == "leader"), None)
    deputy = next((m.name for m in following if m.role == "deputy"), None)
    return ClusterReport(
        cluster,
        year,
        period,
        registry.cluster_year(conn, cluster, year),
        ranking if ranking.has_scores else None,
        leader if period == "year" else None,
        deputy if period == "year" else None,
        decisions.decisions_of_year(conn, year),
    )


def clusters_of_year(conn: sqlite3.Connection, year: int) -> list[Cluster]:
    """The clusters with members in `year`, in Vietnamese order."""
    years = registry.cluster_years(conn)
    return [c for c in registry.clusters(conn) if year in years.get(c.id, [])]
