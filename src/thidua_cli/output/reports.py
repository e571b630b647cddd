"""The year's paperwork: a cluster's report, the province summary, the award submission.

Each document is built twice from the same gathered facts: as data (`..._json`, for scripts)
and as an official document (`..._document`, a `documents.Document` that is then written as
Markdown, HTML or Word). The wording is in the register of an official paper; the numbers and
names come only from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from thidua_cli.i18n import _
from thidua_cli.models import (
    AWARD_NAMES,
    BANG_KHEN,
    CO_THI_DUA,
    ClusterReport,
    ClusterYear,
    Covenant,
    Member,
    Provenance,
    Ranking,
    Row,
)
from thidua_cli.output.documents import (
    Block,
    Document,
    bullets,
    chart_block,
    heading,
    paragraph,
    table_block,
)
from thidua_cli.output.provenance import (
    illustrative_key,
    illustrative_line,
    illustrative_lines,
    place_note,
    proposal_json,
    provenance_json,
    sources_line,
    with_basis,
)
from thidua_cli.output.wording import (
    awaiting_line,
    barred_reasons,
    conference_json,
    covenant_json,
    decision_json,
    place_word,
    rank_json,
    rank_text,
    record_json,
    share_text,
    signer_json,
    status_text,
    threshold_text,
    vote_share,
)
from thidua_cli.points import shown, to_number
from thidua_cli.rules.dates import shown_date
from thidua_cli.rules.decisions import decision_text
from thidua_cli.vocabulary import kind_words, shared_words

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def proposals(report: ClusterReport) -> list[Row]:
    """The year-end award proposals of the report's cluster-year."""
    if report.ranking is None or report.period != "year":
        return []
    return [r for r in report.ranking.rows if r.award_code]


def problems(report: ClusterReport) -> list[str]:
    """What stops the year's proposals: no scores, or a tie the cluster must settle."""
    if report.ranking is None:
        return [
            _("{cluster} has no scores for {year}.").format(
                cluster=report.cluster.name, year=report.year
            )
        ]
    return [
        _("{cluster}: unresolved tie at rank {rank}: {units}.").format(
            cluster=report.cluster.name, rank=t.rank, units=", ".join(t.units)
        )
        for t in report.ranking.unresolved_ties
    ] + [f"{report.cluster.name}: {awaiting_line(r)}." for r in report.ranking.awaiting]


def record_sentence(report: ClusterReport) -> str:
    """Whether the results stated are the cluster's submitted record or a draft."""
    submission = report.result.submission
    words = _words(report)
    if submission is None:
        return _(
            "These results are a draft: the {kind} has not submitted its file for this review."
        ).format(**words)
    return _("These results are those of the file the {kind} submitted ({record}).").format(
        record=status_text(submission), **words
    )


def _words(report: ClusterReport) -> dict[str, str]:
    """The words of the report's cluster kind (Cụm or Khối), as the messages' fields."""
    return kind_words(report.cluster.kind).fields()


def cluster_number(form: str, kind: str, settings: Mapping[str, str | None]) -> str:
    """The number line of a cluster's paper, "Số:      /BC-CTĐ": the number left blank for the
    clerk, the form (BC, BB, TTr) and the symbol of the cluster's kind as set (cum_symbol,
    khoi_symbol)."""
    return _("No.:      /{form}-{symbol}").format(
        form=form, symbol=settings.get(f"{kind}_symbol") or ""
    )


def _period_words(period: str, year: int) -> str:
    if period == "year":
        return _("the year {year}").format(year=year)
    return _("the first six months of {year}").format(year=year)


