"""Criteria never leave stored scores uncounted, and a locked year keeps what its papers print.

Issue 17: `criteria import --cluster C` over a cluster-year scored under the province default
orphaned its scores without a word (even on a locked year); the bundle's criteria sets did the
same. Now such a change is refused, or moves the scores by criterion code when asked
(--carry-scores); a locked cluster-year refuses criteria, conference, covenant and signer
changes; a rename or a setting changed later leaves a locked year's papers as they were.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import TEST_CRITERIA, make_cluster, query, snapshot

CLUSTER = "Cụm thi đua số III - Thử nghiệm"
LOCKED = (
    "Lỗi: {cluster} đã khóa năm {year}: không thể thay đổi bảng chấm điểm. Hãy mở khóa trước: "
    "thidua unlock --cluster ... --year {year} --reason ...\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def scored(run, db, tmp_path):
    """Cụm III, 2024, on the province default, with three scores (criteria 1, 2 and T)."""
    make_cluster(run, tmp_path, "--default")
    scores = write(
        tmp_path,
        "scores.csv",
        "unit,criterion,points\nSở Cao Lộc,1,50\nSở Cao Lộc,T,2\nCông ty Bắc Sơn,2,30\n",
    )
    result = run("score", "import", str(scores), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 0, result.output
    return db


def counted(db):
    """(unit, code, points, whose set) of every score: the cluster's own set or the default."""
    return query(
        db,
        "SELECT u.name, c.code, s.points, IIF(cs.cluster_id IS NULL, 'default', 'own')"
        " FROM score s JOIN unit u ON u.id = s.unit_id JOIN criterion c ON c.id = s.criterion_id"
        " JOIN criteria_set cs ON cs.id = c.set_id ORDER BY u.name, c.code",
    )


# ---------------------------------------------------------------- scores never left uncounted


def test_a_cluster_set_over_scores_on_the_default_is_refused(run, scored, tmp_path):
    criteria = write(tmp_path, "own.csv", TEST_CRITERIA)
    before = snapshot(scored)
    result = run("criteria", "import", str(criteria), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Lỗi: 3 điểm đã nhập của {CLUSTER}, năm 2024 thuộc các tiêu chí 1, 2, T; bảng chấm "
        "điểm mới sẽ không tính các điểm này nên không có gì thay đổi. Thêm --carry-scores để "
        "chuyển chúng sang tiêu chí cùng mã trong bảng mới.\n"
    )
    assert snapshot(scored) == before
    ranked = run("rank", "-c", "Cụm III", "-y", "2024", "--format", "csv")
    assert ranked.exit_code == 0, ranked.output


def test_the_refusal_speaks_english_too(run, scored, tmp_path):
    criteria = write(tmp_path, "own.csv", TEST_CRITERIA)
    result = run("--lang", "en", "criteria", "import", str(criteria), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: 3 stored scores of {CLUSTER}, 2024 are under the criteria 1, 2, T; the new "
        "criteria set would leave them uncounted, so nothing was changed. Add --carry-scores to "
        "move them to the new set's criteria with the same code.\n"
    )


def test_carry_scores_moves_them_by_code_and_they_still_count(run, scored, tmp_path):
    before = run("rank", "-c", "Cụm III", "-y", "2024", "--format", "csv").stdout
    criteria = write(tmp_path, "own.csv", TEST_CRITERIA)
    result = run(
        "criteria", "import", str(criteria), "-c", "Cụm III", "-y", "2024", "--carry-scores"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(
        "Đã chuyển 3 điểm đã nhập sang tiêu chí cùng mã trong bảng mới.\n"
    )
    assert counted(scored) == [
        ("Công ty Bắc Sơn", "2", 3000, "own"),
        ("Sở Cao Lộc", "1", 5000, "own"),
        ("Sở Cao Lộc", "T", 200, "own"),
    ]
    assert run("rank", "-c", "Cụm III", "-y", "2024", "--format", "csv").stdout == before
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    # the move is in the log, score by score
    assert query(
        scored, "SELECT count(*) FROM audit WHERE tbl = 'score' AND action = 'update'"
    ) == [(3,)]


def test_carry_refuses_scores_whose_code_the_new_set_lacks(run, scored, tmp_path):
    criteria = write(tmp_path, "own.csv", TEST_CRITERIA.replace("T,Điểm thưởng", "B,Điểm thưởng"))
    before = snapshot(scored)
    result = run(
        "criteria", "import", str(criteria), "-c", "Cụm III", "-y", "2024", "--carry-scores"
    )
    assert result.exit_code == 3
    assert result.stderr == (
        f"Lỗi: Không thể chuyển hết điểm đã nhập của {CLUSTER}, năm 2024 sang bảng chấm điểm "
        "mới; không có gì thay đổi:\n"
        "  - 1 điểm thuộc tiêu chí mà bảng mới không có: T\n"
    )
    assert snapshot(scored) == before


def test_carry_refuses_scores_above_the_new_maximum(run, scored, tmp_path):
    criteria = write(tmp_path, "own.csv", TEST_CRITERIA.replace("Nhiệm vụ chính trị,60", "X,40"))
    before = snapshot(scored)
    result = run(
        "--lang", "en", "criteria", "import", str(criteria), "-c", "Cụm III", "-y", "2024",
        "--carry-scores",
    )  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: The stored scores of {CLUSTER}, 2024 cannot all move to the new criteria set; "
        "nothing was changed:\n"
        "  - criterion 1: 1 score is above its new maximum of 40.00\n"
    )
    assert snapshot(scored) == before


