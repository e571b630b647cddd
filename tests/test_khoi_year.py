"""A whole year of a 7-unit Khối from an empty database, the way a secretariat runs it (issue 15,
"Done when"): the criteria from a province's form, each member's self-scoring form and each
scorer's peer form written, filled in and read back exactly with their evidence, `score diff`
finding the gap planted in them, the conference, the vote, the submission, and the Khối's papers
(report, submission, minutes) read back from Word with python-docx: no "cụm" anywhere, the
Khối's symbol, the legal bases, the signer, page numbers from page 2, header rows repeated and
rows kept whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import query

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KHOI = "Khối thi đua các cơ quan Đảng tỉnh"
UNITS = [
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
    "Báo Lạng Sơn",
]
LEADER, DEPUTY, OVERRATED = UNITS[0], UNITS[1], UNITS[6]
FORM = (
    "STT;Nội dung tiêu chí;Điểm tối đa\n"
    "1;Thực hiện nhiệm vụ chính trị;60\n"
    "1.1;Hoàn thành các chỉ tiêu, nhiệm vụ được giao;40\n"
    "1.2;Chấp hành chế độ thông tin, báo cáo;20\n"
    "2;Tổ chức phong trào thi đua;40\n"
    "2.1;Ban hành kế hoạch, phát động, sơ kết, tổng kết phong trào;40\n"
    "3;Điểm thưởng;5\n"
    "3.1;Mô hình, sáng kiến được công nhận;5\n"
    ";Tổng cộng;100\n"
)
BASES = (
    "Luật Thi đua, Khen thưởng ngày 15/6/2022|Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của"
    " Chính phủ|Quyết định số 10/2024/QĐ-UBND ngày 01/3/2024 của UBND tỉnh"
)


def ok(run, *args: str):
    result = run(*args)
    assert result.exit_code == 0, (args, result.output)
    return result


def peer_points(unit: int) -> dict[str, float]:
    """What every peer gives unit number `unit` (0-based): the totals 95, 93, ..., 83."""
    return {"1.1": 38 - unit, "1.2": 19, "2.1": 37 - unit, "3.1": 1}


def self_points(unit: int) -> dict[str, float]:
    """What a unit gives itself: its peers' points, except the overrated unit's first item."""
    own = peer_points(unit)
    if UNITS[unit] == OVERRATED:
        own["1.1"] = 40
    return own


def fill(path: Path, values: dict[str, dict[str, tuple[float, str | None]]]) -> None:
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in range(6, sheet.max_row + 1):
            code = sheet.cell(row, 1).value
            if sheet.title in values and code in values[sheet.title]:
                sheet.cell(row, 4).value, sheet.cell(row, 5).value = values[sheet.title][code]
    book.save(path)


def paragraphs(path: Path) -> list[str]:
    from docx import Document

    body = Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


@pytest.fixture
def year(run, db: Path, tmp_path: Path) -> Path:
    ok(run, "settings", "set", "province", "Lạng Sơn")
    ok(run, "settings", "set", "legal_bases", BASES)
    for name in UNITS:
        ok(run, "unit", "add", name)
    ok(run, "cluster", "add", KHOI, "--code", "Khối Đảng", "--kind", "khoi")
    ok(run, "cluster", "join", "Khối Đảng", LEADER, "-y", "2024", "--role", "leader")
    ok(run, "cluster", "join", "Khối Đảng", DEPUTY, "-y", "2024", "--role", "deputy")
    ok(run, "cluster", "join", "Khối Đảng", *UNITS[2:], "-y", "2024")
    form = tmp_path / "bang-cham-diem.csv"
    form.write_text(FORM, encoding="utf-8")
    ok(run, "criteria", "import", str(form), "-c", "Khối Đảng", "-y", "2024")

    # Each member's own form, filled in with its evidence, and each scorer's form for the others.
    ok(run, "score", "template", "-c", "Khối Đảng", "-y", "2024", "--source", "self",
       "-o", str(tmp_path / "tu-cham"))  # fmt: skip
    ok(run, "score", "template", "-c", "Khối Đảng", "-y", "2024", "--source", "peer",
       "-o", str(tmp_path / "cham-cheo"))  # fmt: skip
    for path in sorted((tmp_path / "tu-cham").iterdir()):
        sheet = load_workbook(path).worksheets[1]
        unit = next(i for i, name in enumerate(UNITS) if sheet["A3"].value == f"Đơn vị: {name}")
        evidence = {"1.1": f"Báo cáo số {unit + 1}-BC/ĐU", "3.1": "Quyết định công nhận sáng kiến"}
        values = {c: (p, evidence.get(c)) for c, p in self_points(unit).items()}
        fill(path, {sheet.title: values})
    for path in sorted((tmp_path / "cham-cheo").iterdir()):
        book = load_workbook(path)
        values = {}
        for sheet in book.worksheets[1:]:
            unit = next(i for i, name in enumerate(UNITS) if sheet["A3"].value.endswith(name))
            values[sheet.title] = {c: (p, None) for c, p in peer_points(unit).items()}
        fill(path, values)
    result = ok(run, "score", "import", str(tmp_path / "tu-cham"), "-c", "Khối Đảng", "-y", "2024")
    assert "Đã nhập 28 điểm từ 7 phiếu" in result.stderr
    result = ok(run, "score", "import", *map(str, sorted((tmp_path / "cham-cheo").iterdir())),
                "-c", "Khối Đảng", "-y", "2024")  # fmt: skip
    assert "Đã nhập 168 điểm từ 7 phiếu" in result.stderr

    ok(run, "vote", "import", str(_votes(tmp_path)), "-c", "Khối Đảng", "-y", "2024")
    ok(
        run,
        "cluster",
        "conference",
        "-c",
        "Khối Đảng",
        "-y",
        "2024",
        "--date",
        "12/01/2025",
        "--place",
        "Hội trường Tỉnh ủy",
        "--chair",
        LEADER,
        "--chair-name",
        "Ông Hoàng Văn Chủ, Trưởng Ban Tổ chức Tỉnh ủy",
        "--secretary",
        "Bà Lý Thị Ghi",
        "--all-present",
        "--guest",
        "Bà Nông Thị Khách, Phó Trưởng Ban Thi đua - Khen thưởng",
    )
    ok(run, "cluster", "signer", "-c", "Khối Đảng", "-y", "2024", "--name", "Hoàng Văn Chủ")
    ok(run, "elect", "-c", "Khối Đảng", "-y", "2025", "--leader", DEPUTY, "--deputy", UNITS[2])
    ok(run, "submit", "-c", "Khối Đảng", "-y", "2024", "--date", "15/01/2025")  # fmt: skip
    return db


def _votes(tmp_path: Path) -> Path:
    path = tmp_path / "phieu.csv"
    path.write_text(
        "Đơn vị,Số phiếu đồng ý,Số phiếu hợp lệ\n"
        + "".join(f"{name},{7 - i},7\n" for i, name in enumerate(UNITS)),
        encoding="utf-8",
    )
    return path


def test_the_forms_come_back_exactly_with_their_evidence(year: Path) -> None:
    stored = query(
        year,
        "SELECT u.name, c.code, s.points, s.evidence FROM score s JOIN unit u ON u.id = s.unit_id"
        " JOIN criterion c ON c.id = s.criterion_id WHERE s.source = 'self'",
    )
    expected = {
        (name, code, round(points * 100), evidence)
        for i, name in enumerate(UNITS)
        for code, points in self_points(i).items()
        for evidence in [
            {"1.1": f"Báo cáo số {i + 1}-BC/ĐU", "3.1": "Quyết định công nhận sáng kiến"}.get(code)
        ]
    }
    assert set(stored) == expected and len(stored) == 28
    peers = query(
        year,
        "SELECT u.name, c.code, w.name, s.points FROM score s JOIN unit u ON u.id = s.unit_id"
        " JOIN unit w ON w.id = s.scorer_id JOIN criterion c ON c.id = s.criterion_id"
        " WHERE s.source = 'peer'",
    )
    assert set(peers) == {
        (name, code, scorer, round(points * 100))
        for i, name in enumerate(UNITS)
        for code, points in peer_points(i).items()
        for scorer in UNITS
        if scorer != name
    }
    # the headings of the form are groups, not criteria; the bonus group is named so
    assert query(year, "SELECT code, grp, kind, max_points FROM criterion ORDER BY position") == [
        ("1.1", "Thực hiện nhiệm vụ chính trị", "base", 4000),
        ("1.2", "Thực hiện nhiệm vụ chính trị", "base", 2000),
        ("2.1", "Tổ chức phong trào thi đua", "base", 4000),
        ("3.1", "Điểm thưởng", "bonus", 500),
    ]


def test_score_diff_finds_the_planted_gap(run, year: Path) -> None:
    result = ok(run, "score", "diff", "-c", "Khối Đảng", "-y", "2024", "--over", "5", "-f", "json")
    rows = json.loads(result.stdout)
    assert [row["unit"] for row in rows if row["over"]] == [OVERRATED]
    gap = next(row for row in rows if row["unit"] == OVERRATED)
    assert (gap["self"], gap["peer"], gap["counted"], gap["self_vs_peer"]) == (91, 83, 83, 8)
    assert all(row["self_vs_peer"] == 0 for row in rows if row["unit"] != OVERRATED)
    detail = ok(run, "score", "diff", "-c", "Khối Đảng", "-y", "2024", "--over", "5", "--detail",
                "-f", "csv").stdout.splitlines()  # fmt: skip
    assert detail[0] == (
        "Đơn vị,Tiêu chí,Tự chấm,Chấm chéo (TB),Điểm được tính,Tự chấm − chấm chéo,"
        "Tự chấm − được tính,Vượt ngưỡng"
    )
    assert [line for line in detail if line.startswith(f"{OVERRATED},1.1,")] == [
        f"{OVERRATED},1.1,40,32,32,8,8,✓"
    ]


def test_the_ranking_follows_the_peers_and_the_khoi_proposes(run, year: Path) -> None:
    data = json.loads(ok(run, "rank", "-c", "Khối Đảng", "-y", "2024", "-f", "json").stdout)
    assert [(r["unit"], r["rank"], r["total"]) for r in data["rows"]] == [
        (name, i + 1, 95 - 2 * i) for i, name in enumerate(UNITS)
    ]
    awards = ok(run, "awards", "-y", "2024", "-f", "csv").stdout
    assert f"{KHOI},{LEADER},1,95,Cờ thi đua của UBND tỉnh,Dẫn đầu khối" in awards
    # the CSV's header is the province's form, the same for every file; the rows speak of the Khối
    rows = "\n".join(awards.splitlines()[1:])
    assert "cụm" not in (rows + json.dumps(data, ensure_ascii=False)).lower()


@pytest.mark.parametrize("paper", ["report", "submission", "minutes"])
def test_the_khois_papers_read_back_from_word(run, year: Path, tmp_path: Path, paper: str) -> None:
    from docx import Document

    path = tmp_path / f"{paper}.docx"
    ok(run, paper, "-c", "Khối Đảng", "-y", "2024", "-o", str(path))
    lines = paragraphs(path)
    text = "\n".join(lines)
    assert "cụm" not in text.lower() and "CTĐ" not in text
    symbol = {"report": "BC", "submission": "TTr", "minutes": "BB"}[paper]
    assert f"Số:      /{symbol}-KTĐ" in lines
    assert KHOI.upper() in text
    document = Document(str(path))
    section = document.sections[0]
    assert section.different_first_page_header_footer  # the page number from page 2
    assert "PAGE" in section.header._element.xml
    rows = [t.rows for t in document.tables if len(t.rows) > 2]
    assert rows, "a table of units"
    head = rows[0][0]._tr.trPr
    assert head is not None and head.find(f"{W}tblHeader") is not None
    assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in rows[0])
    if paper == "report":
        assert "Trưởng khối" in text and "Phó trưởng khối" in text
        assert any(line.startswith("TM. KHỐI THI ĐUA") for line in lines)
        assert "Hoàng Văn Chủ" in lines
        assert f"1{LEADER}Trưởng khối" in lines or any(
            LEADER in line and "Trưởng khối" in line for line in lines
        )
    if paper == "submission":
        assert "Căn cứ Luật Thi đua, Khen thưởng ngày 15/6/2022;" in lines
        assert any("đề nghị khen thưởng cho 03 tập thể như sau:" in line for line in lines)
        assert "Hoàng Văn Chủ" in lines
    if paper == "minutes":
        assert any("Bà Nông Thị Khách, Phó Trưởng Ban Thi đua - Khen thưởng" in x for x in lines)
        assert "THƯ KÝ" in lines and "CHỦ TRÌ" in lines
