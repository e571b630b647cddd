"""The shell: completion of commands, cluster and unit names (bash, zsh, fish), closed pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _thidua(args: list[str], env: dict[str, str], **options: object) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("_THIDUA")} | env
    return subprocess.run(
        [sys.executable, "-m", "thidua_cli", *args], env=full, capture_output=True, **options
    )


def _complete(shell: str, db: Path, words: str | list[str], cword: int | None = None) -> list[str]:
    """What thidua answers a shell asking for completions, asked the way that shell asks.

    bash: Typer's script passes the words as bash split them (quotes kept), joined by newlines
    (it sets IFS to one), and the index of the word being completed; zsh and fish pass the
    command line up to the cursor.
    """
    env = {"_THIDUA_COMPLETE": f"complete_{shell}", "THIDUA_DB": str(db)}
    if shell == "bash":
        assert isinstance(words, list)
        index = len(words) - 1 if cword is None else cword
        env |= {"COMP_WORDS": "\n".join(words), "COMP_CWORD": str(index)}
    else:
        assert isinstance(words, str)
        env |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    done = _thidua([], env, text=True)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


CUM_I_2020 = "Cụm I - Các tổ chức tín dụng"
CUM_I_2017 = "Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn"


def test_bash_completes_commands_and_cluster_names(sample: Path) -> None:
    assert _complete("bash", sample, ["thidua", "ra"]) == ["rating", "rank"]
    # with --year typed first, only the clusters that have members that year, and their codes;
    # quoted, since bash inserts a reply as it is
    assert _complete("bash", sample, ["thidua", "rank", "--year", "2017", "--cluster", "Cụm"]) == [
        "'Cụm I'", f"'{CUM_I_2017}'",
    ]  # fmt: skip
    # inside a quote the user opened, readline completes and closes it: the names as they are
    assert _complete("bash", sample, ["thidua", "rank", "--year", "2020", "-c", '"Cụm I']) == [
        "Cụm I", CUM_I_2020, "Cụm II", "Cụm II - Các doanh nghiệp Trung ương",
    ]  # fmt: skip
    assert _complete("bash", sample, ["thidua", "rank", "-c", "'Cụm II"]) == [
        "Cụm II", "Cụm II - Các doanh nghiệp Trung ương",
    ]  # fmt: skip


def test_bash_completes_after_an_equals_sign(sample: Path) -> None:
    # bash splits `--cluster=Cụm` at '=' and replaces only what follows it
    words = ["thidua", "rank", "--year", "=", "2017", "--cluster", "=", "Cụm"]
    assert _complete("bash", sample, words) == ["'Cụm I'", f"'{CUM_I_2017}'"]
    assert _complete("bash", sample, ["thidua", "history", "--unit", "=", "Agri"]) == [
        "'Agribank Lạng Sơn'"
    ]
    # right after the '=', every cluster that year
    assert _complete("bash", sample, ["thidua", "rank", "--year=2017", "--cluster", "="]) == [
        "'Cụm I'", f"'{CUM_I_2017}'",
    ]  # fmt: skip


def test_cum_completes_every_cluster_and_its_code(sample: Path) -> None:
    assert _complete("bash", sample, ["thidua", "rank", "-c", "Cụm"]) == [
        "'Cụm các cơ quan Trung ương đóng trên địa bàn tỉnh'",  # an alias
        "'Cụm I'",
        f"'{CUM_I_2020}'",
        "'Cụm II'",
        "'Cụm II - Các doanh nghiệp Trung ương'",  # an alias
        "'Cụm thi đua các cơ quan tham mưu tổng hợp'",
        "'Cụm thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh'",
        "'Cụm thi đua II - Các doanh nghiệp Trung ương'",
        f"'{CUM_I_2017}'",
    ]
    # zsh and fish quote what they insert themselves (checked by hand in both): zsh is given
    # each name in double quotes, fish the names as they are
    assert _complete("zsh", sample, "thidua rank -y 2020 -c Cụm\\ I") == [
        '_arguments \'*: :(("Cụm I"',
        f'"{CUM_I_2020}"',
        '"Cụm II"',
        '"Cụm II - Các doanh nghiệp Trung ương"))\'',
    ]
    assert _complete("zsh", sample, "thidua history -u Agri") == [
        "_arguments '*: :((\"Agribank Lạng Sơn\"))'"
    ]
    assert _complete("fish", sample, "thidua rank -y 2017 -c Cụm") == ["Cụm I", CUM_I_2017]


def test_bash_quotes_a_unit_name_with_spaces(sample: Path) -> None:
    assert _complete("bash", sample, ["thidua", "history", "-u", "Agri"]) == ["'Agribank Lạng Sơn'"]
    # a word typed with escaped spaces is read as the name it spells
    assert _complete("bash", sample, ["thidua", "history", "-u", "Ngân\\ hàng\\ TMCP\\ C"]) == [
        "'Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn'"
    ]


def test_real_bash_reads_each_reply_back_as_one_word(
    sample: Path, tmp_path: Path, run: Callable[..., object]
) -> None:
    """Typer's bash script, sourced into a real bash, fills COMPREPLY; bash then reads each
    reply, as it would once inserted on the command line, as one word: the name."""
    added = run("unit", "add", "Agribank 'Hội sở' & $HOME")
    assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    env = {"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    script = _thidua(["--show-completion", "bash"], env, text=True).stdout
    (tmp_path / "thidua.bash").write_text(script)
    shim = tmp_path / "thidua"  # the script calls `thidua`: this one, whatever the PATH has
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m thidua_cli "$@"\n')
    shim.chmod(0o755)
    driver = (
        f"source {tmp_path / 'thidua.bash'}\n"
        "COMP_WORDS=(thidua history -u Agri); COMP_CWORD=3\n"
        f"_thidua_completion {shim} Agri -u\n"
        'for reply in "${COMPREPLY[@]}"; do eval "set -- $reply"; echo "$#:$1"; done\n'
    )
    full = {k: v for k, v in os.environ.items() if not k.startswith("_THIDUA")}
    done = subprocess.run(
        ["bash", "--norc", "-c", driver],
        env=full | {"THIDUA_DB": str(sample)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1:Agribank 'Hội sở' & $HOME\n1:Agribank Lạng Sơn\n"


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
    assert _complete("bash", tmp_path / "none.db", ["thidua", "rank", "-c", "Cụm"]) == []
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
