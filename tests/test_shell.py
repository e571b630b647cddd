"""The shell: completion of commands, cluster and unit names (bash, zsh, fish), closed pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _thidua(args: list[str], env: dict[str, str], **options: object) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("_THIDUA")} | env
    return subprocess.run(
        [sys.executable, "-m", "thidua_cli", *args], env=full, capture_output=True, **options
    )


def _complete(shell: str, db: Path, words: str, cword: int | None = None) -> list[str]:
    env = {"_THIDUA_COMPLETE": f"complete_{shell}", "THIDUA_DB": str(db)}
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(cword)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    done = _thidua([], env, text=True)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_bash_completes_commands_and_cluster_names(sample: Path) -> None:
    assert _complete("bash", sample, "thidua ra", 1) == ["rating", "rank"]
    # with --year typed first, only the clusters that have members that year
    assert _complete("bash", sample, "thidua rank --year 2017 --cluster Cụm", 5) == [
        "Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn"
    ]
    assert _complete("bash", sample, 'thidua rank --year 2020 -c "Cụm I', 5) == [
        "Cụm I - Các tổ chức tín dụng"
    ]


def test_zsh_completes_unit_names(sample: Path) -> None:
    lines = _complete("zsh", sample, 'thidua history --unit "Ngân hàng T')
    assert lines == [
        '_arguments \'*: :(("Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn"',
        '"Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn"))\'',
    ]


def test_fish_completes_cluster_names_from_the_db_option(sample: Path, tmp_path: Path) -> None:
    # --db typed on the line wins over $THIDUA_DB
    lines = _complete("fish", tmp_path / "none.db", f'thidua awards --db {sample} -c "Cụm thi')
    assert lines == [
        "Cụm thi đua các cơ quan tham mưu tổng hợp",
        "Cụm thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh",
        "Cụm thi đua II - Các doanh nghiệp Trung ương",
        "Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn",
    ]


def test_no_database_means_no_suggestions_and_no_error(tmp_path: Path) -> None:
    assert _complete("bash", tmp_path / "none.db", "thidua rank -c Cụm", 3) == []
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_for_each_shell(shell: str, tmp_path: Path) -> None:
    # From a terminal, Typer finds the shell itself; Typer's own test switch names it here.
    env = {"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = _thidua(["--show-completion", shell], env, text=True)
    assert done.returncode == 0, done.stderr
    assert f"complete_{shell}" in done.stdout and "_THIDUA_COMPLETE" in done.stdout


def test_install_completion_for_bash(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = _thidua(["--install-completion", "bash"], env, text=True)
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "thidua.sh"
    assert "_THIDUA_COMPLETE=complete_bash" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


def test_a_closed_pipe_ends_quietly(sample: Path) -> None:
    # `thidua log -n 0 | head -1`: the log of the sample is larger than a pipe's buffer
    process = subprocess.Popen(
        [sys.executable, "-m", "thidua_cli", "log", "-n", "0", "--db", str(sample)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait() == 0
    assert first.startswith("Nhật ký".encode())
    assert errors == b""
