"""The ranking and the record in words and as data: the notes under a ranking, the decisions as
the papers state them, and the JSON contract.

Shared by `rank`, `awards`, `history` and the reports, so that the screen and the documents say
the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from thidua_cli.i18n import _, ngettext
from thidua_cli.models import (
    AWARD_NAMES,
    RATING_NAMES,
    AwardRules,
    Conference,
    Covenant,
    Decision,
    Ranking,
    Row,
    Signer,
    Submission,
)
from thidua_cli.points import shown, to_number
from thidua_cli.rules.dates import shown_date
from thidua_cli.rules.history import consecutive_runs
from thidua_cli.vocabulary import kind_words


def step_name(step: str) -> str:
    if step == "votes":
        return _("votes at the review")
    return _("points of group “{group}”").format(group=step[6:])


def award_text(award_code: str | None, pending: Sequence[str] = ()) -> str:
    """The award proposed, or the awards an unresolved tie holds, or nothing."""
    if award_code:
        return AWARD_NAMES[award_code]
    if pending:
        return _("tied: {awards}?").format(awards=" / ".join(AWARD_NAMES[a] for a in pending))
    return ""


def awaiting_names() -> dict[str, str]:
    """What an award may wait for, in a few words."""
    return {"ballot": _("ballot"), "voters": _("valid ballots"), "rating": _("rating")}


def award_cell(row: Row) -> str:
    """The award column of a row: the award, a tie's awards, and what the award waits for."""
    text = award_text(row.award_code, row.pending_awards)
    if text and row.awaiting:
        what = awaiting_names()
        text += " " + _("(waits for: {what})").format(what=", ".join(what[w] for w in row.awaiting))
    return text


def vote_share(votes: int | None, voters: int | None) -> int | None:
    """The share of the valid ballots, in hundredths of a percent (rounded half up)."""
    if votes is None or not voters:
        return None
    return (votes * 20000 + voters) // (2 * voters)


def share_text(votes: int | None, voters: int | None) -> str:
    """'3/7 votes = 42.86%' ('3/7 phiếu = 42,86%'), or '' without a ballot."""
    share = vote_share(votes, voters)
    if share is None:
        return ""
    return _("{votes}/{voters} votes = {share}%").format(
        votes=votes, voters=voters, share=shown(share)
    )


def threshold_text(rules: AwardRules) -> str:
    """'at least 50% of the valid ballots' or 'more than 50% ...', or '' with no threshold."""
    if rules.vote_threshold is None:
        return ""
    if rules.vote_threshold_rule == "more-than":
        text = _("more than {percent}% of the valid ballots")
    else:
        text = _("at least {percent}% of the valid ballots")
    return text.format(percent=rules.vote_threshold)


def barred_reasons(row: Row, rules: AwardRules) -> list[str]:
    """Why the unit may not hold an award it would otherwise be in line for, one line per award
    (naming each cause: the ballot, the rating)."""
    reasons = []
    for award, causes in row.barred.items():
        whys = []
        for cause in causes.split(","):
            if cause == "votes":
                below = (
                    _("not above the threshold of {percent}%")
                    if rules.vote_threshold_rule == "more-than"
                    else _("below the threshold of {percent}%")
                ).format(percent=rules.vote_threshold)
                whys.append(f"{share_text(row.votes, row.voters) or _('no valid ballot')}, {below}")
            else:
                minimum = rules.min_rating_for(award) or ""
                whys.append(
                    _("rated {rating}, below {minimum}").format(
                        rating=RATING_NAMES.get(row.rating or "", row.rating or ""),
                        minimum=RATING_NAMES.get(minimum, minimum),
                    )
                )
        reasons.append(_("no {award}: {why}").format(award=AWARD_NAMES[award], why="; ".join(whys)))
    return reasons


def ineligible_text(row: Row, rules: AwardRules) -> str:
    """The flags and the awards the ballot or the rating keeps from the unit, in one cell."""
    return "; ".join([*row.flags, *barred_reasons(row, rules)])


