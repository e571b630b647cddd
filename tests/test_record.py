"""The year's record (issue 13): a cluster's submission kept as records, the province's decisions
bound to it, their revocation, `unlock` withdrawing it, what `thidua check` finds, the database's
own guards, and migration 7 of a database made before the records.

Every refusal is held to its message, its exit code and a database left exactly as it was.
"""

import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLE_2020, query, snapshot
from thidua_cli.cli.app import app
from thidua_cli.i18n import set_language
from thidua_cli.rules.text import fold_key
from thidua_cli.store.db import APPLICATION_ID, SCHEMA_VERSION
from thidua_cli.store.migrations import MIGRATION_7_COMMAND, MIGRATIONS

THAM_MUU = "Cụm thi đua các cơ quan tham mưu tổng hợp"
CUM_I = "Cụm I - Các tổ chức tín dụng"
HDND = "Văn phòng HĐND tỉnh"
NOI_VU = "Sở Nội vụ"
UBND = "Văn phòng UBND tỉnh"
CO = "Cờ thi đua của UBND tỉnh"
BK = "Bằng khen của Chủ tịch UBND tỉnh"
LOCKED_THAM_MUU = (
    f"Lỗi: {THAM_MUU} đã khóa năm 2020: không thể thay đổi điểm, phiếu bình xét, đánh dấu, xếp"
    " loại, quy định và thành viên. Hãy mở khóa trước: thidua unlock --cluster ... --year 2020"
    " --reason ...\n"
)
RECORD_FIXED = "thidua: a submitted record cannot change"


# ---------------------------------------------------------------- fixtures and helpers


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a database (its -wal included), through SQLite's backup."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The sample built once for the module: as loaded (the four 2020 reviews submitted), and
    with them withdrawn as conftest's draft_sample does; each test works on a copy."""
    folder = tmp_path_factory.mktemp("record")
    runner = CliRunner()
    submitted, draft = folder / "submitted.db", folder / "draft.db"
    result = runner.invoke(app, ["init", "--sample", "--db", str(submitted)])
    assert result.exit_code == 0, result.output
    _copy(submitted, draft)
    for cluster in SAMPLE_2020:
        args = ["unlock", "-c", cluster, "-y", "2020", "--reason", "Sửa số liệu"]
        result = runner.invoke(app, [*args, "--db", str(draft)])
        assert result.exit_code == 0, result.output
    set_language("vi")
    return {"submitted": submitted, "draft": draft}


@pytest.fixture
def sample(built, fresh_db: Path) -> Path:
    """conftest's `sample`, copied rather than built again."""
    _copy(built["submitted"], fresh_db)
    return fresh_db


@pytest.fixture
def draft_sample(built, fresh_db: Path) -> Path:
    """conftest's `draft_sample`, copied rather than built again."""
    _copy(built["draft"], fresh_db)
    return fresh_db


