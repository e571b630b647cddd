"""`thidua flag add|list|remove`: a unit not eligible for an award in a year, and why."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.app import policy
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    DbOption,
    FormatOption,
    OutputOption,
    UnitOption,
    YearOption,
    command_group,
    reading,
    say,
    writing,
)
from thidua_cli.cli.completion import unit_names
from thidua_cli.i18n import _, forms_language
from thidua_cli.output.render import Column, output_format, render

app = command_group(help_of("flag"))


@app.command("add", help=_("Flag a unit for a year: it keeps its place but gets no award."))
def flag_add(
    *,
    unit: UnitOption,
    year: YearOption,
    reason: Annotated[str, typer.Option("--reason", help=_("Why (shown in the ranking)."))],
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        found, added = policy.add_flag(conn, unit, year, reason)
    if added:
        say(
            _("Flagged {unit} for {year}: {reason}").format(
                unit=found.name, year=year, reason=reason
            )
        )
    else:
        say(_("{unit} already has this flag for {year}.").format(unit=found.name, year=year))


@app.command("list", help=_("List the flags, by year and unit."))
def flag_list(
    *,
    year: Annotated[int | None, typer.Option("--year", "-y", help=_("Only this year."))] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help=_("Only this unit."), autocompletion=unit_names),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = policy.flags(conn, year, unit)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        rows = [{"year": y, "unit": name, "reason": reason} for _id, name, y, reason in found]
        columns = [
            Column("year", _("Year")),
            Column("unit", _("Unit")),
            Column("reason", _("Reason")),
        ]
    render(rows, columns, fmt, title=_("Flags ({count})").format(count=len(rows)), output=output)


@app.command("remove", help=_("Remove a unit's flags for a year (or only the one with --reason)."))
def flag_remove(
    *,
    unit: UnitOption,
    year: YearOption,
    reason: Annotated[str | None, typer.Option("--reason", help=_("Only this flag."))] = None,
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        _found, removed = policy.remove_flags(conn, unit, year, reason)
    say(_("Removed {count} flags.").format(count=removed))
