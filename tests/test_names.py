"""Names that cannot collide, and lookups that suggest for typos (issue 16).

A name is refused when a lookup could not tell it from a name that another unit (or cluster)
already answers to: its full name, short name, alias or code, compared by the forgiving key the
lookups use (case, diacritics and tone placement folded). A mistyped name is never taken: the
lookup fails (exit 3) and suggests the near names, or lists what exists that year.
"""

import pytest

from conftest import query, snapshot

AGRIBANK = "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
CUM_I = "Cụm I - Các tổ chức tín dụng"
CUM_II = "Cụm thi đua II - Các doanh nghiệp Trung ương"
THAM_MUU = "Cụm thi đua các cơ quan tham mưu tổng hợp"
TRUNG_UONG = "Cụm thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh"


def _refused(run, db, args, stderr):
    before = snapshot(db)
    result = run(*args)
    assert result.exit_code == 3, result.output
    assert result.stderr == stderr
    assert result.stdout == ""
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (  # name vs short name: the issue's case
            ["unit", "add", "Agribank Lạng Sơn"],
            f"“Agribank Lạng Sơn” không phân biệt được với “Agribank Lạng Sơn”, tên ngắn của đơn"
            f" vị {AGRIBANK}.",
        ),
        (  # case and diacritics
            ["unit", "add", "agribank lang son"],
            f"“agribank lang son” không phân biệt được với “Agribank Lạng Sơn”, tên ngắn của đơn"
            f" vị {AGRIBANK}.",
        ),
        (  # name vs name
            ["unit", "add", "SỞ NỘI VỤ"],
            "“SỞ NỘI VỤ” không phân biệt được với đơn vị “Sở Nội vụ”.",
        ),
        (  # name vs alias
            ["unit", "add", "Ngan hang Phat trien"],
            "“Ngan hang Phat trien” không phân biệt được với “Ngân hàng Phát triển”, một tên khác"
            " của đơn vị Ngân hàng Phát triển tỉnh Lạng Sơn.",
        ),
        (  # short name vs name
            ["unit", "add", "Sở Y tế", "--short", "Sở Tài chính"],
            "“Sở Tài chính” không phân biệt được với đơn vị “Sở Tài chính”.",
        ),
        (  # alias vs short name
            ["unit", "add", "Sở Y tế", "--alias", "BIDV Lang Son"],
            "“BIDV Lang Son” không phân biệt được với “BIDV Lạng Sơn”, tên ngắn của đơn vị Ngân"
            " hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn.",
        ),
        (  # short name vs alias
            ["unit", "add", "Sở Y tế", "--short", "Cục Thuế tỉnh"],
            "“Cục Thuế tỉnh” không phân biệt được với “Cục Thuế tỉnh”, một tên khác của đơn vị Cục"
            " Thuế tỉnh Lạng Sơn.",
        ),
        (  # cluster name vs code
            ["cluster", "add", "cum ii"],
            f"“cum ii” không phân biệt được với “Cụm II”, mã của cụm thi đua {CUM_II}.",
        ),
        (  # cluster alias vs name
            ["cluster", "add", "Cụm X", "--alias", "Cum thi dua cac co quan tham muu tong hop"],
            "“Cum thi dua cac co quan tham muu tong hop” không phân biệt được với cụm thi đua"
            f" “{THAM_MUU}”.",
        ),
        (  # cluster code vs alias
            ["cluster", "add", "Cụm X", "--code", "Cụm II - Các doanh nghiệp Trung ương"],
            "“Cụm II - Các doanh nghiệp Trung ương” không phân biệt được với “Cụm II - Các doanh"
            f" nghiệp Trung ương”, một tên khác của cụm thi đua {CUM_II}.",
        ),
    ],
)
def test_a_name_a_lookup_could_confuse_is_refused(run, sample, args, why):
    _refused(run, sample, args, f"Lỗi: Chưa thêm gì:\n  - {why}\n")


def test_the_issues_sequence_leaves_one_agribank(run, sample):
    for name in ("Agribank Lạng Sơn", "agribank lang son"):
        assert run("unit", "add", name).exit_code == 3
    assert query(sample, "SELECT count(*) FROM unit WHERE name LIKE '%gribank%'") == [(0,)]
    history = run("history", "--unit", "Agribank Lạng Sơn", "-f", "json")
    assert history.exit_code == 0, history.output
    assert AGRIBANK in history.stdout


def test_rename_to_a_name_another_unit_answers_to_is_refused(run, sample):
    _refused(
        run, sample, ["unit", "rename", "Sở Tư pháp", "vdb lang son"],
        "Lỗi: “vdb lang son” không phân biệt được với “VDB Lạng Sơn”, tên ngắn của đơn vị Ngân"
        " hàng Phát triển tỉnh Lạng Sơn.\n",
    )  # fmt: skip
    # its own names are its own: a rename to one of them is no collision
    result = run("unit", "rename", "Cục Thuế tỉnh Lạng Sơn", "Cục Thuế tỉnh")
    assert result.exit_code == 0, result.output