def test_replacing_the_default_follows_the_same_rule(run, scored, tmp_path):
    criteria = write(tmp_path, "default.csv", TEST_CRITERIA.replace("Sáng kiến", "Sáng kiến hay"))
    before = snapshot(scored)
    refused = run("criteria", "import", str(criteria), "--default", "-y", "2024", "--replace")
    assert refused.exit_code == 3
    assert refused.stderr == (
        "Lỗi: 3 điểm đã nhập của các cụm dùng bảng chung của tỉnh, năm 2024 thuộc các tiêu chí "
        "1, 2, T; bảng chấm điểm mới sẽ không tính các điểm này nên không có gì thay đổi. Thêm "
        "--carry-scores để chuyển chúng sang tiêu chí cùng mã trong bảng mới.\n"
    )
    assert snapshot(scored) == before
    moved = run(
        "criteria", "import", str(criteria), "--default", "-y", "2024", "--replace",
        "--carry-scores",
    )  # fmt: skip
    assert moved.exit_code == 0, moved.output
    assert [row[:3] for row in counted(scored)] == [
        ("Công ty Bắc Sơn", "2", 3000),
        ("Sở Cao Lộc", "1", 5000),
        ("Sở Cao Lộc", "T", 200),
    ]
    assert query(scored, "SELECT name FROM criterion WHERE code = 'T'") == [("Sáng kiến hay",)]


