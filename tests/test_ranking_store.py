"""The rules over what the store adds up: random cluster-years against the oracle and against
the invariants every ranking keeps, plus the literal cases.

The store sums the scores (store/scoring.py: tallies, a quick pass per unit where all of a
unit's scores come from one source, and per criterion otherwise); the rules decide
(rules/ranking.py). These tests hold the sums to a plain recount (tests/oracle.py) and the
ranking to properties that do not depend on how it is computed.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracle import normalised, tallies_of
from thidua_cli.app.ranking import live_ranking, live_rankings_of_year, policy_for
from thidua_cli.models import BANG_KHEN, CO_THI_DUA, Criterion, Member, Ranking, Tally
from thidua_cli.rules.policy import Policy
from thidua_cli.rules.ranking import rank_cluster
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
EXAMPLES = int(os.environ.get("THIDUA_EXAMPLES", "60"))


@st.composite
def cluster_years(draw: st.DrawFn) -> dict:
    size = draw(st.integers(1, 7))
    # most clusters settle one source for everyone (the store's quick pass), some mix them
    shape = draw(st.sampled_from(["final", "self", "peer", "mixed", "mixed"]))
    scores = []
    for unit, criterion in itertools.product(range(size), range(len(CRITERIA))):
        if shape == "peer":  # cross-scoring only: a mean of several scores per criterion
            for scorer in range(size):
                if scorer != unit and draw(st.booleans()):
                    scores.append((unit, criterion, "peer", scorer, draw(st.integers(0, 200))))
            continue
        if shape != "mixed":
            if draw(st.integers(0, 5)) > 0:
                scores.append((unit, criterion, shape, None, draw(st.sampled_from(VALUES))))
            continue
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
        # scores left under the province's set after the cluster got a set of its own
        "orphans": draw(st.integers(0, 3)) == 0,
        "votes": {
            u: draw(st.integers(0, 3)) for u in range(size) if draw(st.integers(0, 3)) > 0
        },
        "flags": [u for u in range(size) if draw(st.integers(0, 5)) == 0],
        "co_thi_dua_quota": draw(st.integers(0, 2)),
        "bang_khen": draw(st.one_of(st.none(), st.integers(0, 4).map(lambda n: ("quota", n)),
                                    st.sampled_from([("percent", 30), ("percent", 50)]))),
        "tie_break": draw(st.lists(st.sampled_from(STEPS), max_size=3)),
        "score_rule": draw(st.sampled_from(RULES)),
        "half": draw(st.booleans()),
    }  # fmt: skip


def _store(path: Path, case: dict) -> sqlite3.Connection:
    conn = db.connect(path, create=True)
    with db.transaction(conn):
        cluster_id = registry.add_cluster(conn, "Cụm thử", None, "cum", [])
        other = registry.add_cluster(conn, "Cụm khác", None, "cum", [])
        units = [registry.add_unit(conn, f"Đơn vị {chr(65 + i)}", None, []) for i in range(8)]
        for unit_id in units[: case["size"]]:
            registry.set_member(conn, cluster_id, YEAR, unit_id, "member")
        registry.set_member(conn, other, YEAR, units[7], "member")
        scoring.save_criteria(conn, None, YEAR, CRITERIA, replace=False)
        default = scoring.default_criteria(conn, YEAR) or []
        criteria = default
        if case["orphans"]:
            scoring.save_criteria(conn, cluster_id, YEAR, CRITERIA, replace=False)
            criteria = (scoring.applicable_criteria(conn, cluster_id, YEAR) or ([], False))[0]
        period = "half" if case["half"] else "year"
        for unit, criterion, source, scorer, points in case["scores"]:
            chosen = criteria if not case["orphans"] or criterion % 2 else default
            key = (cluster_id, YEAR, period, units[unit], chosen[criterion].id, source,
                   units[scorer] if scorer is not None else None)  # fmt: skip
            scoring.set_score(conn, key, min(points, chosen[criterion].max_points))
        # another cluster's scores in the same period: never counted for this one
        scoring.set_score(conn, (other, YEAR, period, units[7], default[0].id, "final", None), 500)
        for unit, count in case["votes"].items():
            scoring.set_vote(conn, cluster_id, YEAR, period, units[unit], count, None)
        for unit in case["flags"]:
            scoring.add_flag(conn, units[unit], YEAR, "Vi phạm")
        quota = case["bang_khen"]
        scoring.save_policy(
            conn,
            cluster_id,
            YEAR,
            {
                "co_thi_dua_quota": case["co_thi_dua_quota"],
                "bang_khen_quota": quota[1] if quota and quota[0] == "quota" else None,
                "bang_khen_percent": quota[1] if quota and quota[0] == "percent" else None,
                "tie_break": ",".join(dict.fromkeys(case["tie_break"])) or "none",
                "score_rule": case["score_rule"],
            },
        )
    return conn


def _cluster(conn: sqlite3.Connection):
    return next(c for c in registry.clusters(conn) if c.name == "Cụm thử")


def _oracle(conn: sqlite3.Connection, period: str, *, groups: bool = True) -> list[Tally]:
    cluster = _cluster(conn)
    criteria = (scoring.applicable_criteria(conn, cluster.id, YEAR) or ([], False))[0]
    return tallies_of(scoring.scores(conn, cluster.id, YEAR, period), criteria, groups=groups)


def _facts(ranking: Ranking) -> dict:
    return {
        "rows": [
            (r.unit, r.rank, r.tied, r.base, r.bonus, r.deduction, r.scored, r.missing, r.votes,
             r.flags, r.steps, r.eligible, r.award_code, r.pending_awards)
            for r in ranking.rows
        ],
        "ties": [(t.rank, t.units, t.awards, t.total) for t in ranking.unresolved_ties],
        "groups": ranking.tie_groups,
        "quotas": (ranking.co_thi_dua_quota, ranking.bang_khen_quota, ranking.members),
    }  # fmt: skip


def _case_db(tmp_path: Path, case: dict) -> tuple[Path, sqlite3.Connection]:
    path = tmp_path / f"case-{abs(hash(repr(case)))}.db"
    path.unlink(missing_ok=True)
    return path, _store(path, case)


SLOW = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SLOW
@given(case=cluster_years(), inline_sets=st.sampled_from([8, 0]))
def test_the_store_adds_up_as_the_oracle(
    tmp_path: Path, case: dict, inline_sets: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the criteria written into the query as ids (the usual way), or joined (many sets a year)
    monkeypatch.setattr(scoring, "_INLINE_SETS", inline_sets)
    path, conn = _case_db(tmp_path, case)
    try:
        period = "half" if case["half"] else "year"
        cluster = _cluster(conn)
        sets = scoring.criteria_sets_of_year(conn, YEAR)
        chosen = {cluster.id: sets.get(cluster.id, sets.get(None))}
        for grouped in (False, True):
            found = scoring.tallies(
                conn, YEAR, period, chosen, grouped={cluster.id} if grouped else ()
            )
            assert normalised(found.get(cluster.id, [])) == normalised(
                _oracle(conn, period, groups=grouped)
            )
        # one cluster read alone, and in the pass over the whole year, add up the same
        alone = scoring.tallies(conn, YEAR, period, chosen, only={cluster.id})
        assert normalised(alone.get(cluster.id, [])) == normalised(
            _oracle(conn, period, groups=False)
        )
    finally:
        conn.close()
        path.unlink(missing_ok=True)


@SLOW
@given(case=cluster_years())
def test_the_live_ranking_is_the_rules_over_what_the_store_holds(
    tmp_path: Path, case: dict
) -> None:
    path, conn = _case_db(tmp_path, case)
    try:
        period = "half" if case["half"] else "year"
        cluster = _cluster(conn)
        criteria = (scoring.applicable_criteria(conn, cluster.id, YEAR) or ([], False))[0]
        expected = rank_cluster(
            registry.members(conn, cluster.id, YEAR),
            _oracle(conn, period),
            policy_for(conn, cluster.id, YEAR),
            base_criteria=sum(1 for c in criteria if c.kind == "base"),
            period=period,
            votes=scoring.votes(conn, cluster.id, YEAR, period),
            flags=scoring.flags_by_unit(conn, YEAR),
        )
        assert _facts(live_ranking(conn, cluster, YEAR, period)) == _facts(expected)
        assert _facts(live_rankings_of_year(conn, YEAR, period)[cluster.id]) == _facts(expected)
    finally:
        conn.close()
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- invariants of the rules


@st.composite
def tallied(draw: st.DrawFn) -> dict:
    """Members and tallies drawn directly: totals from a few values, so that ties are common."""
    size = draw(st.integers(1, 9))
    tallies = []
    for unit in range(1, size + 1):
        if draw(st.integers(0, 6)) == 0:
            continue  # no scores
        for group in ("Nhóm A", "Nhóm B"):
            points = draw(st.sampled_from([0, 100, 200, 300]))
            tallies.append(Tally(unit, "base", group, frozenset({"final"}), 1, final=points))
        if draw(st.booleans()):
            bonus = draw(st.sampled_from([0, 100]))
            tallies.append(Tally(unit, "bonus", None, frozenset({"final"}), 1, final=bonus))
    steps = draw(st.lists(st.sampled_from(["votes", "group:Nhóm A", "group:nhóm b"]), max_size=3))
    return {
        "members": [Member(u, f"Đơn vị {chr(64 + u)}") for u in range(1, size + 1)],
        "tallies": tallies,
        "votes": {
            u: (draw(st.integers(0, 3)), None)
            for u in range(1, size + 1)
            if draw(st.integers(0, 3)) > 0
        },
        "flags": {u: ["Vi phạm"] for u in range(1, size + 1) if draw(st.integers(0, 4)) == 0},
        "policy": Policy(
            co_thi_dua_quota=draw(st.integers(0, 2)),
            bang_khen_percent=draw(st.sampled_from([0, 30, 50, 100])),
            tie_break=tuple(dict.fromkeys(steps)),
        ),
        "period": draw(st.sampled_from(["year", "year", "half"])),
    }


def _rank(case: dict, members=None, tallies=None) -> Ranking:
    return rank_cluster(
        members if members is not None else case["members"],
        tallies if tallies is not None else case["tallies"],
        case["policy"],
        base_criteria=2,
        period=case["period"],
        votes=case["votes"],
        flags=case["flags"],
    )


@settings(max_examples=300, deadline=None)
@given(case=tallied(), seed=st.integers(0, 2**32))
def test_a_permutation_of_the_input_changes_nothing(case: dict, seed: int) -> None:
    shuffler = random.Random(seed)
    members, tallies = list(case["members"]), list(case["tallies"])
    shuffler.shuffle(members)
    shuffler.shuffle(tallies)
    assert _facts(_rank(case, members, tallies)) == _facts(_rank(case))


@settings(max_examples=300, deadline=None)
@given(case=tallied())
def test_the_awards_keep_the_quotas_and_go_to_eligible_units_only(case: dict) -> None:
    ranking = _rank(case)
    awards = [r.award_code for r in ranking.rows if r.award_code]
    assert awards.count(CO_THI_DUA) <= ranking.co_thi_dua_quota
    assert awards.count(BANG_KHEN) <= ranking.bang_khen_quota
    for row in ranking.rows:
        if row.flags or not row.scored:
            assert row.award_code is None and not row.pending_awards
        if ranking.period == "half":
            assert row.award_code is None and not row.pending_awards
    # competition ranking: a unit's place is one more than the units placed strictly above it
    for row in ranking.rows:
        if row.rank is not None:
            above = sum(1 for o in ranking.rows if o.rank is not None and o.rank < row.rank)
            assert row.rank == above + 1


@settings(max_examples=300, deadline=None)
@given(case=tallied())
def test_equal_totals_with_no_tie_break_value_tie(case: dict) -> None:
    case["votes"] = {}
    case["policy"] = Policy(tie_break=("votes",))  # votes of nobody: the step is passed over
    ranking = _rank(case)
    for row in ranking.rows:
        if row.scored:
            same = [o for o in ranking.rows if o.scored and o.total == row.total]
            assert {o.rank for o in same} == {row.rank}
            assert row.tied == (len(same) > 1)


@settings(max_examples=300, deadline=None)
@given(case=tallied(), data=st.data())
def test_removing_a_unit_never_lowers_another_units_place(case: dict, data: st.DataObject) -> None:
    """The place of a unit whose total differs from the removed unit's can only stay or rise.

    (A unit that had the removed unit's total may be placed lower: a tie-break step that the
    removed unit had no value for was passed over, and now applies.)"""
    gone = data.draw(st.sampled_from(case["members"]))
    before = _rank(case)
    after = _rank(
        case,
        [m for m in case["members"] if m.unit_id != gone.unit_id],
        [t for t in case["tallies"] if t.unit_id != gone.unit_id],
    )
    total_gone = next(r for r in before.rows if r.unit_id == gone.unit_id)
    was = {r.unit_id: r for r in before.rows}
    for row in after.rows:
        old = was[row.unit_id]
        if row.rank is None or (total_gone.scored and old.total == total_gone.total):
            continue
        assert row.rank <= (old.rank or 0)


# ---------------------------------------------------------------- literal cases


def test_the_sample_ranks_as_the_rules_say_over_the_oracle(sample: Path) -> None:
    conn = db.connect(sample)
    try:
        clusters = [c for c in registry.clusters(conn) if registry.members(conn, c.id, 2020)]
        assert len(clusters) == 4
        for cluster in clusters:
            criteria = (scoring.applicable_criteria(conn, cluster.id, 2020) or ([], False))[0]
            expected = rank_cluster(
                registry.members(conn, cluster.id, 2020),
                tallies_of(scoring.scores(conn, cluster.id, 2020, "year"), criteria),
                policy_for(conn, cluster.id, 2020),
                base_criteria=sum(1 for c in criteria if c.kind == "base"),
                votes=scoring.votes(conn, cluster.id, 2020, "year"),
                flags=scoring.flags_by_unit(conn, 2020),
            )
            assert _facts(live_ranking(conn, cluster, 2020, "year")) == _facts(expected)
    finally:
        conn.close()


def test_criteria_ids_that_interleave_and_a_year_without_bonus_add_up_as_the_oracle(
    tmp_path: Path,
) -> None:
    # The quick pass writes each set's criteria into its query as ranges of ids; two sets
    # created in turns have ids that interleave, and a year with base criteria only has no
    # bonus or deduction to sum.
    assert scoring._among([]) is None
    assert scoring._among([9, 1, 3, 2, 7, 10]) == (
        "s.criterion_id BETWEEN 1 AND 3 OR s.criterion_id = 7 OR s.criterion_id BETWEEN 9 AND 10"
    )
    conn = db.connect(tmp_path / "interleaved.db", create=True)
    try:
        with db.transaction(conn):
            one = registry.add_cluster(conn, "Cụm một", None, "cum", [])
            two = registry.add_cluster(conn, "Cụm hai", None, "cum", [])
            units = [registry.add_unit(conn, f"Đơn vị {i}", None, []) for i in range(4)]
            for i, unit_id in enumerate(units):
                registry.set_member(conn, one if i < 2 else two, YEAR, unit_id, "member")
            sets = {}
            for cluster_id in (one, two):
                sets[cluster_id] = conn.execute(
                    "INSERT INTO criteria_set (year, cluster_id) VALUES (?, ?)", (YEAR, cluster_id)
                ).lastrowid
            for position in range(3):
                for cluster_id in (one, two):
                    conn.execute(
                        "INSERT INTO criterion (set_id, code, code_key, grp, name, max_points,"
                        " kind, position) VALUES (?, ?, ?, '', 'Tiêu chí', 500, 'base', ?)",
                        (sets[cluster_id], str(position), str(position), position),
                    )
            for i, unit_id in enumerate(units):
                cluster_id = one if i < 2 else two
                for criterion in scoring.criteria_of_set(conn, sets[cluster_id]):
                    key = (cluster_id, YEAR, "year", unit_id, criterion.id, "final", None)
                    scoring.set_score(conn, key, 100 * i + criterion.position)
            # one score of the other cluster's set: this unit's scores are not all its own
            other = scoring.criteria_of_set(conn, sets[two])[0]
            scoring.set_score(conn, (one, YEAR, "year", units[1], other.id, "final", None), 50)
        found = scoring.tallies(conn, YEAR, "year", sets)
        for cluster_id in (one, two):
            criteria = scoring.criteria_of_set(conn, sets[cluster_id])
            expected = tallies_of(scoring.scores(conn, cluster_id, YEAR, "year"), criteria)
            assert normalised(found.get(cluster_id, [])) == normalised(expected)
        assert sorted((t.unit_id, t.kind, t.final) for t in found[two]) == [
            (units[2], "base", 603),
            (units[3], "base", 903),
        ]
    finally:
        conn.close()


def test_a_four_step_tie_break_is_refused(run, db: Path) -> None:
    before = db.read_bytes()
    result = run("policy", "set", "--year", "2024", "--tie-break",
                 "votes, group:A, group:B, group:C")  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "Cách phân định đồng hạng có tối đa 3 bước" in result.output
    assert db.read_bytes() == before


def test_the_defaults_are_data_that_the_ranking_and_policy_show_share(run, sample: Path) -> None:
    # A province whose default is two Cờ and no Bằng khen edits one row, in any SQL tool.
    with sqlite3.connect(sample) as conn:
        conn.execute("UPDATE policy_default SET co_thi_dua_quota = 2, bang_khen_percent = 0")
    shown = run("policy", "show", "-c", "Cụm I", "-y", "2020", "--format", "json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert (data["co_thi_dua_quota"], data["bang_khen_quota"]) == (2, 0)
    ranked = run("rank", "-c", "Cụm I", "-y", "2020", "--format", "json")
    awards = [row["award_code"] for row in json.loads(ranked.stdout)["rows"]]
    assert awards == ["co_thi_dua", "co_thi_dua", None, None, None]
    # the submitted record keeps the proposals it was submitted with
    assert json.loads(ranked.stdout)["differs_from_submission"] == [
        "Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn"
    ]
