"""`thidua history` and `thidua decide`: the record across years."""

import json

import pytest

from conftest import TEST_CRITERIA, query, snapshot
from thidua_cli.i18n import set_language
from thidua_cli.output.wording import runs_text
from thidua_cli.rules.history import consecutive_runs

UNITS = ["Đơn vị A", "Đơn vị B", "Đơn vị C", "Đơn vị D", "Đơn vị E"]


def scored_year(run, tmp_path, year, totals):
    """Cụm V in `year`: the units of `totals` are members, each scoring its total."""
    result = run("cluster", "join", "Cụm V", *totals, "-y", str(year))
    assert result.exit_code == 0, result.output
    criteria = tmp_path / f"criteria-{year}.csv"
    criteria.write_text(TEST_CRITERIA, encoding="utf-8")
    assert run("criteria", "import", str(criteria), "--default", "-y", str(year)).exit_code == 0
    lines = ["unit,criterion,points"]
    for unit, total in totals.items():
        lines += [f"{unit},1,{min(total, 60)}", f"{unit},2,{max(total - 60, 0)}"]
    scores = tmp_path / f"scores-{year}.csv"
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("score", "import", str(scores), "-c", "Cụm V", "-y", str(year))
    assert result.exit_code == 0, result.output


@pytest.fixture
def years(run, db, tmp_path):
    """A wins the flag in 2018, 2019, 2021 and 2022; it is in no cluster in 2020 (a gap)."""
    assert run("cluster", "add", "Cụm thi đua số V", "--code", "Cụm V").exit_code == 0
    for name in UNITS:
        assert run("unit", "add", name).exit_code == 0
    scored_year(
        run,
        tmp_path,
        2018,
        {"Đơn vị A": 95, "Đơn vị B": 90, "Đơn vị C": 85, "Đơn vị D": 80, "Đơn vị E": 70},
    )
    scored_year(
        run,
        tmp_path,
        2019,
        {"Đơn vị A": 96, "Đơn vị B": 91, "Đơn vị C": 85, "Đơn vị D": 80, "Đơn vị E": 70},
    )
    scored_year(
        run, tmp_path, 2020, {"Đơn vị B": 95, "Đơn vị C": 92, "Đơn vị D": 80, "Đơn vị E": 70}
    )
    scored_year(
        run,
        tmp_path,
        2021,
        {"Đơn vị A": 97, "Đơn vị B": 90, "Đơn vị C": 93, "Đơn vị D": 80, "Đơn vị E": 70},
    )
    scored_year(
        run,
        tmp_path,
        2022,
        {"Đơn vị A": 98, "Đơn vị B": 97, "Đơn vị C": 85, "Đơn vị D": 80, "Đơn vị E": 70},
    )
    assert (
        run("cluster", "join", "Cụm V", "Đơn vị B", "-y", "2021", "--role", "leader").exit_code == 0
    )
    for year in range(2018, 2023):  # each year-end review submitted after its conference
        result = run("submit", "-c", "Cụm V", "-y", str(year), "--date", f"08/01/{year + 1}")
        assert result.exit_code == 0, result.output
    return db


def test_runs_of_consecutive_years_reset_at_a_gap():
    set_language("vi")
    assert consecutive_runs([2021, 2018, 2019, 2022]) == [[2018, 2019], [2021, 2022]]
    assert consecutive_runs([]) == []
    assert runs_text([2016, 2018, 2019, 2020]) == "2016; 2018, 2019, 2020 (3 năm liên tục)"
    assert runs_text([2019, 2020]) == "2019, 2020 (2 năm liên tục)"


