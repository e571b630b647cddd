"""`thidua rating set|import|list`: a unit's rating of the year (xếp loại)."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.app import ratings
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    DbOption,
    EncodingOption,
    FileArgument,
    FormatOption,
    OutputOption,
    UnitOption,
    YearOption,
    command_group,
    reading,
    say,
    writing,
)
from thidua_cli.i18n import _, forms_language
from thidua_cli.models import RATING_NAMES
from thidua_cli.output.render import Column, output_format, render
from thidua_cli.output.tabular import read_table

app = command_group(help_of("rating"))

RATING_HELP = _(
    "htxsnv (hoàn thành xuất sắc nhiệm vụ), httnv (hoàn thành tốt), htnv (hoàn thành) or khtnv "
    "(không hoàn thành nhiệm vụ)."
)


@app.command("set", help=_("Record a unit's rating of a year."))
def rating_set(
    *,
    unit: UnitOption,
    year: YearOption,
    rating: Annotated[str, typer.Option("--rating", help=RATING_HELP)],
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        found = ratings.set_rating(conn, unit, year, rating)
    message = _("{unit}, {year}: {rating}").format(
        unit=found.unit.name, year=year, rating=RATING_NAMES[found.rating]
    )
    if found.previous and found.previous != found.rating:
        message += " " + _("(was: {rating})").format(rating=RATING_NAMES[found.previous])
    say(message + ".")


@app.command(
    "import", help=_("Import the ratings of a year from CSV or .xlsx: unit,rating (all or none).")
)
def rating_import(
    file: FileArgument,
    *,
    year: YearOption,
    encoding: EncodingOption = None,
    db_path: DbOption = None,
) -> None:
    table = read_table(file, encoding=encoding)
    with writing(db_path) as conn:
        count = ratings.import_ratings(conn, table, str(file), year)
    say(_("Recorded the ratings of {count} units for {year}.").format(count=count, year=year))


@app.command("list", help=_("List the ratings of a year, by cluster and unit."))
def rating_list(
    *,
    year: YearOption,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = ratings.ratings(conn, year)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        machine = fmt in ("csv", "json")
        rows = [
            {
                "cluster": line.cluster or "",
                "unit": line.unit,
                "rating": line.rating if machine else RATING_NAMES[line.rating],
            }
            for line in found
        ]
        columns = [
            Column("cluster", _("Cluster")),
            Column("unit", _("Unit")),
            Column("rating", _("Rating")),
        ]
    render(
        rows,
        columns,
        fmt,
        title=_("Ratings of {year} ({count})").format(year=year, count=len(rows)),
        output=output,
    )
