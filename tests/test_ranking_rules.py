"""The ranking and award rules, on plain records."""

from hypothesis import given
from hypothesis import strategies as st

from oracle import tallies_of
from thidua_cli.models import BANG_KHEN, CO_THI_DUA, Criterion, Member, Score
from thidua_cli.points import format_points, mean_half_up, parse_points
from thidua_cli.rules.policy import Policy
from thidua_cli.rules.ranking import rank_cluster as rank_tallies

CRITERIA = [
    Criterion(1, "1", "Nhóm A", "a", 6000, "base"),
    Criterion(2, "2", "Nhóm B", "b", 4000, "base"),
    Criterion(3, "T", "Thưởng", "t", 500, "bonus"),
    Criterion(4, "K", "Trừ", "k", 500, "deduction"),
]


def rank_cluster(members, criteria, scores, policy, **options):
    """The rules over the tallies of `scores`, as the store would add them up."""
    base = sum(1 for c in criteria if c.kind == "base")
    return rank_tallies(
        members, tallies_of(scores, criteria), policy, base_criteria=base, **options
    )


def members(n):
    return [Member(i, f"Đơn vị {chr(64 + i)}") for i in range(1, n + 1)]


def finals(totals):
    """Unit i gets criterion 1 = its total (in hundredths), nothing else."""
    return [Score(i, 1, "final", t) for i, t in enumerate(totals, start=1)]


def summary(ranking):
    return [(r.unit[-1], r.rank, r.tied, r.award_code) for r in ranking.rows]


def test_competition_ranking_and_default_quotas():
    ranking = rank_cluster(
        members(7), CRITERIA, finals([5000, 5900, 5500, 5500, 4000, 5800, 100]), Policy()
    )
    assert [(r.unit[-1], r.rank, r.tied) for r in ranking.rows] == [
        ("B", 1, False),
        ("F", 2, False),
        ("C", 3, True),
        ("D", 3, True),
        ("A", 5, False),
        ("E", 6, False),
        ("G", 7, False),
    ]
    assert ranking.bang_khen_quota == 2  # floor(0.3 x 7)
    assert (ranking.rows[0].award_code, ranking.rows[1].award_code) == (CO_THI_DUA, BANG_KHEN)


def test_a_tie_at_the_quotas_edge_is_unresolved():
    ranking = rank_cluster(
        members(7), CRITERIA, finals([5000, 5900, 5500, 5500, 4000, 5800, 100]), Policy()
    )
    rows = {r.unit[-1]: r for r in ranking.rows}
    # F takes the first certificate; C and D tie for the second: neither gets it automatically.
    assert rows["F"].award_code == BANG_KHEN
    assert rows["C"].award_code is None and rows["D"].award_code is None
    assert rows["C"].pending_awards == [BANG_KHEN]
    assert [(t.rank, t.units, t.awards) for t in ranking.unresolved_ties] == [
        (3, ("Đơn vị C", "Đơn vị D"), (BANG_KHEN,))
    ]


def test_a_tie_that_the_slots_do_not_split_is_harmless():
    ranking = rank_cluster(
        members(7), CRITERIA, finals([5000, 5900, 5500, 5500, 4000, 100, 100]), Policy()
    )
    rows = {r.unit[-1]: r for r in ranking.rows}
    assert (rows["C"].award_code, rows["D"].award_code) == (BANG_KHEN, BANG_KHEN)
    assert ranking.unresolved_ties == []


def test_a_tie_at_the_top_holds_both_awards():
    ranking = rank_cluster(members(5), CRITERIA, finals([5000, 5000, 4000, 3000, 2000]), Policy())
    assert [(r.rank, r.tied, r.award_code) for r in ranking.rows[:3]] == [
        (1, True, None),
        (1, True, None),
        (3, False, None),
    ]
    assert ranking.unresolved_ties[0].awards == (CO_THI_DUA, BANG_KHEN)


def test_votes_settle_a_tie_and_say_so():
    votes = {1: (3, 5), 2: (5, 5)}
    ranking = rank_cluster(
        members(5), CRITERIA, finals([5000, 5000, 4000, 3000, 2000]), Policy(), votes=votes
    )
    assert summary(ranking)[:2] == [("B", 1, False, CO_THI_DUA), ("A", 2, False, BANG_KHEN)]
    assert ranking.rows[0].decided_by == "votes"
    assert ranking.tie_groups == [(5000, ("Đơn vị A", "Đơn vị B"), ("votes",))]
    assert ranking.unresolved_ties == []


def test_votes_missing_for_one_tied_unit_pass_to_the_next_step():
    scores = [
        Score(1, 1, "final", 3000),
        Score(1, 2, "final", 2000),
        Score(2, 1, "final", 2500),
        Score(2, 2, "final", 2500),
    ]
    policy = Policy(tie_break=("votes", "group:Nhóm B"))
    ranking = rank_cluster(members(2), CRITERIA, scores, policy, votes={1: (4, None)})
    assert summary(ranking) == [("B", 1, False, CO_THI_DUA), ("A", 2, False, None)]
    assert ranking.rows[0].decided_by == "group:Nhóm B"


