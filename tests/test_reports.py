"""`thidua report`, `thidua submission`, `thidua settings` and examples/annual-report.sh."""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import query, snapshot
from thidua_cli.app.sample import data_dir

SAMPLE = data_dir() / "sample"
MEMBERSHIPS = list(csv.DictReader((SAMPLE / "memberships.csv").open(encoding="utf-8")))
PLACINGS = list(csv.DictReader((SAMPLE / "placings.csv").open(encoding="utf-8")))
CONFERENCES = list(csv.DictReader((SAMPLE / "conferences.csv").open(encoding="utf-8")))
COVENANTS = list(csv.DictReader((SAMPLE / "covenants.csv").open(encoding="utf-8")))
CLUSTERS_2020 = sorted({m["cluster"] for m in MEMBERSHIPS if m["year"] == "2020"})
AWARD = {"co_thi_dua": "Cờ thi đua của UBND tỉnh", "bang_khen": "Bằng khen của Chủ tịch UBND tỉnh"}
ROOT = Path(__file__).resolve().parents[1]


def holder(year, cluster, role):
    return next(
        (
            m["unit"]
            for m in MEMBERSHIPS
            if m["year"] == str(year) and m["cluster"] == cluster and m["role"] == role
        ),
        None,
    )


# ---------------------------------------------------------------- the sample, as the articles


