"""`thidua rank` and `thidua awards`: what the conference decides, and what goes to the province."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from thidua_cli.cli.common import ClusterOption, DbOption, PeriodOption, YearOption
from thidua_cli.cli.completion import cluster_names
from thidua_cli.cli.quick import show_awards, show_ranking
from thidua_cli.i18n import _


def rank(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    fmt: Annotated[
        Literal["table", "csv", "json", "md"],
        typer.Option("--format", "-f", help=_("Output format.")),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_("Write an Excel workbook (.xlsx) of the ranking to this file."),
            dir_okay=False,
        ),
    ] = None,
    db_path: DbOption = None,
) -> None:
    show_ranking(cluster, year, period, fmt, output, db_path)


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
    fmt: Annotated[
        Literal["table", "csv", "json"],
        typer.Option("--format", "-f", help=_("Output format.")),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "Write to this file: a .xlsx name writes an Excel workbook; otherwise the "
                "format chosen (CSV: UTF-8 with BOM, for Excel)."
            ),
            dir_okay=False,
        ),
    ] = None,
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
    show_awards(year, cluster, fmt, output, allow_ties, db_path, stage=stage)
