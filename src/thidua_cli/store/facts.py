"""What an outside source reports of a review, and which reviews' scores are illustrative: the
SQL of `reported_placing` and `illustrative_scores` (migration 13).

A reported placing is a fact (an article says the unit placed second and was proposed for the
Bằng khen); thidua's own ranking is computed from the scores. A cluster-year review marked
illustrative has made-up scores (the bundled sample's): every total and rank computed from them
must say so. Neither table changes what thidua computes; they only tell the outputs what to say.
"""

from __future__ import annotations

import sqlite3

from thidua_cli.models import ReportedPlacing
from thidua_cli.rules.text import nfc

# (cluster id, year, period)
ReviewKey = tuple[int, int, str]


def _where(
    cluster_id: int | None, year: int | None, period: str | None, prefix: str = ""
) -> tuple[str, list[object]]:
    clauses, params = [], []
    for column, value in (("cluster_id", cluster_id), ("year", year), ("period", period)):
        if value is not None:
            clauses.append(f"{prefix}{column} = ?")
            params.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def add_reported_placing(
    conn: sqlite3.Connection,
    key: ReviewKey,
    unit_id: int,
    place: int,
    award: str | None,
    source: str,
) -> None:
    """Record (or replace) the place a source reports for a unit in a review."""
    conn.execute(
        "INSERT INTO reported_placing (cluster_id, year, period, unit_id, place, award, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (cluster_id, year, period, unit_id) DO UPDATE"
        " SET place = excluded.place, award = excluded.award, source = excluded.source",
        (*key, unit_id, place, award, nfc(source).strip()),
    )


def reported_placings(
    conn: sqlite3.Connection,
    *,
    cluster_id: int | None = None,
    year: int | None = None,
    period: str | None = None,
) -> dict[ReviewKey, list[ReportedPlacing]]:
    """(cluster id, year, period) -> the placings reported for that review, by place."""
    where, params = _where(cluster_id, year, period, "r.")
    found: dict[ReviewKey, list[ReportedPlacing]] = {}
    for c, y, p, unit_id, unit, place, award, source in conn.execute(
        "SELECT r.cluster_id, r.year, r.period, r.unit_id, u.name, r.place, r.award, r.source"
        f" FROM reported_placing r JOIN unit u ON u.id = r.unit_id{where}"
        " ORDER BY r.cluster_id, r.year, r.period, r.place, u.name",
        params,
    ):
        found.setdefault((c, y, p), []).append(ReportedPlacing(unit_id, unit, place, award, source))
    return found


def set_illustrative(conn: sqlite3.Connection, key: ReviewKey, note: str | None) -> bool:
    """Mark a review's scores as illustrative with `note`, or (None) clear the mark; True when
    something changed."""
    if note is None:
        return (
            conn.execute(
                "DELETE FROM illustrative_scores WHERE cluster_id = ? AND year = ? AND period = ?",
                key,
            ).rowcount
            > 0
        )
    text = nfc(note).strip()
    before = illustrative_notes(conn, cluster_id=key[0], year=key[1], period=key[2]).get(key)
    conn.execute(
        "INSERT INTO illustrative_scores (cluster_id, year, period, note) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (cluster_id, year, period) DO UPDATE SET note = excluded.note",
        (*key, text),
    )
    return before != text


def illustrative_notes(
    conn: sqlite3.Connection,
    *,
    cluster_id: int | None = None,
    year: int | None = None,
    period: str | None = None,
) -> dict[ReviewKey, str]:
    """(cluster id, year, period) -> the note of each review whose scores are illustrative."""
    where, params = _where(cluster_id, year, period)
    return {
        (c, y, p): note
        for c, y, p, note in conn.execute(
            f"SELECT cluster_id, year, period, note FROM illustrative_scores{where}", params
        )
    }
