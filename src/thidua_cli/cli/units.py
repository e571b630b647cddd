"""`thidua unit ...`: the units (đơn vị) that clusters are made of."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.app import units
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    DbOption,
    FormatOption,
    OutputOption,
    command_group,
    reading,
    say,
    writing,
)
from thidua_cli.i18n import _, forms_language
from thidua_cli.output.render import Column, output_format, render
from thidua_cli.rules.text import nfc
from thidua_cli.vocabulary import role_name, shared_words

app = command_group(help_of("unit"))


@app.command("add", help=_("Add a unit."))
def add(
    name: Annotated[str, typer.Argument(help=_("Full name of the unit."), show_default=False)],
    *,
    short: Annotated[str | None, typer.Option("--short", help=_("Short name for tables."))] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", help=_("Another name it is known by (repeatable).")),
    ] = None,
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        units.add_unit(conn, name, short, alias or [])
    say(_("Added unit {name}.").format(name=nfc(name)))


@app.command("list", help=_("List the units in Vietnamese alphabetical order."))
def list_units(
    *,
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", help=_("Show each unit's cluster and role that year.")),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = units.units_in_year(conn, year)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        rows = [
            {
                "name": p.unit.name,
                "short_name": p.unit.short_name,
                "aliases": list(p.unit.aliases) if fmt == "json" else "; ".join(p.unit.aliases),
                **(
                    {
                        "cluster": p.cluster,
                        "role": p.role,
                        "role_name": role_name(p.role, p.kind) if p.role else None,
                    }
                    if year is not None
                    else {}
                ),
            }
            for p in found
        ]
        columns = [
            Column("name", _("Unit")),
            Column("short_name", _("Short name")),
            Column("aliases", _("Also known as")),
        ]
        if year is not None:
            columns += [
                Column(
                    "cluster",
                    _("{Kind} in {year}").format(
                        year=year, **shared_words(p.kind for p in found if p.cluster).fields()
                    ),
                ),
                Column("role_name", _("Role")),
                Column("role", _("Role code"), code=True),
            ]
        title = _("Units ({count})").format(count=len(rows))
    render(rows, columns, fmt, title=title, output=output)


@app.command("rename", help=_("Rename a unit; its history stays with it."))
def rename(
    old: Annotated[
        str, typer.Argument(help=_("The unit, by any of its names."), show_default=False)
    ],
    new: Annotated[str, typer.Argument(help=_("Its new full name."), show_default=False)],
    *,
    keep_old: Annotated[
        bool,
        typer.Option(
            "--keep-old/--drop-old",
            help=_("Keep the old name as an alias, so that it still finds the unit."),
        ),
    ] = True,
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        unit, kept = units.rename_unit(conn, old, new, keep_old)
    say(_("Renamed {old} to {new}.").format(old=unit.name, new=new))
    if kept:
        say(
            _("The papers of the locked years {years} keep the name they were locked with.")
            .format(years=", ".join(map(str, kept)))
        )  # fmt: skip
