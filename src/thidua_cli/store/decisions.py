"""The province's decisions on award proposals: the SQL."""

from __future__ import annotations

import sqlite3

from thidua_cli.models import Decision

_COLUMNS = "unit_id, year, award, decision_no, decided_on, approved"


def _decision(row: tuple) -> Decision:
    unit_id, year, award, number, decided_on, approved = row
    return Decision(unit_id, year, award, number, decided_on, bool(approved))


def decisions_of_year(conn: sqlite3.Connection, year: int) -> dict[tuple[int, str], Decision]:
    """(unit id, award) -> the decision, for every decision on the year's proposals."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM award_decision WHERE year = ?", (year,))
    return {(d.unit_id, d.award): d for d in map(_decision, rows)}


def decisions_of_unit(conn: sqlite3.Connection, unit_id: int) -> dict[tuple[int, str], Decision]:
    """(year, award) -> the decision, for every decision on the unit's proposals."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM award_decision WHERE unit_id = ?", (unit_id,))
    return {(d.year, d.award): d for d in map(_decision, rows)}


def save_decision(conn: sqlite3.Connection, decision: Decision) -> None:
    conn.execute(
        f"INSERT INTO award_decision ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (unit_id, year, award) DO UPDATE SET decision_no = excluded.decision_no,"
        " decided_on = excluded.decided_on, approved = excluded.approved",
        (
            decision.unit_id,
            decision.year,
            decision.award,
            decision.number,
            decision.decided_on,
            int(decision.approved),
        ),
    )
