"""Shell completion of cluster and unit names, read from the database.

Typer installs the completion script (`thidua --install-completion` for bash, zsh or fish); the
shell then calls thidua to complete a word, and these functions answer it. They read the file
named by `--db` when it was typed before the word, else $THIDUA_DB, else ./thidua.db, open
read-only with the standard sqlite3 module, and never fail: no database, no suggestions.

Typer hands each function the context (what was parsed so far) and the word being typed; it
tells them apart by their annotations, so these must stay `typer.Context` and `str`.

Shells (and Typer) keep the names that begin with the typed text as typed, so completion is
by prefix: "Cụm" offers every "Cụm ..." name and the clusters' codes ("Cụm I", "Cụm II"),
"Ngân hàng T" the two "Ngân hàng TMCP ...". When `--year` was typed before it, clusters are
limited to those with members that year.

Names have spaces. zsh and fish quote what they insert themselves (zsh's compadd, fish's
complete), but bash inserts a reply exactly as given: `Agribank Lạng Sơn` would become three
words. So for bash the replies are quoted (`'Agribank Lạng Sơn'`, cli/bash_completion.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from thidua_cli.app import completion


def _database(ctx: Any) -> Path | None:
    given = ctx.params.get("db_path") if ctx is not None else None
    return Path(given) if given else None


def cluster_names(ctx: typer.Context, incomplete: str) -> list[str]:
    year = ctx.params.get("year") if ctx is not None else None
    chosen = year if isinstance(year, int) else None
    return completion.cluster_names(_database(ctx), incomplete, chosen)


def unit_names(ctx: typer.Context, incomplete: str) -> list[str]:
    return completion.unit_names(_database(ctx), incomplete)