def test_check_reports_scores_no_set_counts_and_carry_brings_them_back(run, scored, tmp_path):
    # what the old `criteria import --cluster` did: a set of the cluster's own beside the
    # scores entered under the province default
    conn = sqlite3.connect(scored)
    with conn:
        cluster_id = conn.execute("SELECT id FROM cluster").fetchone()[0]
        set_id = conn.execute(
            "INSERT INTO criteria_set (year, cluster_id) VALUES (2024, ?)", (cluster_id,)
        ).lastrowid
        conn.execute(
            "INSERT INTO criterion (set_id, code, code_key, name, max_points, kind, position)"
            " SELECT ?, code, code_key, name, max_points, kind, position FROM criterion"
            " WHERE set_id <> ?",
            (set_id, set_id),
        )
    conn.close()
    checked = run("check")
    assert checked.exit_code == 3
    assert (
        f"3 điểm của {CLUSTER}, năm 2024 thuộc tiêu chí không có trong bảng chấm điểm đang áp "
        "dụng (1, 2, T); xếp hạng không tính các điểm này. Hãy nhập lại bảng chấm điểm của cụm "
        "năm đó với --carry-scores để chuyển chúng sang tiêu chí cùng mã."
    ) in checked.stderr
    criteria = write(tmp_path, "own.csv", TEST_CRITERIA)
    again = run(
        "criteria", "import", str(criteria), "-c", "Cụm III", "-y", "2024", "--replace",
        "--carry-scores",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert {row[3] for row in counted(scored)} == {"own"}
    assert run("check").exit_code == 0


# ---------------------------------------------------------------- the lock covers criteria


def test_a_locked_cluster_year_refuses_its_criteria(run, scored, tmp_path):
    assert run("lock", "-c", "Cụm III", "-y", "2024").exit_code == 0
    criteria = write(tmp_path, "own.csv", TEST_CRITERIA)
    before = snapshot(scored)
    own = run("criteria", "import", str(criteria), "-c", "Cụm III", "-y", "2024", "--carry-scores")
    assert own.exit_code == 3
    assert own.stderr == LOCKED.format(cluster=CLUSTER, year=2024)
    default = run(
        "criteria", "import", str(criteria), "--default", "-y", "2024", "--replace",
        "--carry-scores",
    )  # fmt: skip
    assert default.exit_code == 3
    assert default.stderr == (
        "Lỗi: Không thể thay đổi bảng chấm điểm chung của tỉnh năm 2024: các cụm đã khóa đang "
        f"chấm điểm theo bảng này ({CLUSTER}). Hãy mở khóa các cụm đó trước: thidua unlock "
        "--cluster ... --year 2024 --reason ...\n"
    )
    assert snapshot(scored) == before


def test_the_database_itself_refuses_criteria_of_a_locked_year(run, scored):
    assert run("lock", "-c", "Cụm III", "-y", "2024").exit_code == 0
    conn = sqlite3.connect(scored)
    try:
        for statement in (
            "UPDATE criterion SET max_points = 9000 WHERE code = '1'",
            "DELETE FROM criterion WHERE code = 'K'",
            "INSERT INTO criteria_set (year, cluster_id) SELECT 2024, id FROM cluster",
            "INSERT INTO criterion (set_id, code, code_key, name, max_points, kind, position)"
            " SELECT id, 'X', 'x', 'Mới', 100, 'bonus', 9 FROM criteria_set",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="frozen"):
                conn.execute(statement)
    finally:
        conn.close()


def test_criteria_of_another_year_or_an_unlocked_cluster_stay_open(run, scored, tmp_path):
    assert run("lock", "-c", "Cụm III", "-y", "2024").exit_code == 0
    criteria = write(tmp_path, "c.csv", TEST_CRITERIA)
    assert run("criteria", "import", str(criteria), "--default", "-y", "2025").exit_code == 0


# ---------------------------------------------------------------- the bundle door


def bundle(tmp_path, criteria_sets):
    path = tmp_path / "bundle.json"
    path.write_text(
        json.dumps({"format": "thidua-bundle", "version": 2, "criteria_sets": criteria_sets}),
        encoding="utf-8",
    )
    return path


OWN_SET = [
    {
        "cluster": CLUSTER,
        "year": 2024,
        "criteria": [
            {"code": "1", "group": "Nhóm 1", "name": "Nhiệm vụ chính trị", "max_points": 60,
             "kind": "base"},
            {"code": "2", "group": "Nhóm 2", "name": "Phong trào thi đua", "max_points": 40,
             "kind": "base"},
            {"code": "T", "group": "Điểm thưởng", "name": "Sáng kiến", "max_points": 5,
             "kind": "bonus"},
        ],
    }
]  # fmt: skip


def test_a_bundle_s_criteria_set_follows_the_same_rules(run, scored, tmp_path):
    path = bundle(tmp_path, OWN_SET)
    before = snapshot(scored)
    refused = run("import", str(path))
    assert refused.exit_code == 3
    assert (
        f"  - 3 điểm đã nhập của {CLUSTER}, năm 2024 thuộc các tiêu chí 1, 2, T; bảng chấm "
        "điểm mới sẽ không tính các điểm này nên không có gì thay đổi."
    ) in refused.stderr
    assert snapshot(scored) == before
    carried = run("import", str(path), "--carry-scores")
    assert carried.exit_code == 0, carried.output
    assert "1 bảng tiêu chí, 3 điểm chuyển sang tiêu chí mới" in carried.stderr
    assert {row[3] for row in counted(scored)} == {"own"}


def test_a_bundle_cannot_change_the_criteria_of_a_locked_year(run, scored, tmp_path):
    assert run("lock", "-c", "Cụm III", "-y", "2024").exit_code == 0
    before = snapshot(scored)
    result = run("import", str(bundle(tmp_path, OWN_SET)), "--carry-scores")
    assert result.exit_code == 3
    assert (
        f"  - bảng tiêu chí của {CLUSTER}, 2024: dữ liệu cụm-năm này đang khóa ở đây; hãy mở "
        "khóa trước.\n"
    ) in result.stderr
    default = [{**OWN_SET[0], "cluster": None}]
    result = run("import", str(bundle(tmp_path, default)), "--on-conflict", "replace")
    assert result.exit_code == 3
    assert (
        "  - bảng tiêu chí của toàn tỉnh, 2024: ở đây các cụm đã khóa đang chấm điểm theo bảng này "
        f"({CLUSTER}); hãy mở khóa trước.\n"
    ) in result.stderr
    assert snapshot(scored) == before


# ---------------------------------------------------------------- what a locked year prints

PAPERS_LOCKED = (
    "Lỗi: {cluster} đã khóa năm 2020: không thể thay đổi hội nghị, giao ước thi đua và người "
    "ký văn bản. Hãy mở khóa trước: thidua unlock --cluster ... --year 2020 --reason ...\n"
)
CUM_I = "Cụm I - Các tổ chức tín dụng"


@pytest.mark.parametrize(
    "command",
    [
        ["cluster", "conference", "-c", "Cụm I", "-y", "2020", "--place", "Hội trường khác"],
        ["cluster", "conference", "-c", "Cụm I", "-y", "2020", "--guest", "Ông A"],
        ["covenant", "sign", "-c", "Cụm I", "-y", "2020", "--date", "02/02/2020", "--replace"],
        ["cluster", "signer", "-c", "Cụm I", "-y", "2020", "--name", "Ông B"],
    ],
    ids=["conference", "guests", "covenant", "signer"],
)
def test_a_locked_year_refuses_its_conference_covenant_and_signer(run, sample, command):
    before = snapshot(sample)
    result = run(*command)
    assert result.exit_code == 3, result.output
    assert result.stderr == PAPERS_LOCKED.format(cluster=CUM_I)
    assert snapshot(sample) == before


def test_the_database_itself_refuses_them(sample):
    conn = sqlite3.connect(sample)
    try:
        for statement in (
            "UPDATE conference SET place = 'Nơi khác' WHERE year = 2020",
            "DELETE FROM conference_guest WHERE year = 2020",
            "INSERT INTO conference_attendance (cluster_id, year, period, unit_id)"
            " SELECT c.cluster_id, c.year, c.period, m.unit_id FROM conference c JOIN membership m"
            " ON m.cluster_id = c.cluster_id AND m.year = c.year WHERE c.year = 2020",
            "INSERT INTO covenant (cluster_id, year, signed_on)"
            " SELECT cluster_id, year, '2020-03-01' FROM cluster_lock WHERE year = 2020",
            "INSERT INTO cluster_signer (cluster_id, year, name, role)"
            " SELECT cluster_id, year, 'Ông C', 'leader' FROM cluster_lock WHERE year = 2020",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="frozen"):
                conn.execute(statement)
    finally:
        conn.close()


def test_the_province_s_decision_stays_open_on_a_locked_year(run, sample):
    result = run(
        "decide", "--year", "2020", "--unit", "Văn phòng HĐND", "--award", "co_thi_dua",
        "--decision", "125/QĐ-UBND", "--date", "20/01/2021",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


VDB = "Ngân hàng Phát triển tỉnh Lạng Sơn"
VDB_NEW = "Ngân hàng Phát triển Việt Nam chi nhánh Lạng Sơn"


def test_a_locked_year_keeps_the_names_it_was_locked_with(run, sample):
    renamed = run("unit", "rename", VDB, VDB_NEW)
    assert renamed.exit_code == 0, renamed.output
    assert renamed.stderr == (
        f"Đã đổi tên {VDB} thành {VDB_NEW}.\n"
        "Văn bản của năm đã khóa 2020 vẫn giữ tên như lúc khóa.\n"
    )
    report = run("report", "-c", "Cụm I", "-y", "2020")
    assert report.exit_code == 0, report.output
    assert VDB in report.stdout and VDB_NEW not in report.stdout
    submission = run("submission", "-c", "Cụm I", "-y", "2020")
    assert VDB_NEW not in submission.stdout
    # the new name finds the unit, and an open year prints it
    assert run("unit", "list", "-y", "2021").exit_code == 0
    assert VDB_NEW in run("unit", "list").stdout
    # unlocking gives the year today's names
    assert run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", "Sửa tên").exit_code == 0
    assert VDB_NEW in run("report", "-c", "Cụm I", "-y", "2020").stdout


def test_the_kept_name_cannot_be_edited_while_the_year_is_locked(run, sample):
    assert run("unit", "rename", VDB, VDB_NEW).exit_code == 0
    conn = sqlite3.connect(sample)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="frozen"):
            conn.execute("UPDATE unit_year_name SET name = 'Khác'")
        with pytest.raises(sqlite3.IntegrityError, match="frozen"):
            conn.execute("DELETE FROM unit_year_name")
    finally:
        conn.close()


def test_a_locked_year_keeps_the_settings_it_was_locked_with(run, sample):
    changed = run("settings", "set", "province", "Cao Bằng")
    assert changed.exit_code == 0, changed.output
    assert changed.stderr == (
        "province = Cao Bằng\nVăn bản của năm đã khóa 2020 vẫn giữ giá trị như lúc khóa.\n"
    )
    board = run("settings", "set", "board", "Ban Thi đua")
    assert board.exit_code == 0, board.output
    report = run("report", "-c", "Cụm I", "-y", "2020").stdout
    assert "UBND TỈNH LẠNG SƠN" in report and "Cao Bằng" not in report
    assert query(sample, "SELECT key, value FROM year_setting ORDER BY key") == [
        ("board", None),  # thidua's default then
        ("province", "Lạng Sơn"),
    ]
    # a blank the papers left can still be filled in: it changes nothing they printed
    filled = run("settings", "set", "legal_bases", "Luật Thi đua, Khen thưởng 2022")
    assert filled.stderr == "legal_bases = Luật Thi đua, Khen thưởng 2022\n"
    assert "Căn cứ Luật Thi đua, Khen thưởng 2022;" in run("submission", "-y", "2020").stdout
    assert run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", "Sửa").exit_code == 0
    # other clusters of 2020 are still locked: the year keeps its settings
    assert "Cao Bằng" not in run("report", "-c", "Cụm I", "-y", "2020").stdout
