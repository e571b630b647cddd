"""`thidua score set|import|show|template`: the scores of a cluster-year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.app import scoring
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    EncodingOption,
    FileArgument,
    FormatOption,
    PeriodOption,
    SourceOption,
    UnitOption,
    YearOption,
    command_group,
    open_db,
    say,
    writing,
)
from thidua_cli.errors import UsageError
from thidua_cli.i18n import _
from thidua_cli.output.render import Column, render, write_atomic
from thidua_cli.output.tabular import read_table
from thidua_cli.points import shown, to_number
from thidua_cli.rules.criteria import closing, criteria_groups

app = command_group(help_of("score"))


@app.command("set", help=_("Set one score of a unit for one criterion."))
def score_set(
    *,
    cluster: ClusterOption,
    year: YearOption,
    unit: UnitOption,
    criterion: Annotated[str, typer.Option("--criterion", "-k", help=_("Criterion code."))],
    points: Annotated[str, typer.Option("--points", "-p", help=_("Points, at most two decimals."))],
    source: SourceOption = "final",
    scorer: Annotated[
        str | None, typer.Option("--scorer", help=_("The unit that gave a peer score."))
    ] = None,
    period: PeriodOption = "year",
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        done = scoring.set_score(
            conn, cluster, year, period, unit, criterion, points, source, scorer
        )
    message = _("{unit}, criterion {code}: {points} points.").format(
        unit=done.unit, code=done.code, points=shown(done.points)
    )
    if done.was is not None and done.was != done.points:
        message += " " + _("(was {old})").format(old=shown(done.was))
    say(message)


@app.command(
    "import",
    help=_(
        "Import scores from CSV or .xlsx, long (unit,criterion,points[,source,scorer]) or wide "
        "(unit, then one column per criterion code). All or nothing."
    ),
)
def score_import(
    file: FileArgument,
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    source: SourceOption = "final",
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Replace scores that are already stored."))
    ] = False,
    encoding: EncodingOption = None,
    db_path: DbOption = None,
) -> None:
    table = read_table(file, encoding=encoding)
    with writing(db_path) as conn:
        found, count = scoring.import_scores(
            conn, table, str(file), cluster, year, period, source, replace=replace
        )
    say(
        _("Imported {count} scores into {cluster}, {year}.").format(
            count=count, cluster=found.name, year=year
        )
    )


@app.command("show", help=_("Show the counted scores of a cluster-year: units by criteria."))
def score_show(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    fmt: FormatOption = "table",
    db_path: DbOption = None,
) -> None:
    with open_db(db_path) as conn:
        counted = scoring.counted_scores(conn, cluster, year, period)
    as_text = fmt == "table"

    def cell(value: int | None) -> object:
        if value is None:
            return None
        return shown(value) if as_text else to_number(value)

    # each group's subtotal after its last criterion, as the scoring sheet shows it
    after = closing(criteria_groups(counted.criteria))
    by_unit: dict[int, dict[int, int]] = {}
    for (unit_id, criterion_id), value in counted.values.items():
        by_unit.setdefault(unit_id, {})[criterion_id] = value
    rows = []
    for m in counted.members:
        row: dict[str, object] = {"unit": m.name}
        points = by_unit.get(m.unit_id, {})
        for c in counted.criteria:
            row[c.code] = cell(points.get(c.id))
            for group in after.get(c.code, []):
                row["subtotal:" + group.code] = cell(group.subtotal(points))
        row["total"] = cell(counted.totals.get(m.unit_id, 0))
        rows.append(row)
    columns = [Column("unit", _("Unit"))]
    for c in counted.criteria:
        columns.append(Column(c.code, c.code, numeric=True))
        for group in after.get(c.code, []):
            label = _("Subtotal {group}").format(group=group.code)
            columns.append(Column("subtotal:" + group.code, label, numeric=True))
    columns.append(Column("total", _("Total"), numeric=True))
    render(rows, columns, fmt, title=f"{counted.cluster.name}, {year}")


@app.command(
    "template",
    help=_(
        "Write the Excel scoring sheet of a cluster-year: a row per member, a column per "
        "criterion with its maximum, values checked by Excel, the total computed by Excel. "
        "Members fill it in; `thidua score import` reads it back."
    ),
)
def score_template(
    *,
    cluster: ClusterOption,
    year: YearOption,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help=_("The .xlsx file to write."), dir_okay=False),
    ],
    period: PeriodOption = "year",
    source: SourceOption = "final",
    db_path: DbOption = None,
) -> None:
    if output.suffix.lower() != ".xlsx":
        raise UsageError(_("The scoring sheet is an Excel workbook: name it FILE.xlsx."))
    if source == "peer":
        raise UsageError(_("Peer scores need the long shape, with a scorer column."))
    with open_db(db_path) as conn:
        sheet = scoring.sheet_data(conn, cluster, year, period, source)
    from thidua_cli.output.workbook import scoring_sheet

    label = _("year-end") if period == "year" else _("half-year")
    data = scoring_sheet(
        title=_("Scoring sheet of {cluster}, {year} ({period})").format(
            cluster=sheet.cluster.name, year=year, period=label
        ),
        labels={
            "sheet": _("Scores"),
            "unit": _("Unit"),
            "criterion": _("Criterion"),
            "maximum": _("Maximum"),
            "total": _("Total"),
            "error_title": _("Not a valid score"),
            "error": _("Enter a number from 0 to {maximum}, with at most two decimals."),
        },
        units=[m.name for m in sheet.members],
        criteria=sheet.criteria,
        filled=sheet.filled,
    )
    write_atomic(output, data)
    say(
        _("Wrote the scoring sheet of {cluster}, {year} to {path}: {units} units, {count} "
          "criteria.").format(
            cluster=sheet.cluster.name, year=year, path=output, units=len(sheet.members),
            count=len(sheet.criteria),
        )
    )  # fmt: skip
