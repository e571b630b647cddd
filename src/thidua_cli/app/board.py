"""The province's stage after the clusters: the Board (Ban Thi đua - Khen thưởng) receives a
cluster's file or returns it, and the Council (Hội đồng Thi đua - Khen thưởng tỉnh) votes on each
proposal of a file the Board received, before the decision (QĐ).

A returned file is withdrawn with the Board's reason, and its cluster-year unlocked: the cluster
fixes it and submits the next version. The Council's passing share is a rule of the year.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from thidua_cli.app.record import council_rule, judged
from thidua_cli.app.session import find_cluster, find_unit, find_units_quietly
from thidua_cli.app.submissions import standing_file
from thidua_cli.errors import InvalidInput, ThiduaError
from thidua_cli.i18n import _
from thidua_cli.models import AWARD_NAMES, AWARDS, Cluster, CouncilVote, Submission, Unit
from thidua_cli.output.criteria_file import Problem
from thidua_cli.output.scoresheet import problem_lines, read_council
from thidua_cli.output.tabular import Table
from thidua_cli.rules.dates import shown_date
from thidua_cli.rules.decisions import award_code
from thidua_cli.rules.text import nfc
from thidua_cli.store import audit, locks, records


@dataclass(frozen=True)
class Reviewed:
    cluster: Cluster
    submission: Submission
    action: str  # accept | return
    reviewed_on: str
    reason: str | None


def review(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    *,
    accept: bool,
    reason: str | None,
    reviewed_on: str | None,
) -> Reviewed:
    """The Board receives the cluster-year's standing file, or returns it with a reason."""
    text = nfc(reason).strip() if reason else ""
    if not accept and not text:
        raise InvalidInput(_("Say why the file is returned: --reason TEXT."))
    cluster = find_cluster(conn, cluster_name, year)
    submission = records.standing(conn, cluster.id, year, "year")
    if submission is None:
        raise InvalidInput(
            _("{cluster} has no submitted year-end review of {year} for the Board.").format(
                cluster=cluster.name, year=year
            )
        )
    done = records.reviews_of(conn, [submission.id]).get(submission.id)
    if done is not None:
        raise InvalidInput(
            _("The Board already received {cluster}'s file of {year} (version {version}) on "
              "{date}.").format(
                cluster=cluster.name, year=year, version=submission.version,
                date=shown_date(done.reviewed_on),
            )
        )  # fmt: skip
    day = reviewed_on or dt.date.today().isoformat()
    if day < submission.submitted_on:
        raise InvalidInput(
            _("The Board cannot review on {date} a file submitted on {submitted}.").format(
                date=shown_date(day), submitted=shown_date(submission.submitted_on)
            )
        )
    if not accept and records.decisions_of(conn, submission.id):
        raise InvalidInput(
            _("{cluster}'s file of {year} holds decisions already; it cannot be returned.").format(
                cluster=cluster.name, year=year
            )
        )
    records.save_review(conn, submission.id, "accept" if accept else "return", day, text or None)
    if not accept:
        records.withdraw(
            conn, submission.id, _("returned by the Board: {reason}").format(reason=text)
        )
        locks.unlock(conn, cluster.id, year)
        audit.record(
            conn, "cluster_lock", "unlock", cluster_id=cluster.id, year=year,
            new={"reason": text},
        )  # fmt: skip
    return Reviewed(cluster, submission, "accept" if accept else "return", day, text or None)


# ---------------------------------------------------------------- the Council


@dataclass(frozen=True)
class CouncilRecorded:
    unit: Unit
    cluster: Cluster
    vote: CouncilVote
    replaced: CouncilVote | None = None  # the vote recorded before, now replaced


