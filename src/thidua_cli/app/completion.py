"""The names a shell completes: clusters and units whose name begins with the typed text.

Read from the database with the standard sqlite3 module, read-only and without migrating it, and
never failing: no database, no suggestions. A shell calls this for every word typed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from thidua_cli.store import db, registry


def _names(
    db_path: Path | None, read: Callable[[sqlite3.Connection], list[str]], incomplete: str
) -> list[str]:
    path = db.resolve_path(db_path)
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            names = read(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    from thidua_cli.rules.text import sort_key

    found = {name for name in names if name.startswith(incomplete)}
    return sorted(found, key=sort_key)


def cluster_names(db_path: Path | None, incomplete: str, year: int | None) -> list[str]:
    """The names, codes and aliases of clusters that begin with `incomplete`; with `year`, of
    the clusters with members then."""
    return _names(db_path, lambda conn: registry.cluster_names(conn, year), incomplete)


def unit_names(db_path: Path | None, incomplete: str) -> list[str]:
    """The units whose full or short name begins with `incomplete`."""
    return _names(db_path, registry.unit_names, incomplete)