@pytest.mark.parametrize("cluster", CLUSTERS_2020)
def test_each_2020_report_states_what_the_article_does(run, sample, cluster):
    result = run("report", "--cluster", cluster, "--year", "2020", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    members = {
        m["unit"]: m["role"] for m in MEMBERSHIPS if m["year"] == "2020" and m["cluster"] == cluster
    }
    assert {m["unit"]: m["role"] for m in data["members"]} == members
    assert data["leader"] == holder(2020, cluster, "leader")
    assert data["deputy"] == holder(2020, cluster, "deputy")
    conference = next(c for c in CONFERENCES if c["cluster"] == cluster and c["year"] == "2020")
    assert data["conference"] == {
        "period": "year", "date": conference["date"], "place": conference["place"],
        "chair_unit": conference["chair_unit"] or None,
        "chair_name": conference["chair_name"] or None, "secretary": None, "present": None,
        "guests": [g.strip() for g in conference["guests"].split("|")],
    }  # fmt: skip
    by_rank = {r["rank"]: r["unit"] for r in data["ranking"]["rows"]}
    for placing in (p for p in PLACINGS if p["cluster"] == cluster):
        assert by_rank[int(placing["place"])] == placing["unit"]
    reported = {
        (p["unit"], p["award_reported"])
        for p in PLACINGS
        if p["cluster"] == cluster and p["award_reported"]
    }
    if reported:  # the articles that name the proposals: exactly those
        assert {(p["unit"], p["award_code"]) for p in data["proposals"]} == reported
    signed = [c for c in COVENANTS if c["cluster"] == cluster]
    assert data["next_year"] == {
        "year": 2021,
        "leader": holder(2021, cluster, "leader"),
        "deputy": holder(2021, cluster, "deputy"),
        "covenant": ({"date": signed[0]["date"], "note": signed[0]["note"]} if signed else None),
    }
    assert data["problems"] == []

    text = run("report", "--cluster", cluster, "--year", "2020").stdout
    assert (
        f"Hội nghị đã bầu {holder(2021, cluster, 'leader')} làm Trưởng cụm năm 2021,"
        f" {holder(2021, cluster, 'deputy')} làm Phó trưởng cụm."
    ) in text.splitlines()
    for unit, role in members.items():
        label = {"leader": "Trưởng cụm", "deputy": "Phó trưởng cụm", "member": "Thành viên"}[role]
        assert any(line.endswith(f"| {unit} | {label} |") for line in text.splitlines())
    for unit, code in reported:
        assert f"- {AWARD[code]}: " in text and unit in text


def test_the_markdown_report_of_cum_ii(run, sample):
    text = run("report", "-c", "Cụm II", "-y", "2020").stdout
    lines = text.splitlines()
    assert lines[:12] == [
        "UBND TỈNH LẠNG SƠN  ",
        "**CỤM THI ĐUA II - CÁC DOANH NGHIỆP TRUNG ƯƠNG**  ",
        "Số:      /BC-CTĐ  ",
        "",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  ",
        "**Độc lập - Tự do - Hạnh phúc**",
        "",
        "*Lạng Sơn, ngày 05 tháng 01 năm 2021*",
        "",
        "# BÁO CÁO",
        "",
        "**Kết quả bình xét thi đua năm 2020 của Cụm thi đua II - Các doanh nghiệp Trung ương**",
    ]
    assert (
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2020 được tổ chức ngày 05/01/2021"
        " tại Hội trường Công ty Điện lực Lạng Sơn."
    ) in lines
    assert (
        "| 1 | Chi nhánh Ga Đồng Đăng | 93,50 | 2,00 | 0,00 | 95,50 | xếp thứ Nhất theo bài báo"
        " cáo; đề nghị: Cờ thi đua của UBND tỉnh (theo bài báo cáo) |" in lines
    )
    assert "- Cờ thi đua của UBND tỉnh: Chi nhánh Ga Đồng Đăng (theo bài báo cáo)" in lines
    assert (
        "- Bằng khen của Chủ tịch UBND tỉnh: Công ty cổ phần Lương thực Cao Lạng (theo bài báo cáo)"
        in lines
    )
    # nobody is recorded to sign (thidua cluster signer): the name is left blank, and the leader
    # unit is not printed as if it were a person
    assert lines[-7:] == [
        "**TM. CỤM THI ĐUA**  ",
        "**TRƯỞNG CỤM**  ",
        "",
        "*Nơi nhận:*",
        "- Ban Thi đua - Khen thưởng tỉnh",
        "- Các đơn vị thành viên cụm",
        "- Lưu: VT",
    ]


def test_a_half_year_report_without_scores(run, sample):
    result = run("report", "-c", "Cụm thi đua số I", "-y", "2017", "--period", "half")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "*Lạng Sơn, ngày 07 tháng 07 năm 2017*" in lines
    assert "Chưa có kết quả chấm điểm 6 tháng đầu năm 2017; cụm chưa xếp hạng." in lines
    # the deputy first (the article names no leader), then the others by name
    assert "| 1 | Viễn Thông Lạng Sơn | Phó trưởng cụm |" in lines
    assert "| 2 | Bưu điện tỉnh Lạng Sơn | Thành viên |" in lines
    assert any("Viễn Thông Lạng Sơn | Phó trưởng cụm |" in line for line in lines)
    assert not any("ĐỀ NGHỊ KHEN THƯỞNG" in line or "BẦU TRƯỞNG CỤM" in line for line in lines)
    assert result.stderr == (
        "Lưu ý: Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn"
        " chưa có điểm năm 2017.\n"
    )
    data = json.loads(
        run(
            "report", "-c", "Cụm thi đua số I", "-y", "2017", "--period", "half", "-f", "json"
        ).stdout
    )
    assert data["ranking"] is None and "next_year" not in data


def test_the_province_summary(run, sample):
    result = run("report", "--year", "2020", "--date", "20/01/2021")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == ["SỞ NỘI VỤ  ", "**BAN THI ĐUA - KHEN THƯỞNG**  ", "Số:      /BC-TĐKT  "]
    assert "*Lạng Sơn, ngày 20 tháng 01 năm 2021*" in lines
    assert "- Cờ thi đua của UBND tỉnh: 4 đơn vị" in lines
    assert "- Bằng khen của Chủ tịch UBND tỉnh: 6 đơn vị" in lines
    assert (
        "| 2 | Cụm thi đua các cơ quan tham mưu tổng hợp | Văn phòng Đoàn Đại biểu Quốc hội tỉnh"
        " | Sở Tài chính | Văn phòng HĐND tỉnh | Văn phòng HĐND tỉnh (theo bài báo cáo)"
        " | Sở Nội vụ (theo bài báo cáo), Văn phòng UBND tỉnh (theo bài báo cáo) |"
    ) in lines
    assert (
        "| Cụm thi đua II - Các doanh nghiệp Trung ương | Chi nhánh Ga Đồng Đăng"
        " | Chi nhánh Xăng dầu Lạng Sơn |" in lines
    )
    data = json.loads(run("report", "--year", "2020", "-f", "json").stdout)
    assert data["totals"] == {"clusters": 4, "ranked": 4, "co_thi_dua": 4, "bang_khen": 6}
    assert data["clusters"][0]["first"] == [
        "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
    ]


def test_the_report_in_english_keeps_the_national_title(run, sample):
    result = run("--lang", "en", "report", "-c", "Cụm II", "-y", "2020")
    lines = result.stdout.splitlines()
    assert "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  " in lines
    assert "# REPORT" in lines
    assert "*Lạng Sơn, day 05 month 01 year 2021*" in lines


# ---------------------------------------------------------------- HTML and Word


def test_html_is_one_self_contained_page_for_a4(run, draft_sample, tmp_path):
    # 2020 unlocked: a locked year keeps the names it was locked with
    run("unit", "rename", "Sở Tư pháp", "Sở <Tư> pháp & co")
    out = tmp_path / "bao-cao.html"
    result = run("report", "-c", "tham mưu", "-y", "2020", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4;" in page and "Times New Roman" in page
    assert "<link" not in page and "<script" not in page and "http" not in page
    assert '<div class="title-line">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>' in page
    assert '<div class="motto">Độc lập - Tự do - Hạnh phúc</div>' in page
    assert "Sở &lt;Tư&gt; pháp &amp; co" in page and "<Tư>" not in page


def read_docx(path):
    import docx

    return docx.Document(str(path))


def test_the_docx_has_the_decree_layout(run, sample, tmp_path):
    out = tmp_path / "bao-cao.docx"
    result = run("report", "-c", "Cụm I", "-y", "2020", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Đã ghi {out}.\n"
    word = read_docx(out)
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    normal = word.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 14)
    left, right = word.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "UBND TỈNH LẠNG SƠN",
        "CỤM I - CÁC TỔ CHỨC TÍN DỤNG",
        "Số:      /BC-CTĐ",
    ]
    title, motto = right.paragraphs
    assert (title.text, motto.text) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    )
    assert title.runs[0].bold and motto.runs[0].bold
    assert (
        motto._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr")
        is not None
    )
    texts = [p.text for p in word.paragraphs]
    assert "Lạng Sơn, ngày 05 tháng 01 năm 2021" in texts
    assert "BÁO CÁO" in texts
    ranking = word.tables[2]
    assert [c.text for c in ranking.rows[1].cells][:2] == [
        "1",
        "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
    ]


