"""What every command shares: the options, and opening the database (the file of `--db`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from thidua_cli.app.session import (  # re-exported: the commands open the file from here
    database_path,
    reading,
    writing,
)
from thidua_cli.cli.completion import cluster_names, unit_names
from thidua_cli.i18n import _
from thidua_cli.output.render import say
from thidua_cli.output.tabular import ENCODINGS

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help=_("Database file (else $THIDUA_DB, else ./thidua.db)."),
        show_default=False,
        # a folder is refused when the file is opened, with exit 5 like every unusable database
    ),
]
YearOption = Annotated[
    int,
    typer.Option("--year", "-y", min=1945, max=2200, help=_("The year, for example 2020.")),
]
ClusterOption = Annotated[
    str,
    typer.Option(
        "--cluster",
        "-c",
        help=_("Cluster: name, code or number (“Cụm I”)."),
        autocompletion=cluster_names,
    ),
]
PeriodOption = Annotated[
    Literal["year", "half"],
    typer.Option("--period", help=_("year (tổng kết năm) or half (sơ kết 6 tháng).")),
]
FormatOption = Annotated[
    Literal["table", "csv", "json", "md", "html"] | None,
    typer.Option(
        "--format",
        "-f",
        help=_("Output format on stdout: table, csv, json, md or html (default: table)."),
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help=_(
            "Write to this file, whole or not at all; its suffix names the format "
            "(.csv, .json, .md, .html, .xlsx). “-” is stdout."
        ),
        dir_okay=False,
    ),
]


SourceOption = Annotated[
    Literal["final", "peer", "self"],
    typer.Option(
        "--source", help=_("final (settled by the cluster), peer (cross-scoring) or self.")
    ),
]
FileArgument = Annotated[
    Path, typer.Argument(help=_("CSV or .xlsx file."), show_default=False, dir_okay=False)
]
# `criteria import` and `import` (a bundle's criteria sets): one rule, one option
CarryScoresOption = Annotated[
    bool,
    typer.Option(
        "--carry-scores",
        help=_(
            "Move the stored scores the new set would leave uncounted to its criteria "
            "with the same code."
        ),
    ),
]

EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help=_("Text encoding of a CSV file: {known} (default: found from the file).").format(
            known=", ".join(ENCODINGS)
        ),
    ),
]
ScopeClusterOption = Annotated[
    str | None,
    typer.Option("--cluster", "-c", help=_("The cluster."), autocompletion=cluster_names),
]
UnitOption = Annotated[
    str,
    typer.Option(
        "--unit", "-u", help=_("The unit, by any of its names."), autocompletion=unit_names
    ),
]


def command_group(help_text: str) -> typer.Typer:
    """A sub-command group (`thidua unit ...`), shaped like every other one."""
    return typer.Typer(
        help=help_text,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )


__all__ = [
    "ClusterOption",
    "DbOption",
    "EncodingOption",
    "FileArgument",
    "FormatOption",
    "OutputOption",
    "PeriodOption",
    "ScopeClusterOption",
    "SourceOption",
    "UnitOption",
    "YearOption",
    "command_group",
    "database_path",
    "reading",
    "say",
    "writing",
]
