"""Papers a Board accepts (issue 15): the Word files read back through their XML, the HTML
through its text and style. Decree 30/2020 sets the page number at the top from page 2, the
short rule under the issuing body, and tables whose header repeats and whose rows stay whole.
"""

import re
from pathlib import Path

import pytest

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(run, tmp_path: Path, *args: str):
    from docx import Document

    path = tmp_path / "giay-to.docx"
    result = run(*args, "-o", str(path))
    assert result.exit_code == 0, result.output
    return Document(str(path))


@pytest.mark.parametrize(
    "args",
    [
        ("report", "-c", "Cụm I", "-y", "2020"),
        ("submission", "-c", "Cụm I", "-y", "2020"),
        ("minutes", "-c", "Cụm I", "-y", "2020"),
    ],
)
def test_word_papers_number_their_pages_and_keep_table_rows_whole(run, sample, tmp_path, args):
    word = _docx(run, tmp_path, *args)
    section = word.sections[0]
    # the first page has its own (empty) header; the others carry the page number, centred
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    fields = section.header._element.iter(f"{W}fldSimple")
    assert [f.get(f"{W}instr") for f in fields] == ["PAGE"]
    # the short rule under the issuing body, as under the motto
    header_cells = word.tables[0].rows[0].cells
    issuer = next(p for p in header_cells[0].paragraphs if p.text.isupper() and "CỤM" in p.text)
    assert issuer._p.pPr.find(f"{W}pBdr/{W}bottom") is not None
    data = [t for t in word.tables[1:-1] if t.rows[0].cells[0].text in ("STT", "Hạng")]
    assert data, "no table of units"
    for table in data:
        first, *rest = table.rows
        assert first._tr.trPr.find(f"{W}tblHeader") is not None
        assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in [first, *rest])
        # the first column keeps its short header whole: at least 13 mm for "STT" in bold
        assert table.columns[0].width.mm >= 13


def test_html_papers_keep_the_title_on_one_line_and_the_number_blank(run, sample):
    result = run("report", "-c", "Cụm I", "-y", "2020", "-f", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert ".title-line { white-space: nowrap; }" in page
    assert re.search(r'<div class="number">Số:      /BC-CTĐ</div>', page)
    assert ".number { white-space: pre; }" in page
    assert '<span class="issuer">CỤM I - CÁC TỔ CHỨC TÍN DỤNG</span>' in page
    assert "border-bottom: 1px solid #000" in page.split(".issuer {")[1].split("}")[0]
    assert "<thead><tr><th>STT</th><th>Đơn vị</th><th>Vai trò</th></tr></thead>" in page
    assert "table.data thead { display: table-header-group; }" in page


def test_column_widths_keep_short_columns_whole_and_fill_the_page() -> None:
    from thidua_cli.output.documents import Table, column_widths

    long_name = "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
    table = Table(["STT", "Đơn vị", "Vai trò"], [["1", long_name, "Trưởng cụm"]], [0])
    widths = column_widths(table)
    assert round(sum(widths), 6) == 165
    assert widths[0] >= 13 and widths[2] >= 10 * 2.6  # "Trưởng cụm" on one line
    assert widths[1] == max(widths)


def test_awards_on_screen_show_points_the_vietnamese_way(run, sample):
    result = run("awards", "-y", "2020", "-c", "Cụm I")
    assert result.exit_code == 0, result.output
    cells = [c.strip() for line in result.stdout.splitlines() for c in line.split("│")]
    assert "96,50" in cells and "95,00" in cells
    assert "96.5" not in result.stdout
