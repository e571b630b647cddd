"""Every test gets its own database through THIDUA_DB, and Vietnamese unless it asks otherwise."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from thidua_cli.cli.app import app
from thidua_cli.i18n import set_language

Run = Callable[..., "object"]

# The same examples on every run, so that CI never fails on a draw nobody has seen; explore
# further with HYPOTHESIS_PROFILE=explore (and THIDUA_EXAMPLES=300 for the slow ones).
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def fresh_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "thidua.db"
    monkeypatch.setenv("THIDUA_DB", str(path))
    monkeypatch.delenv("THIDUA_LANG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    set_language("vi")
    return path


@pytest.fixture
def run() -> Callable[..., object]:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> object:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        set_language("vi")  # a --lang en in one call must not leak into the next
        return result

    return invoke


@pytest.fixture
def db(run: Callable[..., object], fresh_db: Path) -> Path:
    result = run("init")
    assert result.exit_code == 0, result.output
    return fresh_db


@pytest.fixture
def sample(run: Callable[..., object], fresh_db: Path) -> Path:
    result = run("init", "--sample")
    assert result.exit_code == 0, result.output
    return fresh_db


def query(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table: to show that a refused command wrote nothing."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    finally:
        conn.close()


TEST_CRITERIA = (
    "code,group,name,max_points,kind\n"
    "1,Nhóm 1,Nhiệm vụ chính trị,60,base\n"
    "2,Nhóm 2,Phong trào thi đua,40,base\n"
    "T,Điểm thưởng,Sáng kiến,5,bonus\n"
    "K,Điểm trừ,Vi phạm,5,deduction\n"
)
TEST_UNITS = ["Ngân hàng An Bình", "Công ty Bắc Sơn", "Sở Cao Lộc", "Chi cục Đình Lập", "=SUM(1)"]


def make_cluster(run, tmp_path: Path, *scope: str) -> None:
    """Cụm III, 2024: the TEST_UNITS and TEST_CRITERIA (`scope`: --cluster C or --default)."""
    assert (
        run("cluster", "add", "Cụm thi đua số III - Thử nghiệm", "--code", "Cụm III").exit_code == 0
    )
    for name in TEST_UNITS:
        assert run("unit", "add", name).exit_code == 0
    assert run("cluster", "join", "Cụm III", *TEST_UNITS, "-y", "2024").exit_code == 0
    criteria = tmp_path / "criteria.csv"
    criteria.write_text(TEST_CRITERIA, encoding="utf-8")
    result = run("criteria", "import", str(criteria), *scope, "-y", "2024")
    assert result.exit_code == 0, result.output


SAMPLE_2020 = ("Cụm I", "Cụm II", "tham mưu", "cơ quan Trung ương")


@pytest.fixture
def draft_sample(run: Callable[..., object], sample: Path) -> Path:
    """The sample with its four 2020 year-end submissions withdrawn (the clusters unlocked), for
    the tests that change 2020's data as a secretariat does before it submits."""
    for cluster in SAMPLE_2020:
        result = run("unlock", "-c", cluster, "-y", "2020", "--reason", "Sửa số liệu")
        assert result.exit_code == 0, result.output
    return sample