def test_a_units_history_counts_runs_and_resets_at_the_gap_year(run, years):
    result = run("history", "--unit", "Đơn vị A", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Năm,Cụm thi đua,Vai trò,Hạng,Tổng điểm,Đề nghị,Quyết định,Không đủ điều kiện,"
        "Mã vai trò,Mã hình thức khen thưởng",
        "2018,Cụm thi đua số V,Thành viên,1,95,Cờ thi đua của UBND tỉnh,,,member,co_thi_dua",
        "2019,Cụm thi đua số V,Thành viên,1,96,Cờ thi đua của UBND tỉnh,,,member,co_thi_dua",
        "2021,Cụm thi đua số V,Thành viên,1,97,Cờ thi đua của UBND tỉnh,,,member,co_thi_dua",
        "2022,Cụm thi đua số V,Thành viên,1,98,Cờ thi đua của UBND tỉnh,,,member,co_thi_dua",
    ]
    table = run("history", "--unit", "Đơn vị A").stdout
    assert table.splitlines()[-1].strip() == (
        "Cờ thi đua của UBND tỉnh: 2018, 2019 (2 năm liên tục); 2021, 2022 (2 năm liên tục)"
        " (chưa có quyết định cho năm 2018, 2019, 2021, 2022)"
    )
    data = json.loads(run("history", "--unit", "Đơn vị A", "-f", "json").stdout)
    assert data["runs"] == {"co_thi_dua": [2018, 2019, 2021, 2022]}
    assert [y["year"] for y in data["years"]] == [2018, 2019, 2021, 2022]


def test_a_year_without_the_award_ends_a_run(run, years):
    data = json.loads(run("history", "--unit", "Đơn vị B", "-f", "json").stdout)
    assert [(y["year"], y["rank"], y["award_code"], y["role"]) for y in data["years"]] == [
        (2018, 2, "bang_khen", "member"),
        (2019, 2, "bang_khen", "member"),
        (2020, 1, "co_thi_dua", "member"),
        (2021, 3, None, "leader"),
        (2022, 2, "bang_khen", "member"),
    ]
    assert data["runs"] == {"co_thi_dua": [2020], "bang_khen": [2018, 2019, 2022]}
    assert data["years"][0]["award"] == "Bằng khen của Chủ tịch UBND tỉnh"
    assert data["years"][3]["award"] is None
    table = run("history", "--unit", "Đơn vị B").stdout
    assert "Bằng khen của Chủ tịch UBND tỉnh: 2018, 2019 (2 năm liên tục); 2022" in table


