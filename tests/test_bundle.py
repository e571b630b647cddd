"""`thidua export` and `thidua import`: a year travels from a cluster to the province."""

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from conftest import query, snapshot
from thidua_cli.cli.app import app
from thidua_cli.i18n import set_language

CONTENT = [
    "units",
    "clusters",
    "memberships",
    "conferences",
    "covenants",
    "criteria_sets",
    "scores",
    "votes",
    "flags",
    "policies",
    "submissions",
    "decisions",
    "locks",
]


def content(bundle: dict) -> dict:
    """What a bundle says, in an order that does not depend on row ids."""
    return {k: sorted(json.dumps(x, sort_keys=True) for x in bundle[k]) for k in CONTENT}


def on(path, *args):
    result = CliRunner().invoke(
        app, list(args), env={"THIDUA_DB": str(path)}, catch_exceptions=False
    )
    set_language("vi")
    return result


@pytest.fixture
def board(tmp_path):
    """The provincial Board's database: empty, thidua's schema."""
    path = tmp_path / "ban-tdkt.db"
    assert on(path, "init").exit_code == 0
    return path


@pytest.fixture
def full(run, draft_sample):
    """The sample with a vote, a flag, a policy, a covenant, a submission withdrawn and one
    standing (which locks Cụm I 2020), decisions and a revocation."""
    for args in (
        ["vote", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--votes", "4", "--voters",
         "5"],
        ["flag", "add", "-y", "2020", "-u", "VDB", "--reason", "Chưa hoàn thành kế hoạch"],
        ["policy", "set", "-c", "Cụm I", "-y", "2020", "--bang-khen-quota", "1"],
        ["covenant", "sign", "-c", "Cụm I", "-y", "2021", "--date", "2021-01-06", "--replace"],
        ["submit", "-c", "Cụm I", "-y", "2020", "--date", "2021-01-06", "--number", "3/TTr-CTĐ"],
        ["decide", "-y", "2020", "-u", "Agribank", "--award", "co_thi_dua", "--decision",
         "1/QĐ", "--date", "2021-01-20"],
        ["decide", "-y", "2020", "-u", "BIDV", "--award", "bang_khen", "--rejected", "--date",
         "2021-01-20"],
        ["decide", "revoke", "-y", "2020", "-u", "Agribank", "--decision", "2/QĐ", "--date",
         "2021-03-01", "--reason", "Kỷ luật"],
    ):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    return draft_sample


