"""The bodies of `thidua rank`, `awards` and `history`, without Typer: main.py runs them directly.

The `cli` package's other modules load Typer; this one does not. `cli.ranking` and `cli.history`
declare the options for Typer and call these functions with the parameters as declared (same
names, keyword only); `thidua_cli.main` calls them too, with the parameters read by the table
generated from those declarations (`cli/quick_options.py`), so that a shell loop over every
cluster or unit, or the country's awards, do not spend their time starting Typer. For the same
reason each body imports what only it needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua_cli.app.session import reading
from thidua_cli.i18n import _, forms_language
from thidua_cli.output.render import deliver, output_format


def show_ranking(
    *,
    cluster: str,
    year: int,
    period: str,
    fmt: str | None,
    output: Path | None,
    db_path: Path | None,
) -> None:
    from thidua_cli.app.record import live_with_record
    from thidua_cli.output import ranking as ranking_output
    from thidua_cli.output.provenance import illustrative_line

    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        view = live_with_record(conn, cluster, year, period)
    if fmt != "xlsx":
        ranking_output.show_ranking(view, fmt, output)
        return
    note = illustrative_line(view.provenance)
    deliver(
        ranking_output.rank_workbook(view.ranking, year, note=note),
        output,
        wrote=_("Wrote the ranking of {cluster}, {year} to {path}.").format(
            cluster=view.cluster.name, year=year, path=output
        ),
    )


def show_awards(
    *,
    year: int,
    cluster: str | None,
    fmt: str | None,
    output: Path | None,
    allow_ties: bool,
    stage: str | None,
    db_path: Path | None,
) -> None:
    from thidua_cli.app.awards import awards_of_year
    from thidua_cli.output.awards import (
        as_json,
        as_text,
        award_columns,
        award_rows,
        with_basis_notes,
    )
    from thidua_cli.output.provenance import illustrative_lines
    from thidua_cli.output.render import file_of, render, rows_bytes, say, to_json
    from thidua_cli.vocabulary import shared_words

    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
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
    notes = illustrative_lines((r.cluster.name, r.provenance) for r in found.results)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        rows = award_rows(found, allow_ties=allow_ties)
        if stage is not None:
            rows = [row for row in rows if row["stage"] == stage]
        columns = award_columns()
        title = _("Award proposals, {year}").format(year=year)
        if fmt == "json":
            data: bytes | str = to_json(as_json(rows)) + "\n"
        elif fmt == "csv":
            data = rows_bytes(as_text(rows), columns, "csv", for_file=file_of(output) is not None)
        elif fmt == "xlsx":
            from thidua_cli.output.render import for_people
            from thidua_cli.output.workbook import table_workbook

            columns = for_people(columns)  # the codes are for programs: CSV and JSON
            data = table_workbook(
                sheet_title=title,
                headers=[c.header for c in columns],
                rows=[[row[c.key] for c in columns] for row in with_basis_notes(as_text(rows))],
                decimals=[[c.key for c in columns].index("total")],
                note="\n".join(notes) or None,
            )
        else:
            shown = _points_shown(with_basis_notes(as_text(rows)))
            if fmt == "table":
                # no empty column on screen: the decisions, the Board's and the Council's,
                # until they come
                columns = [
                    c
                    for c in columns
                    if c.key not in ("decision", "board", "council")
                    or any(row[c.key] for row in shown)
                ]
                # the short name where a unit has one: the table is wide
                shown = [dict(row, unit=row.get("short_name") or row["unit"]) for row in shown]
                render(shown, columns, "table", title=title, caption="\n".join(notes) or None)
                return
            data = rows_bytes(shown, columns, fmt, title=title, caption="\n".join(notes) or None)
    deliver(
        data,
        output,
        wrote=_("Wrote {count} proposals to {path}.").format(count=len(rows), path=output),
    )
    if fmt == "csv":  # the columns stay as they are; the note goes to the person
        for note in notes:
            say(_("Note: {text}").format(text=note))


def show_history(
    *,
    unit: str | None,
    cluster: str | None,
    fmt: str | None,
    output: Path | None,
    db_path: Path | None,
) -> None:
    from thidua_cli.app.record import cluster_record, unit_record
    from thidua_cli.errors import UsageError
    from thidua_cli.output import history as history_output

    fmt = output_format(fmt, output)
    if (unit is None) == (cluster is None):
        raise UsageError(_("Give one of --unit or --cluster."))
    with reading(db_path) as conn:
        if unit is not None:
            found_unit, record = unit_record(conn, unit)
        else:
            assert cluster is not None
            found_cluster, years = cluster_record(conn, cluster)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        if unit is not None:
            history_output.show_unit_record(found_unit, record, fmt, output)
        else:
            history_output.show_cluster_record(found_cluster, years, fmt, output)


def _points_shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The totals as people read them (96,50), for the screen and the Markdown table."""
    from thidua_cli.points import shown

    return [
        dict(row, total=shown(round(row["total"] * 100))) if row.get("total") is not None else row
        for row in rows
    ]
