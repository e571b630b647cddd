"""The ballot, the rating and the quotas of small clusters (issue 14), in the rules: a vote
threshold read both ways, a minimum rating per award, what an award waits for, and a floor and a
cap on the Bằng khen; plus invariants over random cluster-years.
"""

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_cli.models import BANG_KHEN, CO_THI_DUA, RATINGS, Member, Tally
from thidua_cli.rules.ballot import ballot_problem, passes_threshold
from thidua_cli.rules.policy import Policy
from thidua_cli.rules.ranking import rank_cluster

FINAL = frozenset({"final"})


def _members(n: int) -> list[Member]:
    return [Member(i, f"Đơn vị {chr(64 + i)}") for i in range(1, n + 1)]


def _tallies(totals: list[int]) -> list[Tally]:
    return [Tally(i, "base", None, FINAL, 1, final=t) for i, t in enumerate(totals, start=1)]


def _rank(totals, policy=None, **options):
    members, tallies = _members(len(totals)), _tallies(totals)
    return rank_cluster(members, tallies, policy or Policy(), base_criteria=1, **options)


def _awards(ranking) -> list[tuple[str, str | None, list[str], dict, list[str]]]:
    return [
        (r.unit[-1], r.award_code, r.pending_awards, r.barred, r.awaiting) for r in ranking.rows
    ]


# ---------------------------------------------------------------- the threshold


def test_both_readings_of_a_threshold_at_exactly_half() -> None:
    assert passes_threshold(4, 8, 50, "at-least")
    assert not passes_threshold(4, 8, 50, "more-than")
    assert passes_threshold(5, 8, 50, "more-than")
    assert not passes_threshold(3, 7, 50, "at-least")
    assert not passes_threshold(0, 0, 50, "at-least")  # no valid ballot reaches nothing


def test_a_top_scorer_exactly_at_half_keeps_the_flag_at_least_and_passes_it_on_more_than() -> None:
    votes = {1: (4, 8, 9), 2: (8, 8, 9), 3: (8, 8, 9), 4: (8, 8, 9)}
    at_least = Policy(vote_threshold=50, vote_threshold_rule="at-least")
    assert _awards(_rank([9000, 8000, 7000, 6000], at_least, votes=votes)) == [
        ("A", CO_THI_DUA, [], {}, []),
        ("B", BANG_KHEN, [], {}, []),
        ("C", None, [], {}, []),
        ("D", None, [], {}, []),
    ]
    more_than = dataclasses.replace(at_least, vote_threshold_rule="more-than")
    ranking = _rank([9000, 8000, 7000, 6000], more_than, votes=votes)
    # A keeps its place and, the threshold gating only the Cờ, still takes the Bằng khen
    assert _awards(ranking) == [
        ("A", BANG_KHEN, [], {CO_THI_DUA: "votes"}, []),
        ("B", CO_THI_DUA, [], {}, []),
        ("C", None, [], {}, []),
        ("D", None, [], {}, []),
    ]
    assert [r.rank for r in ranking.rows] == [1, 2, 3, 4]
    assert (ranking.rows[0].votes, ranking.rows[0].voters, ranking.rows[0].issued) == (4, 8, 9)


def test_a_threshold_on_both_awards_passes_both_down() -> None:
    policy = Policy(vote_threshold=50, vote_gates=(CO_THI_DUA, BANG_KHEN))
    votes = {1: (3, 7, None), 2: (7, 7, None), 3: (6, 7, None), 4: (5, 7, None)}
    assert _awards(_rank([9000, 8000, 7000, 6000], policy, votes=votes)) == [
        ("A", None, [], {CO_THI_DUA: "votes", BANG_KHEN: "votes"}, []),
        ("B", CO_THI_DUA, [], {}, []),
        ("C", BANG_KHEN, [], {}, []),
        ("D", None, [], {}, []),
    ]


def test_a_missing_ballot_holds_the_award_it_would_get_and_no_other() -> None:
    policy = Policy(vote_threshold=50)
    ranking = _rank([9000, 8000, 7000, 6000], policy, votes={2: (5, 7, None)})
    assert _awards(ranking) == [
        ("A", CO_THI_DUA, [], {}, ["ballot"]),
        ("B", BANG_KHEN, [], {}, []),  # the threshold gates the Cờ only
        ("C", None, [], {}, []),
        ("D", None, [], {}, []),
    ]
    assert [r.unit for r in ranking.awaiting] == ["Đơn vị A"]


def test_no_threshold_leaves_the_ballot_to_the_tie_break_only() -> None:
    votes = {1: (0, 9, 9), 2: (9, 9, 9)}
    assert _awards(_rank([9000, 8000, 7000], votes=votes))[:2] == [
        ("A", CO_THI_DUA, [], {}, []),
        ("B", None, [], {}, []),  # 30 % of 3 units: no Bằng khen
    ]


# ---------------------------------------------------------------- the rating


