"""A cluster-year's ranking on screen, as CSV, JSON, Markdown or an Excel workbook."""

from __future__ import annotations

from pathlib import Path

from thidua_cli.i18n import _, forms_language
from thidua_cli.models import LiveRanking, Ranking
from thidua_cli.output.provenance import illustrative_line, provenance_json, reported_lines
from thidua_cli.output.render import (
    SCHEMA_VERSION,
    Column,
    deliver,
    file_of,
    for_people,
    html_table,
    markdown,
    md_text,
    rows_bytes,
    say,
    show_table,
    to_json,
)
from thidua_cli.output.wording import (
    award_cell,
    ineligible_text,
    rank_json,
    rank_text,
    ranking_notes,
    status_text,
    vote_share,
)
from thidua_cli.points import shown, to_number

RANK_COLUMNS = [
    ("rank", "Rank", True),
    ("unit", "Unit", False),
    ("base", "Base", True),
    ("bonus", "Bonus", True),
    ("deduction", "Deduction", True),
    ("total", "Total", True),
    ("votes", "Votes", True),
    ("voters", "Valid ballots", True),
    ("share", "Share", True),
    ("rating", "Rating", False),
    ("flags", "Not eligible", False),
    ("award", "Award proposed", False),
]


def rank_columns() -> list[Column]:
    headers = {
        "Rank": _("Rank"),
        "Unit": _("Unit"),
        "Base": _("Base"),
        "Bonus": _("Bonus"),
        "Deduction": _("Deduction"),
        "Total": _("Total"),
        "Votes": _("Votes"),
        "Valid ballots": _("Valid ballots"),
        "Share": _("Share (%)"),
        "Rating": _("Rating"),
        "Not eligible": _("Not eligible"),
        "Award proposed": _("Award proposed"),
    }
    return [
        *(Column(key, headers[header], numeric) for key, header, numeric in RANK_COLUMNS),
        Column("award_code", _("Award code"), code=True),
    ]


def _share(votes: int | None, voters: int | None, machine: bool) -> int | float | str | None:
    share = vote_share(votes, voters)
    if share is None:
        return None
    return to_number(share) if machine else shown(share)


def _rating_cell(rating: str | None) -> str:
    """The rating's usual abbreviation on screen (HTXSNV); the full name is in the notes."""
    return rating.upper() if rating else ""


def period_label(period: str) -> str:
    return _("year-end") if period == "year" else _("half-year")


def record_note(view: LiveRanking) -> str | None:
    """How the live ranking stands against the submitted one, in a sentence."""
    if view.submission is None:
        return None
    where = status_text(view.submission)
    if view.differs:
        return _(
            "Differs from the submitted record ({where}) for: {units}. The reports and the "
            "award proposals show the submitted record."
        ).format(where=where, units=", ".join(view.differs))
    return _("The same as the submitted record ({where}).").format(where=where)


def show_ranking(view: LiveRanking, fmt: str, output: Path | None = None) -> None:
    """Print the ranking in `fmt` (table, csv, json, md, html), or write it to `output`."""
    with forms_language(fmt):  # CSV and JSON read the same in every language
        data = _ranking_output(view, fmt, for_file=file_of(output) is not None)
    if fmt == "table":
        return
    deliver(data, output)
    if fmt == "csv":  # the notes in the user's language, for the person
        note, illustrative = record_note(view), illustrative_line(view.provenance)
        if view.differs and note:
            say(_("Note: {text}").format(text=note))
        if illustrative:  # the columns stay as they are; the note goes to the person
            say(_("Note: {text}").format(text=illustrative))


def _ranking_output(view: LiveRanking, fmt: str, *, for_file: bool) -> str | bytes:
    ranking, name, year = view.ranking, view.cluster.name, view.year
    if fmt == "json":
        data = rank_json(
            ranking,
            name,
            year,
            status="submitted" if view.submission else "draft",
            submission=view.submission,
        )
        data["differs_from_submission"] = view.differs
        data.update(provenance_json(view.provenance))
        return to_json({"schema_version": SCHEMA_VERSION, **data}) + "\n"
    machine = fmt == "csv"
    rows = []
    for r in ranking.rows:
        rows.append(
            {
                "rank": rank_text(r.rank, r.tied and not machine),
                "unit": r.unit if fmt != "table" else (r.short or r.unit),
                "base": to_number(r.base) if machine else shown(r.base),
                "bonus": to_number(r.bonus) if machine else shown(r.bonus),
                "deduction": to_number(r.deduction) if machine else shown(r.deduction),
                "total": to_number(r.total) if machine else shown(r.total),
                "votes": r.votes,
                "voters": r.voters,
                "share": _share(r.votes, r.voters, machine),
                "rating": r.rating if machine else _rating_cell(r.rating),
                "flags": ineligible_text(r, ranking.rules),
                "award": award_cell(r),
                "award_code": r.award_code,
            }
        )
    title = _("Ranking of {cluster}, {year} ({period})").format(
        cluster=name, year=year, period=period_label(ranking.period)
    )
    notes = ranking_notes(ranking, view.cluster.kind)
    note = record_note(view)
    if note:
        notes.append(note)
    illustrative = illustrative_line(view.provenance)
    # first, where the eye lands: what of the table is made up, and what the source reports
    notes[:0] = [*([illustrative] if illustrative else []), *reported_lines(view.provenance)]
    columns = rank_columns()
    if fmt == "csv":
        return rows_bytes(rows, columns, "csv", for_file=for_file)
    if fmt == "md":
        text = markdown(rows, columns, title=title)
        return text + "\n" + "\n".join(f"- {md_text(n)}" for n in notes) + "\n"
    if fmt == "html":
        return html_table(rows, columns, title=title, caption="\n".join(notes))
    # On screen, leave out the columns nobody filled in (no votes, no flags this year).
    optional = ("votes", "voters", "share", "rating", "flags")
    columns = [
        c
        for c in columns
        if c.key not in optional or any(row[c.key] not in (None, "") for row in rows)
    ]
    show_table(rows, columns, title=title, caption="\n".join(notes))
    return ""


def rank_workbook(ranking: Ranking, year: int, *, note: str | None = None) -> bytes:
    """The ranking as a workbook: the table, and a bar chart of the ranked units' totals on a
    sheet of its own; `note` (the illustrative figures' note) under the table and in the
    chart's title."""
    from thidua_cli.output.workbook import BarChartSpec, table_workbook

    columns = for_people(rank_columns())
    rows = [
        [
            r.rank,
            r.unit,
            to_number(r.base),
            to_number(r.bonus),
            to_number(r.deduction),
            to_number(r.total),
            r.votes,
            r.voters,
            _share(r.votes, r.voters, True),
            r.rating,
            ineligible_text(r, ranking.rules),
            award_cell(r),
        ]
        for r in ranking.rows
    ]
    keys = [c.key for c in columns]
    ranked = sum(1 for r in ranking.rows if r.rank is not None)  # the unscored come last
    title = _("Total points, {year} ({period})").format(
        year=year, period=period_label(ranking.period)
    )
    return table_workbook(
        sheet_title=f"{year} {period_label(ranking.period)}",
        headers=[c.header for c in columns],
        rows=rows,
        decimals=[keys.index(k) for k in ("base", "bonus", "deduction", "total", "share")],
        note=note,
        chart=BarChartSpec(
            title=f"{title} {_('(illustrative figures)')}" if note else title,
            categories=keys.index("unit") + 1,
            values=keys.index("total") + 1,
            rows=ranked,
            sheet_title=_("Chart"),
            axis_title=_("Total"),
        )
        if ranked
        else None,
    )
