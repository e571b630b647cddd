"""Both languages, whole: every help page, Click's own words, usage errors, the main commands."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from thidua_cli.i18n import set_language

CLICK_ENGLISH = (
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Show this message and exit",
    "[default:",
    "[required]",
    "env var:",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "<str>",
    "<int",
    "<file>",
    "Install completion",
)


# Help texts are read when the commands are declared, so each language gets its own process,
# as `thidua --lang en` does (main.py chooses the language before importing the commands).
_PAGES = """
import json, sys
from thidua_cli.i18n import set_language
set_language(sys.argv[1])
from typer.testing import CliRunner
from thidua_cli.cli.app import app, load_command
from thidua_cli.cli.catalog import COMMANDS
runner = CliRunner()
pages = {"": runner.invoke(app, ["--help"]).output}
for name in COMMANDS:
    pages[name] = runner.invoke(app, [name, "--help"]).output
    for sub in getattr(load_command(name), "commands", {}):
        pages[name + " " + sub] = runner.invoke(app, [name, sub, "--help"]).output
print(json.dumps(pages))
"""


@pytest.fixture(scope="module")
def help_pages() -> dict[str, dict[str, str]]:
    pages = {}
    for lang in ("vi", "en"):
        done = subprocess.run(
            [sys.executable, "-c", _PAGES, lang], capture_output=True, text=True, check=True
        )
        pages[lang] = json.loads(done.stdout)
    return pages


def test_every_help_page_is_vietnamese_through_and_through(help_pages) -> None:
    assert len(help_pages["vi"]) > 50  # every command and subcommand
    for words, page in help_pages["vi"].items():
        assert page.startswith(f"Cách dùng: thidua {words}".rstrip() + " "), page
        assert "Hiện hướng dẫn này rồi thoát." in page
        leftovers = [w for w in CLICK_ENGLISH if w in page]
        assert leftovers == [], page


def test_every_help_page_in_english(help_pages) -> None:
    assert help_pages["en"].keys() == help_pages["vi"].keys()
    for words, page in help_pages["en"].items():
        assert page.startswith(f"Usage: thidua {words}".rstrip() + " "), page
        assert "Show this message and exit." in page
        for word in ("Cách dùng", "Tuỳ chọn", "bắt buộc", "mặc định", "Hiện hướng dẫn"):
            assert word not in page, page


USAGE_ERRORS = [
    (
        ["rank", "--year", "abc", "-c", "x"],
        "Lỗi: Giá trị không hợp lệ cho '--year' / '-y': 'abc' không phải số nguyên.",
        "Error: Invalid value for '--year' / '-y': 'abc' is not a whole number.",
    ),
    (
        ["rank", "--year", "2020"],
        "Lỗi: Thiếu tuỳ chọn '--cluster' / '-c'.",
        "Error: Missing option '--cluster' / '-c'.",
    ),
    (
        ["rank", "--formt", "csv"],
        "Lỗi: Không có tuỳ chọn --formt. Có phải ý bạn là --format?",
        "Error: No such option: --formt Did you mean --format?",
    ),
    (["rnk"], "Lỗi: Không có lệnh 'rnk'.", "Error: No such command 'rnk'."),
    (
        ["rank", "-c", "x", "-y", "2020", "--format", "xml"],
        "Lỗi: Giá trị không hợp lệ cho '--format' / '-f': 'xml' không thuộc các giá trị "
        "'table', 'csv', 'json', 'md', 'html'.",
        "Error: Invalid value for '--format' / '-f': 'xml' is not one of "
        "'table', 'csv', 'json', 'md', 'html'.",
    ),
    (
        ["rank", "-c", "x", "-y", "2020", "thêm"],
        "Lỗi: Thừa tham số: thêm",
        "Error: Too many arguments: thêm",
    ),
    (["rank", "-c"], "Lỗi: Tuỳ chọn '-c' cần một giá trị.", "Error: Option '-c' needs a value."),
    (
        ["rank", "-c", "x", "-y", "1800"],
        "Lỗi: Giá trị không hợp lệ cho '--year' / '-y': 1800 nằm ngoài khoảng 1945<=x<=2200.",
        "Error: Invalid value for '--year' / '-y': 1800 is not in the range 1945<=x<=2200.",
    ),
]


@pytest.mark.parametrize(("words", "vietnamese", "english"), USAGE_ERRORS)
def test_usage_errors_in_both_languages(run, db, words, vietnamese, english) -> None:
    before = db.read_bytes()
    result = run(*words)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == vietnamese
    set_language("en")  # as `thidua --lang en` does before it reads the command line
    result = run("--lang", "en", *words)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == english
    assert db.read_bytes() == before


def test_a_usage_error_shows_how_to_get_help(run, db) -> None:
    result = run("rank", "--year", "2020")
    assert result.output == (
        "Cách dùng: thidua rank [TUỲ CHỌN]\n"
        "Xem hướng dẫn: 'thidua rank -h'.\n\n"
        "Lỗi: Thiếu tuỳ chọn '--cluster' / '-c'.\n"
    )
    set_language("en")
    result = run("--lang", "en", "rank", "--year", "2020")
    assert result.output == (
        "Usage: thidua rank [OPTIONS]\n"
        "Try 'thidua rank -h' for help.\n\n"
        "Error: Missing option '--cluster' / '-c'.\n"
    )


MAIN_COMMANDS = [
    (["rank", "-c", "Cụm I", "-y", "2020"], "Xếp hạng Cụm I", "Ranking of Cụm I"),
    (["awards", "-y", "2020"], "Đề nghị khen thưởng năm 2020", "Award proposals, 2020"),
    (["cluster", "show", "Cụm I", "-y", "2020"], "Trưởng cụm", "leader"),
    (["elect", "--suggest", "-c", "Cụm II", "-y", "2021"], "Phó trưởng cụm", "deputy"),
    (["history", "--unit", "Agribank Lạng Sơn"], "Cờ thi đua của UBND tỉnh", "Rank"),
    (["report", "-c", "Cụm I", "-y", "2020"], "# BÁO CÁO", "# REPORT"),
    # as CSV: the headers are the forms' labels in either language (issue 16: what a script
    # reads does not change with --lang)
    (
        ["score", "show", "-c", "Cụm I", "-y", "2020", "-f", "csv"],
        "Cộng nhóm K,Tổng điểm",
        "Cộng nhóm K,Tổng điểm",
    ),
]


@pytest.mark.parametrize(("words", "vietnamese", "english"), MAIN_COMMANDS, ids=lambda x: str(x))
def test_the_main_commands_in_both_languages(run, sample, words, vietnamese, english) -> None:
    result = run(*words)
    assert result.exit_code == 0, result.output
    assert vietnamese in result.output
    result = run("--lang", "en", *words)
    assert result.exit_code == 0, result.output
    assert english in result.output


UNKNOWN_LANGUAGE = "Lỗi: Không có ngôn ngữ 'fr'; các ngôn ngữ có: vi, en.\n"


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "fr", "rank", "-c", "Cụm I", "-y", "2020"], {}),  # the quick path
        (["--lang=fr", "cluster", "list"], {}),
        (["rank", "-c", "Cụm I", "-y", "2020", "-f", "csv"], {"THIDUA_LANG": "fr"}),
        (["cluster", "list"], {"THIDUA_LANG": "fr"}),
    ],
)
def test_an_unknown_language_is_a_usage_error(sample, args, env) -> None:
    import os

    before = sample.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "thidua_cli", *args],
        env=os.environ | env,
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", UNKNOWN_LANGUAGE)
    assert sample.read_bytes() == before


def test_an_unknown_language_through_the_app(run, db) -> None:
    result = run("--lang", "fr", "cluster", "list")
    assert (result.exit_code, result.output) == (2, UNKNOWN_LANGUAGE)


def test_english_counts_agree_with_their_nouns(run, sample) -> None:
    set_language("en")
    result = run("--lang", "en", "rank", "-c", "Cụm I", "-y", "2020")
    assert result.exit_code == 0
    assert "Quotas: 1 flag, 1 certificate for a cluster of 5 members." in result.output
    set_language("en")
    staff = "Cụm thi đua các cơ quan tham mưu tổng hợp"
    result = run("--lang", "en", "rank", "-c", staff, "-y", "2020")
    assert "Quotas: 1 flag, 2 certificates for a cluster of 8 members." in result.output
    result = run("rank", "-c", staff, "-y", "2020")
    assert "Chỉ tiêu: 1 Cờ thi đua, 2 Bằng khen cho cụm 8 đơn vị." in result.output
