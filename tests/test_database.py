"""The database file: where it is, what is refused, and what the database enforces itself."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import query, snapshot
from thidua_cli.store.db import APPLICATION_ID, SCHEMA_VERSION


def test_a_read_command_never_creates_the_file(run, fresh_db):
    result = run("unit", "list")
    assert result.exit_code == 5
    assert "Không có cơ sở dữ liệu tại" in result.stderr
    assert "thidua init" in result.stderr
    assert result.stdout == ""
    assert not fresh_db.exists()


def test_a_write_command_never_creates_the_file(run, fresh_db):
    result = run("unit", "add", "Sở Tư pháp")
    assert result.exit_code == 5
    assert not fresh_db.exists()


def test_init_creates_a_marked_strict_wal_database(run, fresh_db):
    result = run("init")
    assert result.exit_code == 0, result.output
    assert f"Đã tạo {fresh_db}." in result.stderr
    assert query(fresh_db, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert query(fresh_db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert query(fresh_db, "PRAGMA journal_mode") == [("wal",)]
    tables = query(fresh_db, "SELECT name, sql FROM sqlite_schema WHERE type = 'table'")
    assert tables
    for name, sql in tables:
        assert sql.rstrip().endswith(("STRICT", "STRICT, WITHOUT ROWID")), name
    again = run("init")
    assert again.exit_code == 0
    assert "đã cập nhật" in again.stderr


def test_db_option_beats_environment(run, tmp_path, fresh_db):
    other = tmp_path / "other.db"
    assert run("init", "--db", str(other)).exit_code == 0
    assert other.exists()
    assert not fresh_db.exists()


def test_default_path_is_thidua_db_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("THIDUA_DB")
    monkeypatch.chdir(tmp_path)
    from thidua_cli.store.db import resolve_path

    assert resolve_path(None) == Path("thidua.db")
    assert resolve_path(Path("x.db")) == Path("x.db")
    monkeypatch.setenv("THIDUA_DB", "y.db")
    assert resolve_path(None) == Path("y.db")


def test_a_newer_database_is_refused_and_untouched(run, db):
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    for args in (("unit", "list"), ("unit", "add", "Sở Tư pháp"), ("init",)):
        result = run(*args)
        assert result.exit_code == 5
        assert "phiên bản thidua mới hơn" in result.stderr
    assert db.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(run, fresh_db):
    fresh_db.write_text("Tên đơn vị,Điểm\nSở Tư pháp,95\n", encoding="utf-8")
    before = fresh_db.read_bytes()
    for args in (("unit", "list"), ("init",), ("init", "--sample")):
        result = run(*args)
        assert result.exit_code == 5, args
        assert "không phải cơ sở dữ liệu thidua" in result.stderr
    assert fresh_db.read_bytes() == before


def test_another_programs_database_is_refused_and_untouched(run, fresh_db):
    conn = sqlite3.connect(fresh_db)
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = fresh_db.read_bytes()
    result = run("init")
    assert result.exit_code == 5
    assert "không phải cơ sở dữ liệu thidua" in result.stderr
    assert fresh_db.read_bytes() == before


def test_a_missing_folder_is_a_clear_error(run, tmp_path):
    result = run("init", "--db", str(tmp_path / "no" / "such" / "thidua.db"))
    assert result.exit_code == 6
    assert "Không mở được cơ sở dữ liệu" in result.stderr


def test_the_database_holds_one_leader_per_cluster_year(sample):
    conn = sqlite3.connect(sample)
    conn.execute("PRAGMA foreign_keys = ON")
    cid = conn.execute("SELECT id FROM cluster WHERE name LIKE 'Cụm I - %'").fetchone()[0]
    member = conn.execute(
        "SELECT unit_id FROM membership WHERE cluster_id = ? AND year = 2020 AND role = 'member'",
        (cid,),
    ).fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "UPDATE membership SET role = 'leader' WHERE cluster_id = ? AND year = 2020"
            " AND unit_id = ?",
            (cid, member),
        )
    with pytest.raises(sqlite3.IntegrityError):  # a unit in two clusters in one year
        other = conn.execute("SELECT id FROM cluster WHERE id <> ?", (cid,)).fetchone()[0]
        conn.execute(
            "INSERT INTO membership (cluster_id, year, unit_id) VALUES (?, 2020, ?)",
            (other, member),
        )
    with pytest.raises(sqlite3.IntegrityError):  # a role that does not exist
        conn.execute("UPDATE membership SET role = 'chairman' WHERE unit_id = ?", (member,))
    with pytest.raises(sqlite3.IntegrityError):  # a unit that does not exist
        conn.execute(
            "INSERT INTO membership (cluster_id, year, unit_id) VALUES (?, 2020, 999)", (cid,)
        )
    conn.close()


def test_module_entry_point_works(tmp_path):
    env = {**os.environ, "THIDUA_DB": str(tmp_path / "m.db")}
    done = subprocess.run(
        [sys.executable, "-m", "thidua_cli", "--version"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0
    assert done.stdout.startswith("thidua ")


def test_nothing_is_half_written_when_a_join_fails(run, sample):
    before = snapshot(sample)
    result = run(
        "cluster", "join", "Cụm II", "Sở Nội vụ", "Chi nhánh Ga Đồng Đăng", "--year", "2020"
    )
    assert result.exit_code == 3
    assert snapshot(sample) == before


def _schema(path: Path) -> list[tuple[str, str, str]]:
    return query(path, "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")


def test_the_schema_version_is_the_number_of_migrations():
    from thidua_cli.store.migrations import MIGRATIONS

    assert len(MIGRATIONS) == SCHEMA_VERSION  # a new migration raises store.db.SCHEMA_VERSION


@pytest.mark.parametrize("made_at", range(1, SCHEMA_VERSION))
def test_a_database_of_any_earlier_schema_is_brought_to_todays(run, fresh_db, tmp_path, made_at):
    from thidua_cli.store.migrations import MIGRATIONS

    old = tmp_path / f"schema-{made_at}.db"
    conn = sqlite3.connect(old)
    with conn:
        for steps in MIGRATIONS[:made_at]:
            for step in steps:
                step(conn) if callable(step) else conn.execute(step)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {made_at}")
    conn.close()
    assert run("init").exit_code == 0
    opened = run("unit", "list", "--db", str(old))
    assert opened.exit_code == 0, opened.output
    assert query(old, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert _schema(old) == _schema(fresh_db)
