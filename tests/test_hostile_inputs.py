"""Inputs that used to end in a traceback (exit 1): each now gets a message and its documented
exit code, and a refusal leaves the database exactly as it was.

Huge cells, numbers of thousands of digits or of 2**63 and more, digits that are not 0-9
("²", "①", "٣"), NaN, bundles of the wrong shape or nested 100,000 deep, a standard output on
a full disk, Ctrl-C before the commands are even loaded.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_cluster, snapshot

CLUSTER = ("-c", "Cụm III", "-y", "2024")


@pytest.fixture
def cluster(run, db, tmp_path):
    make_cluster(run, tmp_path, "--cluster", "Cụm III")
    return db


def refused(result, db: Path, before: dict, code: int = 3) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert snapshot(db) == before
    return result.stderr


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("²", "not_a_number"), ("①", "not_a_number"), ("٣", "not_a_number"),
        ("３", "not_a_number"), ("9" * 5000, "too_large"), (str(2**63), "too_large"),
        (2**63, "too_large"), (float("nan"), "not_a_number"), (float("inf"), "not_a_number"),
        ("-1", "negative"), ("+1", "not_a_number"), ("1.5", "not_a_number"), (True, "not_a_number"),
        ("", "empty"), (None, "empty"),
    ],
)  # fmt: skip
def test_only_ascii_digits_within_bounds_are_counts(value, reason):
    from thidua_cli.rules.numbers import NumberError, parse_whole

    with pytest.raises(NumberError) as caught:
        parse_whole(value)
    assert caught.value.reason == reason


def test_a_count_at_the_bound_is_taken():
    from thidua_cli.rules.numbers import MAX_WHOLE, parse_whole

    assert parse_whole(str(MAX_WHOLE)) == MAX_WHOLE
    assert parse_whole("007") == 7
    assert parse_whole(12.0) == 12


# ---------------------------------------------------------------- votes


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("²", "“²” không phải số nguyên"),
        ("①", "“①” không phải số nguyên"),
        ("٣", "“٣” không phải số nguyên"),  # int() would have counted it as 3
        (str(2**63), f"“{2**63}” quá lớn (tối đa 1.000.000.000)"),
        ("9" * 5000, "“999999999999999999999999999999999999999…” quá lớn (tối đa 1.000.000.000)"),
    ],
)
def test_a_vote_that_is_not_a_count_is_refused(run, cluster, tmp_path, cell, message):
    path = tmp_path / "phieu.csv"
    path.write_text(f"unit,votes\nSở Cao Lộc,{cell}\n", encoding="utf-8")
    before = snapshot(cluster)
    stderr = refused(run("vote", "import", str(path), *CLUSTER), cluster, before)
    assert stderr == (
        f"Lỗi: Chưa nhập {path}; không có gì được ghi. 1 lỗi:\n  - dòng 2, cột “votes”: {message}\n"
    )


def test_a_votes_file_with_a_header_only_is_an_error(run, cluster, tmp_path):
    path = tmp_path / "phieu.csv"
    path.write_text("unit,votes\n", encoding="utf-8")
    before = snapshot(cluster)
    stderr = refused(run("vote", "import", str(path), *CLUSTER), cluster, before)
    assert stderr == f"Lỗi: {path} không có số phiếu của đơn vị nào.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--votes", str(2**63)),
         f"'{2**63}' nằm ngoài khoảng 0<=x<=1000000000."),
        (("--votes", "3", "--voters", "99999999999"),
         "'99999999999' nằm ngoài khoảng 0<=x<=1000000000."),
        (("--votes", "٣"), "'٣' không phải số nguyên."),
        (("--votes", "9" * 5000), "không phải số nguyên."),
    ],
)  # fmt: skip
def test_vote_set_bounds_its_numbers(run, cluster, args, message):
    before = snapshot(cluster)
    result = run("vote", "set", *CLUSTER, "-u", "Sở Cao Lộc", *args)
    stderr = refused(result, cluster, before, code=2)
    assert stderr.rstrip().endswith(message), stderr


def test_log_limit_is_bounded(run, sample):
    before = snapshot(sample)
    stderr = refused(run("log", "-n", str(2**63)), sample, before, code=2)
    assert stderr.rstrip().endswith(f"'{2**63}' nằm ngoài khoảng 0<=x<=1000000000.")
    result = run("log", "-n", "1000000000", "-f", "csv")
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- scores and criteria


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("9" * 5000, "“999999999999999999999999999999999999999…” quá lớn (tối đa 1.000.000.000)"),
        (str(2**63), f"“{2**63}” quá lớn (tối đa 1.000.000.000)"),
        ("٣", "“٣” không phải là số"),
        ("1" + "0" * 4400 + ".5", "quá lớn (tối đa 1.000.000.000)"),
    ],
)
def test_points_of_thousands_of_digits_are_refused(run, cluster, tmp_path, points, message):
    path = tmp_path / "diem.csv"
    path.write_text(f"unit,criterion,points\nSở Cao Lộc,1,{points}\n", encoding="utf-8")
    before = snapshot(cluster)
    stderr = refused(run("score", "import", str(path), *CLUSTER), cluster, before)
    assert stderr.startswith(f"Lỗi: Chưa nhập {path}; không có gì được ghi. 1 lỗi:\n")
    assert stderr.rstrip().endswith(message), stderr


@pytest.mark.parametrize("maximum", [str(2**63), "9" * 5000, "NaN", "1e400"])
def test_a_criterion_maximum_of_any_size_is_refused(run, db, tmp_path, maximum):
    path = tmp_path / "tieu-chi.csv"
    path.write_text(f"code,name,max_points\n1,Một,{maximum}\n", encoding="utf-8")
    before = snapshot(db)
    result = run("criteria", "import", str(path), "--default", "-y", "2024")
    stderr = refused(result, db, before)
    assert stderr.startswith("Lỗi: Chưa nhập tệp tiêu chí; không có gì được ghi:\n  - dòng 2,")


def test_a_header_cell_over_128_kb_is_refused(run, cluster, tmp_path):
    path = tmp_path / "diem.csv"
    path.write_text("unit,criterion,points," + "x" * 140_000 + "\nSở Cao Lộc,1,5\n", "utf-8")
    before = snapshot(cluster)
    stderr = refused(run("score", "import", str(path), *CLUSTER), cluster, before)
    assert stderr.startswith(f"Lỗi: {path}, dòng 1: không đọc được CSV (")


def test_a_header_that_lacks_a_column_is_quoted_short(run, cluster, tmp_path):
    path = tmp_path / "phieu.csv"
    path.write_text("unit," + "x" * 100_000 + "\nSở Cao Lộc,1\n", "utf-8")
    before = snapshot(cluster)
    stderr = refused(run("vote", "import", str(path), *CLUSTER), cluster, before)
    assert len(stderr) < 200
    assert stderr.startswith("Lỗi: Dòng tiêu đề thiếu cột: votes (đang có: unit, xxx")


def test_a_cluster_numeral_of_thousands_of_digits_names_nothing(run, cluster):
    before = snapshot(cluster)
    result = run("rank", "-c", "Cụm " + "9" * 5000, "-y", "2024")
    stderr = refused(result, cluster, before)
    assert stderr.startswith("Lỗi: Không có cụm thi đua")


# ---------------------------------------------------------------- bundles


@pytest.fixture
def bundle(run, sample, tmp_path) -> dict:
    path = tmp_path / "goi.json"
    assert run("export", str(path), "--cluster", "Cụm I", "--year", "2020").exit_code == 0
    return json.loads(path.read_text("utf-8"))


def _import(run, tmp_path, text: str):
    path = tmp_path / "vao.json"
    path.write_text(text, encoding="utf-8")
    return run("import", str(path))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b["scores"][0].update(points=2**63),
         f"Lỗi: Gói dữ liệu có “{2**63}”, không phải con số mà gói dữ liệu có thể chứa.\n"),
        (lambda b: b["scores"][0].update(year=int("9" * 30)),
         "Lỗi: Gói dữ liệu có “999999999999999999999999999999”, không phải con số mà gói "
         "dữ liệu có thể chứa.\n"),
        (lambda b: b["scores"][0].update(points=float("nan")),
         "Lỗi: Gói dữ liệu có “NaN”, không phải con số mà gói dữ liệu có thể chứa.\n"),
        (lambda b: b["scores"][0].update(points=float("inf")),
         "Lỗi: Gói dữ liệu có “Infinity”, không phải con số mà gói dữ liệu có thể chứa.\n"),
        (lambda b: b.update(votes={"a": 1}),
         "Lỗi: Phần votes của gói không phải danh sách.\n"),
        (lambda b: b.update(conferences=None),
         "Lỗi: Phần conferences của gói không phải danh sách.\n"),
        (lambda b: b.update(scores=["Sở Tư pháp"]),
         "Lỗi: Mục scores thứ 1 của gói không phải bảng tên và giá trị.\n"),
        (lambda b: b.update(settings=[1]),
         "Lỗi: Mục settings của gói không phải bảng tên và giá trị.\n"),
        # a value of the wrong type in a field: the field's own rule says which
        (lambda b: b["units"][0].update(aliases=12),
         "Lỗi: Không nhập gì: 1 lỗi và 0 xung đột với dữ liệu hiện có (dùng --on-conflict keep "
         "hoặc replace để quyết định khi xung đột):\n"
         "  - mục units thứ 1 của gói: “aliases” phải là danh sách tên, không phải 12.\n"),
        (lambda b: b["scores"][0].update(year={}),
         "Lỗi: Mục scores thứ 1 của gói: {} không phải là năm trong khoảng 1945 đến 2200.\n"),
    ],
)  # fmt: skip
def test_a_bundle_with_a_hostile_value_is_refused(run, sample, bundle, tmp_path, change, message):
    change(bundle)
    before = snapshot(sample)
    result = _import(run, tmp_path, json.dumps(bundle, ensure_ascii=False))
    assert refused(result, sample, before) == message


def test_a_bundle_nested_100000_deep_is_refused(run, sample, tmp_path):
    before = snapshot(sample)
    deep = '{"format": "thidua-bundle", "version": 2, "units": ' + "[" * 100_000 + "]" * 100_000
    result = _import(run, tmp_path, deep + "}")
    assert refused(result, sample, before) == "Lỗi: Gói dữ liệu lồng sâu hơn 16 cấp.\n"
    shallow = '{"format": "thidua-bundle", "version": 2, "units": ' + "[" * 500 + "]" * 500
    result = _import(run, tmp_path, shallow + "}")  # under the recursion limit, still refused
    assert refused(result, sample, before) == "Lỗi: Gói dữ liệu lồng sâu hơn 16 cấp.\n"


@pytest.mark.slow
def test_a_bundle_with_any_field_of_the_wrong_type_is_refused_or_taken(run, db, bundle, tmp_path):
    """Every field of every first item, replaced by values of other types: exit 0 or 3, never
    a traceback, and nothing written when refused."""

    def paths(value, prefix=()):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield (*prefix, key)
                yield from paths(inner, (*prefix, key))
        elif isinstance(value, list) and value:
            yield (*prefix, 0)
            yield from paths(value[0], (*prefix, 0))

    before = snapshot(db)
    for path in list(paths(bundle))[::6]:  # a sixth of them: the suite stays fast
        for hostile in (None, 12, [{}]):
            changed = json.loads(json.dumps(bundle))
            target = changed
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = hostile
            result = _import(run, tmp_path, json.dumps(changed, ensure_ascii=False))
            assert result.exit_code in (0, 3), (path, hostile, result.output)
            assert "Traceback" not in result.output
            if result.exit_code == 3:
                assert snapshot(db) == before, (path, hostile)
            else:  # taken: start again from the empty database
                db.unlink()
                for extra in ("-wal", "-shm"):
                    Path(f"{db}{extra}").unlink(missing_ok=True)
                assert run("init").exit_code == 0
                before = snapshot(db)


# ---------------------------------------------------------------- the process itself


def _thidua(*args: str) -> list[str]:
    return [sys.executable, "-m", "thidua_cli", *args]


def _environment(db: Path) -> dict[str, str]:
    return {**os.environ, "THIDUA_DB": str(db), "THIDUA_LANG": "vi"}


@pytest.mark.parametrize(
    "args",
    [
        ("rank", "-c", "Cụm I", "-y", "2020"),  # the quick path
        ("rank", "-c", "Cụm I", "-y", "2020", "-f", "json"),
        ("unit", "list"),  # through Typer
        ("log", "-n", "0", "-f", "csv"),
    ],
)
def test_stdout_on_a_full_disk_gives_the_io_code_and_no_traceback(sample, args):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            _thidua(*args), stdout=full, stderr=subprocess.PIPE, env=_environment(sample)
        )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 6, stderr
    assert stderr == "Lỗi: Không ghi được kết quả ra: ổ đĩa đã đầy.\n"


def test_ctrl_c_before_the_app_is_set_up_exits_130_quietly(monkeypatch, capsys):
    from thidua_cli import main as entry

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(entry, "_quiet_signals", interrupted)
    monkeypatch.setattr(sys, "argv", ["thidua", "unit", "list"])
    with pytest.raises(SystemExit) as done:
        entry.main()
    assert done.value.code == 130
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("delay", [0.02, 0.05, 0.1, 0.15])
def test_ctrl_c_in_the_first_tenth_of_a_second_never_shows_a_traceback(sample, delay):
    # The signal comes once thidua's entry point is imported (Python's own start-up is not
    # thidua's), at the moments it loads Typer and the command and opens the database.
    script = (
        "import os, signal, sys, threading\n"
        "from thidua_cli.main import main\n"
        f"timer = threading.Timer({delay}, os.kill, (os.getpid(), signal.SIGINT))\n"
        "timer.daemon = True\n"
        "timer.start()\n"
        "sys.argv = ['thidua', 'cluster', 'show', 'Cụm I', '-y', '2020']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, env=_environment(sample)
    )
    stderr = done.stderr.decode("utf-8")
    assert "Traceback" not in stderr, stderr
    assert done.returncode in (0, 130, -signal.SIGINT), stderr
    if done.returncode == 130:
        assert stderr in ("", "Đã dừng; không có gì được ghi.\n"), stderr


def test_the_exit_codes_of_the_readme_hold_the_new_refusals():
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    assert "| 6 | disk or I/O error: full disk" in readme
    table = readme.split("## Exit codes")[1]
    assert "standard output that refuses the data" in table
    assert "a workbook that would expand too far" in table


def test_a_date_in_digits_other_than_0_9_is_not_a_date(run, cluster):
    before = snapshot(cluster)
    result = run("cluster", "conference", *CLUSTER, "--date", "٢٠٢٥-01-05")
    stderr = refused(result, cluster, before)
    assert stderr == "Lỗi: “٢٠٢٥-01-05” không phải là ngày; hãy viết 05/01/2021 hoặc 2021-01-05.\n"
