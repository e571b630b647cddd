"""`thidua rank`'s work, without Typer: the quick path of main.py runs it directly.

It lives outside the `cli` package, which loads Typer. `cli.ranking.rank` declares the options
for Typer and calls `show_ranking`; `thidua_cli.main` calls it too when the command line is the
common form (cluster, year, period, format, db), so that a shell loop over every cluster does
not load Typer once per cluster.
"""

from __future__ import annotations

import sys
from pathlib import Path

from thidua_cli.app.results import ranking_for, require_scores
from thidua_cli.app.session import find_cluster, open_db, say
from thidua_cli.errors import UsageError
from thidua_cli.i18n import _
from thidua_cli.output.render import Column, console, markdown, render, table, to_json, write_atomic
from thidua_cli.output.wording import award_text, rank_json, rank_text, ranking_notes
from thidua_cli.points import shown, to_number
from thidua_cli.rules.ranking import Ranking

RANK_COLUMNS = [
    ("rank", "Rank", True),
    ("unit", "Unit", False),
    ("base", "Base", True),
    ("bonus", "Bonus", True),
    ("deduction", "Deduction", True),
    ("total", "Total", True),
    ("votes", "Votes", True),
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
        "Not eligible": _("Not eligible"),
        "Award proposed": _("Award proposed"),
    }
    return [Column(key, headers[header], numeric) for key, header, numeric in RANK_COLUMNS]


def show_ranking(
    cluster: str, year: int, period: str, fmt: str, output: Path | None, db_path: Path | None
) -> None:
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(
            _("--output writes a .xlsx workbook; for other formats use --format and redirect.")
        )
    with open_db(db_path) as conn:
        found = find_cluster(conn, cluster, year)
        ranking = ranking_for(conn, found, year, period)
    require_scores(ranking, found, year, period)
    if output is not None:
        rank_workbook(ranking, found.name, year, period, output)
        return
    if fmt == "json":
        sys.stdout.write(to_json(rank_json(ranking, found.name, year)) + "\n")
        return
    machine = fmt == "csv"
    rows = []
    for r in ranking.rows:
        rows.append(
            {
                "rank": rank_text(r.rank, r.tied and not machine),
                "unit": r.unit if machine or fmt == "md" else (r.short or r.unit),
                "base": to_number(r.base) if machine else shown(r.base),
                "bonus": to_number(r.bonus) if machine else shown(r.bonus),
                "deduction": to_number(r.deduction) if machine else shown(r.deduction),
                "total": to_number(r.total) if machine else shown(r.total),
                "votes": r.votes,
                "flags": "; ".join(r.flags),
                "award": award_text(r.award_code, r.pending_awards),
            }
        )
    label = _("year-end") if period == "year" else _("half-year")
    title = _("Ranking of {cluster}, {year} ({period})").format(
        cluster=found.name, year=year, period=label
    )
    notes = ranking_notes(ranking)
    if fmt == "csv":
        render(rows, rank_columns(), "csv")
    elif fmt == "md":
        sys.stdout.write(markdown(rows, rank_columns(), title=title))
        sys.stdout.write("\n" + "\n".join(f"- {n}" for n in notes) + "\n")
    else:
        # On screen, leave out the columns nobody filled in (no votes, no flags this year).
        columns = [
            c
            for c in rank_columns()
            if c.key not in ("votes", "flags") or any(row[c.key] not in (None, "") for row in rows)
        ]
        console().print(table(rows, columns, title=title, caption="\n".join(notes)))


def rank_workbook(ranking: Ranking, cluster: str, year: int, period: str, output: Path) -> None:
    from thidua_cli.output.workbook import table_workbook

    columns = rank_columns()
    rows = [
        [
            r.rank,
            r.unit,
            to_number(r.base),
            to_number(r.bonus),
            to_number(r.deduction),
            to_number(r.total),
            r.votes,
            "; ".join(r.flags),
            award_text(r.award_code, r.pending_awards),
        ]
        for r in ranking.rows
    ]
    label = _("year-end") if period == "year" else _("half-year")
    data = table_workbook(
        sheet_title=f"{year} {label}",
        headers=[c.header for c in columns],
        rows=rows,
    )
    write_atomic(output, data)
    say(
        _("Wrote the ranking of {cluster}, {year} to {path}.").format(
            cluster=cluster, year=year, path=output
        )
    )