def test_a_word_template_gives_its_page_setup(run, sample, tmp_path):
    import docx
    from docx.shared import Mm

    template = tmp_path / "mau.docx"
    base = docx.Document()
    base.sections[0].page_width, base.sections[0].page_height = Mm(216), Mm(279)
    base.add_paragraph("Nội dung mẫu sẽ được thay")
    base.save(str(template))
    out = tmp_path / "bao-cao.docx"
    result = run("report", "-c", "Cụm I", "-y", "2020", "-o", str(out), "--template", str(template))
    assert result.exit_code == 0, result.output
    word = read_docx(out)
    assert round(word.sections[0].page_width.mm) == 216
    assert "Nội dung mẫu sẽ được thay" not in [p.text for p in word.paragraphs]
    assert "BÁO CÁO" in [p.text for p in word.paragraphs]


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is missing"
)
def test_libreoffice_turns_the_docx_into_a_pdf(run, sample, tmp_path):
    out = tmp_path / "to-trinh.docx"
    assert run("submission", "-y", "2020", "-o", str(out), "--date", "2021-01-20").exit_code == 0
    office = shutil.which("soffice") or shutil.which("libreoffice")
    done = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdf = (tmp_path / "to-trinh.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


# ---------------------------------------------------------------- the submission


def test_the_submission_lists_every_proposal_with_its_achievement(run, sample):
    result = run("submission", "-y", "2020", "--date", "20/01/2021", "-f", "md")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "# TỜ TRÌNH" in lines
    assert "Kính gửi: Chủ tịch UBND tỉnh" in lines
    assert (
        "| 1 | Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
        " | Cờ thi đua của UBND tỉnh | Dẫn đầu Cụm I - Các tổ chức tín dụng năm 2020,"
        " tổng điểm 96,50 (theo bài báo cáo) |"
    ) in lines
    assert sum(1 for line in lines if line.startswith("| ") and line[2].isdigit()) == 10
    data = json.loads(run("submission", "-y", "2020", "-f", "json").stdout)
    assert data["totals"] == {"co_thi_dua": 4, "bang_khen": 6}
    one = run("submission", "-y", "2020", "-c", "Cụm II", "--date", "2021-01-06").stdout
    assert "Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh" in one.splitlines()
    assert "**CỤM THI ĐUA II - CÁC DOANH NGHIỆP TRUNG ƯƠNG**  " in one.splitlines()


def test_a_submission_with_an_unresolved_tie_is_refused_and_writes_nothing(
    run, draft_sample, tmp_path
):
    # make BIDV equal to Agribank: a tie for the flag
    run("score", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--criterion", "T.1",
        "--points", "2.5")  # fmt: skip
    assert json.loads(run("rank", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout)[
        "unresolved_ties"
    ]
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "to-trinh.docx"
    result = run("submission", "-y", "2020", "-o", str(out))
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "Lỗi: Còn đề nghị chưa xác định (đồng hạng, hoặc còn chờ thông tin theo quy định); hãy"
        " giải quyết trước:\n"
        "  - Cụm I - Các tổ chức tín dụng: đồng hạng 1 chưa giải quyết:"
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["report", "-y", "2020", "-f", "docx"], 2, "Lỗi: Không thể đưa tệp .docx ra màn hình"),
        (["report", "-y", "2020", "--template", "x.docx"], 2, "Lỗi: --template chỉ dùng khi xuất"),
        (["report", "-y", "2020", "--period", "half"], 2, "Lỗi: Báo cáo tổng hợp toàn tỉnh"),
        (["report", "-y", "2019"], 3, "Lỗi: Không cụm nào có thành viên trong năm 2019."),
        (["report", "-y", "2020", "--date", "32/01/2021"], 3, "Lỗi: “32/01/2021” không phải"),
        (
            ["submission", "-y", "2021"],
            3,
            "Cụm I - Các tổ chức tín dụng chưa có điểm tổng kết năm 2021; bỏ qua.\n",
        ),
        (
            ["report", "-y", "2020", "-o", "out.docx", "--template", "missing.docx"],
            3,
            "Lỗi: Không có tệp mẫu missing.docx.",
        ),
    ],
)
def test_a_refused_document_says_why_and_writes_no_file(
    run, sample, tmp_path, monkeypatch, args, code, message
):
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = run(*args)
    assert result.exit_code == code
    assert result.stderr.startswith(message)
    assert list(folder.iterdir()) == []


