"""One rule for -o and --format, for every command that writes rows or a paper.

The matrix runs each command with each suffix and reads the file back the way its reader would
(csv, json, openpyxl, python-docx, a browser's <html, Markdown's table); a suffix the command
cannot write, or one that contradicts --format, is exit 2 with nothing written. Files take the
user's umask; CSV and JSON do not change with --lang; the JSON shapes are in schemas/.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thidua_cli.cli.app import app
from thidua_cli.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"

# command -> its arguments on the sample (Cụm I, 2020)
ROWS = {
    "rank": ["rank", "-c", "Cụm I", "-y", "2020"],
    "awards": ["awards", "-y", "2020"],
    "history-unit": ["history", "-u", "Agribank"],
    "history-cluster": ["history", "-c", "Cụm I - Các tổ chức tín dụng"],
    "unit-list": ["unit", "list", "-y", "2020"],
    "cluster-list": ["cluster", "list"],
    "cluster-show": ["cluster", "show", "Cụm I", "-y", "2020"],
    "criteria-list": ["criteria", "list", "-c", "Cụm I", "-y", "2020"],
    "score-show": ["score", "show", "-c", "Cụm I", "-y", "2020"],
    "rating-list": ["rating", "list", "-y", "2020"],
    "nominate": ["nominate", "-y", "2020"],
    "log": ["log"],
    "elect-suggest": ["elect", "-c", "Cụm I", "-y", "2020", "--suggest"],
    "settings-show": ["settings", "show"],
    "flag-list": ["flag", "list"],
    "policy-show": ["policy", "show", "-c", "Cụm I", "-y", "2020"],
    "score-diff": ["score", "diff", "-c", "Cụm I", "-y", "2021"],
}
PAPERS = {
    "report": ["report", "-y", "2020", "-c", "Cụm I"],
    "report-province": ["report", "-y", "2020"],
    "submission": ["submission", "-y", "2020"],
    "minutes": ["minutes", "-c", "Cụm I", "-y", "2020"],
}
ROW_SUFFIXES = (".csv", ".json", ".md", ".html", ".xlsx")
PAPER_SUFFIXES = (".md", ".html", ".docx", ".json")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "demo.db"
    result = CliRunner().invoke(app, ["init", "--sample", "--db", str(path)])
    set_language("vi")
    assert result.exit_code == 0, result.output
    # a self-score and a peer score in an open year, for `score diff`
    criteria = path.parent / "tieu-chi.csv"
    for words in (
        ["criteria", "template", "-o", str(criteria)],
        ["criteria", "import", str(criteria), "-c", "Cụm I", "-y", "2021", "--db", str(path)],
    ):
        done = CliRunner().invoke(app, words)
        assert done.exit_code == 0, done.output
    for points, source in (
        ("28", ["--source", "self"]),
        ("25", ["--source", "peer", "--scorer", "BIDV"]),
    ):
        scored = CliRunner().invoke(
            app,
            ["score", "set", "-c", "Cụm I", "-y", "2021", "-u", "Agribank", "-k", "1.1",
             "-p", points, *source, "--db", str(path)],
        )  # fmt: skip
        assert scored.exit_code == 0, scored.output
    return path


def call(db: Path, args: list[str], *extra: str, lang: str | None = None) -> object:
    words = (["--lang", lang] if lang else []) + [*args, *extra, "--db", str(db)]
    result = CliRunner().invoke(app, words, catch_exceptions=False)
    set_language("vi")
    return result


def check_content(path: Path, suffix: str) -> None:
    """The file is what its suffix says, read by that format's own reader."""
    data = path.read_bytes()
    if suffix == ".csv":
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM that tells Excel it is UTF-8
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows and all(cell for cell in rows[0]), rows[:1]
        assert all(len(row) == len(rows[0]) for row in rows)
    elif suffix == ".json":
        loaded = json.loads(data)
        if isinstance(loaded, dict):
            assert loaded["schema_version"] == 1
        else:
            assert isinstance(loaded, list)
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
        assert any(header)
    elif suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        assert any(p.text.strip() for p in document.paragraphs)
    elif suffix == ".html":
        assert "<html" in data.decode("utf-8")
    elif suffix == ".md":
        text = data.decode("utf-8")
        assert "\n|" in "\n" + text or text.lstrip().startswith("#") or "**" in text
    else:  # pragma: no cover
        raise AssertionError(suffix)


