"""Reads see one state of the file; writes check the file before they take the write lock.

A read command reads in one snapshot (store.db.snapshot): a write committed by another
connection while it reads is either wholly seen or not at all, never half. A write checks the
whole file (quick_check) before BEGIN IMMEDIATE, so that five writers at once do not queue
behind each other's checks and give up busy.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from conftest import query
from thidua_cli.app import reports as app_reports
from thidua_cli.app import session
from thidua_cli.app.units import add_unit, rename_unit
from thidua_cli.store import db as store_db
from thidua_cli.store import maintenance

CLUSTER = "Cụm II"
OLD = "Chi nhánh Ga Đồng Đăng"
NEW = "Ga Đồng Đăng (đổi tên giữa chừng)"


def _rename_from_another_connection(path: Path) -> None:
    with session.writing(path) as conn:
        rename_unit(conn, OLD, NEW, True)


def test_a_report_read_while_another_connection_commits_is_all_old(run, sample, monkeypatch):
    # open the year: a locked year's papers keep the names it was locked with
    assert run("unlock", "-c", CLUSTER, "-y", "2020", "--reason", "thử").exit_code == 0
    before = run("report", "-y", "2020", "-c", CLUSTER, "-f", "json")
    assert before.exit_code == 0, before.output
    assert OLD in before.stdout

    found = app_reports.find_cluster
    commits: list[int] = []

    def find_then_commit(*args, **kwargs):
        cluster = found(*args, **kwargs)  # a first read has been made: the snapshot is taken
        if not commits:
            _rename_from_another_connection(sample)
            commits.append(1)
        return cluster

    monkeypatch.setattr(app_reports, "find_cluster", find_then_commit)
    during = run("report", "-y", "2020", "-c", CLUSTER, "-f", "json")
    assert commits == [1]
    assert during.exit_code == 0, during.output
    assert during.stdout == before.stdout  # all old: not the new name beside the old record
    monkeypatch.setattr(app_reports, "find_cluster", found)

    after = run("report", "-y", "2020", "-c", CLUSTER, "-f", "json")
    assert after.exit_code == 0, after.output
    assert NEW in after.stdout and after.stdout != before.stdout  # the rename did land
    assert json.loads(after.stdout)["deputy"] == NEW


def test_a_read_holds_one_snapshot_until_the_command_ends(sample):
    statements: list[str] = []
    with session.reading(sample) as conn:
        conn.set_trace_callback(statements.append)
        first = conn.execute("SELECT name FROM unit WHERE name = ?", (OLD,)).fetchall()
        _rename_from_another_connection(sample)
        second = conn.execute("SELECT name FROM unit WHERE name = ?", (OLD,)).fetchall()
        assert conn.in_transaction
    assert first == second == [(OLD,)]
    assert query(sample, "SELECT count(*) FROM unit WHERE name = ?", (NEW,)) == [(1,)]
    assert statements[-1] == "ROLLBACK"  # a read keeps nothing open after the command


def _traced_connect(monkeypatch, statements: list[str]) -> None:
    connect = store_db.connect

    def traced(*args, **kwargs) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(store_db, "connect", traced)


def test_a_write_checks_the_file_before_it_takes_the_write_lock(sample, monkeypatch):
    statements: list[str] = []
    _traced_connect(monkeypatch, statements)
    with session.writing(sample) as conn:
        add_unit(conn, "Đơn vị mới để thử", None, ())
    check = statements.index("PRAGMA quick_check")
    begin = statements.index("BEGIN IMMEDIATE")
    assert check < begin
    assert statements[-1] == "COMMIT"


def test_five_writers_at_once_all_succeed(sample, monkeypatch):
    # The check is made slow on purpose (as on a large file): held under the write lock, five
    # checks of 0.4 s would make the last writer wait 1.6 s, past the busy timeout of 1 s.
    monkeypatch.setenv("THIDUA_BUSY_TIMEOUT", "1000")
    check = maintenance.quick_check

    def slow_check(conn: sqlite3.Connection) -> list[str]:
        time.sleep(0.4)
        return check(conn)

    monkeypatch.setattr(maintenance, "quick_check", slow_check)
    start = threading.Barrier(5)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        start.wait()
        try:
            with session.writing(sample) as conn:
                add_unit(conn, f"Đơn vị thêm số {number}", None, ())
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    added = query(sample, "SELECT count(*) FROM unit WHERE name LIKE 'Đơn vị thêm số %'")
    assert added == [(5,)]


@pytest.mark.parametrize(
    "args",
    [
        ["rank", "-c", "Cụm I", "-y", "2020"],
        ["history", "-u", OLD],
        ["cluster", "show", CLUSTER, "-y", "2020"],
        ["unit", "list", "-y", "2020"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_read_commands_read_in_one_snapshot(run, sample, monkeypatch, args):
    statements: list[str] = []
    _traced_connect(monkeypatch, statements)
    result = run(*args)
    assert result.exit_code == 0, result.output
    begin = statements.index("BEGIN DEFERRED")
    reads = [s for s in statements[begin + 1 :] if s.lstrip().upper().startswith("SELECT")]
    assert reads, statements
    opening = statements[:begin]  # connect()'s own: pragmas and whether the file is ours
    assert all(s.startswith("PRAGMA") or s == "SELECT count(*) FROM sqlite_schema" for s in opening)
    assert statements[-1] == "ROLLBACK"
    assert "COMMIT" not in statements[begin:]
