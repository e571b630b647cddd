import json
import unicodedata

from conftest import query, snapshot


def test_add_and_list_in_vietnamese_order(run, db):
    for name in ["Văn phòng UBND tỉnh", "Văn phòng Đoàn ĐBQH tỉnh", "Sở Tư pháp"]:
        result = run("unit", "add", name)
        assert result.exit_code == 0, result.output
    result = run(
        "unit",
        "add",
        "Ngân hàng Phát triển tỉnh Lạng Sơn",
        "--short",
        "VDB Lạng Sơn",
        "--alias",
        "Ngân hàng Phát triển",
        "--alias",
        "NHPT",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "Đã thêm đơn vị Ngân hàng Phát triển tỉnh Lạng Sơn.\n"
    listed = run("unit", "list", "--format", "csv")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        "Đơn vị,Tên ngắn,Tên gọi khác",
        "Ngân hàng Phát triển tỉnh Lạng Sơn,VDB Lạng Sơn,Ngân hàng Phát triển; NHPT",
        "Sở Tư pháp,,",
        "Văn phòng Đoàn ĐBQH tỉnh,,",
        "Văn phòng UBND tỉnh,,",
    ]


def test_names_are_stored_in_nfc(run, db):
    nfd = unicodedata.normalize("NFD", "Sở Kế hoạch và Đầu tư")
    assert run("unit", "add", nfd).exit_code == 0
    assert query(db, "SELECT name FROM unit") == [("Sở Kế hoạch và Đầu tư",)]


def test_a_name_already_taken_is_refused_and_nothing_written(run, db):
    assert run("unit", "add", "Văn phòng Hoà Bình").exit_code == 0
    before = snapshot(db)
    for args, why in (
        # the same name, other case and tone placement
        (("unit", "add", "VĂN PHÒNG HÒA BÌNH"), "“VĂN PHÒNG HÒA BÌNH” không phân biệt được"),
        (("unit", "add", "Sở Y tế", "--alias", "Văn phòng Hòa Bình"), "“Văn phòng Hòa Bình” không"),
        (
            ("unit", "add", "Sở Y tế", "--alias", "SYT", "--alias", "syt"),
            "đã là tên của một đơn vị",
        ),
    ):
        result = run(*args)
        assert result.exit_code == 3, args
        assert why in result.stderr
        assert result.stdout == ""
        assert snapshot(db) == before


def test_an_empty_name_is_refused(run, db):
    result = run("unit", "add", "   ")
    assert result.exit_code == 3
    assert "Tên không được để trống" in result.stderr
    assert query(db, "SELECT count(*) FROM unit") == [(0,)]


def test_rename_keeps_the_old_name_as_an_alias(run, db):
    assert run("unit", "add", "Sở Kế hoạch và Đầu tư").exit_code == 0
    result = run("unit", "rename", "so ke hoach", "Sở Tài chính - Kế hoạch")
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT name FROM unit") == [("Sở Tài chính - Kế hoạch",)]
    assert query(db, "SELECT alias FROM unit_alias") == [("Sở Kế hoạch và Đầu tư",)]
    listed = json.loads(run("unit", "list", "-f", "json").stdout)
    assert listed == [
        {
            "name": "Sở Tài chính - Kế hoạch",
            "short_name": None,
            "aliases": ["Sở Kế hoạch và Đầu tư"],
        }
    ]


def test_rename_without_keeping_the_old_name(run, db):
    assert run("unit", "add", "Sở Ngoại vụ").exit_code == 0
    assert run("unit", "rename", "Sở Ngoại vụ", "Sở Ngoại vụ tỉnh", "--drop-old").exit_code == 0
    assert query(db, "SELECT count(*) FROM unit_alias") == [(0,)]


def test_rename_to_another_units_name_is_refused(run, db):
    assert run("unit", "add", "Sở Nội vụ").exit_code == 0
    assert run("unit", "add", "Sở Ngoại vụ").exit_code == 0
    before = snapshot(db)
    result = run("unit", "rename", "Sở Ngoại vụ", "Sở Nội vụ")
    assert result.exit_code == 3
    assert snapshot(db) == before


def test_unknown_unit_suggests_the_nearest(run, db):
    assert run("unit", "add", "Sở Tài chính").exit_code == 0
    result = run("unit", "rename", "Sở Tài chánh", "X")
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: Không có đơn vị “Sở Tài chánh”. Có phải bạn muốn nói: Sở Tài chính?\n"
    )


def test_list_with_a_year_shows_cluster_and_role(run, sample):
    result = run("unit", "list", "--year", "2021", "-f", "json")
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert (
        rows["Chi nhánh Ga Đồng Đăng"]["cluster"] == "Cụm thi đua II - Các doanh nghiệp Trung ương"
    )
    assert rows["Chi nhánh Ga Đồng Đăng"]["role"] == "leader"
    assert rows["Viettel Lạng Sơn"]["cluster"] is None
