"""Shell completion of cluster and unit names, read from the database.

Typer installs the completion script (`thidua --install-completion` for bash, zsh or fish); the
shell then calls thidua to complete a word, and these functions answer it. They read the file
named by `--db` when it was typed before the word, else $THIDUA_DB, else ./thidua.db, open
read-only with the standard sqlite3 module, and never fail: no database, no suggestions.

Typer hands each function the context (what was parsed so far) and the word being typed; it
tells them apart by their annotations, so these must stay `typer.Context` and `str`.

Shells (and Typer) keep the names that begin with the typed text as typed, so completion is
by prefix: "Cụm" offers every "Cụm ..." name, "Ngân hàng T" the two "Ngân hàng TMCP ...".
When `--year` was typed before it, clusters are limited to those with members that year.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from thidua_cli.store import registry


def _database(ctx: Any) -> Path:
    given = ctx.params.get("db_path") if ctx is not None else None
    return Path(given or os.environ.get("THIDUA_DB") or "thidua.db")


def _names(ctx: Any, read: Callable[[sqlite3.Connection], list[str]], incomplete: str) -> list[str]:
    path = _database(ctx)
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


def cluster_names(ctx: typer.Context, incomplete: str) -> list[str]:
    year = ctx.params.get("year") if ctx is not None else None
    chosen = year if isinstance(year, int) else None
    return _names(ctx, lambda conn: registry.cluster_names(conn, chosen), incomplete)


def unit_names(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, registry.unit_names, incomplete)
