"""`thidua datasette`: the database in Datasette, with thidua's titles and queries."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.app.browse import serve
from thidua_cli.cli.common import DbOption
from thidua_cli.i18n import _


def datasette(
    extra: Annotated[
        list[str] | None,
        typer.Argument(
            help=_("Datasette's own options, after --, for example: -- --port 8002 --open"),
            show_default=False,
        ),
    ] = None,
    *,
    db_path: DbOption = None,
) -> None:
    """Browse the database, read-only, in Datasette (an optional extra)."""
    code = serve(db_path, list(extra or []))
    if code:
        raise typer.Exit(code)
