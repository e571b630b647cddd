"""The `thidua` command: choose the language, then hand over to the Typer app."""

from __future__ import annotations

import signal
import sys


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


# The common forms of the commands that run in shell loops or over a whole country, which skip
# Typer's startup: command -> (option -> name, names that are flags, names required, choices).
_YEAR = {"-y": "year", "--year": "year", "-c": "cluster", "--cluster": "cluster", "--db": "db"}
_QUICK: dict[str, tuple[dict[str, str], set[str], set[str], dict[str, tuple[str, ...]]]] = {
    "rank": (
        {**_YEAR, "--period": "period", "-f": "fmt", "--format": "fmt"},
        set(),
        {"year", "cluster"},
        {"period": ("year", "half"), "fmt": ("table", "csv", "json", "md", "html")},
    ),
    "awards": (
        {**_YEAR, "-f": "fmt", "--format": "fmt", "--allow-ties": "allow_ties"},
        {"allow_ties"},
        {"year"},
        {"fmt": ("table", "csv", "json", "md", "html")},
    ),
}


def _plain_command(argv: list[str]) -> tuple[str, dict[str, str]] | None:
    """(command, options) of `thidua [--lang L] rank|awards ...` in a common form, or None.

    Anything this does not recognise (help, -o, a repeated or unknown option, a value Typer
    would refuse) is left to Typer, which answers it as it always does.
    """
    args = list(argv)
    if args[:1] == ["--lang"]:
        args = args[2:]
    elif args[:1] and args[0].startswith("--lang="):
        args = args[1:]
    if not args or args[0] not in _QUICK:
        return None
    command = args[0]
    options, flags, required, choices = _QUICK[command]
    found: dict[str, str] = {}
    rest = args[1:]
    while rest:
        word = rest.pop(0)
        name, _sep, value = word.partition("=") if word.startswith("--") else (word, "", "")
        key = options.get(name)
        if key is None or key in found:
            return None
        if key in flags:
            if _sep:
                return None
            value = "1"
        elif not _sep:
            if not rest:
                return None
            value = rest.pop(0)
        found[key] = value
    from thidua_cli.rules.numbers import digits_value

    if not required <= found.keys():
        return None
    year = digits_value(found["year"])  # "２０２０" or 5,000 digits: Typer answers
    if year is None or not 1945 <= year <= 2200:
        return None
    for key, allowed in choices.items():
        if key in found and found[key] not in allowed:
            return None
    return command, found


def _quick(command: str, options: dict[str, str]) -> int:
    """`thidua rank` or `awards` without Typer: the same work, errors and exit codes."""
    import sqlite3
    from pathlib import Path

    from thidua_cli.cli.quick import show_awards, show_ranking
    from thidua_cli.errors import EXIT_INTERRUPTED, ThiduaError, report
    from thidua_cli.i18n import _

    db = Path(options["db"]) if "db" in options else None
    try:
        if command == "rank":
            show_ranking(
                options["cluster"],
                int(options["year"]),
                options.get("period", "year"),
                options.get("fmt", "table"),
                None,
                db,
            )
        else:
            show_awards(
                int(options["year"]),
                options.get("cluster"),
                options.get("fmt", "table"),
                None,
                "allow_ties" in options,
                db,
            )
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
    # `thidua rank` runs in shell loops over every cluster, `awards` over the whole country:
    # their common forms skip Typer's startup.
    quick = _plain_command(sys.argv[1:])
    if quick is not None:
        sys.exit(_quick(*quick))
    from thidua_cli.cli.app import app

    app(prog_name="thidua")
