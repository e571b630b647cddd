"""The review's ballot (bỏ phiếu bình xét): what a ballot can be, and what a threshold asks."""

from __future__ import annotations

from thidua_cli.i18n import _


def ballot_problem(votes: int, voters: int | None, issued: int | None) -> str | None:
    """What is impossible in a unit's ballot (votes ≤ valid ballots ≤ ballots issued), if any."""
    if voters is not None and votes > voters:
        return _("{votes} votes from {voters} voters is not possible.").format(
            votes=votes, voters=voters
        )
    if issued is not None and voters is None:
        return _("Ballots issued without the number of valid ballots.")
    if issued is not None and voters is not None and voters > issued:
        return _("{voters} valid ballots of {issued} issued is not possible.").format(
            voters=voters, issued=issued
        )
    return None


def passes_threshold(votes: int, voters: int, threshold: int, rule: str) -> bool:
    """Whether `votes` of `voters` valid ballots reach the threshold (a percent), read as "từ
    ... trở lên" (at-least) or "trên ..." (more-than). No valid ballot reaches nothing."""
    if voters <= 0:
        return False
    if rule == "more-than":
        return votes * 100 > threshold * voters
    return votes * 100 >= threshold * voters