def test_decisions_are_recorded_and_shown_beside_proposals(run, years):
    result = run(
        "decide", "-y", "2022", "-u", "Đơn vị A", "--award", "co_thi_dua",
        "--decision", "15/QĐ-UBND", "--date", "20/01/2023",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Đơn vị A, Cờ thi đua của UBND tỉnh năm 2022: 15/QĐ-UBND, 20/01/2023: được khen.\n"
    )
    result = run(
        "decide", "-y", "2022", "-u", "Đơn vị B", "--award", "bang_khen",
        "--date", "2023-01-20", "--rejected",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert query(
        years,
        "SELECT s.year, s.version, d.award, d.granted, d.decision_no, d.decided_on FROM decision d"
        " JOIN submission s ON s.id = d.submission_id ORDER BY 3",
    ) == [
        (2022, 1, "bang_khen", None, None, "2023-01-20"),
        (2022, 1, "co_thi_dua", "co_thi_dua", "15/QĐ-UBND", "2023-01-20"),
    ]
    csv_out = run("awards", "-y", "2022", "-f", "csv").stdout.splitlines()
    assert csv_out[1:] == [
        "2022,Cụm thi đua số V,Đơn vị A,1,98,Cờ thi đua của UBND tỉnh,Dẫn đầu cụm,"
        '"15/QĐ-UBND, 20/01/2023: được khen","lần 1, nộp ngày 08/01/2023",,,đã có quyết định,'
        "co_thi_dua,decided",
        "2022,Cụm thi đua số V,Đơn vị B,2,97,Bằng khen của Chủ tịch UBND tỉnh,Xếp thứ Nhì,"
        '"không số, 20/01/2023: không được khen","lần 1, nộp ngày 08/01/2023",,,'
        "đã có quyết định,bang_khen,decided",
    ]
    awards = json.loads(run("awards", "-y", "2022", "-f", "json").stdout)
    assert awards[0]["decision"] == {
        "award": "co_thi_dua",
        "granted": "co_thi_dua",
        "number": "15/QĐ-UBND",
        "date": "2023-01-20",
        "approved": True,
        "version": 1,
        "revoked": None,
    }
    assert (awards[0]["status"], awards[0]["submission"]["version"]) == ("submitted", 1)
    # the rejected certificate no longer counts in B's run; A's 2022 is decided
    b = json.loads(run("history", "--unit", "Đơn vị B", "-f", "json").stdout)
    assert b["runs"]["bang_khen"] == [2018, 2019]
    a_table = run("history", "--unit", "Đơn vị A").stdout
    assert "(chưa có quyết định cho năm 2018, 2019, 2021)" in a_table
    assert "15/QĐ-UBND, 20/01/2023: được khen" in a_table


def test_another_form_granted_counts_for_that_form(run, years):
    result = run(
        "decide", "-y", "2022", "-u", "Đơn vị A", "--award", "co_thi_dua", "--granted",
        "bang_khen", "--decision", "15/QĐ-UBND", "--date", "20/01/2023",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Đơn vị A, Cờ thi đua của UBND tỉnh năm 2022: 15/QĐ-UBND, 20/01/2023: được khen"
        " Bằng khen của Chủ tịch UBND tỉnh.\n"
    )
    data = json.loads(run("history", "--unit", "Đơn vị A", "-f", "json").stdout)
    assert data["runs"] == {"co_thi_dua": [2018, 2019, 2021], "bang_khen": [2022]}
    before = snapshot(years)
    both = run("decide", "-y", "2022", "-u", "A", "--award", "co_thi_dua", "--granted",
               "bang_khen", "--rejected", "--date", "2023-01-20")  # fmt: skip
    assert both.exit_code == 2
    assert both.stderr == "Lỗi: Dùng --granted hoặc --rejected, không dùng cả hai.\n"
    assert snapshot(years) == before


def test_a_decision_again_needs_replace(run, years):
    args = ["decide", "-y", "2021", "-u", "A", "--award", "co_thi_dua", "--decision", "9/QĐ"]
    assert run(*args, "--date", "2022-01-10").exit_code == 0
    before = snapshot(years)
    result = run(*args, "--date", "2022-01-11")
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: Đã ghi nhận quyết định: 9/QĐ, 10/01/2022: được khen. Dùng --replace để thay.\n"
    )
    assert snapshot(years) == before
    assert run(*args, "--date", "2022-01-11", "--rejected", "--replace").exit_code == 0
    assert query(years, "SELECT decided_on, granted FROM decision") == [("2022-01-11", None)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-y", "2021", "-u", "Đơn vị B", "--award", "co_thi_dua"],
            "Lỗi: Đơn vị B không được đề nghị khen thưởng năm 2021 (xếp hạng 3 trong Cụm thi đua"
            " số V).\n",
        ),
        (
            ["-y", "2021", "-u", "Đơn vị C", "--award", "co_thi_dua"],
            "Lỗi: Đơn vị C được đề nghị Bằng khen của Chủ tịch UBND tỉnh năm 2021, không phải"
            " Cờ thi đua của UBND tỉnh.\n",
        ),
        (
            ["-y", "2020", "-u", "Đơn vị A", "--award", "co_thi_dua"],
            "Lỗi: Đơn vị A không là thành viên cụm nào trong năm 2020.\n",
        ),
        (
            ["-y", "2023", "-u", "Đơn vị A", "--award", "co_thi_dua", "--date", "2024-01-01"],
            "Lỗi: Đơn vị A không là thành viên cụm nào trong năm 2023.\n",
        ),
        (
            ["-y", "2021", "-u", "Đơn vị A", "--award", "co_thi_dua", "--date", "31/12/2020"],
            "Lỗi: Quyết định khen thưởng năm 2021 không thể có ngày 31/12/2020, trước năm đó.\n",
        ),
        (
            ["-y", "2021", "-u", "Đơn vị A", "--award", "co_thi_dua", "--decision", "  "],
            "Lỗi: Số quyết định không được để trống.\n",
        ),
        (
            ["-y", "2021", "-u", "Đơn vị A", "--award", "co_thi_dua", "--date", "hôm qua"],
            "Lỗi: “hôm qua” không phải là ngày",
        ),
    ],
)
def test_a_refused_decision_says_why_and_writes_nothing(run, years, args, message):
    defaults = {"--decision": "1/QĐ", "--date": "2022-01-10"}
    extra = [x for key, value in defaults.items() if key not in args for x in (key, value)]
    before = snapshot(years)
    result = run("decide", *args, *extra)
    assert result.exit_code == 3
    assert result.stderr.startswith(message)
    assert snapshot(years) == before


