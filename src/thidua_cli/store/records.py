"""The year's record: submissions, their ranked rows and proposals, the province's decisions on
them and the revocations of those decisions: the SQL.

A submission and its rows never change once written (the database refuses it, migration 7); a
submission only goes from submitted to withdrawn, with its reason, and the next `submit` makes
the next version. A decision is bound to a proposal of a submission.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from thidua_cli.models import (
    AwardRules,
    CentralDecision,
    CouncilVote,
    Decision,
    Review,
    Revocation,
    Row,
    Submission,
)
from thidua_cli.store.names import unit_name, unit_short_name

# ---------------------------------------------------------------- submissions

_SUBMISSION = (
    "SELECT id, cluster_id, year, period, version, submitted_on, number, members,"
    " co_thi_dua_quota, bang_khen_quota, tie_break, score_rule, status, withdrawn_reason,"
    " withdrawn_at, origin, vote_threshold, vote_threshold_rule, vote_gates,"
    " min_rating_co_thi_dua, min_rating_bang_khen FROM submission"
)


def _steps(text: str) -> tuple[str, ...]:
    return tuple(step for step in text.split(",") if step and step != "none")


def _submission(row: tuple) -> Submission:
    *values, threshold, rule, gates, co_thi_dua_rating, bang_khen_rating = row
    values[10] = _steps(values[10])
    values[11] = _steps(values[11])
    minimums = (("co_thi_dua", co_thi_dua_rating), ("bang_khen", bang_khen_rating))
    rules = AwardRules(
        threshold, rule, _steps(gates), tuple((a, r) for a, r in minimums if r is not None)
    )
    return Submission(*values, rules=rules)


def submissions(
    conn: sqlite3.Connection,
    *,
    cluster_id: int | None = None,
    year: int | None = None,
    period: str | None = None,
) -> list[Submission]:
    """Every version, standing or withdrawn, oldest first."""
    rows = conn.execute(
        _SUBMISSION + " WHERE (?1 IS NULL OR cluster_id = ?1) AND (?2 IS NULL OR year = ?2)"
        " AND (?3 IS NULL OR period = ?3) ORDER BY year, cluster_id, period, version",
        (cluster_id, year, period),
    )
    return [_submission(row) for row in rows]


def standing(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str
) -> Submission | None:
    """The version that stands (submitted, not withdrawn), if any."""
    row = conn.execute(
        _SUBMISSION + " WHERE cluster_id = ? AND year = ? AND period = ? AND status = 'submitted'",
        (cluster_id, year, period),
    ).fetchone()
    return _submission(row) if row else None


def next_version(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> int:
    return conn.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM submission"
        " WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    ).fetchone()[0]


def save_submission(
    conn: sqlite3.Connection,
    *,
    cluster_id: int,
    year: int,
    period: str,
    submitted_on: str,
    number: str | None,
    co_thi_dua_quota: int,
    bang_khen_quota: int,
    tie_break: Sequence[str],
    score_rule: Sequence[str],
    rows: Sequence[Row],
    rules: AwardRules | None = None,
) -> Submission:
    """Write the next version of the cluster-year's submission with its rows, in their order."""
    version = next_version(conn, cluster_id, year, period)
    rules = rules or AwardRules()
    submission_id = conn.execute(
        "INSERT INTO submission (cluster_id, year, period, version, submitted_on, number,"
        " members, co_thi_dua_quota, bang_khen_quota, tie_break, score_rule, vote_threshold,"
        " vote_threshold_rule, vote_gates, min_rating_co_thi_dua, min_rating_bang_khen)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (cluster_id, year, period, version, submitted_on, number, len(rows), co_thi_dua_quota,
         bang_khen_quota, ",".join(tie_break) or "none", ",".join(score_rule),
         rules.vote_threshold, rules.vote_threshold_rule, ",".join(rules.vote_gates),
         rules.min_rating_for("co_thi_dua"), rules.min_rating_for("bang_khen")),
    ).lastrowid  # fmt: skip
    conn.executemany(
        "INSERT INTO submission_row (submission_id, unit_id, position, rank, tied, base, bonus,"
        " deduction, total, scored, missing, votes, voters, flags, eligible, decided_by, award,"
        " pending_awards, issued, rating, barred)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (submission_id, r.unit_id, position, r.rank, int(r.tied), r.base, r.bonus,
             r.deduction, r.total, r.scored, r.missing, r.votes, r.voters,
             json.dumps(r.flags, ensure_ascii=False), int(r.eligible),
             json.dumps(list(r.steps), ensure_ascii=False), r.award_code,
             json.dumps(r.pending_awards), r.issued, r.rating, json.dumps(r.barred))
            for position, r in enumerate(rows, start=1)
        ],
    )  # fmt: skip
    found = standing(conn, cluster_id, year, period)
    assert found is not None and found.id == submission_id
    return found


