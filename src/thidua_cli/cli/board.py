"""`thidua review` and `thidua council set|import`: the province's stage after the clusters, the
Board receiving or returning a file and the Council voting on each proposal."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from thidua_cli.app import board
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    EncodingOption,
    FileArgument,
    UnitOption,
    YearOption,
    command_group,
    say,
    writing,
)
from thidua_cli.errors import UsageError
from thidua_cli.i18n import _
from thidua_cli.models import AWARD_NAMES
from thidua_cli.output.awards import council_text
from thidua_cli.output.tabular import read_table
from thidua_cli.rules.dates import parse_date, shown_date

DateOption = Annotated[
    str | None, typer.Option("--date", help=_("The date (10/01/2021); default: today."))
]


def review(
    *,
    cluster: ClusterOption,
    year: YearOption,
    accept: Annotated[
        bool, typer.Option("--accept", help=_("The Board receives the file."))
    ] = False,
    return_: Annotated[
        bool,
        typer.Option(
            "--return",
            help=_(
                "The Board returns the file to the cluster (with --reason): it is withdrawn "
                "and the cluster-year unlocked, for the next version."
            ),
        ),
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help=_("Why the file is returned."))
    ] = None,
    date: DateOption = None,
    db_path: DbOption = None,
) -> None:
    if accept == return_:
        raise UsageError(_("Give --accept or --return."))
    if accept and reason is not None:
        raise UsageError(_("--reason goes with --return."))
    if return_ and not (reason or "").strip():
        raise UsageError(_("Say why the file is returned: --reason TEXT."))
    day = parse_date(date) if date else None
    with writing(db_path) as conn:
        done = board.review(conn, cluster, year, accept=accept, reason=reason, reviewed_on=day)
    where = _("{cluster}, {year}, version {version}").format(
        cluster=done.cluster.name, year=year, version=done.submission.version
    )
    if done.action == "accept":
        say(_("The Board received the file of {where} on {date}.").format(
            where=where, date=shown_date(done.reviewed_on)
        ))  # fmt: skip
    else:
        say(_("The Board returned the file of {where} on {date}: {reason}").format(
            where=where, date=shown_date(done.reviewed_on), reason=done.reason
        ))  # fmt: skip
        say(_("The cluster-year is unlocked; the file stays on record, withdrawn. The cluster "
              "submits the next version when it is fixed (thidua submit)."))  # fmt: skip


council_app = command_group(help_of("council"))
Award = Literal["co_thi_dua", "bang_khen"]


@council_app.command("set", help=_("Record the Council's vote on one proposal."))
def council_set(
    *,
    year: YearOption,
    unit: UnitOption,
    award: Annotated[
        Award, typer.Option("--award", help=_("The proposal: co_thi_dua or bang_khen."))
    ],
    agree: Annotated[int, typer.Option("--agree", min=0, help=_("Members in favour."))],
    members: Annotated[int, typer.Option("--members", min=1, help=_("Members of the Council."))],
    date: DateOption = None,
    db_path: DbOption = None,
) -> None:
    day = parse_date(date) if date else None
    with writing(db_path) as conn:
        done = board.council_set(conn, year, unit, award, agree, members, day)
    said = f"{done.unit.name}, {AWARD_NAMES[award]}: {council_text(done.vote)}."
    if done.replaced is not None:
        said += " " + _("In place of {vote}.").format(vote=council_text(done.replaced))
    say(said)


@council_app.command(
    "import",
    help=_("Record the Council's votes from CSV or .xlsx: unit,award,agree,members (all or none)."),
)
def council_import(
    file: FileArgument,
    *,
    year: YearOption,
    date: DateOption = None,
    encoding: EncodingOption = None,
    db_path: DbOption = None,
) -> None:
    day = parse_date(date) if date else None
    table = read_table(file, encoding=encoding)
    with writing(db_path) as conn:
        done = board.council_import(conn, table, str(file), year, day)
    passed = sum(1 for d in done if d.vote.passed)
    say(_("Recorded the Council's votes on {count} proposals: {passed} passed, {failed} not.")
        .format(count=len(done), passed=passed, failed=len(done) - passed))  # fmt: skip
