"""Faults, with real processes: kill -9, Ctrl-C, two writers, a full disk, a read-only file, a
damaged file. After each, nothing is lost and the database is intact."""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import snapshot
from thidua_cli.output.criteria_file import parse_criteria
from thidua_cli.output.tabular import read_table
from thidua_cli.store import db, registry, scoring

pytestmark = pytest.mark.slow

UNITS = 1000
CRITERIA = 200  # 200,000 score rows in all


def thidua(*args):
    return [sys.executable, "-m", "thidua_cli", *args]


def environment(path, **extra):
    env = {**os.environ, "THIDUA_DB": str(path), "THIDUA_LANG": "vi", **extra}
    env.pop("NO_COLOR", None)
    return env


def build(path: Path, tmp_path: Path, clusters=("Cụm A",)) -> None:
    """Clusters of 1,000 units each (2024) with 200 criteria; no scores yet."""
    criteria = tmp_path / "criteria.csv"
    criteria.write_text(
        "code,group,name,max_points,kind\n"
        + "".join(f"C{c:03d},Nhóm,Tiêu chí {c},10,base\n" for c in range(CRITERIA)),
        encoding="utf-8",
    )
    conn = db.connect(path, create=True)
    with db.transaction(conn, path):
        for n, name in enumerate(clusters):
            cluster_id = registry.add_cluster(conn, name, None, "cum", [])
            for u in range(UNITS):
                unit_id = registry.add_unit(conn, f"Đơn vị {n}-{u:04d}", None, [])
                registry.set_member(conn, cluster_id, 2024, unit_id, "member")
        scoring.save_criteria(conn, None, 2024, parse_criteria(read_table(criteria)), replace=False)
    conn.close()


def score_file(path: Path, cluster_index=0) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("unit,criterion,points\n")
        for u in range(UNITS):
            for c in range(CRITERIA):
                f.write(f"Đơn vị {cluster_index}-{u:04d},C{c:03d},{(u + c) % 10}.5\n")
    return path


