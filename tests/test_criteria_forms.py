"""Criteria as the provinces' forms write them: Vietnamese headers, numbered headings over their
criteria, the sums the headings state, and the groups' subtotals in the sheet and on screen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import query, snapshot

# A form as a province sends it: semicolons and decimal commas (Vietnamese Excel), codes with
# and without their trailing dot, a heading over headings (2 over 2.2), headings with and
# without their sum, and no kind column: "Điểm thưởng" and "Điểm trừ" are said by the headings.
FORM = (
    "STT;Nội dung tiêu chí;Điểm tối đa\n"
    "1;Thực hiện nhiệm vụ chuyên môn;60\n"
    "1.1;Hoàn thành chỉ tiêu kế hoạch;40\n"
    "1.2;Chấp hành chế độ báo cáo;20\n"
    "2.;Công tác thi đua, khen thưởng;\n"
    "2.1.;Ban hành kế hoạch thi đua;15\n"
    "2.2;Sơ kết, tổng kết phong trào;25\n"
    "2.2.1;Sơ kết 6 tháng;12,5\n"
    "2.2.2;Tổng kết năm;12,5\n"
    "3;Điểm thưởng;8\n"
    "3.1;Sáng kiến được công nhận;5\n"
    "3.2;Đăng cai hoạt động của cụm;3\n"
    "4;Điểm trừ;\n"
    "4.1;Vi phạm kỷ luật;10\n"
)
FORM_CRITERIA = [  # code, group, name, maximum in hundredths, kind, position
    ("1.1", "Thực hiện nhiệm vụ chuyên môn", "Hoàn thành chỉ tiêu kế hoạch", 4000, "base", 1),
    ("1.2", "Thực hiện nhiệm vụ chuyên môn", "Chấp hành chế độ báo cáo", 2000, "base", 2),
    ("2.1", "Công tác thi đua, khen thưởng", "Ban hành kế hoạch thi đua", 1500, "base", 3),
    ("2.2.1", "Sơ kết, tổng kết phong trào", "Sơ kết 6 tháng", 1250, "base", 4),
    ("2.2.2", "Sơ kết, tổng kết phong trào", "Tổng kết năm", 1250, "base", 5),
    ("3.1", "Điểm thưởng", "Sáng kiến được công nhận", 500, "bonus", 6),
    ("3.2", "Điểm thưởng", "Đăng cai hoạt động của cụm", 300, "bonus", 7),
    ("4.1", "Điểm trừ", "Vi phạm kỷ luật", 1000, "deduction", 8),
]
UNITS = ["Sở Cao Lộc", "Ngân hàng An Bình", "Công ty Bắc Sơn"]
CLUSTER = "Cụm III"


def _criteria(db: Path) -> list[tuple]:
    return query(
        db,
        "SELECT code, grp, name, max_points, kind, position FROM criterion"
        " ORDER BY set_id, position",
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def form_cluster(run, db: Path, tmp_path: Path) -> Path:
    """Cụm III, 2024: three units and the FORM's criteria."""
    added = run("cluster", "add", "Cụm thi đua số III - Thử nghiệm", "--code", CLUSTER)
    assert added.exit_code == 0, added.output
    for name in UNITS:
        assert run("unit", "add", name).exit_code == 0
    assert run("cluster", "join", CLUSTER, *UNITS, "-y", "2024").exit_code == 0
    form = _write(tmp_path, "mau.csv", FORM)
    result = run("criteria", "import", str(form), "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 0, result.output
    return db


def test_a_form_imports_its_criteria_under_their_headings(run, db: Path, tmp_path: Path) -> None:
    result = run("criteria", "import", str(_write(tmp_path, "mau.csv", FORM)), "--default",
                 "-y", "2024")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Đã nhập 8 tiêu chí cho bảng chung của tỉnh, năm 2024 (tổng điểm tối đa các tiêu chí"
        " chuẩn: 100,00).\n"
    )
    # the headings are not criteria: they name the group of the rows right under them
    assert _criteria(db) == FORM_CRITERIA


def test_an_xlsx_form_with_a_kind_column(run, db: Path, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row in (
        ["STT", "Nội dung tiêu chí", "Điểm chuẩn", "Loại", "Nhóm"],
        [1, "Thực hiện nhiệm vụ chính trị", 70, None, None],
        [1.1, "Hoàn thành kế hoạch", 50, "Điểm chuẩn", None],
        [1.2, "Chấp hành pháp luật", 20, "Điểm chuẩn", "Thực hiện nhiệm vụ chính trị"],
        # an item with no heading above it: its group comes from the Nhóm column
        [5.1, "Tham gia hoạt động chung", 30, "Điểm chuẩn", "Hoạt động chung của cụm"],
        [6, "Điểm thưởng, điểm trừ", None, None, None],
        [6.1, "Sáng kiến", 5, "Điểm thưởng", None],
        [6.2, "Vi phạm", 2.5, "Điểm trừ", None],
    ):
        sheet.append(row)
    path = tmp_path / "mau.xlsx"
    book.save(path)
    result = run("criteria", "import", str(path), "--default", "-y", "2024")
    assert result.exit_code == 0, result.output
    assert "(tổng điểm tối đa các tiêu chí chuẩn: 100,00)" in result.stderr
    assert _criteria(db) == [
        ("1.1", "Thực hiện nhiệm vụ chính trị", "Hoàn thành kế hoạch", 5000, "base", 1),
        ("1.2", "Thực hiện nhiệm vụ chính trị", "Chấp hành pháp luật", 2000, "base", 2),
        ("5.1", "Hoạt động chung của cụm", "Tham gia hoạt động chung", 3000, "base", 3),
        ("6.1", "Điểm thưởng, điểm trừ", "Sáng kiến", 500, "bonus", 4),
        ("6.2", "Điểm thưởng, điểm trừ", "Vi phạm", 250, "deduction", 5),
    ]


HEADER = "STT,Nội dung tiêu chí,Điểm tối đa,Loại\n"
FAILED = "Lỗi: Chưa nhập tệp tiêu chí; không có gì được ghi:"


@pytest.mark.parametrize(
    ("rows", "problems"),
    [
        pytest.param(
            "1,Chuyên môn,50,\n1.1,Kế hoạch,40,Điểm chuẩn\n1.2,Báo cáo,20,Điểm chuẩn\n",
            [
                "dòng 2, cột “Điểm tối đa”: tổng điểm tối đa của các tiêu chí con là 60,00,"
                " khác 50,00"
            ],
            id="heading-sum",
        ),
        pytest.param(
            "1,Chuyên môn,,\n1.1,Kế hoạch,40,Điểm chuẩn\n1.1.,Báo cáo,20,Điểm chuẩn\n",
            ["dòng 4, cột “STT”: mã “1.1” đã có ở dòng 3"],
            id="duplicate-code",
        ),
        pytest.param(
            "1.1,Kế hoạch,40,Điểm chuẩn\n1.2,Sáng kiến,5,Điểm khuyến khích\n",
            [
                "dòng 3, cột “Loại”: “Điểm khuyến khích” không phải loại tiêu chí; dùng Điểm"
                " chuẩn, Điểm thưởng, Điểm trừ (hoặc base, bonus, deduction)"
            ],
            id="unknown-kind",
        ),
        pytest.param(
            "1,Chuyên môn,,\n1.1,Kế hoạch,40,\n2,Sáng kiến,5,Nhóm\n",
            [
                "dòng 3, cột “Loại”: để trống",
                "dòng 4, cột “Loại”: ghi là dòng tiêu đề nhưng không có mã nào bắt đầu bằng “2.”",
            ],
            id="a-criterion-needs-its-kind",
        ),
        pytest.param(
            "1,Chuyên môn,abc,Tổng\n1.1,Kế hoạch,40,Điểm chuẩn\n",
            [
                "dòng 2, cột “Loại”: “Tổng” không phải loại tiêu chí; dùng Điểm chuẩn, Điểm"
                " thưởng, Điểm trừ (hoặc base, bonus, deduction)",
                "dòng 2, cột “Điểm tối đa”: “abc” không phải là số",
            ],
            id="a-heading-with-wrong-cells",
        ),
    ],
)
def test_a_wrong_form_is_refused_whole(
    run, db: Path, tmp_path: Path, rows: str, problems: list[str]
) -> None:
    before = snapshot(db)
    result = run("criteria", "import", str(_write(tmp_path, "mau.csv", HEADER + rows)),
                 "--default", "-y", "2024")  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [FAILED, *(f"  - {p}" for p in problems)]
    assert snapshot(db) == before


def test_a_group_column_must_agree_with_the_heading(run, db: Path, tmp_path: Path) -> None:
    text = "code,group,name,max_points,kind\n1,,Chuyên môn,,\n1.1,Thi đua,Kế hoạch,40,base\n"
    before = snapshot(db)
    result = run("criteria", "import", str(_write(tmp_path, "c.csv", text)), "--default",
                 "-y", "2024")  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr.splitlines()[1:] == [
        "  - dòng 3, cột “group”: nhóm “Thi đua” khác với dòng tiêu đề bên trên, “Chuyên môn”"
    ]
    assert snapshot(db) == before


def test_criteria_list_shows_the_headings_with_their_sums(run, form_cluster: Path) -> None:
    listed = run("criteria", "list", "-c", CLUSTER, "-y", "2024", "-f", "csv")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.splitlines() == [
        "Mã,Nhóm,Tiêu chí,Điểm tối đa,Loại",
        "1,,Thực hiện nhiệm vụ chuyên môn,60,heading",
        "1.1,Thực hiện nhiệm vụ chuyên môn,Hoàn thành chỉ tiêu kế hoạch,40,base",
        "1.2,Thực hiện nhiệm vụ chuyên môn,Chấp hành chế độ báo cáo,20,base",
        '2,,"Công tác thi đua, khen thưởng",40,heading',
        '2.1,"Công tác thi đua, khen thưởng",Ban hành kế hoạch thi đua,15,base',
        '2.2,,"Sơ kết, tổng kết phong trào",25,heading',
        '2.2.1,"Sơ kết, tổng kết phong trào",Sơ kết 6 tháng,12.5,base',
        '2.2.2,"Sơ kết, tổng kết phong trào",Tổng kết năm,12.5,base',
        "3,,Điểm thưởng,8,heading",
        "3.1,Điểm thưởng,Sáng kiến được công nhận,5,bonus",
        "3.2,Điểm thưởng,Đăng cai hoạt động của cụm,3,bonus",
        "4,,Điểm trừ,10,heading",
        "4.1,Điểm trừ,Vi phạm kỷ luật,10,deduction",
    ]
    table = run("criteria", "list", "-c", CLUSTER, "-y", "2024").stdout
    heading = next(line for line in table.splitlines() if line.startswith("│ 2.2   │"))
    assert [cell.strip() for cell in heading.split("│")[1:-1]] == [
        "2.2", "", "Sơ kết, tổng kết phong trào", "25,00", ""
    ]  # fmt: skip


def test_the_list_imports_back_as_the_same_set(run, form_cluster: Path, tmp_path: Path) -> None:
    listed = run("criteria", "list", "-c", CLUSTER, "-y", "2024", "-f", "csv").stdout
    again = _write(tmp_path, "lai.csv", listed)
    result = run("criteria", "import", str(again), "--default", "-y", "2025")
    assert result.exit_code == 0, result.output
    assert _criteria(form_cluster) == FORM_CRITERIA + FORM_CRITERIA


def test_the_sheet_shows_each_groups_subtotal_and_comes_back(
    run, form_cluster: Path, tmp_path: Path
) -> None:
    path = tmp_path / "cham-diem.xlsx"
    result = run("score", "template", "-c", CLUSTER, "-y", "2024", "-o", str(path))
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    sheet = book.active
    # each group's subtotal after its last criterion, the inner heading's before the outer's
    assert [c.value for c in sheet[1]] == [
        "Đơn vị", "1.1", "1.2", "Cộng nhóm 1", "2.1", "2.2.1", "2.2.2", "Cộng nhóm 2.2",
        "Cộng nhóm 2", "3.1", "3.2", "Cộng nhóm 3", "4.1", "Cộng nhóm 4", "Tổng điểm",
    ]  # fmt: skip
    assert [c.value for c in sheet[3]] == [
        "Điểm tối đa",
        40,
        20,
        60,
        15,
        12.5,
        12.5,
        25,
        40,
        5,
        3,
        8,
        10,
        10,
        None,
    ]
    assert sheet["H2"].value == "Sơ kết, tổng kết phong trào"
    assert sheet["D4"].value == "=N(B4)+N(C4)"
    assert sheet["H4"].value == "=N(F4)+N(G4)"
    assert sheet["I4"].value == "=N(E4)+N(F4)+N(G4)"
    assert sheet["L4"].value == "=N(J4)+N(K4)"
    assert sheet["N4"].value == "=N(M4)"  # the points a unit lost, as the form adds them up
    assert sheet["O4"].value == "=N(B4)+N(C4)+N(E4)+N(F4)+N(G4)+N(J4)+N(K4)-N(M4)"
    assert sheet["D4"].protection.locked and not sheet["C4"].protection.locked
    checked = sorted(str(v.sqref) for v in sheet.data_validations.dataValidation)
    assert checked == [f"{c}4:{c}6" for c in "BCEFGJKM"]  # the criteria only

    values = {"B": 38, "C": 19.5, "E": 15, "F": 12, "G": 12.5, "J": 5, "K": None, "M": 2.25}
    for row in (4, 5, 6):
        for column, value in values.items():
            sheet[f"{column}{row}"] = value
    book.save(path)
    result = run("score", "import", str(path), "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 0, result.output
    stored = query(
        form_cluster,
        "SELECT c.code, s.points FROM score s JOIN criterion c ON c.id = s.criterion_id"
        " JOIN unit u ON u.id = s.unit_id WHERE u.name = 'Sở Cao Lộc' ORDER BY c.position",
    )
    assert stored == [
        ("1.1", 3800), ("1.2", 1950), ("2.1", 1500), ("2.2.1", 1200), ("2.2.2", 1250),
        ("3.1", 500), ("4.1", 225),
    ]  # fmt: skip

    shown = json.loads(run("score", "show", "-c", CLUSTER, "-y", "2024", "-f", "json").stdout)
    assert shown[0] == {
        "unit": "Công ty Bắc Sơn",
        "1.1": 38, "1.2": 19.5, "subtotal:1": 57.5,
        "2.1": 15, "2.2.1": 12, "2.2.2": 12.5, "subtotal:2.2": 24.5, "subtotal:2": 39.5,
        "3.1": 5, "3.2": None, "subtotal:3": 5,
        "4.1": 2.25, "subtotal:4": 2.25,
        "total": 99.75,
        "sources": "1.1:final;1.2:final;2.1:final;2.2.1:final;2.2.2:final;3.1:final;4.1:final",
    }  # fmt: skip
    csv_header = run("score", "show", "-c", CLUSTER, "-y", "2024", "-f", "csv").stdout
    assert csv_header.splitlines()[0] == (
        "Đơn vị,1.1,1.2,Cộng nhóm 1,2.1,2.2.1,2.2.2,Cộng nhóm 2.2,Cộng nhóm 2,3.1,3.2,"
        "Cộng nhóm 3,4.1,Cộng nhóm 4,Tổng điểm"
    )


def test_score_shows_csv_imports_back_past_its_subtotals(
    run, form_cluster: Path, tmp_path: Path
) -> None:
    wide = (
        "Đơn vị,1.1,1.2,Cộng nhóm 1,2.1,2.2.1,2.2.2,Cộng nhóm 2.2,Cộng nhóm 2,4.1,Tổng điểm\n"
        "Sở Cao Lộc,40,20,60,15,12.5,12.5,25,40,0,100\n"
    )
    result = run("score", "import", str(_write(tmp_path, "s.csv", wide)), "-c", CLUSTER,
                 "-y", "2024")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert query(form_cluster, "SELECT count(*), sum(points) FROM score") == [(6, 10000)]


def test_the_shipped_template_is_a_form_the_sample_loads_unchanged(run, db: Path) -> None:
    from thidua_cli.app.sample import data_dir
    from thidua_cli.output.criteria_file import parse_criteria
    from thidua_cli.output.tabular import read_table

    template = data_dir() / "criteria-template.csv"
    assert template.read_text(encoding="utf-8").splitlines()[:3] == [
        "STT,Nội dung tiêu chí,Điểm tối đa,Loại",
        "1,Thực hiện nhiệm vụ chính trị,40,",
        '1.1,"Hoàn thành các chỉ tiêu, kế hoạch, nhiệm vụ được giao trong năm",30,Điểm chuẩn',
    ]
    criteria = parse_criteria(read_table(template))
    assert [(c.code, c.group, c.kind, c.position) for c in criteria][::4] == [
        ("1.1", "Thực hiện nhiệm vụ chính trị", "base", 1),
        ("2.3", "Tổ chức phong trào thi đua", "base", 5),
        ("5.1", "Hoạt động chung của cụm", "base", 9),
        ("K.1", "Điểm trừ", "deduction", 13),
    ]


def _criterion(id_: int, code: str, group: str, maximum: int, kind: str = "base"):
    from thidua_cli.models import Criterion

    return Criterion(id_, code, group, f"Tiêu chí {code}", maximum, kind, id_)


def test_headings_are_found_again_from_the_codes() -> None:
    from thidua_cli.rules.criteria import closing, criteria_groups, opening

    criteria = [
        _criterion(1, "1.1", "Chuyên môn", 3000),
        _criterion(2, "1.2", "Chuyên môn", 2000),
        _criterion(3, "2.1", "A", 1000),  # two groups right under "2": it has no name
        _criterion(4, "2.2", "B", 1000),
        _criterion(5, "a", "Nhóm C", 500),  # a group numbered otherwise has no heading
        _criterion(6, "T.1", "Điểm thưởng", 500, "bonus"),
        _criterion(7, "T.2", "Điểm thưởng", 300, "bonus"),
        _criterion(8, "T.3", "Điểm thưởng", 200, "deduction"),
    ]
    groups = criteria_groups(criteria)
    assert [(g.code, g.name, g.kind, g.max_points, [c.id for c in g.items]) for g in groups] == [
        ("1", "Chuyên môn", "base", 5000, [1, 2]),
        ("T", "Điểm thưởng", "bonus", 800, [6, 7, 8]),
    ]
    thuong = groups[1]
    assert thuong.subtotal({6: 500, 8: 100}) == 400  # bonus less the deduction among them
    assert thuong.subtotal({1: 100}) is None
    assert list(opening(groups)) == ["1.1", "T.1"] and list(closing(groups)) == ["1.2", "T.3"]


def test_a_headings_name_says_its_kind_only_in_so_many_words() -> None:
    from thidua_cli.rules.criteria import kind_named, parent_code

    assert kind_named("III. ĐIỂM THƯỞNG (tối đa 10 điểm)") == "bonus"
    assert kind_named("Điểm cộng") == "bonus"
    assert kind_named("Các nội dung điểm trừ") == "deduction"
    assert kind_named("Điểm trường học") is None  # "trường", not "trừ"
    assert kind_named("Điểm thưởng, điểm trừ") is None  # both: each criterion must say
    assert [parent_code(c) for c in ("1", "1.2", "1.2.3.", "T.1", ".5")] == [
        None, "1", "1.2", "T", None
    ]  # fmt: skip


def test_the_forms_total_line_is_read_as_a_check_not_a_criterion(
    run, form_cluster: Path, tmp_path: Path
) -> None:
    form = (
        "STT,Nội dung tiêu chí,Điểm tối đa\n"
        "1,Công tác chuyên môn,70\n"
        "1.1,Hoàn thành chỉ tiêu,50\n"
        "1.2,Chấp hành chế độ báo cáo,20\n"
        "2,Phong trào thi đua,30\n"
        ",Tổng cộng,100\n"
    )
    result = run("criteria", "import", str(_write(tmp_path, "a.csv", form)), "--default",
                 "-y", "2030")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert query(
        form_cluster,
        "SELECT c.code, c.max_points FROM criterion c JOIN criteria_set s ON s.id = c.set_id"
        " WHERE s.year = 2030 ORDER BY c.position",
    ) == [("1.1", 5000), ("1.2", 2000), ("2", 3000)]
    before = snapshot(form_cluster)
    wrong = form.replace(",Tổng cộng,100", ",TỔNG CỘNG,95")
    result = run("criteria", "import", str(_write(tmp_path, "b.csv", wrong)), "--default",
                 "-y", "2031")  # fmt: skip
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "Lỗi: Chưa nhập tệp tiêu chí; không có gì được ghi:",
        "  - dòng 6, cột “Điểm tối đa”: tổng điểm tối đa của các tiêu chí điểm chuẩn là 100,00,"
        " khác 95,00",
    ]
    assert snapshot(form_cluster) == before


def test_roman_sections_are_headings_not_criteria(run, form_cluster: Path, tmp_path: Path) -> None:
    form = (
        "STT,Nội dung tiêu chí,Điểm tối đa\n"
        "I,Công tác chuyên môn,60\n"
        "1,Hoàn thành chỉ tiêu,40\n"
        "2,Chấp hành chế độ báo cáo,20\n"
        "II,Xây dựng tổ chức Đảng,40\n"
        "3,Tổ chức Đảng trong sạch,20\n"
        "4,Đoàn thể vững mạnh,20\n"
        ",Tổng cộng,100\n"
    )
    result = run("criteria", "import", str(_write(tmp_path, "r.csv", form)), "--default",
                 "-y", "2030")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert query(
        form_cluster,
        "SELECT c.code, c.grp, c.max_points FROM criterion c JOIN criteria_set s"
        " ON s.id = c.set_id WHERE s.year = 2030 ORDER BY c.position",
    ) == [
        ("1", "Công tác chuyên môn", 4000),
        ("2", "Công tác chuyên môn", 2000),
        ("3", "Xây dựng tổ chức Đảng", 2000),
        ("4", "Xây dựng tổ chức Đảng", 2000),
    ]
    before = snapshot(form_cluster)
    wrong = form.replace("II,Xây dựng tổ chức Đảng,40", "II,Xây dựng tổ chức Đảng,45")
    result = run("criteria", "import", str(_write(tmp_path, "w.csv", wrong)), "--default",
                 "-y", "2031")  # fmt: skip
    assert result.exit_code == 3
    assert (
        "dòng 5, cột “Điểm tối đa”: tổng điểm tối đa của các tiêu chí con là 40,00, khác 45,00"
        in result.output
    )
    assert snapshot(form_cluster) == before


def test_tt_names_the_code_and_a_wrong_row_spares_the_total_check(
    run, form_cluster: Path, tmp_path: Path
) -> None:
    form = "TT,Nội dung tiêu chí,Điểm tối đa\n1,Một,60\n2,Hai,abc\n,Tổng cộng,100\n"
    before = snapshot(form_cluster)
    result = run("criteria", "import", str(_write(tmp_path, "t.csv", form)), "--default",
                 "-y", "2030")  # fmt: skip
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "Lỗi: Chưa nhập tệp tiêu chí; không có gì được ghi:",
        "  - dòng 3, cột “Điểm tối đa”: “abc” không phải là số",
    ]
    assert snapshot(form_cluster) == before
