"""A cluster's submission after its review conference, and the province's decisions on it.

`submit` keeps the ranking as it stands (and, year-end, the award proposals) as records and locks
the cluster-year (`lock` locks one by hand); `unlock` withdraws it (refused while a decision
granted on it stands); `decide` records the province's decision against a submitted proposal,
`decide_list` a whole QĐ at once, and `revoke` a later decision that revokes one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from thidua_cli.app.nominate import nominees
from thidua_cli.app.ranking import live_ranking, policy_for
from thidua_cli.app.record import council_rule, judged
from thidua_cli.app.session import find_cluster, find_unit, find_units_quietly
from thidua_cli.errors import InvalidInput, NeedsConfirmation, ThiduaError
from thidua_cli.i18n import _
from thidua_cli.models import (
    AWARD_NAMES,
    HIGHER_AWARDS,
    NOMINATED,
    CentralDecision,
    Cluster,
    CouncilVote,
    Decision,
    DecisionLine,
    Ranking,
    Submission,
    Unit,
)
from thidua_cli.output.awards import council_text
from thidua_cli.output.wording import awaiting_line
from thidua_cli.rules.dates import shown_date
from thidua_cli.rules.decisions import (
    NOT_GRANTED,
    award_code,
    check_decision,
    check_decision_dates,
    check_revocation_date,
    decision_number,
    granted_code,
    revocable,
)
from thidua_cli.store import audit, locks, records, registry


def period_name(period: str) -> str:
    return _("year-end") if period == "year" else _("half-year")


@dataclass(frozen=True)
class Submitted:
    cluster: Cluster
    submission: Submission
    ranking: Ranking
    locked: bool  # locked by this submission (it was not before)
    replaced: Submission | None  # the half-year version it replaces, withdrawn


def submit(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    period: str,
    submitted_on: str | None,
    number: str | None,
    reason: str | None,
) -> Submitted:
    """Record the cluster-year's ranking (and proposals) as its next submission."""
    cluster = find_cluster(conn, cluster_name, year)
    day = submitted_on or dt.date.today().isoformat()
    if int(day[:4]) < year:
        raise InvalidInput(
            _("The submission of the review of {year} cannot be dated {date}, before that "
              "year.").format(year=year, date=shown_date(day))
        )  # fmt: skip
    standing = records.standing(conn, cluster.id, year, period)
    if standing is not None and (period == "year" or reason is None):
        hint = (
            _("To submit a correction, unlock it with a reason (thidua unlock ...): that "
              "withdraws version {version}, which stays on record.")
            if period == "year"
            else _("To submit it again, say why with --reason: version {version} stays on "
                   "record, withdrawn.")
        ).format(version=standing.version)  # fmt: skip
        raise InvalidInput(
            _(
                "{cluster} already submitted its {period} review of {year}: version {version} "
                "of {date}."
            ).format(
                cluster=cluster.name,
                period=period_name(period),
                year=year,
                version=standing.version,
                date=shown_date(standing.submitted_on),
            ),
            details=[hint],
        )
    returned = [
        review
        for review in records.reviews_of(
            conn, [s.id for s in records.submissions(conn, cluster_id=cluster.id, year=year,
                                                      period=period)]
        ).values()
        if review.action == "return"
    ]  # fmt: skip
    last_return = max((r.reviewed_on for r in returned), default=None)
    if last_return is not None and day < last_return:
        raise InvalidInput(
            _("The Board returned the previous version on {returned}; the next one cannot be "
              "dated {date}.").format(returned=shown_date(last_return), date=shown_date(day))
        )  # fmt: skip
    if reason is not None and standing is None:
        raise InvalidInput(
            _("--reason is for submitting a half-year review again; there is no earlier version.")
        )
    ranking = live_ranking(conn, cluster, year, period)
    if not ranking.has_scores:
        raise InvalidInput(
            _("{cluster} has no {period} scores for {year}; there is nothing to submit.").format(
                cluster=cluster.name, period=period_name(period), year=year
            )
        )
    if ranking.unresolved_ties:
        raise InvalidInput(
            _("Unresolved ties decide awards; settle them first (thidua vote set or thidua "
              "policy set --tie-break), then submit:"),
            details=[
                _("rank {rank}: {units}").format(rank=t.rank, units=", ".join(t.units))
                for t in ranking.unresolved_ties
            ],
        )  # fmt: skip
    if ranking.awaiting:
        raise InvalidInput(
            _("Some awards wait for what the rules ask for; record it first, then submit:"),
            details=[awaiting_line(row) for row in ranking.awaiting],
        )
    if standing is not None and reason is not None:
        records.withdraw(conn, standing.id, reason)
    policy = policy_for(conn, cluster.id, year)
    submission = records.save_submission(
        conn,
        cluster_id=cluster.id,
        year=year,
        period=period,
        submitted_on=day,
        number=number,
        co_thi_dua_quota=ranking.co_thi_dua_quota,
        bang_khen_quota=ranking.bang_khen_quota,
        tie_break=policy.tie_break,
        score_rule=policy.score_rule,
        rows=ranking.rows,
        rules=ranking.rules,
    )
    locked = False
    if period == "year" and not locks.is_locked(conn, cluster.id, year):
        _lock(conn, cluster, year)
        locked = True
    return Submitted(cluster, submission, ranking, locked, standing if reason else None)


