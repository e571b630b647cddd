"""`thidua submit`: a cluster's file after its review conference, kept as a record."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.app import submissions
from thidua_cli.cli.common import ClusterOption, DbOption, PeriodOption, YearOption, say, writing
from thidua_cli.i18n import _
from thidua_cli.models import BANG_KHEN, CO_THI_DUA
from thidua_cli.rules.dates import parse_date, shown_date
from thidua_cli.rules.text import nfc


def submit(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    date: Annotated[
        str | None,
        typer.Option("--date", help=_("The date of the submission (default: today)."),
                     show_default=False),
    ] = None,
    number: Annotated[
        str | None,
        typer.Option("--number", help=_("Its number, for example 05/TTr-CTĐ (optional).")),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help=_("Why a half-year review is submitted again (the earlier version stays, "
                   "withdrawn)."),
        ),
    ] = None,
    db_path: DbOption = None,
) -> None:  # fmt: skip
    submitted_on = parse_date(date) if date else None
    number_text = nfc(number).strip() if number and number.strip() else None
    reason_text = nfc(reason).strip() if reason is not None else None
    if reason is not None and not reason_text:
        from thidua_cli.errors import InvalidInput

        raise InvalidInput(_("The reason cannot be empty."))
    with writing(db_path) as conn:
        done = submissions.submit(
            conn, cluster, year, period, submitted_on, number_text, reason_text
        )
    record = done.submission
    awards = [r.award_code for r in done.ranking.rows if r.award_code]
    say(
        _("Submitted the {period} review of {cluster}, {year}: version {version} of {date}, "
          "{ranked} units ranked.").format(
            period=submissions.period_name(period),
            cluster=done.cluster.name,
            year=year,
            version=record.version,
            date=shown_date(record.submitted_on),
            ranked=sum(1 for r in done.ranking.rows if r.rank is not None),
        )
    )  # fmt: skip
    if period == "year":
        say(
            _("Proposals: {co} Cờ thi đua, {bk} Bằng khen.").format(
                co=awards.count(CO_THI_DUA), bk=awards.count(BANG_KHEN)
            )
        )
    if done.replaced is not None:
        say(_("Version {version} is withdrawn.").format(version=done.replaced.version))
    if done.locked:
        say(
            _("{cluster} is locked for {year}; to correct it, unlock it with a reason.").format(
                cluster=done.cluster.name, year=year
            )
        )
