"""`thidua criteria template -o FILE`: the bundled 100-point criteria set, to edit and import."""

from __future__ import annotations

from conftest import query
from thidua_cli.app.sample import data_dir

TEMPLATE = data_dir() / "criteria-template.csv"


def test_the_template_is_the_bundled_file_byte_for_byte_and_imports(run, db, tmp_path):
    target = tmp_path / "tieu-chi.csv"
    result = run("criteria", "template", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == TEMPLATE.read_bytes()
    assert result.stderr == (
        f"Đã ghi bảng tiêu chí mẫu vào {target}; sửa cho phù hợp rồi nhập: "
        f"thidua criteria import {target} --default --year NĂM\n"
    )
    assert result.stdout == ""
    imported = run("criteria", "import", str(target), "--default", "--year", "2024")
    assert imported.exit_code == 0, imported.output
    assert query(db, "SELECT count(*), sum(max_points) FROM criterion WHERE kind = 'base'") == [
        (10, 10000)
    ]


def test_the_template_needs_no_database(run, fresh_db, tmp_path):
    result = run("criteria", "template", "-o", str(tmp_path / "t.csv"))
    assert result.exit_code == 0, result.output
    assert not fresh_db.exists()


def test_dash_writes_the_template_to_stdout(run, tmp_path):
    result = run("criteria", "template", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == TEMPLATE.read_bytes()
    assert result.stderr == ""
    assert not (tmp_path / "-").exists()


def test_an_existing_file_is_kept_unless_replace(run, tmp_path):
    target = tmp_path / "tieu-chi.csv"
    target.write_text("STT,Nội dung tiêu chí\n1,đã sửa\n", encoding="utf-8")
    result = run("criteria", "template", "-o", str(target))
    assert result.exit_code == 3
    assert result.stderr == f"Lỗi: {target} đã có; dùng --replace để ghi đè.\n"
    assert target.read_text(encoding="utf-8") == "STT,Nội dung tiêu chí\n1,đã sửa\n"
    replaced = run("criteria", "template", "-o", str(target), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert target.read_bytes() == TEMPLATE.read_bytes()


def test_a_suffix_other_than_csv_is_a_usage_error_and_nothing_is_written(run, tmp_path):
    target = tmp_path / "tieu-chi.xlsx"
    result = run("criteria", "template", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Lỗi: Bảng tiêu chí mẫu là tệp CSV; hãy đặt tên TỆP.csv (không phải {target}).\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_refused(run, tmp_path):
    folder = tmp_path / "tieu-chi.csv"
    folder.mkdir()
    result = run("criteria", "template", "-o", str(folder))
    assert result.exit_code == 2
    assert "Lỗi: Giá trị không hợp lệ cho '--output' / '-o'" in result.stderr
    assert list(folder.iterdir()) == []


def test_the_use_case_refuses_a_folder_too(tmp_path):
    import pytest

    from thidua_cli.app.scoring import write_criteria_template
    from thidua_cli.errors import InvalidInput

    folder = tmp_path / "tieu-chi.csv"
    folder.mkdir()
    with pytest.raises(InvalidInput, match="là thư mục"):
        write_criteria_template(folder, replace=True)
    assert list(folder.iterdir()) == []


def test_a_missing_folder_is_an_io_error_and_nothing_is_written(run, tmp_path):
    target = tmp_path / "khong-co" / "tieu-chi.csv"
    result = run("criteria", "template", "-o", str(target))
    assert result.exit_code == 6
    assert result.stderr.startswith(f"Lỗi: Không ghi được {target}")
    assert not target.parent.exists()


def test_no_output_is_a_usage_error(run):
    result = run("criteria", "template")
    assert result.exit_code == 2
    assert "--output" in result.stderr
