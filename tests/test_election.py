"""`thidua elect` (record and --suggest) and `thidua covenant sign`."""

import csv
import json

import pytest

from conftest import query, snapshot
from thidua_cli.app.sample import data_dir
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import set_language
from thidua_cli.models import Member, RoleHeld, Unit
from thidua_cli.rules.election import check_election, rotation_order, suggest_rotation

MEMBERSHIPS = list(
    csv.DictReader((data_dir() / "sample" / "memberships.csv").open(encoding="utf-8"))
)
ELECTED_2021 = {
    row["cluster"]: {} for row in MEMBERSHIPS if row["year"] == "2021"
}  # cluster -> {role: unit}, as the articles report the 2021 choice
for row in MEMBERSHIPS:
    if row["year"] == "2021" and row["role"] != "member":
        ELECTED_2021[row["cluster"]][row["role"]] = row["unit"]


def roles(db, year, cluster_name):
    return query(
        db,
        "SELECT u.name, m.role FROM membership m JOIN unit u ON u.id = m.unit_id"
        " JOIN cluster c ON c.id = m.cluster_id WHERE m.year = ? AND c.name = ?"
        " AND m.role <> 'member' ORDER BY m.role DESC",
        (year, cluster_name),
    )


# ---------------------------------------------------------------- the sample, as the articles


def test_suggest_for_cum_ii_2021_follows_the_custom_and_shows_what_is_recorded(run, sample):
    result = run("elect", "-c", "Cụm II", "-y", "2021", "--suggest")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Cụm thi đua II - Các doanh nghiệp Trung ương, năm 2021: đề xuất theo lệ luân phiên",
        "  Trưởng cụm: Chi nhánh Ga Đồng Đăng  (đã ghi nhận: Chi nhánh Ga Đồng Đăng)",
        "  Phó trưởng cụm: Chi nhánh Xăng dầu Lạng Sơn  (đã ghi nhận: Chi nhánh Xăng dầu Lạng Sơn)",
        "Lý do:",
        "  - Trưởng cụm: Chi nhánh Ga Đồng Đăng, Phó trưởng cụm năm 2020 (theo lệ luân phiên).",
        "  - Phó trưởng cụm: Chi nhánh Xăng dầu Lạng Sơn, lâu nhất chưa giữ vai trò (chưa có năm"
        " nào làm Trưởng cụm hay Phó trưởng cụm trong dữ liệu). Cùng thời gian: Công ty Bảo Minh"
        " Lạng Sơn; Công ty cổ phần Lương thực Cao Lạng; chọn đơn vị đứng trước theo thứ tự"
        " tiếng Việt.",
    ]
    data = json.loads(run("elect", "-c", "Cụm II", "-y", "2021", "--suggest", "-f", "json").stdout)
    assert data["leader"] == "Chi nhánh Ga Đồng Đăng"
    assert data["deputy"] == "Chi nhánh Xăng dầu Lạng Sơn"
    assert len(data["reasons"]) == 2
    assert data["recorded"] == {
        "leader": "Chi nhánh Ga Đồng Đăng",
        "deputy": "Chi nhánh Xăng dầu Lạng Sơn",
    }
    assert list(data) == [
        "schema_version",
        "cluster",
        "year",
        "leader",
        "deputy",
        "reasons",
        "recorded",
    ]


def test_suggest_writes_nothing(run, sample):
    before = snapshot(sample)
    assert run("elect", "-c", "Cụm I", "-y", "2022", "--suggest").exit_code == 0
    assert snapshot(sample) == before


