"""The files thidua writes and reads beside its database: never over the database or its -wal,
-shm and -journal; `restore` through SQLite; what a killed backup left; a pipe or a folder as
--db; `-o` into a pipe; messages that name the right file."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import query, snapshot
from thidua_cli.protected import forget, opened
from thidua_cli.store.db import SCHEMA_VERSION, translate_error

NEW_UNIT = "Đơn vị thêm sau sao lưu"


def thidua(*args: str) -> list[str]:
    return [sys.executable, "-m", "thidua_cli", *args]


def environment(path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "THIDUA_LANG"}
    return {**env, "THIDUA_DB": str(path)}


def damage(path: Path) -> None:
    """Overwrite the page of an index with noise (the file stays an SQLite file)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'audit_unit'").fetchone()[
        0
    ]
    conn.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))


def units(path: Path) -> list[str]:
    return [r[0] for r in query(path, "SELECT name FROM unit ORDER BY name")]


# ---------------------------------------------------------------- never over the database


def test_awards_o_is_refused_onto_the_database_through_a_symbolic_link(run, sample, tmp_path):
    before = snapshot(sample)
    (tmp_path / "de-nghi.csv").symlink_to(sample)
    result = run("awards", "--year", "2020", "--format", "csv", "-o", str(tmp_path / "de-nghi.csv"))
    assert result.exit_code == 3
    assert result.stderr == (
        f"Lỗi: {tmp_path / 'de-nghi.csv'} chính là cơ sở dữ liệu {sample}; không có gì được "
        "ghi. Hãy chọn tệp khác.\n"
    )
    assert snapshot(sample) == before


def test_o_is_refused_onto_a_database_named_like_the_output(run, sample, tmp_path):
    # a database called .csv, written back through `..` and through a hard link
    data = tmp_path / "so-lieu.csv"
    shutil.copyfile(sample, data)
    (tmp_path / "con").mkdir()
    os.link(data, tmp_path / "lien-ket.csv")
    before = snapshot(data)
    for target in (
        tmp_path / "con" / ".." / "so-lieu.csv",
        Path(os.path.relpath(data)),
        tmp_path / "lien-ket.csv",
    ):
        result = run("awards", "--year", "2020", "-o", str(target), "--db", str(data))
        assert result.exit_code == 3, result.output
        assert result.stderr == (
            f"Lỗi: {target} chính là cơ sở dữ liệu {data}; không có gì được ghi. "
            "Hãy chọn tệp khác.\n"
        )
    assert snapshot(data) == before
    assert query(data, "PRAGMA integrity_check") == [("ok",)]


def test_report_o_and_export_are_refused_onto_the_database(run, sample, tmp_path):
    before = snapshot(sample)
    (tmp_path / "bao-cao.md").symlink_to(sample)
    report = run("report", "--year", "2020", "-o", str(tmp_path / "bao-cao.md"))
    assert report.exit_code == 3
    assert report.stderr.startswith(f"Lỗi: {tmp_path / 'bao-cao.md'} chính là cơ sở dữ liệu ")
    export = run("export", str(sample))
    assert (export.exit_code, export.stderr) == (
        3,
        f"Lỗi: {sample} chính là cơ sở dữ liệu; không có gì được ghi. Hãy chọn tệp khác.\n",
    )
    wal = run("--lang", "en", "export", f"{sample}-wal")
    assert (wal.exit_code, wal.stderr) == (
        3,
        f"Error: {sample}-wal is the -wal file of the database {sample}; nothing was written. "
        "Choose another file.\n",
    )
    assert not Path(f"{sample}-wal").exists()
    assert snapshot(sample) == before


@pytest.mark.parametrize("companion", ["", "-wal", "-shm", "-journal"])
def test_backup_is_refused_onto_the_database_and_its_files(run, sample, tmp_path, companion):
    before = snapshot(sample)
    target = Path(f"{sample}{companion}")
    result = run("backup", str(target), "--replace")
    assert result.exit_code == 3
    if companion:
        assert result.stderr == (
            f"Lỗi: {target} là tệp {companion} của cơ sở dữ liệu {sample}; không có gì được "
            "ghi. Hãy chọn tệp khác.\n"
        )
        assert not target.exists()  # no "verified backup" that SQLite then deletes
    else:
        assert result.stderr == (
            f"Lỗi: {target} chính là cơ sở dữ liệu; không có gì được ghi. Hãy chọn tệp khác.\n"
        )
    assert snapshot(sample) == before