def _council_one(
    conn: sqlite3.Connection,
    unit: Unit,
    year: int,
    award: str,
    agree: int,
    members: int,
    voted_on: str | None,
) -> CouncilRecorded:
    if members < 1 or agree > members:
        raise InvalidInput(
            _("{agree} in favour of {members} members is not possible.").format(
                agree=agree, members=members
            )
        )
    cluster, submission = standing_file(conn, unit, year, council=True)
    received = records.reviews_of(conn, [submission.id]).get(submission.id)
    if received is None or received.action != "accept":
        raise InvalidInput(
            _("The Board has not received {cluster}'s file of {year} (version {version}): "
              "thidua review --cluster ... --year {year} --accept.").format(
                cluster=cluster.name, year=year, version=submission.version
            )
        )  # fmt: skip
    if voted_on is not None and voted_on < received.reviewed_on:
        raise InvalidInput(
            _("The Council cannot vote on {date} on a file the Board received on {received}.")
            .format(date=shown_date(voted_on), received=shown_date(received.reviewed_on))
        )  # fmt: skip
    row = next(
        r for r in records.rows_of(conn, [submission.id])[submission.id] if r.unit_id == unit.id
    )
    if row.award_code != award:
        raise InvalidInput(
            _("{unit} is not proposed for the {award} in {cluster}'s file of {year}.").format(
                unit=unit.name, award=AWARD_NAMES[award], cluster=cluster.name, year=year
            )
        )
    if any(
        d.unit_id == unit.id and d.award == award for d in records.decisions_of(conn, submission.id)
    ):
        raise InvalidInput(
            _("The {award} of {unit} is decided already; the Council's vote stays as it was.")
            .format(award=AWARD_NAMES[award], unit=unit.name)
        )  # fmt: skip
    rule = council_rule(conn, year)
    before = next(
        (
            v
            for v in records.council_votes_of(conn, [submission.id]).get(submission.id, [])
            if v.unit_id == unit.id and v.award == award
        ),
        None,
    )
    vote = CouncilVote(submission.id, unit.id, award, agree, members, voted_on)
    records.save_council_vote(conn, vote)
    return CouncilRecorded(
        unit,
        cluster,
        judged(vote, *rule),
        judged(before, *rule) if before is not None and before != vote else None,
    )


def council_set(
    conn: sqlite3.Connection,
    year: int,
    unit_name: str,
    award: str,
    agree: int,
    members: int,
    voted_on: str | None,
) -> CouncilRecorded:
    """Record the Council's vote on a unit's proposal of the year."""
    return _council_one(conn, find_unit(conn, unit_name), year, award, agree, members, voted_on)


def council_import(
    conn: sqlite3.Connection, table: Table, label: str, year: int, voted_on: str | None
) -> list[CouncilRecorded]:
    """The Council's votes of a file (unit, award, agree, members): all of them, or none."""
    lines, problems, head = read_council(table)
    units = find_units_quietly(conn, [entry[1] for entry in lines])
    done: list[CouncilRecorded] = []
    seen: dict[tuple[int, str], int] = {}
    for (line, _unit, award_text, agree, members), unit in zip(lines, units, strict=True):
        award = award_code(award_text)
        if isinstance(unit, str):
            problems.append(Problem(line, head["unit"], unit))
            continue
        if award is None or award not in AWARDS:
            message = _("“{text}” is not an award; use co_thi_dua or bang_khen.").format(
                text=award_text
            )
            problems.append(Problem(line, head["award"], message))
            continue
        if (unit.id, award) in seen:
            message = _("already on line {other}").format(other=seen[unit.id, award])
            problems.append(Problem(line, head["unit"], message))
            continue
        seen[unit.id, award] = line
        try:
            done.append(_council_one(conn, unit, year, award, agree, members, voted_on))
        except ThiduaError as error:
            message = " ".join([error.message, *error.details])
            problems.append(Problem(line, head["unit"], message))
    if problems:
        raise InvalidInput(
            _("{file} was not imported; nothing was written. {count} problems:").format(
                file=label, count=len(problems)
            ),
            details=problem_lines(problems),
        )
    if not done:
        raise InvalidInput(_("{file} holds no votes.").format(file=label))
    return done
