"""What the database itself guarantees of `score`, whoever writes to it (migration 15).

Each guarantee is tried through raw SQL outside thidua, as the sqlite3 shell or Datasette would
write (foreign keys on): the CHECKs, the references, one score per identity, the criterion's
maximum, the lock of a cluster-year, the audit log. Then the bulk import, which lifts the row
triggers for its one statement (store/scoring.py): it must leave them as they were and check what
they check, and its cost must grow with the file, not with the file times the stored scores.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import make_cluster, query

INSERT = (
    "INSERT INTO score (cluster_id, year, period, unit_id, criterion_id, source, scorer, points)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
# Cụm III in 2024: units 1-5 are its members, criterion 1 has a maximum of 60 points (6000)
GOOD = (1, 2024, "year", 1, 1, "final", 0, 5000)


@pytest.fixture
def cluster(run, db: Path, tmp_path: Path) -> Path:
    make_cluster(run, tmp_path, "--cluster", "Cụm III")
    assert run("unit", "add", "Sở Ngoài Cụm").exit_code == 0  # unit 6, a member of nothing
    return db


def raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def refused(path: Path, sql: str, params: tuple, match: str) -> None:
    """The statement fails with `match` and leaves the scores as they were."""
    before = query(path, "SELECT * FROM score ORDER BY 1, 2, 3, 4, 5, 6, 7")
    conn = raw(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=match):
            conn.execute(sql, params)
    finally:
        conn.close()
    assert query(path, "SELECT * FROM score ORDER BY 1, 2, 3, 4, 5, 6, 7") == before


def with_good_score(path: Path) -> None:
    conn = raw(path)
    conn.execute(INSERT, GOOD)
    conn.close()


def test_a_good_score_is_kept_with_no_scorer(cluster):
    conn = raw(cluster)
    conn.execute(
        "INSERT INTO score (cluster_id, year, period, unit_id, criterion_id, source, points)"
        " VALUES (1, 2024, 'year', 1, 1, 'final', 5000)"
    )
    conn.close()
    assert query(cluster, "SELECT scorer, scorer_id, points FROM score") == [(0, None, 5000)]


@pytest.mark.parametrize(
    ("changed", "match"),
    [
        ({7: 6001}, "points above the criterion maximum"),
        ({7: -1}, "CHECK constraint failed: points >= 0"),
        ({7: "năm mươi"}, "cannot store TEXT value in INTEGER column score.points"),
        ({7: None}, "NOT NULL constraint failed: score.points"),
        ({3: 6}, "FOREIGN KEY constraint failed"),  # a unit, not a member of the cluster-year
        ({3: 99}, "FOREIGN KEY constraint failed"),  # no such unit
        ({1: 2023}, "FOREIGN KEY constraint failed"),  # not a member that year
        ({4: 99}, "FOREIGN KEY constraint failed"),  # no such criterion
        ({1: 1900}, r"CHECK constraint failed: year BETWEEN 1945 AND 2200"),
        ({2: "quarter"}, r"CHECK constraint failed: period IN \('year', 'half'\)"),
        ({5: "boss"}, r"CHECK constraint failed: source IN \('self', 'peer', 'final'\)"),
        ({5: "peer"}, r"CHECK constraint failed: \(source = 'peer'\) = \(scorer <> 0\)"),
        ({6: 2}, r"CHECK constraint failed: \(source = 'peer'\) = \(scorer <> 0\)"),
        ({5: "peer", 6: 1}, "CHECK constraint failed: scorer <> unit_id"),
        ({5: "peer", 6: 99}, "FOREIGN KEY constraint failed"),  # the scorer is no unit
    ],
)
def test_a_wrong_score_is_refused(cluster, changed, match):
    row = tuple(changed.get(i, value) for i, value in enumerate(GOOD))
    refused(cluster, INSERT, row, match)


def test_evidence_is_trimmed_text_or_nothing(cluster):
    sql = INSERT.replace("points)", "points, evidence)").replace("?)", "?, ?)")
    refused(cluster, sql, (*GOOD, " giải trình "), "CHECK constraint failed: evidence")
    refused(cluster, sql, (*GOOD, ""), "CHECK constraint failed: evidence")


def test_scorer_id_is_computed_from_the_scorer(cluster):
    conn = raw(cluster)
    with pytest.raises(sqlite3.OperationalError, match="generated column"):
        conn.execute(INSERT.replace("scorer,", "scorer_id,"), GOOD)
    conn.execute(INSERT, (1, 2024, "year", 1, 1, "peer", 2, 5000))
    conn.close()
    assert query(cluster, "SELECT scorer, scorer_id FROM score") == [(2, 2)]


def test_one_score_per_identity(cluster):
    with_good_score(cluster)
    refused(cluster, INSERT, GOOD, "UNIQUE constraint failed")
    refused(cluster, INSERT, (*GOOD[:7], 10), "UNIQUE constraint failed")
    conn = raw(cluster)  # the same unit and criterion by two scorers: two scores
    conn.execute(INSERT, (1, 2024, "year", 1, 1, "peer", 2, 5000))
    conn.execute(INSERT, (1, 2024, "year", 1, 1, "peer", 3, 5000))
    conn.execute(INSERT, (1, 2024, "half", 1, 1, "final", 0, 5000))
    conn.close()
    refused(cluster, INSERT, (1, 2024, "year", 1, 1, "peer", 3, 10), "UNIQUE constraint failed")
    assert query(cluster, "SELECT count(*) FROM score") == [(4,)]


def test_an_update_above_the_maximum_is_refused(cluster):
    with_good_score(cluster)
    refused(cluster, "UPDATE score SET points = 6001", (), "points above the criterion maximum")
    refused(  # criterion 3 has a maximum of 5 points
        cluster, "UPDATE score SET criterion_id = 3", (), "points above the criterion maximum"
    )


def test_what_scores_refer_to_cannot_go(cluster):
    with_good_score(cluster)
    for sql in (
        "DELETE FROM membership WHERE unit_id = 1",
        "DELETE FROM criterion WHERE id = 1",
        "DELETE FROM unit WHERE id = 1",
    ):
        conn = raw(cluster)
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
            conn.execute(sql)
        conn.close()
    conn = raw(cluster)
    conn.execute(INSERT, (1, 2024, "year", 1, 1, "peer", 2, 5000))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
        conn.execute("DELETE FROM unit WHERE id = 2")  # unit 2 scored unit 1
    conn.close()


def test_a_locked_cluster_year_refuses_every_change_to_its_scores(cluster):
    with_good_score(cluster)
    conn = raw(cluster)
    conn.execute("INSERT INTO cluster_lock (cluster_id, year) VALUES (1, 2024)")
    conn.close()
    frozen = "thidua: this cluster-year is frozen"
    refused(cluster, INSERT, (1, 2024, "year", 2, 1, "final", 0, 5000), frozen)
    refused(cluster, "UPDATE score SET points = 10", (), frozen)
    refused(cluster, "DELETE FROM score", (), frozen)


def test_changes_made_outside_thidua_are_logged_one_by_one(cluster):
    start = query(cluster, "SELECT max(id) FROM audit")[0][0]
    conn = raw(cluster)
    conn.execute(INSERT, GOOD)
    conn.execute("UPDATE score SET points = 10")
    conn.execute("UPDATE score SET points = 10")  # no change: nothing logged
    conn.execute("DELETE FROM score")
    conn.close()
    assert query(
        cluster,
        "SELECT user, command, tbl, action, cluster_id, year, unit_id, old ->> 'points',"
        " new ->> 'points', new ->> 'scorer_id' FROM audit WHERE id > ? ORDER BY id",
        (start,),
    ) == [
        ("outside thidua", "outside thidua", "score", "insert", 1, 2024, 1, None, 5000, None),
        ("outside thidua", "outside thidua", "score", "update", 1, 2024, 1, 5000, 10, None),
        ("outside thidua", "outside thidua", "score", "delete", 1, 2024, 1, 10, None, None),
    ]


# ---------------------------------------------------------------- the bulk import


def _triggers(path: Path) -> list[tuple[str, str]]:
    return query(
        path,
        "SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'score' ORDER BY name",
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lifted(monkeypatch):
    """Imports of any size lift the row triggers (as those of LIFT_FROM rows or more do)."""
    from thidua_cli.store import scoring

    monkeypatch.setattr(scoring, "LIFT_FROM", 1)


def test_the_bulk_import_knows_every_trigger_of_score_and_leaves_them_as_they_were(
    run, cluster, tmp_path, lifted
):
    from thidua_cli.store import scoring

    before = _triggers(cluster)
    assert {name for name, _sql in before if name != "score"} == {
        *scoring._LIFTED,
        *scoring._KEPT,
    }
    scores = _write(tmp_path, "s.csv", "unit,criterion,points\nSở Cao Lộc,1,50\nSở Cao Lộc,2,30\n")
    for replace in ((), ("--replace",)):
        result = run("score", "import", str(scores), "-c", "Cụm III", "-y", "2024", *replace)
        assert result.exit_code == 0, result.output
        assert _triggers(cluster) == before
    # ... and they still guard what comes after
    refused(cluster, INSERT, (*GOOD[:6], 0, 6001), "points above the criterion maximum")


def _staged(path: Path, rows: list[tuple]):
    """A bulk write's connection with `rows` staged for Cụm III, 2024 (no problem found)."""
    from thidua_cli.store import audit, db, scoring

    conn = db.connect(path)
    conn.execute("BEGIN IMMEDIATE")
    audit.begin(conn, bulk=True)
    duplicates, existing = scoring.import_scores(conn, 1, 2024, "year", rows)
    assert (duplicates, existing) == ([], [])
    return conn


