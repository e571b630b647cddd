"""The award proposals of a year, as the province receives them: a table, CSV for Excel, JSON or
a workbook. Each row says whether it comes from a submitted record or a draft, and carries the
province's decision once it is recorded; proposals of a withdrawn version that hold a decision
stay listed, so that no QĐ drops out of the year's list."""

from __future__ import annotations

from typing import Any

from thidua_cli.i18n import _
from thidua_cli.models import (
    AWARD_NAMES,
    CO_THI_DUA,
    ClusterResult,
    CouncilVote,
    Review,
    Row,
    Submission,
    YearAwards,
)
from thidua_cli.output.provenance import proposal_basis, proposal_json
from thidua_cli.output.render import Column
from thidua_cli.output.wording import (
    awaiting_names,
    decision_json,
    place_word,
    record_json,
    status_text,
    vote_share,
)
from thidua_cli.points import shown, to_number
from thidua_cli.rules.dates import shown_date
from thidua_cli.rules.decisions import decision_text
from thidua_cli.vocabulary import kind_words

AWARD_COLUMNS = (
    ("year", "Năm", True),
    ("cluster", "Cụm thi đua", False),
    ("unit", "Đơn vị", False),
    ("rank", "Xếp hạng", True),
    ("total", "Tổng điểm", True),
    ("award", "Hình thức khen thưởng", False),
    ("note", "Ghi chú", False),
    ("decision", "Quyết định", False),
    ("record", "Hồ sơ", False),
    ("board", "Ban Thi đua - Khen thưởng", False),
    ("council", "Hội đồng Thi đua - Khen thưởng", False),
    ("stage", "Giai đoạn", False),
)
# How far a proposal has gone, in order: the cluster's draft, its submitted file, the Board's
# receipt, the Council's vote, the province's decision.
STAGES = ("draft", "submitted", "reviewed", "council", "decided")


def award_columns() -> list[Column]:
    return [
        *(Column(key, header, numeric) for key, header, numeric in AWARD_COLUMNS),
        Column("award_code", _("Award code"), code=True),
        Column("stage_code", _("Stage code"), code=True),
    ]


def _note(result: ClusterResult, row: Row) -> str:
    ranking = result.ranking
    assert ranking is not None
    if row.awaiting:
        what = awaiting_names()
        return _("Waits for: {what}").format(what=", ".join(what[w] for w in row.awaiting))
    if row.award_code == CO_THI_DUA and row.rank == 1 and not row.tied:
        return _("Leads the {kind}").format(**kind_words(result.cluster.kind).fields())
    if row.award_code:
        above = [
            x.unit
            for x in ranking.rows
            if x.rank
            and row.rank
            and x.rank < row.rank
            and (not x.eligible or row.award_code in x.barred)
        ]
        if above:
            return _("Placed {rank}; ineligible above: {units}").format(
                rank=place_word(row.rank), units=", ".join(above)
            )
        return _("Placed {rank}").format(rank=place_word(row.rank))
    return _("Tied at rank {rank}; the {kind} must settle it").format(
        rank=row.rank, **kind_words(result.cluster.kind).fields()
    )


def award_rows(awards: YearAwards, *, allow_ties: bool) -> list[dict[str, Any]]:
    """One row per proposal (and per proposal of a withdrawn version that holds a decision);
    `decision` holds the Decision record, `submission` the Submission (None for a draft)."""
    rows: list[dict[str, Any]] = []
    for result in awards.results:
        assert result.ranking is not None
        for r in result.ranking.rows:
            if not r.award_code and not (allow_ties and r.pending_awards):
                continue
            rows.append(
                {
                    "year": awards.year,
                    "cluster": result.cluster.name,
                    "unit": r.unit,
                    "short_name": r.short,  # for the screen; files carry the full name
                    "rank": r.rank,
                    "total": to_number(r.total),
                    "award": AWARD_NAMES[r.award_code]
                    if r.award_code
                    else " / ".join(AWARD_NAMES[a] for a in r.pending_awards),
                    "award_code": r.award_code,
                    "note": _note(result, r),
                    "decision": result.decisions.get((r.unit_id, r.award_code or "")),
                    "status": result.status,
                    "submission": result.submission,
                    "returned": _returned(result),
                    "review": result.review,
                    "council_vote": result.council.get((r.unit_id, r.award_code or "")),
                    **_provenance_keys(result, r),
                }
            )
        # a decision that no proposal of the record matches (a database made before the
        # records, whose ranking changed since): listed so that no QĐ drops out of the year
        proposed = {(r.unit_id, r.award_code) for r in result.ranking.rows if r.award_code}
        rows_by_unit = {r.unit_id: r for r in result.ranking.rows}
        for (unit_id, award), decision in result.decisions.items():
            row = rows_by_unit.get(unit_id)
            if (unit_id, award) in proposed or row is None:
                continue
            rows.append(
                {
                    "year": awards.year,
                    "cluster": result.cluster.name,
                    "unit": row.unit,
                    "rank": row.rank,
                    "total": to_number(row.total),
                    "award": AWARD_NAMES[award],
                    "award_code": award,
                    "note": _(
                        "Decided, but the submitted record proposes otherwise (thidua check)"
                    ),
                    "decision": decision,
                    "status": result.status,
                    "submission": result.submission,
                    "returned": _returned(result),
                    "review": result.review,
                    "council_vote": result.council.get((unit_id, award)),
                }
            )
        for earlier, row, decision in result.earlier_decisions:
            rows.append(
                {
                    "year": awards.year,
                    "cluster": result.cluster.name,
                    "unit": row.unit,
                    "rank": row.rank,
                    "total": to_number(row.total),
                    "award": AWARD_NAMES[decision.award],
                    "award_code": decision.award,
                    "note": _("Proposed in version {version}, since withdrawn").format(
                        version=earlier.version
                    ),
                    "decision": decision,
                    "status": "withdrawn",
                    "submission": earlier,
                    "returned": None,
                    "review": None,
                    "council_vote": None,
                }
            )
    for row in rows:
        row["stage"] = stage_of(row)
    return rows


