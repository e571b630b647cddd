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


def main() -> None:
    _quiet_signals()
    lang = _language_from_argv(sys.argv[1:])
    if lang:
        set_language(lang)
    from thidua_cli.cli import app

    app(prog_name="thidua")
