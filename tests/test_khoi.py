"""A Khối thi đua speaks as a Khối (issue 15): its papers and screens say Khối, Trưởng khối,
Phó trưởng khối, KHỐI THI ĐUA and carry its own symbol (/BC-KTĐ, settable); a person, recorded
with `thidua cluster signer`, signs a cluster's papers (TM. or KT.), and bundles carry them; an
OS error is worded in the user's language."""

import errno
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import TEST_CRITERIA, query, snapshot
from thidua_cli.cli.app import app
from thidua_cli.errors import os_error_text
from thidua_cli.i18n import set_language

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KHOI = "Khối các cơ quan Đảng tỉnh"
UNITS = [
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
    "Báo Lạng Sơn",
]
LEADER, DEPUTY = UNITS[0], UNITS[1]
# unit, criterion 1 (of 60), criterion 2 (of 40), bonus T (of 5), deduction K (of 5): no ties
SCORES = [
    (UNITS[0], 58, 38, 3, 0),
    (UNITS[1], 57, 37, 2, 0),
    (UNITS[2], 55, 36, 1, 0),
    (UNITS[3], 54, 35, 0, 1),
    (UNITS[4], 52, 34, 0, 0),
    (UNITS[5], 50, 33, 0, 2),
    (UNITS[6], 48, 30, 0, 0),
]
PAPERS = ("report", "submission", "minutes")


def ok(run, *args: str):
    result = run(*args)
    assert result.exit_code == 0, (args, result.output)
    return result


def on(path: Path, *args: str):
    """A command on another database (the Board's, to which a bundle travels)."""
    result = CliRunner().invoke(app, list(args), env={"THIDUA_DB": str(path)})
    set_language("vi")
    return result


def on_ok(path: Path, *args: str):
    result = on(path, *args)
    assert result.exit_code == 0, (args, result.output)
    return result


@pytest.fixture
def khoi(run, db: Path, tmp_path: Path) -> Path:
    """A 7-unit Khối made from empty: units, the Khối, members with a leader and a deputy, the
    criteria, the final scores, the conference, the covenant and next year's election."""
    ok(run, "settings", "set", "province", "Lạng Sơn")
    for name in UNITS:
        ok(run, "unit", "add", name)
    ok(run, "cluster", "add", KHOI, "--code", "Khối I", "--kind", "khoi")
    ok(run, "cluster", "join", "Khối I", LEADER, "-y", "2024", "--role", "leader")
    ok(run, "cluster", "join", "Khối I", DEPUTY, "-y", "2024", "--role", "deputy")
    ok(run, "cluster", "join", "Khối I", *UNITS[2:], "-y", "2024")
    criteria = tmp_path / "tieu-chi.csv"
    criteria.write_text(TEST_CRITERIA, encoding="utf-8")
    ok(run, "criteria", "import", str(criteria), "-c", "Khối I", "-y", "2024")
    scores = tmp_path / "diem.csv"
    scores.write_text(
        "unit,1,2,T,K\n" + "".join(",".join(map(str, row)) + "\n" for row in SCORES),
        encoding="utf-8",
    )
    ok(run, "score", "import", str(scores), "-c", "Khối I", "-y", "2024")
    ok(run, "cluster", "conference", "-c", "Khối I", "-y", "2024", "--date", "10/01/2025",
       "--place", "Hội trường Tỉnh ủy", "--chair-name", "Ông Hoàng Văn Chủ, Trưởng ban",
       "--secretary", "Bà Lý Thị Ghi", "--all-present")  # fmt: skip
    ok(run, "covenant", "sign", "-c", "Khối I", "-y", "2024", "--date", "15/01/2024")
    ok(run, "elect", "-c", "Khối I", "-y", "2025", "--leader", DEPUTY, "--deputy", UNITS[2])
    return db


def docx_text(path: Path) -> list[str]:
    """Every paragraph of a Word file, in the body's tables too, as python-docx reads it."""
    from docx import Document

    body = Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def papers(run, tmp_path: Path, cluster: str = "Khối I") -> dict[str, str]:
    """The cluster's report, submission and minutes, each in Markdown, HTML and Word."""
    texts = {}
    for paper in PAPERS:
        for fmt in ("md", "html"):
            texts[f"{paper}.{fmt}"] = ok(run, paper, "-c", cluster, "-y", "2024", "-f", fmt).stdout
        path = tmp_path / f"{paper}.docx"
        ok(run, paper, "-c", cluster, "-y", "2024", "-o", str(path))
        texts[f"{paper}.docx"] = "\n".join(docx_text(path))
    return texts


