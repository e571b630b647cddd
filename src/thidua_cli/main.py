"""The `thidua` command: choose the language, then hand over to the Typer app."""

from __future__ import annotations

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


def main() -> None:
    lang = _language_from_argv(sys.argv[1:])
    if lang:
        set_language(lang)
    from thidua_cli.cli import app

    app(prog_name="thidua")