def _lock(conn: sqlite3.Connection, cluster: Cluster, year: int) -> None:
    locks.lock(conn, cluster.id, year)
    audit.record(conn, "cluster_lock", "lock", cluster_id=cluster.id, year=year)


def lock(conn: sqlite3.Connection, cluster_name: str, year: int) -> Cluster:
    """Lock a cluster-year by hand (a year-end submission locks it too)."""
    cluster = find_cluster(conn, cluster_name, year)
    if locks.is_locked(conn, cluster.id, year):
        raise InvalidInput(
            _("{cluster} is already locked for {year}.").format(cluster=cluster.name, year=year)
        )
    _lock(conn, cluster, year)
    return cluster


def unlock(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    reason: str,
    *,
    from_the_board: bool = False,
) -> tuple[Cluster, Submission | None]:
    """Open a locked cluster-year again; its standing year-end submission is withdrawn with the
    reason, unless a decision granted on it stands (then nothing changes). A file the Board
    has received is withdrawn from the Board only when `from_the_board` says so."""
    cluster = find_cluster(conn, cluster_name, year)
    if not locks.is_locked(conn, cluster.id, year):
        raise InvalidInput(
            _("{cluster} is not locked for {year}.").format(cluster=cluster.name, year=year)
        )
    standing = records.standing(conn, cluster.id, year, "year")
    if standing is not None:
        granted = [d for d in records.decisions_of(conn, standing.id) if d.standing]
        if granted:
            raise InvalidInput(
                _(
                    "{cluster} cannot be unlocked for {year}: decisions granted on its "
                    "submission (version {version}) stand:"
                ).format(cluster=cluster.name, year=year, version=standing.version),
                details=[
                    *(
                        _("{unit}: {award}, {number} of {date}").format(
                            unit=registry.unit_by_id(conn, d.unit_id).name,
                            award=AWARD_NAMES[d.granted or d.award],
                            number=d.number,
                            date=shown_date(d.decided_on),
                        )
                        for d in granted
                    ),
                    _("A decision that is revoked no longer stands: thidua decide revoke ..."),
                ],
            )
        received = records.reviews_of(conn, [standing.id]).get(standing.id)
        if received is not None and received.action == "accept" and not from_the_board:
            votes = len(records.council_votes_of(conn, [standing.id]).get(standing.id, []))
            raise NeedsConfirmation(
                _(
                    "The Board received {cluster}'s file of {year} (version {version}) on "
                    "{date}; unlocking withdraws it from the Board{council}. Nothing was "
                    "changed. To do so: --withdraw-received."
                ).format(
                    cluster=cluster.name,
                    year=year,
                    version=standing.version,
                    date=shown_date(received.reviewed_on),
                    council=(
                        _(", with the Council's votes on {count} proposals").format(count=votes)
                        if votes
                        else ""
                    ),
                )
            )
        records.withdraw(conn, standing.id, reason)
    locks.unlock(conn, cluster.id, year)
    audit.record(
        conn, "cluster_lock", "unlock", cluster_id=cluster.id, year=year, new={"reason": reason}
    )
    return cluster, standing


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Decided:
    unit: Unit
    cluster: Cluster
    award: str
    granted: str | None
    number: str | None
    decided_on: str
    version: int
    council: CouncilVote | None = None  # the Council's vote on the proposal, if it voted
    # the Board, which received other files of the year, has not received this one
    unreceived: bool = False


