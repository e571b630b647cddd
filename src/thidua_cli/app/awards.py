"""The award proposals of a year across clusters, for the province: what each cluster submitted,
or its live proposals as a draft where it has not submitted yet."""

from __future__ import annotations

import sqlite3

from thidua_cli.app.ranking import require_scores
from thidua_cli.app.record import clusters_of_year, results_of_year
from thidua_cli.app.session import find_cluster
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import YearAwards


def awards_of_year(
    conn: sqlite3.Connection, year: int, cluster_name: str | None, *, allow_ties: bool
) -> YearAwards:
    """Every cluster's year-end proposals (or one cluster's); refused while a tie decides an
    award, unless `allow_ties`."""
    chosen = (
        [find_cluster(conn, cluster_name, year)] if cluster_name else clusters_of_year(conn, year)
    )
    if not chosen:
        raise InvalidInput(_("No cluster has members in {year}.").format(year=year))
    found = YearAwards(year, [])
    for result in results_of_year(conn, year, chosen):
        ranking = result.ranking
        if ranking is not None and ranking.has_scores:
            found.results.append(result)
            continue
        if cluster_name:
            assert ranking is not None
            require_scores(ranking, result.cluster, year, "year")
        found.skipped.append(result.cluster)
    if not found.results:
        raise InvalidInput(_("No cluster has year-end scores for {year}.").format(year=year))
    ties = [
        _("{cluster}, rank {rank}: {units}").format(
            cluster=result.cluster.name, rank=tie.rank, units=", ".join(tie.units)
        )
        for result in found.results
        if result.ranking is not None
        for tie in result.ranking.unresolved_ties
    ]
    if ties and not allow_ties:
        raise InvalidInput(
            _("Unresolved ties decide awards; settle them first (or use --allow-ties):"),
            details=ties,
        )
    return found
