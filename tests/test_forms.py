"""The forms members fill in: a self-scoring workbook per member, a peer workbook per scorer,
read back whole with the evidence written beside each score; and the comparison of a unit's
own score with its peers' (`score diff`) and the source marks of `score show`."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from conftest import TEST_UNITS, make_cluster, query, snapshot

CLUSTER = "Cụm III"
FULL = "Cụm thi đua số III - Thử nghiệm"
# the units in Vietnamese order, as the forms are numbered
ORDER = ["=SUM(1)", "Chi cục Đình Lập", "Công ty Bắc Sơn", "Ngân hàng An Bình", "Sở Cao Lộc"]


def _scores(db: Path, source: str) -> list[tuple]:
    return query(
        db,
        "SELECT u.name, c.code, coalesce(w.name, ''), s.points, s.evidence FROM score s"
        " JOIN unit u ON u.id = s.unit_id JOIN criterion c ON c.id = s.criterion_id"
        " LEFT JOIN unit w ON w.id = s.scorer_id WHERE s.source = ?"
        " ORDER BY u.name, c.code, w.name",
        (source,),
    )


def _template(run, folder: Path, source: str, *more: str):
    return run(
        "score", "template", "-c", CLUSTER, "-y", "2024", "--source", source, "-o", str(folder),
        *more,
    )  # fmt: skip


def _fill(path: Path, values: dict[str, dict[str, tuple[object, str | None]]]) -> None:
    """Fill a form as a member does: sheet title -> criterion code -> (points, evidence)."""
    book = load_workbook(path)
    for sheet in book.worksheets:
        if sheet.title not in values:
            continue
        for row in range(6, sheet.max_row + 1):
            code = sheet.cell(row, 1).value
            if code in values[sheet.title]:
                points, evidence = values[sheet.title][code]
                sheet.cell(row, 4).value = points
                sheet.cell(row, 5).value = evidence
    book.save(path)


def test_a_self_form_per_member_laid_out_as_the_forms_are(run, db: Path, tmp_path: Path) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    folder = tmp_path / "tu-cham"
    result = _template(run, folder, "self")
    assert result.exit_code == 0, result.output
    assert f"Đã ghi 5 phiếu của {FULL}, năm 2024 vào {folder} (4 tiêu chí)." in result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "tu-cham-chi-cuc-dinh-lap.xlsx",
        "tu-cham-cong-ty-bac-son.xlsx",
        "tu-cham-ngan-hang-an-binh.xlsx",
        "tu-cham-so-cao-loc.xlsx",
        "tu-cham-sum-1.xlsx",
    ]
    book = load_workbook(folder / "tu-cham-ngan-hang-an-binh.xlsx")
    assert [s.title for s in book.worksheets if s.sheet_state == "visible"] == ["Ngân hàng An Bình"]
    assert book["thidua"].sheet_state == "veryHidden"
    assert book.security.lockStructure
    sheet = book["Ngân hàng An Bình"]
    assert sheet["A1"].value == FULL.upper()
    assert sheet["A2"].value == "PHIẾU TỰ CHẤM ĐIỂM THI ĐUA NĂM 2024"
    assert sheet["A3"].value == "Đơn vị: Ngân hàng An Bình"
    assert [c.value for c in sheet[5]] == [
        "STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Giải trình / minh chứng",
    ]  # fmt: skip
    rows = [[c.value for c in sheet[r]][:3] for r in range(6, 15)]
    assert rows == [
        [None, "Nhóm 1", None],
        ["1", "Nhiệm vụ chính trị", 60],
        [None, "Nhóm 2", None],
        ["2", "Phong trào thi đua", 40],
        [None, "Điểm thưởng", None],
        ["T", "Sáng kiến", 5],
        [None, "Điểm trừ", None],
        ["K", "Vi phạm", 5],
        [None, "Tổng điểm", 100],
    ]
    assert sheet["D14"].value == "=N(D7)+N(D9)+N(D11)-N(D13)"
    assert not sheet["D7"].protection.locked and not sheet["E7"].protection.locked
    assert sheet["C7"].protection.locked and sheet.protection.sheet
    checks = {str(v.sqref): v.formula2 for v in sheet.data_validations.dataValidation}
    assert checks == {"D7": "60", "D9": "40", "D11": "5", "D13": "5"}
    assert sheet["D16"].value == "........, ngày ..... tháng ..... năm ......."
    assert sheet["D17"].value == "THỦ TRƯỞNG ĐƠN VỊ"
    assert sheet["D18"].value == "(Ký, ghi rõ họ tên và đóng dấu)"
    # A unit named like a formula stays text in its own form.
    odd = load_workbook(folder / "tu-cham-sum-1.xlsx")
    assert odd.worksheets[1]["A3"].value == "Đơn vị: =SUM(1)"
    assert odd.worksheets[1]["A3"].data_type == "s"


def test_filled_self_forms_come_back_exactly_with_their_evidence(
    run, db: Path, tmp_path: Path
) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    folder = tmp_path / "tu-cham"
    assert _template(run, folder, "self").exit_code == 0
    for n, path in enumerate(sorted(folder.iterdir())):
        _fill(
            path,
            {
                load_workbook(path).worksheets[1].title: {
                    "1": (50 + n, f"Báo cáo số {n}/BC"),
                    "2": (30.5, None),
                    "T": (2, "Sáng kiến số 3") if n == 4 else (None, None),
                }
            },
        )
    # The folder, as a secretariat collects the forms.
    result = run("score", "import", str(folder), "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 0, result.output
    assert f"Đã nhập 11 điểm từ 5 phiếu vào {FULL}, năm 2024." in result.output
    stored = _scores(db, "self")
    assert len(stored) == 11
    assert ("=SUM(1)", "1", "", 5400, "Báo cáo số 4/BC") in stored
    assert ("=SUM(1)", "T", "", 200, "Sáng kiến số 3") in stored
    assert ("Sở Cao Lộc", "1", "", 5300, "Báo cáo số 3/BC") in stored
    assert ("Sở Cao Lộc", "2", "", 3050, None) in stored
    # The forms written again carry what is stored.
    assert _template(run, folder, "self", "--overwrite").exit_code == 0
    sheet = load_workbook(folder / "tu-cham-so-cao-loc.xlsx").worksheets[1]
    filled = (sheet["D7"].value, sheet["E7"].value, sheet["D9"].value)
    assert filled == (53, "Báo cáo số 3/BC", 30.5)


def test_peer_forms_one_per_scorer_the_scorer_taken_from_the_workbook(
    run, db: Path, tmp_path: Path
) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    folder = tmp_path / "cham-cheo"
    result = _template(run, folder, "peer")
    assert result.exit_code == 0, result.output
    paths = sorted(folder.iterdir())
    assert [p.name for p in paths][2] == "cham-cheo-ngan-hang-an-binh.xlsx"
    book = load_workbook(paths[2])
    titles = [s.title for s in book.worksheets if s.sheet_state == "visible"]
    assert titles == ["=SUM(1)", "Chi cục Đình Lập", "Công ty Bắc Sơn", "Sở Cao Lộc"]
    assert book["Sở Cao Lộc"]["A3"].value == (
        "Đơn vị chấm: Ngân hàng An Bình. Đơn vị được chấm: Sở Cao Lộc"
    )
    assert book["Sở Cao Lộc"]["D5"].value == "Điểm chấm"
    assert book["Sở Cao Lộc"]["E5"].value == "Nhận xét"
    for n, path in enumerate(paths):
        sheets = [s.title for s in load_workbook(path).worksheets if s.sheet_state == "visible"]
        _fill(path, {title: {"1": (40 + n, None), "2": (30, "Tốt")} for title in sheets})
    result = run("score", "import", *map(str, paths), "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 0, result.output
    assert "Đã nhập 40 điểm từ 5 phiếu" in result.output
    stored = _scores(db, "peer")
    assert len(stored) == 40
    assert ("Sở Cao Lộc", "1", "Ngân hàng An Bình", 4200, None) in stored
    assert ("Sở Cao Lộc", "2", "Ngân hàng An Bình", 3000, "Tốt") in stored
    assert not [row for row in stored if row[0] == row[2]]  # nobody scored itself


def test_a_form_with_mistakes_is_refused_whole(run, db: Path, tmp_path: Path) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    folder = tmp_path / "tu-cham"
    assert _template(run, folder, "self").exit_code == 0
    paths = sorted(folder.iterdir())
    for path in paths:
        _fill(path, {load_workbook(path).worksheets[1].title: {"1": (50, None), "2": (30, None)}})
    _fill(paths[0], {"Chi cục Đình Lập": {"1": (61, None), "K": (None, "Không vi phạm")}})
    _fill(paths[1], {"Công ty Bắc Sơn": {"2": (None, None)}})
    before = snapshot(db)
    result = run("score", "import", str(folder), "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "Lỗi: Chưa nhập 5 phiếu; không có gì được ghi. 3 lỗi:",
        "  - tu-cham-chi-cuc-dinh-lap.xlsx › Chi cục Đình Lập, dòng 7, cột “Điểm tự chấm”: 61"
        " vượt điểm tối đa 60,00 của tiêu chí 1",
        "  - tu-cham-chi-cuc-dinh-lap.xlsx › Chi cục Đình Lập, dòng 13, cột “Điểm tự chấm”:"
        " có giải trình nhưng chưa có điểm",
        "  - tu-cham-cong-ty-bac-son.xlsx › Công ty Bắc Sơn, dòng 9, cột “Điểm tự chấm”: để trống",
    ]
    assert snapshot(db) == before


def test_what_the_forms_cannot_be_is_refused(run, db: Path, tmp_path: Path) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    folder = tmp_path / "tu-cham"
    assert _template(run, folder, "self").exit_code == 0
    paths = sorted(folder.iterdir())
    for path in paths:
        _fill(path, {load_workbook(path).worksheets[1].title: {"1": (50, None), "2": (30, None)}})
    before = snapshot(db)
    contents = {p: p.read_bytes() for p in paths}
    # Writing the forms again would wipe what members filled in.
    result = _template(run, folder, "self")
    assert result.exit_code == 3
    assert result.output.splitlines()[0] == (
        f"Lỗi: {folder} đã có 5 phiếu trùng tên; chưa ghi gì. Các thành viên có thể đã điền vào"
        " các phiếu này: hãy nhập chúng trước, hoặc thêm --overwrite."
    )
    assert {p: p.read_bytes() for p in paths} == contents
    # A peer form is one per scorer; the cluster's own sheet is one workbook.
    result = _template(run, tmp_path / "x.xlsx", "peer")
    assert (result.exit_code, result.output.strip()) == (
        2,
        "Lỗi: Mỗi đơn vị chấm có một phiếu chấm chéo riêng: hãy cho một thư mục, ví dụ"
        " -o cham-cheo/.",
    )
    result = _template(run, tmp_path / "final", "final")
    assert result.exit_code == 2 and "Thư mục phiếu dành cho --source self" in result.output
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "final").exists()
    # The form of a year-end review is not the half-year's.
    result = run("score", "import", str(folder), "-c", CLUSTER, "-y", "2024", "--period", "half")
    assert result.exit_code == 3
    assert (
        f"tu-cham-chi-cuc-dinh-lap.xlsx: phiếu này của {FULL}, năm 2024 (tổng kết năm), không"
        f" phải của {FULL}, 2024 (sơ kết 6 tháng)" in result.output
    )
    # A CSV among the forms.
    other = tmp_path / "diem.csv"
    other.write_text("unit,criterion,points\nSở Cao Lộc,1,5\n", encoding="utf-8")
    result = run("score", "import", str(paths[0]), str(other), "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 2
    assert f"{other} không phải phiếu chấm do `thidua score template` tạo" in result.output
    empty = tmp_path / "trong"
    empty.mkdir()
    result = run("score", "import", str(empty), "-c", CLUSTER, "-y", "2024")
    assert (result.exit_code, result.output.strip()) == (
        3,
        f"Lỗi: {empty} không có tệp .xlsx nào.",
    )
    assert snapshot(db) == before
    # Imported once, the same forms again are refused unless --replace.
    assert run("score", "import", str(folder), "-c", CLUSTER, "-y", "2024").exit_code == 0
    result = run("score", "import", str(paths[3]), "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 3
    assert "dòng 7: Sở Cao Lộc / 1 đã có điểm (dùng --replace để thay)" in result.output
    _fill(paths[3], {"Sở Cao Lộc": {"1": (55, "Bổ sung minh chứng")}})
    result = run("score", "import", str(paths[3]), "-c", CLUSTER, "-y", "2024", "--replace")
    assert result.exit_code == 0, result.output
    assert ("Sở Cao Lộc", "1", "", 5500, "Bổ sung minh chứng") in _scores(db, "self")


def _plant(run, tmp_path: Path) -> None:
    """Self and peer scores of Cụm III, 2024, with gaps where the test wants them."""
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    lines = ["unit,criterion,points,source,scorer"]
    for unit in TEST_UNITS:
        own = 58 if unit == "Sở Cao Lộc" else 50
        lines += [f'"{unit}",1,{own},self,', f'"{unit}",2,30,self,']
        for scorer in TEST_UNITS:
            if scorer != unit:
                lines += [f'"{unit}",1,50,peer,"{scorer}"', f'"{unit}",2,31,peer,"{scorer}"']
    lines.append('"Sở Cao Lộc",1,51,final,')
    path = tmp_path / "diem.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("score", "import", str(path), "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 0, result.output


def test_score_diff_marks_the_gaps_above_the_threshold(run, db: Path, tmp_path: Path) -> None:
    _plant(run, tmp_path)
    result = run("score", "diff", "-c", CLUSTER, "-y", "2024", "--over", "5", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = {row["unit"]: row for row in json.loads(result.stdout)}
    assert rows["Sở Cao Lộc"] == {
        "unit": "Sở Cao Lộc", "self": 88, "peer": 81, "counted": 82, "self_vs_peer": 7,
        "self_vs_counted": 6, "over": True,
    }  # fmt: skip
    assert rows["Công ty Bắc Sơn"] == {
        "unit": "Công ty Bắc Sơn", "self": 80, "peer": 81, "counted": 81, "self_vs_peer": -1,
        "self_vs_counted": -1, "over": False,
    }  # fmt: skip
    result = run("score", "diff", "-c", CLUSTER, "-y", "2024", "--over", "5", "--detail")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if "Sở Cao Lộc" in x and "│ 1 " in x)
    assert "58,00" in line and "50,00" in line and "51,00" in line and "+8,00" in line
    assert "vượt" in line
    assert "Số chênh lệch lớn hơn 5,00 điểm: 1." in result.stdout
    result = run("score", "diff", "-c", CLUSTER, "-y", "2024", "--over", "năm")
    assert (result.exit_code, result.output.strip()) == (3, "Lỗi: --over: “năm” không phải là số.")


def test_score_diff_needs_self_scores(run, db: Path, tmp_path: Path) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    result = run("score", "diff", "-c", CLUSTER, "-y", "2024")
    assert (result.exit_code, result.output.strip()) == (
        3,
        f"Lỗi: {FULL} chưa có điểm tự chấm năm 2024: không có gì để so sánh.",
    )


def test_score_show_marks_the_source_of_each_counted_value(run, db: Path, tmp_path: Path) -> None:
    _plant(run, tmp_path)
    result = run("score", "show", "-c", CLUSTER, "-y", "2024")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if "Sở Cao Lộc" in x)
    assert [cell.strip() for cell in line.split("│")[2:7]] == ["51,00", "31,00 C", "", "", "82,00"]
    result = run("score", "show", "-c", CLUSTER, "-y", "2024", "-f", "json")
    row = next(r for r in json.loads(result.stdout) if r["unit"] == "Sở Cao Lộc")
    assert row["sources"] == "1:final;2:peer"
    assert row["1"] == 51 and row["total"] == 82
    result = run("score", "show", "-c", CLUSTER, "-y", "2024")
    assert "T: điểm tự chấm; C: trung bình điểm chấm chéo; không đánh dấu: điểm cụm chốt." in (
        " ".join(result.stdout.split())
    )


def test_a_bundle_carries_the_evidence(run, db: Path, tmp_path: Path, monkeypatch) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    folder = tmp_path / "tu-cham"
    assert _template(run, folder, "self").exit_code == 0
    for path in sorted(folder.iterdir()):
        title = load_workbook(path).worksheets[1].title
        _fill(path, {title: {"1": (50, f"Minh chứng của {title}"), "2": (30, None)}})
    assert run("score", "import", str(folder), "-c", CLUSTER, "-y", "2024").exit_code == 0
    out = tmp_path / "goi.json"
    assert run("export", str(out)).exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert sum(1 for s in exported["scores"] if "evidence" in s) == 5
    other = tmp_path / "khac.db"
    monkeypatch.setenv("THIDUA_DB", str(other))
    assert run("init").exit_code == 0
    result = run("import", str(out))
    assert result.exit_code == 0, result.output
    assert _scores(other, "self") == _scores(db, "self")
    assert ("Sở Cao Lộc", "1", "", 5000, "Minh chứng của Sở Cao Lộc") in _scores(other, "self")


def test_score_set_keeps_or_replaces_the_evidence(run, db: Path, tmp_path: Path) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    base = ("score", "set", "-c", CLUSTER, "-y", "2024", "-u", "Sở Cao Lộc", "-k", "1")
    result = run(*base, "-p", "50", "--source", "self", "--evidence", " Báo cáo 12/BC ")
    assert result.exit_code == 0, result.output
    assert run(*base, "-p", "52", "--source", "self").exit_code == 0
    assert _scores(db, "self") == [("Sở Cao Lộc", "1", "", 5200, "Báo cáo 12/BC")]
    before = snapshot(db)
    result = run(*base, "-p", "53", "--source", "self", "--evidence", "  ")
    assert (result.exit_code, result.output.strip()) == (3, "Lỗi: Phần giải trình để trống.")
    assert snapshot(db) == before


def test_the_samples_illustrative_scores_are_said_to_be_so(run, sample: Path) -> None:
    note = "(Số liệu minh họa: các bài báo cáo không nêu điểm số"
    result = run("score", "show", "-c", "Cụm I", "-y", "2020")
    assert result.exit_code == 0, result.output
    assert note in " ".join(result.stdout.split())
    result = run("score", "show", "-c", "Cụm I", "-y", "2020", "-f", "csv")
    assert note not in result.stdout and f"Lưu ý: {note}" in result.stderr
    assert result.stdout.splitlines()[0].startswith("Đơn vị,1.1,1.2,Cộng nhóm 1,")


def test_the_forms_folder_needs_its_parent(run, db: Path, tmp_path: Path) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    target = tmp_path / "khong-co" / "tu-cham"
    result = _template(run, target, "self")
    assert (result.exit_code, result.output.strip()) == (
        3,
        f"Lỗi: Không có thư mục {target.parent}.",
    )
    assert not target.parent.exists()


def test_a_form_given_again_replaces_its_whole_statement(run, db: Path, tmp_path: Path) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    folder = tmp_path / "tu-cham"
    assert _template(run, folder, "self").exit_code == 0
    paths = sorted(folder.iterdir())
    for path in paths:
        title = load_workbook(path).worksheets[1].title
        _fill(path, {title: {"1": (50, "Báo cáo"), "2": (30, None), "T": (2, "Sáng kiến")}})
    assert run("score", "import", str(folder), "-c", CLUSTER, "-y", "2024").exit_code == 0
    # Sở Cao Lộc withdraws its bonus: the cell emptied, the form given again with --replace.
    _fill(paths[3], {"Sở Cao Lộc": {"T": (None, None)}})
    result = run("score", "import", str(paths[3]), "-c", CLUSTER, "-y", "2024", "--replace")
    assert result.exit_code == 0, result.output
    own = [row for row in _scores(db, "self") if row[0] == "Sở Cao Lộc"]
    assert own == [("Sở Cao Lộc", "1", "", 5000, "Báo cáo"), ("Sở Cao Lộc", "2", "", 3000, None)]
    assert len(_scores(db, "self")) == 14  # the others' statements untouched
    # A plain file replacing a score keeps the evidence it does not speak of.
    fix = tmp_path / "sua.csv"
    fix.write_text("unit,criterion,points\nSở Cao Lộc,1,51\n", encoding="utf-8")
    result = run("score", "import", str(fix), "-c", CLUSTER, "-y", "2024", "--source", "self",
                 "--replace")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ("Sở Cao Lộc", "1", "", 5100, "Báo cáo") in _scores(db, "self")


def test_a_units_gap_line_adds_up_over_the_criteria_it_scored_itself() -> None:
    from thidua_cli.models import Criterion, CriterionScores
    from thidua_cli.rules.gaps import score_gaps

    criteria = [
        Criterion(1, "1", "", "Một", 6000, "base"),
        Criterion(2, "2", "", "Hai", 4000, "base"),
        Criterion(3, "K", "", "Trừ", 500, "deduction"),
    ]
    scores = [
        CriterionScores(7, 1, None, 5000, 5500),  # final, peer mean, self
        CriterionScores(7, 2, None, 3000, None),  # the unit left criterion 2 to its peers
        CriterionScores(7, 3, None, 100, 0),
    ]
    [line] = score_gaps(criteria, scores, ["final", "peer", "self"], [7], over=400, detail=False)
    assert (line.self, line.peer, line.counted) == (5500, 4900, 4900)
    assert (line.self_vs_peer, line.self_vs_counted, line.over) == (600, 600, True)
    scores[2] = CriterionScores(7, 3, None, None, 0)  # no peer scored the deduction
    [line] = score_gaps(criteria, scores, ["final", "peer", "self"], [7], over=None, detail=False)
    assert (line.self, line.peer, line.counted, line.self_vs_peer) == (5500, None, 5000, None)


def test_overwriting_the_forms_is_refused_before_any_is_replaced(
    run, db: Path, tmp_path: Path
) -> None:
    make_cluster(run, tmp_path, "--cluster", CLUSTER)
    folder = tmp_path / "tu-cham"
    assert _template(run, folder, "self").exit_code == 0
    (folder / "tu-cham-so-cao-loc.xlsx").unlink()
    (folder / "tu-cham-so-cao-loc.xlsx").mkdir()
    contents = {p: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    result = _template(run, folder, "self", "--overwrite")
    assert result.exit_code == 3
    assert result.output.splitlines()[0] == (
        f"Lỗi: {folder} có thư mục trùng tên với các phiếu; chưa ghi gì."
    )
    assert {p: p.read_bytes() for p in folder.iterdir() if p.is_file()} == contents


def test_the_clusters_sheet_of_illustrative_scores_says_so(
    run, sample: Path, tmp_path: Path
) -> None:
    path = tmp_path / "cham.xlsx"
    result = run("score", "template", "-c", "Cụm I", "-y", "2020", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "Lưu ý: (Số liệu minh họa:" in result.stderr
    sheet = load_workbook(path).active
    assert sheet["A1"].comment.text.startswith("(Số liệu minh họa:")
    assert sheet.oddFooter.center.text.startswith("(Số liệu minh họa:")