def test_the_bulk_import_checks_the_maximum_and_the_lock_itself(cluster, lifted):
    from thidua_cli.store import scoring

    conn = _staged(cluster, [(2, 1, 1, "final", None, 6001)])  # above the maximum
    with pytest.raises(sqlite3.IntegrityError, match="points above the criterion maximum"):
        scoring.commit_import(conn, 1, 2024, "year")
    conn.execute("ROLLBACK")
    conn.close()
    conn = raw(cluster)
    conn.execute("INSERT INTO cluster_lock (cluster_id, year) VALUES (1, 2024)")
    conn.close()
    conn = _staged(cluster, [(2, 1, 1, "final", None, 5000)])
    with pytest.raises(sqlite3.IntegrityError, match="thidua: this cluster-year is frozen"):
        scoring.commit_import(conn, 1, 2024, "year")
    conn.execute("ROLLBACK")
    conn.close()
    assert query(cluster, "SELECT count(*) FROM score") == [(0,)]
    assert len(_triggers(cluster)) == 9


@pytest.mark.parametrize("lift", [True, False])
def test_a_replacing_import_logs_each_score_it_changes(run, cluster, tmp_path, lift, request):
    if lift:
        request.getfixturevalue("lifted")
    first = _write(tmp_path, "a.csv", "unit,criterion,points\nSở Cao Lộc,1,50\nSở Cao Lộc,2,30\n")
    second = _write(tmp_path, "b.csv", "unit,criterion,points\nSở Cao Lộc,1,50\nSở Cao Lộc,2,31\n")
    assert run("score", "import", str(first), "-c", "Cụm III", "-y", "2024").exit_code == 0
    start = query(cluster, "SELECT max(id) FROM audit")[0][0]
    result = run("score", "import", str(second), "-c", "Cụm III", "-y", "2024", "--replace")
    assert result.exit_code == 0, result.output
    rows = query(
        cluster,
        "SELECT tbl, action, unit_id, old, new FROM audit WHERE id > ? ORDER BY id",
        (start,),
    )
    score = (
        '{{"cluster_id":1,"year":2024,"period":"year","unit_id":3,"criterion_id":2,'
        '"source":"final","scorer_id":null,"points":{points},"evidence":null}}'
    )
    assert rows[0] == ("score", "update", 3, score.format(points=3000), score.format(points=3100))
    assert [r[:2] for r in rows[1:]] == [("score", "import")]
    assert query(cluster, "SELECT points FROM score ORDER BY criterion_id") == [(5000,), (3100,)]


