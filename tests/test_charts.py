"""Workbooks that print (issue 15): points with two decimals, landscape fitted to the width, the
header repeated, an autofilter, a native bar chart of the ranking; and the HTML report's inline
SVG bar chart. Read back with openpyxl and from the page's text."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from test_illustrative import real  # noqa: F401  (the fixture: a database with real scores)

AGRIBANK = "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"


def _printable(sheet, ref: str) -> None:
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.auto_filter.ref == ref
    assert sheet.freeze_panes == "A2"


def test_the_ranking_workbook_prints_on_one_page_wide_with_a_chart(run, sample, tmp_path: Path):
    path = tmp_path / "xep-hang.xlsx"
    result = run("rank", "-c", "Cụm I", "-y", "2020", "-o", str(path))
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames == ["2020 tổng kết năm", "Biểu đồ"]
    sheet = book["2020 tổng kết năm"]
    _printable(sheet, "A1:L6")
    # points are numbers shown with two decimals (96,50 and 95,00 in a Vietnamese Excel)
    for column in "CDEF":
        assert {sheet[f"{column}{row}"].number_format for row in range(2, 7)} == {"0.00"}
    assert [sheet[f"F{row}"].value for row in range(2, 7)] == [96.5, 95, 93.5, 92.75, 91]
    assert sheet["A2"].number_format == "General"  # a rank is a whole number
    # the columns are as wide as their content, the unit names wrapped beyond 40 characters,
    # so that the table fits the page's width and the first page is not a single column
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHIJKL"}
    assert widths["A"] < 10 and widths["B"] == 42 and max(widths[c] for c in "CDEF") < 12
    assert sheet["B2"].alignment.wrap_text
    assert sum(widths.values()) < 160
    assert sheet["A8"].value.startswith("(Số liệu minh họa: ")  # under the table, unfiltered
    # the chart: totals per unit, in ranked order, reading the table's cells
    charts = book["Biểu đồ"]._charts
    assert len(charts) == 1
    chart = charts[0]
    assert (chart.type, chart.x_axis.scaling.orientation) == ("bar", "maxMin")
    (series,) = chart.series
    assert series.val.numRef.f == "'2020 tổng kết năm'!$F$2:$F$6"
    # (openpyxl writes a category range as numRef; Excel shows the names it holds)
    assert series.cat.numRef.f == "'2020 tổng kết năm'!$B$2:$B$6"
    assert series.tx.strRef.f == "'2020 tổng kết năm'!F1"  # the header names the series
    assert chart.dataLabels.showVal and chart.dataLabels.numFmt == "0.00"
    title = "".join(r.t for p in chart.title.tx.rich.p for r in p.r)
    assert title == "Tổng điểm năm 2020 (tổng kết năm) (số liệu minh họa)"


def test_a_real_ranking_workbook_has_no_note(run, real, tmp_path: Path):  # noqa: F811
    path = tmp_path / "xep-hang.xlsx"
    assert run("rank", "-c", "Cụm III", "-y", "2024", "-o", str(path)).exit_code == 0
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.max_row == 6  # the header and five units, nothing under them
    _printable(sheet, "A1:L6")
    chart = book["Biểu đồ"]._charts[0]
    title = "".join(r.t for p in chart.title.tx.rich.p for r in p.r)
    assert title == "Tổng điểm năm 2024 (tổng kết năm)"


def test_the_awards_workbook_prints_too(run, sample, tmp_path: Path):
    path = tmp_path / "de-nghi.xlsx"
    assert run("awards", "-y", "2020", "-o", str(path)).exit_code == 0
    book = load_workbook(path)
    assert len(book.sheetnames) == 1  # no chart: proposals across clusters
    sheet = book.active
    _printable(sheet, "A1:L11")
    assert {sheet[f"E{row}"].number_format for row in range(2, 12)} == {"0.00"}
    assert sheet["E2"].value == 96.5


def _bars(page: str) -> tuple[str, list[tuple[str, str]]]:
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert svg is not None, "no chart"
    text = svg.group(0)
    labels = re.findall(r'<text class="label"[^>]*>([^<]*)</text>', text)
    values = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', text)
    return text, list(zip(labels, values, strict=True))


def test_the_html_report_draws_the_ranking_as_an_svg_bar_chart(run, sample):
    page = run("report", "-c", "Cụm I", "-y", "2020", "-f", "html").stdout
    svg, bars = _bars(page)
    assert bars == [
        (AGRIBANK, "96,50"),
        ("Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn", "95,00"),
        ("Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn", "93,50"),
        ("Ngân hàng Chính sách xã hội chi nhánh tỉnh Lạng Sơn", "92,75"),
        ("Ngân hàng Phát triển tỉnh Lạng Sơn", "91,00"),
    ]
    widths = [float(w) for w in re.findall(r'<rect class="bar"[^>]* width="([\d.]+)"', svg)]
    assert len(widths) == 5 and widths == sorted(widths, reverse=True)
    assert widths[0] == 540 and round(widths[-1], 1) == round(540 * 91 / 96.5, 1)
    assert "<title>Tổng điểm của các đơn vị (số liệu minh họa)</title>" in svg
    # drawn by thidua: no script, nothing fetched; the chart sits under the ranking's table
    assert "<script" not in page and "http" not in page
    assert page.index("</table>", page.index("Tổng điểm</th>")) < page.index("<svg")
    # Markdown and Word leave the chart out
    assert "<svg" not in run("report", "-c", "Cụm I", "-y", "2020").stdout


def test_a_name_in_the_chart_is_escaped(run, real):  # noqa: F811
    page = run("report", "-c", "Cụm III", "-y", "2024", "-f", "html").stdout
    svg, bars = _bars(page)
    assert "<title>Tổng điểm của các đơn vị</title>" in svg
    assert bars == [
        ("Ngân hàng An Bình", "94,00"),
        ("=SUM(1)", "92,00"),
        ("Công ty Bắc Sơn", "91,00"),
        ("Sở Cao Lộc", "80,00"),
        ("Chi cục Đình Lập", "68,00"),
    ]
    run("unit", "rename", "Sở Cao Lộc", "Sở <Cao> & Lộc")
    page = run("report", "-c", "Cụm III", "-y", "2024", "-f", "html").stdout
    assert ">Sở &lt;Cao&gt; &amp; Lộc</text>" in page