def withdraw(conn: sqlite3.Connection, submission_id: int, reason: str) -> None:
    conn.execute(
        "UPDATE submission SET status = 'withdrawn', withdrawn_reason = ?,"
        " withdrawn_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
        (reason, submission_id),
    )


_YEAR = "(SELECT year FROM submission WHERE id = r.submission_id)"
_ROW = (
    f"SELECT r.submission_id, r.unit_id, {unit_name('u', _YEAR)},"
    f" {unit_short_name('u', _YEAR)}, r.base, r.bonus, r.deduction,"
    " r.scored, r.missing, r.votes, r.voters, r.flags, r.rank, r.tied, r.decided_by,"
    " r.eligible, r.award, r.pending_awards, r.issued, r.rating, r.barred"
    " FROM submission_row r JOIN unit u ON u.id = r.unit_id"
)


def _row(values: tuple) -> tuple[int, Row]:
    (submission_id, unit_id, name, short, base, bonus, deduction, scored, missing, votes,
     voters, flags, rank, tied, steps, eligible, award, pending, issued, rating,
     barred) = values  # fmt: skip
    return submission_id, Row(
        unit_id, name, short, base=base, bonus=bonus, deduction=deduction, scored=scored,
        missing=missing, votes=votes, voters=voters, flags=json.loads(flags), rank=rank,
        tied=bool(tied), steps=tuple(json.loads(steps)), eligible=bool(eligible),
        award_code=award, pending_awards=json.loads(pending), issued=issued, rating=rating,
        barred=json.loads(barred),
    )  # fmt: skip


def rows_of(conn: sqlite3.Connection, submission_ids: Sequence[int]) -> dict[int, list[Row]]:
    """submission id -> its rows, in the order they were submitted."""
    wanted = sorted(set(submission_ids))
    found: dict[int, list[Row]] = {i: [] for i in wanted}
    if not wanted:
        return found
    for values in conn.execute(
        _ROW + " WHERE r.submission_id IN (SELECT value FROM json_each(?))"
        " ORDER BY r.submission_id, r.position",
        (json.dumps(wanted),),
    ):
        submission_id, row = _row(values)
        found[submission_id].append(row)
    return found


# ---------------------------------------------------------------- decisions

_DECISION = (
    "SELECT d.id, d.submission_id, d.unit_id, s.year, d.award, d.granted, d.decision_no,"
    " d.decided_on, s.version, r.decision_no, r.decided_on, r.reason FROM decision d"
    " JOIN submission s ON s.id = d.submission_id"
    " LEFT JOIN revocation r ON r.decision_id = d.id"
)


def _decision(row: tuple) -> Decision:
    *fields, revoked_no, revoked_on, reason = row
    revocation = Revocation(revoked_no, revoked_on, reason) if revoked_no is not None else None
    return Decision(*fields, revocation=revocation)


def decisions(
    conn: sqlite3.Connection, *, year: int | None = None, unit_id: int | None = None
) -> list[Decision]:
    """Every decision of a year or of a unit, with its revocation, oldest first."""
    rows = conn.execute(
        _DECISION + " WHERE (?1 IS NULL OR s.year = ?1) AND (?2 IS NULL OR d.unit_id = ?2)"
        " ORDER BY s.year, d.decided_on, d.id",
        (year, unit_id),
    )
    return [_decision(row) for row in rows]


def decisions_of(conn: sqlite3.Connection, submission_id: int) -> list[Decision]:
    rows = conn.execute(_DECISION + " WHERE d.submission_id = ? ORDER BY d.id", (submission_id,))
    return [_decision(row) for row in rows]


