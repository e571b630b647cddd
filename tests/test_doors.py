"""Every door obeys the same rules (issue 17, points 7, 8 and 11, and the outputs).

A name comes in by `unit add` (with --short and --alias), `unit rename`, `cluster add` or a
bundle: each goes through one rule (rules.text.checked_name), which refuses control characters,
direction overrides and names made of invisible characters only. What was stored before the
rule still writes to .xlsx and .docx. A bundle obeys the rules the commands obey: names, years,
dates, the covenant's date and the province's decisions, and JSON types (true/false, lists).
Markdown and HTML show a name as itself; the log says who by the OS account and names units as
they were named then.
"""

import json
import os
import pwd
import sqlite3

import pytest

from conftest import query, snapshot

AGRIBANK = "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
BIDV = "Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn"
NHCSXH = "Ngân hàng Chính sách xã hội chi nhánh tỉnh Lạng Sơn"
CUM_I = "Cụm I - Các tổ chức tín dụng"


def _refused(run, db, args, stderr):
    before = snapshot(db)
    result = run(*args)
    assert result.exit_code == 3, result.output
    assert result.stderr == stderr
    assert result.stdout == ""
    assert snapshot(db) == before


# ---------------------------------------------------------------- point 7: names at the door


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["unit", "add", "Sở\x07 Y tế"],
         "Lỗi: “Sở<U+0007> Y tế”: tên không được chứa ký tự điều khiển (U+0007).\n"),
        (["unit", "add", "Sở Y tế", "--short", "YT\x1b"],
         "Lỗi: “YT<U+001B>”: tên không được chứa ký tự điều khiển (U+001B).\n"),
        (["unit", "add", "Sở Y tế", "--alias", "Y tế\x7f"],
         "Lỗi: “Y tế<U+007F>”: tên không được chứa ký tự điều khiển (U+007F).\n"),
        (["unit", "rename", "Sở Tư pháp", "Sở\x01"],
         "Lỗi: “Sở<U+0001>”: tên không được chứa ký tự điều khiển (U+0001).\n"),
        (["cluster", "add", "Cụm\x02 mới"],
         "Lỗi: “Cụm<U+0002> mới”: tên không được chứa ký tự điều khiển (U+0002).\n"),
        (["cluster", "add", "Cụm mới", "--alias", "\x9b"],
         "Lỗi: “<U+009B>”: tên không được chứa ký tự điều khiển (U+009B).\n"),
        (["unit", "add", "\u200b\u200b"],
         "Lỗi: Tên không được chỉ gồm các ký tự vô hình (U+200B).\n"),
        (["unit", "add", "Sở Y tế", "--short", "\ufeff\u2060"],
         "Lỗi: Tên không được chỉ gồm các ký tự vô hình (U+FEFF, U+2060).\n"),
        (["unit", "add", "Sở \u202eết y ởS"],
         "Lỗi: “Sở <U+202E>ết y ởS”: tên không được chứa ký tự đổi chiều viết của văn bản"
         " (U+202E).\n"),
        (["unit", "add", "Sở Y tế", "--alias", "\u2067YT\u2069"],
         "Lỗi: “<U+2067>YT<U+2069>”: tên không được chứa ký tự đổi chiều viết của văn bản"
         " (U+2067, U+2069).\n"),
        # invisible characters are taken out, so a name cannot pose as another with them
        (["unit", "add", "BIDV\u200b Lạng Sơn"],
         "Lỗi: Chưa thêm gì:\n  - “BIDV Lạng Sơn” không phân biệt được với “BIDV Lạng Sơn”, tên"
         f" ngắn của đơn vị {BIDV}.\n"),
    ],
)  # fmt: skip
def test_a_name_with_control_direction_or_only_invisible_characters_is_refused(
    run, sample, args, stderr
):
    _refused(run, sample, args, stderr)


def test_the_invisible_characters_inside_a_name_are_taken_out(run, db):
    result = run("unit", "add", "Sở\u200b Y tế", "--alias", "Y\u00ad tế")
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT name FROM unit") == [("Sở Y tế",)]
    assert query(db, "SELECT alias FROM unit_alias") == [("Y tế",)]


