"""`thidua rank` and `thidua awards`: what the conference decides, and what goes to the province."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    FormatOption,
    OutputOption,
    PeriodOption,
    YearOption,
)
from thidua_cli.cli.completion import cluster_names
from thidua_cli.cli.quick import show_awards, show_ranking
from thidua_cli.i18n import _


def rank(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    show_ranking(cluster=cluster, year=year, period=period, fmt=fmt, output=output, db_path=db_path)


def awards(
    *,
    year: YearOption,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("Only this cluster (default: all)."),
            autocompletion=cluster_names,
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    allow_ties: Annotated[
        bool,
        typer.Option(
            "--allow-ties", help=_("List both units of an unresolved tie instead of refusing.")
        ),
    ] = False,
    stage: Annotated[
        Literal["draft", "submitted", "reviewed", "council", "decided"] | None,
        typer.Option(
            "--stage",
            help=_(
                "Only the proposals at this stage: draft, submitted (by the cluster), reviewed "
                "(received by the Board), council (voted by the Council), decided."
            ),
        ),
    ] = None,
    db_path: DbOption = None,
) -> None:
    show_awards(
        year=year,
        cluster=cluster,
        fmt=fmt,
        output=output,
        allow_ties=allow_ties,
        stage=stage,
        db_path=db_path,
    )