# ---------------------------------------------------------------- replacing costs what it writes


def _replace_steps(path: Path, units: int) -> int:
    """SQLite's virtual-machine steps (in thousands) of `score import --replace` of `units` x 4
    scores over the same scores stored, in process, through the import's use case."""
    from thidua_cli.app.scoring import import_scores
    from thidua_cli.app.session import writing
    from thidua_cli.output.tabular import Table
    from thidua_cli.store import registry

    names = [f"Đơn vị {u:04d}" for u in range(units)]
    with writing(path) as conn:
        for name in names:
            registry.set_member(conn, 1, 2024, registry.add_unit(conn, name, None, []), "member")

    def table() -> Table:
        rows = (
            (2 + i, [name, code, "1"])
            for i, (name, code) in enumerate((n, c) for n in names for c in ("1", "2", "T", "K"))
        )
        return Table(["unit", "criterion", "points"], rows)

    with writing(path) as conn:
        import_scores(conn, table(), "f", "Cụm III", 2024, "year", "final", replace=False)
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    with writing(path) as conn:
        conn.set_progress_handler(count, 1000)
        _found, written = import_scores(
            conn, table(), "f", "Cụm III", 2024, "year", "final", replace=True
        )
        conn.set_progress_handler(None, 0)
    assert written == units * 4
    return steps


