"""Keeping the record safe: the audit log read back, the online backup, and the JSON bundle a
cluster sends to the province (written whole, merged all or nothing).

`thidua check` is app/check.py; locking and unlocking a cluster-year is app/submissions.py,
beside the submission that locks it.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from thidua_cli.app.session import find_cluster, find_unit, open_db, reading
from thidua_cli.errors import InvalidInput, unreadable_input
from thidua_cli.i18n import _
from thidua_cli.models import AuditEntry, Restored
from thidua_cli.protected import database_file_of, refuse_overwrite
from thidua_cli.store import audit, bundle, db, maintenance
from thidua_cli.store.maintenance import backup as online_backup


def audit_log(
    conn: sqlite3.Connection,
    cluster_name: str | None,
    year: int | None,
    unit_name: str | None,
    limit: int | None,
) -> list[AuditEntry]:
    """The log, oldest first, of one cluster, year or unit (or all); the latest `limit`."""
    cluster_id = find_cluster(conn, cluster_name, year).id if cluster_name else None
    unit_id = find_unit(conn, unit_name).id if unit_name else None
    return audit.entries(conn, cluster_id=cluster_id, year=year, unit_id=unit_id, limit=limit)


def backup(source: Path, target: Path, *, replace: bool) -> tuple[Path, int]:
    """Copy the database at `source` to `target` (the file a symbolic link names is replaced,
    the link stays); returns the file written and its size. The target is checked before the
    database is opened: never the database itself or one of its -wal, -shm, -journal files."""
    refuse_overwrite(target, [source])
    if target.exists() and not Path(os.path.realpath(target)).is_file():
        raise InvalidInput(
            _("{path} is not a file; a backup is written to a file.").format(path=target)
        )
    written = Path(os.path.realpath(target))
    if written.exists() and not replace:
        raise InvalidInput(
            _("{path} already exists; use --replace to overwrite it.").format(path=written)
        )
    with reading(source) as conn:
        return written, online_backup(conn, written)


def restore(backup: Path, database: Path) -> Restored:
    """Put the backup at `backup` in place of the database at `database`, through SQLite.

    The backup is checked first (a thidua database, sound, not from a newer thidua); the
    database as it was is kept beside it (`NAME.before-restore-YYYYMMDD-HHMMSS.db`); the pages
    are then copied into the live database with SQLite's backup API, so that its -wal cannot
    undo the restore and a reader open meanwhile is safe. The restored file is brought to
    today's schema, and the restore is logged in its audit log.
    """
    found = database_file_of(backup, [database])
    if found is not None:
        raise InvalidInput(
            _("{path} is a file of the database {database} itself; restore from a backup.").format(
                path=backup, database=database
            )
        )
    source, schema = maintenance.open_backup(backup)
    try:
        existed = database.exists() and database.stat().st_size > 0
        kept = _kept_name(database) if existed else None
        live = db.connect(database, create=not existed)
        try:
            if kept is not None:
                maintenance.keep_copy(live, database, kept)
            try:
                maintenance.copy_into(source, live, db.busy_timeout_ms())
            except sqlite3.Error as exc:
                if kept is not None:  # nothing was restored: nothing to keep either
                    kept.unlink(missing_ok=True)
                raise db.translate_error(exc, database) from exc
        finally:
            live.close()
    finally:
        source.close()
    with open_db(database) as conn, db.transaction(conn, database):  # migrates an older backup
        audit.record(
            conn,
            "backup",
            "import",
            new={"file": str(backup), "kept": str(kept) if kept else None, "schema": schema},
        )
    return Restored(schema, kept)


def _kept_name(database: Path) -> Path:
    """A new file beside the database for the state a restore replaces."""
    real = Path(os.path.realpath(database))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = real.suffix or ".db"
    candidate = real.with_name(f"{real.stem}.before-restore-{stamp}{suffix}")
    number = 2
    while candidate.exists():
        candidate = real.with_name(f"{real.stem}.before-restore-{stamp}-{number}{suffix}")
        number += 1
    return candidate


def export_bundle(
    conn: sqlite3.Connection, cluster_name: str | None, year: int | None
) -> dict[str, Any]:
    """The whole database, one year, or one cluster-year (a cluster needs its year)."""
    found = find_cluster(conn, cluster_name, year) if cluster_name else None
    return bundle.export_bundle(conn, found.id if found else None, year)


def read_bundle(path: Path) -> Any:
    """The bundle in a file, parsed and bounded (store.bundle.parse_bundle), or InvalidInput."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise unreadable_input(path, exc) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            _("{path} is not a JSON bundle: {error}").format(path=path, error=exc)
        ) from None
    return bundle.parse_bundle(text, str(path))


def import_bundle(
    conn: sqlite3.Connection,
    data: Any,
    on_conflict: str,
    source: str,
    *,
    carry_scores: bool = False,
) -> Counter[str]:
    """Merge a bundle read from `source` (a file name, for the audit log) inside the caller's
    transaction; returns what it added, what was already here and the conflicts. With
    `carry_scores`, stored scores a new criteria set would leave uncounted move to its criteria
    of the same code."""
    counts = bundle.import_bundle(conn, data, on_conflict, carry_scores=carry_scores)
    audit.record(conn, "bundle", "import", new={"file": source, **counts})
    return counts
