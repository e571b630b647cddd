"""The `thidua` command: choose the language, then hand over to the Typer app."""

from __future__ import annotations

import signal
import sys
from typing import Any


def _language_from_argv(argv: list[str]) -> str | None:
    """`--lang X` / `--lang=X` from the command line, read before the commands are declared."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _quiet_signals() -> None:
    """A file-size limit (`ulimit -f`) must end a write with an error, not kill the process.

    Ignored, SIGXFSZ makes the write fail with EFBIG, which SQLite reports and thidua rolls back
    with the I/O exit code.
    """
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _plain_command(argv: list[str]) -> tuple[str, dict[str, object]] | None:
    """(command, its parameters) of `thidua [--lang L] rank|awards|history ...` in a common form,
    or None.

    The options are read as the command declares them for Typer, through the table derived from
    that declaration (cli/quick_options.py, written by scripts/quick_options.py). Anything the
    table does not settle (help, an option given twice or unknown, a value Typer would refuse, a
    folder where a file is wanted) is left to Typer, which answers it as it always does.
    """
    args = list(argv)
    if args[:1] == ["--lang"]:
        args = args[2:]
    elif args[:1] and args[0].startswith("--lang="):
        args = args[1:]
    if not args or args[0].startswith("-"):  # `thidua --help`, `--version`: Typer's
        return None
    from thidua_cli.cli.quick_options import QUICK

    if args[0] not in QUICK:
        return None
    command = QUICK[args[0]]
    options, types = command["options"], command["types"]
    found: dict[str, object] = {}
    rest = args[1:]
    while rest:
        word = rest.pop(0)
        name, sep, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in options:
            return None
        param, flag = options[name]
        if param in found:
            return None
        if flag is not None:
            if sep:
                return None
            found[param] = flag
            continue
        if not sep:
            if not rest:
                return None
            value = rest.pop(0)
        converted = _value(value, types[param])
        if converted is _REFUSED:
            return None
        found[param] = converted
    if not set(command["required"]) <= found.keys():
        return None
    return args[0], {**command["defaults"], **found}


_REFUSED = object()


def _value(text: str, kind: tuple[Any, ...]) -> object:
    """`text` as Typer would pass it to the command, or _REFUSED where Typer would refuse it (or
    where telling needs more than the table)."""
    if kind[0] == "text":
        return text
    if kind[0] == "choice":
        return text if text in kind[1:] else _REFUSED
    if kind[0] == "int":
        from thidua_cli.rules.numbers import digits_value

        number = digits_value(text)  # "２０２０", "٣" or 5,000 digits: Typer answers
        if number is None:
            return _REFUSED
        low, high = kind[1], kind[2]
        if (low is not None and number < low) or (high is not None and number > high):
            return _REFUSED
        return number
    if kind[0] == "path":
        import os
        from pathlib import Path

        _path, dir_okay, readable, writable = kind
        if text and os.path.exists(text):
            if os.path.isdir(text) and not dir_okay:
                return _REFUSED
            if (readable and not os.access(text, os.R_OK)) or (
                writable and not os.access(text, os.W_OK)
            ):
                return _REFUSED
        return Path(text) if text else _REFUSED
    return _REFUSED


def _quick(command: str, parameters: dict[str, object]) -> int:
    """`thidua rank`, `awards` or `history` without Typer: the same work, errors and exit codes."""
    import sqlite3

    from thidua_cli.cli import quick
    from thidua_cli.cli.quick_options import QUICK
    from thidua_cli.errors import EXIT_INTERRUPTED, ThiduaError, report
    from thidua_cli.i18n import _

    try:
        getattr(quick, QUICK[command]["body"])(**parameters)
        sys.stdout.flush()
    except ThiduaError as error:
        report(error)
        return error.exit_code
    except sqlite3.Error as error:
        from thidua_cli.store.db import translate_error

        translated = translate_error(error)
        report(translated)
        return translated.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(_("Interrupted; nothing was written.") + "\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `thidua rank ... | head -1`: the reader has all it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _requested_language(argv: list[str]) -> str | None:
    """The language asked for: `--lang`, else $THIDUA_LANG (empty means not set)."""
    import os

    return _language_from_argv(argv) or os.environ.get("THIDUA_LANG") or None


def main() -> None:
    """Run thidua; whatever happens, end with a documented exit code and no traceback.

    Two things reach here that no command can catch: Ctrl-C while Python is still importing
    Typer and the command (the first tenth of a second: nothing has started, so exit 130
    without a word), and a standard output that refuses the data (`thidua rank ... >
    /dev/full`), found when the output is flushed at the end (exit 6, with the reason).
    """
    try:
        try:
            _run()
        finally:
            sys.stdout.flush()  # a full disk under `> FILE` shows here, not in Python's exit
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _silence_stdout()
        sys.exit(130)  # errors.EXIT_INTERRUPTED, not imported: nothing may be set up yet
    except OSError as error:
        if not _stdout_refuses(error):
            raise
        from thidua_cli.errors import DiskError, os_error_text, report
        from thidua_cli.i18n import _

        failure = DiskError(
            _("Cannot write the output: {error}.").format(error=os_error_text(error))
        )
        report(failure)
        sys.exit(failure.exit_code)


def _stdout_refuses(error: OSError) -> bool:
    """Whether standard output is what failed: every file thidua writes itself (-o, backups,
    the database) turns a refusal into its own message, so what reaches here is the output. If
    so, what is left of it goes nowhere, so that Python's exit does not try again and complain."""
    import errno

    refused = (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES)
    if error.errno not in refused:
        return False
    _silence_stdout()
    return True


def _silence_stdout() -> None:
    import contextlib
    import os

    # no real stdout (a test's capture): nothing to silence
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _run() -> None:
    from thidua_cli.i18n import set_language

    _quiet_signals()
    lang = _requested_language(sys.argv[1:])
    if lang:
        from thidua_cli.errors import ThiduaError, report
        from thidua_cli.i18n import check_language

        try:
            set_language(check_language(lang))
        except ThiduaError as error:  # before the quick path, which would not look at it
            report(error)
            sys.exit(error.exit_code)
    # `thidua rank` and `history` run in shell loops over every cluster or unit, `awards` over
    # the whole country: their common forms skip Typer's startup.
    quick = _plain_command(sys.argv[1:])
    if quick is not None:
        sys.exit(_quick(*quick))
    from thidua_cli.cli.app import app

    app(prog_name="thidua")
