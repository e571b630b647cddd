"""The face of thidua: Typer commands that parse, call one use case (app/), and render.

Every user mistake surfaces here as a `ThiduaError`; `ThiduaGroup.invoke` prints it as one short
line on stderr and exits with its documented code. Nothing else is caught: a traceback is a bug.
"""

from __future__ import annotations

import re
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from thidua_cli import __version__
from thidua_cli.cli import click_text
from thidua_cli.cli.catalog import COMMANDS, examples_of
from thidua_cli.errors import EXIT_INTERRUPTED, ThiduaError, report
from thidua_cli.i18n import LANGUAGES, _, check_language, set_language
from thidua_cli.invocation import set_command
from thidua_cli.protected import forget

_INTEGER = re.compile(r"[-+]?[0-9]+", re.ASCII)


def _bounded_integers(command: Any) -> None:
    """Every whole-number option and argument of `command` (and its sub-commands) takes the
    digits 0-9 only and at most rules.numbers.MAX_WHOLE either way: Click's `int()` takes "٣"
    as 3, and SQLite refuses 2**63 with a traceback. The help pages stay as declared."""
    from typer._click import types

    from thidua_cli.rules.numbers import MAX_WHOLE

    class Bounded:
        def convert(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, str) and not _INTEGER.fullmatch(value.strip()):
                self.fail(f"{value!r} is not a valid int.", param, ctx)  # type: ignore[attr-defined]
            number = super().convert(value, param, ctx)  # type: ignore[misc]
            if abs(number) > MAX_WHOLE:
                low = getattr(self, "min", None)
                low = -MAX_WHOLE if low is None else low
                self.fail(  # type: ignore[attr-defined]
                    f"{value!r} is not in the range {low}<=x<={MAX_WHOLE}.", param, ctx
                )
            return number

    class BoundedInt(Bounded, types.IntParamType):
        pass

    class BoundedRange(Bounded, types.IntRange):
        pass

    pending = [command]
    while pending:
        sub = pending.pop()
        pending.extend(getattr(sub, "commands", {}).values())
        for param in sub.params:
            kind = param.type
            if type(kind) is types.IntRange:
                bounded = BoundedRange(kind.min, kind.max, kind.min_open, kind.max_open, kind.clamp)
                param.type = bounded
            elif type(kind) is types.IntParamType:
                param.type = BoundedInt()


def load_command(name: str) -> Any:
    """The Click command for `name`, importing only the module that holds it."""
    import importlib

    target, help_text = COMMANDS[name]
    module_name, attribute = target.split(":")
    found = getattr(importlib.import_module(f"thidua_cli.cli.{module_name}"), attribute)
    if isinstance(found, typer.Typer):
        command = typer.main.get_group(found)
        for sub_name, sub in command.commands.items():
            sub.epilog = examples_of(f"{name} {sub_name}") or sub.epilog
    else:
        single = typer.Typer(add_completion=False, rich_markup_mode=None)
        single.command(name, help=help_text)(found)
        command = typer.main.get_command(single)
    command.name = name
    command.epilog = examples_of(name) or command.epilog
    _bounded_integers(command)
    return command


class ThiduaGroup(TyperGroup):
    """The root group: turns user errors into a message and an exit code, in one place.

    Its commands are loaded on demand from the catalog: a command imports its own module and
    nothing else, and the list in `thidua --help` is read from the catalog without importing.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        from typer._click.utils import make_default_short_help

        width = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, make_default_short_help(text, width)) for name, (_t, text) in COMMANDS.items()
        ]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        # The audit log names the command as typed (tests pass `args` instead of sys.argv).
        set_command(list(args) if args is not None else sys.argv[1:])
        forget()  # no database of an earlier command (in the same process) is this one's
        return super().main(args, *rest, **options)

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Any = None
    ) -> Any:
        # The shell asks for completions through this same command: bash's replies must be
        # quoted (names have spaces), which Typer's own bash completion does not do. Click calls
        # this on every run; only a run with Typer's variable set is the shell asking.
        import os

        variable = complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
        if os.environ.get(variable):
            from thidua_cli.cli.bash_completion import use_quoting_bash

            use_quoting_bash()
        return super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ThiduaError as error:
            report(error)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write(_("Interrupted; nothing was written.") + "\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as error:
            # SQLite's own errors. sqlite3 is loaded by whatever opened the database, not
            # here: `thidua --help` does not need it.
            sqlite3 = sys.modules.get("sqlite3")
            if sqlite3 is None or not isinstance(error, sqlite3.Error):
                raise
            from thidua_cli.store.db import translate_error

            translated = translate_error(error)
            report(translated)
            raise typer.Exit(translated.exit_code) from None


click_text.install()

app = typer.Typer(
    cls=ThiduaGroup,
    name="thidua",
    help=_(
        "thidua: emulation clusters (Cụm thi đua) year by year: members and roles, scores, "
        "ranking, award proposals, elections and reports, from one SQLite file."
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
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
        str | None,
        typer.Option(
            "--lang",
            envvar="THIDUA_LANG",
            help=_("Language of the interface: vi (default) or en."),
            show_default=False,
            # checked in the body, so that a wrong language gets thidua's message (the one
            # `thidua_cli.main` gives before Typer starts), naming the languages there are
            metavar="[" + "|".join(LANGUAGES) + "]",
            autocompletion=lambda: list(LANGUAGES),
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
        set_language(check_language(lang))
