"""Criteria, scores, votes, flags and policy through the commands."""

import json

import pytest

from conftest import TEST_CRITERIA, make_cluster, query, snapshot

CRITERIA = TEST_CRITERIA


@pytest.fixture
def cluster(run, db, tmp_path):
    make_cluster(run, tmp_path, "--cluster", "Cụm III")
    return db


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    if encoding == "cp1258":  # Windows-1258 writes the tone as a separate combining mark
        path.write_bytes(b"".join(_cp1258(ch) for ch in text))
    else:
        path.write_bytes(text.encode(encoding))
    return path


def _cp1258(ch):
    import unicodedata

    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        return (base + "".join(c for c in parts if c in TONES)).encode("cp1258")


TONES = "\u0300\u0301\u0303\u0309\u0323"


def stored(db):
    return query(
        db,
        "SELECT u.name, c.code, s.source, s.points FROM score s JOIN unit u ON u.id = s.unit_id"
        " JOIN criterion c ON c.id = s.criterion_id ORDER BY u.name, c.code, s.source",
    )


LONG = (
    "unit,criterion,points\n"
    "Ngân hàng An Bình,1,55.5\n"
    "Ngân hàng An Bình,2,38\n"
    "Ngân hàng An Bình,T,2\n"
    "Công ty Bắc Sơn,1,56\n"
    "Công ty Bắc Sơn,2,37.25\n"
    "Công ty Bắc Sơn,K,1\n"
)
WIDE = "Đơn vị,1,2,T,K\nNgân hàng An Bình,55.5,38,2,\nCông ty Bắc Sơn,56,37.25,,1\n"
EXPECTED = [
    ("Công ty Bắc Sơn", "1", "final", 5600),
    ("Công ty Bắc Sơn", "2", "final", 3725),
    ("Công ty Bắc Sơn", "K", "final", 100),
    ("Ngân hàng An Bình", "1", "final", 5550),
    ("Ngân hàng An Bình", "2", "final", 3800),
    ("Ngân hàng An Bình", "T", "final", 200),
]