def test_a_unit_rated_below_the_minimum_is_skipped_for_both_awards() -> None:
    policy = Policy(min_rating_co_thi_dua="htxsnv", min_rating_bang_khen="htxsnv")
    ratings = {1: "httnv", 2: "htxsnv", 3: "htxsnv", 4: "htxsnv"}
    ranking = _rank([9000, 8000, 7000, 6000], policy, ratings=ratings)
    assert _awards(ranking) == [
        ("A", None, [], {CO_THI_DUA: "rating", BANG_KHEN: "rating"}, []),
        ("B", CO_THI_DUA, [], {}, []),
        ("C", BANG_KHEN, [], {}, []),
        ("D", None, [], {}, []),
    ]
    assert ranking.rows[0].rating == "httnv"


def test_a_unit_under_the_threshold_and_rated_too_low_is_barred_for_both_reasons() -> None:
    from thidua_cli.output.wording import barred_reasons

    policy = Policy(vote_threshold=50, min_rating_co_thi_dua="htxsnv")
    votes = {1: (3, 7, 7), 2: (7, 7, 7), 3: (7, 7, 7), 4: (7, 7, 7)}
    ratings = {1: "httnv", 2: "htxsnv", 3: "htxsnv", 4: "htxsnv"}
    ranking = _rank([9000, 8000, 7000, 6000], policy, votes=votes, ratings=ratings)
    assert _awards(ranking)[:2] == [
        ("A", BANG_KHEN, [], {CO_THI_DUA: "votes,rating"}, []),
        ("B", CO_THI_DUA, [], {}, []),
    ]
    assert barred_reasons(ranking.rows[0], ranking.rules) == [
        "không xét Cờ thi đua của UBND tỉnh: 3/7 phiếu = 42,86%, dưới ngưỡng 50%; xếp loại"
        " Hoàn thành tốt nhiệm vụ, thấp hơn mức Hoàn thành xuất sắc nhiệm vụ"
    ]
    # barred by its ballot, a unit without a rating waits for nothing
    no_rating = _rank([9000, 8000, 7000, 6000], policy, votes=votes, ratings={2: "htxsnv"})
    assert _awards(no_rating)[0] == ("A", BANG_KHEN, [], {CO_THI_DUA: "votes"}, [])


def test_a_minimum_for_the_flag_only_leaves_the_certificate() -> None:
    policy = Policy(min_rating_co_thi_dua="htxsnv")
    ratings = {1: "httnv", 2: "htxsnv"}
    assert _awards(_rank([9000, 8000, 7000, 6000], policy, ratings=ratings))[:3] == [
        ("A", BANG_KHEN, [], {CO_THI_DUA: "rating"}, []),
        ("B", CO_THI_DUA, [], {}, []),
        ("C", None, [], {}, []),
    ]


def test_a_missing_rating_holds_the_award() -> None:
    policy = Policy(min_rating_co_thi_dua="httnv", min_rating_bang_khen="httnv")
    ranking = _rank([9000, 8000, 7000, 6000], policy, ratings={1: "htxsnv"})
    assert _awards(ranking)[:3] == [
        ("A", CO_THI_DUA, [], {}, []),
        ("B", BANG_KHEN, [], {}, ["rating"]),
        ("C", None, [], {}, []),
    ]


def test_a_tie_for_the_flag_holds_what_the_rules_still_wait_for() -> None:
    policy = Policy(vote_threshold=50, tie_break=())
    ranking = _rank([9000, 9000, 7000, 6000], policy)
    assert _awards(ranking)[:2] == [
        ("A", None, [CO_THI_DUA, BANG_KHEN], {}, ["ballot"]),
        ("B", None, [CO_THI_DUA, BANG_KHEN], {}, ["ballot"]),
    ]


def test_a_tie_of_one_unit_barred_from_the_flag_is_no_tie() -> None:
    policy = Policy(vote_threshold=50, tie_break=())
    votes = {1: (1, 7, None), 2: (6, 7, None), 3: (6, 7, None), 4: (6, 7, None)}
    ranking = _rank([9000, 9000, 7000, 6000], policy, votes=votes)
    assert _awards(ranking)[:3] == [
        ("A", BANG_KHEN, [], {CO_THI_DUA: "votes"}, []),
        ("B", CO_THI_DUA, [], {}, []),
        ("C", None, [], {}, []),
    ]
    assert ranking.unresolved_ties == []


# ---------------------------------------------------------------- quotas of small clusters


def test_a_three_unit_cluster_with_a_floor_of_one_proposes_one_flag_and_one_certificate() -> None:
    policy = Policy(bang_khen_percent=30, bang_khen_min=1)
    ranking = _rank([9000, 8000, 7000], policy)
    assert (ranking.co_thi_dua_quota, ranking.bang_khen_quota) == (1, 1)
    assert [r.award_code for r in ranking.rows] == [CO_THI_DUA, BANG_KHEN, None]


