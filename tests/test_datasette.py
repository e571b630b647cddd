"""Datasette, in process, on the sample: the ranking view and the canned queries as JSON."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

datasette_app = pytest.importorskip("datasette.app")

METADATA = Path(__file__).resolve().parent.parent / "data" / "datasette-metadata.json"


def _get(db: Path, url: str) -> tuple[int, dict | list]:
    async def fetch() -> tuple[int, dict | list]:
        ds = datasette_app.Datasette([str(db)], metadata=json.loads(METADATA.read_text("utf-8")))
        response = await ds.client.get(url)
        return response.status_code, response.json()

    return asyncio.run(fetch())


def test_the_ranking_view_as_json(sample: Path) -> None:
    assert sample.stem == "thidua"  # the metadata names the database "thidua"
    status, rows = _get(
        sample,
        "/thidua/ranking.json?_shape=array&year=2020&period=year&cluster_id=1&_sort=rank"
        "&_col=unit&_col=rank&_col=total&_col=award",
    )
    assert status == 200
    assert [(r["unit"], r["rank"], r["total"], r["award"]) for r in rows] == [
        ("Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn", 1, 9650,
         "co_thi_dua"),
        ("Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn", 2, 9500, "bang_khen"),
        ("Ngân hàng TMCP Công Thương Việt Nam chi nhánh tỉnh Lạng Sơn", 3, 9350, None),
        ("Ngân hàng Chính sách xã hội chi nhánh tỉnh Lạng Sơn", 4, 9275, None),
        ("Ngân hàng Phát triển tỉnh Lạng Sơn", 5, 9100, None),
    ]  # fmt: skip


def test_the_canned_query_of_proposals(sample: Path) -> None:
    status, rows = _get(sample, "/thidua/de_nghi_khen_thuong_theo_nam.json?_shape=array&nam=2020")
    assert status == 200
    assert len(rows) == 10  # 4 flags and 6 certificates: the proposals of placings.csv
    assert rows[0] == {
        "Cụm thi đua": "Cụm I - Các tổ chức tín dụng",
        "Đơn vị": "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        "Xếp hạng": 1,
        "Tổng điểm": 96.5,
        "Hình thức khen thưởng": "Cờ thi đua của UBND tỉnh",
        "Số quyết định": None,
    }


def test_the_metadata_titles_the_views(sample: Path) -> None:
    status, page = _get(sample, "/thidua.json")
    assert status == 200
    assert {"ranking", "award_proposal"} <= {v["name"] for v in page["views"]}  # type: ignore[index]
    titles = {q["name"]: q["title"] for q in page["queries"]}  # type: ignore[index]
    assert titles == {
        "xep_hang_cum_theo_nam": "Xếp hạng cụm theo năm",
        "de_nghi_khen_thuong_theo_nam": "Đề nghị khen thưởng theo năm",
    }