def standing_file(
    conn: sqlite3.Connection, unit: Unit, year: int, *, council: bool = False
) -> tuple[Cluster, Submission]:
    """The cluster the unit belonged to in `year`, and its standing year-end submission (for a
    decision, or with `council` for the Council's vote)."""
    where = [c for y, c, _role in registry.unit_years(conn, unit.id) if y == year]
    if not where:
        raise InvalidInput(
            _("{unit} was not a member of any cluster in {year}.").format(unit=unit.name, year=year)
        )
    cluster = registry.cluster_by_id(conn, where[0])
    submission = records.standing(conn, cluster.id, year, "year")
    if submission is None and council:
        raise InvalidInput(
            _("{cluster} has not submitted its year-end review of {year}: the Council votes on "
              "the proposals of a submitted file.").format(cluster=cluster.name, year=year)
        )  # fmt: skip
    if submission is None:
        raise InvalidInput(
            _(
                "{cluster} has not submitted its year-end review of {year}: a decision is "
                "recorded against a submitted proposal. Submit it first (thidua submit "
                "--cluster ... --year {year})."
            ).format(cluster=cluster.name, year=year)
        )
    return cluster, submission


def _record_one(
    conn: sqlite3.Connection,
    unit: Unit,
    year: int,
    award: str,
    granted: str | None,
    number: str | None,
    decided_on: str,
    *,
    replace: bool,
    against_council: bool = False,
) -> Decided:
    cluster, submission = standing_file(conn, unit, year)
    row = next(
        r for r in records.rows_of(conn, [submission.id])[submission.id] if r.unit_id == unit.id
    )
    recorded = [d for d in records.decisions(conn, unit_id=unit.id) if d.year == year]
    check_decision(
        award,
        granted,
        unit.name,
        cluster.name,
        year,
        row,
        recorded,
        submission_id=submission.id,
        replace=replace,
    )
    received = records.reviews_of(conn, [submission.id]).get(submission.id)
    vote = next(
        (
            v
            for v in records.council_votes_of(conn, [submission.id]).get(submission.id, [])
            if v.unit_id == unit.id and v.award == award
        ),
        None,
    )
    check_decision_dates(
        year,
        decided_on,
        submitted=(
            (submission.version, submission.submitted_on) if submission.origin == "submit" else None
        ),
        reviewed_on=received.reviewed_on if received else None,
        voted_on=vote.voted_on if vote else None,
    )
    if vote is not None:
        vote = judged(vote, *council_rule(conn, year))
        if granted is not None and not vote.passed and not against_council:
            raise NeedsConfirmation(
                _("The Council did not pass the proposal of {unit} for the {award} ({vote}).")
                .format(unit=unit.name, award=AWARD_NAMES[award], vote=council_text(vote))
            )  # fmt: skip
    records.save_decision(conn, submission.id, unit.id, award, granted, number, decided_on)
    unreceived = (received is None or received.action != "accept") and records.board_reviews_in(
        conn, year
    )
    return Decided(
        unit, cluster, award, granted, number, decided_on, submission.version, vote, unreceived
    )


def decide(
    conn: sqlite3.Connection,
    year: int,
    unit_name: str,
    award: str,
    granted: str | None,
    number: str | None,
    decided_on: str,
    *,
    replace: bool,
    against_council: bool = False,
) -> Decided:
    """Record the province's decision on a unit's submitted proposal (granted None: not
    granted). A grant the Council did not pass is refused (NeedsConfirmation) unless
    `against_council`."""
    number = decision_number(number, granted)
    check_decision_dates(year, decided_on)
    unit = find_unit(conn, unit_name)
    return _record_one(
        conn,
        unit,
        year,
        award,
        granted,
        number,
        decided_on,
        replace=replace,
        against_council=against_council,
    )


