"""`thidua criteria import|list`: the criteria sets (bảng chấm điểm)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.app.scoring import (
    criteria_in_force,
    criteria_template,
    import_criteria,
    write_criteria_template,
)
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    CarryScoresOption,
    DbOption,
    EncodingOption,
    FileArgument,
    FormatOption,
    OutputOption,
    ScopeClusterOption,
    YearOption,
    command_group,
    reading,
    say,
    writing,
)
from thidua_cli.cli.completion import cluster_names
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _, forms_language, ngettext
from thidua_cli.output.criteria_file import parse_criteria
from thidua_cli.output.render import Column, output_format, render
from thidua_cli.output.tabular import read_table
from thidua_cli.points import shown, to_number
from thidua_cli.rules.criteria import criteria_groups, opening

app = command_group(help_of("criteria"))


def kind_name(kind: str) -> str:
    return {"base": _("base"), "bonus": _("bonus"), "deduction": _("deduction")}[kind]


@app.command(
    "import",
    help=_(
        "Import a criteria set from CSV or .xlsx: code,group,name,max_points,kind, or a "
        "province's form (STT, Nội dung tiêu chí, Điểm tối đa, Loại) with numbered headings "
        "(1, 1.1, 1.2, 2, ...) that group the criteria under them."
    ),
)
def criteria_import(
    file: FileArgument,
    *,
    year: YearOption,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("The cluster whose set this is."),
            autocompletion=cluster_names,
        ),
    ] = None,
    default: Annotated[
        bool,
        typer.Option("--default", help=_("The province default for every cluster that year.")),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help=_("Replace an existing set.")),
    ] = False,
    carry_scores: CarryScoresOption = False,
    encoding: EncodingOption = None,
    db_path: DbOption = None,
) -> None:
    if (cluster is None) == (not default):
        raise InvalidInput(_("Give either --cluster or --default."))
    criteria = parse_criteria(read_table(file, encoding=encoding))
    with writing(db_path) as conn:
        imported = import_criteria(
            conn, criteria, cluster, year, replace=replace, carry_scores=carry_scores
        )
    base = sum(c.max_points for c in criteria if c.kind == "base")
    owner = imported.cluster.name if imported.cluster else _("the province default")
    say(
        _("Imported {count} criteria for {owner}, {year} (base points: {base}).").format(
            count=len(criteria), owner=owner, year=year, base=shown(base)
        )
    )
    if imported.carried:
        say(
            ngettext(
                "{count} stored score moved to the new criteria with the same code.",
                "{count} stored scores moved to the new criteria with the same code.",
                imported.carried,
            ).format(count=imported.carried)
        )


@app.command(
    "template",
    help=_(
        "Write the bundled 100-point criteria set (STT, Nội dung tiêu chí, Điểm tối đa, Loại) "
        "to a CSV file to edit and import with `criteria import`."
    ),
)
def criteria_template_command(
    *,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help=_("The CSV file to write (- for stdout)."),
            show_default=False,
            dir_okay=False,
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite FILE if it exists."))
    ] = False,
) -> None:
    if str(output) == "-":
        sys.stdout.buffer.write(criteria_template())
        sys.stdout.flush()
        return
    write_criteria_template(output, replace=replace)
    say(
        _(
            "Wrote the criteria template to {path}; edit it, then import it: "
            "thidua criteria import {quoted} --default --year YEAR"
        ).format(path=output, quoted=shlex.quote(str(output)))
    )


@app.command("list", help=_("List the criteria that apply to a cluster-year."))
def criteria_list(
    *,
    year: YearOption,
    cluster: ScopeClusterOption = None,
    default: Annotated[
        bool, typer.Option("--default", help=_("The province default of the year."))
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    if (cluster is None) == (not default):
        raise InvalidInput(_("Give either --cluster or --default."))
    with reading(db_path) as conn:
        owner, criteria, is_default = criteria_in_force(conn, cluster, year)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        machine = fmt != "table"

        def points(value: int) -> object:
            return to_number(value) if machine else shown(value)

        # each heading, with the sum of its group, just above the group's first criterion
        headings = opening(criteria_groups(criteria))
        rows = []
        for c in criteria:
            for group in headings.get(c.code, []):
                rows.append(
                    {
                        "code": group.code,
                        "group": "",
                        "name": group.name,
                        "max_points": points(group.max_points),
                        "kind": "heading" if machine else "",
                    }
                )
            rows.append(
                {
                    "code": c.code,
                    "group": c.group,
                    "name": c.name,
                    "max_points": points(c.max_points),
                    "kind": c.kind if machine else kind_name(c.kind),
                }
            )
        columns = [
            Column("code", _("Code")),
            Column("group", _("Group")),
            Column("name", _("Criterion")),
            Column("max_points", _("Maximum"), numeric=True),
            Column("kind", _("Kind")),
        ]
        note = _("(province default)") if is_default and cluster else ""
    render(rows, columns, fmt, title=f"{owner}, {year} {note}".strip(), output=output)