@pytest.mark.parametrize("cluster", sorted(ELECTED_2021))
def test_recording_the_articles_2021_choice_again(run, sample, cluster):
    chosen = ELECTED_2021[cluster]
    refused = run(
        "elect", "-c", cluster, "-y", "2021", "--leader", chosen["leader"], "--deputy",
        chosen["deputy"],
    )  # fmt: skip
    assert refused.exit_code == 3
    assert "đã ghi nhận kết quả bầu cho năm 2021" in refused.stderr
    result = run(
        "elect", "-c", cluster, "-y", "2021", "--leader", chosen["leader"], "--deputy",
        chosen["deputy"], "--replace",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert roles(sample, 2021, cluster) == [
        (chosen["leader"], "leader"),
        (chosen["deputy"], "deputy"),
    ]
    if cluster.startswith("Cụm I -"):
        assert result.stderr.splitlines()[-1] == (
            "Lưu ý: Theo lệ luân phiên, Phó trưởng cụm năm 2020 (Ngân hàng Phát triển tỉnh Lạng"
            " Sơn) làm Trưởng cụm của Cụm I - Các tổ chức tín dụng năm 2021; lần này bầu Ngân hàng"
            " TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn. Đã ghi nhận lựa chọn."
        )
    else:
        assert "Lưu ý" not in result.stderr


@pytest.mark.parametrize("cluster", sorted(ELECTED_2021))
def test_recording_the_articles_2021_choice_on_a_database_without_it(run, sample, cluster):
    conn_rows = query(sample, "SELECT count(*) FROM membership WHERE year = 2021")
    assert conn_rows == [(25,)]
    import sqlite3

    with sqlite3.connect(sample) as conn:
        conn.execute("DELETE FROM membership WHERE year = 2021")
    members_2020 = query(
        sample,
        "SELECT count(*) FROM membership m JOIN cluster c ON c.id = m.cluster_id"
        " WHERE m.year = 2020 AND c.name = ?",
        (cluster,),
    )[0][0]
    chosen = ELECTED_2021[cluster]
    result = run(
        "elect", "-c", cluster, "-y", "2021", "--leader", chosen["leader"], "--deputy",
        chosen["deputy"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"Năm 2021 chưa có thành viên: đã chuyển {members_2020} thành viên của năm 2020 sang."
    )
    assert roles(sample, 2021, cluster) == [
        (chosen["leader"], "leader"),
        (chosen["deputy"], "deputy"),
    ]
    assert query(
        sample,
        "SELECT count(*) FROM membership m JOIN cluster c ON c.id = m.cluster_id"
        " WHERE m.year = 2021 AND c.name = ?",
        (cluster,),
    ) == [(members_2020,)]
    assert ("Lưu ý" in result.stderr) == cluster.startswith("Cụm I -")


# ---------------------------------------------------------------- the checks


@pytest.fixture
def five(run, db):
    """Cụm V with units A..E in 2020: A leads, B deputises."""
    assert run("cluster", "add", "Cụm thi đua số V", "--code", "Cụm V").exit_code == 0
    for name in ["Đơn vị A", "Đơn vị B", "Đơn vị C", "Đơn vị D", "Đơn vị E", "Đơn vị F"]:
        assert run("unit", "add", name).exit_code == 0
    members = ["Đơn vị A", "Đơn vị B", "Đơn vị C", "Đơn vị D", "Đơn vị E"]
    assert run("cluster", "join", "Cụm V", *members, "-y", "2020").exit_code == 0
    assert (
        run("cluster", "join", "Cụm V", "Đơn vị A", "-y", "2020", "--role", "leader").exit_code == 0
    )
    assert (
        run("cluster", "join", "Cụm V", "Đơn vị B", "-y", "2020", "--role", "deputy").exit_code == 0
    )
    return db


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--leader", "Đơn vị C", "--deputy", "Đơn vị C"],
            3,
            "Lỗi: Chưa ghi nhận gì cho Cụm thi đua số V năm 2021:\n"
            "  - Trưởng cụm và Phó trưởng cụm phải là hai đơn vị khác nhau (Đơn vị C).\n",
        ),
        (
            ["--leader", "Đơn vị F", "--deputy", "Đơn vị C"],
            3,
            "Lỗi: Chưa ghi nhận gì cho Cụm thi đua số V năm 2021:\n"
            "  - Đơn vị F không là thành viên Cụm thi đua số V năm 2021.\n",
        ),
        (
            ["--leader", "Đơn vị Z"],
            3,
            "Lỗi: Không có đơn vị “Đơn vị Z”.",
        ),
        (
            ["--deputy", "Đơn vị C"],
            2,
            "Lỗi: Hãy cho biết đơn vị được bầu bằng --leader (và --deputy), hoặc dùng --suggest.\n",
        ),
        (
            ["--suggest", "--leader", "Đơn vị C"],
            2,
            "Lỗi: Chỉ dùng --suggest hoặc --leader/--deputy, không dùng cả hai.\n",
        ),
    ],
)
def test_a_refused_election_says_why_and_writes_nothing(run, five, args, code, message):
    before = snapshot(five)
    result = run("elect", "-c", "Cụm V", "-y", "2021", *args)
    assert result.exit_code == code
    assert result.stderr.startswith(message)
    assert snapshot(five) == before


