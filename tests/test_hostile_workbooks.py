"""Workbooks made by hand (zipfile, no openpyxl) that lie or attack: every row that is there is
read, whatever <dimension> declares; what would expand without bound, hang or parse entities
is refused before it costs anything, with a message and exit 3, the database as it was."""

from __future__ import annotations

import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from conftest import make_cluster, snapshot

CLUSTER = ("-c", "Cụm III", "-y", "2024")
UNITS = ["Ngân hàng An Bình", "Công ty Bắc Sơn", "Sở Cao Lộc", "Chi cục Đình Lập"]

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def sheet_xml(rows: list[list[object]], *, dimension: str | None = None, prolog: str = "") -> str:
    """A worksheet of `rows` from A1, as Excel writes one (inline strings, numbers)."""
    body = "".join(
        f'<row r="{r}">'
        + "".join(_cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row) if v is not None)
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + prolog
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + dim + "<sheetData>" + body + "</sheetData></worksheet>"
    )  # fmt: skip


def workbook(path: Path, sheet: str | bytes, **members: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.fixture
def cluster(run, db, tmp_path):
    make_cluster(run, tmp_path, "--cluster", "Cụm III")
    return db


def _scores(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM score").fetchone()[0]


def refused(result, db: Path, before: dict, message: str) -> None:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert result.stderr == message
    assert snapshot(db) == before


# ---------------------------------------------------------------- <dimension> lies


def test_every_score_row_is_read_though_the_dimension_declares_fewer(run, cluster, tmp_path):
    rows: list[list[object]] = [["unit", "criterion", "points"]]
    rows += [[unit, code, 5] for unit in UNITS for code in ("1", "2")]
    path = workbook(tmp_path / "diem.xlsx", sheet_xml(rows, dimension="A1:C4"))  # 3 of 8
    result = run("score", "import", str(path), *CLUSTER)
    assert result.exit_code == 0, result.output
    assert "Đã nhập 8 điểm" in result.stderr
    assert _scores(cluster) == 8


def test_every_vote_row_is_read_though_the_dimension_declares_fewer(run, cluster, tmp_path):
    rows: list[list[object]] = [["unit", "votes"], *([u, 3] for u in UNITS)]
    path = workbook(tmp_path / "phieu.xlsx", sheet_xml(rows, dimension="A1:B2"))
    result = run("vote", "import", str(path), *CLUSTER)
    assert result.exit_code == 0, result.output
    assert result.stderr == "Đã ghi số phiếu của 4 đơn vị.\n"


def test_every_criterion_is_read_though_the_dimension_declares_fewer(run, db, tmp_path):
    rows: list[list[object]] = [["code", "name", "max_points"]]
    rows += [[f"C{i}", f"Tiêu chí {i}", 10] for i in range(10)]
    path = workbook(tmp_path / "tieu-chi.xlsx", sheet_xml(rows, dimension="A1:B3"))
    result = run("criteria", "import", str(path), "--default", "-y", "2024")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM criterion").fetchone() == (10,)


def test_a_self_scoring_form_is_read_past_its_declared_dimension(run, cluster, tmp_path):
    from openpyxl import load_workbook

    folder = tmp_path / "tu-cham"
    result = run("score", "template", *CLUSTER, "--source", "self", "-o", str(folder))
    assert result.exit_code == 0, result.output
    form = sorted(folder.iterdir())[0]
    book = load_workbook(form)
    sheet = book.worksheets[1]
    for row in range(6, sheet.max_row + 1):
        if sheet.cell(row, 1).value in ("1", "2"):
            sheet.cell(row, 4).value = 7
    book.save(form)
    # every sheet now declares its header rows only: the criteria below were cut short before
    with zipfile.ZipFile(form) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    for name, data in members.items():
        if name.startswith("xl/worksheets/") and b"<dimension" in data:
            start = data.index(b"<dimension")
            end = data.index(b"/>", start) + 2
            members[name] = data[:start] + b'<dimension ref="A1:E5"/>' + data[end:]
    with zipfile.ZipFile(form, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    result = run("score", "import", str(form), *CLUSTER)
    assert result.exit_code == 0, result.output
    assert _scores(cluster) == 2


# ---------------------------------------------------------------- far cells, bombs, entities


def test_one_far_cell_is_refused_at_once_not_after_twenty_minutes(run, cluster, tmp_path):
    rows: list[list[object]] = [["unit", "criterion", "points"], [UNITS[0], "1", 5]]
    xml = sheet_xml(rows, dimension="A1:XFD1048576").replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    path = workbook(tmp_path / "xa.xlsx", xml)
    assert path.stat().st_size < 6000
    before = snapshot(cluster)
    started = time.monotonic()
    result = run("score", "import", str(path), *CLUSTER)
    assert time.monotonic() - started < 20
    refused(
        result,
        cluster,
        before,
        f"Lỗi: {path}, trang tính “Sheet1”, dòng 1048576: có ô nằm quá cột AMJ, cột cuối cùng "
        "thidua đọc.\n",
    )


def test_a_cell_below_the_last_row_excel_has_is_refused(run, cluster, tmp_path):
    rows: list[list[object]] = [["unit", "criterion", "points"], [UNITS[0], "1", 5]]
    xml = sheet_xml(rows).replace(
        "</sheetData>", '<row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData>'
    )
    path = workbook(tmp_path / "sau.xlsx", xml)
    before = snapshot(cluster)
    result = run("--lang", "en", "score", "import", str(path), *CLUSTER)
    refused(
        result,
        cluster,
        before,
        f"Error: {path}, sheet “Sheet1”: a cell lies below row 1048576, the last one read.\n",
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked(run, cluster, tmp_path):
    rows: list[list[object]] = [["unit", "criterion", "points"], [UNITS[0], "1", 5]]
    xml = sheet_xml(rows).replace("</worksheet>", " " * (40 * 1024 * 1024) + "</worksheet>")
    path = workbook(tmp_path / "bom.xlsx", xml)
    assert path.stat().st_size < 200_000  # 40 MB in 0.2 MB: a ratio no sheet has
    before = snapshot(cluster)
    result = run("--lang", "en", "score", "import", str(path), *CLUSTER)
    refused(
        result,
        cluster,
        before,
        f"Error: {path} expands too far when unpacked (more than 512 MB, or a part more than "
        "100 times its packed size): a damaged file, or a zip bomb; thidua does not read it.\n",
    )


def test_the_total_a_workbook_expands_to_is_bounded(run, cluster, tmp_path, monkeypatch):
    from thidua_cli.output import xlsx_reading

    # 512 MB is too much to build in a test: the bound is lowered, the rule is the same
    monkeypatch.setattr(xlsx_reading, "MAX_UNCOMPRESSED", 64 * 1024)
    rows: list[list[object]] = [["unit", "criterion", "points"]]
    rows += [[f"{UNITS[0]} {i}", "1", 5] for i in range(2000)]  # about 200 KB of XML
    path = workbook(tmp_path / "lon.xlsx", sheet_xml(rows))
    before = snapshot(cluster)
    result = run("--lang", "en", "vote", "import", str(path), *CLUSTER)
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"Error: {path} expands too far when unpacked (more than 0 MB")
    assert snapshot(cluster) == before


def test_a_workbook_that_declares_entities_is_refused(run, cluster, tmp_path):
    laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    rows: list[list[object]] = [["unit", "votes"], [UNITS[0], "&lol9;"]]
    xml = sheet_xml(rows, prolog=laughs)
    path = workbook(tmp_path / "cuoi.xlsx", xml)
    before = snapshot(cluster)
    result = run("vote", "import", str(path), *CLUSTER)
    refused(
        result,
        cluster,
        before,
        f"Lỗi: {path} khai báo DOCTYPE trong xl/worksheets/sheet1.xml; bảng tính không bao giờ "
        "cần nó, và thidua không đọc (nó có thể giấu các thực thể nở ra không giới hạn).\n",
    )


@pytest.mark.parametrize(
    ("name", "sheet"),
    [
        ("hong.xlsx", "TRUNCATE"),  # the XML stops in the middle of the data
        ("nan.xlsx", "NAN"),  # a number cell that holds NaN
        ("chu-so.xlsx", "DIGITS"),  # a number cell of 5,000 digits
    ],
)
def test_a_sheet_that_cannot_be_read_is_refused_with_its_row(run, cluster, tmp_path, name, sheet):
    rows: list[list[object]] = [["unit", "criterion", "points"]]
    rows += [[u, "1", 5] for u in UNITS]
    xml = sheet_xml(rows, dimension="A1:C5")  # openpyxl reads up to here when it opens the file
    if sheet == "TRUNCATE":
        xml = xml[: xml.index('<row r="4">') + 30]
    elif sheet == "NAN":
        xml = xml.replace('<c r="C4"><v>5</v></c>', '<c r="C4"><v>NaN</v></c>')
    else:
        xml = xml.replace('<c r="C4"><v>5</v></c>', f'<c r="C4"><v>{"9" * 5000}</v></c>')
    path = workbook(tmp_path / name, xml)
    before = snapshot(cluster)
    result = run("score", "import", str(path), *CLUSTER)
    refused(
        result,
        cluster,
        before,
        f"Lỗi: {path}, trang tính “Sheet1”, dòng 4: không đọc được trang tính (XML hỏng, hoặc có ô "
        "mà giá trị không khớp kiểu của nó).\n",
    )


def test_a_workbook_that_is_not_a_zip_is_refused(run, cluster, tmp_path):
    path = tmp_path / "gia.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    before = snapshot(cluster)
    result = run("score", "import", str(path), *CLUSTER)
    refused(
        result,
        cluster,
        before,
        f"Lỗi: {path} không phải tệp .xlsx đọc được (tệp hỏng, hoặc được lưu ở định dạng khác).\n",
    )