def test_a_decision_before_the_cluster_year_is_submitted_is_refused(run, sample):
    before = snapshot(sample)
    result = run(
        "decide", "-y", "2021", "-u", "Agribank", "--award", "co_thi_dua",
        "--decision", "1/QĐ", "--date", "2022-01-10",
    )  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: Cụm I - Các tổ chức tín dụng chưa nộp hồ sơ tổng kết năm 2021: quyết định được"
        " ghi nhận theo đề nghị đã nộp. Hãy nộp hồ sơ trước (thidua submit --cluster ..."
        " --year 2021).\n"
    )
    assert snapshot(sample) == before


def test_history_needs_exactly_one_of_unit_or_cluster(run, years):
    for args in ([], ["--unit", "A", "--cluster", "Cụm V"]):
        result = run("history", *args)
        assert result.exit_code == 2
        assert result.stderr == "Lỗi: Hãy dùng một trong hai: --unit hoặc --cluster.\n"


def test_a_clusters_history_year_by_year(run, years):
    data = json.loads(run("history", "--cluster", "Cụm V", "-f", "json").stdout)
    assert [y["year"] for y in data["years"]] == [2018, 2019, 2020, 2021, 2022]
    y2021 = data["years"][3]
    assert y2021["leader"] == "Đơn vị B" and y2021["deputy"] is None
    assert y2021["first"] == "Đơn vị A"
    assert [(p["unit"], p["award"], p["rank"]) for p in y2021["proposals"]] == [
        ("Đơn vị A", "co_thi_dua", 1),
        ("Đơn vị C", "bang_khen", 2),
    ]
    assert len(data["years"][2]["members"]) == 4
    lines = run("history", "--cluster", "Cụm V", "-f", "csv").stdout.splitlines()
    assert lines[0] == (
        "Năm,Trưởng cụm,Phó trưởng cụm,Số đơn vị,Đơn vị,Giao ước,Dẫn đầu,Đề nghị khen thưởng,Hồ sơ"
    )
    assert lines[4] == (
        "2021,Đơn vị B,,5,Đơn vị A; Đơn vị B; Đơn vị C; Đơn vị D; Đơn vị E,,Đơn vị A,"
        "Cờ thi đua của UBND tỉnh: Đơn vị A; Bằng khen của Chủ tịch UBND tỉnh: Đơn vị C,"
        '"lần 1, nộp ngày 08/01/2022"'
    )
    assert [y["submissions"] for y in data["years"]][3] == [
        {
            "version": 1,
            "date": "2022-01-08",
            "number": None,
            "status": "submitted",
            "withdrawn_reason": None,
            "origin": "submit",
        }
    ]


def test_the_sample_clusters_history_shows_both_years(run, sample):
    result = run("history", "--cluster", "tham mưu", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(y["year"], y["leader"], y["deputy"]) for y in data["years"]] == [
        (2020, "Văn phòng Đoàn Đại biểu Quốc hội tỉnh", "Sở Tài chính"),
        (2021, "Sở Tài chính", "Sở Kế hoạch và Đầu tư"),
    ]
    assert [(p["unit"], p["award"]) for p in data["years"][0]["proposals"]] == [
        ("Văn phòng HĐND tỉnh", "co_thi_dua"),
        ("Sở Nội vụ", "bang_khen"),
        ("Văn phòng UBND tỉnh", "bang_khen"),
    ]
    ambiguous = run("history", "--cluster", "Cụm I")
    assert ambiguous.exit_code == 3
    assert "Cụm I - Các tổ chức tín dụng (2020, 2021)" in ambiguous.stderr


# ---------------------------------------------------------------- the decision rules, literally


def _row(**fields):
    from thidua_cli.models import Row

    return Row(unit_id=1, unit="Đơn vị A", **fields)


def _decision(award="co_thi_dua", granted="co_thi_dua", decision_id=1):
    from thidua_cli.models import Decision

    return Decision(decision_id, 1, 1, 2024, award, granted, "1/QĐ", "2025-01-10")


