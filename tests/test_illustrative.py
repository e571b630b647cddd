"""An honest sample (issue 15): the placings the articles report are loaded as facts, the 2020
scores are marked illustrative, and every output that prints a total or a rank computed from
them says so; a database with real scores prints no such note."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import make_cluster, query, snapshot
from test_scores import write
from thidua_cli.app.sample import ILLUSTRATIVE_NOTE, data_dir

NOTE = (
    "(Số liệu minh họa: các bài báo cáo không nêu điểm số; điểm được đặt ra cho khớp với thứ hạng"
    " các bài báo nêu. Tổng điểm và thứ hạng tính từ số điểm này không phải kết quả thật.)"
)
MARK = "Số liệu minh họa"
CUM_I = "Cụm I - Các tổ chức tín dụng"
CENTRAL = "Cụm thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh"
AGRIBANK = "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
BIDV = "Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn"
SOURCE_I = "000_07693526e324123e.txt"
SAMPLE_2020 = (
    CUM_I,
    "Cụm thi đua II - Các doanh nghiệp Trung ương",
    "Cụm thi đua các cơ quan tham mưu tổng hợp",
    CENTRAL,
)


@pytest.fixture
def real(run, db, tmp_path):
    """Cụm III, 2024: real scores, nothing reported, nothing illustrative."""
    make_cluster(run, tmp_path, "--default")
    scores = write(
        tmp_path,
        "scores.csv",
        "Đơn vị,1,2,T,K\n"
        "Ngân hàng An Bình,55,39,,\n"
        "=SUM(1),54,38,,\n"
        "Công ty Bắc Sơn,50,40,1,\n"
        "Sở Cao Lộc,50,30,,\n"
        "Chi cục Đình Lập,40,30,,2\n",
    )
    assert run("score", "import", str(scores), "-c", "Cụm III", "-y", "2024").exit_code == 0
    return db


# ---------------------------------------------------------------- what the sample loads


def test_the_sample_loads_the_reported_placings_and_marks_its_scores(sample):
    placings = list(csv.DictReader((data_dir() / "sample" / "placings.csv").open(encoding="utf-8")))
    stored = query(
        sample,
        "SELECT c.name, r.year, r.period, r.place, u.name, r.award, r.source"
        " FROM reported_placing r JOIN cluster c ON c.id = r.cluster_id"
        " JOIN unit u ON u.id = r.unit_id ORDER BY c.name, r.place",
    )
    assert sorted(stored) == sorted(
        (p["cluster"], int(p["year"]), "year", int(p["place"]), p["unit"],
         p["award_reported"] or None, p["source"])
        for p in placings
    )  # fmt: skip
    # the central agencies' article states no proposal
    assert {award for cluster, *_, award, _source in stored if cluster == CENTRAL} == {None}
    marked = query(
        sample,
        "SELECT c.name, i.year, i.period, i.note FROM illustrative_scores i"
        " JOIN cluster c ON c.id = i.cluster_id ORDER BY c.name",
    )
    assert marked == [(c, 2020, "year", ILLUSTRATIVE_NOTE) for c in sorted(SAMPLE_2020)]


# ---------------------------------------------------------------- rank


def test_rank_says_its_totals_are_illustrative_and_which_places_are_reported(run, sample):
    shown = run("rank", "-c", "Cụm I", "-y", "2020")
    assert shown.exit_code == 0, shown.output
    caption = [line.rstrip() for line in shown.stdout.split("└")[1].splitlines()[1:]]
    assert caption[:3] == [
        NOTE,
        f"Theo bài báo cáo ({SOURCE_I}): {AGRIBANK} xếp thứ Nhất, được đề nghị Cờ thi đua của"
        " UBND tỉnh.",
        f"Theo bài báo cáo ({SOURCE_I}): {BIDV} xếp thứ Nhì, được đề nghị Bằng khen của Chủ tịch"
        " UBND tỉnh.",
    ]
    data = json.loads(run("rank", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout)
    assert (data["illustrative"], data["illustrative_note"]) == (True, ILLUSTRATIVE_NOTE)
    assert data["reported_placings"] == [
        {"unit": AGRIBANK, "place": 1, "award_code": "co_thi_dua", "source": SOURCE_I},
        {"unit": BIDV, "place": 2, "award_code": "bang_khen", "source": SOURCE_I},
    ]
    md = run("rank", "-c", "Cụm I", "-y", "2020", "-f", "md").stdout
    assert f"- {NOTE}\n" in md


def test_rank_csv_keeps_its_columns_and_tells_the_person(run, sample):
    result = run("rank", "-c", "Cụm I", "-y", "2020", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 6 and {len(r) for r in rows} == {13}
    assert rows[0][-1] == "Mã hình thức khen thưởng"
    assert MARK not in result.stdout
    assert result.stderr == f"Lưu ý: {NOTE}\n"


def test_a_database_with_real_scores_prints_no_note(run, real, tmp_path):
    table = run("rank", "-c", "Cụm III", "-y", "2024").stdout
    data = json.loads(run("rank", "-c", "Cụm III", "-y", "2024", "-f", "json").stdout)
    csv_run = run("rank", "-c", "Cụm III", "-y", "2024", "-f", "csv")
    awards = run("awards", "-y", "2024")
    awards_json = json.loads(run("awards", "-y", "2024", "-f", "json").stdout)
    report = run("report", "-c", "Cụm III", "-y", "2024").stdout
    html = run("report", "-c", "Cụm III", "-y", "2024", "-f", "html").stdout
    report_json = json.loads(run("report", "-c", "Cụm III", "-y", "2024", "-f", "json").stdout)
    minutes = run("minutes", "-c", "Cụm III", "-y", "2024").stdout
    submission = run("submission", "-y", "2024").stdout
    province = run("report", "-y", "2024").stdout
    history = run("history", "-c", "Cụm III").stdout
    shown = run("cluster", "show", "Cụm III", "-y", "2024", "-f", "json")
    for text in (table, csv_run.output, awards.output, report, html, minutes, submission,
                 province, history):  # fmt: skip
        assert MARK not in text and "theo bài báo cáo" not in text
        assert "theo tính toán" not in text
    assert "illustrative" not in data and "reported_placings" not in data
    assert all("illustrative" not in r and "reported" not in r for r in awards_json)
    assert "illustrative" not in report_json
    assert all("reported" not in p for p in report_json["proposals"])
    assert "provenance" not in json.loads(shown.stdout)


# ---------------------------------------------------------------- the papers


def test_the_report_marks_illustrative_totals_and_reported_places(run, sample, tmp_path):
    text = run("report", "-c", "Cụm I", "-y", "2020").stdout
    assert (
        f"| 1 | {AGRIBANK} | 94,50 | 2,00 | 0,00 | 96,50 | xếp thứ Nhất theo bài báo cáo; đề nghị:"
        " Cờ thi đua của UBND tỉnh (theo bài báo cáo) |"
    ) in text
    assert "| 3 | Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn | 93,50 |" in text
    assert f"\n{NOTE}\n" in text
    assert f"Các thứ hạng ghi “theo bài báo cáo” lấy từ: {SOURCE_I}." in text
    assert f"- Cờ thi đua của UBND tỉnh: {AGRIBANK} (theo bài báo cáo)\n" in text
    html = run("report", "-c", "Cụm I", "-y", "2020", "-f", "html").stdout
    assert f"<p>{NOTE}</p>" in html
    out = tmp_path / "bao-cao.docx"
    assert run("report", "-c", "Cụm I", "-y", "2020", "-o", str(out)).exit_code == 0
    import docx

    word = docx.Document(str(out))
    assert NOTE in [p.text for p in word.paragraphs]
    data = json.loads(run("report", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout)
    assert data["illustrative"] is True and data["illustrative_note"] == ILLUSTRATIVE_NOTE
    assert [(p["unit"], p["illustrative"], p["reported"]) for p in data["proposals"]] == [
        (AGRIBANK, True, True),
        (BIDV, True, True),
    ]


def test_a_proposal_the_article_does_not_state_is_shown_as_computed(run, sample):
    text = run("report", "-c", CENTRAL, "-y", "2020").stdout
    proposals = text.split("## III.")[1].split("## IV.")[0]
    assert "theo bài báo cáo" not in proposals
    assert (
        "- Cờ thi đua của UBND tỉnh: Ngân hàng Nhà nước Chi nhánh tỉnh Lạng Sơn (đề xuất theo tính"
        " toán)\n"
    ) in proposals
    # the places are the article's; the proposals beside them are thidua's
    assert (
        "| 1 | Ngân hàng Nhà nước Chi nhánh tỉnh Lạng Sơn | 94,75 | 2,00 | 0,00 | 96,75 | xếp thứ"
        " Nhất theo bài báo cáo; đề nghị: Cờ thi đua của UBND tỉnh (đề xuất theo tính toán) |"
    ) in text
    data = json.loads(run("report", "-c", CENTRAL, "-y", "2020", "-f", "json").stdout)
    assert {p["reported"] for p in data["proposals"]} == {False}
    assert [p["award_code"] for p in data["reported_placings"]] == [None, None, None]


def test_the_submission_and_the_minutes_carry_the_note(run, sample):
    submission = run("submission", "-y", "2020").stdout
    assert (
        "| 6 | Ngân hàng Nhà nước Chi nhánh tỉnh Lạng Sơn | Cờ thi đua của UBND tỉnh | Dẫn đầu"
        f" {CENTRAL} năm 2020, tổng điểm 96,75 (đề xuất theo tính toán) |"
    ) in submission
    assert (
        f"| 1 | {AGRIBANK} | Cờ thi đua của UBND tỉnh | Dẫn đầu {CUM_I} năm 2020, tổng điểm 96,50"
        " (theo bài báo cáo) |"
    ) in submission
    assert (
        "(Số liệu minh họa: các bài báo cáo không nêu điểm số; điểm được đặt ra cho khớp với thứ"
        f" hạng các bài báo nêu. Tổng điểm và thứ hạng của {CUM_I}; Cụm thi đua các cơ quan tham"
        f" mưu tổng hợp; {CENTRAL}; Cụm thi đua II - Các doanh nghiệp Trung ương tính từ số điểm"
        " này không phải kết quả thật.)"
    ) in submission
    one = json.loads(run("submission", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout)
    assert {(p["illustrative"], p["reported"]) for p in one["proposals"]} == {(True, True)}
    minutes = run("minutes", "-c", "Cụm I", "-y", "2020").stdout
    proceedings = minutes.split("## III.")[1]
    assert f"\n{NOTE}\n" in proceedings
    assert proceedings.index(NOTE) < proceedings.index("2. Kết quả bỏ phiếu bình xét")
    province = run("report", "-y", "2020")
    assert MARK in province.stdout
    data = json.loads(run("report", "-y", "2020", "-f", "json").stdout)
    assert {c["cluster"]: c["illustrative"] for c in data["clusters"]} == dict.fromkeys(
        SAMPLE_2020, True
    )


def test_the_four_articles_facts_are_unchanged_by_the_marks(run, sample):
    """The places and proposals the articles report come out as before, now marked reported."""
    for cluster in SAMPLE_2020:
        data = json.loads(run("report", "-c", cluster, "-y", "2020", "-f", "json").stdout)
        by_unit = {r["unit"]: r for r in data["ranking"]["rows"]}
        for placing in data["reported_placings"]:
            row = by_unit[placing["unit"]]
            assert row["rank"] == placing["place"] and not row["tied"]
            if placing["award_code"]:
                assert row["award_code"] == placing["award_code"]


# ---------------------------------------------------------------- awards, history, cluster show


def test_awards_mark_the_illustrative_totals(run, sample, tmp_path):
    table = run("awards", "-y", "2020")
    assert MARK in table.stdout
    out = tmp_path / "de-nghi.xlsx"
    assert run("awards", "-y", "2020", "-o", str(out)).exit_code == 0
    from openpyxl import load_workbook

    notes = [
        row[6]
        for row in load_workbook(out).active.iter_rows(min_row=2, max_row=11, values_only=True)
    ]
    assert notes[:2] == ["Dẫn đầu cụm (theo bài báo cáo)", "Xếp thứ Nhì (theo bài báo cáo)"]
    assert notes[5:8] == [
        "Dẫn đầu cụm (đề xuất theo tính toán)",
        "Xếp thứ Nhì (đề xuất theo tính toán)",
        "Xếp thứ Ba (đề xuất theo tính toán)",
    ]
    data = json.loads(run("awards", "-y", "2020", "-f", "json").stdout)
    assert {r["illustrative"] for r in data} == {True}
    assert [(r["unit"], r["reported"]) for r in data if r["cluster"] == CENTRAL] == [
        ("Ngân hàng Nhà nước Chi nhánh tỉnh Lạng Sơn", False),
        ("Cục Quản lý thị trường tỉnh Lạng Sơn", False),
        ("Bảo hiểm xã hội tỉnh Lạng Sơn", False),
    ]
    assert sum(r["reported"] for r in data) == 7
    result = run("awards", "-y", "2020", "-f", "csv")
    assert MARK not in result.stdout and result.stderr.startswith("Lưu ý: (Số liệu minh họa: ")


def test_history_marks_the_illustrative_years(run, sample):
    unit = json.loads(run("history", "-u", "Agribank", "-f", "json").stdout)
    assert [(y["year"], y.get("illustrative")) for y in unit["years"]] == [
        (2020, True),
        (2021, None),
    ]
    assert MARK in run("history", "-u", "Agribank").stdout
    cluster = json.loads(run("history", "-c", CUM_I, "-f", "json").stdout)
    assert [y.get("illustrative") for y in cluster["years"]] == [True, None]
    assert MARK in run("history", "-c", CUM_I).stdout


def test_cluster_show_states_what_is_reported_and_what_is_illustrative(run, sample):
    shown = run("cluster", "show", "Cụm I", "-y", "2020")
    assert f"Hội nghị tổng kết năm: {NOTE}" in re.sub(r"\s+", " ", shown.stdout)
    data = json.loads(run("cluster", "show", "Cụm I", "-y", "2020", "-f", "json").stdout)
    assert list(data["provenance"]) == ["year"]
    assert data["provenance"]["year"]["illustrative_note"] == ILLUSTRATIVE_NOTE
    later = json.loads(run("cluster", "show", "Cụm I", "-y", "2021", "-f", "json").stdout)
    assert "provenance" not in later


# ---------------------------------------------------------------- marking by hand


def test_a_secretariat_marks_and_clears_illustrative_scores(run, real):
    marked = run("cluster", "illustrative", "Cụm III", "-y", "2024", "--note", "Điểm chấm thử")
    assert (marked.exit_code, marked.stderr) == (
        0,
        "Cụm thi đua số III - Thử nghiệm, năm 2024 (tổng kết năm): đã đánh dấu điểm là số liệu"
        " minh họa.\n",
    )
    assert query(real, "SELECT year, period, note FROM illustrative_scores") == [
        (2024, "year", "Điểm chấm thử")
    ]
    data = json.loads(run("rank", "-c", "Cụm III", "-y", "2024", "-f", "json").stdout)
    assert (data["illustrative"], data["reported_placings"]) == (True, [])
    report = run("report", "-c", "Cụm III", "-y", "2024").stdout
    assert (
        "(Số liệu minh họa: Điểm chấm thử. Tổng điểm và thứ hạng tính từ số điểm này không phải"
        " kết quả thật.)"
    ) in report
    # nothing is reported: the proposals are thidua's
    assert "(đề xuất theo tính toán)" in report
    cleared = run("cluster", "illustrative", "Cụm III", "-y", "2024", "--clear")
    assert cleared.stderr.endswith("đã bỏ đánh dấu số liệu minh họa.\n")
    assert query(real, "SELECT count(*) FROM illustrative_scores") == [(0,)]
    again = run("cluster", "illustrative", "Cụm III", "-y", "2024", "--clear")
    assert again.stderr.endswith("điểm chưa được đánh dấu là số liệu minh họa.\n")
    assert MARK not in run("rank", "-c", "Cụm III", "-y", "2024").stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "Lỗi: Hãy dùng một trong hai: --note hoặc --clear.\n"),
        (["--note", "x", "--clear"], 2, "Lỗi: Hãy dùng một trong hai: --note hoặc --clear.\n"),
        (["--note", "   "], 3,
         "Lỗi: Ghi chú không được để trống: ghi chú nói vì sao điểm là điểm minh họa.\n"),
        (["-y", "2030", "--note", "x"], 3,
         "Lỗi: Cụm thi đua số III - Thử nghiệm chưa có thành viên năm 2030.\n"),
    ],
)  # fmt: skip
def test_bad_marks_are_refused_and_nothing_is_written(run, real, args, code, message):
    year = [] if "-y" in args else ["-y", "2024"]
    before = snapshot(real)
    result = run("cluster", "illustrative", "Cụm III", *year, *args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert snapshot(real) == before
