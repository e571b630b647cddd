"""`thidua vote set|import`: the votes at the review (bình xét)."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.app import scoring
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    EncodingOption,
    FileArgument,
    PeriodOption,
    UnitOption,
    YearOption,
    command_group,
    say,
    writing,
)
from thidua_cli.i18n import _
from thidua_cli.output.tabular import read_table

app = command_group(help_of("vote"))


@app.command(
    "set",
    help=_(
        "Record a unit's ballot at the review: its votes, the valid ballots and the ballots "
        "issued (votes ≤ valid ≤ issued). The valid ballots and the ballots issued not given "
        "stay as recorded."
    ),
)
def vote_set(
    *,
    cluster: ClusterOption,
    year: YearOption,
    unit: UnitOption,
    votes: Annotated[
        int, typer.Option("--votes", min=0, help=_("Votes for the unit (phiếu đồng ý)."))
    ],
    voters: Annotated[
        int | None,
        typer.Option("--voters", min=0, help=_("Valid ballots (phiếu hợp lệ).")),
    ] = None,
    issued: Annotated[
        int | None,
        typer.Option("--issued", min=0, help=_("Ballots issued (phiếu phát ra).")),
    ] = None,
    period: PeriodOption = "year",
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        before = scoring.set_vote(conn, cluster, year, period, unit, votes, voters, issued)
    if before is None or before[0] == votes:
        say(_("Recorded {votes} votes.").format(votes=votes))
    else:
        say(_("Recorded {votes} votes, in place of {old}.").format(votes=votes, old=before[0]))


@app.command(
    "import",
    help=_(
        "Import the ballots from CSV or .xlsx: unit,votes[,voters[,issued]] (or the headers "
        "đơn vị, số phiếu đồng ý, số phiếu hợp lệ, số phiếu phát ra); all rows or none. Valid "
        "ballots and ballots issued the file leaves out stay as recorded."
    ),
)
def vote_import(
    file: FileArgument,
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    encoding: EncodingOption = None,
    db_path: DbOption = None,
) -> None:
    table = read_table(file, encoding=encoding)
    with writing(db_path) as conn:
        count = scoring.import_votes(conn, table, str(file), cluster, year, period)
    say(_("Recorded the votes of {count} units.").format(count=count))