def test_backup_is_refused_onto_a_link_to_the_database(run, sample, tmp_path):
    before = snapshot(sample)
    (tmp_path / "ban-sao.db").symlink_to(sample)
    os.link(sample, tmp_path / "cung-tep.db")
    for name in ("ban-sao.db", "cung-tep.db"):
        result = run("backup", str(tmp_path / name), "--replace")
        assert result.exit_code == 3, result.output
        assert "chính là cơ sở dữ liệu" in result.stderr
    assert snapshot(sample) == before


# ---------------------------------------------------------------- restore


def add_unit_outside(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO unit (name, match_key) VALUES (?, 'them sau sao luu')", (NEW_UNIT,))


def backup_of(run, tmp_path: Path) -> Path:
    target = tmp_path / "sao-luu.db"
    assert run("backup", str(target)).exit_code == 0
    return target


def kept_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("thidua.before-restore-*.db"))


def test_restore_puts_the_backup_back_keeps_the_old_state_and_logs_it(run, sample, tmp_path):
    saved = backup_of(run, tmp_path)
    assert run("unit", "add", NEW_UNIT).exit_code == 0
    changed = snapshot(sample)
    result = run("restore", str(saved))
    assert result.exit_code == 0, result.output
    (kept,) = kept_files(tmp_path)
    assert re.fullmatch(r"thidua\.before-restore-\d{8}-\d{6}\.db", kept.name)
    assert result.stderr == (
        f"Đã khôi phục {sample} từ {saved} (đã kiểm tra bản sao lưu).\n"
        f"Cơ sở dữ liệu như trước khi khôi phục được giữ trong {kept}.\n"
    )
    assert NEW_UNIT not in units(sample)
    restored, expected = snapshot(sample), snapshot(saved)
    assert restored.pop("audit")[:-1] == expected.pop("audit")  # and one row more: the restore
    assert restored == expected
    assert query(sample, "SELECT tbl, action, json_extract(new, '$.kept') FROM audit")[-1] == (
        "backup",
        "import",
        str(kept),
    )
    assert snapshot(kept) == changed  # the replaced state, whole
    assert query(sample, "PRAGMA integrity_check") == [("ok",)]
    assert query(sample, "PRAGMA journal_mode") == [("wal",)]


def test_restore_is_safe_with_a_reader_open(run, sample, tmp_path):
    saved = backup_of(run, tmp_path)
    assert run("unit", "add", NEW_UNIT).exit_code == 0
    reader = sqlite3.connect(sample, isolation_level=None)
    try:
        reader.execute("BEGIN")
        seen = reader.execute("SELECT count(*) FROM unit").fetchone()[0]
        result = run("restore", str(saved))
        assert result.exit_code == 0, result.output
        # the reader keeps the snapshot it began with, then sees the restored file
        assert reader.execute("SELECT count(*) FROM unit").fetchone()[0] == seen
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM unit").fetchone()[0] == seen - 1
    finally:
        reader.close()
    assert NEW_UNIT not in units(sample)
    assert query(sample, "PRAGMA integrity_check") == [("ok",)]