def intact(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def scores(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM score").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def big(tmp_path, fresh_db):
    build(fresh_db, tmp_path)
    return fresh_db


def wait_for_writing(process, database: Path, timeout=120.0) -> None:
    """Until the import is writing its rows (the -wal file grows), or fail if it ended first."""
    wal = Path(str(database) + "-wal")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("the import ended before it could be interrupted")
        if wal.exists() and wal.stat().st_size > 512 * 1024:
            return
        time.sleep(0.002)
    pytest.fail("the import never started writing")


@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGINT, 130)],
    ids=["kill-9", "ctrl-c"],
)
def test_an_import_stopped_half_way_leaves_the_database_as_before(big, tmp_path, sig, code):
    data = score_file(tmp_path / "scores.csv")
    before = snapshot(big)
    process = subprocess.Popen(
        thidua("score", "import", str(data), "-c", "Cụm A", "-y", "2024"),
        env=environment(big),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_writing(process, big)
    process.send_signal(sig)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == code
    if sig == signal.SIGINT:
        assert err.strip().splitlines()[-1] == "Đã dừng; không có gì được ghi."
        assert "Traceback" not in err
    intact(big)
    assert snapshot(big) == before
    again = subprocess.run(
        thidua("score", "import", str(data), "-c", "Cụm A", "-y", "2024"),
        env=environment(big),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert scores(big) == UNITS * CRITERIA
    intact(big)


HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def hold_write_lock(database: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(database), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_writer_waits_for_another_within_the_busy_timeout(sample):
    holder = hold_write_lock(sample, 1.0)
    started = time.monotonic()
    done = subprocess.run(
        thidua("flag", "add", "-y", "2021", "-u", "BIDV", "--reason", "Chờ ghi"),
        env=environment(sample),
        capture_output=True,
        text=True,
        timeout=60,
    )
    holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 0.5
    conn = sqlite3.connect(sample)
    assert conn.execute("SELECT reason FROM flag").fetchall() == [("Chờ ghi",)]
    conn.close()


def test_past_the_busy_timeout_the_documented_code_and_nothing_written(sample):
    before = snapshot(sample)
    holder = hold_write_lock(sample, 3.0)
    done = subprocess.run(
        thidua("flag", "add", "-y", "2021", "-u", "BIDV", "--reason", "Không chờ"),
        env=environment(sample, THIDUA_BUSY_TIMEOUT="200"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    holder.wait(timeout=30)
    assert done.returncode == 4
    assert done.stderr.startswith(f"Lỗi: Cơ sở dữ liệu {sample} đang bận")
    assert snapshot(sample) == before
    intact(sample)


def test_two_imports_at_once_both_land(tmp_path, fresh_db):
    build(fresh_db, tmp_path, clusters=("Cụm A", "Cụm B"))
    files = [score_file(tmp_path / f"scores-{i}.csv", i) for i in (0, 1)]
    processes = [
        subprocess.Popen(
            thidua("score", "import", str(f), "-c", name, "-y", "2024"),
            env=environment(fresh_db, THIDUA_BUSY_TIMEOUT="120000"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f, name in zip(files, ("Cụm A", "Cụm B"), strict=True)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    assert scores(fresh_db) == 2 * UNITS * CRITERIA
    intact(fresh_db)


def test_a_reader_during_an_import_sees_before_or_after_never_a_mix(big, tmp_path):
    data = score_file(tmp_path / "scores.csv")
    command = thidua("rank", "-c", "Cụm A", "-y", "2024", "-f", "json")
    before = subprocess.run(command, env=environment(big), capture_output=True, text=True)
    assert before.returncode == 3  # no scores yet: nothing to rank
    process = subprocess.Popen(
        thidua("score", "import", str(data), "-c", "Cụm A", "-y", "2024"),
        env=environment(big),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen = []
    while process.poll() is None:
        seen.append(subprocess.run(command, env=environment(big), capture_output=True, text=True))
    assert process.returncode == 0
    after = subprocess.run(command, env=environment(big), capture_output=True, text=True)
    assert after.returncode == 0
    final = json.loads(after.stdout)
    assert all(row["total"] is not None for row in final["rows"])
    assert seen, "no read happened during the import"
    for result in seen:
        if result.returncode == 3:
            assert result.stderr == before.stderr
        else:
            assert result.returncode == 0, result.stderr
            assert json.loads(result.stdout) == final


def test_a_full_disk_during_an_import_gives_the_io_code_and_changes_nothing(big, tmp_path):
    data = score_file(tmp_path / "scores.csv")
    before = snapshot(big)
    limit_kb = big.stat().st_size // 1024 + 256  # room to open, not to write 200,000 scores
    done = subprocess.run(
        ["bash", "-c", f'ulimit -f {limit_kb}; exec "$@"', "bash",
         *thidua("score", "import", str(data), "-c", "Cụm A", "-y", "2024")],
        env={**environment(big), "SQLITE_TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 6, done.stderr
    assert done.stderr.startswith("Lỗi: ")
    assert "Traceback" not in done.stderr
    intact(big)
    assert snapshot(big) == before


def without_root_powers(command):
    """As root, permissions are not enforced: drop the capabilities that bypass them."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]


@pytest.mark.skipif(
    os.geteuid() == 0 and not Path("/usr/bin/setpriv").exists(), reason="setpriv is missing"
)
def test_a_read_only_database_reads_and_refuses_writes(sample, tmp_path):
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    path = folder / "thidua.db"
    conn = sqlite3.connect(sample)
    conn.execute("VACUUM INTO ?", (str(path),))
    conn.close()
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        read = subprocess.run(
            without_root_powers(thidua("rank", "-c", "Cụm I", "-y", "2020", "-f", "json")),
            env=environment(path),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout)["rows"][0]["total"] == 96.5
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        write = subprocess.run(
            without_root_powers(thidua("flag", "add", "-y", "2020", "-u", "BIDV", "--reason", "x")),
            env=environment(path),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert write.returncode == 6
        assert write.stderr == f"Lỗi: Cơ sở dữ liệu {path} chỉ đọc: không có gì được ghi.\n"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
        assert sorted(p.name for p in folder.iterdir()) == ["thidua.db"]
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_a_damaged_database_is_reported_by_check_and_refuses_writes(sample):
    conn = sqlite3.connect(sample)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    index_root = conn.execute(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'audit_unit'"
    ).fetchone()[0]
    conn.close()
    with sample.open("r+b") as f:  # overwrite the page of an index with noise
        f.seek((index_root - 1) * page_size)
        f.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))
    digest = hashlib.sha256(sample.read_bytes()).hexdigest()
    check = subprocess.run(
        thidua("check"), env=environment(sample), capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 5
    assert check.stderr.startswith("Lỗi: Hỏng: ")
    assert check.stderr.splitlines()[-1].startswith(f"Lỗi: {sample} bị hỏng")
    write = subprocess.run(
        thidua("flag", "add", "-y", "2020", "-u", "BIDV", "--reason", "x"),
        env=environment(sample),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert write.returncode == 5
    assert "Traceback" not in write.stderr
    assert hashlib.sha256(sample.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("kind", ["not-sqlite", "newer"])
def test_a_file_that_is_not_ours_is_refused_and_untouched(run, db, tmp_path, kind):
    path = tmp_path / f"{kind}.db"
    if kind == "not-sqlite":
        path.write_bytes(b"Ten, Dia chi\nA, B\n")
    else:
        conn = sqlite3.connect(db)
        conn.execute("VACUUM INTO ?", (str(path),))
        conn.close()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for args in (("check",), ("unit", "add", "Đơn vị X"), ("rank", "-c", "X", "-y", "2020")):
        done = subprocess.run(
            thidua(*args), env=environment(path), capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 5, done.stderr
        assert "giữ nguyên" in done.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