@pytest.mark.parametrize("suffix", ROW_SUFFIXES)
@pytest.mark.parametrize("name", ROWS)
def test_rows_follow_the_suffix(sample_db: Path, tmp_path: Path, name: str, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    result = call(sample_db, ROWS[name], "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    check_content(target, suffix)


@pytest.mark.parametrize("suffix", PAPER_SUFFIXES)
@pytest.mark.parametrize("name", PAPERS)
def test_papers_follow_the_suffix(sample_db: Path, tmp_path: Path, name: str, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    result = call(sample_db, PAPERS[name], "-o", str(target))
    assert result.exit_code == 0, result.output
    check_content(target, suffix)


@pytest.mark.parametrize(
    ("args", "suffix", "known"),
    [
        *((args, suffix, ".csv, .html, .json, .md, .xlsx") for args in ROWS.values()
          for suffix in (".docx", ".pdf")),
        *((args, suffix, ".docx, .html, .json, .md") for args in PAPERS.values()
          for suffix in (".csv", ".xlsx", ".pdf")),
    ],
)  # fmt: skip
def test_a_suffix_the_command_cannot_write_is_refused(
    sample_db: Path, tmp_path: Path, args: list[str], suffix: str, known: str
) -> None:
    target = tmp_path / f"out{suffix}"
    result = call(sample_db, args, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Lỗi: Lệnh này không ghi được tệp “{suffix}” ({target}); lệnh ghi được: {known}.\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "fmt", "name"),
    [
        (PAPERS["report"], "html", "q.docx"),
        (ROWS["awards"], "json", "q.xlsx"),
        (ROWS["rank"], "csv", "q.json"),
        (ROWS["history-unit"], "json", "q.csv"),
        (ROWS["elect-suggest"], "md", "q.csv"),
    ],
)
def test_a_format_that_contradicts_the_suffix_is_refused(
    sample_db: Path, tmp_path: Path, args: list[str], fmt: str, name: str
) -> None:
    target = tmp_path / name
    result = call(sample_db, args, "-f", fmt, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Lỗi: --format {fmt} mâu thuẫn với tên tệp {target}; hãy bỏ một trong hai.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_format_may_repeat_the_suffix(sample_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    result = call(sample_db, ROWS["rank"], "-f", "csv", "-o", str(target))
    assert result.exit_code == 0
    check_content(target, ".csv")


def test_dash_is_stdout(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = call(sample_db, ROWS["rank"], "-f", "csv", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("Hạng,Đơn vị,Điểm đạt,")  # no BOM in a pipe
    paper = call(sample_db, PAPERS["report"], "-o", "-")
    assert paper.exit_code == 0
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in paper.stdout
    assert not (tmp_path / "-").exists()


def test_a_binary_format_never_goes_to_the_terminal(sample_db: Path) -> None:
    result = call(sample_db, PAPERS["report"], "-f", "docx")
    assert result.exit_code == 2
    assert result.stderr == ("Lỗi: Không thể đưa tệp .docx ra màn hình; hãy cho -o TỆP.docx.\n")


def test_files_take_the_users_umask(sample_db: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        for args, name in ((ROWS["rank"], "r.csv"), (PAPERS["report"], "p.docx")):
            assert call(sample_db, args, "-o", str(tmp_path / name)).exit_code == 0
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
        assert call(sample_db, ["export"], str(tmp_path / "b.json")).exit_code == 0
        assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o644
        os.umask(0o077)
        assert call(sample_db, ROWS["awards"], "-o", str(tmp_path / "a.csv")).exit_code == 0
        assert stat.S_IMODE((tmp_path / "a.csv").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_a_backup_keeps_the_databases_mode(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "own.db"
    db.write_bytes(sample_db.read_bytes())
    db.chmod(0o640)
    old = os.umask(0o077)
    try:
        result = call(db, ["backup", str(tmp_path / "copy.db")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o640


# ------------------------------------------------------------- what scripts read


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("name", ROWS)
def test_machine_output_is_the_same_in_every_language(sample_db: Path, name: str, fmt: str) -> None:
    vi = call(sample_db, ROWS[name], "-f", fmt)
    en = call(sample_db, ROWS[name], "-f", fmt, lang="en")
    assert vi.exit_code == en.exit_code == 0
    assert vi.stdout.encode() == en.stdout.encode()
    assert vi.stdout.strip()


@pytest.mark.parametrize("name", PAPERS)
def test_the_papers_json_is_the_same_in_every_language(sample_db: Path, name: str) -> None:
    vi = call(sample_db, PAPERS[name], "-f", "json")
    en = call(sample_db, PAPERS[name], "-f", "json", lang="en")
    assert vi.exit_code == en.exit_code == 0
    assert vi.stdout == en.stdout
    assert json.loads(vi.stdout)["schema_version"] == 1


def test_the_messages_stay_in_the_users_language(sample_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    result = call(sample_db, ROWS["rank"], "-o", str(target), lang="en")
    assert result.stderr.startswith(f"Wrote {target}.\nNote: (Illustrative figures:")
    assert target.read_text("utf-8-sig").startswith("Hạng,Đơn vị,")


def test_csv_headers_are_the_forms_labels(sample_db: Path) -> None:
    result = call(sample_db, ROWS["rank"], "-f", "csv", lang="en")
    assert result.stdout.splitlines()[0] == (
        "Hạng,Đơn vị,Điểm đạt,Điểm thưởng,Điểm trừ,Tổng điểm,Số phiếu,Số phiếu hợp lệ,"
        "Tỷ lệ (%),Xếp loại,Không đủ điều kiện,Đề nghị khen thưởng,Mã hình thức khen thưởng"
    )


# command -> the codes its CSV carries, in columns after the labels people read
CODE_COLUMNS = {
    "rank": {"Mã hình thức khen thưởng": {"co_thi_dua", "bang_khen", ""}},
    "awards": {
        "Mã hình thức khen thưởng": {"co_thi_dua", "bang_khen"},
        "Mã giai đoạn": {"submitted"},
    },
    "history-unit": {
        "Mã vai trò": {"leader", "member"},
        "Mã hình thức khen thưởng": {"co_thi_dua", ""},
    },
    "elect-suggest": {"Mã vai trò": {"leader", "deputy"}},
    "cluster-show": {"Mã vai trò": {"member", "leader", "deputy"}},
    "unit-list": {"Mã vai trò": {"member", "leader", "deputy", ""}},
    "policy-show": {"Mã nguồn": {"default"}},
}


@pytest.mark.parametrize("name", CODE_COLUMNS)
def test_csv_carries_codes_beside_the_labels(sample_db: Path, name: str) -> None:
    result = call(sample_db, ROWS[name], "-f", "csv", lang="en")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    for header, codes in CODE_COLUMNS[name].items():
        assert {row[header] for row in rows} <= codes, header
        assert {row[header] for row in rows} - {""}, header
    # people's outputs show the labels only
    for fmt in ("md", "html"):
        shown = call(sample_db, ROWS[name], "-f", fmt).stdout
        assert not any(header in shown for header in CODE_COLUMNS[name])
    table = call(sample_db, ROWS[name]).stdout
    assert not any(header in table for header in CODE_COLUMNS[name])


def test_the_setting_codes_name_each_rule(sample_db: Path) -> None:
    rows = list(
        csv.DictReader(io.StringIO(call(sample_db, ROWS["policy-show"], "-f", "csv").stdout))
    )
    assert [row["Mã quy định"] for row in rows] == [
        "bang_khen_quota",
        "co_thi_dua_quota",
        "tie_break",
        "score_rule",
        "vote_threshold",
        "council_threshold",
        "min_rating_co_thi_dua",
        "min_rating_bang_khen",
    ]


# command -> the schema its JSON follows
SCHEMA_OF = {
    "rank": "rank.json",
    "awards": "awards.json",
    "history-unit": "history-unit.json",
    "history-cluster": "history-cluster.json",
    "elect-suggest": "elect-suggest.json",
    "cluster-show": "cluster-show.json",
    "unit-list": "unit-list.json",
    "policy-show": "policy-show.json",
    "score-diff": "score-diff.json",
}


def validate(value: object, schema: dict, where: str = "$") -> list[str]:
    """The subset of JSON Schema the files in schemas/ use: type, properties, required,
    additionalProperties (false), items, enum, const."""
    problems: list[str] = []
    kinds = schema.get("type")
    if kinds is not None:
        names = kinds if isinstance(kinds, list) else [kinds]
        python = {
            "object": dict,
            "array": list,
            "string": str,
            "integer": int,
            "number": (int, float),
            "boolean": bool,
            "null": type(None),
        }
        fits = any(
            isinstance(value, python[n])
            and not (n in ("integer", "number") and isinstance(value, bool))
            for n in names
        )
        if not fits:
            return [f"{where}: {type(value).__name__} is not {names}"]
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: {key} is missing")
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                problems += validate(item, properties[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: {key} is not in the schema")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += validate(item, schema["items"], f"{where}[{i}]")
    return problems


def test_the_validator_finds_what_is_wrong() -> None:
    schema = {
        "type": "object",
        "required": ["a"],
        "additionalProperties": False,
        "properties": {"a": {"type": "integer"}, "b": {"enum": ["x"]}},
    }
    assert validate({"a": 1, "b": "x"}, schema) == []
    assert validate({"a": True, "b": "y", "c": 0}, schema) == [
        "$.a: bool is not ['integer']",
        "$.b: 'y' is not one of ['x']",
        "$: c is not in the schema",
    ]
    assert validate({}, schema) == ["$: a is missing"]


@pytest.mark.parametrize("name", SCHEMA_OF)
def test_json_follows_its_schema(sample_db: Path, name: str) -> None:
    schema = json.loads((SCHEMAS / SCHEMA_OF[name]).read_text("utf-8"))
    result = call(sample_db, ROWS[name], "-f", "json")
    assert result.exit_code == 0
    assert validate(json.loads(result.stdout), schema) == []


def test_every_schema_is_checked() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(SCHEMA_OF.values())


# ------------------------------------------------------------------- the screen


def test_a_table_piped_has_no_padding(sample_db: Path) -> None:
    result = call(sample_db, ROWS["rank"])
    lines = result.stdout.splitlines()
    assert lines[0] == "Xếp hạng Cụm I - Các tổ chức tín dụng, năm 2020 (tổng kết năm)"
    assert all(line == line.rstrip() for line in lines)


def test_numbers_are_never_cut_at_80_columns(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    shown = call(sample_db, ROWS["score-show"]).stdout
    assert "…" not in shown
    assert "92,75" in shown and "96,50" in shown
    ranked = call(sample_db, ROWS["rank"]).stdout
    assert "…" not in ranked
    assert "96,50" in ranked
    assert "VietinBan" in ranked  # a long short name folds, it is not cut
