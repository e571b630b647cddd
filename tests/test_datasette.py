"""Datasette, in process, on the sample: the record views and the canned queries as JSON; and
`thidua datasette` itself, on a file of another name."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from thidua_cli.app.browse import datasette_metadata

datasette_app = pytest.importorskip("datasette.app")

AGRIBANK = "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
BIDV = "Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn"
VIETINBANK = "Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn"
NHCSXH = "Ngân hàng Chính sách xã hội chi nhánh tỉnh Lạng Sơn"
VDB = "Ngân hàng Phát triển tỉnh Lạng Sơn"
CUM_I = "Cụm I - Các tổ chức tín dụng"
CUM_II = "Cụm thi đua II - Các doanh nghiệp Trung ương"
CO = "Cờ thi đua của UBND tỉnh"
BANG_KHEN = "Bằng khen của Chủ tịch UBND tỉnh"

RECORD_VIEWS = {"submitted_ranking", "submitted_proposal", "decision_record"}
DROPPED = {
    "ranking", "award_proposal", "counted_score", "member_score", "member_rule",
    "cluster_year_rule", "award_decision",
}  # fmt: skip


def _metadata(db: Path) -> dict:
    return datasette_metadata(db)


def _fetch(db: Path, url: str) -> tuple[int, str]:
    async def fetch() -> tuple[int, str]:
        ds = datasette_app.Datasette([str(db)], metadata=_metadata(db))
        response = await ds.client.get(url)
        return response.status_code, response.text

    return asyncio.run(fetch())


def _get(db: Path, url: str) -> tuple[int, dict | list]:
    status, text = _fetch(db, url)
    return status, json.loads(text)


def _ok(run: Callable[..., object], *args: str) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]


def test_the_submitted_ranking_view_as_json(sample: Path) -> None:
    status, rows = _get(
        sample,
        "/thidua/submitted_ranking.json?_shape=array&year=2020&period=year&cluster_id=1"
        "&status=submitted&_sort=position"
        "&_col=version&_col=unit&_col=rank&_col=tied&_col=total&_col=award",
    )
    assert status == 200
    assert [(r["version"], r["unit"], r["rank"], r["tied"], r["total"], r["award"])
            for r in rows] == [
        (1, AGRIBANK, 1, 0, 96.5, "co_thi_dua"),
        (1, BIDV, 2, 0, 95.0, "bang_khen"),
        (1, VIETINBANK, 3, 0, 93.5, None),
        (1, NHCSXH, 4, 0, 92.75, None),
        (1, VDB, 5, 0, 91.0, None),
    ]  # fmt: skip
    assert all(isinstance(r["total"], float) for r in rows)  # decimals, not hundredths


def test_the_canned_ranking_query(sample: Path) -> None:
    status, rows = _get(sample, "/thidua/xep_hang_cum_theo_nam.json?_shape=array&nam=2020")
    assert status == 200
    assert len(rows) == 25  # every member of the four clusters submitted in 2020
    assert rows[0] == {
        "Cụm thi đua": CUM_I,
        "Lần nộp": 1,
        "Hạng": 1,
        "Ghi chú": "",
        "Đơn vị": AGRIBANK,
        "Điểm chuẩn": 94.5,
        "Điểm thưởng": 2.0,
        "Điểm trừ": 0.0,
        "Tổng điểm": 96.5,
        "Đề nghị khen thưởng": CO,
    }
    assert [(r["Hạng"], r["Đơn vị"], r["Tổng điểm"], r["Đề nghị khen thưởng"])
            for r in rows[:5]] == [
        (1, AGRIBANK, 96.5, CO),
        (2, BIDV, 95.0, BANG_KHEN),
        (3, VIETINBANK, 93.5, ""),
        (4, NHCSXH, 92.75, ""),
        (5, VDB, 91.0, ""),
    ]  # fmt: skip
    status, rows = _get(sample, "/thidua/xep_hang_cum_theo_nam.json?_shape=array&nam=2017")
    assert (status, rows) == (200, [])  # 2017 was never submitted


def test_the_canned_query_of_proposals(sample: Path) -> None:
    status, rows = _get(sample, "/thidua/de_nghi_khen_thuong_theo_nam.json?_shape=array&nam=2020")
    assert status == 200
    assert len(rows) == 10  # 4 flags and 6 certificates: the proposals of placings.csv
    assert sorted(r["Hình thức đề nghị"] for r in rows) == [BANG_KHEN] * 6 + [CO] * 4
    assert rows[0] == {
        "Cụm thi đua": CUM_I,
        "Đơn vị": AGRIBANK,
        "Xếp hạng": 1,
        "Tổng điểm": 96.5,
        "Hình thức đề nghị": CO,
        "Số quyết định": None,
        "Ngày quyết định": None,
        "Hình thức được khen": None,
        "Quyết định hủy bỏ": None,
        "Ngày hủy bỏ": None,
        "Lý do hủy bỏ": None,
    }


def test_the_proposals_query_shows_decisions_and_revocations(
    sample: Path, run: Callable[..., object]
) -> None:
    _ok(run, "decide", "-y", "2020", "-u", AGRIBANK, "--award", "co_thi_dua",
        "--decision", "123/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    _ok(run, "decide", "-y", "2020", "-u", BIDV, "--award", "bang_khen", "--rejected",
        "--date", "20/01/2021")  # fmt: skip
    _ok(run, "decide", "-y", "2020", "-u", "Chi nhánh Ga Đồng Đăng", "--award", "co_thi_dua",
        "--granted", "bang_khen", "--decision", "124/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    _ok(run, "decide", "revoke", "-y", "2020", "-u", AGRIBANK, "--decision", "45/QĐ-UBND",
        "--date", "01/03/2022", "--reason", "Vi phạm quy định")  # fmt: skip
    status, rows = _get(sample, "/thidua/de_nghi_khen_thuong_theo_nam.json?_shape=array&nam=2020")
    assert status == 200
    assert len(rows) == 10
    decided = [tuple(r.values()) for r in rows if r["Ngày quyết định"] is not None]
    assert decided == [
        (CUM_I, AGRIBANK, 1, 96.5, CO, "123/QĐ-UBND", "20/01/2021", CO,
         "45/QĐ-UBND", "01/03/2022", "Vi phạm quy định"),
        (CUM_I, BIDV, 2, 95.0, BANG_KHEN, None, "20/01/2021", "Không được khen thưởng",
         None, None, None),
        (CUM_II, "Chi nhánh Ga Đồng Đăng", 1, 95.5, CO, "124/QĐ-UBND", "20/01/2021",
         BANG_KHEN, None, None, None),
    ]  # fmt: skip
    status, decisions = _get(
        sample, "/thidua/decision_record.json?_shape=array&_sort=unit_id&_col=unit&_col=granted"
    )
    assert status == 200
    assert [(d["unit"], d["granted"]) for d in decisions] == [
        (AGRIBANK, "co_thi_dua"), (BIDV, None), ("Chi nhánh Ga Đồng Đăng", "bang_khen"),
    ]  # fmt: skip


def test_a_correction_shows_only_the_standing_version(
    sample: Path, run: Callable[..., object]
) -> None:
    _ok(run, "unlock", "-c", "Cụm I", "-y", "2020", "--reason", "Sửa hồ sơ")
    _ok(run, "flag", "add", "-u", BIDV, "-y", "2020", "--reason", "Chưa hoàn thành kế hoạch")
    _ok(run, "submit", "-c", "Cụm I", "-y", "2020", "--date", "15/01/2021")
    status, rows = _get(sample, "/thidua/xep_hang_cum_theo_nam.json?_shape=array&nam=2020")
    assert status == 200
    assert len(rows) == 25  # version 1 of Cụm I, withdrawn, is left out
    assert [(r["Lần nộp"], r["Hạng"], r["Ghi chú"], r["Đơn vị"], r["Đề nghị khen thưởng"])
            for r in rows[:5]] == [
        (2, 1, "", AGRIBANK, CO),
        (2, 2, "không đủ điều kiện khen thưởng: Chưa hoàn thành kế hoạch", BIDV, ""),
        (2, 3, "", VIETINBANK, BANG_KHEN),
        (2, 4, "", NHCSXH, ""),
        (2, 5, "", VDB, ""),
    ]  # fmt: skip
    status, proposals = _get(
        sample, "/thidua/de_nghi_khen_thuong_theo_nam.json?_shape=array&nam=2020"
    )
    assert status == 200
    assert [r["Đơn vị"] for r in proposals[:2]] == [AGRIBANK, VIETINBANK]
    status, versions = _get(
        sample,
        "/thidua/submitted_proposal.json?_shape=array&cluster_id=1&year=2020"
        "&_sort=version&_col=version&_col=status&_col=unit",
    )
    assert status == 200
    assert sorted((v["version"], v["status"], v["unit"]) for v in versions) == [
        (1, "withdrawn", AGRIBANK), (1, "withdrawn", BIDV),
        (2, "submitted", AGRIBANK), (2, "submitted", VIETINBANK),
    ]  # fmt: skip


def test_the_metadata_titles_the_views(sample: Path) -> None:
    status, page = _get(sample, "/thidua.json")
    assert status == 200
    assert {v["name"] for v in page["views"]} == RECORD_VIEWS  # type: ignore[index]
    tables = {t["name"]: t["hidden"] for t in page["tables"]}  # type: ignore[index]
    assert not DROPPED & (set(tables) | RECORD_VIEWS)
    assert {"submission", "submission_row", "decision", "revocation"} <= set(tables)
    # the raw rows that the record views show with names and decimals, and the audit's internals
    assert sorted(name for name, hidden in tables.items() if hidden) == [
        "audit_context", "decision", "revocation", "submission_row",
    ]  # fmt: skip
    titles = {q["name"]: q["title"] for q in page["queries"]}  # type: ignore[index]
    assert titles == {
        "xep_hang_cum_theo_nam": "Xếp hạng cụm theo năm",
        "de_nghi_khen_thuong_theo_nam": "Đề nghị khen thưởng theo năm",
    }
    status, html = _fetch(sample, "/thidua/submitted_ranking")
    assert status == 200
    assert "<h1>Xếp hạng đã nộp (view)</h1>" in html
    assert "Tổng điểm = điểm chuẩn + điểm thưởng - điểm trừ" in html  # a column's description


def test_the_metadata_names_only_what_exists(sample: Path) -> None:
    """Every table, view and column the metadata describes is in the sample, and every table
    and view of the sample has a title or is hidden."""
    conn = sqlite3.connect(sample)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')"
                " AND name NOT LIKE 'sqlite_%'"
            )
        ]
        columns = {n: {r[1] for r in conn.execute(f"PRAGMA table_info({n})")} for n in names}
    finally:
        conn.close()
    described = _metadata(sample)["databases"]["thidua"]["tables"]
    assert set(described) <= set(columns), set(described) - set(columns)
    for name, meta in described.items():
        named = set(meta.get("columns", {})) | set(filter(None, [meta.get("label_column")]))
        assert named <= columns[name], (name, named - columns[name])
    untitled = [n for n in names if "title" not in described.get(n, {})]
    assert [n for n in untitled if not described.get(n, {}).get("hidden")] == []


def _demo(sample: Path) -> Path:
    """The tour's file name: Datasette calls this database "demo"."""
    demo = sample.with_name("demo.db")
    shutil.copyfile(sample, demo)
    return demo