def test_the_whole_database_round_trips(run, full, board, tmp_path):
    out = tmp_path / "toan-bo.json"
    result = run("export", str(out))
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert (exported["format"], exported["version"]) == ("thidua-bundle", 2)
    assert [(x["cluster"][:6], x["version"], x["status"]) for x in exported["submissions"]] == [
        ("Cụm I ", 1, "withdrawn"),
        ("Cụm I ", 2, "submitted"),
        ("Cụm th", 1, "withdrawn"),
        ("Cụm th", 1, "withdrawn"),
        ("Cụm th", 1, "withdrawn"),
    ]
    assert exported["decisions"][0] == {
        "cluster": "Cụm I - Các tổ chức tín dụng",
        "year": 2020,
        "version": 2,
        "unit": "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        "award": "co_thi_dua",
        "granted": "co_thi_dua",
        "number": "1/QĐ",
        "date": "2021-01-20",
        "revoked": {"number": "2/QĐ", "date": "2021-03-01", "reason": "Kỷ luật"},
    }
    assert exported["settings"] == {"province": "Lạng Sơn"}
    merged = on(board, "import", str(out))
    assert merged.exit_code == 0, merged.output
    again = tmp_path / "lai.json"
    assert on(board, "export", str(again)).exit_code == 0
    assert content(json.loads(again.read_text(encoding="utf-8"))) == content(exported)
    assert (
        on(board, "rank", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout
        == run("rank", "-c", "Cụm I", "-y", "2020", "-f", "json").stdout
    )
    # the same bundle again: nothing new, nothing refused
    before = snapshot(board)
    twice = on(board, "import", str(out))
    assert twice.exit_code == 0, twice.output
    assert "không có gì mới" in twice.stderr
    after = snapshot(board)
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


def test_a_cluster_year_bundle_holds_only_that_cluster_year(run, full, tmp_path):
    out = tmp_path / "cum-i-2020.json"
    assert run("export", str(out), "-c", "Cụm I", "-y", "2020").exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["scope"] == {"cluster": "Cụm I - Các tổ chức tín dụng", "year": 2020}
    assert {m["cluster"] for m in data["memberships"]} == {"Cụm I - Các tổ chức tín dụng"}
    assert {m["year"] for m in data["memberships"]} == {2020}
    assert len(data["units"]) == 5 and len(data["scores"]) == 54
    assert data["flags"] == [
        {"unit": "Ngân hàng Phát triển tỉnh Lạng Sơn", "year": 2020,
         "reason": "Chưa hoàn thành kế hoạch"}
    ]  # fmt: skip
    assert data["locks"] == [{"cluster": "Cụm I - Các tổ chức tín dụng", "year": 2020}]
    assert [(x["version"], x["status"]) for x in data["submissions"]] == [
        (1, "withdrawn"),
        (2, "submitted"),
    ]
    assert {d["unit"][:9] for d in data["decisions"]} == {"Ngân hàng"}
    assert [s["cluster"] for s in data["criteria_sets"]] == [None]  # the province default applies
    assert data["settings"] == {}


def test_a_secretariat_sends_its_year_and_the_board_merges_it(run, sample, board, tmp_path):
    # The Board holds the province's units and the 2020 submissions already.
    whole = tmp_path / "toan-bo.json"
    run("export", str(whole))
    assert on(board, "import", str(whole)).exit_code == 0
    # The secretariat of Cụm II corrects its year (a vote) and submits it again.
    assert run("unlock", "-c", "Cụm II", "-y", "2020", "--reason", "Bổ sung phiếu").exit_code == 0
    run("vote", "set", "-c", "Cụm II", "-y", "2020", "-u", "Ga Đồng Đăng", "--votes", "5")
    assert run("submit", "-c", "Cụm II", "-y", "2020", "--date", "2021-01-10").exit_code == 0
    year = tmp_path / "cum-ii-2020.json"
    assert run("export", str(year), "-c", "Cụm II", "-y", "2020").exit_code == 0
    # The Board's copy of the year is locked: it opens it to receive the corrected file.
    before = snapshot(board)
    refused = on(board, "import", str(year))
    assert refused.exit_code == 3
    assert "dữ liệu cụm-năm này đang khóa ở đây" in refused.stderr
    assert snapshot(board) == before
    assert on(board, "unlock", "-c", "Cụm II", "-y", "2020", "--reason", "Nhận hồ sơ sửa"
              ).exit_code == 0  # fmt: skip
    merged = on(board, "import", str(year))
    assert merged.exit_code == 0, merged.output
    assert "1 phiếu bình xét" in merged.stderr and "1 hồ sơ" in merged.stderr
    assert query(board, "SELECT votes FROM vote") == [(5,)]
    assert query(
        board,
        "SELECT s.version, s.status, s.submitted_on FROM submission s JOIN cluster c"
        " ON c.id = s.cluster_id WHERE c.code = 'Cụm II' ORDER BY 1",
    ) == [(1, "withdrawn", "2021-01-05"), (2, "submitted", "2021-01-10")]
    assert query(board, "SELECT count(*) FROM cluster_lock") == [(4,)]


def test_a_conflict_is_refused_whole_unless_told_how(run, draft_sample, board, tmp_path):
    whole = tmp_path / "toan-bo.json"
    run("export", str(whole))
    assert on(board, "import", str(whole)).exit_code == 0
    # The Board corrected a score; the secretariat also added a vote.
    assert on(board, "score", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--criterion",
              "T.1", "--points", "0.5").exit_code == 0  # fmt: skip
    run("vote", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--votes", "3")
    year = tmp_path / "cum-i.json"
    run("export", str(year), "-c", "Cụm I", "-y", "2020")
    before = snapshot(board)
    refused = on(board, "import", str(year))
    assert refused.exit_code == 3
    assert refused.stderr.startswith("Lỗi: Không nhập gì: 0 lỗi và 1 xung đột với dữ liệu hiện có")
    assert (
        "  - Cụm I - Các tổ chức tín dụng, 2020, Ngân hàng TMCP Đầu tư và Phát triển chi nhánh"
        " tỉnh Lạng Sơn, T.1: 0.5 ở đây, 1 trong gói" in refused.stderr
    )
    assert snapshot(board) == before  # the vote was not written either
    kept = on(board, "import", str(year), "--on-conflict", "keep")
    assert kept.exit_code == 0, kept.output
    points = (
        "SELECT s.points FROM score s JOIN criterion c ON c.id = s.criterion_id"
        " JOIN unit u ON u.id = s.unit_id WHERE c.code = 'T.1' AND u.short_name = 'BIDV Lạng Sơn'"
    )
    assert query(board, points) == [(50,)]
    assert query(board, "SELECT votes FROM vote") == [(3,)]
    replaced = on(board, "import", str(year), "--on-conflict", "replace")
    assert replaced.exit_code == 0, replaced.output
    assert query(board, points) == [(100,)]


def test_a_locked_cluster_year_here_is_not_changed_by_a_bundle(run, sample, board, tmp_path):
    whole = tmp_path / "toan-bo.json"
    run("export", str(whole))
    assert on(board, "import", str(whole)).exit_code == 0  # Cụm I 2020 submitted, locked
    assert run("unlock", "-c", "Cụm I", "-y", "2020", "--reason", "Bổ sung").exit_code == 0
    run("vote", "set", "-c", "Cụm I", "-y", "2020", "-u", "BIDV", "--votes", "3")
    year = tmp_path / "cum-i.json"
    run("export", str(year), "-c", "Cụm I", "-y", "2020")
    before = snapshot(board)
    refused = on(board, "import", str(year))
    assert refused.exit_code == 3
    assert "dữ liệu cụm-năm này đang khóa ở đây" in refused.stderr
    assert snapshot(board) == before


def test_a_unit_in_another_cluster_here_is_a_problem(run, sample, board, tmp_path):
    whole = tmp_path / "toan-bo.json"
    run("export", str(whole))
    data = json.loads(whole.read_text(encoding="utf-8"))
    assert on(board, "import", str(whole)).exit_code == 0
    for m in data["memberships"]:
        if m["unit"] == "Sở Tư pháp" and m["year"] == 2020:
            m["cluster"] = "Cụm I - Các tổ chức tín dụng"
            m["role"] = "member"
    data["scores"] = []
    moved = tmp_path / "chuyen.json"
    moved.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = snapshot(board)
    refused = on(board, "import", str(moved))
    assert refused.exit_code == 3
    assert (
        "  - Cụm I - Các tổ chức tín dụng, 2020, Sở Tư pháp: đơn vị đã thuộc cụm khác trong năm"
        " đó ở đây." in refused.stderr
    )
    assert snapshot(board) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "Lỗi: {path} không phải gói dữ liệu JSON"),
        ('{"format": "other"}', "Lỗi: Tệp này không phải gói dữ liệu thidua."),
        ('{"format": "thidua-bundle", "version": 9}',
         "Lỗi: Gói dữ liệu do phiên bản thidua mới hơn"),
        ('{"format": "thidua-bundle", "version": 1, "units": [{"short_name": "x"}]}',
         "Lỗi: Mục units thứ 1 của gói thiếu name."),
        ('{"format": "thidua-bundle", "version": 1, "scores": [{"cluster": "Không có", "year":'
         ' 2020, "period": "year", "unit": "Ai", "criterion": "1", "source": "final",'
         ' "points": 1}]}', "Lỗi: Không nhập gì: 2 lỗi"),
    ],
)  # fmt: skip
def test_a_bad_bundle_is_refused_and_nothing_written(board, tmp_path, text, message):
    path = tmp_path / "goi.json"
    path.write_text(text, encoding="utf-8")
    before = snapshot(board)
    result = on(board, "import", str(path))
    assert result.exit_code == 3
    assert result.stderr.startswith(message.format(path=path))
    assert snapshot(board) == before