def signature(path: Path) -> list[str]:
    """The lines of the signature block (the right cell of the last table) of a Word file."""
    from docx import Document

    cell = Document(str(path)).tables[-1].rows[0].cells[1]
    return [p.text for p in cell.paragraphs if p.text]


# ---------------------------------------------------------------- one vocabulary


def test_a_khois_papers_speak_of_the_khoi_in_every_format(run, khoi, tmp_path):
    texts = papers(run, tmp_path)
    for name, text in texts.items():
        lowered = text.lower()
        assert "cụm" not in lowered and "ctđ" not in lowered, name
        assert "Trưởng khối" in text or "TRƯỞNG KHỐI" in text, name
    for fmt in ("md", "html", "docx"):
        report, submission, minutes = (texts[f"{p}.{fmt}"] for p in PAPERS)
        assert "Số:      /BC-KTĐ" in report
        assert "Số:      /TTr-KTĐ" in submission
        assert "Số:      /BB-KTĐ" in minutes
        assert "I. THÀNH VIÊN KHỐI THI ĐUA" in report
        assert "TM. KHỐI THI ĐUA" in report and "TM. KHỐI THI ĐUA" in submission
        assert "IV. BẦU TRƯỞNG KHỐI, PHÓ TRƯỞNG KHỐI NĂM 2025" in report
        assert (
            f"Hội nghị đã bầu {DEPUTY} làm Trưởng khối năm 2025, {UNITS[2]} làm Phó trưởng khối."
            in report
        )
        assert "Khối thi đua đề nghị UBND tỉnh khen thưởng:" in report
        assert "Các đơn vị thành viên khối" in report
        assert "Kết quả trên là dự thảo: khối chưa nộp hồ sơ đợt bình xét này." in report
        assert f"Chủ trì: Ông Hoàng Văn Chủ, Trưởng ban ({LEADER}, Trưởng khối)" in minutes
    md = texts["report.md"]
    assert f"| 1 | {LEADER} | Trưởng khối |" in md
    assert f"| 2 | {DEPUTY} | Phó trưởng khối |" in md
    # what a unit achieved is "Điểm đạt", not the criteria's "Điểm chuẩn"
    assert "| Hạng | Đơn vị | Điểm đạt | Điểm thưởng | Điểm trừ | Tổng điểm | Ghi chú |" in md


def test_a_khois_screens_speak_of_the_khoi(run, khoi):
    shown = ok(run, "cluster", "show", "Khối I", "-y", "2024").stdout
    assert "Trưởng khối" in shown and "Phó trưởng khối" in shown
    listed = ok(run, "cluster", "list", "-y", "2024").stdout
    assert "Trưởng khối" in listed and "Phó trưởng khối" in listed
    rank = ok(run, "rank", "-c", "Khối I", "-y", "2024")
    assert "Chỉ tiêu: 1 Cờ thi đua, 2 Bằng khen cho khối 7 đơn vị." in rank.stdout
    assert "Điểm đạt" in rank.stdout
    suggested = ok(run, "elect", "--suggest", "-c", "Khối I", "-y", "2026").stdout
    assert f"  Trưởng khối: {UNITS[2]}" in suggested.splitlines()
    assert (
        f"  - Trưởng khối: {UNITS[2]}, Phó trưởng khối năm 2025 (theo lệ luân phiên)."
        in suggested.splitlines()
    )
    units = ok(run, "unit", "list", "-y", "2024", "-f", "csv").stdout
    assert units.splitlines()[0] == "Đơn vị,Tên ngắn,Tên gọi khác,Khối năm 2024,Vai trò,Mã vai trò"
    assert f"{LEADER},,,{KHOI},Trưởng khối,leader" in units
    history = ok(run, "history", "-c", "Khối I", "-f", "csv").stdout
    assert history.startswith("Năm,Trưởng khối,Phó trưởng khối,Số đơn vị,")
    assert f"\n2025,{DEPUTY},{UNITS[2]},7," in history
    record = ok(run, "history", "-u", LEADER, "-f", "csv").stdout.splitlines()
    assert record[:2] == [
        "Năm,Khối thi đua,Vai trò,Hạng,Tổng điểm,Đề nghị,Quyết định,Không đủ điều kiện,"
        "Mã vai trò,Mã hình thức khen thưởng",
        f"2024,{KHOI},Trưởng khối,1,99,Cờ thi đua của UBND tỉnh,,,leader,co_thi_dua",
    ]
    awards = ok(run, "awards", "-y", "2024", "-f", "csv").stdout
    assert f"{KHOI},{LEADER},1,99,Cờ thi đua của UBND tỉnh,Dẫn đầu khối" in awards
    for text in (shown, listed, rank.stdout, rank.stderr, suggested, units, history, *record):
        assert "cụm" not in text.lower()