def test_a_second_election_needs_replace(run, five):
    assert (
        run("elect", "-c", "Cụm V", "-y", "2021", "--leader", "B", "--deputy", "C").exit_code == 0
    )
    before = snapshot(five)
    result = run("elect", "-c", "Cụm V", "-y", "2021", "--leader", "B", "--deputy", "D")
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: Cụm thi đua số V đã ghi nhận kết quả bầu cho năm 2021: Trưởng cụm: Đơn vị B;"
        " Phó trưởng cụm: Đơn vị C.\n"
        "  - Dùng --replace để ghi nhận lựa chọn mới thay thế.\n"
    )
    assert snapshot(five) == before
    result = run(
        "elect", "-c", "Cụm V", "-y", "2021", "--leader", "B", "--deputy", "D", "--replace"
    )
    assert result.exit_code == 0, result.output
    assert roles(five, 2021, "Cụm thi đua số V") == [("Đơn vị B", "leader"), ("Đơn vị D", "deputy")]


def test_an_election_without_deputy_leaves_none(run, five):
    result = run("elect", "-c", "Cụm V", "-y", "2021", "--leader", "B")
    assert result.exit_code == 0, result.output
    assert roles(five, 2021, "Cụm thi đua số V") == [("Đơn vị B", "leader")]


def test_electing_with_no_members_in_either_year(run, five):
    before = snapshot(five)
    result = run("elect", "-c", "Cụm V", "-y", "2023", "--leader", "B")
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: Cụm thi đua số V chưa có thành viên năm 2023 và năm 2022; hãy thêm trước"
        " (thidua cluster join).\n"
    )
    assert snapshot(five) == before


def test_carrying_members_refuses_a_unit_already_elsewhere(run, five):
    assert run("cluster", "add", "Cụm thi đua số VI", "--code", "Cụm VI").exit_code == 0
    assert run("cluster", "join", "Cụm VI", "Đơn vị E", "-y", "2021").exit_code == 0
    before = snapshot(five)
    result = run("elect", "-c", "Cụm V", "-y", "2021", "--leader", "B", "--deputy", "C")
    assert result.exit_code == 3
    assert "Đơn vị E đã thuộc Cụm thi đua số VI trong năm 2021." in result.stderr
    assert snapshot(five) == before


def test_the_custom_warning_is_in_english_too(run, five):
    result = run(
        "--lang", "en", "elect", "-c", "Cụm V", "-y", "2021", "--leader", "C", "--deputy", "D"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "2021 had no members yet: the 5 members of 2020 were carried over.",
        "Recorded for Cụm thi đua số V in 2021: leader: Đơn vị C; deputy: Đơn vị D.",
        "Warning: By custom the deputy of 2020 (Đơn vị B) becomes the leader of Cụm thi đua số V"
        " in 2021; Đơn vị C was elected instead. The choice is recorded.",
    ]


# ---------------------------------------------------------------- rotation


