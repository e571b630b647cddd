"""The bundled sample reproduces the five articles in shared/seeds."""

import csv
import json
from pathlib import Path

import pytest

from conftest import snapshot
from thidua_cli.app.sample import data_dir
from thidua_cli.rules.text import fold_key

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

EXPECTED = {
    ("Cụm I", 2020): (
        "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        "Ngân hàng Phát triển tỉnh Lạng Sơn",
        5,
    ),
    ("Cụm I", 2021): (
        "Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn",
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh Lạng Sơn",
        5,
    ),
    ("Cụm II", 2020): ("Công ty Điện lực Lạng Sơn", "Chi nhánh Ga Đồng Đăng", 5),
    ("Cụm II", 2021): ("Chi nhánh Ga Đồng Đăng", "Chi nhánh Xăng dầu Lạng Sơn", 5),
    ("Cụm thi đua các cơ quan tham mưu tổng hợp", 2020): (
        "Văn phòng Đoàn Đại biểu Quốc hội tỉnh",
        "Sở Tài chính",
        8,
    ),
    ("Cụm thi đua các cơ quan tham mưu tổng hợp", 2021): (
        "Sở Tài chính",
        "Sở Kế hoạch và Đầu tư",
        8,
    ),
    ("Cụm thi đua các cơ quan Trung ương", 2020): (
        "Ngân hàng Nhà nước Chi nhánh tỉnh Lạng Sơn",
        "Cục Quản lý thị trường tỉnh Lạng Sơn",
        7,
    ),
    ("Cụm thi đua các cơ quan Trung ương", 2021): (
        "Cục Quản lý thị trường tỉnh Lạng Sơn",
        "Cục Thống kê tỉnh Lạng Sơn",
        7,
    ),
    ("Cụm thi đua số I", 2017): (None, "Viễn Thông Lạng Sơn", 7),
}


@pytest.mark.parametrize(("cluster", "year"), list(EXPECTED))
def test_leaders_deputies_and_sizes_as_reported(run, sample, cluster, year):
    result = run("cluster", "show", cluster, "--year", str(year), "-f", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    leader, deputy, size = EXPECTED[(cluster, year)]
    assert (shown["leader"], shown["deputy"], len(shown["members"])) == (leader, deputy, size)


THUY = "Đồng chí Vũ Thanh Thụy, Phó Trưởng Ban Thi đua - Khen thưởng, Sở Nội vụ"


def test_conferences_as_reported(run, sample):
    """Date, place, who chaired and the guests, as each article names them; no article lists
    who kept the minutes or which members attended."""
    shown = json.loads(run("cluster", "show", "Cụm I", "-y", "2020", "-f", "json").stdout)
    assert shown["conferences"] == [
        {
            "period": "year", "date": "2021-01-05",
            "place": "Hội trường Ngân hàng Nông nghiệp và Phát triển nông thôn"
            " chi nhánh tỉnh Lạng Sơn",
            "chair_unit": None, "chair_name": None, "secretary": None, "present": None,
            "guests": [THUY],
        }
    ]  # fmt: skip
    old = json.loads(run("cluster", "show", "Cụm thi đua số I", "-y", "2017", "-f", "json").stdout)
    assert old["conferences"] == [
        {
            "period": "half", "date": "2017-07-07", "place": "Trụ sở Viễn Thông Lạng Sơn",
            # the deputy's director chaired the 2017 half-year meeting
            "chair_unit": "Viễn Thông Lạng Sơn",
            "chair_name": "Đồng chí Nguyễn Văn Lý, Trưởng Đại diện Tập đoàn Viễn thông Việt Nam tại"
            " tỉnh Lạng Sơn, Giám đốc Viễn thông Lạng Sơn",
            "secretary": None, "present": None,
            "guests": [
                "Đồng chí Nguyễn Thanh Bình, Phó Trưởng Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh"
                " Lạng Sơn",
                "Đồng chí Trần Văn Ba, chuyên viên Ban Thi đua - Khen thưởng tỉnh",
            ],
        }
    ]  # fmt: skip


def test_the_2021_covenants_signed_at_the_2020_conferences(run, sample):
    """Three articles report the 2021 covenant signed at the 2020 conference; the fourth does
    not, and its cluster has none."""
    signed = {}
    for cluster in ("Cụm I", "Cụm II", "Cụm thi đua các cơ quan tham mưu tổng hợp",
                    "Cụm thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh"):  # fmt: skip
        data = json.loads(run("report", "-c", cluster, "-y", "2020", "-f", "json").stdout)
        signed[data["cluster"]] = data["next_year"]["covenant"]
    assert signed == {
        "Cụm I - Các tổ chức tín dụng": {
            "date": "2021-01-05", "note": "Ký tại Hội nghị tổng kết năm 2020"},
        "Cụm thi đua II - Các doanh nghiệp Trung ương": {
            "date": "2021-01-05", "note": "Ký tại Hội nghị tổng kết năm 2020"},
        "Cụm thi đua các cơ quan tham mưu tổng hợp": {
            "date": "2021-01-14", "note": "Ký tại Hội nghị tổng kết năm 2020"},
        "Cụm thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh": None,
    }  # fmt: skip
    text = run("report", "-c", "Cụm I", "-y", "2020").stdout
    assert (
        "Các đơn vị thành viên đã ký kết giao ước thi đua năm 2021 ngày 05/01/2021 (Ký tại Hội"
        " nghị tổng kết năm 2020)." in text
    )
    assert f"Đại biểu dự: {THUY}." in text


def test_a_half_year_meeting_is_titled_a_half_year_review(run, sample):
    text = run("report", "-c", "Cụm thi đua số I", "-y", "2017", "--period", "half").stdout
    assert (
        "**Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm 2017 của Cụm thi đua số I - Các"
        " doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn**" in text
    )
    assert "bình xét" not in text.split("## I.")[0]


def test_the_sample_is_loaded_only_into_an_empty_database(run, db):
    assert run("unit", "add", "Sở Y tế").exit_code == 0
    before = snapshot(db)
    result = run("init", "--sample")
    assert result.exit_code == 3
    assert "đã có dữ liệu" in result.stderr
    assert snapshot(db) == before


def test_loading_the_sample_twice_is_harmless(run, sample):
    before = snapshot(sample)
    result = run("init", "--sample")
    assert result.exit_code == 0
    assert "đã có dữ liệu mẫu" in result.stderr
    assert snapshot(sample) == before


def _rows(name):
    with (data_dir() / "sample" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
def test_every_unit_and_placing_is_named_in_its_article():
    """Each unit of a membership row appears, by its name or an alias, in the cited article."""
    names = {
        r["name"]: [r["name"], *filter(None, r["aliases"].split("|"))] for r in _rows("units.csv")
    }
    for file in ("memberships.csv", "placings.csv"):
        for row in _rows(file):
            article = row["source"].split(": ")[-1]
            text = fold_key((SEEDS / article).read_text(encoding="utf-8"))
            assert any(fold_key(n) in text for n in names[row["unit"]]), (file, row["unit"])
