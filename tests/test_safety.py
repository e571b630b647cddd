"""The audit log, locks, backup and check, through the commands."""

import json
import sqlite3

import pytest

from conftest import query, snapshot
from test_scores import write


def log(run, *args):
    result = run("log", "-f", "json", "--limit", "0", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- audit


def test_every_change_is_logged_with_who_when_command_and_values(run, draft_sample):
    result = run("score", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--criterion", "T.1",
                 "--points", "2.5")  # fmt: skip
    assert result.exit_code == 0, result.output
    entry = log(run, "--unit", "BIDV")[-1]
    assert entry["user"]
    assert entry["command"] == (
        "thidua score set -c 'Cụm I' -y 2020 -u BIDV --criterion T.1 --points 2.5"
    )
    assert (entry["table"], entry["action"], entry["cluster"], entry["year"]) == (
        "score",
        "update",
        "Cụm I - Các tổ chức tín dụng",
        2020,
    )
    assert entry["unit"] == "Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn"
    assert (entry["old"]["points"], entry["new"]["points"]) == (100, 250)
    table = run("log", "--unit", "BIDV", "-n", "1").stdout
    assert "điểm: sửa" in table and "points: 1,00 → 2,50" in table


def test_the_log_filters_by_cluster_year_and_unit(run, draft_sample):
    run("flag", "add", "-y", "2020", "-u", "BIDV", "--reason", "Chưa hoàn thành")
    run("flag", "add", "-y", "2021", "-u", "Agribank", "--reason", "Khác")
    by_year = log(run, "--year", "2021", "--unit", "Agribank")
    assert [(e["table"], e["new"]["reason"]) for e in by_year if e["table"] == "flag"] == [
        ("flag", "Khác")
    ]
    cluster = log(run, "--cluster", "Cụm II", "--year", "2020")
    assert cluster and all(e["cluster"].startswith("Cụm thi đua II") for e in cluster)
    assert len(log(run)) > len(cluster)
    assert len(json.loads(run("log", "-f", "json", "-n", "3").stdout)) == 3


def test_an_import_logs_one_summary_and_each_replaced_score(run, draft_sample, tmp_path):
    before = len(log(run))
    data = write(tmp_path, "diem.csv", "unit,criterion,points\nBIDV,T.1,2\nBIDV,T.2,1\n")
    result = run("score", "import", str(data), "-c", "Cụm I", "-y", "2020", "--replace")
    assert result.exit_code == 0, result.output
    entries = log(run)[before:]
    assert [(e["table"], e["action"]) for e in entries] == [
        ("score", "update"),  # T.1 was 1, now 2
        ("score", "import"),
    ]
    assert entries[1]["new"] == {"file": str(data), "period": "year", "scores": 2, "replace": True}


def test_the_log_is_append_only_and_sees_changes_made_outside_thidua(run, sample):
    conn = sqlite3.connect(sample)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET user = 'ai đó'")
    with conn:
        conn.execute("UPDATE unit SET short_name = 'BIDV' WHERE short_name = 'BIDV Lạng Sơn'")
    conn.close()
    entry = log(run)[-1]
    assert (entry["user"], entry["command"], entry["action"]) == (
        "outside thidua",
        "outside thidua",
        "update",
    )
    assert entry["old"]["short_name"] == "BIDV Lạng Sơn" and entry["new"]["short_name"] == "BIDV"


def test_a_refused_command_logs_nothing(run, draft_sample):
    before = snapshot(draft_sample)
    result = run("score", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--criterion", "T.1",
                 "--points", "99")  # fmt: skip
    assert result.exit_code == 3
    assert snapshot(draft_sample) == before


# ---------------------------------------------------------------- locks

LOCKED_MESSAGE = (
    "Lỗi: Cụm I - Các tổ chức tín dụng đã khóa năm 2020: không thể thay đổi điểm, phiếu bình"
    " xét, đánh dấu, xếp loại, quy định và thành viên. Hãy mở khóa trước: thidua unlock"
    " --cluster ... --year 2020 --reason ...\n"
)
REFUSED_WHEN_LOCKED = [
    ["score", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--criterion", "T.1",
     "--points", "2"],
    ["vote", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--votes", "3"],
    ["flag", "add", "-y", "2020", "-u", "BIDV", "--reason", "Kỷ luật"],
    ["policy", "set", "-c", "Cụm I", "-y", "2020", "--bang-khen-quota", "2"],
    ["cluster", "join", "Cụm I", "Sở Tư pháp", "-y", "2020"],
    ["cluster", "leave", "Cụm I", "BIDV", "-y", "2020"],
]  # fmt: skip


@pytest.fixture
def locked(run, draft_sample):
    result = run("lock", "-c", "Cụm I", "-y", "2020")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Đã khóa Cụm I - Các tổ chức tín dụng năm 2020.\n"
    return draft_sample


@pytest.mark.parametrize("args", REFUSED_WHEN_LOCKED, ids=lambda a: " ".join(a[:2]))
def test_a_locked_cluster_year_refuses_changes(run, locked, args):
    before = snapshot(locked)
    result = run(*args)
    assert result.exit_code == 3
    assert result.stderr == LOCKED_MESSAGE
    assert snapshot(locked) == before


def test_a_year_wide_rule_is_refused_while_a_cluster_of_that_year_is_locked(run, locked):
    before = snapshot(locked)
    result = run("policy", "set", "--all-clusters", "-y", "2020", "--co-thi-dua-quota", "2")
    assert result.exit_code == 3
    assert result.stderr.startswith("Lỗi: Cụm I - Các tổ chức tín dụng đã khóa năm 2020")
    assert snapshot(locked) == before


def test_other_cluster_years_stay_open_and_reads_work(run, locked):
    assert (
        run(
            "vote", "set", "-c", "Cụm II", "-y", "2020", "-u", "Ga Đồng Đăng", "--votes", "4"
        ).exit_code
        == 0
    )
    assert run("rank", "-c", "Cụm I", "-y", "2020").exit_code == 0
    assert run("awards", "-y", "2020", "-f", "csv").exit_code == 0


def test_the_database_itself_refuses_a_change_to_a_locked_cluster_year(locked):
    conn = sqlite3.connect(locked)
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        conn.execute("UPDATE score SET points = 0 WHERE cluster_id = 1 AND year = 2020")
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        conn.execute("DELETE FROM membership WHERE cluster_id = 1 AND year = 2020")
    conn.close()


def test_unlock_needs_a_reason_and_logs_it(run, locked):
    refused = run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", " ")
    assert refused.exit_code == 3
    assert refused.stderr == "Lỗi: Hãy ghi lý do mở khóa (--reason).\n"
    result = run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", "Sửa điểm theo biên bản")
    assert result.exit_code == 0, result.output
    entry = log(run, "--cluster", "Cụm I", "--year", "2020")[-1]
    assert (entry["table"], entry["action"], entry["new"]) == (
        "cluster_lock",
        "unlock",
        {"reason": "Sửa điểm theo biên bản"},
    )
    assert run(*REFUSED_WHEN_LOCKED[0]).exit_code == 0
    assert query(locked, "SELECT count(*) FROM cluster_lock") == [(0,)]


def test_locking_twice_and_unlocking_what_is_open_are_refused(run, locked):
    again = run("lock", "-c", "Cụm I", "-y", "2020")
    assert (again.exit_code, again.stderr) == (
        3,
        "Lỗi: Cụm I - Các tổ chức tín dụng đã khóa năm 2020 rồi.\n",
    )
    open_one = run("unlock", "-c", "Cụm II", "-y", "2020", "--reason", "x")
    assert open_one.exit_code == 3
    assert open_one.stderr == (
        "Lỗi: Cụm thi đua II - Các doanh nghiệp Trung ương không bị khóa năm 2020.\n"
    )


# ---------------------------------------------------------------- backup and check


def test_backup_copies_and_verifies(run, sample, tmp_path):
    target = tmp_path / "sao-luu" / "thidua-2020.db"
    target.parent.mkdir()
    result = run("backup", str(target))
    assert result.exit_code == 0, result.output
    # the size in the Vietnamese way: 299.008 byte
    size = f"{target.stat().st_size:,}".replace(",", ".")
    assert result.stderr == (
        f"Đã sao lưu {sample} vào {target} ({size} byte) và kiểm tra bản sao.\n"
    )
    assert "." in size
    assert query(target, "PRAGMA integrity_check") == [("ok",)]
    assert query(target, "PRAGMA journal_mode") == [("delete",)]
    assert snapshot(target) == snapshot(sample)
    assert sorted(p.name for p in target.parent.iterdir()) == ["thidua-2020.db"]
    refused = run("backup", str(target))
    assert refused.exit_code == 3
    assert refused.stderr == f"Lỗi: {target} đã có; dùng --replace để ghi đè.\n"
    assert run("backup", str(target), "--replace").exit_code == 0


def test_backup_refuses_the_database_itself_and_a_missing_folder(run, sample, tmp_path):
    itself = run("backup", str(sample), "--replace")
    assert (itself.exit_code, itself.stderr) == (
        3,
        f"Lỗi: {sample} chính là cơ sở dữ liệu; không có gì được ghi. Hãy chọn tệp khác.\n",
    )
    missing = run("backup", str(tmp_path / "khong-co" / "x.db"))
    assert missing.exit_code == 6
    assert missing.stderr.startswith("Lỗi: ")


def test_check_on_a_sound_database(run, sample):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Lưu ý: Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn"
        " chưa ghi nhận Trưởng cụm năm 2017.",
        f"{sample}: không phát hiện hư hỏng (1 lưu ý).",
    ]
    data = json.loads(run("check", "-f", "json").stdout)
    assert [f["severity"] for f in data] == ["warning"]


def test_check_finds_a_broken_link_made_outside_thidua(run, sample):
    conn = sqlite3.connect(sample)  # foreign keys are off by default in a plain connection
    with conn:
        conn.execute("DELETE FROM audit_context")
        conn.execute("INSERT INTO flag (unit_id, year, reason) VALUES (9999, 2020, 'mồ côi')")
    conn.close()
    result = run("check")
    assert result.exit_code == 5
    assert (
        "Lỗi: Dòng 1 của bảng flag trỏ đến một dòng không tồn tại của bảng unit." in result.stderr
    )