def test_a_decision_on_a_tied_proposal_waits_for_the_cluster():
    from thidua_cli.errors import InvalidInput
    from thidua_cli.rules.decisions import check_decision

    set_language("vi")
    row = _row(rank=1, tied=True, pending_awards=["co_thi_dua", "bang_khen"])
    with pytest.raises(InvalidInput) as caught:
        check_decision("co_thi_dua", "co_thi_dua", "Đơn vị A", "Cụm V", 2024, row, [],
                       submission_id=1, replace=False)  # fmt: skip
    assert caught.value.message == (
        "Đơn vị A đang đồng hạng chưa phân định với Cờ thi đua của UBND tỉnh; cần phân định trước."
    )


def test_a_unit_is_granted_one_award_a_year():
    from thidua_cli.errors import InvalidInput
    from thidua_cli.rules.decisions import check_decision

    set_language("vi")
    row = _row(rank=1, award_code="co_thi_dua")
    granted = [_decision("bang_khen", "bang_khen", decision_id=7)]
    with pytest.raises(InvalidInput) as caught:
        check_decision("co_thi_dua", "co_thi_dua", "Đơn vị A", "Cụm V", 2024, row, granted,
                       submission_id=1, replace=False)  # fmt: skip
    assert caught.value.message == (
        "Đơn vị A đã được tặng Bằng khen của Chủ tịch UBND tỉnh năm 2024; mỗi năm một đơn vị chỉ"
        " nhận một hình thức khen thưởng."
    )
    # a rejection may still be recorded beside it
    check_decision("co_thi_dua", None, "Đơn vị A", "Cụm V", 2024, row, granted, submission_id=1,
                   replace=False)  # fmt: skip


def test_a_revoked_decision_stays_and_cannot_be_replaced():
    from thidua_cli.errors import InvalidInput
    from thidua_cli.models import Decision, Revocation
    from thidua_cli.rules.decisions import check_decision

    set_language("vi")
    row = _row(rank=1, award_code="co_thi_dua")
    revoked = Decision(1, 1, 1, 2024, "co_thi_dua", "co_thi_dua", "1/QĐ", "2025-01-10",
                       revocation=Revocation("9/QĐ", "2025-03-01", "Kỷ luật"))  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        check_decision("co_thi_dua", "co_thi_dua", "Đơn vị A", "Cụm V", 2024, row, [revoked],
                       submission_id=1, replace=True)  # fmt: skip
    assert "9/QĐ" in caught.value.message
    # on the next version (after an unlock and a new submit), the proposal can be decided again
    check_decision("co_thi_dua", "co_thi_dua", "Đơn vị A", "Cụm V", 2024, row, [revoked],
                   submission_id=2, replace=False)  # fmt: skip


def test_nominate_reads_three_years_of_the_record(run, years):
    """Candidates for the Government's flag in 2022: the units granted the provincial Cờ that
    year, the longest run of Cờ first; a revoked Cờ does not count."""

    def decide(year, unit, award, *extra):
        number, day = f"{year}/QĐ-UBND", f"20/01/{year + 1}"
        result = run("decide", "-y", str(year), "-u", unit, "--award", award,
                     "--decision", number, "--date", day, *extra)  # fmt: skip
        assert result.exit_code == 0, result.output

    for year in (2018, 2019, 2021, 2022):
        decide(year, "Đơn vị A", "co_thi_dua")
    decide(2020, "Đơn vị B", "co_thi_dua")
    decide(2018, "Đơn vị B", "bang_khen")
    decide(2019, "Đơn vị B", "bang_khen")
    decide(2022, "Đơn vị B", "bang_khen", "--granted", "co_thi_dua")
    before = snapshot(years)
    found = run("nominate", "-y", "2022", "-f", "json")
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout) == [
        {"unit": "Đơn vị A", "cluster": "Cụm thi đua số V", "flag_run": 2,
         "flag_years": [2018, 2019, 2021, 2022], "certificate_run": 0, "certificate_years": []},
        {"unit": "Đơn vị B", "cluster": "Cụm thi đua số V", "flag_run": 1,
         "flag_years": [2020, 2022], "certificate_run": 0, "certificate_years": [2018, 2019]},
    ]  # fmt: skip
    assert snapshot(years) == before  # it writes nothing
    revoked = run("decide", "revoke", "-y", "2021", "-u", "Đơn vị A", "--decision",
                  "99/QĐ-UBND", "--date", "01/06/2022", "--reason", "Sai sót")  # fmt: skip
    assert revoked.exit_code == 0, revoked.output
    again = json.loads(run("nominate", "-y", "2022", "-f", "json").stdout)
    assert [(n["unit"], n["flag_run"], n["flag_years"]) for n in again] == [
        ("Đơn vị A", 1, [2018, 2019, 2022]),
        ("Đơn vị B", 1, [2020, 2022]),
    ]
    table = run("nominate", "-y", "2022").stdout
    assert "2018, 2019 (2 năm liên tục); 2022" in table
    unknown = run("nominate", "-y", "2022", "--award", "huan_chuong")
    assert (unknown.exit_code, unknown.stderr) == (
        3,
        "Lỗi: “huan_chuong” không phải là hình thức khen thưởng cấp trên mà thidua đề xuất;"
        " thidua biết: co_chinh_phu.\n",
    )