def test_export_cluster_needs_a_year(run, sample, tmp_path):
    result = run("export", str(tmp_path / "x.json"), "-c", "Cụm I")
    assert result.exit_code == 2
    assert not (tmp_path / "x.json").exists()


def test_an_imported_bundle_is_logged(run, sample, board, tmp_path):
    whole = tmp_path / "toan-bo.json"
    run("export", str(whole))
    on(board, "import", str(whole))
    conn = sqlite3.connect(board)
    entry = conn.execute(
        "SELECT tbl, action, new FROM audit WHERE action = 'import' ORDER BY id DESC"
    ).fetchone()
    conn.close()
    assert entry[:2] == ("bundle", "import")
    assert json.loads(entry[2])["scores"] == 266


# ---------------------------------------------------------------- what a source reports


FACTS = ("reported_placings", "illustrative_scores")


def test_the_reported_placings_and_the_illustrative_marks_travel(run, sample, board, tmp_path):
    whole = tmp_path / "toan-bo.json"
    assert run("export", str(whole)).exit_code == 0
    exported = json.loads(whole.read_text(encoding="utf-8"))
    assert len(exported["reported_placings"]) == 10
    assert exported["reported_placings"][0] == {
        "cluster": "Cụm I - Các tổ chức tín dụng", "year": 2020, "period": "year",
        "unit": "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        "place": 1, "award": "co_thi_dua", "source": "000_07693526e324123e.txt",
    }  # fmt: skip
    assert len(exported["illustrative_scores"]) == 4
    merged = on(board, "import", str(whole))
    assert merged.exit_code == 0, merged.output
    assert "10 thứ hạng theo bài báo cáo" in merged.stderr
    assert "4 đánh dấu số liệu minh họa" in merged.stderr
    again = tmp_path / "lai.json"
    assert on(board, "export", str(again)).exit_code == 0
    back = json.loads(again.read_text(encoding="utf-8"))
    assert {k: back[k] for k in FACTS} == {k: exported[k] for k in FACTS}
    # the Board's papers say what the secretariat's say
    for args in (("report", "-c", "cơ quan Trung ương", "-y", "2020"), ("awards", "-y", "2020")):
        assert on(board, *args).stdout == run(*args).stdout
    # one cluster-year carries its own only
    year = tmp_path / "cum-i.json"
    assert run("export", str(year), "-c", "Cụm I", "-y", "2020").exit_code == 0
    scoped = json.loads(year.read_text(encoding="utf-8"))
    assert {p["cluster"] for p in scoped["reported_placings"]} == {"Cụm I - Các tổ chức tín dụng"}
    assert len(scoped["illustrative_scores"]) == 1
    # the same bundle again: nothing new
    twice = on(board, "import", str(whole))
    assert twice.exit_code == 0 and "không có gì mới" in twice.stderr