def awaiting_line(row: Row) -> str:
    """'Sở X: the ballot (thidua vote set), the rating (thidua rating set)'."""
    what = {
        "ballot": _("its ballot at the review (thidua vote set)"),
        "voters": _("the number of valid ballots (thidua vote set --voters)"),
        "rating": _("its rating of the year (thidua rating set)"),
    }
    held = [row.award_code] if row.award_code else row.pending_awards
    return _("{unit}: the {award} waits for {what}").format(
        unit=row.unit,
        award=" / ".join(AWARD_NAMES[a] for a in held),
        what=", ".join(what[w] for w in row.awaiting),
    )


def rules_json(rules: AwardRules) -> dict[str, Any]:
    return {
        "vote_threshold": rules.vote_threshold,
        "vote_threshold_rule": rules.vote_threshold_rule,
        "vote_gates": list(rules.vote_gates),
        "min_rating": dict(rules.min_rating),
    }


def rank_text(rank: int | None, tied: bool) -> str:
    """'3', '3 (đồng hạng)' for a shared place, '-' for a unit without scores."""
    if rank is None:
        return "-"
    return _("{rank} (tied)").format(rank=rank) if tied else str(rank)


def place_word(rank: int | None) -> str:
    """A place as the papers write it: Nhất, Nhì, Ba, then the number."""
    words = {1: _("first"), 2: _("second"), 3: _("third")}
    return words.get(rank or 0, str(rank))


def runs_text(years: Iterable[int]) -> str:
    """'2016; 2018, 2019, 2020 (3 years in a row)': every year, runs of two or more counted."""
    parts = []
    for run in consecutive_runs(years):
        text = ", ".join(str(y) for y in run)
        if len(run) > 1:
            text += " " + _("({count} years in a row)").format(count=len(run))
        parts.append(text)
    return "; ".join(parts)


def covenant_text(covenant: Covenant) -> str:
    """'Emulation covenant signed on 15/01/2021 (note)'."""
    line = _("Emulation covenant signed on {date}").format(date=shown_date(covenant.signed_on))
    return f"{line} ({covenant.note})" if covenant.note else line


def signer_text(signer: Signer, kind: str) -> str:
    """'Nguyễn Văn A, signing for the cluster as its leader (TM.)', or as the deputy on behalf
    of the leader (KT.)."""
    words = kind_words(kind).fields()
    if signer.role == "deputy":
        return _("{name}, {deputy_role}, signing on behalf of the {leader_role} (KT.)").format(
            name=signer.name, **words
        )
    return _("{name}, {leader_role}, signing for the {kind_full} (TM.)").format(
        name=signer.name, **words
    )


def signer_json(signer: Signer | None) -> dict[str, str] | None:
    """The signer as the JSON outputs give it."""
    return {"name": signer.name, "role": signer.role} if signer else None


def covenant_json(covenant: Covenant | None) -> dict[str, Any] | None:
    """A covenant as the JSON outputs give it."""
    return {"date": covenant.signed_on, "note": covenant.note} if covenant else None


def decision_json(decision: Decision) -> dict[str, Any]:
    revoked = decision.revocation
    return {
        "award": decision.award,
        "granted": decision.granted,
        "number": decision.number,
        "date": decision.decided_on,
        "approved": decision.granted is not None,
        "version": decision.version,
        "revoked": (
            {"number": revoked.number, "date": revoked.decided_on, "reason": revoked.reason}
            if revoked is not None
            else None
        ),
    }


def status_text(submission: Submission | None) -> str:
    """'version 1, submitted 05/01/2021' or 'draft (not submitted)', for a table cell."""
    if submission is None:
        return _("draft (not submitted)")
    if submission.status == "withdrawn":
        return _("version {version}, withdrawn: {reason}").format(
            version=submission.version, reason=submission.withdrawn_reason
        )
    return _("version {version}, submitted {date}").format(
        version=submission.version, date=shown_date(submission.submitted_on)
    )


def record_json(submission: Submission | None) -> dict[str, Any] | None:
    if submission is None:
        return None
    return {
        "version": submission.version,
        "date": submission.submitted_on,
        "number": submission.number,
        "status": submission.status,
        "withdrawn_reason": submission.withdrawn_reason,
        "origin": submission.origin,
    }


