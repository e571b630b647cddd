"""Excel: the scoring sheet round trip, and rankings and proposals as real workbooks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from openpyxl import load_workbook

from thidua_cli.points import parse_points

CLUSTER = "Cụm I"


def _stored(db: Path, source: str = "final") -> dict[tuple[str, str], int]:
    with sqlite3.connect(db) as conn:
        return {
            (unit, code): points
            for unit, code, points in conn.execute(
                "SELECT u.name, c.code, s.points FROM score s JOIN unit u ON u.id = s.unit_id"
                " JOIN criterion c ON c.id = s.criterion_id JOIN cluster k ON k.id = s.cluster_id"
                " WHERE s.year = 2020 AND s.period = 'year' AND s.source = ?"
                " AND k.name LIKE 'Cụm I -%'",
                (source,),
            )
        }


def test_the_scoring_sheet_is_laid_out_for_members(run, sample: Path, tmp_path: Path) -> None:
    sheet_path = tmp_path / "cham-diem.xlsx"
    result = run("score", "template", "--cluster", CLUSTER, "--year", "2020", "-o", str(sheet_path))
    assert result.exit_code == 0, result.output
    assert "5 đơn vị, 14 tiêu chí" in result.output
    book = load_workbook(sheet_path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Đơn vị" and header[-1] == "Tổng điểm"
    # each group's subtotal after its last criterion (tests/test_criteria_forms.py has more)
    assert header[1:5] == ["1.1", "1.2", "Cộng nhóm 1", "2.1"]
    assert [c.value for c in sheet[3]][:5] == ["Điểm tối đa", 30, 10, 40, 10]
    units = [sheet.cell(row=r, column=1).value for r in range(4, 9)]
    assert units == [  # Vietnamese order
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh Lạng Sơn",
        "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        "Ngân hàng Phát triển tỉnh Lạng Sơn",
        "Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn",
        "Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn",
    ]
    # The header and the names are locked, the score cells open; the total is Excel's formula.
    assert sheet.protection.sheet is True
    assert sheet["A4"].protection.locked and sheet["B2"].protection.locked
    assert not sheet["B4"].protection.locked
    assert sheet["W4"].value == "=" + "+".join(f"N({c}4)" for c in "BCEFGIJLNOQR") + "-N(T4)-N(U4)"
    # Each criterion column refuses values outside [0, maximum].
    checks = {str(v.sqref): (v.type, v.operator, v.formula1, v.formula2)
              for v in sheet.data_validations.dataValidation}  # fmt: skip
    assert checks["B4:B8"] == ("decimal", "between", "0", "30")
    assert checks["U4:U8"] == ("decimal", "between", "0", "5")
    assert len(checks) == 14
    assert sheet.freeze_panes == "B4"


def test_a_filled_sheet_comes_back_exactly(run, draft_sample: Path, tmp_path: Path) -> None:
    sheet_path = tmp_path / "cham-diem.xlsx"
    assert (
        run("score", "template", "-c", CLUSTER, "-y", "2020", "-o", str(sheet_path)).exit_code == 0
    )
    book = load_workbook(sheet_path)
    sheet = book.active
    codes = [c.value for c in sheet[1]][1:-1]
    maxima = [c.value for c in sheet[3]][1:-1]
    written: dict[tuple[str, str], int] = {}
    for offset, row in enumerate(range(4, 9)):
        unit = sheet.cell(row=row, column=1).value
        for column, (code, maximum) in enumerate(zip(codes, maxima, strict=True), start=2):
            if code.startswith("Cộng nhóm"):
                continue  # a group's subtotal: Excel's formula, left as it is
            # what a member types: whole numbers, halves, hundredths, the maximum itself
            value = [maximum, maximum - 0.5, round(maximum * 0.83, 2), 0, maximum - 0.25][offset]
            sheet.cell(row=row, column=column).value = value
            written[(unit, code)] = parse_points(value)
    book.save(sheet_path)
    result = run("score", "import", str(sheet_path), "-c", CLUSTER, "-y", "2020", "--replace")
    assert result.exit_code == 0, result.output
    assert "70" in result.output  # 5 units x 14 criteria
    assert _stored(draft_sample) == written


def test_a_sheet_with_a_wrong_value_is_refused_whole(
    run, draft_sample: Path, tmp_path: Path
) -> None:
    sheet_path = tmp_path / "cham-diem.xlsx"
    run("score", "template", "-c", CLUSTER, "-y", "2020", "-o", str(sheet_path))
    book = load_workbook(sheet_path)
    book.active["B5"].value = 31  # above the maximum of 30: Excel would have refused it too
    book.active["C6"].value = "chín"
    book.save(sheet_path)
    before = _stored(draft_sample)
    result = run("score", "import", str(sheet_path), "-c", CLUSTER, "-y", "2020", "--replace")
    assert result.exit_code == 3
    assert "dòng 5, cột “1.1”: 31 vượt điểm tối đa 30,00 của tiêu chí 1.1" in result.output
    assert "dòng 6, cột “1.2”: “chín” không phải là số" in result.output
    assert _stored(draft_sample) == before


def test_the_template_refuses_another_extension(run, sample: Path, tmp_path: Path) -> None:
    result = run("score", "template", "-c", CLUSTER, "-y", "2020", "-o", str(tmp_path / "a.csv"))
    assert result.exit_code == 2
    assert result.output == "Lỗi: Bảng chấm điểm là tệp Excel: hãy đặt tên TỆP.xlsx.\n"
    assert not (tmp_path / "a.csv").exists()


def test_rank_and_awards_write_workbooks_with_text_as_text(
    run, draft_sample: Path, tmp_path: Path
) -> None:
    # 2020 unlocked: a locked year keeps the names it was locked with
    renamed = run("unit", "rename", "Agribank Lạng Sơn", "=1+1")
    assert renamed.exit_code == 0, renamed.output
    rank_path, awards_path = tmp_path / "xep-hang.xlsx", tmp_path / "de-nghi.xlsx"
    assert run("rank", "-c", CLUSTER, "-y", "2020", "-o", str(rank_path)).exit_code == 0
    assert run("awards", "-y", "2020", "-o", str(awards_path)).exit_code == 0

    sheet = load_workbook(rank_path).active
    assert [c.value for c in sheet[1]] == [
        "Hạng", "Đơn vị", "Điểm đạt", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Số phiếu",
        "Số phiếu hợp lệ", "Tỷ lệ (%)", "Xếp loại", "Không đủ điều kiện", "Đề nghị khen thưởng",
    ]  # fmt: skip
    first = sheet[2]
    assert (first[0].value, first[1].value, first[5].value) == (1, "=1+1", 96.5)
    assert first[1].data_type == "s" and first[5].data_type == "n"

    sheet = load_workbook(awards_path).active
    assert [c.value for c in sheet[1]][:6] == [
        "Năm", "Cụm thi đua", "Đơn vị", "Xếp hạng", "Tổng điểm", "Hình thức khen thưởng",
    ]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # the ten proposals, then (under a blank row) the note on the sample's illustrative totals
    assert len(rows) == 12 and rows[10] == (None,) * len(rows[10])
    assert rows[11][0].startswith("(Số liệu minh họa: ")
    rows = rows[:10]
    assert rows[0][:6] == (2020, "Cụm I - Các tổ chức tín dụng", "=1+1", 1, 96.5,
                           "Cờ thi đua của UBND tỉnh")  # fmt: skip
    assert sheet["C2"].data_type == "s"


def test_rank_output_follows_the_suffix(run, sample: Path, tmp_path: Path) -> None:
    # once refused (only .xlsx was written); the suffix now names the format (issue 16)
    result = run("rank", "-c", CLUSTER, "-y", "2020", "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 0
    assert (tmp_path / "x.csv").read_text("utf-8-sig").startswith("Hạng,Đơn vị,")
    refused = run("rank", "-c", CLUSTER, "-y", "2020", "-o", str(tmp_path / "x.pdf"))
    assert refused.exit_code == 2
    assert not (tmp_path / "x.pdf").exists()


def test_the_template_refuses_what_it_cannot_write(run, sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "cham-diem.xlsx"
    result = run("score", "template", "-c", CLUSTER, "-y", "2017", "-o", str(target))
    assert result.exit_code == 3
    assert result.stderr == (
        "Lỗi: Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn tỉnh Lạng Sơn chưa"
        " có bảng chấm điểm năm 2017 và tỉnh chưa có bảng chung. Hãy nhập bằng"
        " `thidua criteria import`.\n"
    )
    result = run("score", "template", "-c", CLUSTER, "-y", "2020", "-o", str(target),
                 "--source", "peer")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "Lỗi: Mỗi đơn vị chấm có một phiếu chấm chéo riêng: hãy cho một thư mục, ví dụ"
        " -o cham-cheo/.\n"
    )
    result = run("score", "template", "-c", CLUSTER, "-y", "2020",
                 "-o", str(tmp_path / "missing" / "x.xlsx"))  # fmt: skip
    assert result.exit_code == 6
    assert not list(tmp_path.rglob("*xlsx*"))  # no sheet, no temporary file left behind