def _texts(path) -> list[str]:
    """Every text of a workbook's cells or of a Word file's paragraphs and tables."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    import docx

    word = docx.Document(str(path))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return [p.text for p in word.paragraphs] + cells


def test_what_was_stored_before_the_rule_still_writes_to_xlsx_and_docx(run, sample, tmp_path):
    # a locked year's papers keep the names it was locked with: open the year to see the new one
    assert run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", "thử").exit_code == 0
    with sqlite3.connect(sample) as conn:  # as an older thidua (or another tool) stored it
        conn.execute("UPDATE unit SET name = name || char(7) WHERE short_name = 'BIDV Lạng Sơn'")
    for args, name in (
        (["unit", "list"], "don-vi.xlsx"),
        (["rank", "-c", "Cụm I", "-y", "2020"], "xep-hang.xlsx"),
        (["report", "-c", "Cụm I", "-y", "2020"], "bao-cao.docx"),
        (["minutes", "-c", "Cụm I", "-y", "2020"], "bien-ban.docx"),
    ):
        out = tmp_path / name
        result = run(*args, "-o", str(out))
        assert result.exit_code == 0, result.output
        texts = _texts(out)
        assert not any("\x07" in t for t in texts)
        assert any(BIDV + "\ufffd" in t for t in texts), (name, texts)


# ---------------------------------------------------------------- point 8: no name shadows


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["unit", "add", "BIDV Lạng Sơn"],
         f"“BIDV Lạng Sơn” không phân biệt được với “BIDV Lạng Sơn”, tên ngắn của đơn vị {BIDV}."),
        (["unit", "add", "Sở Y tế", "--short", "BIDV Lạng Sơn"],
         f"“BIDV Lạng Sơn” không phân biệt được với “BIDV Lạng Sơn”, tên ngắn của đơn vị {BIDV}."),
        (["unit", "add", "Sở Y tế", "--alias", "bidv lang son"],
         f"“bidv lang son” không phân biệt được với “BIDV Lạng Sơn”, tên ngắn của đơn vị {BIDV}."),
    ],
)  # fmt: skip
def test_a_short_name_or_alias_of_another_unit_is_refused_by_every_option(run, sample, args, why):
    _refused(run, sample, args, f"Lỗi: Chưa thêm gì:\n  - {why}\n")
    flagged = run("flag", "add", "-y", "2021", "-u", "BIDV Lạng Sơn", "--reason", "Thử")
    assert flagged.exit_code == 0, flagged.output
    assert query(sample, "SELECT u.name FROM flag f JOIN unit u ON u.id = f.unit_id") == [(BIDV,)]


CLASH = "“{}” không phân biệt được với “BIDV Lạng Sơn”, tên ngắn của đơn vị " + BIDV + "."


def _import(run, db, tmp_path, change, *, version=None):
    """Export the whole database, change the bundle, import it into the same database: what
    is unchanged is the same, so only the change can be refused."""
    path = tmp_path / "goi.json"
    assert run("export", str(path)).exit_code == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = snapshot(db)
    result = run("import", str(path))
    return result, before


def _unit(name, **more):
    return lambda d: d["units"].append({"name": name, "short_name": None, "aliases": [], **more})


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        # the name of a unit here, or its short name, as a new unit's short name or alias
        (_unit("Sở Mới", short_name="BIDV Lạng Sơn"),
         "mục units thứ 33 của gói: " + CLASH.format("BIDV Lạng Sơn")),
        (_unit("Sở Mới", aliases=["bidv lang son"]),
         "mục units thứ 33 của gói: " + CLASH.format("bidv lang son")),
        (_unit("BIDV Lạng Sơn"),
         "mục units thứ 33 của gói: " + CLASH.format("BIDV Lạng Sơn")),
        # a string where a list is expected: not the aliases a, b and c
        (_unit("Sở Mới", aliases="abc"),
         "mục units thứ 33 của gói: “aliases” phải là danh sách tên, không phải \"abc\"."),
        # names given as numbers or lists, not stored as their Python text
        (_unit(123), "mục units thứ 33 của gói: 123 không phải là tên: tên phải là chữ."),
        (_unit(["Sở", "Mới"]),
         'mục units thứ 33 của gói: ["Sở", "Mới"] không phải là tên: tên phải là chữ.'),
        (_unit("Sở Mới", short_name=7),
         "mục units thứ 33 của gói: 7 không phải là tên: tên phải là chữ."),
        (_unit("Sở\x07 Mới"),
         "mục units thứ 33 của gói: “Sở<U+0007> Mới”: tên không được chứa ký tự điều khiển"
         " (U+0007)."),
        (lambda d: d["clusters"].append({"name": "Cụm \u202eMới", "code": None, "aliases": []}),
         "mục clusters thứ 6 của gói: “Cụm <U+202E>Mới”: tên không được chứa ký tự đổi chiều"
         " viết của văn bản (U+202E)."),
        (lambda d: d["criteria_sets"][0]["criteria"][0].update(name=["Hoàn thành"]),
         'tiêu chí "1.1": ["Hoàn thành"] không phải là tên: tên phải là chữ.'),
    ],
)  # fmt: skip
def test_the_bundle_door_obeys_the_rule_for_names(run, sample, tmp_path, change, problem):
    result, before = _import(run, sample, tmp_path, change)
    assert result.exit_code == 3, result.output
    assert f"  - {problem}\n" in result.stderr
    assert result.stderr.startswith("Lỗi: Không nhập gì: 1 lỗi")
    assert snapshot(sample) == before


# ---------------------------------------------------------------- point 11: one set of rules


def _decision(unit, award, date, granted="same"):
    return lambda d: d["decisions"].append(
        {"cluster": CUM_I, "year": 2020, "version": 1, "unit": unit, "award": award,
         "granted": award if granted == "same" else granted, "number": "1/QĐ-UBND",
         "date": date, "revoked": None}
    )  # fmt: skip


WHERE = f"hồ sơ của {CUM_I}, năm 2020, lần 1"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        # a decision for a unit never proposed
        (_decision(NHCSXH, "bang_khen", "2021-01-20"),
         f"{WHERE}, {NHCSXH}, bang_khen: {NHCSXH} không được đề nghị khen thưởng năm 2020 (xếp"
         f" hạng 4 trong {CUM_I})."),
        # a decision dated before its year, or before the file it decides on
        (_decision(AGRIBANK, "co_thi_dua", "2019-12-01"),
         f"{WHERE}, {AGRIBANK}, co_thi_dua: Quyết định khen thưởng năm 2020 không thể có ngày"
         " 01/12/2019, trước năm đó."),
        (_decision(AGRIBANK, "co_thi_dua", "2021-01-02"),
         f"{WHERE}, {AGRIBANK}, co_thi_dua: Ngày quyết định 02/01/2021 trước ngày nộp hồ sơ mà"
         " quyết định xét đến (lần 1, 05/01/2021)."),
        (_decision(AGRIBANK, "co_thi_dua", "20/13/2021"),
         f"{WHERE}, {AGRIBANK}, co_thi_dua: “20/13/2021” không phải là ngày; hãy viết 05/01/2021"
         " hoặc 2021-01-05."),
        (_decision(AGRIBANK, "co_thi_dua", "2021-01-20", granted="yes"),
         f"{WHERE}, {AGRIBANK}, co_thi_dua: “yes” không phải là hình thức khen thưởng; hãy dùng"
         " co_thi_dua hoặc bang_khen."),
        # a row's true or false given as text
        (lambda d: d["submissions"][0]["rows"][0].update(tied="no"),
         f"{WHERE}: “tied” phải là true hoặc false, không phải \"no\"."),
        # a covenant dated 1900, for 2024 or for the year 1900
        (lambda d: d["covenants"].append({"cluster": CUM_I, "year": 2024, "date": "1900-01-01",
                                          "note": None}),
         f"giao ước thi đua của {CUM_I}, năm 2024: Giao ước thi đua năm 2024 được ký trong năm"
         " 2023 hoặc 2024, không phải ngày 01/01/1900."),
        (lambda d: d["covenants"].append({"cluster": CUM_I, "year": 2024, "date": 20240105,
                                          "note": None}),
         f"giao ước thi đua của {CUM_I}, năm 2024: 20240105 không phải là ngày; hãy viết"
         " 05/01/2021 hoặc 2021-01-05."),
        (lambda d: d["flags"].append({"unit": BIDV, "year": 2021, "reason": ["Kỷ luật"]}),
         f'{BIDV}, 2021: ["Kỷ luật"] không phải là chữ.'),
    ],
)  # fmt: skip
def test_the_bundle_door_obeys_the_commands_rules(run, sample, tmp_path, change, problem):
    result, before = _import(run, sample, tmp_path, change)
    assert result.exit_code == 3, result.output
    assert f"  - {problem}\n" in result.stderr
    assert snapshot(sample) == before


def test_a_year_out_of_range_in_a_bundle_is_refused(run, sample, tmp_path):
    def change(d):
        d["covenants"].append({"cluster": CUM_I, "year": 1900, "date": "1900-01-01"})

    result, before = _import(run, sample, tmp_path, change)
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("Lỗi: Mục covenants thứ ")
    assert result.stderr.endswith(" của gói: 1900 không phải là năm trong khoảng 1945 đến 2200.\n")
    assert snapshot(sample) == before


@pytest.mark.parametrize("approved", ["no", "false", 0, None])
def test_a_version_1_decision_approved_only_by_a_json_boolean(run, sample, tmp_path, approved):
    path = tmp_path / "cu.json"
    path.write_text(
        json.dumps(
            {"format": "thidua-bundle", "version": 1, "decisions": [
                {"unit": AGRIBANK, "year": 2020, "award": "co_thi_dua", "number": "1/QĐ-UBND",
                 "date": "2021-01-20", "approved": approved}]},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )  # fmt: skip
    before = snapshot(sample)
    result = run("import", str(path))
    assert result.exit_code == 3, result.output
    shown = json.dumps(approved, ensure_ascii=False)
    assert (
        f"  - {AGRIBANK}, 2020, co_thi_dua: “approved” phải là true hoặc false, không phải"
        f" {shown}.\n" in result.stderr
    )
    assert snapshot(sample) == before


def test_a_decision_the_rules_allow_still_comes_in_by_the_bundle(run, sample, tmp_path):
    result, _before = _import(
        run, sample, tmp_path, _decision(AGRIBANK, "co_thi_dua", "05/02/2021")
    )
    assert result.exit_code == 0, result.output
    assert query(sample, "SELECT granted, decision_no, decided_on FROM decision") == [
        ("co_thi_dua", "1/QĐ-UBND", "2021-02-05")
    ]


# ---------------------------------------------------------------- Markdown and HTML

INJECTED = "<script>alert(1)</script> | x | **b** [l](http://x) `c` &amp;"


def test_markdown_and_html_show_a_name_as_itself(run, db):
    assert run("unit", "add", INJECTED).exit_code == 0
    assert run("unit", "add", "1. Sở # Y tế").exit_code == 0
    md = run("unit", "list", "-f", "md")
    assert md.exit_code == 0, md.output
    assert (
        "| \\<script\\>alert(1)\\</script\\> \\| x \\| \\*\\*b\\*\\* \\[l\\](http://x) \\`c\\`"
        " \\&amp; |  |  |" in md.stdout
    )
    assert "| 1. Sở # Y tế |  |  |" in md.stdout  # harmless inside a cell: shown as it is
    html = run("unit", "list", "-f", "html")
    assert (
        "<td>&lt;script&gt;alert(1)&lt;/script&gt; | x | **b** [l](http://x) `c` &amp;amp;</td>"
        in html.stdout
    )
    assert "<script>" not in html.stdout


def test_a_paper_in_markdown_escapes_the_names_in_it(run, sample):
    assert run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", "thử").exit_code == 0
    assert run("unit", "rename", "Agribank", "**Agri** <b>bank</b>").exit_code == 0
    paper = run("report", "-c", "Cụm I", "-y", "2020")
    assert paper.exit_code == 0, paper.output
    assert "\\*\\*Agri\\*\\* \\<b\\>bank\\</b\\>" in paper.stdout
    assert "**Agri**" not in paper.stdout and "<b>" not in paper.stdout


# ---------------------------------------------------------------- the log


def test_who_is_the_operating_system_account_not_USER(run, db, monkeypatch):
    for variable in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "mallory")
    assert run("unit", "add", "Sở Y tế").exit_code == 0
    assert query(db, "SELECT DISTINCT user FROM audit") == [(pwd.getpwuid(os.getuid()).pw_name,)]


def test_the_log_names_a_unit_as_it_was_named_then(run, db):
    for args in (
        ["unit", "add", "Sở A"],
        ["flag", "add", "-y", "2024", "-u", "Sở A", "--reason", "Thử"],
        ["unit", "rename", "Sở A", "Sở B"],
        ["flag", "add", "-y", "2025", "-u", "Sở B", "--reason", "Thử"],
        ["unit", "rename", "Sở B", "Sở C"],
    ):
        assert run(*args).exit_code == 0, args
    result = run("log", "-f", "json")
    entries = [(e["table"], e["action"], e["unit"]) for e in json.loads(result.stdout)]
    assert entries == [
        ("unit", "insert", "Sở A"),
        ("flag", "insert", "Sở A"),
        ("unit", "update", "Sở B"),
        ("unit_alias", "insert", "Sở B"),
        ("flag", "insert", "Sở B"),
        ("unit", "update", "Sở C"),
        ("unit_alias", "insert", "Sở C"),
    ]
    by_unit = run("log", "-u", "Sở C", "-f", "json", "-n", "3")
    assert [e["unit"] for e in json.loads(by_unit.stdout)] == ["Sở B", "Sở C", "Sở C"]


def test_a_criteria_file_obeys_the_rule_for_names(run, db, tmp_path):
    path = tmp_path / "tieu-chi.csv"
    path.write_text(
        "code,group,name,max_points,kind\n1,Nhóm 1,Nhiệm vụ\x07 chính trị,100,base\n",
        encoding="utf-8",
    )
    _refused(
        run,
        db,
        ["criteria", "import", str(path), "--default", "-y", "2024"],
        "Lỗi: “Nhiệm vụ<U+0007> chính trị”: tên không được chứa ký tự điều khiển (U+0007).\n",
    )
