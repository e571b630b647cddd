"""Who changed what, when, with which command: the append-only audit log.

The rows are written by triggers (see migration 5), in the same transaction as the change. This
module tells the triggers who is writing (`begin`, at the start of every write transaction) and
forgets it before the commit (`end`), so that a change made later with another tool is logged as
made "outside thidua". Bulk imports log one summary row instead of one row per new score.
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any

from thidua_cli.invocation import command_line
from thidua_cli.models import AuditEntry


def current_user() -> str:
    """The operating-system account that runs thidua: its uid's name in the password database.

    Not $USER or $LOGNAME (what getpass reads first): anyone can set those to any name, and the
    log says who made a change."""
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: the account's login name
        import getpass

        try:
            return getpass.getuser()
        except Exception:
            return "unknown"
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid with no passwd entry: a bare container
        return f"uid {os.getuid()}"


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
        " a.old, a.new, a.cluster_id, a.unit_id FROM audit a"
        " LEFT JOIN cluster c ON c.id = a.cluster_id"
        " LEFT JOIN unit u ON u.id = a.unit_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.id DESC"
        + (" LIMIT ?" if limit else "")
    )
    if limit:
        params.append(limit)
    rows = conn.execute(sql, params).fetchall()
    renamed = {"cluster": _names_before(conn, "cluster"), "unit": _names_before(conn, "unit")}
    found = []
    for row in reversed(rows):
        cluster_id, unit_id = row[11:]
        cluster = _name_then(renamed["cluster"].get(cluster_id), row[0]) or row[6]
        unit = _name_then(renamed["unit"].get(unit_id), row[0]) or row[8]
        found.append(
            AuditEntry(
                *row[:6],
                cluster,
                row[7],
                unit,
                json.loads(row[9]) if row[9] else None,
                json.loads(row[10]) if row[10] else None,
            )
        )
    return found


def _names_before(conn: sqlite3.Connection, table: str) -> dict[int, list[tuple[int, str]]]:
    """Each renamed or deleted unit or cluster (`table`): (audit id, the name it had until that
    entry), oldest first, read from the log's own rows of the renames and deletions."""
    found: dict[int, list[tuple[int, str]]] = {}
    for entry_id, owner, before, after in conn.execute(
        "SELECT id, json_extract(old, '$.id'), json_extract(old, '$.name'),"
        " json_extract(new, '$.name') FROM audit WHERE tbl = ? AND action IN ('update', 'delete')"
        " ORDER BY id",
        (table,),
    ):
        if owner is not None and before is not None and before != after:
            found.setdefault(owner, []).append((entry_id, before))
    return found


def _name_then(changes: list[tuple[int, str]] | None, entry_id: int) -> str | None:
    """The name a unit or cluster had at the log entry `entry_id`: the name it lost at the first
    rename (or deletion) after the entry; None when it has not changed since."""
    for changed_at, before in changes or ():
        if changed_at > entry_id:
            return before
    return None
