"""`thidua rank` and `thidua awards` without Typer: the quick path of main.py runs them directly.

The `cli` package's other modules load Typer; this one does not. `cli.ranking` declares the
options for Typer and calls `show_ranking` and `show_awards`; `thidua_cli.main` calls them too
when the command line is a common form (options it reads itself), so that a shell loop over every
cluster, or the country's awards, do not spend their time starting Typer.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from thidua_cli.app.awards import awards_of_year
from thidua_cli.app.record import live_with_record
from thidua_cli.app.session import open_db
from thidua_cli.errors import UsageError
from thidua_cli.i18n import _
from thidua_cli.output import ranking as ranking_output
from thidua_cli.output.awards import (
    as_json,
    as_text,
    award_columns,
    award_rows,
    with_basis_notes,
)
from thidua_cli.output.provenance import illustrative_line, illustrative_lines
from thidua_cli.output.render import markdown, render, say, to_json, write_atomic, write_csv
from thidua_cli.points import shown
from thidua_cli.vocabulary import shared_words


def show_ranking(
    cluster: str, year: int, period: str, fmt: str, output: Path | None, db_path: Path | None
) -> None:
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(
            _("--output writes a .xlsx workbook; for other formats use --format and redirect.")
        )
    with open_db(db_path) as conn:
        view = live_with_record(conn, cluster, year, period)
    if output is None:
        ranking_output.show_ranking(view, fmt)
        return
    note = illustrative_line(view.provenance)
    write_atomic(output, ranking_output.rank_workbook(view.ranking, year, note=note))
    say(
        _("Wrote the ranking of {cluster}, {year} to {path}.").format(
            cluster=view.cluster.name, year=year, path=output
        )
    )


def show_awards(
    year: int,
    cluster: str | None,
    fmt: str,
    output: Path | None,
    allow_ties: bool,
    db_path: Path | None,
    *,
    stage: str | None = None,
) -> None:
    with open_db(db_path) as conn:
        found = awards_of_year(conn, year, cluster, allow_ties=allow_ties)
    for skipped in found.skipped:
        say(
            _("{cluster} has no year-end scores for {year}; skipped.").format(
                cluster=skipped.name, year=year
            )
        )
    drafts = [r.cluster.name for r in found.results if r.submission is None]
    words = shared_words(r.cluster.kind for r in found.results if r.submission is None)
    if drafts:
        listed = "; ".join(drafts[:5]) + ("; …" if len(drafts) > 5 else "")
        say(
            _("{Kind} not yet submitted: {count}; their proposals are drafts: {clusters}.")
            .format(count=len(drafts), clusters=listed, **words.fields())
        )  # fmt: skip
    rows = award_rows(found, allow_ties=allow_ties)
    if stage is not None:
        rows = [row for row in rows if row["stage"] == stage]
    columns = award_columns()
    title = _("Award proposals, {year}").format(year=year)
    notes = illustrative_lines((r.cluster.name, r.provenance) for r in found.results)
    if output is not None and output.suffix.lower() == ".xlsx":
        from thidua_cli.output.workbook import table_workbook

        data = table_workbook(
            sheet_title=title,
            headers=[c.header for c in columns],
            rows=[[row[c.key] for c in columns] for row in with_basis_notes(as_text(rows))],
            decimals=[[c.key for c in columns].index("total")],
            note="\n".join(notes) or None,
        )
        write_atomic(output, data)
        say(_("Wrote {count} proposals to {path}.").format(count=len(rows), path=output))
        return
    if fmt == "json":
        text = to_json(as_json(rows)) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        write_csv(as_text(rows), columns, buffer)
        text = buffer.getvalue()
    elif output is None:
        shown = _points_shown(with_basis_notes(as_text(rows)))
        # no empty column on screen: the decisions, the Board's and the Council's, until they come
        columns = [
            c
            for c in columns
            if c.key not in ("decision", "board", "council") or any(row[c.key] for row in shown)
        ]
        render(shown, columns, "table", title=title, caption="\n".join(notes) or None)
        return
    else:
        text = markdown(_points_shown(with_basis_notes(as_text(rows))), columns, title=title)
        text += "".join(f"\n{note}\n" for note in notes)
    if output is None:
        sys.stdout.write(text)
    else:
        bom = "\ufeff" if fmt == "csv" else ""
        write_atomic(output, (bom + text).encode("utf-8"))
        say(_("Wrote {count} proposals to {path}.").format(count=len(rows), path=output))
    if fmt == "csv":  # the columns stay as they are; the note goes to the person
        for note in notes:
            say(_("Note: {text}").format(text=note))


def _points_shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The totals as people read them (96,50), for the screen and the Markdown table."""
    return [
        dict(row, total=shown(round(row["total"] * 100))) if row.get("total") is not None else row
        for row in rows
    ]
