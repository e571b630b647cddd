"""Typer's bash completion, with its replies quoted as bash needs them.

bash inserts a completion reply exactly as given (Typer's script uses `complete -F` without
`-o filenames`, so readline quotes nothing): `Agribank Lạng Sơn` would become three words and
the command would fail with "too many arguments". So each reply that holds a space or another
shell character is single-quoted (`'Agribank Lạng Sơn'`), unless the word being completed
already opens a quote: readline then completes inside that quote and closes it itself, and a
quoted reply would nest. zsh and fish quote what they insert themselves.

bash also splits `--cluster=Cụm` into three words, `--cluster`, `=` and `Cụm` ('=' is in its
COMP_WORDBREAKS), and replaces only the text after the '=' with the reply. Click reads
`--cluster=Cụm` as one word, so the three are joined back before Click sees them; the replies
stay the bare names.

Loaded only when bash asks for completions (`ThiduaGroup._main_shell_completion`); it extends
Typer's private completion class, which is why Typer is held below 0.29 in pyproject.
"""

from __future__ import annotations

import os

from typer._click.shell_completion import add_completion_class
from typer._completion_classes import BashComplete

# What bash reads as more than a plain word character.
_SHELL_SPECIAL = frozenset(" \t\n'\"\\$`!&;|<>()*?[]{}#~=:%^,")


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


def join_equals(words: list[str]) -> list[str]:
    """The words as typed, with bash's `--option`, `=`, `value` split joined back into one."""
    joined: list[str] = []
    for word in words:
        if joined and joined[-1].startswith("--") and joined[-1].endswith("="):
            joined[-1] += word
        elif word == "=" and joined and joined[-1].startswith("--") and "=" not in joined[-1]:
            joined[-1] += "="
        else:
            joined.append(word)
    return joined


class QuotingBashComplete(BashComplete):
    """Typer's bash completion, with replies quoted as bash needs them."""

    def get_completion_args(self) -> tuple[list[str], str]:
        args, incomplete = super().get_completion_args()
        words = join_equals([*args, incomplete])
        if words[-1] == incomplete:
            return words[:-1], incomplete
        return words[:-1], words[-1]  # the word being completed is `--option=value`

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        values = [item.value for item in self.get_completions(args, incomplete)]
        if _quote_opened():
            return "\n".join(values)
        return "\n".join(bash_word(value) for value in values)


def use_quoting_bash() -> None:
    """Answer bash's completion requests with QuotingBashComplete (before Click dispatches)."""
    add_completion_class(QuotingBashComplete, "bash")
