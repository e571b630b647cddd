"""`thidua rank` and `thidua awards`: what the conference decides, and what goes to the province."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from thidua_cli.app.awards import awards_of_year
from thidua_cli.cli.common import ClusterOption, DbOption, PeriodOption, YearOption, open_db, say
from thidua_cli.cli.completion import cluster_names
from thidua_cli.cli.quick import show_ranking
from thidua_cli.i18n import _
from thidua_cli.output.awards import as_json, as_text, award_columns, award_rows
from thidua_cli.output.render import markdown, render, to_json, write_atomic, write_csv


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
    db_path: DbOption = None,
) -> None:
    with open_db(db_path) as conn:
        found = awards_of_year(conn, year, cluster, allow_ties=allow_ties)
    for skipped in found.skipped:
        say(
            _("{cluster} has no year-end scores for {year}; skipped.").format(
                cluster=skipped.name, year=year
            )
        )
    drafts = [r.cluster.name for r in found.results if r.submission is None]
    if drafts:
        listed = "; ".join(drafts[:5]) + ("; …" if len(drafts) > 5 else "")
        say(
            _("{count} clusters have not submitted yet; their proposals are drafts: {clusters}.")
            .format(count=len(drafts), clusters=listed)
        )  # fmt: skip
    rows = award_rows(found, allow_ties=allow_ties)
    columns = award_columns()
    title = _("Award proposals, {year}").format(year=year)
    if output is not None and output.suffix.lower() == ".xlsx":
        from thidua_cli.output.workbook import table_workbook

        data = table_workbook(
            sheet_title=title,
            headers=[c.header for c in columns],
            rows=[[row[c.key] for c in columns] for row in as_text(rows)],
        )
        write_atomic(output, data)
        say(_("Wrote {count} proposals to {path}.").format(count=len(rows), path=output))
        return
    if fmt == "json":
        text = to_json(as_json(rows)) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        write_csv(as_text(rows), columns, buffer)
        text = buffer.getvalue()
    elif output is None:
        shown = as_text(rows)
        if not any(row["decision"] for row in shown):
            columns = [c for c in columns if c.key != "decision"]  # no empty column on screen
        render(shown, columns, "table", title=title)
        return
    else:
        text = markdown(as_text(rows), columns, title=title)
    if output is None:
        sys.stdout.write(text)
        return
    bom = "\ufeff" if fmt == "csv" else ""
    write_atomic(output, (bom + text).encode("utf-8"))
    say(_("Wrote {count} proposals to {path}.").format(count=len(rows), path=output))
