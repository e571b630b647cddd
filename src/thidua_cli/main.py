"""The `thidua` command: choose the language, then hand over to the Typer app."""

from __future__ import annotations

import signal
import sys

from thidua_cli.i18n import set_language


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


_RANK_OPTIONS = {
    "-c": "cluster",
    "--cluster": "cluster",
    "-y": "year",
    "--year": "year",
    "--period": "period",
    "-f": "fmt",
    "--format": "fmt",
    "--db": "db",
}
_RANK_CHOICES = {"period": ("year", "half"), "fmt": ("table", "csv", "json", "md")}


def _plain_rank(argv: list[str]) -> dict[str, str] | None:
    """The options of `thidua [--lang L] rank ...` in its common form, or None for anything else.

    Anything this does not recognise (help, -o, a repeated or unknown option, a value Typer
    would refuse) is left to Typer, which answers it as it always does.
    """
    args = list(argv)
    if args[:1] == ["--lang"]:
        args = args[2:]
    elif args[:1] and args[0].startswith("--lang="):
        args = args[1:]
    if args[:1] != ["rank"]:
        return None
    found: dict[str, str] = {}
    rest = args[1:]
    while rest:
        word = rest.pop(0)
        name, _sep, value = word.partition("=") if word.startswith("--") else (word, "", "")
        key = _RANK_OPTIONS.get(name)
        if key is None or key in found:
            return None
        if not _sep:
            if not rest:
                return None
            value = rest.pop(0)
        found[key] = value
    if "cluster" not in found or not found.get("year", "").isdigit():
        return None
    if not 1945 <= int(found["year"]) <= 2200:
        return None
    for key, choices in _RANK_CHOICES.items():
        if key in found and found[key] not in choices:
            return None
    return found


def _quick_rank(options: dict[str, str]) -> int:
    """`thidua rank` without Typer: the same work (rank_output), errors and exit codes."""
    import sqlite3
    from pathlib import Path

    from thidua_cli.cli.quick import show_ranking
    from thidua_cli.errors import EXIT_INTERRUPTED, ThiduaError, report
    from thidua_cli.i18n import _

    try:
        show_ranking(
            options["cluster"],
            int(options["year"]),
            options.get("period", "year"),
            options.get("fmt", "table"),
            None,
            Path(options["db"]) if "db" in options else None,
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


def main() -> None:
    _quiet_signals()
    lang = _language_from_argv(sys.argv[1:])
    if lang:
        set_language(lang)
    # `thidua rank` runs in shell loops over every cluster: its common form skips Typer's startup.
    quick = _plain_rank(sys.argv[1:])
    if quick is not None:
        sys.exit(_quick_rank(quick))
    from thidua_cli.cli.app import app

    app(prog_name="thidua")
