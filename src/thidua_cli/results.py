"""A cluster-year's results: what the store holds, put through the rules."""

from __future__ import annotations

import sqlite3

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Cluster
from thidua_cli.policy import Policy, effective
from thidua_cli.ranking import Criterion, Ranking, rank_cluster
from thidua_cli.store import registry, scoring


def policy_for(conn: sqlite3.Connection, cluster_id: int | None, year: int) -> Policy:
    layers = [("year", scoring.policy_row(conn, None, year))]
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
    members = registry.members(conn, cluster.id, year)
    if not members:
        raise InvalidInput(
            _("{cluster} has no members in {year}.").format(cluster=cluster.name, year=year)
        )
    found = scoring.applicable_criteria(conn, cluster.id, year)
    criteria = found[0] if found else []
    return rank_cluster(
        members,
        criteria,
        scoring.scores(conn, cluster.id, year, period),
        policy_for(conn, cluster.id, year),
        period=period,
        votes=scoring.votes(conn, cluster.id, year, period),
        flags=scoring.flags_by_unit(conn, year),
    )


def require_scores(ranking: Ranking, cluster: Cluster, year: int, period: str) -> None:
    if not ranking.has_scores:
        label = _("year-end") if period == "year" else _("half-year")
        raise InvalidInput(
            _("{cluster} has no {period} scores for {year}; there is nothing to rank.").format(
                cluster=cluster.name, period=label, year=year
            )
        )
