"""`thidua datasette` without Datasette: the metadata built for the file served, the refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from thidua_cli.app import browse


def test_the_metadata_is_keyed_by_the_file_stem() -> None:
    metadata = browse.datasette_metadata(Path("/somewhere/demo.db"))
    assert list(metadata["databases"]) == ["demo"]
    demo = metadata["databases"]["demo"]
    assert demo["tables"]["unit"]["title"] == "Đơn vị"
    assert demo["tables"]["unit"]["label_column"] == "name"
    assert demo["tables"]["submitted_ranking"]["title"] == "Xếp hạng đã nộp"
    assert {name: query["title"] for name, query in demo["queries"].items()} == {
        "xep_hang_cum_theo_nam": "Xếp hạng cụm theo năm",
        "de_nghi_khen_thuong_theo_nam": "Đề nghị khen thưởng theo năm",
    }
    hidden = sorted(name for name, table in demo["tables"].items() if table.get("hidden"))
    assert hidden == ["audit_context", "decision", "revocation", "submission_row"]
    # each call starts from the shipped file: another name gets the same description
    assert browse.datasette_metadata(Path("x.sqlite"))["databases"]["x"] == demo


def test_the_metadata_ships_inside_the_package_or_the_checkout() -> None:
    assert browse.metadata_path().is_file()
    assert browse.metadata_path().parent.name == "data"


def test_without_datasette_the_command_says_how_to_install_it(
    sample: Path, run: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browse, "datasette_installed", lambda: False)
    result = run("datasette")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.output == (  # type: ignore[attr-defined]
        "Lỗi: Chưa cài Datasette. Cài vào cùng môi trường với thidua bằng lệnh: "
        "pip install 'datasette>=0.65.5,<0.66' (hoặc, trong thư mục mã nguồn của thidua: "
        "pip install '.[datasette]').\n"
    )


def test_a_missing_database_is_refused_before_datasette_starts(
    run: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browse, "datasette_installed", lambda: True)
    started: list[object] = []
    monkeypatch.setattr(browse.subprocess, "run", lambda *a, **k: started.append(a))
    result = run("datasette", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 5  # type: ignore[attr-defined]
    assert "none.db" in result.output  # type: ignore[attr-defined]
    assert started == []
    assert not (tmp_path / "none.db").exists()