def save_decision(
    conn: sqlite3.Connection,
    submission_id: int,
    unit_id: int,
    award: str,
    granted: str | None,
    number: str | None,
    decided_on: str,
) -> None:
    """Record (or, for the same proposal, correct) a decision."""
    conn.execute(
        "INSERT INTO decision (submission_id, unit_id, award, granted, decision_no, decided_on)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id, unit_id, award) DO UPDATE"
        " SET granted = excluded.granted, decision_no = excluded.decision_no,"
        " decided_on = excluded.decided_on",
        (submission_id, unit_id, award, granted, number, decided_on),
    )


def revoke(
    conn: sqlite3.Connection, decision_id: int, number: str, decided_on: str, reason: str
) -> None:
    conn.execute(
        "INSERT INTO revocation (decision_id, decision_no, decided_on, reason) VALUES (?, ?, ?, ?)",
        (decision_id, number, decided_on, reason),
    )


# ---------------------------------------------------------------- the Board and the Council


def save_review(
    conn: sqlite3.Connection, submission_id: int, action: str, reviewed_on: str, reason: str | None
) -> None:
    conn.execute(
        "INSERT INTO review (submission_id, action, reviewed_on, reason) VALUES (?, ?, ?, ?)",
        (submission_id, action, reviewed_on, reason),
    )


def reviews_of(conn: sqlite3.Connection, submission_ids: Sequence[int]) -> dict[int, Review]:
    """submission id -> the Board's review of it, for those reviewed."""
    rows = conn.execute(
        "SELECT submission_id, action, reviewed_on, reason FROM review"
        " WHERE submission_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(submission_ids))),),
    )
    return {row[0]: Review(*row) for row in rows}


def board_reviews_in(conn: sqlite3.Connection, year: int) -> bool:
    """Whether the Board has reviewed any file of `year` (its stage is in use that year)."""
    return bool(
        conn.execute(
            "SELECT 1 FROM review r JOIN submission s ON s.id = r.submission_id"
            " WHERE s.year = ? LIMIT 1",
            (year,),
        ).fetchone()
    )


def save_council_vote(conn: sqlite3.Connection, vote: CouncilVote) -> None:
    """Record the Council's vote on a proposal (replacing one recorded before its decision)."""
    conn.execute(
        "INSERT INTO council_vote (submission_id, unit_id, award, agree, members, voted_on)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id, unit_id, award)"
        " DO UPDATE SET agree = excluded.agree, members = excluded.members,"
        " voted_on = excluded.voted_on",
        (vote.submission_id, vote.unit_id, vote.award, vote.agree, vote.members, vote.voted_on),
    )


def council_votes_of(
    conn: sqlite3.Connection, submission_ids: Sequence[int]
) -> dict[int, list[CouncilVote]]:
    """submission id -> the Council's votes on its proposals."""
    found: dict[int, list[CouncilVote]] = {}
    for row in conn.execute(
        "SELECT submission_id, unit_id, award, agree, members, voted_on FROM council_vote"
        " WHERE submission_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(submission_ids))),),
    ):
        found.setdefault(row[0], []).append(CouncilVote(*row))
    return found


# ---------------------------------------------------------------- the central level


def save_central_decision(
    conn: sqlite3.Connection,
    unit_id: int,
    year: int,
    award: str,
    number: str,
    decided_on: str,
    *,
    replace: bool,
) -> CentralDecision | None:
    """Record a higher award's decision; returns the one already there when not `replace`."""
    found = central_decisions(conn, unit_id=unit_id, year=year)
    existing = next((d for d in found if d.award == award), None)
    if existing is not None and not replace:
        return existing
    conn.execute(
        "INSERT INTO central_decision (unit_id, year, award, decision_no, decided_on)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (unit_id, year, award) DO UPDATE SET"
        " decision_no = excluded.decision_no, decided_on = excluded.decided_on",
        (unit_id, year, award, number, decided_on),
    )
    return None


def central_decisions(
    conn: sqlite3.Connection, *, unit_id: int | None = None, year: int | None = None
) -> list[CentralDecision]:
    rows = conn.execute(
        "SELECT id, unit_id, year, award, decision_no, decided_on FROM central_decision"
        " WHERE (?1 IS NULL OR unit_id = ?1) AND (?2 IS NULL OR year = ?2)"
        " ORDER BY year, decided_on, id",
        (unit_id, year),
    )
    return [CentralDecision(*row) for row in rows]
