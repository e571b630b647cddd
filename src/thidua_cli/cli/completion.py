"""Shell completion of cluster and unit names, read from the database.

Typer installs the completion script (`thidua --install-completion` for bash, zsh or fish); the
shell then calls thidua to complete a word, and these functions answer it. They read the file
named by `--db` when it was typed before the word, else $THIDUA_DB, else ./thidua.db, open
read-only with the standard sqlite3 module, and never fail: no database, no suggestions.

Typer hands each function the context (what was parsed so far) and the word being typed; it
tells them apart by their annotations, so these must stay `typer.Context` and `str`.

Shells (and Typer) keep the names that begin with the typed text as typed, so completion is
by prefix: "Cụm" offers every "Cụm ..." name and the clusters' codes ("Cụm I", "Cụm II"),
"Ngân hàng T" the two "Ngân hàng TMCP ...". When `--year` was typed before it, clusters are
limited to those with members that year.

Names have spaces. zsh and fish quote what they insert themselves (zsh's compadd, fish's
complete), but bash inserts a reply exactly as given: `Agribank Lạng Sơn` would become three
words. So for bash the replies are quoted (`'Agribank Lạng Sơn'`), unless the word being
completed already opens a quote: readline then completes inside it and closes it itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

# Typer's own bash completion (held below 0.29 in pyproject), extended by QuotingBashComplete.
from typer._click.shell_completion import add_completion_class
from typer._completion_classes import BashComplete

from thidua_cli.app import completion

# What bash reads as more than a plain word character.
_SHELL_SPECIAL = frozenset(" \t\n'\"\\$`!&;|<>()*?[]{}#~=:%^,")


def _database(ctx: Any) -> Path | None:
    given = ctx.params.get("db_path") if ctx is not None else None
    return Path(given) if given else None


def cluster_names(ctx: typer.Context, incomplete: str) -> list[str]:
    year = ctx.params.get("year") if ctx is not None else None
    chosen = year if isinstance(year, int) else None
    return completion.cluster_names(_database(ctx), incomplete, chosen)


def unit_names(ctx: typer.Context, incomplete: str) -> list[str]:
    return completion.unit_names(_database(ctx), incomplete)


def bash_word(value: str) -> str:
    """`value` as bash must insert it to read it back as one word: single-quoted when needed."""
    if value and not _SHELL_SPECIAL.intersection(value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def _quote_opened() -> bool:
    """Whether the word being completed begins with a quote (bash passes COMP_WORDS as typed,
    joined by newlines: Typer's script sets IFS to a newline)."""
    words = os.environ.get("COMP_WORDS", "").split("\n")
    index = int(os.environ.get("COMP_CWORD", "0") or 0)
    word = words[index] if 0 <= index < len(words) else ""
    return word[:1] in ("'", '"')


class QuotingBashComplete(BashComplete):
    """Typer's bash completion, with replies quoted as bash needs them (see the module's doc)."""

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        values = [item.value for item in self.get_completions(args, incomplete)]
        if _quote_opened():
            return "\n".join(values)
        return "\n".join(bash_word(value) for value in values)


def use_quoting_bash() -> None:
    """Answer bash's completion requests with QuotingBashComplete (before Click dispatches)."""
    add_completion_class(QuotingBashComplete, "bash")
