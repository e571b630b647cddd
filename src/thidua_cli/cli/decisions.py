"""`thidua decide`: the province's decisions on the submitted proposals, one at a time or a
whole QĐ from a file, and their revocation."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import typer

from thidua_cli.app import submissions
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import DbOption, YearOption, say, writing
from thidua_cli.cli.completion import unit_names
from thidua_cli.errors import InvalidInput, NeedsConfirmation, UsageError
from thidua_cli.i18n import _
from thidua_cli.models import AWARD_NAMES, HIGHER_AWARDS
from thidua_cli.output.awards import council_text
from thidua_cli.output.decision_file import read_decision_lines
from thidua_cli.output.tabular import ENCODINGS, read_table
from thidua_cli.rules.dates import parse_date, shown_date
from thidua_cli.rules.decisions import decision_text

app = typer.Typer(
    help=help_of("decide"),
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

Award = Literal["co_thi_dua", "bang_khen"]
# the proposals a cluster makes, and the central level's awards recorded as decided
DecidedAward = Literal["co_thi_dua", "bang_khen", "co_chinh_phu", "bang_khen_thu_tuong"]
UnitOption = Annotated[
    str, typer.Option("--unit", "-u", help=_("The unit proposed."), autocompletion=unit_names)
]
DateOption = Annotated[str, typer.Option("--date", help=_("The decision's date (20/01/2021)."))]
AgainstCouncilOption = Annotated[
    bool,
    typer.Option(
        "--against-council",
        help=_(
            "Grant a proposal the Council of Emulation and Rewards did not pass (without it, "
            "such a grant is refused, or asked about at a terminal)."
        ),
    ),
]
T = TypeVar("T")


@app.callback(invoke_without_command=True)
def decide(
    ctx: typer.Context,
    *,
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", min=1945, max=2200, help=_("The year, for example 2020.")),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help=_("The unit proposed."), autocompletion=unit_names),
    ] = None,
    award: Annotated[
        DecidedAward | None,
        typer.Option(
            "--award",
            help=_(
                "The proposal: co_thi_dua (Cờ thi đua) or bang_khen (Bằng khen); or a central "
                "award decided above the province: co_chinh_phu (Cờ thi đua của Chính phủ), "
                "bang_khen_thu_tuong (Bằng khen của Thủ tướng Chính phủ)."
            ),
        ),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision",
            help=_("The decision's number, for example 123/QĐ-UBND (optional with --rejected)."),
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help=_("The decision's date (20/01/2021)."))
    ] = None,
    granted: Annotated[
        Award | None,
        typer.Option("--granted", help=_("The form granted, when it is not the one proposed.")),
    ] = None,
    rejected: Annotated[
        bool, typer.Option("--rejected", help=_("The province did not grant the award."))
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Replace the decision already recorded."))
    ] = False,
    against_council: AgainstCouncilOption = False,
    db_path: DbOption = None,
) -> None:
    given = {
        "--year": year,
        "--unit": unit,
        "--award": award,
        "--decision": decision,
        "--date": date,
        "--granted": granted,
    }
    if ctx.invoked_subcommand is not None:
        used = [name for name, value in given.items() if value is not None]
        if used or rejected or replace or against_council:
            raise UsageError(
                _("{options} belong after the subcommand ({command}).").format(
                    options=", ".join(used or ["--rejected/--replace/--against-council"]),
                    command=ctx.invoked_subcommand,
                )
            )
        return
    if all(value is None for value in given.values()) and not (rejected or replace):
        typer.echo(ctx.get_help())
        raise typer.Exit(2)
    if granted is not None and rejected:
        raise UsageError(_("Give --granted or --rejected, not both."))
    missing = [
        name for name in ("--year", "--unit", "--award", "--date") if given[name] is None
    ] + (["--decision"] if decision is None and not rejected else [])
    if missing:
        raise UsageError(_("A decision needs {options}.").format(options=", ".join(missing)))
    assert year is not None and unit is not None and award is not None and date is not None
    decided_on = parse_date(date)
    if award in HIGHER_AWARDS:
        if granted is not None or rejected:
            raise UsageError(
                _("--granted and --rejected are for the province's decisions on proposals.")
            )
        with writing(db_path) as conn:
            found_unit, central, nominated = submissions.decide_central(
                conn, year, unit, award, decision, decided_on, replace=replace
            )
        say(
            _("{unit}, {award} {year}: {number}, {date}.").format(
                unit=found_unit.name, award=HIGHER_AWARDS[award], year=year,
                number=central.number, date=shown_date(central.decided_on),
            )
        )  # fmt: skip
        if not nominated:
            say(
                _("Warning: {unit} was not granted the province's Cờ thi đua in {year}, so it "
                  "is not among the candidates (thidua nominate); the decision is recorded as "
                  "given.").format(unit=found_unit.name, year=year)
            )  # fmt: skip
        return

    def record(over: bool) -> submissions.Decided:
        with writing(db_path) as conn:
            return submissions.decide(
                conn,
                year,
                unit,
                award,
                None if rejected else (granted or award),
                decision,
                decided_on,
                replace=replace,
                against_council=over,
            )

    say(_said_one(_confirmed(record, against_council), year))


def _at_terminal() -> bool:
    """Whether a person can answer a question: input and messages both at a terminal."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _confirmed(record: Callable[[bool], T], against_council: bool) -> T:
    """Run `record`; a grant the Council did not pass is refused unless --against-council, or,
    at a terminal, the user confirms it after the warning."""
    try:
        return record(against_council)
    except NeedsConfirmation as error:
        if not _at_terminal():
            error.details.append(_("Nothing was recorded. To grant it anyway: --against-council."))
            raise
        lines = [_("Warning: {text}").format(text=error.message), *error.details]
        sys.stderr.write("\n".join(lines) + "\n")
        if not typer.confirm(
            _("Grant it all the same? (y: yes; n or Enter: no)"),
            default=False,
            err=True,
            show_default=False,
        ):
            raise InvalidInput(_("Nothing was recorded.")) from None
    return record(True)