def test_decide_records_what_the_central_level_decided(run, years):
    """A higher award (the Government's flag) is recorded as decided, bound to no submission,
    refused twice without --replace, and shown in the unit's history."""
    done = run("decide", "-y", "2022", "-u", "Đơn vị A", "--award", "co_chinh_phu",
               "--decision", "512/QĐ-TTg", "--date", "20/05/2023")  # fmt: skip
    # the unit had no provincial Cờ in 2022: recorded as the central level decided, with a word
    assert (done.exit_code, done.stderr) == (
        0,
        "Đơn vị A, Cờ thi đua của Chính phủ năm 2022: 512/QĐ-TTg, ngày 20/05/2023.\n"
        "Lưu ý: Đơn vị A không được tặng Cờ thi đua của UBND tỉnh năm 2022 nên không có trong"
        " danh sách đề cử (thidua nominate); quyết định vẫn được ghi như đã nhập.\n",
    )
    before = snapshot(years)
    again = run("decide", "-y", "2022", "-u", "Đơn vị A", "--award", "co_chinh_phu",
                "--decision", "513/QĐ-TTg", "--date", "21/05/2023")  # fmt: skip
    assert (again.exit_code, again.stderr) == (
        3,
        "Lỗi: Đơn vị A đã có quyết định Cờ thi đua của Chính phủ năm 2022: 512/QĐ-TTg ngày"
        " 20/05/2023. Dùng --replace để thay.\n",
    )
    rejected = run("decide", "-y", "2022", "-u", "Đơn vị A", "--award", "co_chinh_phu",
                   "--date", "21/05/2023", "--rejected")  # fmt: skip
    assert rejected.exit_code == 2
    assert snapshot(years) == before
    assert query(years, "SELECT award, decision_no, decided_on FROM central_decision") == [
        ("co_chinh_phu", "512/QĐ-TTg", "2023-05-20")
    ]
    shown = json.loads(run("history", "--unit", "Đơn vị A", "-f", "json").stdout)
    assert [y["central"] for y in shown["years"] if y["year"] == 2022] == [
        [{"award": "co_chinh_phu", "number": "512/QĐ-TTg", "date": "2023-05-20"}]
    ]
    assert (
        "Cờ thi đua của Chính phủ năm 2022: 512/QĐ-TTg, ngày 20/05/2023"
        in run("history", "--unit", "Đơn vị A").stdout
    )
    # a candidate's decision needs no word
    granted = run("decide", "-y", "2022", "-u", "Đơn vị B", "--award", "bang_khen", "--granted",
                  "co_thi_dua", "--decision", "2022/QĐ-UBND", "--date", "20/01/2023")  # fmt: skip
    assert granted.exit_code == 0, granted.output
    central = run("decide", "-y", "2022", "-u", "Đơn vị B", "--award", "co_chinh_phu",
                  "--decision", "514/QĐ-TTg", "--date", "20/05/2023")  # fmt: skip
    assert (central.exit_code, central.stderr) == (
        0, "Đơn vị B, Cờ thi đua của Chính phủ năm 2022: 514/QĐ-TTg, ngày 20/05/2023.\n"
    )  # fmt: skip