def test_a_bad_template_is_refused(run, sample, tmp_path):
    template = tmp_path / "mau.docx"
    template.write_text("not a word file", encoding="utf-8")
    out = tmp_path / "out.docx"
    result = run("report", "-y", "2020", "-o", str(out), "--template", str(template))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Lỗi: {template} không phải tệp Word (.docx) mẫu")
    assert not out.exists()


def test_the_write_is_atomic(run, sample, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "bao-cao.md"
    out.write_text("bản cũ", encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", fail)
        result = run("report", "-c", "Cụm I", "-y", "2020", "-o", str(out))
    assert result.exit_code == 6
    assert result.stderr.startswith("Lỗi: Không ghi được")
    assert out.read_text(encoding="utf-8") == "bản cũ"
    assert [p.name for p in folder.iterdir()] == ["bao-cao.md"]  # no temporary file left
    assert run("report", "-c", "Cụm I", "-y", "2020", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("UBND TỈNH LẠNG SƠN")


# ---------------------------------------------------------------- settings and --names


def test_settings_name_the_province_and_the_board(run, db):
    shown = json.loads(run("settings", "show", "-f", "json").stdout)
    # the origin is a code in JSON (issue 16), the word ("mặc định") on screen
    assert shown == [
        {"key": "province", "value": None, "origin": "default"},
        {"key": "board", "value": "Ban Thi đua - Khen thưởng", "origin": "default"},
        {"key": "board_superior", "value": "Sở Nội vụ", "origin": "default"},
        {"key": "legal_bases", "value": None, "origin": "default"},
        {"key": "board_signer", "value": None, "origin": "default"},
        {"key": "board_signer_title", "value": None, "origin": "default"},
        {"key": "board_sign_for", "value": None, "origin": "default"},
        {"key": "cum_symbol", "value": "CTĐ", "origin": "default"},
        {"key": "khoi_symbol", "value": "KTĐ", "origin": "default"},
    ]
    assert run("settings", "set", "province", " Cao Bằng ").exit_code == 0
    assert query(db, "SELECT key, value FROM setting") == [("province", "Cao Bằng")]
    before = snapshot(db)
    refused = run("settings", "set", "board", "  ")
    assert refused.exit_code == 3
    assert refused.stderr == "Lỗi: Thiết lập không được để trống; dùng `thidua settings unset`.\n"
    assert snapshot(db) == before
    assert run("settings", "unset", "province").exit_code == 0
    assert query(db, "SELECT count(*) FROM setting") == [(0,)]


def test_a_submission_cites_its_legal_bases_and_opens_in_one_sentence(run, sample):
    bases = ("Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022 | Nghị định số 98/2023/NĐ-CP"
             " ngày 31 tháng 12 năm 2023 của Chính phủ")  # fmt: skip
    before = snapshot(sample)
    empty = run("settings", "set", "legal_bases", " | ")
    assert (empty.exit_code, empty.stderr) == (
        3, "Lỗi: Thiết lập không được để trống; dùng `thidua settings unset`.\n"
    )  # fmt: skip
    assert snapshot(sample) == before
    assert run("settings", "set", "legal_bases", bases).exit_code == 0
    text = run("submission", "-c", "Cụm I", "-y", "2020").stdout
    body = text.split("Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh\n\n")[1].split("\n\n")
    assert body[:3] == [
        "Căn cứ Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;",
        "Căn cứ kết quả bình xét thi đua năm 2020 của Cụm I - Các tổ chức tín dụng, tại đó các"
        " đơn vị thành viên đã chấm điểm, xếp hạng lẫn nhau, Cụm I - Các tổ chức tín dụng đề nghị"
        " khen thưởng cho 02 tập thể như sau:",
    ]
    assert "| STT | Tên tập thể | Hình thức khen thưởng | Thành tích |" in text
    assert "- Cờ thi đua của UBND tỉnh: 01 tập thể" in text
    # the Board's paper, signed by a deputy for the head
    for key, value in (("board_signer", "Vũ Thanh Thụy"), ("board_sign_for", "KT. TRƯỞNG BAN"),
                       ("board_signer_title", "PHÓ TRƯỞNG BAN")):  # fmt: skip
        assert run("settings", "set", key, value).exit_code == 0
    board = run("submission", "-y", "2020").stdout
    assert "**KT. TRƯỞNG BAN**  \n**PHÓ TRƯỞNG BAN**  \n\nVũ Thanh Thụy\n" in board
    assert "Ban Thi đua - Khen thưởng đề nghị khen thưởng cho 10 tập thể như sau:" in board


def test_without_a_province_the_place_is_left_blank(run, draft_sample):
    # 2020 unlocked: a locked year keeps the settings it was locked with
    run("settings", "unset", "province")
    lines = run("report", "-c", "Cụm I", "-y", "2020").stdout.splitlines()
    assert lines[0] == "**CỤM I - CÁC TỔ CHỨC TÍN DỤNG**  "
    assert "*……, ngày 05 tháng 01 năm 2021*" in lines


def test_cluster_names_one_per_line(run, sample):
    result = run("cluster", "list", "--year", "2020", "--names")
    assert result.stdout.splitlines() == [
        "Cụm I - Các tổ chức tín dụng",
        "Cụm thi đua các cơ quan tham mưu tổng hợp",
        "Cụm thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh",
        "Cụm thi đua II - Các doanh nghiệp Trung ương",
    ]


# ---------------------------------------------------------------- the example script


def annual_report(database, year, folder, fmt="md"):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["FORMAT"] = fmt
    env.pop("THIDUA_DB", None)
    return subprocess.run(
        ["bash", str(ROOT / "examples" / "annual-report.sh"), str(database), str(year),
         str(folder)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def test_the_annual_report_script_writes_the_years_paperwork(sample, tmp_path):
    folder = tmp_path / "2020"
    done = annual_report(sample, 2020, folder)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "Cụm-I---Các-tổ-chức-tín-dụng.md",
        "Cụm-thi-đua-II---Các-doanh-nghiệp-Trung-ương.md",
        "Cụm-thi-đua-các-cơ-quan-Trung-ương-đóng-trên-địa-bàn-tỉnh.md",
        "Cụm-thi-đua-các-cơ-quan-tham-mưu-tổng-hợp.md",
        "de-nghi-khen-thuong-2020.csv",
        "to-trinh-2020.md",
        "tong-hop-2020.md",
    ]
    rows = (folder / "de-nghi-khen-thuong-2020.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 11
    assert "Hội nghị đã bầu Chi nhánh Ga Đồng Đăng làm Trưởng cụm năm 2021" in (
        folder / "Cụm-thi-đua-II---Các-doanh-nghiệp-Trung-ương.md"
    ).read_text(encoding="utf-8")


def test_the_annual_report_script_fails_on_a_cluster_without_scores_or_a_tie(
    run, draft_sample, tmp_path
):
    run("cluster", "add", "Cụm thi đua số IX", "--code", "Cụm IX")
    run("unit", "add", "Đơn vị mới")
    run("cluster", "join", "Cụm IX", "Đơn vị mới", "-y", "2020")
    run("score", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--criterion", "T.1",
        "--points", "2.5")  # fmt: skip
    folder = tmp_path / "2020"
    done = annual_report(draft_sample, 2020, folder)
    assert done.returncode == 3
    assert "Cụm thi đua số IX chưa có điểm tổng kết năm 2020" in done.stderr
    assert "đồng hạng" in done.stderr
    assert "annual-report: 3 problem(s) in 2020" in done.stderr
    names = {p.name for p in folder.iterdir()}
    assert "Cụm-thi-đua-số-IX.md" in names and "tong-hop-2020.md" in names
    assert "de-nghi-khen-thuong-2020.csv" in names  # with both tied units marked
    assert "to-trinh-2020.md" not in names  # a submission waits for the tie


def test_the_annual_report_script_stops_on_a_database_it_cannot_use(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("not a database", encoding="utf-8")
    done = annual_report(bad, 2020, tmp_path / "out")
    assert done.returncode == 5
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- every format, both scopes

SCOPES = {
    "cluster": (["report", "-c", "Cụm II", "-y", "2020"], "Chi nhánh Ga Đồng Đăng"),
    "province": (["report", "-y", "2020", "--date", "2021-01-20"], "Văn phòng HĐND tỉnh"),
    "submission": (["submission", "-y", "2020", "--date", "2021-01-20"], "Sở Nội vụ"),
}


def document_text(path):
    if path.suffix == ".docx":
        word = read_docx(path)
        cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("scope", sorted(SCOPES))
@pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".json"])
def test_every_format_for_every_document(run, sample, tmp_path, scope, suffix):
    args, unit = SCOPES[scope]
    out = tmp_path / f"doc{suffix}"
    result = run(*args, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = document_text(out)
    assert unit in text
    if suffix == ".json":
        json.loads(text)
    else:
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "Lạng Sơn, ngày" in text


def test_piped_output_has_no_colour_and_no_color_is_honoured_on_a_terminal(sample):
    import pty

    env = {**os.environ, "THIDUA_DB": str(sample), "COLUMNS": "200"}
    command = [sys.executable, "-m", "thidua_cli", "rank", "-c", "Cụm I", "-y", "2020"]
    piped = subprocess.run(command, capture_output=True, env=env, timeout=60)
    assert piped.returncode == 0 and b"\x1b[" not in piped.stdout

    def on_terminal(extra):
        output = bytearray()

        def read(fd):
            data = os.read(fd, 65536)
            output.extend(data)
            return data

        old = dict(os.environ)
        os.environ.update({**env, **extra})
        try:
            pty.spawn(command, read)
        finally:
            os.environ.clear()
            os.environ.update(old)
        return bytes(output)

    coloured = on_terminal({})
    assert b"\x1b[" in coloured  # a terminal gets Rich's styling
    plain = on_terminal({"NO_COLOR": "1"})
    assert b"Agribank" in plain
    assert not any(f"\x1b[{n}".encode() in plain for n in range(30, 38))  # no colour codes
    assert b"\x1b[38;" not in plain


def test_output_through_a_link_or_into_a_pipe_never_replaces_them(run, sample, tmp_path):
    import threading

    real = tmp_path / "that.md"
    real.write_text("cũ", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert run("report", "-c", "Cụm I", "-y", "2020", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("UBND TỈNH")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("report", "-c", "Cụm I", "-y", "2020", "-f", "md", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received and received[0].decode("utf-8").startswith("UBND TỈNH")
    import stat

    assert stat.S_ISFIFO(fifo.stat().st_mode)
    refused = run("backup", str(fifo))
    assert refused.exit_code == 3
    assert stat.S_ISFIFO(fifo.stat().st_mode)