def test_replacing_scores_grows_with_the_file_not_with_its_square(run, tmp_path, monkeypatch):
    steps = []
    for units in (300, 600):
        path = tmp_path / f"{units}.db"
        monkeypatch.setenv("THIDUA_DB", str(path))
        assert run("init").exit_code == 0
        make_cluster(run, tmp_path, "--cluster", "Cụm III")
        steps.append(_replace_steps(path, units))
    # before migration 15 each staged row was compared with every stored score: 4x, not 2x
    assert steps[1] < 2.5 * steps[0], steps


def test_a_file_imported_twice_is_refused_naming_the_first_fifty_and_counting_all(
    run, cluster, tmp_path
):
    from thidua_cli.app.session import writing
    from thidua_cli.store import registry

    names = [f"Đơn vị {u:02d}" for u in range(15)]
    with writing(cluster) as conn:
        for name in names:
            registry.set_member(conn, 1, 2024, registry.add_unit(conn, name, None, []), "member")
    rows = [f"{name},{code},1" for name in names for code in ("1", "2", "T", "K")]
    scores = _write(tmp_path, "s.csv", "unit,criterion,points\n" + "\n".join(rows) + "\n")
    assert run("score", "import", str(scores), "-c", "Cụm III", "-y", "2024").exit_code == 0
    before = query(cluster, "SELECT * FROM score ORDER BY 1, 2, 3, 4, 5, 6, 7")
    again = run("score", "import", str(scores), "-c", "Cụm III", "-y", "2024")
    assert again.exit_code == 3
    lines = again.stderr.splitlines()
    assert lines[0] == f"Lỗi: Chưa nhập {scores}; không có gì được ghi. 60 lỗi:"
    codes = [(name, code) for name in names for code in ("1", "2", "T", "K")]
    assert lines[1:] == [
        *(
            f"  - dòng {i + 2}: {name} / {code} đã có điểm (dùng --replace để thay)"
            for i, (name, code) in enumerate(codes[:50])
        ),
        "  - ... và 10 lỗi khác.",
    ]
    assert query(cluster, "SELECT * FROM score ORDER BY 1, 2, 3, 4, 5, 6, 7") == before


# ---------------------------------------------------------------- new scores written directly


