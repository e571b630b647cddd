"""The face of thidua: Typer commands that parse, call the rules and the store, and render.

Every user mistake surfaces here as a `ThiduaError`; `ThiduaGroup.invoke` prints it as one short
line on stderr and exits with its documented code. Nothing else is caught: a traceback is a bug.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperGroup

from thidua_cli import __version__
from thidua_cli.errors import EXIT_INTERRUPTED, ThiduaError
from thidua_cli.i18n import _, set_language
from thidua_cli.store import audit
from thidua_cli.store.db import translate_error


def report(error: ThiduaError) -> None:
    lines = [_("Error: {message}").format(message=error.message)]
    lines += [f"  - {detail}" for detail in error.details]
    sys.stderr.write("\n".join(lines) + "\n")


class ThiduaGroup(TyperGroup):
    """The root group: turns user errors into a message and an exit code, in one place."""

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        # The audit log names the command as typed (tests pass `args` instead of sys.argv).
        audit.set_command(list(args) if args is not None else sys.argv[1:])
        return super().main(args, *rest, **options)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ThiduaError as error:
            report(error)
            raise typer.Exit(error.exit_code) from None
        except sqlite3.Error as error:
            translated = translate_error(error)
            report(translated)
            raise typer.Exit(translated.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write(_("Interrupted; nothing was written.") + "\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None


app = typer.Typer(
    cls=ThiduaGroup,
    name="thidua",
    help=_(
        "thidua: emulation clusters (Cụm thi đua) year by year: members and roles, scores, "
        "ranking, award proposals, elections and reports, from one SQLite file."
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"thidua {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    lang: Annotated[
        Literal["vi", "en"] | None,
        typer.Option(
            "--lang",
            envvar="THIDUA_LANG",
            help=_("Language of the interface: vi (default) or en."),
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
        ),
    ] = False,
) -> None:
    if lang:
        set_language(lang)


# The commands register on import; they come after `app` because they hang off it.
from thidua_cli.cli import (  # noqa: E402
    clusters,
    election,
    history,
    ranking,
    reports,
    safety,
    scores,
    setup,
    units,
)

app.add_typer(units.app, name="unit")
app.add_typer(clusters.app, name="cluster")
app.add_typer(clusters.covenant_app, name="covenant")
app.add_typer(scores.criteria_app, name="criteria")
app.add_typer(scores.score_app, name="score")
app.add_typer(scores.vote_app, name="vote")
app.add_typer(scores.flag_app, name="flag")
app.add_typer(scores.policy_app, name="policy")
app.command(
    "rank",
    help=_(
        "Rank a cluster-year by total score (1, 2, 2, 4), with ties, flags and the award proposals."
    ),
)(ranking.rank)
app.command(
    "awards",
    help=_("The award proposals of a year across clusters, for the province (CSV for Excel)."),
)(ranking.awards)
app.command("elect", help=election.HELP)(election.elect)
app.command("history", help=history.HISTORY_HELP)(history.history)
app.command("decide", help=history.DECIDE_HELP)(history.decide)
app.command("report", help=reports.REPORT_HELP)(reports.report)
app.command("submission", help=reports.SUBMISSION_HELP)(reports.submission)
app.add_typer(reports.settings_app, name="settings")
app.command("log", help=safety.LOG_HELP)(safety.log)
app.command("lock", help=safety.LOCK_HELP)(safety.lock)
app.command("unlock", help=safety.UNLOCK_HELP)(safety.unlock)
app.command("backup", help=safety.BACKUP_HELP)(safety.backup)
app.command("check", help=safety.CHECK_HELP)(safety.check)
app.command("export", help=safety.EXPORT_HELP)(safety.export)
app.command("import", help=safety.IMPORT_HELP)(safety.import_)
app.command("init", help=setup.INIT_HELP)(setup.init)