def test_a_flagged_top_scorer_keeps_its_place_and_the_awards_pass_down():
    ranking = rank_cluster(
        members(5),
        CRITERIA,
        finals([5900, 5000, 4000, 3000, 2000]),
        Policy(),
        flags={1: ["Không hoàn thành kế hoạch"]},
    )
    assert summary(ranking)[:3] == [
        ("A", 1, False, None),
        ("B", 2, False, CO_THI_DUA),
        ("C", 3, False, BANG_KHEN),
    ]
    assert ranking.rows[0].flags == ["Không hoàn thành kế hoạch"]
    assert not ranking.rows[0].eligible


def test_bonus_and_deduction():
    scores = [
        Score(1, 1, "final", 5000),
        Score(1, 2, "final", 3000),
        Score(1, 3, "final", 250),
        Score(1, 4, "final", 100),
        Score(2, 1, "final", 5000),
        Score(2, 2, "final", 3100),
    ]
    ranking = rank_cluster(members(2), CRITERIA, scores, Policy())
    top, second = ranking.rows
    assert (top.unit, top.base, top.bonus, top.deduction, top.total) == (
        "Đơn vị A",
        8000,
        250,
        100,
        8150,
    )
    assert (second.unit, second.total) == ("Đơn vị B", 8100)


def test_score_rule_final_then_peer_mean_then_self():
    scores = [
        Score(1, 1, "self", 5900),
        Score(1, 1, "peer", 5000, 2),
        Score(1, 1, "peer", 5001, 3),
        Score(2, 1, "self", 5500),
        Score(2, 1, "final", 4000),
        Score(3, 1, "self", 4500),
    ]
    ranking = rank_cluster(members(3), CRITERIA, scores, Policy())
    totals = {r.unit[-1]: r.total for r in ranking.rows}
    assert totals == {"A": 5001, "B": 4000, "C": 4500}  # mean 50.005 rounds half up to 50.01
    only_self = rank_cluster(members(3), CRITERIA, scores, Policy(score_rule=("self",)))
    assert {r.unit[-1]: r.total for r in only_self.rows} == {"A": 5900, "B": 5500, "C": 4500}


def test_half_year_ranks_but_proposes_nothing():
    ranking = rank_cluster(
        members(5), CRITERIA, finals([5900, 5000, 4000, 3000, 2000]), Policy(), period="half"
    )
    assert [r.rank for r in ranking.rows] == [1, 2, 3, 4, 5]
    assert all(r.award_code is None for r in ranking.rows)


def test_unscored_units_are_listed_last_without_rank():
    ranking = rank_cluster(members(3), CRITERIA, finals([5000]), Policy())
    assert [(r.unit[-1], r.rank) for r in ranking.rows] == [("A", 1), ("B", None), ("C", None)]


def test_exact_points_make_equal_sums_tie():
    a = parse_points("0.1") + parse_points("0.2")
    assert a == parse_points("0.3") == 30
    scores = [
        Score(1, 1, "final", parse_points("0.1")),
        Score(1, 2, "final", parse_points("0.2")),
        Score(2, 1, "final", parse_points("0.3")),
    ]
    ranking = rank_cluster(members(2), CRITERIA, scores, Policy(tie_break=()))
    assert [r.rank for r in ranking.rows] == [1, 1]


def test_points_parsing():
    assert parse_points("9,5", decimal_comma=True) == 950
    assert parse_points(9.25) == 925
    assert parse_points(" 10 ") == 1000
    assert format_points(950) == "9.50"
    assert format_points(950, decimal_comma=True) == "9,50"
    assert mean_half_up([1, 2]) == 2
    for bad, reason in (
        ("nan", "not_a_number"),
        ("inf", "not_a_number"),
        ("", "empty"),
        ("-1", "negative"),
        ("1.234", "too_precise"),
        ("mười", "not_a_number"),
    ):
        try:
            parse_points(bad)
        except ValueError as exc:
            assert exc.reason == reason, bad
        else:
            raise AssertionError(bad)


@given(
    st.lists(st.integers(min_value=0, max_value=6000), min_size=1, max_size=12),
    st.sets(st.integers(min_value=1, max_value=12)),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=100),
)
def test_properties_of_any_ranking(totals, flagged, co_thi_dua_quota, percent):
    n = len(totals)
    policy = Policy(co_thi_dua_quota=co_thi_dua_quota, bang_khen_percent=percent, tie_break=())
    ranking = rank_cluster(
        members(n), CRITERIA, finals(totals), policy, flags={i: ["x"] for i in flagged if i <= n}
    )
    rows = ranking.rows
    for row in rows:  # competition ranking: 1 + how many are strictly better
        assert row.rank == 1 + sum(1 for other in rows if other.total > row.total)
        assert row.tied == any(o is not row and o.total == row.total for o in rows)
    assert [r.total for r in rows] == sorted(totals, reverse=True)
    awarded = [r for r in rows if r.award_code]
    assert all(r.eligible for r in awarded)
    assert sum(r.award_code == CO_THI_DUA for r in awarded) <= co_thi_dua_quota
    assert sum(r.award_code == BANG_KHEN for r in awarded) <= n * percent // 100
    # awards go down the ranking: no eligible, untied unit is skipped for one below it
    for r in awarded:
        for above in rows:
            if above.rank < r.rank and above.eligible and not above.tied:
                assert above.award_code is not None
