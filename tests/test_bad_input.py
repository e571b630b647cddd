"""Bad input, generated: every file and name is either taken exactly or refused whole.

Each example runs the real commands on a fresh database. The property: the command either
succeeds and the database holds exactly what was given (after NFC and thidua's normalisation of
spaces), or it fails with exit 3, a message, no traceback, and every table as it was. The schema
itself never changes.
"""

import csv
import io
import json
import os
import sqlite3
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import snapshot
from thidua_cli.cli.app import app
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import set_language
from thidua_cli.rules.matching import Ambiguous, Candidate, NotFound, match_one
from thidua_cli.rules.numbers import MAX_WHOLE
from thidua_cli.rules.text import checked_name, fold_key, nfc

pytestmark = pytest.mark.slow

EXAMPLES = settings(
    max_examples=int(os.environ.get("THIDUA_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = [
    "'); DROP TABLE unit; --",
    '"; DELETE FROM score; --',
    "=SUM(1)",
    "+84 912",
    "-1",
    "@cmd",
    "\t=1",
    'Sở "Tài chính"',
    "Sở; Tài; chính",
    "Hoà Bình",
    unicodedata.normalize("NFD", "Sở Tư pháp"),
    "Đơn vị " + "rất dài " * 800,
    "\u200b",
    "a\x00b",
    "Ⅻ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
    "Cụm " + "9" * 5000,  # a numeral of thousands of digits
    "Sở ² ① ٣",  # digits that are not 0-9
]
names = st.one_of(st.sampled_from(NASTY), st.text(min_size=0, max_size=120))

UNITS = ["Ngân hàng An Bình", "Công ty Bắc Sơn", "Sở Cao Lộc"]
CRITERIA = {"C1": 6000, "C2": 4000, "T": 500}  # hundredths
CRITERIA_CSV = (
    "code,group,name,max_points,kind\nC1,A,Một,60,base\nC2,A,Hai,40,base\nT,B,Thưởng,5,bonus\n"
)


class Fresh:
    """A new database in its own folder, with a cluster of three units and criteria."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="thidua-prop-"))
        self.db = self.folder / "thidua.db"
        self.runner = CliRunner()
        assert self.run("init").exit_code == 0

    def run(self, *args: str):
        result = self.runner.invoke(
            app, list(args), env={"THIDUA_DB": str(self.db)}, catch_exceptions=False
        )
        set_language("vi")
        return result

    def cluster(self) -> "Fresh":
        assert self.run("cluster", "add", "Cụm thi đua số III", "--code", "Cụm III").exit_code == 0
        for name in UNITS:
            assert self.run("unit", "add", name).exit_code == 0
        assert self.run("cluster", "join", "Cụm III", *UNITS, "-y", "2024").exit_code == 0
        path = self.folder / "criteria.csv"
        path.write_text(CRITERIA_CSV, encoding="utf-8")
        assert self.run("criteria", "import", str(path), "--default", "-y", "2024").exit_code == 0
        return self


def schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_schema ORDER BY name").fetchall()
    finally:
        conn.close()


def refused_cleanly(result, db: Path, before: dict, shape: list) -> None:
    assert result.exit_code == 3, (result.exit_code, result.output)
    assert result.stderr.startswith("Lỗi: ")
    assert "Traceback" not in result.output
    assert snapshot(db) == before
    assert schema(db) == shape


@EXAMPLES
@given(name=names)
def test_a_unit_name_is_stored_exactly_or_refused(name):
    fresh = Fresh()
    before, shape = snapshot(fresh.db), schema(fresh.db)
    result = (
        fresh.run("unit", "add", "--", name)
        if name.startswith("-")
        else fresh.run("unit", "add", name)
    )
    # the rule for names: NFC, zero-width characters taken out; control and direction
    # characters, and a name of nothing else, refused
    try:
        expected: str | None = checked_name(name)
    except InvalidInput:
        expected = None
    if result.exit_code == 0:
        units = json.loads(fresh.run("unit", "list", "-f", "json").stdout)
        assert [u["name"] for u in units] == [expected]
        # what was taken out shows nothing: a zero-width character, a direction mark, a soft hyphen
        assert set(nfc(name)) - set(expected) <= set(
            "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u00ad"
        )
        assert schema(fresh.db) == shape
    else:
        refused_cleanly(result, fresh.db, before, shape)
        assert expected is None


# ---------------------------------------------------------------- score files


def unit_spelling(draw, unit: str) -> str:
    variant = draw(st.sampled_from(["same", "nfd", "upper", "lower"]))
    return {
        "same": unit,
        "nfd": unicodedata.normalize("NFD", unit),
        "upper": unit.upper(),
        "lower": unit.lower(),
    }[variant]


@st.composite
def score_rows(draw):
    """Rows of (unit cell, criterion cell, points cell) with what each should become."""
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        unit = draw(st.sampled_from(UNITS))
        code = draw(st.sampled_from(sorted(CRITERIA)))
        kind = draw(
            st.sampled_from(["ok"] * 6 + ["above", "negative", "precise", "text", "empty",
                                         "formula", "nan", "unknown_unit", "unknown_code",
                                         "huge", "digits"])
        )  # fmt: skip
        hundredths = draw(st.integers(min_value=0, max_value=CRITERIA[code]))
        points = str(Decimal(hundredths) / 100)
        unit_cell, code_cell, valid = unit_spelling(draw, unit), code, kind == "ok"
        if kind == "above":
            points = str(Decimal(CRITERIA[code] + draw(st.integers(1, 10_000))) / 100)
        elif kind == "negative":
            points = "-" + str(Decimal(draw(st.integers(1, 500))) / 100)
        elif kind == "precise":
            digits = "".join(str(draw(st.integers(1, 9))) for _ in range(3))
            points = f"{draw(st.integers(0, 9))}.{digits}"
        elif kind == "text":
            points = draw(st.sampled_from(["mười", "abc", "1,2,3", "9 điểm"]))
        elif kind == "empty":
            points = ""
        elif kind == "formula":
            points = draw(st.sampled_from(["=1+1", "@SUM(A1)", "=5"]))
        elif kind == "nan":
            points = draw(st.sampled_from(["nan", "NaN", "inf", "-inf", "1e3"]))
        elif kind == "huge":  # 2**63 and more, thousands of digits
            points = draw(st.sampled_from([str(2**63), "9" * 5000, "1" + "0" * 4400 + ".5"]))
        elif kind == "digits":  # only 0-9 are digits: "٣" is not 3
            points = draw(st.sampled_from(["²", "①", "٣", "５", "1٣"]))
        elif kind == "unknown_unit":
            unit_cell = "Không có " + draw(st.text(min_size=1, max_size=20))
        elif kind == "unknown_code":
            code_cell = "X" + draw(st.text(alphabet="0123456789", min_size=1, max_size=3))
        rows.append((unit_cell, code_cell, points, valid, (unit, code, hundredths)))
    return rows


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1258"]


def encode(text: str, encoding: str) -> bytes | None:
    if encoding == "cp1258":
        decomposed = unicodedata.normalize("NFD", text)  # Windows-1258 keeps tones apart
        try:
            return unicodedata.normalize("NFC", decomposed).encode("cp1258")
        except UnicodeEncodeError:
            try:
                return decomposed.encode("cp1258")
            except UnicodeEncodeError:
                return None
    return text.encode(encoding)


@EXAMPLES
@given(rows=score_rows(), encoding=st.sampled_from(ENCODINGS), ragged=st.booleans())
def test_a_score_file_is_imported_exactly_or_refused_whole(rows, encoding, ragged):
    fresh = Fresh().cluster()
    buffer = io.StringIO()
    delimiter = "\t" if encoding == "utf-16" else ","
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["unit", "criterion", "points"])
    for i, (unit_cell, code_cell, points, _valid, _expected) in enumerate(rows):
        cells = [unit_cell, code_cell, points]
        if ragged and i == len(rows) - 1:
            cells.append("thừa")
        writer.writerow(cells)
    data = encode(buffer.getvalue(), encoding)
    if data is None:
        return  # text Windows-1258 cannot hold
    path = fresh.folder / "diem.csv"
    path.write_bytes(data)
    before, shape = snapshot(fresh.db), schema(fresh.db)
    args = ["score", "import", str(path), "-c", "Cụm III", "-y", "2024"]
    if encoding == "cp1258":
        args += ["--encoding", "cp1258"]
    result = fresh.run(*args)
    keys = [(e[0], e[1]) for *_, e in rows]
    expected_ok = (
        all(valid for *_, valid, _e in rows) and not ragged and len(set(keys)) == len(keys)
    )
    if expected_ok:
        assert result.exit_code == 0, result.output
        conn = sqlite3.connect(fresh.db)
        stored = sorted(
            conn.execute(
                "SELECT u.name, c.code, s.points FROM score s JOIN unit u ON u.id = s.unit_id"
                " JOIN criterion c ON c.id = s.criterion_id"
            ).fetchall()
        )
        conn.close()
        assert stored == sorted(e for *_, e in rows)
        assert schema(fresh.db) == shape
    else:
        refused_cleanly(result, fresh.db, before, shape)


@EXAMPLES
@given(
    count=st.one_of(
        st.integers(-5, 50),
        st.integers(2**62, 2**70),
        st.sampled_from(["", "ba", "2.5", "=1", "1e2", "²", "①", "٣", "NaN", "9" * 5000]),
    )
)
def test_a_vote_file_is_imported_exactly_or_refused(count):
    fresh = Fresh().cluster()
    path = fresh.folder / "phieu.csv"
    path.write_text(f"unit,votes\nSở Cao Lộc,{count}\n", encoding="utf-8")
    before, shape = snapshot(fresh.db), schema(fresh.db)
    result = fresh.run("vote", "import", str(path), "-c", "Cụm III", "-y", "2024")
    if isinstance(count, int) and 0 <= count <= MAX_WHOLE:
        assert result.exit_code == 0, result.output
        conn = sqlite3.connect(fresh.db)
        assert conn.execute("SELECT votes FROM vote").fetchall() == [(count,)]
        conn.close()
    else:
        refused_cleanly(result, fresh.db, before, shape)


@settings(EXAMPLES, max_examples=12)
@given(
    votes=st.one_of(
        st.integers(0, 50),
        st.integers(2**62, 2**70),
        st.sampled_from(["²", "①", "٣", "9" * 5000, "-1"]),
    )
)
def test_vote_set_takes_a_count_or_refuses_it_on_the_command_line(votes):
    fresh = Fresh().cluster()
    before, shape = snapshot(fresh.db), schema(fresh.db)
    result = fresh.run(
        "vote", "set", "-c", "Cụm III", "-y", "2024", "-u", "Sở Cao Lộc", f"--votes={votes}"
    )
    if isinstance(votes, int) and votes <= MAX_WHOLE:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert snapshot(fresh.db) == before
        assert schema(fresh.db) == shape


@settings(EXAMPLES, max_examples=12)
@given(
    value=st.one_of(
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(alphabet="0123456789²①٣٫.-+eE ", max_size=30),
        st.sampled_from(["9" * 5000, None, True, [], {}]),
    )
)
def test_a_bundle_value_of_any_kind_is_taken_or_refused(value):
    """Any value in a score's points or year: exit 0 or 3, never a traceback."""
    fresh = Fresh().cluster()
    bundle = {
        "format": "thidua-bundle", "version": 2,
        "scores": [{"cluster": "Cụm III", "year": 2024, "period": "year", "unit": "Sở Cao Lộc",
                    "criterion": "C1", "source": "final", "scorer": None, "points": value}],
    }  # fmt: skip
    path = fresh.folder / "goi.json"
    text = json.dumps(bundle, ensure_ascii=False)
    path.write_text(text.replace('"points": "' + "9" * 5000 + '"', '"points": ' + "9" * 5000))
    before, shape = snapshot(fresh.db), schema(fresh.db)
    result = fresh.run("import", str(path))
    assert result.exit_code in (0, 3), result.output
    if result.exit_code == 3:
        refused_cleanly(result, fresh.db, before, shape)


# ---------------------------------------------------------------- the matcher

CANDIDATES = [
    Candidate(1, "Cụm thi đua số I", ("Cụm I",)),
    Candidate(2, "Cụm thi đua số II", ("Cụm II",)),
    Candidate(3, "Sở Tài chính"),
    Candidate(4, "Sở Tư pháp"),
    Candidate(5, "Hoà Bình", ("Hòa Bình mới",)),
]


@settings(max_examples=300, deadline=None)
@given(query=st.one_of(names, st.sampled_from(["Cụm I", "cụm 1", "CỤM II", "so tai chinh"])))
def test_the_matcher_answers_one_or_says_why_never_crashes(query):
    set_language("vi")
    outcomes = []
    for form in (query, unicodedata.normalize("NFD", query), unicodedata.normalize("NFC", query)):
        try:
            outcomes.append(match_one(form, CANDIDATES, what="cụm").id)
        except (NotFound, Ambiguous) as exc:
            assert exc.message
            outcomes.append(type(exc).__name__)
    assert len(set(outcomes)) == 1  # NFC and NFD mean the same
    if fold_key(query) in (fold_key("Cụm I"), fold_key("Cụm thi đua số I")):
        assert outcomes[0] == 1


# ---------------------------------------------------------------- CSV injection

FORMULAS = ['=HYPERLINK("http://x")', "+SUM(1)", "-2+3", "@cmd", "\t=1"]


def test_every_csv_export_neutralises_formulas_and_keeps_numbers(run, draft_sample, tmp_path):
    for name in FORMULAS:
        assert run("unit", "add", "--", name).exit_code == 0
    assert run("cluster", "join", "-y", "2020", "--", "Cụm I", *FORMULAS).exit_code == 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["unit", "criterion", "points"])
    writer.writerows([nfc(n), "1.1", 10 + i] for i, n in enumerate(FORMULAS))
    scores = tmp_path / "f.csv"
    scores.write_text(buffer.getvalue(), encoding="utf-8")
    assert run("score", "import", str(scores), "-c", "Cụm I", "-y", "2020").exit_code == 0
    run("flag", "add", "-y", "2020", "-u", "@cmd", "--reason", "=1+1")
    exports = [
        ("rank", "-c", "Cụm I", "-y", "2020", "-f", "csv"),
        ("awards", "-y", "2020", "-f", "csv", "--allow-ties"),
        ("history", "--cluster", "tín dụng", "-f", "csv"),
        ("history", "--unit", "@cmd", "-f", "csv"),
        ("cluster", "show", "Cụm I", "-y", "2020", "-f", "csv"),
        ("unit", "list", "-f", "csv"),
        ("score", "show", "-c", "Cụm I", "-y", "2020", "-f", "csv"),
        ("flag", "list", "-y", "2020", "-f", "csv"),
        ("log", "-f", "csv", "-n", "0"),
    ]
    for args in exports:
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert len(rows) > 1, args
        for row in rows:
            for cell in row:
                if cell[:1] in ("=", "+", "@", "\t", "\r"):
                    pytest.fail(f"{args}: formula-like cell {cell!r}")
                if cell.startswith("-"):
                    float(cell.replace(",", "."))  # a negative number, not text
    data = list(
        csv.reader(io.StringIO(run("rank", "-c", "Cụm I", "-y", "2020", "-f", "csv").stdout))
    )
    header = data[0]
    for row in data[1:]:
        float(row[header.index("Tổng điểm")])  # totals stay numbers


def test_a_negative_number_stays_a_number_and_text_that_looks_like_one_does_not() -> None:
    from thidua_cli.output.render import Column, write_csv

    out = io.StringIO()
    columns = [Column("unit", "Đơn vị"), Column("total", "Tổng", numeric=True), Column("ok", "✓")]
    write_csv(
        [
            {"unit": "-2+3", "total": -2.5, "ok": True},
            {"unit": "Sở Tư pháp", "total": 0, "ok": None},
        ],
        columns,
        out,
    )
    assert out.getvalue() == "Đơn vị,Tổng,✓\r\n'-2+3,-2.5,✓\r\nSở Tư pháp,0,\r\n"