def rank_json(
    ranking: Ranking,
    cluster: str,
    year: int,
    *,
    status: str = "draft",
    submission: Submission | None = None,
) -> dict[str, Any]:
    """The documented contract for scripts; keys stay stable."""
    return {
        "cluster": cluster,
        "year": year,
        "period": ranking.period,
        "status": status,
        "submission": record_json(submission),
        "members": ranking.members,
        "rows": [
            {
                "rank": r.rank,
                "tied": r.tied,
                "unit": r.unit,
                "base": to_number(r.base),
                "bonus": to_number(r.bonus),
                "deduction": to_number(r.deduction),
                "total": to_number(r.total),
                "votes": r.votes,
                "voters": r.voters,
                "issued": r.issued,
                "vote_share": (
                    to_number(share)
                    if (share := vote_share(r.votes, r.voters)) is not None
                    else None
                ),
                "rating": r.rating,
                "eligible": r.eligible,
                "flags": r.flags,
                "barred": r.barred,
                "award": AWARD_NAMES.get(r.award_code or ""),
                "award_code": r.award_code,
                "awaiting": r.awaiting,
            }
            for r in ranking.rows
        ],
        "unresolved_ties": [
            {
                "rank": t.rank,
                "units": list(t.units),
                "awards": list(t.awards),
                "total": to_number(t.total),
            }
            for t in ranking.unresolved_ties
        ],
        "rules": rules_json(ranking.rules),
    }


def ranking_notes(ranking: Ranking, kind: str) -> list[str]:
    """The notes under a ranking; `kind` (cum or khoi) words the quota."""
    notes = []
    for total, units, steps in ranking.tie_groups:
        names = ", ".join(units)
        if steps:
            notes.append(
                _("Equal totals ({total}): {units}; placed by {steps}.").format(
                    total=shown(total), units=names, steps=", ".join(step_name(s) for s in steps)
                )
            )
        else:
            notes.append(
                _("Equal totals ({total}): {units}; the tie stands.").format(
                    total=shown(total), units=names
                )
            )
    for tie in ranking.unresolved_ties:
        notes.append(
            _(
                "Unresolved tie at rank {rank} decides an award: {units}. Settle it by a vote "
                "(thidua vote set) or a tie-break rule (thidua policy set)."
            ).format(rank=tie.rank, units=", ".join(tie.units))
        )
    threshold = threshold_text(ranking.rules)
    if threshold:
        gates = " / ".join(AWARD_NAMES[a] for a in ranking.rules.vote_gates)
        notes.append(
            _("Vote threshold for the {awards}: {threshold}.").format(
                awards=gates, threshold=threshold
            )
        )
    for award, minimum in ranking.rules.min_rating:
        notes.append(
            _("Rating required for the {award}: {rating} or better.").format(
                award=AWARD_NAMES[award], rating=RATING_NAMES[minimum]
            )
        )
    for row in ranking.rows:
        if row.flags:
            notes.append(
                _("{unit} is not eligible for an award: {reasons}.").format(
                    unit=row.unit, reasons="; ".join(row.flags)
                )
            )
        if row.barred:
            notes.append(f"{row.unit}: " + "; ".join(barred_reasons(row, ranking.rules)) + ".")
        if row.awaiting:
            notes.append(awaiting_line(row) + ".")
        if row.scored == 0:
            notes.append(_("{unit} has no scores; it is not ranked.").format(unit=row.unit))
        elif row.missing:
            notes.append(
                _("{unit} has no score for {count} base criteria.").format(
                    unit=row.unit, count=row.missing
                )
            )
    if ranking.period == "year":
        flags, merits = ranking.co_thi_dua_quota, ranking.bang_khen_quota
        notes.append(
            _("Quotas: {flags}, {merits} for a {kind} of {members}.").format(
                flags=ngettext("{count} flag", "{count} flags", flags).format(count=flags),
                merits=ngettext("{count} certificate", "{count} certificates", merits).format(
                    count=merits
                ),
                members=ngettext("{count} member", "{count} members", ranking.members).format(
                    count=ranking.members
                ),
                **kind_words(kind).fields(),
            )
        )
    else:
        notes.append(_("A half-year review ranks but proposes no award."))
    return notes


def conference_json(conference: Conference) -> dict[str, Any]:
    """A conference as the JSON outputs give it: what is recorded, nothing filled in."""
    return {
        "period": conference.period,
        "date": conference.held_on,
        "place": conference.place,
        "chair_unit": conference.chair_unit,
        "chair_name": conference.chair_name,
        "secretary": conference.secretary,
        "present": list(conference.present) if conference.present is not None else None,
        "guests": list(conference.guests),
    }