def test_a_database_of_another_name_gets_the_titles_queries_and_hidden_tables(
    sample: Path,
) -> None:
    demo = _demo(sample)
    status, rows = _get(demo, "/demo/xep_hang_cum_theo_nam.json?_shape=array&nam=2020")
    assert status == 200
    assert (rows[0]["Cụm thi đua"], rows[0]["Đơn vị"], rows[0]["Tổng điểm"]) == (  # type: ignore[index]
        CUM_I, AGRIBANK, 96.5,
    )  # fmt: skip
    status, page = _get(demo, "/demo.json")
    assert status == 200
    hidden = sorted(t["name"] for t in page["tables"] if t["hidden"])  # type: ignore[index]
    assert hidden == ["audit_context", "decision", "revocation", "submission_row"]
    status, html = _fetch(demo, "/demo/unit")
    assert status == 200
    assert "<h1>Đơn vị</h1>" in html
    # names instead of ids: a membership row links its unit by the unit's name
    status, members = _get(demo, "/demo/membership.json?_shape=array&_labels=on&year=2020&_size=1")
    assert status == 200
    assert isinstance(members[0]["unit_id"]["label"], str)  # type: ignore[index]


def test_thidua_datasette_serves_the_file_it_is_given(sample: Path) -> None:
    """The command end to end, through Datasette's --get (one request, no server left running)."""
    demo = _demo(sample)
    done = subprocess.run(
        [sys.executable, "-m", "thidua_cli", "datasette", "--db", str(demo), "--",
         "--get", "/demo/de_nghi_khen_thuong_theo_nam.json?_shape=array&nam=2020"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == 10
    assert (rows[0]["Đơn vị"], rows[0]["Hình thức đề nghị"]) == (AGRIBANK, CO)