def test_a_cluster_number_may_be_reused_as_a_code(run, sample):
    # numbers are reused from year to year ("Cụm I" in 2017 and in 2020): the year tells them apart
    result = run("cluster", "add", "Cụm I - Các đơn vị sự nghiệp", "--code", "Cụm I")
    assert result.exit_code == 0, result.output
    assert query(sample, "SELECT count(*) FROM cluster WHERE code = 'Cụm I'") == [(3,)]


def test_a_units_own_short_name_may_repeat_its_name(run, db):
    result = run("unit", "add", "Sở Y tế", "--short", "Sở Y tế")
    assert result.exit_code == 0, result.output


def test_the_sample_loads_with_no_collision(run, sample):
    assert query(sample, "SELECT count(*) FROM unit") == [(32,)]


@pytest.mark.parametrize(
    ("typed", "near"),
    [
        ("Agribnak", "Agribank Lạng Sơn"),  # letters swapped
        ("Vietinbnak", "VietinBank Lạng Sơn"),
        ("Agribak Lạng Sơn", "Agribank Lạng Sơn"),  # a letter dropped
        ("Agribankk", "Agribank Lạng Sơn"),  # a letter doubled
        ("Sở Tư phap", None),  # the forgiving key finds it: no error at all
    ],
)
def test_a_typo_in_a_unit_gets_a_suggestion_and_still_fails(run, sample, typed, near):
    before = snapshot(sample)
    result = run("unit", "rename", typed, "Tên mới")
    if near is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 3
    assert result.stderr == (f"Lỗi: Không có đơn vị “{typed}”. Có phải bạn muốn nói: {near}?\n")
    assert snapshot(sample) == before


@pytest.mark.parametrize(
    ("typed", "near"),
    [
        ("Cụm thi đua các cơ quan tahm mưu tổng hợp", THAM_MUU),  # swapped
        ("Cụm thi đua các cơ quan Trung ưogn", TRUNG_UONG),
        ("Cụm thi đua các cơ quan tam mưu tổng hợp", THAM_MUU),  # dropped
        ("Cụm thi đua các cơ quan Trung ươngg", TRUNG_UONG),  # doubled
    ],
)
def test_a_typo_in_a_cluster_gets_a_suggestion(run, sample, typed, near):
    result = run("rank", "-c", typed, "-y", "2020")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Lỗi: Không có cụm thi đua “{typed}”. Có phải bạn muốn nói: {near}?\n"
    )


def test_a_cluster_near_nothing_lists_the_years_clusters(run, sample):
    # "Cụm III" is not a slip of "Cụm II": a numeral is never a typo
    result = run("rank", "-c", "Cụm III", "-y", "2020")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Lỗi: Không có cụm thi đua “Cụm III”. Năm 2020 có: {CUM_I}; {THAM_MUU}; {TRUNG_UONG};"
        f" {CUM_II}.\n"
    )
    other = run("rank", "-c", "Cụm III", "-y", "2017")
    assert other.stderr == (
        "Lỗi: Không có cụm thi đua “Cụm III”. Năm 2017 có: Cụm thi đua số I - Các doanh nghiệp"
        " Trung ương đóng trên địa bàn tỉnh Lạng Sơn.\n"
    )


def test_a_unit_near_nothing_lists_the_cluster_years_members(run, sample):
    before = snapshot(sample)
    result = run("elect", "-c", "Cụm I", "-y", "2021", "--leader", "Đơn vị Z")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Lỗi: Không có đơn vị “Đơn vị Z”. {CUM_I} năm 2021 có: Agribank Lạng Sơn; BIDV Lạng Sơn;"
        " NHCSXH Lạng Sơn; VDB Lạng Sơn; VietinBank Lạng Sơn.\n"
    )
    assert snapshot(sample) == before


def test_typo_distance_counts_slips_per_word():
    from thidua_cli.rules.matching import typo_distance

    assert typo_distance("agribnak", "agribank lang son") == 1  # swapped
    assert typo_distance("agribak", "agribank lang son") == 1  # dropped
    assert typo_distance("agribankk", "agribank") == 1  # doubled
    assert typo_distance("agribanklang son", "agribank lang son") == 1  # a space dropped
    assert typo_distance("ngan hagn phat trein", "ngan hang phat trien") == 2
    assert typo_distance("cum iii", "cum ii") is None  # short words and numerals: exact only
    assert typo_distance("agrbnk", "agribank") is None  # three slips


def test_names_added_then_rolled_back_are_free_again(db):
    # the index of names in use is kept between adds (an import adds thousands); a rollback
    # must not leave the names it undid behind
    import sqlite3

    from thidua_cli.store import registry

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN")
        registry.add_unit(conn, "Sở Y tế", "SYT", [])
        conn.execute("ROLLBACK")
        conn.execute("BEGIN")
        assert registry.add_unit(conn, "syt", None, []) > 0
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert query(db, "SELECT name, short_name FROM unit") == [("syt", None)]