def _provenance_keys(result: ClusterResult, row: Row) -> dict[str, Any]:
    """What a proposal's row says of its provenance, where the review has one: whether its
    total is illustrative, and whether the source reports the proposal (with the words)."""
    provenance = result.provenance
    if not provenance:
        return {}
    return {
        "illustrative": provenance.illustrative is not None,
        "basis": proposal_basis(provenance, row),
        **proposal_json(provenance, row),
    }


def with_basis_notes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows for the eye (a table, Markdown, a workbook): each note followed by whether the
    source reports the proposal or thidua computed it. CSV keeps its cells as they were."""
    return [
        {**row, "note": f"{row['note']} ({row['basis']})"} if row.get("basis") else row
        for row in rows
    ]


def _returned(result: ClusterResult) -> tuple[Submission, Review] | None:
    """The version the Board returned last, while no later one stands."""
    if result.submission is not None or not result.returned:
        return None
    return result.returned[-1]


def record_text(row: dict[str, Any]) -> str:
    """The Hồ sơ column: the submission, or a draft (saying when the Board returned a file)."""
    returned = row.get("returned")
    if returned is None:
        return status_text(row["submission"])
    earlier, review = returned
    return _("draft; version {version} returned by the Board on {date}: {reason}").format(
        version=earlier.version, date=shown_date(review.reviewed_on), reason=review.reason
    )


def stage_of(row: dict[str, Any]) -> str:
    """The furthest stage a proposal has reached."""
    if row["decision"] is not None:
        return "decided"
    if row["council_vote"] is not None:
        return "council"
    if row["review"] is not None and row["review"].action == "accept":
        return "reviewed"
    return "submitted" if row["submission"] is not None else "draft"


def board_text(review: Review | None) -> str:
    if review is None:
        return ""
    if review.action == "accept":
        return _("received {date}").format(date=shown_date(review.reviewed_on))
    return _("returned {date}: {reason}").format(
        date=shown_date(review.reviewed_on), reason=review.reason
    )


def council_text(vote: CouncilVote | None) -> str:
    """'7/9 in favour (77.78%): passed' or '... not passed'."""
    if vote is None:
        return ""
    share = vote_share(vote.agree, vote.members) or 0
    verdict = _("passed") if vote.passed else _("not passed")
    return _("{agree}/{members} in favour ({share}%): {verdict}").format(
        agree=vote.agree, members=vote.members, share=shown(share), verdict=verdict
    )


def stage_names() -> dict[str, str]:
    """Each stage in words, in the language in force."""
    return {
        "draft": _("draft"),
        "submitted": _("submitted"),
        "reviewed": _("received by the Board"),
        "council": _("voted by the Council"),
        "decided": _("decided"),
    }


def as_text(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows for a table, CSV or workbook: the decision, the record, the Board's review and
    the Council's vote in words."""
    stages = stage_names()
    return [
        {
            **row,
            "decision": decision_text(row["decision"]) if row["decision"] else "",
            "record": record_text(row),
            "board": board_text(row["review"]),
            "council": council_text(row["council_vote"]),
            "stage": stages[row["stage"]],
            "stage_code": row["stage"],
        }
        for row in rows
    ]


def as_json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hidden = (
        "decision",
        "submission",
        "review",
        "council_vote",
        "returned",
        "basis",
        "short_name",
    )
    return [
        {
            **{k: v for k, v in row.items() if k not in hidden},
            "decision": decision_json(row["decision"]) if row["decision"] else None,
            "submission": record_json(row["submission"]),
            "returned": (
                {
                    "version": row["returned"][0].version,
                    "date": row["returned"][1].reviewed_on,
                    "reason": row["returned"][1].reason,
                }
                if row.get("returned")
                else None
            ),
            "review": (
                {
                    "action": row["review"].action,
                    "date": row["review"].reviewed_on,
                    "reason": row["review"].reason,
                }
                if row["review"]
                else None
            ),
            "council": (
                {
                    "agree": row["council_vote"].agree,
                    "members": row["council_vote"].members,
                    "date": row["council_vote"].voted_on,
                    "passed": row["council_vote"].passed,
                }
                if row["council_vote"]
                else None
            ),
        }
        for row in rows
    ]
