"""The database's ranking view against the rules as written in Python (ranking.rank_cluster).

The CLI, Datasette and the sqlite3 shell read the view; these tests draw random cluster-years
(ties, missing votes, flags, peer scores, every score rule and tie-break chain the policy allows)
and require the view to give exactly what rank_cluster gives.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua_cli.app.results import policy_for, ranking_for
from thidua_cli.rules.policy import Policy
from thidua_cli.rules.ranking import Criterion, Ranking, Score, rank_cluster
from thidua_cli.store import db, registry, scoring

YEAR = 2024
CRITERIA = [
    Criterion(0, "1", "Nhóm A", "Công tác chuyên môn", 600, "base"),
    Criterion(0, "2", "Nhóm B", "Công tác phối hợp", 400, "base"),
    Criterion(0, "3", "Nhóm B", "Phong trào", 300, "base"),
    Criterion(0, "T", "", "Điểm thưởng", 200, "bonus"),
    Criterion(0, "K", "", "Điểm trừ", 200, "deduction"),
]
# Group names as a user might type them in a tie-break: other case, other tone placement.
STEPS = ["votes", "group:Nhóm A", "group:nhóm b", "group:NHÓM A"]
RULES = [
    ",".join(p) for n in (1, 2, 3) for p in itertools.permutations(["final", "peer", "self"], n)
]
VALUES = [0, 100, 150, 200]  # few values, so that equal totals are common


@st.composite
def cluster_years(draw: st.DrawFn) -> dict:
    size = draw(st.integers(1, 7))
    scores = []
    for unit, criterion in itertools.product(range(size), range(len(CRITERIA))):
        if draw(st.booleans()):
            scores.append((unit, criterion, "final", None, draw(st.sampled_from(VALUES))))
        if draw(st.integers(0, 3)) == 0:
            scores.append((unit, criterion, "self", None, draw(st.sampled_from(VALUES))))
        for scorer in range(size):
            if scorer != unit and draw(st.integers(0, 4)) == 0:
                scores.append((unit, criterion, "peer", scorer, draw(st.integers(0, 200))))
    return {
        "size": size,
        "scores": scores,
        "votes": {
            u: draw(st.integers(0, 3)) for u in range(size) if draw(st.integers(0, 3)) > 0
        },
        "flags": [u for u in range(size) if draw(st.integers(0, 5)) == 0],
        "flag_quota": draw(st.integers(0, 2)),
        "merit": draw(st.one_of(st.none(), st.integers(0, 4).map(lambda n: ("quota", n)),
                                st.sampled_from([("percent", 30), ("percent", 50)]))),
        "tie_break": draw(st.lists(st.sampled_from(STEPS), max_size=3)),
        "score_rule": draw(st.sampled_from(RULES)),
        "half": draw(st.booleans()),
    }  # fmt: skip


def _store(path: Path, case: dict) -> sqlite3.Connection:
    conn = db.connect(path, create=True)
    with db.transaction(conn):
        cluster_id = registry.add_cluster(conn, "Cụm thử", None, "cum", [])
        units = [registry.add_unit(conn, f"Đơn vị {chr(65 + i)}", None, []) for i in range(7)]
        for unit_id in units[: case["size"]]:
            registry.set_member(conn, cluster_id, YEAR, unit_id, "member")
        scoring.save_criteria(conn, None, YEAR, CRITERIA, replace=False)
        criteria = scoring.default_criteria(conn, YEAR) or []
        period = "half" if case["half"] else "year"
        for unit, criterion, source, scorer, points in case["scores"]:
            key = (cluster_id, YEAR, period, units[unit], criteria[criterion].id, source,
                   units[scorer] if scorer is not None else None)  # fmt: skip
            scoring.set_score(conn, key, min(points, criteria[criterion].max_points))
        for unit, count in case["votes"].items():
            scoring.set_vote(conn, cluster_id, YEAR, period, units[unit], count, None)
        for unit in case["flags"]:
            scoring.add_flag(conn, units[unit], YEAR, "Vi phạm")
        merit = case["merit"]
        scoring.save_policy(
            conn,
            cluster_id,
            YEAR,
            {
                "flag_quota": case["flag_quota"],
                "merit_quota": merit[1] if merit and merit[0] == "quota" else None,
                "merit_percent": merit[1] if merit and merit[0] == "percent" else None,
                "tie_break": ",".join(dict.fromkeys(case["tie_break"])) or "none",
                "score_rule": case["score_rule"],
            },
        )
    return conn


def _python(conn: sqlite3.Connection, period: str) -> Ranking:
    cluster_id = registry.clusters(conn)[0].id
    policy: Policy = policy_for(conn, cluster_id, YEAR)
    return rank_cluster(
        registry.members(conn, cluster_id, YEAR),
        scoring.default_criteria(conn, YEAR) or [],
        [Score(*s) for s in scoring.scores(conn, cluster_id, YEAR, period)],
        policy,
        period=period,
        votes=scoring.votes(conn, cluster_id, YEAR, period),
        flags=scoring.flags_by_unit(conn, YEAR),
    )


def _facts(ranking: Ranking) -> dict:
    return {
        "rows": [
            (r.unit, r.rank, r.tied, r.base, r.bonus, r.deduction, r.scored, r.missing, r.votes,
             r.flags, r.decided_by, r.award_code, r.pending_awards)
            for r in ranking.rows
        ],
        "ties": [(t.rank, t.units, t.awards, t.total) for t in ranking.unresolved_ties],
        # the view lists the steps that placed a tie group in chain order
        "groups": sorted((total, units, frozenset(steps))
                         for total, units, steps in ranking.tie_groups),
        "quotas": (ranking.flag_quota, ranking.merit_quota, ranking.members),
    }  # fmt: skip


@settings(
    max_examples=int(os.environ.get("THIDUA_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cluster_years())
def test_the_view_ranks_as_the_rules_say(tmp_path: Path, case: dict) -> None:
    path = tmp_path / f"case-{abs(hash(repr(case)))}.db"
    path.unlink(missing_ok=True)
    conn = _store(path, case)
    try:
        period = "half" if case["half"] else "year"
        cluster = registry.clusters(conn)[0]
        assert _facts(ranking_for(conn, cluster, YEAR, period)) == _facts(_python(conn, period))
    finally:
        conn.close()
        path.unlink(missing_ok=True)


def test_the_view_ranks_the_sample_as_the_rules_say(sample: Path) -> None:
    conn = db.connect(sample)
    try:
        clusters = [c for c in registry.clusters(conn) if registry.members(conn, c.id, 2020)]
        assert len(clusters) == 4
        for cluster in clusters:
            expected = rank_cluster(
                registry.members(conn, cluster.id, 2020),
                (scoring.applicable_criteria(conn, cluster.id, 2020) or ([], False))[0],
                scoring.scores(conn, cluster.id, 2020, "year"),
                policy_for(conn, cluster.id, 2020),
                votes=scoring.votes(conn, cluster.id, 2020, "year"),
                flags=scoring.flags_by_unit(conn, 2020),
            )
            assert _facts(ranking_for(conn, cluster, 2020, "year")) == _facts(expected)
    finally:
        conn.close()


def test_a_four_step_tie_break_is_refused(run, db: Path) -> None:
    before = db.read_bytes()
    result = run("policy", "set", "--year", "2024", "--tie-break",
                 "votes, group:A, group:B, group:C")  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "Cách phân định đồng hạng có tối đa 3 bước" in result.output
    assert db.read_bytes() == before


def test_the_defaults_are_data_that_the_view_and_policy_show_share(run, sample: Path) -> None:
    # A province whose default is two flags and no certificate edits one row, in any SQL tool.
    with sqlite3.connect(sample) as conn:
        conn.execute("UPDATE policy_default SET flag_quota = 2, merit_percent = 0")
    shown = run("policy", "show", "-c", "Cụm I", "-y", "2020", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert '"flag_quota": 2' in shown.output and '"merit_quota": 0' in shown.output
    ranked = run("rank", "-c", "Cụm I", "-y", "2020", "--format", "json")
    awards = [row["award_code"] for row in json.loads(ranked.output)["rows"]]
    assert awards == ["co_thi_dua", "co_thi_dua", None, None, None]