def place_date(province: str | None, iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return _("{place}, day {day} month {month} year {year}").format(
        place=province or "……", day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year
    )


def _proposed(report: ClusterReport, rows: Sequence[Row]) -> str:
    """The units proposed, each followed by whether the source reports the proposal or thidua
    computed it (where the review has a provenance)."""
    return ", ".join(with_basis(report.result.provenance, r, r.unit) for r in rows)


# ---------------------------------------------------------------- one cluster


def _conference(report: ClusterReport) -> Any:
    return next((c for c in report.state.conferences if c.period == report.period), None)


def _proposal_json(report: ClusterReport, row: Row) -> dict[str, Any]:
    assert row.award_code is not None
    decision = report.result.decisions.get((row.unit_id, row.award_code))
    return {
        "cluster": report.cluster.name,
        "unit": row.unit,
        "rank": row.rank,
        "total": to_number(row.total),
        "award_code": row.award_code,
        "award": AWARD_NAMES[row.award_code],
        "reason": proposal_reason(report, row),
        "status": report.result.status,
        "decision": decision_json(decision) if decision else None,
        **illustrative_key(report.result.provenance),
        **proposal_json(report.result.provenance, row),
    }


def proposal_reason(report: ClusterReport, row: Row) -> str:
    """Why the unit is proposed, as a submission states it."""
    if row.rank == 1 and row.award_code == CO_THI_DUA:
        text = _("Led {cluster} in {year}").format(cluster=report.cluster.name, year=report.year)
    else:
        text = _("Placed {rank} in {cluster} in {year}").format(
            rank=place_word(row.rank), cluster=report.cluster.name, year=report.year
        )
    text += ", " + _("total {total} points").format(total=shown(row.total))
    ballot = share_text(row.votes, row.voters)
    return f"{text}, {ballot}" if ballot else text


def cluster_json(report: ClusterReport) -> dict[str, Any]:
    conference = _conference(report)
    state = report.state
    leader, deputy = state.holder("leader"), state.holder("deputy")
    data: dict[str, Any] = {
        "cluster": report.cluster.name,
        "code": report.cluster.code,
        "year": report.year,
        "period": report.period,
        "status": report.result.status,
        "submission": record_json(report.result.submission),
        "conference": conference_json(conference) if conference else None,
        "covenant": covenant_json(state.covenant),
        "leader": leader.name if leader else None,
        "deputy": deputy.name if deputy else None,
        "signer": signer_json(state.signer),
        "members": [{"unit": m.name, "role": m.role} for m in state.members],
        "ranking": (
            rank_json(
                report.ranking,
                report.cluster.name,
                report.year,
                status=report.result.status,
                submission=report.result.submission,
            )
            if report.ranking
            else None
        ),
        "flags": [
            {"unit": r.unit, "reasons": r.flags}
            for r in (report.ranking.rows if report.ranking else [])
            if r.flags
        ],
        "proposals": [_proposal_json(report, r) for r in proposals(report)],
        "problems": problems(report),
    }
    data.update(provenance_json(report.result.provenance))
    if report.period == "year":
        data["next_year"] = {
            "year": report.year + 1,
            "leader": report.next_leader,
            "deputy": report.next_deputy,
            "covenant": covenant_json(report.next_covenant),
        }
    return data


def _ranking_table(ranking: Ranking, provenance: Provenance) -> Block:
    with_votes = any(r.votes is not None for r in ranking.rows)
    headers = [_("Rank"), _("Unit"), _("Base"), _("Bonus"), _("Deduction"), _("Total")]
    if with_votes:
        headers += [_("Votes"), _("Valid ballots"), _("Share (%)")]
    headers.append(_("Notes"))
    rows = []
    for r in ranking.rows:
        rank = rank_text(r.rank, r.tied)
        notes = [reported] if (reported := place_note(provenance, r)) else []
        if r.award_code:
            proposed = _("proposed: {award}").format(award=AWARD_NAMES[r.award_code])
            notes.append(with_basis(provenance, r, proposed))
        if r.flags:
            notes.append(_("not eligible: {reasons}").format(reasons="; ".join(r.flags)))
        notes += barred_reasons(r, ranking.rules)
        row = [rank, r.unit, shown(r.base), shown(r.bonus), shown(r.deduction), shown(r.total)]
        if with_votes:
            share = vote_share(r.votes, r.voters)
            row += [
                "" if r.votes is None else str(r.votes),
                "" if r.voters is None else str(r.voters),
                "" if share is None else shown(share),
            ]
        row.append("; ".join(notes))
        rows.append(row)
    numeric = [0, 2, 3, 4, 5] + ([6, 7, 8] if with_votes else [])
    return table_block(headers, rows, numeric)


def cluster_document(
    report: ClusterReport, settings: Mapping[str, str | None], date: str
) -> Document:
    name, year = report.cluster.name, report.year
    state = report.state
    words = kind_words(report.cluster.kind)
    period = _period_words(report.period, year)
    blocks: list[Block] = []
    sections = iter(ROMAN)

    members_heading = _("MEMBERS OF THE {KIND_FULL}").format(**words.fields())
    blocks.append(heading(f"{next(sections)}. {members_heading}"))
    blocks.append(
        paragraph(
            _("In {year}, {cluster} has {count} member units:").format(
                year=year, cluster=name, count=len(state.members)
            )
        )
    )
    blocks.append(
        table_block(
            [_("No."), _("Unit"), _("Role")],
            [
                [str(i), m.name, words.role(m.role)]
                for i, m in enumerate(_members_in_order(state), 1)
            ],
            [0],
        )
    )
    conference = _conference(report)
    label = (
        _("The year-end review conference")
        if report.period == "year"
        else _("The half-year review conference")
    )
    if conference and conference.held_on:
        text = _("{conference} of {period} was held on {date}").format(
            conference=label, period=period, date=shown_date(conference.held_on)
        )
        if conference.place:
            text += " " + _("at {place}").format(place=conference.place)
        blocks.append(paragraph(text + "."))
    people = []
    if conference and (conference.chair_name or conference.chair_unit):
        chair = _chair_words(conference.chair_name, conference.chair_unit, state)
        people.append(_("Chaired by {chair}.").format(chair=chair))
    if conference and conference.guests:
        people.append(_("Guests: {names}").format(names="; ".join(conference.guests)) + ".")
    if people:
        blocks.append(paragraph(" ".join(people)))
    else:
        blocks.append(
            paragraph(
                _("The date and place of the conference of {period} are not recorded.").format(
                    period=period
                )
            )
        )
    if state.covenant:
        blocks.append(paragraph(_covenant_sentence(state.covenant, year)))
    else:
        blocks.append(
            paragraph(
                _("The signing of the emulation covenant of {year} is not recorded.").format(
                    year=year
                )
            )
        )

    blocks.append(heading(f"{next(sections)}. " + _("SCORES AND RANKING")))
    ranking = report.ranking
    if ranking is None:
        blocks.append(
            paragraph(
                _("No scores are recorded for {period}; the {kind} is not ranked.").format(
                    period=period, **words.fields()
                )
            )
        )
    else:
        blocks.append(
            paragraph(
                _(
                    "The member units scored and reviewed one another by the criteria of {year}. "
                    "The results, from the highest total down:"
                ).format(year=year)
            )
        )
        blocks.append(_ranking_table(ranking, report.result.provenance))
        blocks.append(ranking_chart(ranking, report.result.provenance))
        blocks += _provenance_paragraphs(report.result.provenance)
        blocks.append(paragraph(record_sentence(report)))
        for tie in ranking.unresolved_ties:
            blocks.append(
                paragraph(
                    _(
                        "{units} have equal totals at rank {rank}; the {kind} has yet to settle "
                        "which of them is proposed."
                    ).format(units=", ".join(tie.units), rank=tie.rank, **words.fields())
                )
            )
        flagged = [r for r in ranking.rows if r.flags]
        if flagged:
            blocks.append(paragraph(_("Units not eligible for an award this year:")))
            blocks.append(bullets([f"{r.unit}: {'; '.join(r.flags)}" for r in flagged]))

    if report.period == "year":
        blocks.append(heading(f"{next(sections)}. " + _("AWARD PROPOSALS")))
        proposed = proposals(report)
        if not proposed:
            blocks.append(
                paragraph(
                    _("The {kind} proposes no award for {year}.").format(
                        year=year, **words.fields()
                    )
                )
            )
        else:
            blocks.append(
                paragraph(
                    _("The {kind_full} proposes to the Provincial People's Committee:").format(
                        **words.fields()
                    )
                )
            )
            items = []
            for code in (CO_THI_DUA, BANG_KHEN):
                chosen = [r for r in proposed if r.award_code == code]
                if chosen:
                    items.append(f"{AWARD_NAMES[code]}: " + _proposed(report, chosen))
            blocks.append(bullets(items))
            decided = [
                (r, report.result.decisions[(r.unit_id, r.award_code)])
                for r in proposed
                if (r.unit_id, r.award_code) in report.result.decisions
            ]
            if decided:
                blocks.append(paragraph(_("Decisions of the province:")))
                blocks.append(bullets([f"{r.unit}: {decision_text(d)}" for r, d in decided]))

        blocks.append(
            heading(
                f"{next(sections)}. "
                + _("{LEADER_ROLE} AND {DEPUTY_ROLE} FOR {year}").format(
                    year=year + 1, **words.fields()
                )
            )
        )
        blocks.append(paragraph(_election_sentence(report)))
        if report.next_covenant is not None:
            blocks.append(paragraph(_covenant_sentence(report.next_covenant, year + 1)))

    title = (
        _("Results of the emulation review of {period} of {cluster}")
        if report.period == "year"
        else _("Half-year review of the emulation work of {period} of {cluster}")
    ).format(period=period, cluster=name)
    return Document(
        issuer=name,
        superior=_superior(settings),
        number=cluster_number("BC", report.cluster.kind, settings),
        kind=_("REPORT"),
        title=title,
        place_date=place_date(settings.get("province"), date),
        blocks=blocks,
        **signed_for_the_cluster(report),
        copies_to=[
            _("The Board of Emulation and Rewards of the province"),
            _("The member units of the {kind}").format(**words.fields()),
            _("Filed"),
        ],
    )


def _members_in_order(state: ClusterYear) -> list[Member]:
    """The members as the papers list them: the leader, the deputy, then the others."""
    rank = {"leader": 0, "deputy": 1}
    return sorted(state.members, key=lambda m: rank.get(m.role, 2))  # stable: by name within


def _chair_words(person: str | None, unit: str | None, state: ClusterYear) -> str:
    """Who chaired, as the papers name them: "Ông A, Giám đốc (Sở X, Phó trưởng cụm)"."""
    if unit is None:
        return person or ""
    role = next((m.role for m in state.members if m.name == unit), "member")
    where = f"{unit}, {kind_words(state.cluster.kind).role(role)}"
    return f"{person} ({where})" if person else where


def _covenant_sentence(covenant: Covenant, year: int) -> str:
    """The covenant of `year` as the report states it: the year's, or the next year's signed at
    the year-end conference."""
    text = _("The member units signed the emulation covenant of {year} on {date}.").format(
        year=year, date=shown_date(covenant.signed_on)
    )
    return text[:-1] + f" ({covenant.note})." if covenant.note else text


def _election_sentence(report: ClusterReport) -> str:
    """Whom the year-end conference elected to lead the cluster next year, if recorded."""
    year = report.year + 1
    words = _words(report)
    if not report.next_leader:
        return _("The {leader_role} and {deputy_role} for {year} are not recorded.").format(
            year=year, **words
        )
    text = _("The conference elected {leader} {leader_role} for {year}").format(
        leader=report.next_leader, year=year, **words
    )
    if report.next_deputy:
        text += _(", and {deputy} {deputy_role}").format(deputy=report.next_deputy, **words)
    return text + "."


def _ballot_table(ranking: Ranking) -> Block:
    rows = []
    for r in ranking.rows:
        share = vote_share(r.votes, r.voters)
        rows.append(
            [
                r.unit,
                "" if r.issued is None else str(r.issued),
                "" if r.voters is None else str(r.voters),
                "" if r.votes is None else str(r.votes),
                "" if share is None else shown(share),
            ]
        )
    headers = [_("Unit"), _("Ballots issued"), _("Valid ballots"), _("Votes"), _("Share (%)")]
    return table_block(headers, rows, [1, 2, 3, 4])


def minutes_document(
    report: ClusterReport, settings: Mapping[str, str | None], date: str
) -> Document:
    """The year-end review conference's minutes (biên bản họp bình xét): when and where, who
    chaired, the members present, the ballot and its shares, the ranking, the proposals, the
    election of next year's leader and deputy, and the signatures."""
    name, year = report.cluster.name, report.year
    state = report.state
    words = kind_words(report.cluster.kind)
    leader = state.holder("leader")
    sections = iter(ROMAN)
    blocks: list[Block] = []
    conference = _conference(report)
    blocks.append(heading(f"{next(sections)}. " + _("TIME AND PLACE")))
    when = shown_date(conference.held_on) if conference and conference.held_on else "......"
    where = conference.place if conference and conference.place else "......"
    blocks.append(paragraph(_("On {date}, at {place}.").format(date=when, place=where)))
    blocks.append(heading(f"{next(sections)}. " + _("THOSE PRESENT")))
    chair_unit = (conference.chair_unit if conference else None) or (
        leader.name if leader else None
    )
    chair_person = conference.chair_name if conference else None
    secretary = conference.secretary if conference else None
    present = conference.present if conference else None
    chair_line = _("Chair: {person}").format(
        person=_chair_words(chair_person or "......", chair_unit, state)
    )
    if present is None:  # attendance not recorded: left for the secretary to fill in
        attendance = _("Member units: {count}; present: ......").format(count=len(state.members))
    else:
        absent = [m.name for m in state.members if m.name not in present]
        attendance = _("Member units: {count}; present: {present}; absent: {absent}").format(
            count=len(state.members),
            present=len(present),
            absent=", ".join(absent) if absent else _("none"),
        )
    guests = list(conference.guests) if conference else []
    blocks.append(
        bullets(
            [
                *([_("Guests: {names}").format(names="; ".join(guests))] if guests else []),
                chair_line,
                _("Secretary: {person}").format(person=secretary or "......"),
                attendance,
            ]
        )
    )
    headers = [_("No."), _("Unit"), _("Role")]
    ordered = _members_in_order(state)
    rows = [[str(i), m.name, words.role(m.role)] for i, m in enumerate(ordered, 1)]
    if present is not None:
        headers.append(_("Attendance"))
        for row, member in zip(rows, ordered, strict=True):
            row.append(_("present") if member.name in present else _("absent"))
    blocks.append(table_block(headers, rows, [0]))
    blocks.append(heading(f"{next(sections)}. " + _("PROCEEDINGS")))
    ranking = report.ranking
    if ranking is None:
        blocks.append(paragraph(_("No scores are recorded; the conference ranked no unit.")))
    else:
        blocks.append(paragraph("1. " + _("The scores, from the highest total down:")))
        blocks.append(_ranking_table(ranking, report.result.provenance))
        blocks += _provenance_paragraphs(report.result.provenance)
        blocks.append(paragraph("2. " + _("The ballot (bỏ phiếu bình xét):")))
        if any(r.votes is not None for r in ranking.rows):
            blocks.append(_ballot_table(ranking))
        else:
            blocks.append(paragraph(_("No ballot is recorded.")))
        threshold = threshold_text(ranking.rules)
        if threshold:
            gates = " / ".join(AWARD_NAMES[a] for a in ranking.rules.vote_gates)
            blocks.append(
                paragraph(
                    _("Vote threshold for the {awards}: {threshold}.").format(
                        awards=gates, threshold=threshold
                    )
                )
            )
        barred = [f"{r.unit}: {'; '.join(barred_reasons(r, ranking.rules))}" for r in ranking.rows
                  if r.barred]  # fmt: skip
        if barred:
            blocks.append(bullets(barred))
        blocks.append(paragraph("3. " + _("The award proposals:")))
        proposed = proposals(report)
        items = [
            f"{AWARD_NAMES[code]}: "
            + _proposed(report, [r for r in proposed if r.award_code == code])
            for code in (CO_THI_DUA, BANG_KHEN)
            if any(r.award_code == code for r in proposed)
        ]
        blocks.append(bullets(items) if items else paragraph(_("None.")))
    blocks.append(paragraph(("4. " if ranking is not None else "") + _election_sentence(report)))
    blocks.append(paragraph(_("The minutes were read to the conference and approved.")))
    return Document(
        issuer=name,
        superior=_superior(settings),
        number=cluster_number("BB", report.cluster.kind, settings),
        kind=_("MINUTES"),
        title=_("The emulation review conference of {year} of {cluster}").format(
            year=year, cluster=name
        ),
        place_date=place_date(settings.get("province"), date),
        blocks=blocks,
        sign_for=None,
        signer_title=_("CHAIR"),
        signer=chair_person or chair_unit,
        second_signer_title=_("SECRETARY"),
        second_signer=secretary,
        copies_to=[
            _("The Board of Emulation and Rewards of the province"),
            _("The member units of the {kind}").format(**words.fields()),
            _("Filed"),
        ],
    )


def signed_for_the_cluster(report: ClusterReport) -> dict[str, str | None]:
    """A cluster's paper is signed by the person recorded (thidua cluster signer): for the
    cluster as its leader ("TM. CỤM THI ĐUA" / "TRƯỞNG CỤM"), or as the deputy on behalf of the
    leader ("KT. TRƯỞNG CỤM" / "PHÓ TRƯỞNG CỤM"). With nobody recorded the name is left blank
    for the clerk: a unit is not a person and does not sign."""
    signer = report.state.signer
    words = _words(report)
    if signer is not None and signer.role == "deputy":
        return {
            "sign_for": _("FOR THE {LEADER_ROLE}").format(**words),
            "signer_title": words["DEPUTY_ROLE"],
            "signer": signer.name,
        }
    return {
        "sign_for": _("ON BEHALF OF THE {KIND_FULL}").format(**words),
        "signer_title": words["LEADER_ROLE"],
        "signer": signer.name if signer else None,
    }


def legal_bases(settings: Mapping[str, str | None]) -> list[str]:
    """The legal bases a submission cites, as set (separated by "|")."""
    text = settings.get("legal_bases") or ""
    return [part.strip().rstrip(";") for part in text.split("|") if part.strip()]


def _signed_by_the_board(settings: Mapping[str, str | None]) -> dict[str, str | None]:
    """The Board's papers: its head signs (or, with "KT. TRƯỞNG BAN", a deputy for the head)."""
    return {
        "sign_for": settings.get("board_sign_for"),
        "signer_title": settings.get("board_signer_title") or _("HEAD OF THE BOARD"),
        "signer": settings.get("board_signer"),
    }


def _superior(settings: Mapping[str, str | None]) -> str | None:
    province = settings.get("province")
    return (
        _("People's Committee of {province} province").format(province=province)
        if province
        else None
    )


def _provenance_paragraphs(provenance: Provenance) -> list[Block]:
    """Under a ranking: the illustrative figures' note, and where the reported places come
    from (nothing for a review without a provenance)."""
    lines = [illustrative_line(provenance), sources_line(provenance)]
    return [paragraph(line) for line in lines if line]


def _illustrative_of(reports: Sequence[ClusterReport]) -> list[str]:
    return illustrative_lines((r.cluster.name, r.result.provenance) for r in reports)


def ranking_chart(ranking: Ranking, provenance: Provenance) -> Block:
    """A bar chart of the ranked units' totals, in ranked order, labelled as the table is; its
    title says when the totals are illustrative."""
    ranked = [r for r in ranking.rows if r.rank is not None]
    title = _("Total points by unit")
    if provenance.illustrative is not None:
        title += " " + _("(illustrative figures)")
    return chart_block(
        title,
        [r.unit for r in ranked],
        [r.total for r in ranked],
        [shown(r.total) for r in ranked],
    )


# ---------------------------------------------------------------- the province


def _totals(reports: Sequence[ClusterReport]) -> dict[str, int]:
    proposed = [r for report in reports for r in proposals(report)]
    return {
        "clusters": len(reports),
        "ranked": sum(1 for r in reports if r.ranking is not None),
        CO_THI_DUA: sum(1 for r in proposed if r.award_code == CO_THI_DUA),
        BANG_KHEN: sum(1 for r in proposed if r.award_code == BANG_KHEN),
    }


def province_json(reports: Sequence[ClusterReport], year: int) -> dict[str, Any]:
    clusters = []
    for report in reports:
        leader, deputy = report.state.holder("leader"), report.state.holder("deputy")
        first = [r.unit for r in report.ranking.rows if r.rank == 1] if report.ranking else []
        clusters.append(
            {
                "cluster": report.cluster.name,
                "code": report.cluster.code,
                "members": len(report.state.members),
                "leader": leader.name if leader else None,
                "deputy": deputy.name if deputy else None,
                "first": first,
                "status": report.result.status,
                "submission": record_json(report.result.submission),
                "proposals": [_proposal_json(report, r) for r in proposals(report)],
                "next_year": {"leader": report.next_leader, "deputy": report.next_deputy},
                "problems": problems(report),
                **provenance_json(report.result.provenance),
            }
        )
    return {"year": year, "clusters": clusters, "totals": _totals(reports)}


def province_document(
    reports: Sequence[ClusterReport], year: int, settings: Mapping[str, str | None], date: str
) -> Document:
    totals = _totals(reports)
    words = shared_words(r.cluster.kind for r in reports)  # the columns name the roles
    blocks: list[Block] = [
        heading("I. " + _("THE CLUSTERS AND THEIR RESULTS")),
        paragraph(
            _(
                "In {year} the province has {count} emulation clusters; {ranked} of them reviewed "
                "and ranked their members at the year-end conference."
            ).format(year=year, count=totals["clusters"], ranked=totals["ranked"])
        ),
    ]
    rows = []
    for i, report in enumerate(reports, 1):
        leader, deputy = report.state.holder("leader"), report.state.holder("deputy")
        first = [r.unit for r in report.ranking.rows if r.rank == 1] if report.ranking else []
        proposed = proposals(report)
        rows.append(
            [
                str(i),
                report.cluster.name,
                leader.name if leader else "",
                deputy.name if deputy else "",
                ", ".join(first) or _("(no scores)"),
                _proposed(report, [r for r in proposed if r.award_code == CO_THI_DUA]),
                _proposed(report, [r for r in proposed if r.award_code == BANG_KHEN]),
            ]
        )
    blocks.append(
        table_block(
            [
                _("No."),
                words.fields()["Kind_full"],
                words.leader,
                words.deputy,
                _("First"),
                AWARD_NAMES[CO_THI_DUA],
                AWARD_NAMES[BANG_KHEN],
            ],
            rows,
            [0],
        )
    )
    blocks += [paragraph(line) for line in _illustrative_of(reports)]
    blocks.append(heading("II. " + _("TOTALS")))
    blocks.append(
        bullets(
            [
                _("{award}: {count} units").format(
                    award=AWARD_NAMES[CO_THI_DUA], count=totals[CO_THI_DUA]
                ),
                _("{award}: {count} units").format(
                    award=AWARD_NAMES[BANG_KHEN], count=totals[BANG_KHEN]
                ),
            ]
        )
    )
    unsettled = [p for report in reports for p in problems(report)]
    if unsettled:
        blocks.append(paragraph(_("Still to be settled:")))
        blocks.append(bullets(unsettled))
    elected = [r for r in reports if r.next_leader]
    if elected:
        blocks.append(
            heading(
                "III. "
                + _("ELECTED {LEADER_ROLE} AND {DEPUTY_ROLE} FOR {year}").format(
                    year=year + 1, **words.fields()
                )
            )
        )
        blocks.append(
            table_block(
                [_("Cluster"), words.leader, words.deputy],
                [[r.cluster.name, r.next_leader or "", r.next_deputy or ""] for r in elected],
            )
        )
    return Document(
        issuer=settings.get("board") or "",
        superior=settings.get("board_superior"),
        number=_("No.:      /BC-TĐKT"),
        kind=_("REPORT"),
        title=_("Summary of the emulation review of the clusters in {year}").format(year=year),
        place_date=place_date(settings.get("province"), date),
        blocks=blocks,
        **_signed_by_the_board(settings),
        copies_to=[_("The Provincial People's Committee"), _("Filed")],
    )


# ---------------------------------------------------------------- the award submission


def submission_json(reports: Sequence[ClusterReport], year: int) -> dict[str, Any]:
    return {
        "year": year,
        "proposals": [_proposal_json(report, r) for report in reports for r in proposals(report)],
        "totals": {k: v for k, v in _totals(reports).items() if k in (CO_THI_DUA, BANG_KHEN)},
    }


def submission_document(
    reports: Sequence[ClusterReport],
    year: int,
    settings: Mapping[str, str | None],
    date: str,
    *,
    one_cluster: bool,
) -> Document:
    totals = _totals(reports)
    province = settings.get("province")
    rows = []
    for report in reports:
        for r in proposals(report):
            assert r.award_code is not None
            rows.append(
                [
                    str(len(rows) + 1),
                    r.unit,
                    AWARD_NAMES[r.award_code],
                    with_basis(report.result.provenance, r, proposal_reason(report, r)),
                ]
            )
    count = f"{len(rows):02d}"
    opening = (
        _(
            "Based on the results of the emulation review of {year} of {cluster}, at which the "
            "member units scored and ranked one another, {cluster} proposes awards for {count} "
            "collectives as follows:"
        ).format(year=year, cluster=reports[0].cluster.name, count=count)
        if one_cluster
        else _(
            "Based on the results of the emulation review of {year}, at which the clusters "
            "scored, ranked and chose their best member units, the {board} proposes awards for "
            "{count} collectives as follows:"
        ).format(year=year, board=settings.get("board") or "", count=count)
    )
    blocks: list[Block] = [
        *(paragraph(_("Based on {basis};").format(basis=basis)) for basis in legal_bases(settings)),
        paragraph(opening),
        table_block([_("No."), _("Collective"), _("Award"), _("Achievement")], rows, [0]),
        *(paragraph(line) for line in _illustrative_of(reports)),
        bullets(
            [
                _("{award}: {count} collectives").format(
                    award=AWARD_NAMES[code], count=f"{totals[code]:02d}"
                )
                for code in (CO_THI_DUA, BANG_KHEN)
            ]
        ),
        paragraph(_("We respectfully submit it for consideration and decision.")),
    ]
    title = _("Proposal to award the {flag} and the {merit} for {year}").format(
        flag=AWARD_NAMES[CO_THI_DUA], merit=AWARD_NAMES[BANG_KHEN], year=year
    )
    if one_cluster:
        report = reports[0]
        return Document(
            issuer=report.cluster.name,
            superior=_superior(settings),
            number=cluster_number("TTr", report.cluster.kind, settings),
            kind=_("SUBMISSION"),
            title=title,
            recipient=_("To: the Council of Emulation and Rewards of the province"),
            place_date=place_date(province, date),
            blocks=blocks,
            **signed_for_the_cluster(report),
            copies_to=[
                _("As above"),
                _("The Board of Emulation and Rewards of the province"),
                _("Filed"),
            ],
        )
    return Document(
        issuer=settings.get("board") or "",
        superior=settings.get("board_superior"),
        number=_("No.:      /TTr-TĐKT"),
        kind=_("SUBMISSION"),
        title=title,
        recipient=_("To: the Chairman of the Provincial People's Committee"),
        place_date=place_date(province, date),
        blocks=blocks,
        **_signed_by_the_board(settings),
        copies_to=[_("As above"), _("Filed")],
    )