def test_following_the_suggestion_year_after_year_rotates_through_every_member(run, five):
    chosen = []
    for year in range(2021, 2027):
        data = json.loads(
            run("elect", "-c", "Cụm V", "-y", str(year), "--suggest", "-f", "json").stdout
        )
        chosen.append((year, data["leader"], data["deputy"]))
        result = run(
            "elect", "-c", "Cụm V", "-y", str(year), "--leader", data["leader"], "--deputy",
            data["deputy"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "Lưu ý" not in result.stderr
    assert chosen == [
        (2021, "Đơn vị B", "Đơn vị C"),
        (2022, "Đơn vị C", "Đơn vị D"),
        (2023, "Đơn vị D", "Đơn vị E"),
        (2024, "Đơn vị E", "Đơn vị A"),  # A led in 2020, longest ago
        (2025, "Đơn vị A", "Đơn vị B"),
        (2026, "Đơn vị B", "Đơn vị C"),
    ]


def test_suggest_skips_units_flagged_the_year_before(run, five):
    reason = "Không hoàn thành kế hoạch"
    assert run("flag", "add", "-y", "2020", "-u", "Đơn vị C", "--reason", reason).exit_code == 0
    data = json.loads(run("elect", "-c", "Cụm V", "-y", "2021", "--suggest", "-f", "json").stdout)
    assert (data["leader"], data["deputy"]) == ("Đơn vị B", "Đơn vị D")
    assert data["reasons"][:2] == [
        "Năm 2021 chưa có thành viên; lấy thành viên của năm 2020.",
        f"Không đề xuất, do bị đánh dấu năm 2020: Đơn vị C ({reason}).",
    ]
    assert data["recorded"] is None


def test_a_flagged_deputy_is_not_proposed_as_leader(run, five):
    assert run("flag", "add", "-y", "2020", "-u", "Đơn vị B", "--reason", "Kỷ luật").exit_code == 0
    data = json.loads(run("elect", "-c", "Cụm V", "-y", "2021", "--suggest", "-f", "json").stdout)
    assert (data["leader"], data["deputy"]) == ("Đơn vị C", "Đơn vị D")
    assert data["reasons"][2] == (
        "Đơn vị B, Phó trưởng cụm năm 2020, bị đánh dấu năm đó nên không được đề xuất."
    )


def test_a_role_in_another_cluster_counts_for_rotation(run, five):
    # E was deputy of another cluster in 2019: C and D have waited longer.
    assert run("cluster", "add", "Cụm thi đua số VI", "--code", "Cụm VI").exit_code == 0
    assert (
        run("cluster", "join", "Cụm VI", "Đơn vị C", "-y", "2019", "--role", "deputy").exit_code
        == 0
    )
    data = json.loads(run("elect", "-c", "Cụm V", "-y", "2021", "--suggest", "-f", "json").stdout)
    assert data["deputy"] == "Đơn vị D"
    assert "lần gần nhất làm" not in data["reasons"][-1]
    assert data["reasons"][0] == "Năm 2021 chưa có thành viên; lấy thành viên của năm 2020."


# ---------------------------------------------------------------- the rules, over literals


def member(i, role="member"):
    return Member(i, f"Đơn vị {'ABCDE'[i - 1]}", role)


def test_rotation_order_puts_never_served_first_then_longest_ago_then_name():
    members = [member(1), member(2), member(3), member(4)]
    last = {1: RoleHeld(2019, "leader", "X"), 2: RoleHeld(2017, "deputy", "Y")}
    assert [m.unit_id for m in rotation_order(members, last)] == [3, 4, 2, 1]


def test_without_a_deputy_the_year_before_the_longest_waiting_leads():
    set_language("vi")
    previous = [member(1, "leader"), member(2), member(3)]
    result = suggest_rotation(
        2021, previous, previous, {1: RoleHeld(2020, "leader", "X")}, {}, kind="cum"
    )
    assert (result.leader.unit_id, result.deputy.unit_id) == (2, 3)
    assert result.reasons[0] == (
        "Năm 2020 không có Phó trưởng cụm, nên lệ luân phiên không xác định đơn vị làm Trưởng cụm."
    )


def test_a_deputy_who_left_cannot_lead():
    set_language("vi")
    previous = [member(1, "leader"), member(2, "deputy"), member(3)]
    now = [member(1), member(3), member(4)]
    result = suggest_rotation(2021, now, previous, {}, {}, kind="cum")
    assert result.reasons[0] == "Đơn vị B, Phó trưởng cụm năm 2020, không còn là thành viên."
    assert result.leader.unit_id == 1  # by name among the never-served: A, C, D


def test_a_one_member_cluster_has_no_deputy_to_suggest():
    set_language("vi")
    result = suggest_rotation(2021, [member(1)], [member(1, "leader")], {}, {}, kind="cum")
    assert result.leader.unit_id == 1 and result.deputy is None
    assert result.reasons[-1] == "Không còn đơn vị nào đủ điều kiện làm Phó trưởng cụm."


def test_check_election_lists_every_problem():
    set_language("vi")
    with pytest.raises(InvalidInput) as caught:
        check_election("Cụm V", 2021, [member(1)], Unit(7, "G"), Unit(8, "H"), kind="cum")
    assert caught.value.details == [
        "G không là thành viên Cụm V năm 2021.",
        "H không là thành viên Cụm V năm 2021.",
    ]


# ---------------------------------------------------------------- the covenant


def test_sign_the_covenant_and_see_it_in_cluster_show(run, five):
    result = run(
        "covenant", "sign", "-c", "Cụm V", "-y", "2020", "--date", "15/01/2020",
        "--note", "Tại hội nghị tổng kết",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Cụm thi đua số V, 2020: Giao ước thi đua ký ngày 15/01/2020 (Tại hội nghị tổng kết).\n"
    )
    assert query(five, "SELECT year, signed_on, note FROM covenant") == [
        (2020, "2020-01-15", "Tại hội nghị tổng kết")
    ]
    shown = json.loads(run("cluster", "show", "Cụm V", "-y", "2020", "-f", "json").stdout)
    assert shown["covenant"] == {"date": "2020-01-15", "note": "Tại hội nghị tổng kết"}
    table = run("cluster", "show", "Cụm V", "-y", "2020").stdout
    assert "Giao ước thi đua ký ngày 15/01/2020 (Tại hội nghị tổng kết)" in table


def test_signing_again_needs_replace(run, five):
    args = ["covenant", "sign", "-c", "Cụm V", "-y", "2020"]
    assert run(*args, "--date", "2020-01-15").exit_code == 0
    before = snapshot(five)
    result = run(*args, "--date", "2020-01-20")
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: Cụm thi đua số V đã có giao ước năm 2020: Giao ước thi đua ký ngày 15/01/2020."
        " Dùng --replace để thay.\n"
    )
    assert snapshot(five) == before
    assert run(*args, "--date", "2020-01-20", "--replace").exit_code == 0
    assert query(five, "SELECT signed_on, note FROM covenant") == [("2020-01-20", None)]


@pytest.mark.parametrize(
    ("year", "date", "message"),
    [
        ("2020", "31/02/2020", "Lỗi: “31/02/2020” không phải là ngày"),
        ("2020", "2021-01-05", "Lỗi: Giao ước thi đua năm 2020 được ký trong năm 2019 hoặc 2020"),
        ("2022", "2022-01-05", "Lỗi: Cụm thi đua số V chưa có thành viên năm 2022"),
    ],
)
def test_a_refused_covenant_writes_nothing(run, five, year, date, message):
    before = snapshot(five)
    result = run("covenant", "sign", "-c", "Cụm V", "-y", year, "--date", date)
    assert result.exit_code == 3
    assert result.stderr.startswith(message)
    assert snapshot(five) == before