def _said_one(done: submissions.Decided, year: int) -> str:
    from thidua_cli.models import Decision

    shown = Decision(0, 0, done.unit.id, year, done.award, done.granted, done.number,
                     done.decided_on, done.version)  # fmt: skip
    said = _("{unit}, {award} {year}: {decision}.").format(
        unit=done.unit.name,
        award=AWARD_NAMES[done.award],
        year=year,
        decision=decision_text(shown),
    )
    if done.granted is not None and done.council is not None and not done.council.passed:
        said += " " + _("Granted against the Council's vote ({vote}).").format(
            vote=council_text(done.council)
        )
    if done.unreceived:
        said += " " + _("(The Board has not recorded receiving this file.)")
    return said


@app.command(
    "import",
    help=_(
        "Record one decision (QĐ) for a list of units from CSV or .xlsx: unit, award[, granted]. "
        "All or nothing."
    ),
)
def decide_import(
    file: Annotated[
        Path, typer.Argument(help=_("CSV or .xlsx file."), show_default=False, dir_okay=False)
    ],
    *,
    year: YearOption,
    decision: Annotated[
        str, typer.Option("--decision", help=_("The decision's number, for example 125/QĐ-UBND."))
    ],
    date: DateOption,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Replace decisions already recorded."))
    ] = False,
    against_council: AgainstCouncilOption = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help=_("Text encoding of a CSV file: {known} (default: found from the file).").format(
                known=", ".join(ENCODINGS)
            ),
        ),
    ] = None,
    db_path: DbOption = None,
) -> None:
    decided_on = parse_date(date)
    lines = read_decision_lines(read_table(file, encoding=encoding))

    def record(over: bool) -> list[submissions.Decided]:
        with writing(db_path) as conn:
            return submissions.decide_list(
                conn, year, lines, decision, decided_on, replace=replace, against_council=over
            )

    done = _confirmed(record, against_council)
    say(
        _("Recorded {number} of {date} for {count} units:").format(
            number=decision.strip(), date=shown_date(decided_on), count=len(done)
        )
    )
    for one in done:
        say("  - " + _said_one(one, year))


@app.command(
    "revoke",
    help=_(
        "Record the decision that revokes (hủy bỏ, thu hồi) a unit's award of a year; the "
        "original decision stays on record."
    ),
)
def revoke(
    *,
    year: YearOption,
    unit: UnitOption,
    decision: Annotated[
        str, typer.Option("--decision", help=_("The number of the decision that revokes it."))
    ],
    date: DateOption,
    reason: Annotated[str, typer.Option("--reason", help=_("Why the award is revoked."))],
    db_path: DbOption = None,
) -> None:
    revoked_on = parse_date(date)
    with writing(db_path) as conn:
        found, original = submissions.revoke(conn, year, unit, decision, revoked_on, reason)
    say(
        _("{unit}: {award} of {year} ({number}) revoked by {revoking} of {date}.").format(
            unit=found.name,
            award=AWARD_NAMES[original.granted or original.award],
            year=year,
            number=original.number,
            revoking=decision.strip(),
            date=shown_date(revoked_on),
        )
    )
