"""Locked cluster-years: frozen after their conference until unlocked with a reason."""

from __future__ import annotations

import sqlite3


def is_locked(conn: sqlite3.Connection, cluster_id: int, year: int) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM cluster_lock WHERE cluster_id = ? AND year = ?", (cluster_id, year)
        ).fetchone()
    )


def locked_in_year(conn: sqlite3.Connection, year: int) -> list[str]:
    """The names of the clusters locked in `year`."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT c.name FROM cluster_lock l JOIN cluster c ON c.id = l.cluster_id"
            " WHERE l.year = ?",
            (year,),
        )
    ]


def locked_on_default(conn: sqlite3.Connection, year: int) -> list[str]:
    """The names of the clusters locked in `year` that score on the province default (no set of
    their own that year), or that hold scores under it."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT c.name FROM cluster_lock l JOIN cluster c ON c.id = l.cluster_id"
            " WHERE l.year = ? AND (NOT EXISTS (SELECT 1 FROM criteria_set o"
            " WHERE o.cluster_id = l.cluster_id AND o.year = l.year)"
            " OR EXISTS (SELECT 1 FROM score s JOIN criterion k ON k.id = s.criterion_id"
            " JOIN criteria_set d ON d.id = k.set_id AND d.cluster_id IS NULL AND d.year = l.year"
            " WHERE s.cluster_id = l.cluster_id AND s.year = l.year))",
            (year,),
        )
    ]


def unit_locked(conn: sqlite3.Connection, unit_id: int, year: int) -> str | None:
    """The name of the locked cluster the unit belongs to in `year`, if any."""
    row = conn.execute(
        "SELECT c.name FROM cluster_lock l JOIN membership m"
        " ON m.cluster_id = l.cluster_id AND m.year = l.year JOIN cluster c ON c.id = l.cluster_id"
        " WHERE m.unit_id = ? AND m.year = ?",
        (unit_id, year),
    ).fetchone()
    return row[0] if row else None


def lock(conn: sqlite3.Connection, cluster_id: int, year: int) -> None:
    conn.execute("INSERT INTO cluster_lock (cluster_id, year) VALUES (?, ?)", (cluster_id, year))


def unlock(conn: sqlite3.Connection, cluster_id: int, year: int) -> None:
    conn.execute("DELETE FROM cluster_lock WHERE cluster_id = ? AND year = ?", (cluster_id, year))
