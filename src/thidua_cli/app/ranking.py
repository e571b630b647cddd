"""The live ranking of a cluster-year (or of every cluster of a year): what the store holds,
put through the rules (rules/ranking.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Cluster, Criterion, Ranking
from thidua_cli.rules.policy import Policy, effective
from thidua_cli.rules.ranking import rank_cluster
from thidua_cli.store import registry, scoring


def _layers(
    default: dict[str, object], year: dict[str, object], own: dict[str, object] | None
) -> Policy:
    layers = [("default", default), ("year", year)]
    if own is not None:
        layers.append(("cluster", own))
    return effective(layers)


def policy_for(conn: sqlite3.Connection, cluster_id: int | None, year: int) -> Policy:
    """The rules in force for a cluster-year (or, with no cluster, for every cluster of a year)."""
    return _layers(
        scoring.default_policy_row(conn),
        scoring.policy_row(conn, None, year),
        scoring.policy_row(conn, cluster_id, year) if cluster_id is not None else None,
    )


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


def _grouped(policy: Policy) -> bool:
    return any(step.startswith("group:") for step in policy.tie_break)


def live_ranking(
    conn: sqlite3.Connection, cluster: Cluster, year: int, period: str = "year"
) -> Ranking:
    """The cluster-year's ranking from the scores as they stand now."""
    members = registry.members(conn, cluster.id, year)
    if not members:
        raise InvalidInput(
            _("{cluster} has no members in {year}.").format(cluster=cluster.name, year=year)
        )
    policy = policy_for(conn, cluster.id, year)
    sets = scoring.criteria_sets_of_year(conn, year)
    set_id = sets.get(cluster.id, sets.get(None))
    tallies = scoring.tallies(
        conn,
        year,
        period,
        {cluster.id: set_id},
        grouped={cluster.id} if _grouped(policy) else (),
        only={cluster.id},
    )
    return rank_cluster(
        members,
        tallies.get(cluster.id, []),
        policy,
        base_criteria=scoring.base_criteria(conn, [set_id])[set_id] if set_id is not None else 0,
        period=period,
        votes=scoring.votes(conn, cluster.id, year, period),
        flags=scoring.flags_by_unit(conn, year),
        ratings=scoring.ratings_of_year(conn, year),
    )


def live_rankings_of_year(
    conn: sqlite3.Connection, year: int, period: str = "year", only: Collection[int] | None = None
) -> dict[int, Ranking]:
    """cluster id -> its live ranking, for every cluster with members in `year` (or those of
    them in `only`); the scores are added up in one pass."""
    members = scoring.members_of_year(conn, year)
    if only is not None:
        members = {c: units for c, units in members.items() if c in only}
    default = scoring.default_policy_row(conn)
    of_year = scoring.policy_row(conn, None, year)
    own = scoring.policy_rows_of_year(conn, year)
    common = _layers(default, of_year, None)  # most clusters have no rule of their own
    policies = {c: common if c not in own else _layers(default, of_year, own[c]) for c in members}
    sets = scoring.criteria_sets_of_year(conn, year)
    chosen = {c: sets.get(c, sets.get(None)) for c in members}
    base = scoring.base_criteria(conn, [s for s in chosen.values() if s is not None])
    tallies = scoring.tallies(
        conn,
        year,
        period,
        chosen,
        grouped={c for c, p in policies.items() if _grouped(p)},
        only=None if only is None else set(members),
    )
    votes = scoring.votes_of_year(conn, year, period)
    flags = scoring.flags_by_unit(conn, year)
    ratings = scoring.ratings_of_year(conn, year)
    return {
        cluster_id: rank_cluster(
            units,
            tallies.get(cluster_id, []),
            policies[cluster_id],
            base_criteria=base.get(chosen[cluster_id] or 0, 0),
            period=period,
            votes=votes.get(cluster_id, {}),
            flags=flags,
            ratings=ratings,
        )
        for cluster_id, units in members.items()
    }


def require_scores(ranking: Ranking, cluster: Cluster, year: int, period: str) -> None:
    if not ranking.has_scores:
        label = _("year-end") if period == "year" else _("half-year")
        raise InvalidInput(
            _("{cluster} has no {period} scores for {year}; there is nothing to rank.").format(
                cluster=cluster.name, period=label, year=year
            )
        )