def test_a_bundle_without_them_still_reads(run, sample, board, tmp_path):
    whole = tmp_path / "toan-bo.json"
    run("export", str(whole))
    data = json.loads(whole.read_text(encoding="utf-8"))
    for key in FACTS:
        del data[key]
    older = tmp_path / "cu.json"
    older.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    merged = on(board, "import", str(older))
    assert merged.exit_code == 0, merged.output
    assert query(board, "SELECT count(*) FROM reported_placing") == [(0,)]
    assert query(board, "SELECT count(*) FROM illustrative_scores") == [(0,)]
    assert "Số liệu minh họa" not in on(board, "rank", "-c", "Cụm I", "-y", "2020").stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["reported_placings"][0].update(place=0),
         "  - thứ hạng theo bài báo cáo của Ngân hàng Nông nghiệp và Phát triển nông thôn chi"
         " nhánh tỉnh Lạng Sơn trong Cụm I - Các tổ chức tín dụng, năm 2020: thứ hạng không hợp"
         " lệ."),
        (lambda d: d["reported_placings"][0].update(unit="Sở Nội vụ"),
         "  - thứ hạng theo bài báo cáo của Sở Nội vụ trong Cụm I - Các tổ chức tín dụng, năm"
         " 2020: Sở Nội vụ không phải thành viên của cụm"),
        (lambda d: d["illustrative_scores"][0].update(note=" "),
         "  - số liệu minh họa của Cụm I - Các tổ chức tín dụng, năm 2020: ghi chú không hợp lệ."),
        (lambda d: d["illustrative_scores"][0].update(note="Khác"),
         "  - số liệu minh họa của Cụm I - Các tổ chức tín dụng, năm 2020: khác với dữ liệu đã có"),
    ],
)  # fmt: skip
def test_a_bad_or_contrary_fact_is_refused_whole(run, sample, board, tmp_path, change, message):
    whole = tmp_path / "toan-bo.json"
    run("export", str(whole))
    assert on(board, "import", str(whole)).exit_code == 0
    data = json.loads(whole.read_text(encoding="utf-8"))
    change(data)
    bad = tmp_path / "sai.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = snapshot(board)
    refused = on(board, "import", str(bad))
    assert refused.exit_code == 3
    assert message in refused.stderr
    assert snapshot(board) == before