def test_a_list_of_cum_and_khoi_names_both(run, khoi):
    ok(run, "cluster", "add", "Cụm thi đua số II", "--code", "Cụm II")
    ok(run, "unit", "add", "Sở Tài chính")
    ok(run, "cluster", "join", "Cụm II", "Sở Tài chính", "-y", "2024", "--role", "leader")
    listed = ok(run, "cluster", "list", "-y", "2024", "-f", "csv").stdout.splitlines()
    assert listed[0] == "Cụm/khối thi đua,Mã,Số đơn vị,Trưởng cụm/khối,Phó trưởng cụm/khối"


def test_the_khois_words_in_a_refusal_and_in_the_election(run, khoi):
    before = snapshot(khoi)
    result = run("cluster", "join", "Khối I", UNITS[5], UNITS[6], "-y", "2024", "--role", "leader")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[1] == (
        "  - Mỗi năm một khối chỉ có một Trưởng khối; đã nêu 2 đơn vị."
    )
    assert snapshot(khoi) == before
    result = ok(run, "elect", "-c", "Khối I", "-y", "2025", "--leader", UNITS[3], "--replace")
    assert result.stderr.splitlines() == [
        f"Đã ghi nhận cho {KHOI} năm 2025: Trưởng khối: {UNITS[3]}.",
        f"Lưu ý: Theo lệ luân phiên, Phó trưởng khối năm 2024 ({DEPUTY}) làm Trưởng khối của"
        f" {KHOI} năm 2025; lần này bầu {UNITS[3]}. Đã ghi nhận lựa chọn.",
    ]
    added = ok(run, "cluster", "add", "Khối doanh nghiệp", "--kind", "khoi")
    assert added.stderr == "Đã thêm Khối doanh nghiệp (khối thi đua).\n"


def test_the_khoi_symbol_is_a_setting(run, khoi):
    ok(run, "settings", "set", "khoi_symbol", "KTĐ-ĐU")
    ok(run, "settings", "set", "cum_symbol", "CTĐT")  # a Cụm's symbol does not touch a Khối
    report = ok(run, "report", "-c", "Khối I", "-y", "2024").stdout
    assert "Số:      /BC-KTĐ-ĐU  " in report.splitlines()
    minutes = ok(run, "minutes", "-c", "Khối I", "-y", "2024", "-f", "html").stdout
    assert '<div class="number">Số:      /BB-KTĐ-ĐU</div>' in minutes
    ok(run, "settings", "unset", "khoi_symbol")
    assert "Số:      /BC-KTĐ  " in ok(run, "report", "-c", "Khối I", "-y", "2024").stdout
    help_text = " ".join(ok(run, "settings", "set", "--help").stdout.split())
    assert "cum_symbol và khoi_symbol" in help_text


def test_a_cums_papers_keep_the_cum_words(run, sample):
    report = ok(run, "report", "-c", "Cụm I", "-y", "2020").stdout
    assert "Số:      /BC-CTĐ  " in report.splitlines()
    assert "## I. THÀNH VIÊN CỤM THI ĐUA" in report
    assert "khối" not in report.lower()


# ---------------------------------------------------------------- who signs


