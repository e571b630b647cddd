"""Keeping the record safe: the audit log read back, the online backup, and the JSON bundle a
cluster sends to the province (written whole, merged all or nothing).

`thidua check` is app/check.py; locking and unlocking a cluster-year is app/submissions.py,
beside the submission that locks it.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from thidua_cli.app.session import find_cluster, find_unit, open_db
from thidua_cli.errors import DiskError, InvalidInput, os_error_text
from thidua_cli.i18n import _
from thidua_cli.models import AuditEntry
from thidua_cli.store import audit, bundle
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
    database is opened."""
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise InvalidInput(_("The backup cannot be the database itself."))
    if target.exists() and not Path(os.path.realpath(target)).is_file():
        raise InvalidInput(
            _("{path} is not a file; a backup is written to a file.").format(path=target)
        )
    written = Path(os.path.realpath(target))
    if written.exists() and not replace:
        raise InvalidInput(
            _("{path} already exists; use --replace to overwrite it.").format(path=written)
        )
    with open_db(source) as conn:
        return written, online_backup(conn, written)


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
    except FileNotFoundError:
        raise InvalidInput(_("There is no file {path}.").format(path=path)) from None
    except IsADirectoryError:
        raise InvalidInput(_("{path} is a folder; give a file name.").format(path=path)) from None
    except OSError as exc:
        raise DiskError(
            _("Cannot read {path}: {error}.").format(path=path, error=os_error_text(exc))
        ) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            _("{path} is not a JSON bundle: {error}").format(path=path, error=exc)
        ) from None
    return bundle.parse_bundle(text, str(path))


def import_bundle(
    conn: sqlite3.Connection, data: Any, on_conflict: str, source: str
) -> Counter[str]:
    """Merge a bundle read from `source` (a file name, for the audit log) inside the caller's
    transaction; returns what it added, what was already here and the conflicts."""
    counts = bundle.import_bundle(conn, data, on_conflict)
    audit.record(conn, "bundle", "import", new={"file": source, **counts})
    return counts