def ok(run, *args: str):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def refused(run, path: Path, *args: str, code: int = 3) -> str:
    """Run a command that must be refused: its stderr, once the database is shown untouched."""
    before = snapshot(path)
    result = run(*args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert snapshot(path) == before
    return result.stderr


def as_json(run, *args: str):
    return json.loads(ok(run, *args, "-f", "json").stdout)


def decide(run, unit: str, award: str, *extra: str):
    return run("decide", "--year", "2020", "--unit", unit, "--award", award, *extra)


def write_csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def decisions(path: Path, cluster_id: int | None = None) -> list[tuple]:
    """The decision_record view: what Datasette and the sqlite3 shell see."""
    return query(
        path,
        "SELECT version, submission_status, unit, award, granted, decision_no, decided_on,"
        " revoked_by, revoked_on, revoked_reason FROM decision_record"
        " WHERE ?1 IS NULL OR cluster_id = ?1 ORDER BY decision_id",
        (cluster_id,),
    )


# ---------------------------------------------------------------- the issue's sequence


def test_the_issues_sequence_decisions_hold_the_lock_until_revoked_then_version_2(run, sample):
    result = ok(run, "decide", "--year", "2020", "--unit", "Văn phòng HĐND", "--award",
                "co_thi_dua", "--decision", "125/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    assert result.stderr == f"{HDND}, {CO} năm 2020: 125/QĐ-UBND, 20/01/2021: được khen.\n"
    ok(run, "decide", "--year", "2020", "--unit", NOI_VU, "--award", "bang_khen",
       "--decision", "126/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip

    stderr = refused(run, sample, "lock", "--cluster", "tham mưu", "--year", "2020")
    assert stderr == f"Lỗi: {THAM_MUU} đã khóa năm 2020 rồi.\n"
    stderr = refused(run, sample, "unlock", "--cluster", "tham mưu", "--year", "2020",
                     "--reason", "sửa")  # fmt: skip
    assert stderr.splitlines() == [
        f"Lỗi: Không thể mở khóa {THAM_MUU} năm 2020: các quyết định khen thưởng theo hồ sơ đã"
        " nộp (lần 1) vẫn còn hiệu lực:",
        f"  - {HDND}: {CO}, 125/QĐ-UBND ngày 20/01/2021",
        f"  - {NOI_VU}: {BK}, 126/QĐ-UBND ngày 20/01/2021",
        "  - Quyết định đã bị hủy bỏ thì không còn hiệu lực: thidua decide revoke ...",
    ]
    flag = ["flag", "add", "--unit", "Văn phòng HĐND", "--year", "2020", "--reason", "Kỷ luật"]
    assert refused(run, sample, *flag) == LOCKED_THAM_MUU

    result = ok(run, "decide", "revoke", "--year", "2020", "--unit", "Văn phòng HĐND",
                "--decision", "200/QĐ-UBND", "--date", "01/03/2021",
                "--reason", "Kỷ luật")  # fmt: skip
    assert result.stderr == (
        f"{HDND}: {CO} năm 2020 (125/QĐ-UBND) bị hủy bỏ theo quyết định 200/QĐ-UBND ngày"
        " 01/03/2021.\n"
    )
    ok(run, "decide", "revoke", "--year", "2020", "--unit", NOI_VU, "--decision", "201/QĐ-UBND",
       "--date", "01/03/2021", "--reason", "Kỷ luật")  # fmt: skip

    result = ok(run, "unlock", "--cluster", "tham mưu", "--year", "2020", "--reason", "sửa")
    assert result.stderr == (
        f"Đã mở khóa {THAM_MUU} năm 2020.\n"
        "Hồ sơ đã nộp (lần 1) được rút lại và vẫn được lưu; hãy nộp lại khi đã sửa xong"
        " (thidua submit).\n"
    )
    assert query(
        sample, "SELECT version, status, withdrawn_reason FROM submission WHERE cluster_id = 3"
    ) == [(1, "withdrawn", "sửa")]
    assert query(sample, "SELECT count(*) FROM cluster_lock WHERE cluster_id = 3") == [(0,)]
    result = ok(run, *flag)
    assert result.stderr == f"Đã ghi nhận {HDND} không đủ điều kiện năm 2020: Kỷ luật\n"

    result = ok(run, "submit", "--cluster", "tham mưu", "--year", "2020", "--date", "10/03/2021")
    assert result.stderr == (
        f"Đã nộp hồ sơ tổng kết năm của {THAM_MUU}, năm 2020: lần 2, ngày 10/03/2021, 8 đơn vị"
        " được xếp hạng.\n"
        "Đề nghị: 1 Cờ thi đua, 2 Bằng khen.\n"
        f"{THAM_MUU} đã khóa năm 2020; muốn sửa, hãy mở khóa kèm lý do.\n"
    )
    assert query(
        sample,
        "SELECT version, status, submitted_on FROM submission WHERE cluster_id = 3 ORDER BY 1",
    ) == [(1, "withdrawn", "2021-01-14"), (2, "submitted", "2021-03-10")]

    awards = [a for a in as_json(run, "awards", "--year", "2020") if a["cluster"] == THAM_MUU]
    assert [
        (a["unit"], a["rank"], a["award_code"], a["status"], a["submission"]["version"])
        for a in awards
    ] == [
        (NOI_VU, 2, "co_thi_dua", "submitted", 2),
        (UBND, 3, "bang_khen", "submitted", 2),
        ("Sở Tài chính", 4, "bang_khen", "submitted", 2),
        (HDND, 1, "co_thi_dua", "withdrawn", 1),
        (NOI_VU, 2, "bang_khen", "withdrawn", 1),
    ]
    assert [a["decision"] for a in awards[:3]] == [None, None, None]
    assert awards[3]["decision"] == {
        "award": "co_thi_dua",
        "granted": "co_thi_dua",
        "number": "125/QĐ-UBND",
        "date": "2021-01-20",
        "approved": True,
        "version": 1,
        "revoked": {"number": "200/QĐ-UBND", "date": "2021-03-01", "reason": "Kỷ luật"},
    }
    assert awards[4]["decision"]["revoked"]["number"] == "201/QĐ-UBND"
    assert awards[3]["note"] == "Đề nghị trong hồ sơ lần 1, hồ sơ này đã rút"
    assert awards[3]["submission"] == {
        "version": 1,
        "date": "2021-01-14",
        "number": None,
        "status": "withdrawn",
        "withdrawn_reason": "sửa",
        "origin": "submit",
    }

    unit = as_json(run, "history", "--unit", "Văn phòng HĐND")
    year = unit["years"][0]
    assert (year["year"], year["status"], year["version"], year["award"], year["flags"]) == (
        2020,
        "submitted",
        2,
        None,
        ["Kỷ luật"],
    )
    assert [(d["number"], d["version"], d["revoked"]["number"]) for d in year["decisions"]] == [
        ("125/QĐ-UBND", 1, "200/QĐ-UBND")
    ]
    lines = ok(run, "history", "--unit", "Văn phòng HĐND", "-f", "csv").stdout.splitlines()
    assert lines[1] == (
        f'2020,{THAM_MUU},Thành viên,1,97,,"(lần 1) 125/QĐ-UBND, 20/01/2021: được khen; bị hủy'
        ' bỏ theo quyết định 200/QĐ-UBND, ngày 01/03/2021 (Kỷ luật)",Kỷ luật,member,'
    )

    cluster = as_json(run, "history", "--cluster", "tham mưu")["years"][0]
    assert cluster["status"] == "submitted"
    assert [(s["version"], s["status"], s["withdrawn_reason"]) for s in cluster["submissions"]] == [
        (1, "withdrawn", "sửa"),
        (2, "submitted", None),
    ]
    assert [(p["unit"], p["award"], p["decision"]) for p in cluster["proposals"]] == [
        (NOI_VU, "co_thi_dua", None),
        (UBND, "bang_khen", None),
        ("Sở Tài chính", "bang_khen", None),
    ]
    assert [(d["version"], d["unit"], d["number"]) for d in cluster["earlier_decisions"]] == [
        (1, HDND, "125/QĐ-UBND"),
        (1, NOI_VU, "126/QĐ-UBND"),
    ]
    assert ok(run, "check").exit_code == 0  # version 2 stands, locked; nothing to report


# ---------------------------------------------------------------- decide


def test_a_decision_before_the_submission_is_refused_saying_so(run, draft_sample):
    stderr = refused(run, draft_sample, "decide", "--year", "2020", "--unit", "Văn phòng HĐND",
                     "--award", "co_thi_dua", "--decision", "125/QĐ-UBND",
                     "--date", "20/01/2021")  # fmt: skip
    assert stderr == (
        f"Lỗi: {THAM_MUU} chưa nộp hồ sơ tổng kết năm 2020: quyết định được ghi nhận theo đề"
        " nghị đã nộp. Hãy nộp hồ sơ trước (thidua submit --cluster ... --year 2020).\n"
    )


def test_another_form_granted_and_rejections_stand_beside_the_proposal(run, sample):
    result = ok(run, "decide", "--year", "2020", "--unit", "Văn phòng HĐND", "--award",
                "co_thi_dua", "--granted", "bang_khen", "--decision", "125/QĐ-UBND", "--date",
                "20/01/2021")  # fmt: skip
    assert result.stderr == (f"{HDND}, {CO} năm 2020: 125/QĐ-UBND, 20/01/2021: được khen {BK}.\n")
    result = ok(run, "decide", "--year", "2020", "--unit", NOI_VU, "--award", "bang_khen",
                "--rejected", "--date", "20/01/2021")  # fmt: skip
    assert result.stderr == f"{NOI_VU}, {BK} năm 2020: không số, 20/01/2021: không được khen.\n"
    ok(run, "decide", "--year", "2020", "--unit", UBND, "--award", "bang_khen", "--rejected",
       "--decision", "127/QĐ-UBND", "--date", "21/01/2021")  # fmt: skip

    assert decisions(sample) == [
        (1, "submitted", HDND, "co_thi_dua", "bang_khen", "125/QĐ-UBND", "2021-01-20",
         None, None, None),
        (1, "submitted", NOI_VU, "bang_khen", None, None, "2021-01-20", None, None, None),
        (1, "submitted", UBND, "bang_khen", None, "127/QĐ-UBND", "2021-01-21", None, None, None),
    ]  # fmt: skip
    # the proposals as submitted are untouched: the Cờ stays proposed for the HĐND office
    assert query(
        sample,
        "SELECT unit, award, granted, decision_no FROM submitted_proposal WHERE cluster_id = 3"
        " ORDER BY rank",
    ) == [
        (HDND, "co_thi_dua", "bang_khen", "125/QĐ-UBND"),
        (NOI_VU, "bang_khen", None, None),
        (UBND, "bang_khen", None, "127/QĐ-UBND"),
    ]
    awards = [a for a in as_json(run, "awards", "-y", "2020") if a["cluster"] == THAM_MUU]
    assert [
        (a["unit"], a["award_code"], a["decision"]["granted"], a["decision"]["approved"])
        for a in awards
    ] == [
        (HDND, "co_thi_dua", "bang_khen", True),
        (NOI_VU, "bang_khen", None, False),
        (UBND, "bang_khen", None, False),
    ]
    assert ok(run, "check").exit_code == 0  # another form granted is not a mismatch


# ---------------------------------------------------------------- decide import


@pytest.mark.parametrize(
    "header",
    ["Đơn vị,Hình thức,Được khen", "unit,award,granted", "Tên đơn vị,Đề nghị,Kết quả"],
)
def test_one_decision_for_a_list_records_every_line(run, sample, tmp_path, header):
    data = write_csv(
        tmp_path,
        "qd.csv",
        f"{header}\n"
        "Văn phòng HĐND,Cờ thi đua,\n"
        "Sở Nội vụ,bang_khen,\n"
        "Văn phòng UBND tỉnh,Bằng khen,không\n"
        "Agribank,co_thi_dua,bang_khen\n",
    )
    result = ok(run, "decide", "import", str(data), "--year", "2020", "--decision",
                "125/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    agribank = "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
    assert result.stderr.splitlines() == [
        "Đã ghi nhận quyết định 125/QĐ-UBND ngày 20/01/2021 cho 4 đơn vị:",
        f"  - {HDND}, {CO} năm 2020: 125/QĐ-UBND, 20/01/2021: được khen.",
        f"  - {NOI_VU}, {BK} năm 2020: 125/QĐ-UBND, 20/01/2021: được khen.",
        f"  - {UBND}, {BK} năm 2020: 125/QĐ-UBND, 20/01/2021: không được khen.",
        f"  - {agribank}, {CO} năm 2020: 125/QĐ-UBND, 20/01/2021: được khen {BK}.",
    ]
    assert [(d[2], d[3], d[4], d[5]) for d in decisions(sample)] == [
        (HDND, "co_thi_dua", "co_thi_dua", "125/QĐ-UBND"),
        (NOI_VU, "bang_khen", "bang_khen", "125/QĐ-UBND"),
        (UBND, "bang_khen", None, "125/QĐ-UBND"),
        (agribank, "co_thi_dua", "bang_khen", "125/QĐ-UBND"),
    ]


def test_a_list_with_bad_lines_records_nothing_and_names_every_line(run, sample, tmp_path):
    data = write_csv(
        tmp_path,
        "qd.csv",
        "unit,award,granted\n"
        "Agribank,co_thi_dua,\n"  # line 2: good
        "Sở Tài chính,bang_khen,\n"  # line 3: not proposed
        "BIDV,bang_khen,\n"  # line 4: good
        "Không có,co_thi_dua,\n"  # line 5: no such unit
        "Sở Nội vụ,bang_khen,Huân chương\n"  # line 6: no such form
        "Agribank,co_thi_dua,\n",  # line 7: twice
    )
    stderr = refused(run, sample, "decide", "import", str(data), "--year", "2020",
                     "--decision", "125/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    assert stderr.splitlines() == [
        "Lỗi: Không ghi nhận gì; 4 lỗi:",
        "  - dòng 3: Sở Tài chính không được đề nghị khen thưởng năm 2020 (xếp hạng 4 trong"
        f" {THAM_MUU}).",
        "  - dòng 5: Không có đơn vị “Không có”.",
        "  - dòng 6: “Huân chương” không phải là hình thức được khen; dùng co_thi_dua, bang_khen"
        " hoặc none.",
        "  - dòng 7: Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn đã có"
        " ở dòng 2.",
    ]
    assert decisions(sample) == []


@pytest.mark.parametrize(
    ("text", "extra", "message"),
    [
        ("unit,award\n", [], "Lỗi: Danh sách không có quyết định nào.\n"),
        ("tên,award\nBIDV,bang_khen\n", [],
         "Lỗi: Dòng tiêu đề thiếu cột: unit (đang có: tên, award).\n"),
        ("unit,award\nBIDV,bang_khen\n", ["--date", "31/12/2019"],
         "Lỗi: Quyết định khen thưởng năm 2020 không thể có ngày 31/12/2019, trước năm đó.\n"),
        ("unit,award\nBIDV,bang_khen\n", ["--decision", " "],
         "Lỗi: Số quyết định không được để trống.\n"),
    ],
    ids=["empty", "header", "date", "number"],
)  # fmt: skip
def test_a_list_refused_as_a_whole(run, sample, tmp_path, text, extra, message):
    data = write_csv(tmp_path, "qd.csv", text)
    options = {"--decision": "125/QĐ-UBND", "--date": "20/01/2021"}
    options.update(dict(zip(extra[::2], extra[1::2], strict=True)))
    args = [x for pair in options.items() for x in pair]
    assert refused(run, sample, "decide", "import", str(data), "-y", "2020", *args) == message


def test_a_list_before_the_submission_is_refused_line_by_line(run, draft_sample, tmp_path):
    data = write_csv(tmp_path, "qd.csv", "unit,award\nBIDV,bang_khen\n")
    stderr = refused(run, draft_sample, "decide", "import", str(data), "-y", "2020",
                     "--decision", "125/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    assert stderr.splitlines() == [
        "Lỗi: Không ghi nhận gì; 1 lỗi:",
        f"  - dòng 2: {CUM_I} chưa nộp hồ sơ tổng kết năm 2020: quyết định được ghi nhận theo"
        " đề nghị đã nộp. Hãy nộp hồ sơ trước (thidua submit --cluster ... --year 2020).",
    ]


# ---------------------------------------------------------------- revoke


@pytest.fixture
def decided(run, sample):
    """The HĐND office granted its Cờ (125/QĐ-UBND, 20/01/2021); Sở Nội vụ refused its Bằng
    khen."""
    ok(run, "decide", "-y", "2020", "-u", "Văn phòng HĐND", "--award", "co_thi_dua",
       "--decision", "125/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    ok(run, "decide", "-y", "2020", "-u", NOI_VU, "--award", "bang_khen", "--rejected",
       "--date", "20/01/2021")  # fmt: skip
    return sample


@pytest.mark.parametrize(
    ("unit", "year", "number", "date", "reason", "message"),
    [
        (NOI_VU, "2020", "9/QĐ", "01/03/2021", "Kỷ luật",
         f"Lỗi: {NOI_VU} không có khen thưởng nào được tặng năm 2020; không có gì để hủy bỏ.\n"),
        ("Sở Tài chính", "2020", "9/QĐ", "01/03/2021", "Kỷ luật",
         "Lỗi: Sở Tài chính không có khen thưởng nào được tặng năm 2020; không có gì để hủy"
         " bỏ.\n"),
        ("Văn phòng HĐND", "2021", "9/QĐ", "01/03/2021", "Kỷ luật",
         f"Lỗi: {HDND} không có khen thưởng nào được tặng năm 2021; không có gì để hủy bỏ.\n"),
        ("Văn phòng HĐND", "2020", "9/QĐ", "19/01/2021", "Kỷ luật",
         "Lỗi: Quyết định hủy bỏ không thể có ngày 19/01/2021, trước quyết định bị hủy"
         " (20/01/2021).\n"),
        ("Văn phòng HĐND", "2020", "  ", "01/03/2021", "Kỷ luật",
         "Lỗi: Số quyết định không được để trống.\n"),
        ("Văn phòng HĐND", "2020", "9/QĐ", "01/03/2021", " ",
         "Lỗi: Hãy ghi lý do hủy bỏ khen thưởng (--reason).\n"),
    ],
    ids=["rejected", "no-decision", "other-year", "before-decision", "no-number", "no-reason"],
)  # fmt: skip
def test_a_refused_revocation_says_why_and_writes_nothing(
    run, decided, unit, year, number, date, reason, message
):
    stderr = refused(run, decided, "decide", "revoke", "--year", year, "--unit", unit,
                     "--decision", number, "--date", date, "--reason", reason)  # fmt: skip
    assert stderr == message


def test_an_award_is_revoked_once_and_both_decisions_stay(run, decided):
    revoke = ["decide", "revoke", "-y", "2020", "-u", "Văn phòng HĐND", "--reason", "Kỷ luật"]
    ok(run, *revoke, "--decision", "9/QĐ", "--date", "20/01/2021")  # the same day is allowed
    stderr = refused(run, decided, *revoke, "--decision", "10/QĐ", "--date", "21/01/2021")
    assert stderr == (
        f"Lỗi: {HDND} không có khen thưởng nào được tặng năm 2020; không có gì để hủy bỏ.\n"
    )
    assert decisions(decided) == [
        (1, "submitted", HDND, "co_thi_dua", "co_thi_dua", "125/QĐ-UBND", "2021-01-20",
         "9/QĐ", "2021-01-20", "Kỷ luật"),
        (1, "submitted", NOI_VU, "bang_khen", None, None, "2021-01-20", None, None, None),
    ]  # fmt: skip
    # a revoked decision is not replaced by deciding again on the same proposal
    stderr = refused(run, decided, "decide", "-y", "2020", "-u", "Văn phòng HĐND", "--award",
                     "co_thi_dua", "--decision", "12/QĐ", "--date", "22/01/2021",
                     "--replace")  # fmt: skip
    assert stderr == (
        f"Lỗi: Quyết định 125/QĐ-UBND về {HDND} đã bị hủy bỏ theo quyết định 9/QĐ; cả hai được"
        " lưu và không thể thay.\n"
    )


def test_after_a_revocation_and_resubmission_version_2_can_be_decided(run, decided):
    ok(run, "decide", "revoke", "-y", "2020", "-u", "Văn phòng HĐND", "--decision", "9/QĐ",
       "--date", "01/02/2021", "--reason", "Sai điểm")  # fmt: skip
    ok(run, "unlock", "-c", "tham mưu", "-y", "2020", "--reason", "Sửa điểm")
    ok(run, "submit", "-c", "tham mưu", "-y", "2020", "--date", "05/02/2021")
    # version 2 still proposes the Cờ for the HĐND office: the province decides on it again
    result = run("decide", "-y", "2020", "-u", "Văn phòng HĐND", "--award", "co_thi_dua",
                 "--decision", "130/QĐ-UBND", "--date", "10/02/2021")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [(d[0], d[1], d[5], d[7]) for d in decisions(decided) if d[2] == HDND] == [
        (1, "withdrawn", "125/QĐ-UBND", "9/QĐ"),
        (2, "submitted", "130/QĐ-UBND", None),
    ]


def test_a_rejection_on_a_withdrawn_version_does_not_need_replace(run, decided):
    ok(run, "decide", "revoke", "-y", "2020", "-u", "Văn phòng HĐND", "--decision", "9/QĐ",
       "--date", "01/02/2021", "--reason", "Sai điểm")  # fmt: skip
    ok(run, "unlock", "-c", "tham mưu", "-y", "2020", "--reason", "Sửa điểm")
    ok(run, "submit", "-c", "tham mưu", "-y", "2020", "--date", "05/02/2021")
    # version 2 proposes the Bằng khen for Sở Nội vụ again; version 1's refusal is history
    result = run("decide", "-y", "2020", "-u", NOI_VU, "--award", "bang_khen",
                 "--decision", "131/QĐ-UBND", "--date", "10/02/2021")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [(d[0], d[1], d[4], d[5]) for d in decisions(decided) if d[2] == NOI_VU] == [
        (1, "withdrawn", None, None),
        (2, "submitted", "bang_khen", "131/QĐ-UBND"),
    ]


# ---------------------------------------------------------------- submit


@pytest.mark.parametrize(
    ("state", "args", "lines"),
    [
        ("sample", ["-c", "Cụm I", "-y", "2021"],
         [f"Lỗi: {CUM_I} chưa có điểm năm 2021 (tổng kết năm); chưa có gì để nộp.\n"]),
        ("sample", ["-c", "tham mưu", "-y", "2020"],
         [f"Lỗi: {THAM_MUU} đã nộp hồ sơ năm 2020 (tổng kết năm): lần 1, ngày 14/01/2021.\n"
          "  - Muốn nộp bản sửa, hãy mở khóa kèm lý do (thidua unlock ...): hồ sơ lần 1 được"
          " rút lại và vẫn lưu trong hồ sơ.\n"]),
        ("sample", ["-c", "tham mưu", "-y", "2020", "--reason", "Sửa"],
         [f"Lỗi: {THAM_MUU} đã nộp hồ sơ năm 2020 (tổng kết năm): lần 1, ngày 14/01/2021.\n"
          "  - Muốn nộp bản sửa, hãy mở khóa kèm lý do (thidua unlock ...): hồ sơ lần 1 được"
          " rút lại và vẫn lưu trong hồ sơ.\n"]),
        ("draft_sample", ["-c", "tham mưu", "-y", "2020", "--date", "31/12/2019"],
         ["Lỗi: Hồ sơ bình xét năm 2020 không thể có ngày 31/12/2019, trước năm đó.\n"]),
        ("draft_sample", ["-c", "tham mưu", "-y", "2020", "--reason", "Sửa"],
         ["Lỗi: --reason dùng khi nộp lại hồ sơ sơ kết 6 tháng; chưa có lần nộp nào trước.\n"]),
        ("draft_sample", ["-c", "tham mưu", "-y", "2020", "--reason", " "],
         ["Lỗi: Lý do không được để trống.\n"]),
    ],
    ids=["no-scores", "already-submitted", "already-submitted-reason", "before-the-year",
         "reason-without-earlier", "empty-reason"],
)  # fmt: skip
def test_a_refused_submission_says_why_and_writes_nothing(request, run, state, args, lines):
    path = request.getfixturevalue(state)
    assert refused(run, path, "submit", *args) == "".join(lines)


def test_a_tie_that_decides_an_award_holds_the_submission_back(run, draft_sample):
    ok(run, "score", "set", "-c", "tham mưu", "-y", "2020", "-u", NOI_VU, "-k", "T.1", "-p", "2")
    stderr = refused(run, draft_sample, "submit", "-c", "tham mưu", "-y", "2020")
    assert stderr.splitlines() == [
        "Lỗi: Còn đồng hạng chưa phân định ảnh hưởng đến khen thưởng; hãy phân định trước"
        " (thidua vote set hoặc thidua policy set --tie-break) rồi mới nộp:",
        f"  - hạng 1: {NOI_VU}, {HDND}",
    ]
    # the votes settle it: then it goes through
    for unit, votes in ((NOI_VU, "5"), ("Văn phòng HĐND", "6")):
        ok(run, "vote", "set", "-c", "tham mưu", "-y", "2020", "-u", unit, "--votes", votes)
    ok(run, "submit", "-c", "tham mưu", "-y", "2020", "--date", "15/01/2021")
    assert query(
        draft_sample,
        "SELECT unit, rank, tied, votes, award FROM submitted_ranking WHERE cluster_id = 3"
        " AND status = 'submitted' ORDER BY position LIMIT 3",
    ) == [
        (HDND, 1, 0, 6, "co_thi_dua"),
        (NOI_VU, 2, 0, 5, "bang_khen"),
        (UBND, 3, 0, None, "bang_khen"),
    ]


def test_a_submission_keeps_the_ranking_and_locks_the_cluster_year(run, draft_sample):
    result = ok(run, "submit", "-c", "tham mưu", "-y", "2020", "--date", "2021-01-15",
                "--number", " 05/TTr-CTĐ ")  # fmt: skip
    assert result.stderr.splitlines()[0] == (
        f"Đã nộp hồ sơ tổng kết năm của {THAM_MUU}, năm 2020: lần 2, ngày 15/01/2021, 8 đơn vị"
        " được xếp hạng."
    )
    assert query(
        draft_sample,
        "SELECT version, status, submitted_on, number, members, co_thi_dua_quota,"
        " bang_khen_quota, origin FROM submission WHERE cluster_id = 3 ORDER BY version",
    ) == [
        (1, "withdrawn", "2021-01-14", None, 8, 1, 2, "submit"),
        (2, "submitted", "2021-01-15", "05/TTr-CTĐ", 8, 1, 2, "submit"),
    ]
    # version 2 holds the same ranking as version 1: nothing changed in between
    ranked = (
        "SELECT position, unit_id, rank, total, award FROM submission_row WHERE submission_id ="
        " (SELECT id FROM submission WHERE cluster_id = 3 AND version = {}) ORDER BY position"
    )
    assert query(draft_sample, ranked.format(2)) == query(draft_sample, ranked.format(1))
    assert query(draft_sample, "SELECT count(*) FROM cluster_lock WHERE cluster_id = 3") == [(1,)]
    score = ["score", "set", "-c", "tham mưu", "-y", "2020", "-u", NOI_VU, "-k", "T.1", "-p", "2"]
    assert refused(run, draft_sample, *score).startswith(f"Lỗi: {THAM_MUU} đã khóa năm 2020")


def test_a_cluster_year_locked_by_hand_is_submitted_and_stays_locked(run, draft_sample):
    ok(run, "lock", "-c", "tham mưu", "-y", "2020")
    result = ok(run, "submit", "-c", "tham mưu", "-y", "2020", "--date", "15/01/2021")
    assert result.stderr.splitlines() == [
        f"Đã nộp hồ sơ tổng kết năm của {THAM_MUU}, năm 2020: lần 2, ngày 15/01/2021, 8 đơn vị"
        " được xếp hạng.",
        "Đề nghị: 1 Cờ thi đua, 2 Bằng khen.",
    ]  # nothing about locking: it was locked already
    assert query(draft_sample, "SELECT count(*) FROM cluster_lock WHERE cluster_id = 3") == [(1,)]
    result = ok(run, "unlock", "-c", "tham mưu", "-y", "2020", "--reason", "Sửa")
    assert query(
        draft_sample, "SELECT version, status FROM submission WHERE cluster_id = 3 ORDER BY 1"
    ) == [(1, "withdrawn"), (2, "withdrawn")]
    stderr = refused(run, draft_sample, "unlock", "-c", "tham mưu", "-y", "2020", "--reason", "Sửa")
    assert stderr == f"Lỗi: {THAM_MUU} không bị khóa năm 2020.\n"


def test_a_half_year_submission_proposes_nothing_locks_nothing_and_needs_a_reason_again(
    run, draft_sample
):
    for unit, points in ((NOI_VU, "2"), ("Sở Tư pháp", "1")):
        ok(run, "score", "set", "-c", "tham mưu", "-y", "2020", "-u", unit, "-k", "T.1",
           "-p", points, "--period", "half")  # fmt: skip
    half = ["submit", "-c", "tham mưu", "-y", "2020", "--period", "half"]
    result = ok(run, *half, "--date", "10/07/2020")
    assert result.stderr == (
        f"Đã nộp hồ sơ sơ kết 6 tháng của {THAM_MUU}, năm 2020: lần 1, ngày 10/07/2020, 2 đơn vị"
        " được xếp hạng.\n"
    )
    rows = query(
        draft_sample,
        "SELECT unit, rank, total, award, pending_awards FROM submitted_ranking"
        " WHERE cluster_id = 3 AND period = 'half' ORDER BY position",
    )
    assert rows[:3] == [(NOI_VU, 1, 2.0, None, "[]"), ("Sở Tư pháp", 2, 1.0, None, "[]"),
                        ("Sở Kế hoạch và Đầu tư", None, 0.0, None, "[]")]  # fmt: skip
    assert len(rows) == 8 and all(r[3] is None for r in rows)
    assert query(draft_sample, "SELECT count(*) FROM cluster_lock WHERE cluster_id = 3") == [(0,)]

    stderr = refused(run, draft_sample, *half, "--date", "11/07/2020")
    assert stderr.splitlines() == [
        f"Lỗi: {THAM_MUU} đã nộp hồ sơ năm 2020 (sơ kết 6 tháng): lần 1, ngày 10/07/2020.",
        "  - Muốn nộp lại, hãy ghi lý do bằng --reason: hồ sơ lần 1 vẫn được lưu, ở trạng thái"
        " đã rút.",
    ]
    result = ok(run, *half, "--date", "11/07/2020", "--reason", "Sửa điểm")
    assert result.stderr.splitlines()[-1] == "Hồ sơ lần 1 đã được rút lại."
    assert query(
        draft_sample,
        "SELECT version, status, withdrawn_reason, submitted_on FROM submission"
        " WHERE cluster_id = 3 AND period = 'half' ORDER BY version",
    ) == [(1, "withdrawn", "Sửa điểm", "2020-07-10"), (2, "submitted", None, "2020-07-11")]
    # the year-end review is still open to change: a half-year submission locks nothing
    ok(run, "score", "set", "-c", "tham mưu", "-y", "2020", "-u", NOI_VU, "-k", "T.1", "-p", "1.5")


# ---------------------------------------------------------------- the database's own guards


@pytest.fixture
def guarded(run, draft_sample):
    """tham mưu 2020 submitted again (version 2) with a Cờ granted, a Bằng khen refused and a
    Bằng khen granted then revoked; Cụm I's version 1 withdrawn; Cụm II's half-year submitted."""
    ok(run, "submit", "-c", "tham mưu", "-y", "2020", "--date", "15/01/2021")
    ok(run, "decide", "-y", "2020", "-u", "Văn phòng HĐND", "--award", "co_thi_dua",
       "--decision", "125/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    ok(run, "decide", "-y", "2020", "-u", NOI_VU, "--award", "bang_khen", "--rejected",
       "--date", "20/01/2021")  # fmt: skip
    ok(run, "decide", "-y", "2020", "-u", UBND, "--award", "bang_khen", "--decision",
       "126/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    ok(run, "decide", "revoke", "-y", "2020", "-u", UBND, "--decision", "200/QĐ-UBND",
       "--date", "01/03/2021", "--reason", "Kỷ luật")  # fmt: skip
    ok(run, "score", "set", "-c", "Cụm II", "-y", "2020", "-u", "Ga Đồng Đăng", "-k", "T.1",
       "-p", "1", "--period", "half")  # fmt: skip
    ok(run, "submit", "-c", "Cụm II", "-y", "2020", "--period", "half", "--date", "10/07/2020")
    return draft_sample


def _ids(path: Path) -> dict[str, int]:
    one = {
        "standing": "SELECT id FROM submission WHERE cluster_id = 3 AND status = 'submitted'"
        " AND period = 'year'",
        "withdrawn": "SELECT id FROM submission WHERE cluster_id = 1 AND status = 'withdrawn'",
        "half": "SELECT id FROM submission WHERE cluster_id = 2 AND period = 'half'",
        "granted": "SELECT decision_id FROM decision_record WHERE unit = 'Văn phòng HĐND tỉnh'",
        "rejected": "SELECT decision_id FROM decision_record WHERE unit = 'Sở Nội vụ'",
        "revoked": "SELECT decision_id FROM decision_record WHERE revoked_by IS NOT NULL",
    }
    return {name: query(path, sql)[0][0] for name, sql in one.items()}


GUARDS = {
    "row-update": ("UPDATE submission_row SET votes = 5 WHERE submission_id = {standing}",
                   RECORD_FIXED),
    "row-delete": ("DELETE FROM submission_row WHERE submission_id = {withdrawn}", RECORD_FIXED),
    "submission-delete": ("DELETE FROM submission WHERE id = {withdrawn}", RECORD_FIXED),
    "submission-redate": ("UPDATE submission SET submitted_on = '2021-01-16' WHERE id ="
                          " {standing}", RECORD_FIXED),
    "withdrawn-comes-back": ("UPDATE submission SET status = 'submitted', withdrawn_reason ="
                             " NULL, withdrawn_at = NULL WHERE id = {withdrawn}", RECORD_FIXED),
    "withdraw-under-granted": ("UPDATE submission SET status = 'withdrawn', withdrawn_reason ="
                               " 'sửa', withdrawn_at = '2021-02-01T00:00:00Z' WHERE id ="
                               " {standing}",
                               "thidua: decisions granted on this submission stand"),
    "unlock-under-submission": ("DELETE FROM cluster_lock WHERE cluster_id = 3 AND year = 2020",
                                "thidua: a submitted cluster-year stays locked"),
    "decision-on-withdrawn": ("INSERT INTO decision (submission_id, unit_id, award, granted,"
                              " decision_no, decided_on) VALUES ({withdrawn}, 1, 'co_thi_dua',"
                              " 'co_thi_dua', '1/QĐ', '2021-01-20')",
                              "thidua: a decision needs a standing year-end submission"),
    "decision-on-half-year": ("INSERT INTO decision (submission_id, unit_id, award, granted,"
                              " decision_no, decided_on) SELECT {half}, unit_id, 'co_thi_dua',"
                              " 'co_thi_dua', '1/QĐ', '2021-01-20' FROM submission_row WHERE"
                              " submission_id = {half} AND rank = 1",
                              "thidua: a decision needs a standing year-end submission"),
    "award-on-half-year": ("INSERT INTO submission_row (submission_id, unit_id, position, rank,"
                           " tied, base, bonus, deduction, total, scored, missing, eligible,"
                           " award) VALUES ({half}, 20, 99, 1, 0, 100, 0, 0, 100, 1, 0, 1,"
                           " 'co_thi_dua')", "thidua: a half-year review proposes no award"),
    "decision-delete": ("DELETE FROM decision WHERE id = {rejected}", RECORD_FIXED),
    "decision-other-award": ("UPDATE decision SET award = 'bang_khen' WHERE id = {granted}",
                             RECORD_FIXED),
    "revoked-decision-update": ("UPDATE decision SET decision_no = '7/QĐ' WHERE id = {revoked}",
                                RECORD_FIXED),
    "revoke-ungranted": ("INSERT INTO revocation (decision_id, decision_no, decided_on, reason)"
                         " VALUES ({rejected}, '9/QĐ', '2021-03-01', 'Kỷ luật')",
                         "thidua: only a granted award can be revoked"),
    "revocation-update": ("UPDATE revocation SET reason = 'Khác'", RECORD_FIXED),
    "revocation-delete": ("DELETE FROM revocation", RECORD_FIXED),
}  # fmt: skip


@pytest.mark.parametrize(("sql", "message"), GUARDS.values(), ids=GUARDS.keys())
def test_the_database_refuses_changes_to_the_record(guarded, sql, message):
    statement = sql.format(**_ids(guarded))
    before = snapshot(guarded)
    conn = sqlite3.connect(guarded, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError, match=re.escape(message)):
            conn.execute(statement)
    finally:
        conn.close()
    assert snapshot(guarded) == before


def test_the_guards_let_a_decision_be_corrected_on_the_standing_version(run, guarded):
    """What the triggers allow, so that the refusals above are not refusing everything."""
    result = ok(run, "decide", "-y", "2020", "-u", NOI_VU, "--award", "bang_khen",
                "--decision", "127/QĐ-UBND", "--date", "21/01/2021", "--replace")  # fmt: skip
    assert result.stderr == f"{NOI_VU}, {BK} năm 2020: 127/QĐ-UBND, 21/01/2021: được khen.\n"
    assert [d[4:7] for d in decisions(guarded) if d[2] == NOI_VU] == [
        ("bang_khen", "127/QĐ-UBND", "2021-01-21")
    ]


# ---------------------------------------------------------------- thidua check

CHECK_WARNING = (
    "Lưu ý: Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn chưa"
    " ghi nhận Trưởng cụm năm 2017.\n"
)


def test_check_finds_submitted_totals_that_todays_scores_no_longer_give(run, sample):
    assert (
        ok(run, "check").stderr == CHECK_WARNING + f"{sample}: không phát hiện hư hỏng (1 lưu ý).\n"
    )
    conn = sqlite3.connect(sample)
    with conn:  # outside thidua: its lock trigger has to go first
        conn.execute("DROP TRIGGER lock_score_update")
        conn.execute(
            "UPDATE score SET points = 200 WHERE unit_id = (SELECT id FROM unit WHERE name = ?)"
            " AND criterion_id IN (SELECT id FROM criterion WHERE code = 'T.1')",
            (NOI_VU,),
        )
    conn.close()
    result = run("check")
    assert result.exit_code == 3, result.output
    assert result.stderr == (
        CHECK_WARNING
        + f"Lỗi: Hồ sơ của {THAM_MUU} năm 2020 (lần 1) ghi tổng điểm mà điểm hiện có không còn"
        f" cho ra, ở các đơn vị: {NOI_VU}. Điểm đã bị sửa ngoài thidua.\n"
        f"Lỗi: {sample}: 1 lỗi trong hồ sơ (xem ở trên).\n"
    )
    # rank shows today's ranking and says where it parts from the record; awards keep the record
    rank = ok(run, "rank", "-c", "tham mưu", "-y", "2020")
    assert f"Khác với hồ sơ đã nộp (lần 1, nộp ngày 14/01/2021) ở: {NOI_VU}, {HDND}." in " ".join(
        rank.stdout.split()
    )
    awards = [a for a in as_json(run, "awards", "-y", "2020") if a["cluster"] == THAM_MUU]
    assert [(a["unit"], a["award_code"], a["total"]) for a in awards] == [
        (HDND, "co_thi_dua", 97),
        (NOI_VU, "bang_khen", 96),
        (UBND, "bang_khen", 95.25),
    ]


def test_check_finds_a_decision_bound_to_no_submitted_proposal(run, sample):
    conn = sqlite3.connect(sample)  # foreign keys off, as a careless script would leave them
    with conn:
        conn.execute(
            "INSERT INTO decision (submission_id, unit_id, award, granted, decision_no,"
            " decided_on) VALUES (1, 20, 'co_thi_dua', 'co_thi_dua', '77/QĐ-UBND', '2021-01-20')"
        )
    conn.close()
    result = run("check")
    assert result.exit_code == 5, result.output
    assert result.stderr.splitlines() == [
        "Lỗi: Dòng 1 của bảng decision trỏ đến một dòng không tồn tại của bảng submission_row.",
        CHECK_WARNING.strip(),
        "Lỗi: Quyết định 77/QĐ-UBND (dòng 1) không gắn với đề nghị nào đã nộp.",
        f"Lỗi: {sample} bị hỏng: 2 lỗi. Hãy khôi phục từ bản sao lưu.",
    ]


# ---------------------------------------------------------------- migration 7

UNITS = ["Đơn vị A", "Đơn vị B", "Đơn vị C", "Đơn vị D", "Đơn vị E", "Đơn vị F"]


def make_v6(path: Path, decided: list[tuple], *, held_on: str | None = "2024-01-10") -> None:
    """A database as thidua left it at schema 6: Cụm IX (A to E, 2023) and Cụm X (F) scored,
    and the legacy award_decision rows `decided` (unit, award, number, date, approved)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    for migration in MIGRATIONS[:6]:
        for step in migration:
            step(conn) if callable(step) else conn.execute(step)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 6")
    for cluster_id, name in ((1, "Cụm thi đua số IX"), (2, "Cụm thi đua số X")):
        conn.execute(
            "INSERT INTO cluster (id, name, match_key) VALUES (?, ?, ?)",
            (cluster_id, name, fold_key(name)),
        )
    for unit_id, name in enumerate(UNITS, start=1):
        conn.execute(
            "INSERT INTO unit (id, name, match_key) VALUES (?, ?, ?)",
            (unit_id, name, fold_key(name)),
        )
        conn.execute(
            "INSERT INTO membership (cluster_id, year, unit_id, role) VALUES (?, 2023, ?, ?)",
            (2 if unit_id == 6 else 1, unit_id, "leader" if unit_id in (1, 6) else "member"),
        )
    conn.execute("INSERT INTO criteria_set (id, year) VALUES (1, 2023)")
    conn.execute(
        "INSERT INTO criterion (id, set_id, code, code_key, name, max_points, kind, position)"
        " VALUES (1, 1, '1', '1', 'Nhiệm vụ chính trị', 10000, 'base', 1)"
    )
    if held_on:
        conn.execute(
            "INSERT INTO conference (cluster_id, year, period, held_on)"
            " VALUES (1, 2023, 'year', ?)",
            (held_on,),
        )
    for unit_id, points in enumerate([9500, 9000, 8500, 8000, 7000, 9000], start=1):
        conn.execute(
            "INSERT INTO score (cluster_id, year, period, unit_id, criterion_id, source, points)"
            " VALUES (?, 2023, 'year', ?, 1, 'final', ?)",
            (2 if unit_id == 6 else 1, unit_id, points),
        )
    conn.executemany(
        "INSERT INTO award_decision (unit_id, year, award, decision_no, decided_on, approved)"
        " VALUES ((SELECT id FROM unit WHERE name = ?), 2023, ?, ?, ?, ?)",
        decided,
    )
    conn.execute("COMMIT")
    conn.close()


def test_migration_7_submits_the_decided_cluster_years_and_says_so(run, fresh_db):
    make_v6(
        fresh_db,
        [
            ("Đơn vị A", "co_thi_dua", "5/QĐ-UBND", "2024-01-20", 1),
            ("Đơn vị B", "bang_khen", "6/QĐ-UBND", "2024-01-20", 0),
        ],
    )
    awards = as_json(run, "awards", "-y", "2023")  # any command migrates
    assert query(fresh_db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert query(
        fresh_db,
        "SELECT cluster_id, year, period, version, submitted_on, members, co_thi_dua_quota,"
        " bang_khen_quota, status, origin FROM submission",
    ) == [(1, 2023, "year", 1, "2024-01-10", 5, 1, 1, "submitted", "migration")]
    assert query(
        fresh_db,
        "SELECT position, unit, rank, total, award FROM submitted_ranking ORDER BY position",
    ) == [
        (1, "Đơn vị A", 1, 95.0, "co_thi_dua"),
        (2, "Đơn vị B", 2, 90.0, "bang_khen"),
        (3, "Đơn vị C", 3, 85.0, None),
        (4, "Đơn vị D", 4, 80.0, None),
        (5, "Đơn vị E", 5, 70.0, None),
    ]
    assert decisions(fresh_db) == [
        (1, "submitted", "Đơn vị A", "co_thi_dua", "co_thi_dua", "5/QĐ-UBND", "2024-01-20",
         None, None, None),
        (1, "submitted", "Đơn vị B", "bang_khen", None, "6/QĐ-UBND", "2024-01-20",
         None, None, None),
    ]  # fmt: skip
    # the decided cluster-year is locked; Cụm X, with no decision, is left a draft
    assert query(fresh_db, "SELECT cluster_id, year FROM cluster_lock") == [(1, 2023)]
    assert query(fresh_db, "SELECT name FROM sqlite_schema WHERE name = 'award_decision'") == []
    assert [(a["unit"], a["status"], (a["submission"] or {}).get("origin")) for a in awards] == [
        ("Đơn vị A", "submitted", "migration"),
        ("Đơn vị B", "submitted", "migration"),
        ("Đơn vị F", "draft", None),
    ]
    assert awards[0]["decision"]["number"] == "5/QĐ-UBND"

    entries = as_json(run, "log", "--limit", "0")
    migrated = [
        (e["table"], e["action"], e["cluster"], e["year"], e["unit"])
        for e in entries
        if e["command"] == MIGRATION_7_COMMAND
    ]
    assert migrated == [
        ("submission", "insert", "Cụm thi đua số IX", 2023, None),
        ("decision", "insert", "Cụm thi đua số IX", 2023, "Đơn vị A"),
        ("decision", "insert", "Cụm thi đua số IX", 2023, "Đơn vị B"),
        ("cluster_lock", "lock", "Cụm thi đua số IX", 2023, None),
    ]
    assert query(fresh_db, "SELECT count(*) FROM audit_context") == [(0,)]
    assert ok(run, "check").exit_code == 0

    # the migrated record behaves as a submitted one: the granted Cờ holds the lock
    stderr = refused(run, fresh_db, "unlock", "-c", "Cụm thi đua số IX", "-y", "2023",
                     "--reason", "sửa")  # fmt: skip
    assert stderr.splitlines()[1] == (f"  - Đơn vị A: {CO}, 5/QĐ-UBND ngày 20/01/2024")


def test_migration_7_keeps_a_decision_the_ranking_no_longer_proposes_and_check_names_it(
    run, fresh_db
):
    # C (third) was granted a Bằng khen that today's ranking gives B: the QĐ stays, flagged
    make_v6(fresh_db, [("Đơn vị C", "bang_khen", "7/QĐ-UBND", "2024-01-20", 1)], held_on=None)
    result = run("check")
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines() == [
        "Lỗi: Quyết định 7/QĐ-UBND ngày 20/01/2024 về Đơn vị C (năm 2023) là về"
        f" {BK}, nhưng hồ sơ lần 1 của Cụm thi đua số IX đề nghị không hình thức nào cho"
        " đơn vị này.",
        f"Lỗi: {fresh_db}: 1 lỗi trong hồ sơ (xem ở trên).",
    ]
    assert decisions(fresh_db) == [
        (1, "submitted", "Đơn vị C", "bang_khen", "bang_khen", "7/QĐ-UBND", "2024-01-20",
         None, None, None),
    ]  # fmt: skip
    # with no conference date recorded, the migration dates the submission the day it ran
    assert query(fresh_db, "SELECT submitted_on = date('now') FROM submission") == [(1,)]
    awards = as_json(run, "awards", "-y", "2023")
    assert [(a["unit"], a["award_code"], a["note"]) for a in awards if a["decision"]] == [
        ("Đơn vị C", "bang_khen", "Đã có quyết định, nhưng hồ sơ đã nộp đề nghị khác"
         " (xem thidua check)"),
    ]  # fmt: skip


# ---------------------------------------------------------------- status in JSON


def test_json_says_draft_submitted_or_withdrawn(run, draft_sample):
    def statuses():
        report = as_json(run, "report", "-c", "Cụm I", "-y", "2020")
        province = as_json(run, "report", "-y", "2020")
        submission = as_json(run, "submission", "-c", "Cụm I", "-y", "2020")
        awards = as_json(run, "awards", "-y", "2020")
        history = as_json(run, "history", "--cluster", "Cụm I - Các tổ chức tín dụng")
        return {
            "report": (report["status"], report["submission"] and report["submission"]["version"]),
            "province": {c["status"] for c in province["clusters"] if c["cluster"] == CUM_I},
            "submission": {p["status"] for p in submission["proposals"]},
            "awards": {
                (a["status"], a["submission"] and a["submission"]["version"])
                for a in awards
                if a["cluster"] == CUM_I
            },
            "history": (
                history["years"][0]["status"],
                [(s["version"], s["status"]) for s in history["years"][0]["submissions"]],
            ),
        }

    assert statuses() == {
        "report": ("draft", None),
        "province": {"draft"},
        "submission": {"draft"},
        "awards": {("draft", None)},
        "history": ("draft", [(1, "withdrawn")]),
    }
    ok(run, "submit", "-c", "Cụm I", "-y", "2020", "--date", "06/01/2021")
    assert statuses() == {
        "report": ("submitted", 2),
        "province": {"submitted"},
        "submission": {"submitted"},
        "awards": {("submitted", 2)},
        "history": ("submitted", [(1, "withdrawn"), (2, "submitted")]),
    }


def test_a_decision_dated_before_the_submission_it_decides_on_is_refused(run, sample):
    # the tham mưu cluster submitted on 14/01/2021: the province cannot have decided on 13/01
    stderr = refused(run, sample, "decide", "-y", "2020", "-u", "Văn phòng HĐND", "--award",
                     "co_thi_dua", "--decision", "125/QĐ-UBND", "--date", "13/01/2021")  # fmt: skip
    assert stderr == (
        "Lỗi: Ngày quyết định 13/01/2021 trước ngày nộp hồ sơ mà quyết định xét đến"
        " (lần 1, 14/01/2021).\n"
    )
    ok(run, "decide", "-y", "2020", "-u", "Văn phòng HĐND", "--award", "co_thi_dua",
       "--decision", "125/QĐ-UBND", "--date", "14/01/2021")  # fmt: skip
