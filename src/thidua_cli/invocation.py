"""The command line being run, as the audit log shows it; kept apart so that it costs nothing."""

from __future__ import annotations

import sys
from collections.abc import Sequence

_words: list[str] | None = None


def set_command(args: Sequence[str]) -> None:
    global _words
    _words = ["thidua", *args]


def command_line() -> str:
    import shlex

    return shlex.join(_words if _words is not None else ["thidua", *sys.argv[1:]])
