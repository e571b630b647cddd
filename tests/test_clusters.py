import json

from conftest import query, snapshot


def _setup(run):
    assert run("cluster", "add", "Cụm I - Các tổ chức tín dụng", "--code", "Cụm I").exit_code == 0
    assert (
        run("cluster", "add", "Cụm thi đua II - Các doanh nghiệp", "--code", "Cụm II").exit_code
        == 0
    )
    for name in ["Ngân hàng A", "Ngân hàng B", "Ngân hàng C", "Công ty D", "Công ty E"]:
        assert run("unit", "add", name).exit_code == 0


def test_join_with_roles_and_show_in_vietnamese_order(run, db):
    _setup(run)
    assert (
        run("cluster", "join", "Cụm I", "Ngân hàng C", "Ngân hàng A", "-y", "2020").exit_code == 0
    )
    assert (
        run("cluster", "join", "cụm 1", "Ngân hàng B", "-y", "2020", "--role", "leader").exit_code
        == 0
    )
    result = run(
        "cluster", "join", "Cụm thi đua số I", "Ngân hàng C", "-y", "2020", "--role", "deputy"
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(run("cluster", "show", "Cụm I", "--year", "2020", "-f", "json").stdout)
    assert shown == {
        "schema_version": 1,
        "cluster": "Cụm I - Các tổ chức tín dụng",
        "code": "Cụm I",
        "year": 2020,
        "leader": "Ngân hàng B",
        "deputy": "Ngân hàng C",
        "members": [
            {"unit": "Ngân hàng A", "role": "member"},
            {"unit": "Ngân hàng B", "role": "leader"},
            {"unit": "Ngân hàng C", "role": "deputy"},
        ],
        "conferences": [],
        "covenant": None,
        "signer": None,
    }
    csv_out = run("cluster", "show", "Cụm I", "--year", "2020", "-f", "csv").stdout
    assert csv_out.splitlines() == [
        "STT,Đơn vị,Vai trò,Mã vai trò",
        "1,Ngân hàng A,Thành viên,member",
        "2,Ngân hàng B,Trưởng cụm,leader",
        "3,Ngân hàng C,Phó trưởng cụm,deputy",
    ]


def test_cum_i_does_not_match_cum_ii(run, db):
    _setup(run)
    assert run("cluster", "join", "Cụm II", "Công ty D", "-y", "2020").exit_code == 0
    assert run("cluster", "join", "Cụm I", "Ngân hàng A", "-y", "2020").exit_code == 0
    rows = query(
        db,
        "SELECT c.code, u.name FROM membership m JOIN cluster c ON c.id = m.cluster_id"
        " JOIN unit u ON u.id = m.unit_id ORDER BY c.code",
    )
    assert rows == [("Cụm I", "Ngân hàng A"), ("Cụm II", "Công ty D")]


def test_two_leaders_for_one_cluster_year_are_refused(run, db):
    _setup(run)
    assert (
        run("cluster", "join", "Cụm I", "Ngân hàng A", "-y", "2020", "--role", "leader").exit_code
        == 0
    )
    before = snapshot(db)
    result = run("cluster", "join", "Cụm I", "Ngân hàng B", "-y", "2020", "--role", "leader")
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: Chưa thay đổi gì ở Cụm I - Các tổ chức tín dụng năm 2020:\n"
        "  - Cụm I - Các tổ chức tín dụng đã có Trưởng cụm năm 2020: Ngân hàng A. Hãy chuyển "
        "đơn vị đó về thành viên trước (thidua cluster join ... --role member).\n"
    )
    assert snapshot(db) == before
    both = run(
        "cluster", "join", "Cụm II", "Công ty D", "Công ty E", "-y", "2020", "--role", "deputy"
    )
    assert both.exit_code == 3
    assert "chỉ có một Phó trưởng cụm" in both.stderr
    assert snapshot(db) == before


def test_the_leader_can_be_changed_by_demoting_first(run, db):
    _setup(run)
    assert (
        run("cluster", "join", "Cụm I", "Ngân hàng A", "-y", "2020", "--role", "leader").exit_code
        == 0
    )
    assert run("cluster", "join", "Cụm I", "Ngân hàng A", "-y", "2020").exit_code == 0
    assert (
        run("cluster", "join", "Cụm I", "Ngân hàng B", "-y", "2020", "--role", "leader").exit_code
        == 0
    )
    assert query(db, "SELECT unit_id, role FROM membership ORDER BY unit_id") == [
        (1, "member"),
        (2, "leader"),
    ]


def test_a_unit_in_two_clusters_the_same_year_is_refused(run, db):
    _setup(run)
    assert run("cluster", "join", "Cụm I", "Ngân hàng A", "-y", "2020").exit_code == 0
    before = snapshot(db)
    result = run("cluster", "join", "Cụm II", "Công ty D", "Ngân hàng A", "-y", "2020")
    assert result.exit_code == 3
    assert "Ngân hàng A đã thuộc Cụm I - Các tổ chức tín dụng trong năm 2020." in result.stderr
    assert snapshot(db) == before
    # another year is another matter
    assert run("cluster", "join", "Cụm II", "Ngân hàng A", "-y", "2021").exit_code == 0


