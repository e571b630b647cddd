"""What the documents of a year are written from: a cluster's report or the province summary,
the award submission, and the few names they print (the settings).

The documents themselves are written by output/reports.py; these functions gather the facts and
refuse what no document should state (no members, a tie that decides an award).
"""

from __future__ import annotations

import sqlite3

from thidua_cli.app.record import cluster_report, reports_of_year
from thidua_cli.app.session import find_cluster
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Setting, YearReports
from thidua_cli.output.reports import legal_bases, problems
from thidua_cli.store import settings as settings_store


def year_report(
    conn: sqlite3.Connection, year: int, cluster_name: str | None, period: str
) -> YearReports:
    """The review of one cluster-year (its members are required), or without a cluster every
    cluster's year-end review."""
    settings = settings_store.settings(conn, year)
    if cluster_name is not None:
        found = find_cluster(conn, cluster_name, year)
        gathered = cluster_report(conn, found, year, period)
        if not gathered.state.members:
            raise InvalidInput(
                _("{cluster} has no members in {year}.").format(cluster=found.name, year=year)
            )
        return YearReports(settings, [gathered])
    reports = reports_of_year(conn, year)
    if not reports:
        raise InvalidInput(_("No cluster has members in {year}.").format(year=year))
    return YearReports(settings, reports)


def submission_reports(
    conn: sqlite3.Connection, year: int, cluster_name: str | None
) -> YearReports:
    """The year-end reviews an award submission proposes from (one cluster's, or all); those
    without a ranking are `skipped`. Refused while a tie decides an award."""
    settings = settings_store.settings(conn, year)
    if cluster_name:
        reports = [cluster_report(conn, find_cluster(conn, cluster_name, year), year)]
    else:
        reports = reports_of_year(conn, year)
    if not reports:
        raise InvalidInput(_("No cluster has members in {year}.").format(year=year))
    ties = [p for r in reports if r.ranking is not None for p in problems(r)]
    if ties:
        raise InvalidInput(
            _("Some proposals are not settled (a tie, or what the rules wait for); settle them "
              "first:"),
            details=ties,
        )  # fmt: skip
    ranked = [r for r in reports if r.ranking is not None]
    return YearReports(settings, ranked, [r for r in reports if r.ranking is None])


def current_settings(conn: sqlite3.Connection) -> list[Setting]:
    """Every setting with its value, and whether it was set or is the default."""
    stored = settings_store.stored_keys(conn)
    return [
        Setting(key, value, key in stored) for key, value in settings_store.settings(conn).items()
    ]


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> list[int]:
    """Store a setting; an empty value (or legal bases with no basis in them) is refused.
    Returns the locked years whose papers keep the value they were locked with."""
    if not value.strip() or (key == "legal_bases" and not legal_bases({key: value})):
        raise InvalidInput(_("A setting cannot be empty; use `thidua settings unset`."))
    settings_store.set_setting(conn, key, value)
    return settings_store.years_keeping(conn, key)


def unset_setting(conn: sqlite3.Connection, key: str) -> tuple[str | None, list[int]]:
    """Go back to the default; returns it (None: no default) and the locked years whose papers
    keep the value they were locked with."""
    settings_store.set_setting(conn, key, None)
    return settings_store.settings(conn)[key], settings_store.years_keeping(conn, key)