def test_the_signer_signs_the_papers_for_the_khoi_or_for_its_leader(run, khoi, tmp_path):
    def tail(paper: str) -> list[str]:
        return ok(run, paper, "-c", "Khối I", "-y", "2024").stdout.splitlines()

    # nobody recorded: the titles, and a blank where the name goes (no unit signs as a person)
    assert tail("report")[-7:] == [
        "**TM. KHỐI THI ĐUA**  ",
        "**TRƯỞNG KHỐI**  ",
        "",
        "*Nơi nhận:*",
        "- Ban Thi đua - Khen thưởng tỉnh",
        "- Các đơn vị thành viên khối",
        "- Lưu: VT",
    ]
    word = tmp_path / "bao-cao.docx"
    ok(run, "report", "-c", "Khối I", "-y", "2024", "-o", str(word))
    assert signature(word) == ["TM. KHỐI THI ĐUA", "TRƯỞNG KHỐI"]

    result = ok(run, "cluster", "signer", "-c", "Khối I", "-y", "2024", "--name", " Nguyễn Văn An ")
    assert result.stderr == (
        f"{KHOI}, năm 2024: người ký văn bản là Nguyễn Văn An, Trưởng khối, ký thay mặt khối"
        " thi đua (TM.).\n"
    )
    assert query(khoi, "SELECT name, role FROM cluster_signer") == [("Nguyễn Văn An", "leader")]
    assert tail("report")[-9:-4] == [
        "**TM. KHỐI THI ĐUA**  ",
        "**TRƯỞNG KHỐI**  ",
        "",
        "Nguyễn Văn An",
        "",
    ]
    assert tail("submission")[-9:-4] == [
        "**TM. KHỐI THI ĐUA**  ",
        "**TRƯỞNG KHỐI**  ",
        "",
        "Nguyễn Văn An",
        "",
    ]
    ok(run, "submission", "-c", "Khối I", "-y", "2024", "-o", str(word))
    assert signature(word) == ["TM. KHỐI THI ĐUA", "TRƯỞNG KHỐI", "Nguyễn Văn An"]

    result = ok(run, "cluster", "signer", "-c", "Khối I", "-y", "2024", "--name",
                "Trần Thị Bình", "--deputy")  # fmt: skip
    assert result.stderr == (
        f"{KHOI}, năm 2024: người ký văn bản là Trần Thị Bình, Phó trưởng khối, ký thay Trưởng"
        " khối (KT.). Thay cho Nguyễn Văn An, Trưởng khối, ký thay mặt khối thi đua (TM.).\n"
    )
    assert tail("report")[-9:-4] == [
        "**KT. TRƯỞNG KHỐI**  ",
        "**PHÓ TRƯỞNG KHỐI**  ",
        "",
        "Trần Thị Bình",
        "",
    ]
    ok(run, "report", "-c", "Khối I", "-y", "2024", "-o", str(word))
    assert signature(word) == ["KT. TRƯỞNG KHỐI", "PHÓ TRƯỞNG KHỐI", "Trần Thị Bình"]
    html = ok(run, "report", "-c", "Khối I", "-y", "2024", "-f", "html").stdout
    assert (
        '<td class="signature">KT. TRƯỞNG KHỐI<br>PHÓ TRƯỞNG KHỐI<br><br><br><br>Trần Thị Bình'
        "</td>" in html
    )
    # the minutes stay signed by who chaired and who kept them
    minutes = ok(run, "minutes", "-c", "Khối I", "-y", "2024").stdout
    assert "**CHỦ TRÌ**  " in minutes and "Trần Thị Bình" not in minutes
    data = json.loads(ok(run, "report", "-c", "Khối I", "-y", "2024", "-f", "json").stdout)
    assert data["signer"] == {"name": "Trần Thị Bình", "role": "deputy"}
    shown = ok(run, "cluster", "show", "Khối I", "-y", "2024")
    assert "Người ký văn bản: Trần Thị Bình, Phó trưởng khối, ký thay Trưởng khối (KT.)" in (
        " ".join(shown.stdout.split())
    )

    result = ok(run, "cluster", "signer", "-c", "Khối I", "-y", "2024", "--clear")
    assert result.stderr == (
        f"{KHOI}, năm 2024: đã xóa người ký Trần Thị Bình, Phó trưởng khối, ký thay Trưởng khối"
        " (KT.); văn bản để trống tên người ký.\n"
    )
    assert query(khoi, "SELECT * FROM cluster_signer") == []
    assert tail("report")[-7:-5] == ["**TM. KHỐI THI ĐUA**  ", "**TRƯỞNG KHỐI**  "]
    again = ok(run, "cluster", "signer", "-c", "Khối I", "-y", "2024", "--clear")
    assert again.stderr == f"{KHOI}, năm 2024: chưa ghi người ký nào; không có gì thay đổi.\n"