def test_the_floor_never_reaches_past_the_members_after_the_flag_and_the_cap_holds() -> None:
    assert Policy(bang_khen_min=5).bang_khen_quota_for(2) == 1
    assert Policy(bang_khen_min=5, co_thi_dua_quota=2).bang_khen_quota_for(2) == 0
    assert Policy(bang_khen_percent=50, bang_khen_max=2).bang_khen_quota_for(10) == 2
    assert Policy(bang_khen_quota=4, bang_khen_max=3).bang_khen_quota_for(10) == 3
    assert Policy(bang_khen_percent=30).bang_khen_quota_for(3) == 0  # today's rule, unchanged


# ---------------------------------------------------------------- the ballot's own limits


def test_a_ballot_counts_no_more_votes_than_valid_ballots_nor_valid_than_issued() -> None:
    assert ballot_problem(3, 7, 7) is None
    assert ballot_problem(3, None, None) is None
    assert ballot_problem(8, 7, None) is not None
    assert ballot_problem(3, 7, 6) is not None
    assert ballot_problem(3, None, 7) is not None


# ---------------------------------------------------------------- invariants


@st.composite
def _cases(draw: st.DrawFn) -> dict:
    size = draw(st.integers(1, 8))
    totals = draw(st.lists(st.sampled_from([0, 5000, 6000, 7000]), min_size=size, max_size=size))
    votes = {}
    for unit in range(1, size + 1):
        if draw(st.integers(0, 3)):
            voters = draw(st.integers(0, 9))
            votes[unit] = (draw(st.integers(0, voters)), voters, None)
    ratings = {u: draw(st.sampled_from(RATINGS)) for u in range(1, size + 1) if draw(st.booleans())}
    policy = Policy(
        co_thi_dua_quota=draw(st.integers(0, 2)),
        bang_khen_percent=draw(st.sampled_from([0, 30, 50])),
        bang_khen_min=draw(st.integers(0, 2)),
        bang_khen_max=draw(st.sampled_from([None, 1, 3])),
        tie_break=draw(st.sampled_from([(), ("votes",)])),
        vote_threshold=draw(st.sampled_from([None, 50, 66])),
        vote_threshold_rule=draw(st.sampled_from(["at-least", "more-than"])),
        vote_gates=draw(st.sampled_from([(CO_THI_DUA,), (CO_THI_DUA, BANG_KHEN)])),
        min_rating_co_thi_dua=draw(st.sampled_from([None, "htxsnv", "httnv"])),
        min_rating_bang_khen=draw(st.sampled_from([None, "htxsnv", "htnv"])),
    )
    flags = {u: ["Kỷ luật"] for u in range(1, size + 1) if draw(st.integers(0, 5)) == 0}
    return {"totals": totals, "votes": votes, "ratings": ratings, "policy": policy, "flags": flags}


def _ranked(case: dict, order: list[int] | None = None):
    members = _members(len(case["totals"]))
    tallies = [t for t in _tallies(case["totals"]) if t.final]  # a total of 0: no scores
    if order is not None:
        members = [members[i] for i in order]
    return rank_cluster(
        members,
        tallies,
        case["policy"],
        base_criteria=1,
        votes=case["votes"],
        flags=case["flags"],
        ratings=case["ratings"],
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(case=_cases(), seed=st.randoms())
def test_awards_never_go_where_the_rules_bar_them_nor_beyond_the_quotas(case, seed) -> None:
    ranking = _ranked(case)
    held = [r.award_code for r in ranking.rows if r.award_code]
    assert held.count(CO_THI_DUA) <= ranking.co_thi_dua_quota
    assert held.count(BANG_KHEN) <= ranking.bang_khen_quota
    for row in ranking.rows:
        for award in (row.award_code, *row.pending_awards):
            if award:
                assert row.eligible and award not in row.barred and not row.flags
        if row.awaiting:
            assert row.award_code or row.pending_awards
    # the order of the members given changes nothing
    order = list(range(len(case["totals"])))
    seed.shuffle(order)
    again = _ranked(case, order)
    assert [dataclasses.astuple(r) for r in again.rows] == [
        dataclasses.astuple(r) for r in ranking.rows
    ]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(case=_cases())
def test_without_a_threshold_or_a_rating_the_ballot_and_rating_change_nothing(case) -> None:
    plain = dataclasses.replace(
        case["policy"], vote_threshold=None, min_rating_co_thi_dua=None, min_rating_bang_khen=None
    )
    with_data = _ranked({**case, "policy": plain})
    without = _ranked({**case, "policy": plain, "ratings": {}})
    assert [(r.unit, r.rank, r.award_code, r.pending_awards) for r in with_data.rows] == [
        (r.unit, r.rank, r.award_code, r.pending_awards) for r in without.rows
    ]
    assert all(not r.barred and not r.awaiting for r in with_data.rows)