def test_restore_wins_over_a_writer_with_uncheckpointed_changes(run, sample, tmp_path):
    saved = backup_of(run, tmp_path)
    writer = sqlite3.connect(sample, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")  # its change stays in the -wal
        add_unit_outside(writer)
        assert Path(f"{sample}-wal").stat().st_size > 0
        result = run("restore", str(saved))
        assert result.exit_code == 0, result.output
    finally:
        writer.close()  # the last connection checkpoints the -wal into the file
    assert NEW_UNIT not in units(sample)
    assert query(sample, "PRAGMA integrity_check") == [("ok",)]
    (kept,) = kept_files(tmp_path)
    assert NEW_UNIT in units(kept)  # the change the restore replaced is kept


def test_restore_is_not_undone_by_a_stale_wal_beside_the_database(run, sample, tmp_path):
    saved = backup_of(run, tmp_path)
    writer = sqlite3.connect(sample, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    add_unit_outside(writer)
    stale = tmp_path / "stale-wal"
    shutil.copyfile(f"{sample}-wal", stale)
    writer.close()
    # copied by hand, as the README used to say, the backup is undone by the stale -wal
    by_hand = tmp_path / "by-hand" / "thidua.db"
    by_hand.parent.mkdir()
    shutil.copyfile(saved, by_hand)
    shutil.copyfile(stale, f"{by_hand}-wal")
    assert NEW_UNIT in units(by_hand)
    # thidua restore, with the same stale -wal beside the database
    shutil.copyfile(stale, f"{sample}-wal")
    result = run("restore", str(saved))
    assert result.exit_code == 0, result.output
    assert NEW_UNIT not in units(sample)
    assert query(sample, "PRAGMA integrity_check") == [("ok",)]
    assert snapshot(sample)["unit"] == snapshot(saved)["unit"]


def test_restore_into_a_new_file_keeps_nothing(run, sample, tmp_path):
    target = tmp_path / "moi" / "tinh.db"
    target.parent.mkdir()
    result = run("restore", str(sample), "--db", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Đã khôi phục {target} từ {sample} (đã kiểm tra bản sao lưu).\n"
    assert units(target) == units(sample)
    assert sorted(p.name for p in target.parent.iterdir()) == ["tinh.db"]


def test_restore_while_another_writes_waits_then_gives_up(run, sample, tmp_path, monkeypatch):
    saved = backup_of(run, tmp_path)
    before = snapshot(sample)
    monkeypatch.setenv("THIDUA_BUSY_TIMEOUT", "200")
    holder = sqlite3.connect(sample, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        result = run("restore", str(saved))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (result.exit_code, result.stderr) == (
        4,
        f"Lỗi: Cơ sở dữ liệu {sample} đang bận: một thidua khác đang ghi. Hãy thử lại.\n",
    )
    assert kept_files(tmp_path) == []
    assert snapshot(sample) == before


def _not_sqlite(path: Path) -> None:
    path.write_text("Năm,Cụm\n2020,Cụm I\n", encoding="utf-8")


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


@pytest.mark.parametrize(
    ("kind", "spoil", "message"),
    [
        (
            "not-a-database",
            _not_sqlite,
            "{path} không phải cơ sở dữ liệu thidua; không khôi phục gì.",
        ),
        ("damaged", damage, "{path} bị hỏng ("),
        (
            "newer",
            _newer,
            f"{{path}} được ghi bởi phiên bản thidua mới hơn (lược đồ {SCHEMA_VERSION + 1}, bản "
            f"này biết đến {SCHEMA_VERSION}); không khôi phục gì. Hãy nâng cấp thidua trước.",
        ),
        (
            "missing",
            lambda path: path.unlink(),
            "Không có bản sao lưu tại {path}; không khôi phục gì.",
        ),
    ],
)
def test_a_bad_backup_is_refused_and_nothing_changes(run, sample, tmp_path, kind, spoil, message):
    saved = backup_of(run, tmp_path)
    spoil(saved)
    assert run("unit", "add", NEW_UNIT).exit_code == 0
    before = snapshot(sample)
    files = sorted(p.name for p in tmp_path.iterdir())
    result = run("restore", str(saved))
    assert result.exit_code == 5
    expected = "Lỗi: " + message.format(path=saved)
    assert result.stderr.startswith(expected)
    assert "không khôi phục gì." in result.stderr
    assert snapshot(sample) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no copy kept: nothing done


def test_restore_refuses_the_database_itself(run, sample):
    before = snapshot(sample)
    result = run("restore", str(sample))
    assert (result.exit_code, result.stderr) == (
        3,
        f"Lỗi: {sample} là một tệp của chính cơ sở dữ liệu {sample}; hãy khôi phục từ một "
        "bản sao lưu.\n",
    )
    assert snapshot(sample) == before


# ---------------------------------------------------------------- backups: leftovers, damage


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_backups_temporary_files_are_cleared_by_the_next(run, sample, tmp_path):
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    dead = _dead_pid()
    left = [f".thidua-backup-{dead}-x1y2z3.db", f".thidua-backup-{dead}-x1y2z3.db-journal"]
    alive = f".thidua-backup-{os.getppid()}-a1b2c3.db"  # a running process's: still being written
    unknown = ".thidua-backup-q9w8e7.db"  # no process named: not ours to remove
    for name in [*left, alive, unknown]:
        (folder / name).write_bytes(b"half a copy")
    result = run("backup", str(folder / "thidua.db"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted([alive, unknown, "thidua.db"])


def test_a_backup_of_a_damaged_database_blames_the_database(run, sample, tmp_path):
    damage(sample)
    target = tmp_path / "sao-luu.db"
    result = run("backup", str(target))
    assert (result.exit_code, result.stderr) == (
        5,
        f"Lỗi: {sample} bị hỏng; không ghi bản sao lưu nào. Xem `thidua check` và khôi phục từ "
        "một bản sao lưu trước đó (thidua restore).\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thidua.db"]


def test_init_on_a_damaged_file_does_not_call_it_up_to_date(run, sample):
    damage(sample)
    data = sample.read_bytes()
    result = run("init")
    assert (result.exit_code, result.stderr) == (
        5,
        f"Lỗi: {sample} bị hỏng; không có gì được ghi. Xem `thidua check` và khôi phục từ bản "
        "sao lưu.\n",
    )
    assert sample.read_bytes() == data


# ---------------------------------------------------------------- --db that is not a file


@pytest.mark.parametrize(
    "args",
    [
        ["init"],
        ["unit", "list"],
        ["rank", "-c", "Cụm I", "-y", "2020"],
        ["rank", "-c", "Cụm I", "-y", "2020", "-o", "xep-hang.csv"],
        ["log"],
        ["check"],
        ["backup", "sao-luu.db"],
        ["export", "goi.json"],
        ["unit", "add", "Đơn vị"],
    ],
)
def test_a_folder_as_db_is_the_same_exit_code_for_every_command(run, tmp_path, args):
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    result = run(*args, "--db", str(folder))
    assert (result.exit_code, result.stderr) == (
        5,
        f"Lỗi: {folder} là thư mục, không phải cơ sở dữ liệu.\n",
    )
    assert list(folder.iterdir()) == []


def test_a_pipe_as_db_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "ong"
    os.mkfifo(fifo)
    for args in (["unit", "list"], ["init"], ["rank", "-c", "Cụm I", "-y", "2020"]):
        done = subprocess.run(
            thidua(*args, "--db", str(fifo)),
            env=environment(tmp_path / "khong-dung.db"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (done.returncode, done.stderr) == (
            5,
            f"Lỗi: {fifo} không phải tệp thường (là ống dẫn hoặc thiết bị), không phải cơ sở "
            "dữ liệu.\n",
        )


# ---------------------------------------------------------------- -o: replaced, into a pipe


def test_o_says_when_it_replaced_a_file(run, sample, tmp_path):
    target = tmp_path / "de-nghi.csv"
    first = run("awards", "--year", "2020", "-o", str(target))
    assert first.exit_code == 0, first.output
    assert first.stderr.splitlines()[0] == f"Đã ghi 10 đề nghị vào {target}."
    again = run("awards", "--year", "2020", "-o", str(target))
    assert again.stderr.splitlines()[0] == f"Đã ghi 10 đề nghị vào {target} (thay tệp đã có)."
    english = run("--lang", "en", "unit", "list", "-o", str(tmp_path / "don-vi.json"))
    assert english.stderr == f"Wrote {tmp_path / 'don-vi.json'}.\n"
    english = run("--lang", "en", "unit", "list", "-o", str(tmp_path / "don-vi.json"))
    assert english.stderr == f"Wrote {tmp_path / 'don-vi.json'} (replaced the existing file).\n"
    bundle = tmp_path / "goi.json"
    assert run("export", str(bundle)).stderr.endswith("điểm.\n")
    assert run("export", str(bundle)).stderr.endswith("điểm (thay tệp đã có).\n")


def test_o_dev_stdout_writes_into_a_pipe(sample, tmp_path):
    done = subprocess.run(
        thidua("awards", "--year", "2020", "-f", "csv", "-o", "/dev/stdout"),
        env=environment(sample),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.lstrip("\ufeff").startswith("Năm,Cụm thi đua,Đơn vị,")
    assert len(done.stdout.splitlines()) == 11
    assert done.stderr.startswith("Đã ghi 10 đề nghị vào /dev/stdout.\n")


# ---------------------------------------------------------------- messages name the file


def test_an_sqlite_error_never_names_an_empty_path(tmp_path):
    forget()
    busy = translate_error(sqlite3.OperationalError("database is locked"))
    assert busy.message == "Cơ sở dữ liệu đang bận: một thidua khác đang ghi. Hãy thử lại."
    damaged = translate_error(sqlite3.DatabaseError("database disk image is malformed"))
    assert damaged.message == (
        "Cơ sở dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu (database disk image is malformed)."
    )
    other = translate_error(sqlite3.OperationalError("disk I/O error"))
    assert "  " not in other.message
    opened(tmp_path / "tinh.db")  # once a command opened its database, the message names it
    try:
        named = translate_error(sqlite3.OperationalError("database is locked"))
        assert named.message == (
            f"Cơ sở dữ liệu {tmp_path / 'tinh.db'} đang bận: một thidua khác đang ghi. Hãy thử lại."
        )
    finally:
        forget()