def test_unknown_units_are_all_reported_and_nothing_written(run, db):
    _setup(run)
    before = snapshot(db)
    result = run("cluster", "join", "Cụm I", "Ngân hàng X", "Ngân hàng A", "Công ty", "-y", "2020")
    assert result.exit_code == 3
    assert "Ngân hàng X" in result.stderr
    assert "“Công ty” ứng với nhiều đơn vị" in result.stderr
    assert snapshot(db) == before


def test_leave(run, db):
    _setup(run)
    assert (
        run("cluster", "join", "Cụm I", "Ngân hàng A", "Ngân hàng B", "-y", "2020").exit_code == 0
    )
    assert run("cluster", "leave", "Cụm I", "Ngân hàng A", "-y", "2020").exit_code == 0
    assert query(db, "SELECT unit_id FROM membership") == [(2,)]
    before = snapshot(db)
    result = run("cluster", "leave", "Cụm I", "Ngân hàng C", "-y", "2020")
    assert result.exit_code == 3
    assert "Không phải thành viên" in result.stderr
    assert snapshot(db) == before


def test_carry_members_into_the_next_year(run, sample):
    result = run("cluster", "carry", "--from", "2020", "--to", "2022")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Đã chuyển 25 lượt thành viên từ năm 2020 sang năm 2022.\n"
    assert query(
        sample, "SELECT count(*), count(DISTINCT role) FROM membership WHERE year = 2022"
    ) == [(25, 1)]
    # running it again adds nothing
    again = run("cluster", "carry", "--from", "2020", "--to", "2022")
    assert again.stderr == "Đã chuyển 0 lượt thành viên từ năm 2020 sang năm 2022.\n"


def test_carry_refuses_a_unit_already_elsewhere(run, sample):
    assert run("cluster", "join", "Cụm II", "Sở Nội vụ", "-y", "2023").exit_code == 0
    before = snapshot(sample)
    result = run(
        "cluster",
        "carry",
        "--from",
        "2020",
        "--to",
        "2023",
        "-c",
        "Cụm thi đua các cơ quan tham mưu tổng hợp",
    )
    assert result.exit_code == 3
    assert "Sở Nội vụ đã thuộc Cụm thi đua II" in result.stderr
    assert snapshot(sample) == before


def test_list_by_year(run, sample):
    result = run("cluster", "list", "--year", "2021", "-f", "json")
    assert json.loads(result.stdout)[0] == {
        "name": "Cụm I - Các tổ chức tín dụng",
        "code": "Cụm I",
        "members": 5,
        "leader": "Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn",
        "deputy": "Ngân hàng Chính sách xã hội chi nhánh tỉnh Lạng Sơn",
    }
    every = json.loads(run("cluster", "list", "-f", "json").stdout)
    assert [c["years"] for c in every] == [
        [2020, 2021],
        [2020, 2021],
        [2020, 2021],
        [2020, 2021],
        [2017],
    ]


def test_a_reused_number_follows_the_year(run, sample):
    y2020 = json.loads(run("cluster", "show", "Cụm I", "-y", "2020", "-f", "json").stdout)
    y2017 = json.loads(
        run("cluster", "show", "Cụm thi đua số I", "-y", "2017", "-f", "json").stdout
    )
    assert y2020["cluster"] == "Cụm I - Các tổ chức tín dụng"
    assert y2017["cluster"].startswith("Cụm thi đua số I - Các doanh nghiệp Trung ương")
    result = run("cluster", "show", "Cụm I", "-y", "2019")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "Lỗi: “Cụm I” ứng với nhiều cụm thi đua; hãy nói rõ:",
        "  - Cụm I - Các tổ chức tín dụng (2020, 2021)",
        "  - Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn (2017)",
    ]


def test_conference_date_and_place(run, sample):
    result = run(
        "cluster",
        "conference",
        "-c",
        "Cụm II",
        "-y",
        "2021",
        "--date",
        "06/01/2022",
        "--place",
        "Chi nhánh Ga Đồng Đăng",
    )
    assert result.exit_code == 0, result.output
    assert query(
        sample, "SELECT year, period, held_on, place FROM conference WHERE year = 2021"
    ) == [(2021, "year", "2022-01-06", "Chi nhánh Ga Đồng Đăng")]
    bad = run("cluster", "conference", "-c", "Cụm II", "-y", "2021", "--date", "31/02/2022")
    assert bad.exit_code == 3
    assert "không phải là ngày" in bad.stderr


def test_a_cluster_name_already_taken_is_refused(run, db):
    _setup(run)
    before = snapshot(db)
    result = run("cluster", "add", "cụm i – các tổ chức tín dụng")
    assert result.exit_code == 3
    assert snapshot(db) == before


def test_a_scored_member_cannot_leave(run, draft_sample):
    before = snapshot(draft_sample)
    result = run("cluster", "leave", "Cụm I", "BIDV Lạng Sơn", "-y", "2020")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "Lỗi: Các đơn vị này đã có điểm, phiếu hoặc có tên trong biên bản hội nghị ở Cụm I - Các"
        " tổ chức tín dụng năm 2020; vẫn là thành viên khi còn các dữ liệu đó:",
        "  - Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn",
    ]
    assert snapshot(draft_sample) == before