def test_a_cums_signer_reads_tm_cum_thi_dua(run, draft_sample, tmp_path):
    # 2020 unlocked: a locked year's signer is frozen
    ok(run, "cluster", "signer", "-c", "Cụm I", "-y", "2020", "--name", "Lê Văn Cường")
    word = tmp_path / "to-trinh.docx"
    ok(run, "submission", "-c", "Cụm I", "-y", "2020", "-o", str(word))
    assert signature(word) == ["TM. CỤM THI ĐUA", "TRƯỞNG CỤM", "Lê Văn Cường"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-c", "Khối I", "-y", "2024", "--name", "   "], 3, "Lỗi: Tên người ký đang để trống.\n"),
        (
            ["-c", "Khối IX", "-y", "2024", "--name", "Nguyễn Văn An"],
            3,
            "Lỗi: Không có cụm thi đua “Khối IX”. Năm 2024 có: Khối các cơ quan Đảng tỉnh.\n",
        ),
        (
            ["-c", "Khối I", "-y", "2030", "--name", "Nguyễn Văn An"],
            3,
            f"Lỗi: {KHOI} chưa có thành viên năm 2030; hãy thêm trước (thidua cluster"
            " carry hoặc thidua cluster join).\n",
        ),
        (["-c", "Khối I", "-y", "2024"], 2, "Lỗi: Hãy dùng --name hoặc --clear (một trong hai).\n"),
        (
            ["-c", "Khối I", "-y", "2024", "--name", "A", "--clear"],
            2,
            "Lỗi: Hãy dùng --name hoặc --clear (một trong hai).\n",
        ),
        (
            ["-c", "Khối I", "-y", "2024", "--clear", "--deputy"],
            2,
            "Lỗi: --deputy đi kèm --name, không dùng với --clear.\n",
        ),
    ],
)
def test_a_bad_signer_is_refused_and_nothing_is_written(run, khoi, args, code, message):
    ok(run, "cluster", "signer", "-c", "Khối I", "-y", "2024", "--name", "Nguyễn Văn An")
    before = snapshot(khoi)
    result = run("cluster", "signer", *args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert snapshot(khoi) == before


def test_a_bundle_carries_the_signer_and_an_older_bundle_still_reads(run, khoi, tmp_path):
    ok(run, "cluster", "signer", "-c", "Khối I", "-y", "2024", "--name", "Trần Thị Bình",
       "--deputy")  # fmt: skip
    bundle = tmp_path / "khoi.json"
    ok(run, "export", str(bundle), "-c", "Khối I", "-y", "2024")
    data = json.loads(bundle.read_text(encoding="utf-8"))
    assert data["signers"] == [
        {"cluster": KHOI, "year": 2024, "name": "Trần Thị Bình", "role": "deputy"}
    ]
    assert data["clusters"][0]["kind"] == "khoi"

    def fresh(name: str) -> Path:
        path = tmp_path / name
        path.unlink(missing_ok=True)
        assert on(path, "init").exit_code == 0
        return path

    board = fresh("ban.db")
    result = on_ok(board, "import", str(bundle))
    assert "1 người ký văn bản" in result.stderr
    assert query(board, "SELECT name, role FROM cluster_signer") == [("Trần Thị Bình", "deputy")]
    report = on_ok(board, "report", "-c", "Khối I", "-y", "2024").stdout
    assert "**KT. TRƯỞNG KHỐI**  " in report and "Trần Thị Bình" in report
    assert "1 cụm/khối mới" in result.stderr
    # the same bundle again: the signer is already there, nothing is new
    again = on_ok(board, "import", str(bundle))
    assert f"Đã nhập {bundle}: không có gì mới;" in again.stderr
    assert query(board, "SELECT name, role FROM cluster_signer") == [("Trần Thị Bình", "deputy")]

    older = tmp_path / "cu.json"
    older.write_text(
        json.dumps({k: v for k, v in data.items() if k != "signers"}, ensure_ascii=False),
        encoding="utf-8",
    )
    board = fresh("ban-cu.db")
    on_ok(board, "import", str(older))
    assert query(board, "SELECT * FROM cluster_signer") == []

    data["signers"][0]["role"] = "chairman"
    broken = tmp_path / "hong.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    board = fresh("ban-hong.db")
    before = snapshot(board)
    result = on(board, "import", str(broken))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[1] == (
        f"  - người ký văn bản của {KHOI}, năm 2024: người ký cần có tên và vai trò leader"
        " (Trưởng) hoặc deputy (Phó trưởng)."
    )
    assert snapshot(board) == before


def test_a_bundle_that_differs_on_the_signer_is_a_conflict(run, khoi, tmp_path):
    ok(run, "cluster", "signer", "-c", "Khối I", "-y", "2024", "--name", "Nguyễn Văn An")
    bundle = tmp_path / "khoi.json"
    ok(run, "export", str(bundle), "-c", "Khối I", "-y", "2024")
    ok(run, "cluster", "signer", "-c", "Khối I", "-y", "2024", "--name", "Trần Thị Bình",
       "--deputy")  # fmt: skip
    before = snapshot(khoi)
    refused = run("import", str(bundle))
    assert refused.exit_code == 3
    assert refused.stderr.splitlines()[1] == (
        f"  - người ký văn bản của {KHOI}, năm 2024: khác với dữ liệu đã có"
    )
    assert snapshot(khoi) == before
    ok(run, "import", str(bundle), "--on-conflict", "replace")
    assert query(khoi, "SELECT name, role FROM cluster_signer") == [("Nguyễn Văn An", "leader")]


# ---------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("number", "vietnamese", "english"),
    [
        (errno.ENOENT, "không có tệp hoặc thư mục này", "no such file or folder"),
        (errno.EACCES, "không có quyền truy cập", "permission denied"),
        (errno.EISDIR, "đây là một thư mục", "it is a folder"),
        (errno.ENOTDIR, "một phần của đường dẫn không phải là thư mục",
         "a part of the path is not a folder"),
        (errno.ENOSPC, "ổ đĩa đã đầy", "the disk is full"),
        (errno.EROFS, "ổ đĩa chỉ cho phép đọc", "the disk is read-only"),
        (errno.EEXIST, "tệp đã tồn tại", "it already exists"),
        (errno.EIO, f"hệ thống từ chối thao tác (mã lỗi {errno.EIO})",
         f"the system refused it (error {errno.EIO})"),
    ],
)  # fmt: skip
def test_an_os_error_is_worded_by_its_number(number, vietnamese, english):
    error = OSError(number, "the system's own English")
    set_language("vi")
    assert os_error_text(error) == vietnamese
    set_language("en")
    try:
        assert os_error_text(error) == english
    finally:
        set_language("vi")


