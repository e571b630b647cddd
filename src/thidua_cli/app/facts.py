"""Which of a review's numbers are facts and which are illustrative: the one place that decides.

A review's provenance (models.Provenance) holds the note of a review whose scores are made up
(the bundled sample's) and the placings a source reports. The record (app/record.py) attaches
it to every result it reads, and every output that prints a total or a rank asks it, never the
tables, so that the sample's illustrative numbers are marked everywhere alike and a database
with real scores prints exactly what it printed before.
"""

from __future__ import annotations

import sqlite3

from thidua_cli.app.session import find_cluster
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import ClusterYear, Provenance
from thidua_cli.store import facts, registry


def provenance_of(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> Provenance:
    """The provenance of one review (empty when nothing is marked or reported)."""
    key = (cluster_id, year, period)
    notes = facts.illustrative_notes(conn, cluster_id=cluster_id, year=year, period=period)
    placings = facts.reported_placings(conn, cluster_id=cluster_id, year=year, period=period)
    return Provenance(notes.get(key), tuple(placings.get(key, ())))


def provenances_of_year(conn: sqlite3.Connection, year: int, period: str) -> dict[int, Provenance]:
    """cluster id -> the provenance of its review of `year`, for the clusters that have one."""
    notes = facts.illustrative_notes(conn, year=year, period=period)
    placings = facts.reported_placings(conn, year=year, period=period)
    return {
        key[0]: Provenance(notes.get(key), tuple(placings.get(key, ())))
        for key in {*notes, *placings}
    }


def cluster_year_facts(
    conn: sqlite3.Connection, cluster_name: str, year: int
) -> tuple[ClusterYear, dict[str, Provenance]]:
    """The named cluster as it stood in `year`, and the provenance of its reviews that have one
    (period -> provenance)."""
    cluster = find_cluster(conn, cluster_name, year)
    found = {
        period: provenance
        for period in ("half", "year")
        if (provenance := provenance_of(conn, cluster.id, year, period))
    }
    return registry.cluster_year(conn, cluster, year), found


def mark_illustrative(
    conn: sqlite3.Connection, cluster_name: str, year: int, period: str, note: str | None
) -> tuple[str, bool]:
    """Mark a review's scores as illustrative, with the note the outputs print, or (None) clear
    the mark. Returns the cluster's name and whether anything changed. A locked (submitted)
    review may be marked too: the mark changes no number, only what the outputs say of them."""
    cluster = find_cluster(conn, cluster_name, year)
    if note is not None and not note.strip():
        raise InvalidInput(_("The note cannot be empty; it says why the scores are illustrative."))
    if not registry.members(conn, cluster.id, year):
        raise InvalidInput(
            _("{cluster} has no members in {year}.").format(cluster=cluster.name, year=year)
        )
    changed = facts.set_illustrative(conn, (cluster.id, year, period), note)
    return cluster.name, changed
