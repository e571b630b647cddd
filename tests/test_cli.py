"""The interface as a whole: help everywhere, both languages, errors on stderr."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from thidua_cli.cli.app import app
from thidua_cli.errors import (
    EXIT_BUSY,
    EXIT_DATABASE,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_IO,
    EXIT_USAGE,
)


def _commands(group, prefix=()):
    import typer

    click_group = typer.main.get_command(group) if isinstance(group, typer.Typer) else group
    for name in click_group.list_commands(None):
        command = click_group.get_command(None, name)
        path = (*prefix, name)
        yield path
        if hasattr(command, "list_commands"):
            yield from _commands(command, path)


ALL = list(_commands(app))


def test_the_command_tree():
    assert ("init",) in ALL
    assert ("unit", "add") in ALL
    assert ("cluster", "join") in ALL


# commands that open no database (they write a bundled file)
NO_DATABASE = {("criteria", "template")}


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_has_help(run, path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Cách dùng:" in result.stdout
    assert "--db" in result.stdout or len(path) == 1 or path in NO_DATABASE


def test_exit_codes_are_the_documented_ones():
    assert (EXIT_USAGE, EXIT_INVALID, EXIT_BUSY, EXIT_DATABASE, EXIT_IO, EXIT_INTERRUPTED) == (
        2,
        3,
        4,
        5,
        6,
        130,
    )
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for code in ("| 2 ", "| 3 ", "| 4 ", "| 5 ", "| 6 ", "| 130 "):
        assert code in readme


def test_a_usage_mistake_exits_2(run, db):
    result = run("cluster", "show", "Cụm I")
    assert result.exit_code == 2
    assert "--year" in result.stderr


def _thidua(*args, env_extra=None, tmp_path=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "thidua_cli", *args], capture_output=True, text=True, env=env
    )


def test_english_on_request(tmp_path):
    db = str(tmp_path / "en.db")
    assert _thidua("init", "--sample", "--db", db).returncode == 0
    done = _thidua("--lang", "en", "cluster", "show", "Cụm I", "-y", "2019", "--db", db)
    assert done.returncode == 3
    assert done.stderr.startswith("Error: “Cụm I” fits more than one cluster; say which:")
    by_env = _thidua("cluster", "list", "--db", db, "-f", "csv", env_extra={"THIDUA_LANG": "en"})
    assert by_env.stdout.splitlines()[0] == "Cụm thi đua,Mã,Các năm"  # CSV: the forms' words
    on_screen = _thidua("cluster", "list", "--db", db, env_extra={"THIDUA_LANG": "en"})
    assert on_screen.stdout.splitlines()[2].split() == [
        "┃",
        "Cluster",
        "┃",
        "Code",
        "┃",
        "Years",
        "┃",
    ]
    help_en = _thidua("--lang", "en", "unit", "add", "--help")
    assert "Full name of the unit." in help_en.stdout


def test_vietnamese_by_default(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "THIDUA_LANG"}
    done = subprocess.run(
        [sys.executable, "-m", "thidua_cli", "unit", "list", "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 5
    assert done.stderr.startswith("Lỗi: Không có cơ sở dữ liệu tại")
    assert "Traceback" not in done.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "thidua_cli", "--help"], capture_output=True, text=True, env=env
    )
    assert "Tạo cơ sở dữ liệu" in helped.stdout
