"""The quick paths of `thidua rank` and `thidua awards` (main.py, without Typer) answer exactly as
the Typer path does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from thidua_cli.i18n import set_language
from thidua_cli.main import _plain_command

CASES = [
    ["rank", "-c", "Cụm I", "-y", "2020"],
    ["rank", "--cluster", "Cụm II", "--year", "2020", "--format", "csv"],
    ["rank", "--cluster=Cụm thi đua các cơ quan tham mưu tổng hợp", "--year=2020", "-f", "json"],
    ["rank", "-y", "2020", "-c", "Cụm I", "-f", "md", "--period", "year"],
    ["rank", "-c", "Cụm I", "-y", "2020", "--period", "half"],  # no half-year scores: exit 3
    ["rank", "-c", "Cụm IX", "-y", "2020"],  # no such cluster: exit 3
    ["rank", "-c", "Cụm I", "-y", "1999"],  # no members that year: exit 3
    ["--lang", "en", "rank", "-c", "Cụm I", "-y", "2020", "-f", "csv"],
    ["--lang", "en", "rank", "-c", "Cụm IX", "-y", "2020"],
    ["awards", "-y", "2020"],
    ["awards", "--year", "2020", "--format", "csv", "--allow-ties"],
    ["awards", "-y", "2020", "-c", "Cụm II", "-f", "json"],
    ["awards", "--year=2020", "--cluster=Cụm IX"],  # no such cluster: exit 3
    ["awards", "-y", "2019", "-f", "csv"],  # no cluster has members that year
    ["--lang", "en", "awards", "-y", "2020", "-f", "csv", "--db", "missing.db"],  # exit 5
]


@pytest.mark.slow
@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a))
def test_the_quick_path_answers_as_typer_does(run, sample: Path, args: list[str]) -> None:
    assert _plain_command(args) is not None  # these all take the quick path
    env = {**os.environ, "THIDUA_DB": str(sample)}
    env.pop("THIDUA_LANG", None)
    quick = subprocess.run(
        [sys.executable, "-m", "thidua_cli", *args], env=env, capture_output=True, text=True
    )
    if args[0] == "--lang":
        set_language(args[1])  # as main.py does before Typer reads the command line
    typer_path = run(*args)
    assert quick.returncode == typer_path.exit_code
    assert quick.stdout == typer_path.stdout
    assert quick.stderr == typer_path.stderr


@pytest.mark.slow
def test_the_quick_path_does_not_load_typer(sample: Path) -> None:
    script = (
        "import sys\n"
        f"sys.argv = ['thidua', 'rank', '-c', 'Cụm I', '-y', '2020', '--db', {str(sample)!r}]\n"
        "from thidua_cli.main import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    code = end.code\n"
        "print('typer' in sys.modules, 'typer._click' in sys.modules, code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stderr.strip() == "False False 0"


@pytest.mark.parametrize(
    "args",
    [
        ["rank", "-h"],
        ["rank", "--help"],
        ["rank", "-c", "Cụm I"],  # no year: Typer says what is missing
        ["rank", "-y", "2020"],
        ["rank", "-c", "Cụm I", "-y", "abc"],
        ["rank", "-c", "Cụm I", "-y", "1800"],
        ["rank", "-c", "Cụm I", "-y", "2020", "-o", "x.xlsx"],
        ["rank", "-c", "Cụm I", "-c", "Cụm II", "-y", "2020"],
        ["rank", "-c", "Cụm I", "-y", "2020", "--format", "xml"],
        ["rank", "-c", "Cụm I", "-y", "2020", "--period", "quarter"],
        ["rank", "-c", "Cụm I", "-y", "2020", "extra"],
        ["rank", "-c", "Cụm I", "-y"],
        ["awards", "-y", "2020", "-o", "x.csv"],
        ["awards", "-y", "2020", "--allow-ties=yes"],
        ["awards", "-y", "2020", "--allow-ties", "--allow-ties"],
        ["awards", "-y", "2020", "-f", "xlsx"],
        ["awards", "-y", "2020", "--period", "year"],
        ["awards", "-c", "Cụm I"],
        ["--version"],
        [],
    ],
    ids=lambda a: " ".join(a) or "nothing",
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert _plain_command(args) is None


def test_the_common_forms_are_read() -> None:
    assert _plain_command(["--lang=en", "rank", "--db", "a.db", "-y", "2020", "-c", "Cụm I"]) == (
        "rank",
        {"db": "a.db", "year": "2020", "cluster": "Cụm I"},
    )
    assert _plain_command(["awards", "--allow-ties", "-y", "2020", "-f", "csv"]) == (
        "awards",
        {"allow_ties": "1", "year": "2020", "fmt": "csv"},
    )


@pytest.mark.slow
def test_the_quick_awards_do_not_load_typer(sample: Path) -> None:
    script = (
        "import sys\n"
        f"sys.argv = ['thidua', 'awards', '-y', '2020', '-f', 'csv', '--db', {str(sample)!r}]\n"
        "from thidua_cli.main import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    code = end.code\n"
        "print('typer' in sys.modules, 'typer._click' in sys.modules, code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "False False 0"
