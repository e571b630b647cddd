"""Who changed what, when, with which command: the append-only audit log.

The rows are written by triggers (see migration 5), in the same transaction as the change. This
module tells the triggers who is writing (`begin`, at the start of every write transaction) and
forgets it before the commit (`end`), so that a change made later with another tool is logged as
made "outside thidua". Bulk imports log one summary row instead of one row per new score.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from typing import Any

from thidua_cli.invocation import command_line
from thidua_cli.models import AuditEntry


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name and no passwd entry: a bare container
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def begin(conn: sqlite3.Connection, *, bulk: bool = False) -> None:
    conn.execute(
        "INSERT INTO audit_context (id, user, command, bulk) VALUES (1, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET user = excluded.user, command = excluded.command,"
        " bulk = excluded.bulk",
        (current_user(), command_line(), int(bulk)),
    )


def bulk(conn: sqlite3.Connection, on: bool) -> None:
    """Log new scores as one summary (on) or row by row (off) for the rest of the write."""
    conn.execute("UPDATE audit_context SET bulk = ? WHERE id = 1", (int(on),))


def end(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM audit_context")


def record(
    conn: sqlite3.Connection,
    table: str,
    action: str,
    *,
    cluster_id: int | None = None,
    year: int | None = None,
    unit_id: int | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> None:
    """A row the triggers cannot write: an import's summary, a lock, an unlock and its reason."""
    conn.execute(
        "INSERT INTO audit (user, command, tbl, action, cluster_id, year, unit_id, old, new)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            current_user(),
            command_line(),
            table,
            action,
            cluster_id,
            year,
            unit_id,
            json.dumps(old, ensure_ascii=False) if old is not None else None,
            json.dumps(new, ensure_ascii=False) if new is not None else None,
        ),
    )


def entries(
    conn: sqlite3.Connection,
    *,
    cluster_id: int | None = None,
    year: int | None = None,
    unit_id: int | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """The log, oldest first; with a limit, the latest `limit` entries."""
    where, params = [], []
    for column, value in (("a.cluster_id", cluster_id), ("a.year", year), ("a.unit_id", unit_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = (
        "SELECT a.id, a.at, a.user, a.command, a.tbl, a.action, c.name, a.year, u.name,"
        " a.old, a.new FROM audit a LEFT JOIN cluster c ON c.id = a.cluster_id"
        " LEFT JOIN unit u ON u.id = a.unit_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.id DESC"
        + (" LIMIT ?" if limit else "")
    )
    if limit:
        params.append(limit)
    rows = conn.execute(sql, params).fetchall()
    return [
        AuditEntry(
            *row[:9],
            json.loads(row[9]) if row[9] else None,
            json.loads(row[10]) if row[10] else None,
        )
        for row in reversed(rows)
    ]
