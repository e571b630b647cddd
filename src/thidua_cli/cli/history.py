"""`thidua history`: a unit's or a cluster's record across years."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.cli.common import DbOption, FormatOption, OutputOption
from thidua_cli.cli.completion import cluster_names, unit_names
from thidua_cli.cli.quick import show_history
from thidua_cli.i18n import _


def history(
    *,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", help=_("The unit whose record to show."), autocompletion=unit_names
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("The cluster whose record to show."),
            autocompletion=cluster_names,
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    show_history(unit=unit, cluster=cluster, fmt=fmt, output=output, db_path=db_path)