def test_a_write_into_a_missing_folder_says_why_in_vietnamese(run, khoi, tmp_path):
    target = tmp_path / "khong-co" / "bao-cao.md"
    result = run("report", "-c", "Khối I", "-y", "2024", "-o", str(target))
    assert result.exit_code == 6
    assert result.stderr == f"Lỗi: Không ghi được {target}: không có tệp hoặc thư mục này.\n"
    assert not target.parent.exists()


def test_no_doubled_word_in_the_khois_papers_and_messages(run, khoi, tmp_path):
    texts = papers(run, tmp_path)
    texts["election"] = ok(
        run, "elect", "-c", "Khối I", "-y", "2025", "--leader", UNITS[3], "--replace"
    ).stderr
    doubled = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
    for name, text in texts.items():
        assert not [m.group(0) for m in doubled.finditer(text) if not m.group(1).isdigit()], name


def test_a_deputy_signs_only_where_there_is_one(run, khoi):
    ok(run, "cluster", "join", "Khối I", DEPUTY, "-y", "2024", "--role", "member")
    before = snapshot(khoi)
    result = run("cluster", "signer", "-c", "Khối I", "-y", "2024", "--name", "Lê D", "--deputy")
    assert (result.exit_code, result.stderr) == (
        3,
        f"Lỗi: {KHOI} chưa có Phó trưởng khối năm 2024; hãy ghi nhận vai trò này trước"
        " (thidua cluster join --role deputy hoặc thidua elect).\n",
    )
    assert snapshot(khoi) == before
