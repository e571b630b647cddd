"""Click's and Typer's own words (help pages, usage errors) in the user's language.

The Click that Typer 0.28 carries (`typer._click`) writes its words as plain English literals, and
Typer passes a few through the stdlib's gettext domain, which is not thidua's. So thidua puts its
own translation in at the few places those words are made, once, when the commands are loaded:

- the help page: "Usage:", "[OPTIONS]", "COMMAND [ARGS]...", the kinds of values ("<str>",
  "<int range>"), "Options", "Arguments", "Commands", "[default: ...]", "[required]",
  "[env var: ...]", the help option's and the completion options' help;
- usage errors: "Error:", "Try ... for help.", and the messages of missing, unknown or invalid
  options and arguments, built anew from the exception's own fields or, for the messages Click
  composes from a value ("'abc' is not a valid int range."), matched and rebuilt.

A message this module does not know is shown as Click wrote it (English), never dropped.
"""

from __future__ import annotations

import re
from typing import IO, Any

from thidua_cli.i18n import _

_installed = False


def _value_messages() -> list[tuple[re.Pattern[str], str]]:
    """Click's messages about a value, and thidua's text for each (in the language in force)."""
    return [
        (
            re.compile(r"^(?P<value>.+) is not a valid (?:int|int range|integer)\.$"),
            _("{value} is not a whole number."),
        ),
        (
            re.compile(r"^(?P<value>.+) is not a valid (?:float|float range)\.$"),
            _("{value} is not a number."),
        ),
        (
            re.compile(r"^(?P<value>.+) is not in the range (?P<range>.+)\.$"),
            _("{value} is not in the range {range}."),
        ),
        (
            re.compile(r"^(?P<value>.+) is not one of (?P<choices>.+)\.$"),
            _("{value} is not one of {choices}."),
        ),
        (
            re.compile(r"^Option (?P<name>.+) requires an argument\.$"),
            _("Option {name} needs a value."),
        ),
        (
            re.compile(r"^Option (?P<name>.+) requires (?P<count>\d+) arguments\.$"),
            _("Option {name} needs {count} values."),
        ),
        (
            re.compile(r"^Option (?P<name>.+) does not take a value\.$"),
            _("Option {name} does not take a value."),
        ),
        (
            re.compile(r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$"),
            _("Too many arguments: {args}"),  # click joins them: no count to agree with
        ),
    ]


def typer_words() -> list[str]:
    """The words Typer passes through `_` itself (typer/core.py), so that the catalog has them."""
    return [
        _("Options"),
        _("Arguments"),
        _("Commands"),
        _("default: {default}"),
        _("required"),
        _("env var: {var}"),
        _("(dynamic)"),
        _("Aborted!"),
        _("Missing command."),
        _("No such command {name!r}."),
    ]


def _type_names() -> dict[str, str]:
    return {
        "str": _("text"),
        "int": _("number"),
        "int range": _("number"),
        "float": _("number"),
        "float range": _("number"),
        "file": _("file"),
        "path": _("path"),
        "directory": _("folder"),
    }


def translate_value_message(message: str) -> str:
    for pattern, text in _value_messages():
        found = pattern.match(message)
        if found:
            return text.format(**found.groupdict())
    return message


def error_message(error: Any) -> str:
    """The message of a Click exception, in the user's language."""
    from typer._click import exceptions

    if isinstance(error, exceptions.MissingParameter):
        param = error.param
        hint = error.param_hint
        if hint is None and param is not None:
            hint = param.get_error_hint(error.ctx) if error.ctx else param.name
        kind = error.param_type or (param.param_type_name if param is not None else "parameter")
        if kind == "option":
            return _("Missing option {name}.").format(name=hint)
        if kind == "argument":
            return _("Missing argument {name}.").format(name=hint)
        return _("Missing parameter {name}.").format(name=hint)
    if isinstance(error, exceptions.NoSuchOption):
        message = _("No such option: {name}").format(name=error.option_name)
        if error.possibilities:
            message += " " + _("Did you mean {name}?").format(
                name=" / ".join(sorted(error.possibilities))
            )
        return message
    if isinstance(error, exceptions.BadParameter):
        detail = translate_value_message(error.message)
        hint = error.param_hint
        if hint is None and error.param is not None:
            hint = error.param.get_error_hint(error.ctx) if error.ctx else error.param.name
        if hint is None:
            return _("Invalid value: {message}").format(message=detail)
        return _("Invalid value for {name}: {message}").format(name=hint, message=detail)
    return translate_value_message(error.format_message())


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    color = self.ctx.color if self.ctx is not None else None
    if self.ctx is not None:
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            hint = (
                _("Try '{command} {option}' for help.").format(
                    command=self.ctx.command_path, option=self.ctx.help_option_names[0]
                )
                + "\n"
            )
        echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color, err=True)
    echo(_("Error: {message}").format(message=error_message(self)), file=file, err=True)


def _show_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    echo(_("Error: {message}").format(message=error_message(self)), file=file, err=True)


def _translate_usage_pieces(kind: Any) -> None:
    usage_pieces = kind.__dict__["collect_usage_pieces"]

    def translated_pieces(self: Any, ctx: Any) -> list[str]:
        words = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]...")}
        return [words.get(piece, piece) for piece in usage_pieces(self, ctx)]

    kind.collect_usage_pieces = translated_pieces


def install() -> None:
    """Put thidua's translations into Click and Typer (once; the language is read at each use)."""
    global _installed
    if _installed:
        return
    _installed = True
    import typer.core
    import typer.main
    from typer._click import core, exceptions, formatting

    # Typer's help sections and markers ("Options", "[default: ...]", "No such command").
    typer.core._ = _  # type: ignore[attr-defined]

    write_usage = formatting.HelpFormatter.write_usage

    def translated_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = translated_usage  # type: ignore[method-assign]

    for kind in (core.Command, typer.core.TyperGroup):
        _translate_usage_pieces(kind)

    make_metavar = core.Parameter.make_metavar

    def translated_metavar(self: Any, ctx: Any) -> str:
        # "<str>", "<int range>", "<file>": the kind of value an option takes
        metavar = make_metavar(self, ctx)
        if self.metavar is None:
            names = _type_names()
            for name, text in names.items():
                if metavar in (f"<{name}>", f"<{name}>..."):
                    return metavar.replace(f"<{name}>", f"<{text}>")
        return metavar

    core.Parameter.make_metavar = translated_metavar  # type: ignore[method-assign]

    help_option = core.Command.get_help_option

    def translated_help_option(self: Any, ctx: Any) -> Any:
        option = help_option(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    core.Command.get_help_option = translated_help_option  # type: ignore[method-assign]

    completion_arguments = typer.main.get_install_completion_arguments

    def translated_completion_arguments() -> tuple[Any, Any]:
        install_param, show_param = completion_arguments()
        install_param.help = _("Install completion for the current shell.")
        show_param.help = _("Show the completion script for the current shell, to copy it.")
        return install_param, show_param

    typer.main.get_install_completion_arguments = translated_completion_arguments

    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    exceptions.ClickException.show = _show_error  # type: ignore[method-assign]