def test_the_direct_import_checks_the_maximum_and_the_lock_itself(cluster, lifted):
    """New scores in key order go straight into `score` (no staging), the triggers lifted."""
    from thidua_cli.store import audit, db, scoring

    def attempt(points: int) -> None:
        conn = db.connect(cluster)
        conn.execute("BEGIN IMMEDIATE")
        audit.begin(conn, bulk=True)
        try:
            scoring.insert_new(conn, 1, 2024, "year", "final", ([1, 2], [1, 1], [5000, points]))
        finally:
            conn.execute("ROLLBACK")
            conn.close()

    before = _triggers(cluster)
    with pytest.raises(sqlite3.IntegrityError, match="points above the criterion maximum"):
        attempt(6001)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # the key refuses a score twice
        conn = db.connect(cluster)
        conn.execute("BEGIN IMMEDIATE")
        audit.begin(conn, bulk=True)
        try:
            scoring.insert_new(conn, 1, 2024, "year", "final", ([1, 1], [1, 1], [1, 2]))
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):  # unit 6 is no member
        conn = db.connect(cluster)
        conn.execute("BEGIN IMMEDIATE")
        audit.begin(conn, bulk=True)
        try:
            scoring.insert_new(conn, 1, 2024, "year", "final", ([1, 6], [1, 1], [1, 2]))
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    conn = raw(cluster)
    conn.execute("INSERT INTO cluster_lock (cluster_id, year) VALUES (1, 2024)")
    conn.close()
    with pytest.raises(sqlite3.IntegrityError, match="thidua: this cluster-year is frozen"):
        attempt(10)
    assert query(cluster, "SELECT count(*) FROM score") == [(0,)]
    assert _triggers(cluster) == before


_FILES = {
    "in order": "Ngân hàng An Bình,1,50\nNgân hàng An Bình,2,30\nSở Cao Lộc,1,10\n",
    "out of order": "Sở Cao Lộc,1,10\nNgân hàng An Bình,2,30\nNgân hàng An Bình,1,50\n",
    "twice": "Ngân hàng An Bình,1,50\nSở Cao Lộc,1,10\nNgân hàng An Bình,1,40\n",
    "problems": (
        "Ngân hàng An Bình,1,50\nSở Không Có,1,10\n\nSở Cao Lộc,9,10\nSở Cao Lộc,1,61\n"
        "Sở Cao Lộc,2\nSở Cao Lộc,2,3,x\nSở Cao Lộc,2,3,\nSở Ngoài Cụm,T,1\nSở Cao Lộc,K,abc\n"
        ",1,1\nSở Cao Lộc,T,2\n"
    ),
    "a source column": "unit,criterion,points,source\nSở Cao Lộc,1,10,self\nSở Cao Lộc,2,1,final\n",
}


@pytest.mark.parametrize("name", list(_FILES))
@pytest.mark.parametrize("lift", [True, False])
def test_the_column_reader_answers_as_the_row_reader(
    run, cluster, tmp_path, monkeypatch, request, name, lift
):
    """Whatever the file, `score import` says and stores the same with the reader of columns
    (a chunk of two rows here, so that problems fall in some chunks and not others) as with the
    reader of rows."""
    from thidua_cli.app import scoring as app_scoring
    from thidua_cli.output import scoresheet

    if lift:
        request.getfixturevalue("lifted")
    monkeypatch.setattr(scoresheet, "_CHUNK", 2)
    text = _FILES[name]
    scores = _write(
        tmp_path, "s.csv", text if text.startswith("unit") else "unit,criterion,points\n" + text
    )
    answers = []
    for columns in (True, False):
        if not columns:
            monkeypatch.setattr(app_scoring, "read_score_columns", lambda *a, **k: None)
        result = run("score", "import", str(scores), "-c", "Cụm III", "-y", "2024")
        stored = query(cluster, "SELECT * FROM score ORDER BY 1, 2, 3, 4, 5, 6, 7")
        answers.append((result.exit_code, result.stdout, result.stderr, stored))
        conn = raw(cluster)
        conn.execute("DELETE FROM score")
        conn.close()
    assert answers[0] == answers[1]
    assert (answers[0][0] == 0) == (name in ("in order", "out of order", "a source column"))
