"""The quick paths of `thidua rank`, `awards` and `history` (main.py, without Typer) answer exactly
as the Typer path does, reading the options through the table derived from the Typer
declarations (scripts/quick_options.py), never through a second list of them."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from thidua_cli.cli.quick_options import QUICK
from thidua_cli.i18n import set_language
from thidua_cli.main import _plain_command

ROOT = Path(__file__).resolve().parents[1]

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
    ["awards", "-y", "2020", "--stage", "submitted", "-f", "csv"],
    ["history", "-u", "Sở Tài chính"],
    ["history", "--unit", "Sở Tài chính", "-f", "csv"],
    ["history", "-c", "Cụm II", "-f", "json"],
    ["history", "--cluster=Cụm II", "--format=md"],
    ["history", "-c", "Cụm I"],  # two clusters answer to it: exit 3
    ["history", "-u", "Sở Tài chính", "-c", "Cụm II"],  # both: exit 2, said by the body
    ["history"],  # neither: exit 2
    ["--lang", "en", "history", "-u", "Không có đơn vị này"],
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
        ["rank", "-c", "Cụm I", "-y", "２０２０"],  # digits Typer reads, not the table
        ["rank", "-c", "Cụm I", "-y", "+2020"],
        ["rank", "-c", "Cụm I", "-y", "2020", "-f=csv"],
        ["rank", "--", "-c", "Cụm I", "-y", "2020"],
        ["rank", "-c", "Cụm I", "-y", "2020", "--lang", "en"],
        ["rank", "-c", "Cụm I", "-c", "Cụm II", "-y", "2020"],
        ["rank", "-c", "Cụm I", "-y", "2020", "--format", "xml"],
        ["rank", "-c", "Cụm I", "-y", "2020", "--period", "quarter"],
        ["rank", "-c", "Cụm I", "-y", "2020", "extra"],
        ["rank", "-c", "Cụm I", "-y"],
        ["awards", "-y", "2020", "--stage", "sent"],
        ["history", "-u"],
        ["history", "-u", "A", "--unit", "B"],
        ["history", "--help"],
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
        {
            "period": "year",
            "fmt": None,
            "output": None,
            "db_path": Path("a.db"),
            "year": 2020,
            "cluster": "Cụm I",
        },
    )
    assert _plain_command(["awards", "--allow-ties", "-y", "2020", "-f", "csv"]) == (
        "awards",
        {
            "cluster": None,
            "fmt": "csv",
            "output": None,
            "allow_ties": True,
            "stage": None,
            "db_path": None,
            "year": 2020,
        },
    )
    assert _plain_command(["history", "-o", "h.csv", "-u", "Sở Tài chính"]) == (
        "history",
        {"unit": "Sở Tài chính", "cluster": None, "fmt": None, "output": Path("h.csv"),
         "db_path": None},
    )  # fmt: skip


def _quick_options_script():
    spec = importlib.util.spec_from_file_location(
        "quick_options", ROOT / "scripts" / "quick_options.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_is_what_the_typer_declarations_give() -> None:
    derived = _quick_options_script().derive()
    assert derived == QUICK
    assert set(derived) == {"rank", "awards", "history"}
    # every option the command declares is read, no other
    assert set(QUICK["rank"]["options"]) == {
        "-c", "--cluster", "-y", "--year", "--period", "-f", "--format", "-o", "--output", "--db",
    }  # fmt: skip
    assert QUICK["rank"]["types"]["year"] == ("int", 1945, 2200)


def test_the_options_are_listed_once_in_the_typer_declarations() -> None:
    """main.py reads the table; no option of a quick command is written in it."""
    main_source = (ROOT / "src" / "thidua_cli" / "main.py").read_text(encoding="utf-8")
    for command in QUICK.values():
        for option in command["options"]:
            if option != "--lang":
                assert f'"{option}"' not in main_source, option


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["rank", "-c", "Cụm I", "-y", "2020", "-o", "ranking.md"],
        ["awards", "-y", "2020", "-o", "awards.csv"],
        ["history", "-c", "Cụm II", "-o", "history.json"],
    ],
    ids=lambda a: a[0],
)
def test_a_file_written_by_the_quick_path_is_the_one_typer_writes(
    run, sample: Path, tmp_path: Path, args: list[str]
) -> None:
    assert _plain_command(args) is not None
    name = args[-1]
    env = {**os.environ, "THIDUA_DB": str(sample)}
    env.pop("THIDUA_LANG", None)
    (tmp_path / "quick").mkdir()
    quick = subprocess.run(
        [sys.executable, "-m", "thidua_cli", *args[:-1], str(tmp_path / "quick" / name)],
        env=env,
        capture_output=True,
        text=True,
    )
    typer_path = run(*args[:-1], str(tmp_path / name))
    assert quick.returncode == typer_path.exit_code == 0, quick.stderr + typer_path.stderr
    assert (tmp_path / "quick" / name).read_bytes() == (tmp_path / name).read_bytes()
    assert quick.stderr == typer_path.stderr.replace(
        str(tmp_path / name), str(tmp_path / "quick" / name)
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


@pytest.mark.slow
def test_the_quick_history_does_not_load_typer(sample: Path) -> None:
    script = (
        "import sys\n"
        f"sys.argv = ['thidua', 'history', '-u', 'Sở Tài chính', '--db', {str(sample)!r}]\n"
        "from thidua_cli.main import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    code = end.code\n"
        "print('typer' in sys.modules, 'typer._click' in sys.modules, code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "False False 0"