def test_long_csv(run, cluster, tmp_path):
    result = run(
        "score", "import", str(write(tmp_path, "long.csv", LONG)), "-c", "Cụm III", "-y", "2024"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "Đã nhập 6 điểm vào Cụm thi đua số III - Thử nghiệm, năm 2024.\n"
    assert stored(cluster) == EXPECTED


def test_wide_csv_imports_the_same_data(run, cluster, tmp_path):
    result = run(
        "score", "import", str(write(tmp_path, "wide.csv", WIDE)), "-c", "Cụm III", "-y", "2024"
    )
    assert result.exit_code == 0, result.output
    assert stored(cluster) == EXPECTED


def test_xlsx_imports_the_same_data(run, cluster, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in WIDE.strip().split("\n"):
        sheet.append(
            [
                float(c) if c.replace(".", "").isdigit() and c != "1" and c != "2" else (c or None)
                for c in line.split(",")
            ]
        )
    path = tmp_path / "wide.xlsx"
    book.save(path)
    result = run("score", "import", str(path), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 0, result.output
    assert stored(cluster) == EXPECTED


def test_long_xlsx_with_numbers(run, cluster, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["don_vi", "tieu_chi", "diem"])
    for line in LONG.strip().split("\n")[1:]:
        unit, code, points = line.split(",")
        sheet.append([unit, code, float(points)])
    path = tmp_path / "long.xlsx"
    book.save(path)
    assert run("score", "import", str(path), "-c", "Cụm III", "-y", "2024").exit_code == 0
    assert stored(cluster) == EXPECTED


def test_utf16_tab_separated_from_excel(run, cluster, tmp_path):
    text = "\ufeff" + WIDE.replace(",", "\t")
    path = write(tmp_path, "unicode.txt", text, "utf-16-le")
    result = run("score", "import", str(path), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 0, result.output
    assert stored(cluster) == EXPECTED


def test_utf8_with_bom_and_vietnamese_headers(run, cluster, tmp_path):
    text = "\ufeff" + LONG.replace("unit,criterion,points", "Đơn vị,Tiêu chí,Điểm")
    result = run(
        "score", "import", str(write(tmp_path, "bom.csv", text)), "-c", "Cụm III", "-y", "2024"
    )
    assert result.exit_code == 0, result.output
    assert stored(cluster) == EXPECTED


def test_semicolons_and_decimal_commas(run, cluster, tmp_path):
    text = WIDE.replace(",", ";").replace("55.5", "55,5").replace("37.25", "37,25")
    result = run(
        "score", "import", str(write(tmp_path, "vn.csv", text)), "-c", "Cụm III", "-y", "2024"
    )
    assert result.exit_code == 0, result.output
    assert stored(cluster) == EXPECTED


def test_windows_1258_when_asked(run, cluster, tmp_path):
    path = write(tmp_path, "old.csv", LONG, "cp1258")
    refused = run("score", "import", str(path), "-c", "Cụm III", "-y", "2024")
    assert refused.exit_code == 3
    assert "không phải văn bản UTF-8" in refused.stderr
    assert "--encoding cp1258" in refused.stderr
    result = run(
        "score", "import", str(path), "-c", "Cụm III", "-y", "2024", "--encoding", "cp1258"
    )
    assert result.exit_code == 0, result.output
    assert stored(cluster) == EXPECTED


def test_a_bad_file_is_rejected_whole_with_every_problem(run, cluster, tmp_path):
    bad = (
        "unit,criterion,points\n"
        "Ngân hàng An Bình,1,55.5\n"
        "Ngân hàng An Bình,2,41\n"  # above the maximum 40
        "Công ty Bắc Sơn,1,nan\n"
        "Công ty Bắc Sơn,2,mười\n"
        "Sở Cao Lộc,1,\n"
        "Sở Cao Lộc,2,inf\n"
        "Chi cục Đình Lập,1,12.345\n"
        "Chi cục Đình Lập,9,10\n"
        "Ngân hàng Bình An,1,10\n"
        "Ngân hàng An Bình,1,50\n"
    )
    before = snapshot(cluster)
    result = run(
        "score", "import", str(write(tmp_path, "bad.csv", bad)), "-c", "Cụm III", "-y", "2024"
    )
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Lỗi: Chưa nhập " + str(tmp_path / "bad.csv") + "; không có gì được ghi. 9 lỗi:",
        "  - dòng 2: Ngân hàng An Bình / 1 xuất hiện nhiều lần (dòng 2, 11)",
        "  - dòng 3, cột “points”: 41 vượt điểm tối đa 40,00 của tiêu chí 2",
        "  - dòng 4, cột “points”: “nan” không phải là số",
        "  - dòng 5, cột “points”: “mười” không phải là số",
        "  - dòng 6, cột “points”: để trống",
        "  - dòng 7, cột “points”: “inf” không phải là số",
        "  - dòng 8, cột “points”: “12.345” có quá hai chữ số thập phân",
        "  - dòng 9, cột “criterion”: không có tiêu chí “9” trong bảng chấm điểm của cụm năm này.",
        "  - dòng 10, cột “unit”: Không có đơn vị “Ngân hàng Bình An”. "
        "Có phải bạn muốn nói: Ngân hàng An Bình?",
    ]
    assert snapshot(cluster) == before


def test_a_unit_outside_the_cluster_that_year(run, cluster, tmp_path):
    assert run("unit", "add", "Sở Y tế").exit_code == 0
    before = snapshot(cluster)
    result = run(
        "score",
        "import",
        str(write(tmp_path, "x.csv", "unit,criterion,points\nSở Y tế,1,5\n")),
        "-c",
        "Cụm III",
        "-y",
        "2024",
    )
    assert result.exit_code == 3
    # and what the cluster does have that year
    assert result.stderr.splitlines()[1] == (
        "  - dòng 2, cột “unit”: Sở Y tế không phải thành viên Cụm thi đua số III - Thử nghiệm"
        " năm 2024. Cụm thi đua số III - Thử nghiệm năm 2024 có: =SUM(1); Chi cục Đình Lập;"
        " Công ty Bắc Sơn; Ngân hàng An Bình; Sở Cao Lộc."
    )
    assert snapshot(cluster) == before


def test_existing_scores_need_replace(run, cluster, tmp_path):
    path = write(tmp_path, "long.csv", LONG)
    assert run("score", "import", str(path), "-c", "Cụm III", "-y", "2024").exit_code == 0
    before = snapshot(cluster)
    again = run("score", "import", str(path), "-c", "Cụm III", "-y", "2024")
    assert again.exit_code == 3
    assert "đã có điểm (dùng --replace để thay)" in again.stderr
    assert snapshot(cluster) == before
    changed = write(tmp_path, "changed.csv", "unit,criterion,points\nCông ty Bắc Sơn,1,59\n")
    assert (
        run("score", "import", str(changed), "-c", "Cụm III", "-y", "2024", "--replace").exit_code
        == 0
    )
    assert ("Công ty Bắc Sơn", "1", "final", 5900) in stored(cluster)


def test_ragged_rows_and_missing_columns(run, cluster, tmp_path):
    ragged = write(tmp_path, "r.csv", "unit,criterion,points\nSở Cao Lộc,1,5,7\n")
    result = run("score", "import", str(ragged), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 3
    assert "nhiều ô hơn số cột" in result.stderr
    header = write(tmp_path, "h.csv", "unit,points\nSở Cao Lộc,5\n")
    result = run("score", "import", str(header), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 3
    assert "không có tiêu chí “points”" in result.stderr


def test_peer_scores_and_their_mean(run, cluster, tmp_path):
    peers = (
        "unit,criterion,points,source,scorer\n"
        "Sở Cao Lộc,1,50,peer,Ngân hàng An Bình\n"
        "Sở Cao Lộc,1,50.01,peer,Công ty Bắc Sơn\n"
        "Sở Cao Lộc,1,40,self,\n"
    )
    result = run(
        "score", "import", str(write(tmp_path, "p.csv", peers)), "-c", "Cụm III", "-y", "2024"
    )
    assert result.exit_code == 0, result.output
    shown = run("score", "show", "-c", "Cụm III", "-y", "2024", "-f", "json")
    row = next(r for r in json.loads(shown.stdout) if r["unit"] == "Sở Cao Lộc")
    assert row["1"] == 50.01  # the mean 50.005, rounded half up
    bad = write(
        tmp_path, "b.csv", "unit,criterion,points,source,scorer\nSở Cao Lộc,1,5,peer,Sở Cao Lộc\n"
    )
    result = run("score", "import", str(bad), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 3
    assert "không thể tự chấm chéo" in result.stderr


def test_score_set_validates_and_updates(run, cluster):
    before = snapshot(cluster)
    for points, message in (
        ("41", "vượt điểm tối đa"),
        ("nan", "không phải là số"),
        ("abc", "không phải là số"),
        ("-2", "là số âm"),
    ):
        result = run(
            "score",
            "set",
            "-c",
            "Cụm III",
            "-y",
            "2024",
            "-u",
            "Sở Cao Lộc",
            "-k",
            "2",
            "-p",
            points,
        )
        assert result.exit_code == 3, points
        assert message in result.stderr
    assert snapshot(cluster) == before
    assert (
        run(
            "score",
            "set",
            "-c",
            "Cụm III",
            "-y",
            "2024",
            "-u",
            "Sở Cao Lộc",
            "-k",
            "2",
            "-p",
            "30,5",
        ).exit_code
        == 0
    )
    updated = run(
        "score", "set", "-c", "Cụm III", "-y", "2024", "-u", "Sở Cao Lộc", "-k", "2", "-p", "31"
    )
    assert updated.stderr == "Sở Cao Lộc, tiêu chí 2: 31,00 điểm. (trước đây 30,50)\n"


def test_the_database_refuses_points_above_the_maximum(cluster):
    import sqlite3

    conn = sqlite3.connect(cluster)
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="maximum"):
        conn.execute(
            "INSERT INTO score (cluster_id, year, period, unit_id, criterion_id, source, points)"
            " VALUES (1, 2024, 'year', 1, 1, 'final', 6001)"
        )
    conn.close()


def test_criteria_file_problems(run, db, tmp_path):
    bad = write(
        tmp_path,
        "c.csv",
        "code,group,name,max_points,kind\n1,A,X,0,base\n1,A,Y,10,extra\n,A,Z,5.555,base\n",
    )
    result = run("criteria", "import", str(bad), "--default", "-y", "2024")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[1:] == [
        "  - dòng 2, cột “max_points”: điểm tối đa phải lớn hơn 0",
        "  - dòng 3, cột “code”: mã “1” đã có ở dòng 2",
        "  - dòng 3, cột “kind”: “extra” không phải loại tiêu chí; dùng Điểm chuẩn, Điểm thưởng,"
        " Điểm trừ (hoặc base, bonus, deduction)",
        "  - dòng 4, cột “code”: để trống",
        "  - dòng 4, cột “max_points”: “5.555” có quá hai chữ số thập phân",
    ]
    assert query(db, "SELECT count(*) FROM criterion") == [(0,)]


def test_criteria_cannot_be_replaced_over_scores_unless_they_carry(run, cluster, tmp_path):
    path = write(tmp_path, "c.csv", CRITERIA)
    again = run("criteria", "import", str(path), "-c", "Cụm III", "-y", "2024")
    assert again.exit_code == 3 and "--replace" in again.stderr
    assert (
        run("criteria", "import", str(path), "-c", "Cụm III", "-y", "2024", "--replace").exit_code
        == 0
    )
    assert (
        run(
            "score", "set", "-c", "Cụm III", "-y", "2024", "-u", "Sở Cao Lộc", "-k", "1", "-p", "5"
        ).exit_code
        == 0
    )
    before = snapshot(cluster)
    result = run("criteria", "import", str(path), "-c", "Cụm III", "-y", "2024", "--replace")
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: 1 điểm đã nhập của Cụm thi đua số III - Thử nghiệm, năm 2024 thuộc các tiêu chí 1; "
        "bảng chấm điểm mới sẽ không tính các điểm này nên không có gì thay đổi. Thêm "
        "--carry-scores để chuyển chúng sang tiêu chí cùng mã trong bảng mới.\n"
    )
    assert snapshot(cluster) == before
    carried = run(
        "criteria", "import", str(path), "-c", "Cụm III", "-y", "2024", "--replace",
        "--carry-scores",
    )  # fmt: skip
    assert carried.exit_code == 0, carried.output
    assert stored(cluster) == [("Sở Cao Lộc", "1", "final", 500)]


def test_the_shipped_template_is_a_100_point_set(run, db):
    from thidua_cli.app.sample import data_dir

    result = run(
        "criteria", "import", str(data_dir() / "criteria-template.csv"), "--default", "-y", "2025"
    )
    assert result.exit_code == 0
    assert "(tổng điểm tối đa các tiêu chí chuẩn: 100,00)" in result.stderr
    listed = json.loads(run("criteria", "list", "--default", "-y", "2025", "-f", "json").stdout)
    # the template is a form: numbered headings over their criteria
    assert {c["kind"] for c in listed} == {"heading", "base", "bonus", "deduction"}
    assert sum(c["max_points"] for c in listed if c["kind"] == "heading") == 100 + 8 + 15


def test_flags(run, cluster):
    assert (
        run(
            "flag", "add", "-u", "Sở Cao Lộc", "-y", "2024", "--reason", "Không hoàn thành kế hoạch"
        ).exit_code
        == 0
    )
    again = run(
        "flag", "add", "-u", "Sở Cao Lộc", "-y", "2024", "--reason", "Không hoàn thành kế hoạch"
    )
    assert again.exit_code == 0 and "đã có ghi nhận này" in again.stderr
    listed = json.loads(run("flag", "list", "-y", "2024", "-f", "json").stdout)
    assert listed == [{"year": 2024, "unit": "Sở Cao Lộc", "reason": "Không hoàn thành kế hoạch"}]
    assert run("flag", "remove", "-u", "Sở Cao Lộc", "-y", "2024").exit_code == 0
    missing = run("flag", "remove", "-u", "Sở Cao Lộc", "-y", "2024")
    assert missing.exit_code == 3
    assert query(cluster, "SELECT count(*) FROM flag") == [(0,)]


def test_votes(run, cluster, tmp_path):
    bad = run(
        "vote",
        "set",
        "-c",
        "Cụm III",
        "-y",
        "2024",
        "-u",
        "Sở Cao Lộc",
        "--votes",
        "6",
        "--voters",
        "5",
    )
    assert bad.exit_code == 3
    path = write(
        tmp_path, "v.csv", "Đơn vị,Số phiếu,Tổng số phiếu\nSở Cao Lộc,4,5\nCông ty Bắc Sơn,x,5\n"
    )
    before = snapshot(cluster)
    result = run("vote", "import", str(path), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 3 and "“x” không phải số nguyên" in result.stderr
    assert snapshot(cluster) == before
    path.write_text(
        "Đơn vị,Số phiếu,Tổng số phiếu\nSở Cao Lộc,4,5\nCông ty Bắc Sơn,5,5\n", encoding="utf-8"
    )
    assert run("vote", "import", str(path), "-c", "Cụm III", "-y", "2024").exit_code == 0
    assert query(cluster, "SELECT unit_id, votes, voters FROM vote ORDER BY unit_id") == [
        (2, 5, 5),
        (3, 4, 5),
    ]


def test_votes_need_no_criteria(run, sample):
    result = run(
        "vote",
        "set",
        "-c",
        "Cụm thi đua số I",
        "-y",
        "2017",
        "-u",
        "Viettel",
        "--votes",
        "2",
        "--period",
        "half",
    )
    assert result.exit_code == 0, result.output
    assert query(sample, "SELECT year, period, votes FROM vote") == [(2017, "half", 2)]


def test_votes_from_a_spreadsheet_with_number_cells(run, cluster, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Đơn vị", "Số phiếu", "Tổng số phiếu"])
    book.active.append(["Sở Cao Lộc", 4, 5.0])  # Excel stores numbers as floats
    path = tmp_path / "phieu.xlsx"
    book.save(path)
    result = run("vote", "import", str(path), "-c", "Cụm III", "-y", "2024")
    assert result.exit_code == 0, result.output
    assert query(cluster, "SELECT unit_id, votes, voters FROM vote") == [(3, 4, 5)]


def test_policy_layers(run, cluster):
    shown = json.loads(run("policy", "show", "-c", "Cụm III", "-y", "2024", "-f", "json").stdout)
    assert shown == {
        "schema_version": 1,
        "co_thi_dua_quota": 1,
        "bang_khen_quota": 1,
        "bang_khen_percent": 30,
        "tie_break": ["votes"],
        "score_rule": ["final", "peer", "self"],
        "bang_khen_min": 0,
        "bang_khen_max": None,
        "vote_threshold": None,
        "vote_threshold_rule": "at-least",
        "vote_gates": ["co_thi_dua"],
        "min_rating": {},
        "council_threshold": 50,
        "council_threshold_rule": "more-than",
    }
    assert (
        run("policy", "set", "--all-clusters", "-y", "2024", "--bang-khen-percent", "40").exit_code
        == 0
    )
    assert (
        run(
            "policy", "set", "-c", "Cụm III", "-y", "2024", "--tie-break", "votes, group:Nhóm 2"
        ).exit_code
        == 0
    )
    shown = json.loads(run("policy", "show", "-c", "Cụm III", "-y", "2024", "-f", "json").stdout)
    assert (shown["bang_khen_quota"], shown["tie_break"]) == (2, ["votes", "group:Nhóm 2"])
    table = run("policy", "show", "-c", "Cụm III", "-y", "2024", "-f", "csv").stdout.splitlines()
    assert (
        table[1]
        == 'Bằng khen,"40% số đơn vị, làm tròn xuống = 2",quy định của năm,bang_khen_quota,year'
    )
    bad = run("policy", "set", "-c", "Cụm III", "-y", "2024", "--tie-break", "group:Không có")
    assert bad.exit_code == 3 and "Không có nhóm tiêu chí" in bad.stderr
    assert run("policy", "set", "-y", "2024", "--co-thi-dua-quota", "2").exit_code == 3  # no scope
    assert run("policy", "set", "-c", "Cụm III", "-y", "2024", "--reset").exit_code == 0
    assert run("policy", "set", "--all-clusters", "-y", "2024", "--reset").exit_code == 0
    assert query(cluster, "SELECT count(*) FROM policy") == [(0,)]


def test_the_quota_options_of_earlier_versions_still_work_unlisted(run, cluster):
    done = run("policy", "set", "-c", "Cụm III", "-y", "2024", "--flag-quota", "2",
               "--merit-quota", "0")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert query(cluster, "SELECT co_thi_dua_quota, bang_khen_quota FROM policy") == [(2, 0)]
    helped = run("policy", "set", "--help").stdout
    assert "--co-thi-dua-quota" in helped and "--bang-khen-quota" in helped
    assert "--flag-quota" not in helped and "--merit-quota" not in helped
    before = snapshot(cluster)
    both = run("policy", "set", "-c", "Cụm III", "-y", "2024", "--flag-quota", "1",
               "--co-thi-dua-quota", "1")  # fmt: skip
    assert (both.exit_code, both.stderr) == (
        3,
        "Lỗi: --flag-quota là tên cũ của --co-thi-dua-quota; chỉ dùng một trong hai.\n",
    )
    assert snapshot(cluster) == before
