"""The main commands' help ends with one or two examples, and every example is a command line
thidua accepts as written."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest
import typer

from thidua_cli.cli.app import app
from thidua_cli.cli.catalog import EXAMPLES

MAIN = [
    "rank",
    "awards",
    "report",
    "submission",
    "submit",
    "elect",
    "decide",
    "decide import",
    "cluster join",
    "criteria import",
    "criteria template",
    "score import",
    "score template",
]


def examples_in(help_text: str) -> list[str]:
    return [line.strip() for line in help_text.splitlines() if line.strip().startswith("thidua ")]


@pytest.mark.parametrize("path", MAIN)
def test_the_help_of_a_main_command_shows_examples(run, path):
    result = run(*path.split(), "--help")
    assert result.exit_code == 0, result.output
    assert "Ví dụ:" in result.stdout
    shown = examples_in(result.stdout)
    assert shown == list(EXAMPLES[path])
    assert 1 <= len(shown) <= 2
    assert all(line.startswith(f"thidua {path.split()[0]} ") for line in shown)


def test_the_examples_heading_follows_the_language_and_the_examples_do_not():
    # a process of its own: the help texts are read in the language of the first import
    english = subprocess.run(
        [sys.executable, "-m", "thidua_cli", "--lang", "en", "score", "template", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert english.returncode == 0, english.stderr
    assert "\n  Examples:\n" in english.stdout
    assert examples_in(english.stdout) == list(EXAMPLES["score template"])


def test_a_long_example_is_printed_whole_on_one_line(run):
    # Click rewraps help paragraphs; an example cut in two could not be copied and run
    shown = examples_in(run("decide", "--help").stdout)
    assert shown[0] == (
        'thidua decide --year 2024 --unit "Agribank Lạng Sơn" --award co_thi_dua '
        '--decision "123/QĐ-UBND" --date 20/01/2025'
    )


@pytest.mark.parametrize(
    "example", [line for lines in EXAMPLES.values() for line in lines], ids=lambda line: line
)
def test_every_example_is_a_command_line_thidua_accepts(example):
    words = shlex.split(example)
    assert words[0] == "thidua"
    command = typer.main.get_command(app)
    context = command.make_context("thidua", words[1:2], resilient_parsing=False)
    args = words[1:]
    # walk down the groups as Click does, then parse the last command's own options
    while hasattr(command, "get_command") and args and command.get_command(context, args[0]):
        name, args = args[0], args[1:]
        command = command.get_command(context, name)
        if not hasattr(command, "get_command") or not (
            args and command.get_command(context, args[0])
        ):
            context = command.make_context(name, list(args), parent=context)
            break
        context = command.make_context(name, [args[0]], parent=context)
    assert context.command is command
    assert not context.args, f"{example}: left unparsed: {context.args}"
