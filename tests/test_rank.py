"""`thidua rank` and `thidua awards` end to end."""

import csv
import io
import json

import pytest

from conftest import make_cluster, snapshot
from test_scores import write
from thidua_cli.app.sample import data_dir

AWARD = {"co_thi_dua": "Cờ thi đua của UBND tỉnh", "bang_khen": "Bằng khen của Chủ tịch UBND tỉnh"}
PLACINGS = list(csv.DictReader((data_dir() / "sample" / "placings.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("cluster", sorted({p["cluster"] for p in PLACINGS}))
def test_the_sample_gives_the_placings_and_proposals_the_articles_report(run, sample, cluster):
    result = run("rank", "--cluster", cluster, "--year", "2020", "--format", "json")
    assert result.exit_code == 0, result.output
    ranking = json.loads(result.stdout)
    by_rank = {r["rank"]: r for r in ranking["rows"]}
    for placing in (p for p in PLACINGS if p["cluster"] == cluster):
        row = by_rank[int(placing["place"])]
        assert row["unit"] == placing["unit"]
        assert not row["tied"]
        if placing["award_reported"]:
            assert row["award_code"] == placing["award_reported"]
            assert row["award"] == AWARD[placing["award_reported"]]
    reported = {p["unit"] for p in PLACINGS if p["cluster"] == cluster and p["award_reported"]}
    if reported:  # nothing proposed beyond what the article reports
        assert {r["unit"] for r in ranking["rows"] if r["award_code"]} == reported
    assert ranking["unresolved_ties"] == []


def test_rank_json_contract(run, sample):
    data = json.loads(run("rank", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout)
    assert list(data) == [
        "schema_version",
        "cluster",
        "year",
        "period",
        "status",
        "submission",
        "members",
        "rows",
        "unresolved_ties",
        "rules",
        "differs_from_submission",
        # the sample's scores are illustrative; its article reports two of the places
        "illustrative",
        "illustrative_note",
        "reported_placings",
    ]
    assert data["rules"] == {
        "vote_threshold": None,
        "vote_threshold_rule": "at-least",
        "vote_gates": ["co_thi_dua"],
        "min_rating": {},
    }
    assert data["status"] == "submitted"
    assert data["submission"] == {
        "version": 1,
        "date": "2021-01-05",
        "number": None,
        "status": "submitted",
        "withdrawn_reason": None,
        "origin": "submit",
    }
    assert data["differs_from_submission"] == []
    assert (data["cluster"], data["year"], data["period"], data["members"]) == (
        "Cụm I - Các tổ chức tín dụng",
        2020,
        "year",
        5,
    )
    assert data["rows"][0] == {
        "rank": 1,
        "tied": False,
        "unit": "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        "base": 94.5,
        "bonus": 2,
        "deduction": 0,
        "total": 96.5,
        "votes": None,
        "voters": None,
        "issued": None,
        "vote_share": None,
        "rating": None,
        "eligible": True,
        "flags": [],
        "barred": {},
        "award": "Cờ thi đua của UBND tỉnh",
        "award_code": "co_thi_dua",
        "awaiting": [],
    }


def test_rank_table_and_markdown(run, sample):
    table = run("rank", "-c", "Cụm I", "-y", "2020")
    assert table.exit_code == 0
    assert "Xếp hạng Cụm I - Các tổ chức tín dụng, năm 2020 (tổng kết năm)" in table.stdout
    assert "96,50" in table.stdout
    assert "Chỉ tiêu: 1 Cờ thi đua, 1 Bằng khen cho cụm 5 đơn vị." in table.stdout
    md = run("rank", "-c", "Cụm I", "-y", "2020", "-f", "md").stdout.splitlines()
    assert md[2] == (
        "| Hạng | Đơn vị | Điểm đạt | Điểm thưởng | Điểm trừ | Tổng điểm | Số phiếu"
        " | Số phiếu hợp lệ | Tỷ lệ (%) | Xếp loại | Không đủ điều kiện | Đề nghị khen thưởng |"
    )
    assert md[4].startswith("| 1 | Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh")


def test_no_scores_is_said_not_shown(run, sample):
    result = run("rank", "-c", "Cụm I", "-y", "2021")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        "Lỗi: Cụm I - Các tổ chức tín dụng chưa có điểm năm 2021 (tổng kết năm);"
        " chưa thể xếp hạng.\n"
    )


@pytest.fixture
def tied(run, db, tmp_path):
    """Cụm III, 2024: a tie for the flag between the two best units."""
    make_cluster(run, tmp_path, "--default")
    scores = write(
        tmp_path,
        "scores.csv",
        "Đơn vị,1,2,T,K\n"
        "Ngân hàng An Bình,55,39,,\n"
        "=SUM(1),54,40,,\n"
        "Công ty Bắc Sơn,50,40,1,\n"
        "Sở Cao Lộc,50,30,,\n"
        "Chi cục Đình Lập,40,30,,2\n",
    )
    assert run("score", "import", str(scores), "-c", "Cụm III", "-y", "2024").exit_code == 0
    return db


def test_an_unresolved_tie_blocks_awards_until_settled(run, tied, tmp_path):
    ranking = json.loads(run("rank", "-c", "Cụm III", "-y", "2024", "-f", "json").stdout)
    assert [(r["rank"], r["tied"], r["award_code"]) for r in ranking["rows"]][:3] == [
        (1, True, None),
        (1, True, None),
        (3, False, None),
    ]
    assert ranking["unresolved_ties"] == [
        {
            "rank": 1,
            "units": ["=SUM(1)", "Ngân hàng An Bình"],
            "awards": ["co_thi_dua", "bang_khen"],
            "total": 94,
        }
    ]
    out = tmp_path / "awards.csv"
    refused = run("awards", "-y", "2024", "-f", "csv", "-o", str(out))
    assert refused.exit_code == 3
    assert refused.stderr.splitlines() == [
        "Lỗi: Còn đồng hạng chưa phân định ảnh hưởng đến khen thưởng; hãy phân định trước"
        " (hoặc dùng --allow-ties):",
        "  - Cụm thi đua số III - Thử nghiệm, hạng 1: =SUM(1), Ngân hàng An Bình",
    ]
    assert not out.exists()
    listed = run("awards", "-y", "2024", "-f", "json", "--allow-ties")
    assert [r["unit"] for r in json.loads(listed.stdout)] == ["=SUM(1)", "Ngân hàng An Bình"]
    # a vote settles it
    assert (
        run(
            "vote", "set", "-c", "Cụm III", "-y", "2024", "-u", "Ngân hàng An Bình", "--votes", "3"
        ).exit_code
        == 0
    )
    assert (
        run("vote", "set", "-c", "Cụm III", "-y", "2024", "-u", "=SUM(1)", "--votes", "2").exit_code
        == 0
    )
    settled = json.loads(run("rank", "-c", "Cụm III", "-y", "2024", "-f", "json").stdout)
    assert [(r["unit"], r["rank"], r["award_code"]) for r in settled["rows"][:2]] == [
        ("Ngân hàng An Bình", 1, "co_thi_dua"),
        ("=SUM(1)", 2, "bang_khen"),
    ]
    assert settled["unresolved_ties"] == []
    table = run("rank", "-c", "Cụm III", "-y", "2024").stdout
    assert "phân định theo số phiếu bình xét" in table


def test_awards_csv_for_excel(run, tied, tmp_path):
    run("vote", "set", "-c", "Cụm III", "-y", "2024", "-u", "Ngân hàng An Bình", "--votes", "2")
    run("vote", "set", "-c", "Cụm III", "-y", "2024", "-u", "=SUM(1)", "--votes", "3")
    out = tmp_path / "de-nghi.csv"
    result = run("awards", "-y", "2024", "-f", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "Năm,Cụm thi đua,Đơn vị,Xếp hạng,Tổng điểm,Hình thức khen thưởng,Ghi chú,Quyết định,Hồ sơ,"
        "Ban Thi đua - Khen thưởng,Hội đồng Thi đua - Khen thưởng,Giai đoạn,"
        "Mã hình thức khen thưởng,Mã giai đoạn",
        "2024,Cụm thi đua số III - Thử nghiệm,'=SUM(1),1,94,Cờ thi đua của UBND tỉnh,Dẫn đầu cụm,,"
        "dự thảo (chưa nộp),,,dự thảo,co_thi_dua,draft",
        "2024,Cụm thi đua số III - Thử nghiệm,Ngân hàng An Bình,2,94,"
        "Bằng khen của Chủ tịch UBND tỉnh,Xếp thứ Nhì,,dự thảo (chưa nộp),,,dự thảo,"
        "bang_khen,draft",
    ]
    assert result.stderr.splitlines()[0] == (
        "1 cụm chưa nộp hồ sơ; đề nghị của các cụm này là dự thảo: Cụm thi đua số III - Thử nghiệm."
    )
    stdout = run("awards", "-y", "2024", "-f", "csv")
    assert not stdout.stdout.startswith("\ufeff")
    assert stdout.stdout.splitlines()[1].split(",")[2] == "'=SUM(1)"


def test_a_flagged_top_scorer_passes_the_flag_down(run, tied):
    run("vote", "set", "-c", "Cụm III", "-y", "2024", "-u", "Ngân hàng An Bình", "--votes", "3")
    run("vote", "set", "-c", "Cụm III", "-y", "2024", "-u", "=SUM(1)", "--votes", "2")
    assert (
        run(
            "flag",
            "add",
            "-u",
            "Ngân hàng An Bình",
            "-y",
            "2024",
            "--reason",
            "Lãnh đạo bị kỷ luật",
        ).exit_code
        == 0
    )
    data = json.loads(run("rank", "-c", "Cụm III", "-y", "2024", "-f", "json").stdout)
    first = data["rows"][0]
    assert (
        first["unit"],
        first["rank"],
        first["eligible"],
        first["flags"],
        first["award_code"],
    ) == (
        "Ngân hàng An Bình",
        1,
        False,
        ["Lãnh đạo bị kỷ luật"],
        None,
    )
    assert [(r["unit"], r["award_code"]) for r in data["rows"][1:3]] == [
        ("=SUM(1)", "co_thi_dua"),
        ("Công ty Bắc Sơn", "bang_khen"),
    ]
    rows = list(csv.reader(io.StringIO(run("awards", "-y", "2024", "-f", "csv").stdout)))
    assert rows[1][6] == "Xếp thứ Nhì; đơn vị xếp trên không đủ điều kiện: Ngân hàng An Bình"


def test_the_half_year_proposes_nothing(run, tied, tmp_path):
    scores = write(tmp_path, "half.csv", "Đơn vị,1,2\nNgân hàng An Bình,50,30\nSở Cao Lộc,40,30\n")
    assert (
        run(
            "score", "import", str(scores), "-c", "Cụm III", "-y", "2024", "--period", "half"
        ).exit_code
        == 0
    )
    data = json.loads(
        run("rank", "-c", "Cụm III", "-y", "2024", "--period", "half", "-f", "json").stdout
    )
    assert data["period"] == "half"
    assert [(r["unit"], r["rank"]) for r in data["rows"][:2]] == [
        ("Ngân hàng An Bình", 1),
        ("Sở Cao Lộc", 2),
    ]
    assert all(r["award_code"] is None for r in data["rows"])


def test_awards_writes_nothing_when_refused(run, sample, tmp_path):
    before = snapshot(sample)
    result = run("awards", "-y", "2019")
    assert result.exit_code == 3
    assert snapshot(sample) == before


def test_awards_across_the_sample(run, sample):
    data = json.loads(run("awards", "-y", "2020", "-f", "json").stdout)
    assert len(data) == 10
    assert sum(r["award_code"] == "co_thi_dua" for r in data) == 4


def test_awards_to_a_missing_folder_is_a_clear_error(run, sample, tmp_path):
    target = tmp_path / "no" / "such" / "de-nghi.csv"
    result = run("awards", "-y", "2020", "-f", "csv", "-o", str(target))
    assert result.exit_code == 6
    assert result.stderr.startswith(f"Lỗi: Không ghi được {target}:")
    assert not target.parent.exists()


def test_rank_says_when_the_live_ranking_differs_from_the_submitted_one(run, draft_sample):
    # Cụm I resubmits after a correction, then a score changes under its new record: only
    # possible after unlocking again, which withdraws that version too.
    assert run("submit", "-c", "Cụm I", "-y", "2020", "--date", "06/01/2021").exit_code == 0
    same = run("rank", "-c", "Cụm I", "-y", "2020")
    assert "Khớp với hồ sơ đã nộp (lần 2, nộp ngày 06/01/2021)." in same.stdout
    assert run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", "Chấm lại").exit_code == 0
    changed = run("score", "set", "-c", "Cụm I", "-y", "2020", "-u", "VDB", "-k", "T.1",
                  "-p", "5")  # fmt: skip
    assert changed.exit_code == 0, changed.output
    assert run("submit", "-c", "Cụm I", "-y", "2020", "--date", "07/01/2021").exit_code == 0
    assert run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", "Chấm lại").exit_code == 0
    run("score", "set", "-c", "Cụm I", "-y", "2020", "-u", "VDB", "-k", "T.1", "-p", "0")
    # nothing stands now: the ranking is a draft again
    draft = json.loads(run("rank", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout)
    assert (draft["status"], draft["submission"], draft["differs_from_submission"]) == (
        "draft",
        None,
        [],
    )
    assert run("submit", "-c", "Cụm I", "-y", "2020", "--date", "08/01/2021").exit_code == 0
    # outside thidua, a score is changed under the standing record (version 4)
    import sqlite3

    with sqlite3.connect(draft_sample) as conn:
        conn.execute("DROP TRIGGER lock_score_update")
        conn.execute(
            "UPDATE score SET points = points + 50 WHERE unit_id = (SELECT id FROM unit"
            " WHERE short_name = 'VDB Lạng Sơn') AND year = 2020"
            " AND criterion_id = (SELECT id FROM criterion WHERE code = 'T.1')"
        )
    data = json.loads(run("rank", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout)
    assert data["submission"]["version"] == 4
    assert data["differs_from_submission"] == ["Ngân hàng Phát triển tỉnh Lạng Sơn"]
    table = run("rank", "-c", "Cụm I", "-y", "2020").stdout
    assert "Khác với hồ sơ đã nộp (lần 4, nộp ngày 08/01/2021) ở: Ngân hàng Phát triển" in table
    csv_out = run("rank", "-c", "Cụm I", "-y", "2020", "-f", "csv")
    assert csv_out.stderr.startswith("Lưu ý: Khác với hồ sơ đã nộp (lần 4")
    # the award proposals stay those of the record
    awards = json.loads(run("awards", "-y", "2020", "-c", "Cụm I", "-f", "json").stdout)
    assert [(a["unit"], a["total"], a["status"]) for a in awards] == [
        ("Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn", 96.5,
         "submitted"),
        ("Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn", 95, "submitted"),
    ]  # fmt: skip