def decide_list(
    conn: sqlite3.Connection,
    year: int,
    lines: Sequence[DecisionLine],
    number: str,
    decided_on: str,
    *,
    replace: bool,
    against_council: bool = False,
) -> list[Decided]:
    """One QĐ for a list: every line recorded, or none, with every problem named by line. Grants
    the Council did not pass are refused together (NeedsConfirmation) unless `against_council`."""
    number_text = decision_number(number, "any")
    assert number_text is not None
    check_decision_dates(year, decided_on)
    if not lines:
        raise InvalidInput(_("The list holds no decisions."))
    problems: list[str] = []
    unpassed: list[str] = []
    decided: list[Decided] = []
    units = find_units_quietly(conn, [line.unit for line in lines])
    seen: dict[int, int] = {}
    for entry, unit in zip(lines, units, strict=True):
        where = _("line {line}").format(line=entry.line)
        award = award_code(entry.award)
        granted = granted_code(entry.granted) if entry.granted.strip() else award
        if isinstance(unit, str):
            problems.append(f"{where}: {unit}")
            continue
        if award is None:
            problems.append(
                _("{where}: “{text}” is not an award; use co_thi_dua or bang_khen.").format(
                    where=where, text=entry.award
                )
            )
            continue
        if granted is None:
            problems.append(
                _("{where}: “{text}” is not a form granted; use co_thi_dua, bang_khen or "
                  "none.").format(where=where, text=entry.granted)
            )  # fmt: skip
            continue
        if unit.id in seen:
            problems.append(
                _("{where}: {unit} is already on line {other}.").format(
                    where=where, unit=unit.name, other=seen[unit.id]
                )
            )
            continue
        seen[unit.id] = entry.line
        try:
            decided.append(
                _record_one(
                    conn,
                    unit,
                    year,
                    award,
                    None if granted == NOT_GRANTED else granted,
                    number_text,
                    decided_on,
                    replace=replace,
                    against_council=against_council,
                )
            )
        except NeedsConfirmation as error:
            unpassed.append(f"{where}: {error.message}")
        except ThiduaError as error:
            problems.append(f"{where}: {' '.join([error.message, *error.details])}")
    if problems:
        raise InvalidInput(
            _("Nothing was recorded; {count} problems:").format(count=len(problems)),
            details=problems + unpassed,
        )
    if unpassed:
        raise NeedsConfirmation(
            _("The list grants {count} proposals the Council did not pass:").format(
                count=len(unpassed)
            ),
            details=unpassed,
        )
    return decided


def decide_central(
    conn: sqlite3.Connection,
    year: int,
    unit_name: str,
    award: str,
    number: str | None,
    decided_on: str,
    *,
    replace: bool,
) -> tuple[Unit, CentralDecision, bool]:
    """Record what the central level decided on a higher award (the Government's flag, the
    Prime Minister's certificate): a record of its own, bound to no cluster's submission.
    The flag: whether the unit was among `nominate`'s candidates (granted the province's Cờ
    that year); the record keeps what the central level decided either way."""
    text = decision_number(number, "any")
    assert text is not None
    check_decision_dates(year, decided_on)
    unit = find_unit(conn, unit_name)
    existing = records.save_central_decision(
        conn, unit.id, year, award, text, decided_on, replace=replace
    )
    if existing is not None:
        raise InvalidInput(
            _("{unit} already has a decision on the {award} of {year}: {number} of {date}. "
              "Use --replace.").format(
                unit=unit.name, award=HIGHER_AWARDS[award], year=year, number=existing.number,
                date=shown_date(existing.decided_on),
            )
        )  # fmt: skip
    found = next(
        d for d in records.central_decisions(conn, unit_id=unit.id, year=year) if d.award == award
    )
    nominated = award not in NOMINATED or any(
        n.unit == unit.name for n in nominees(conn, year, award)
    )
    return unit, found, nominated


def revoke(
    conn: sqlite3.Connection,
    year: int,
    unit_name: str,
    number: str,
    decided_on: str,
    reason: str,
) -> tuple[Unit, Decision]:
    """Record the decision that revokes the unit's award of the year; the original stays."""
    from thidua_cli.rules.text import nfc

    number = nfc(number).strip()
    reason = nfc(reason).strip()
    if not number:
        raise InvalidInput(_("The decision number cannot be empty."))
    if not reason:
        raise InvalidInput(_("Say why the award is revoked (--reason)."))
    unit = find_unit(conn, unit_name)
    decisions = [d for d in records.decisions(conn, unit_id=unit.id) if d.year == year]
    decision = revocable(decisions, unit.name, year)
    check_revocation_date(decided_on, decision.decided_on)
    records.revoke(conn, decision.id, number, decided_on, reason)
    return unit, decision
