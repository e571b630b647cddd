"""`thidua rank` and `thidua awards`: what the conference decides, and what goes to the province."""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from thidua_cli.app.results import ranking_for, rankings_of_year, require_scores
from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    PeriodOption,
    YearOption,
    find_cluster,
    open_db,
    say,
)
from thidua_cli.cli.completion import cluster_names
from thidua_cli.cli.quick import show_ranking
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Decision
from thidua_cli.output.render import (
    Column,
    markdown,
    render,
    to_json,
    write_atomic,
    write_csv,
)
from thidua_cli.points import to_number
from thidua_cli.rules.history import decision_json, decision_text
from thidua_cli.rules.ranking import AWARD_NAMES, Ranking
from thidua_cli.store import decisions, registry


def rank(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    fmt: Annotated[
        Literal["table", "csv", "json", "md"],
        typer.Option("--format", "-f", help=_("Output format.")),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_("Write an Excel workbook (.xlsx) of the ranking to this file."),
            dir_okay=False,
        ),
    ] = None,
    db_path: DbOption = None,
) -> None:
    show_ranking(cluster, year, period, fmt, output, db_path)


AWARD_COLUMNS = (
    "Năm",
    "Cụm thi đua",
    "Đơn vị",
    "Xếp hạng",
    "Tổng điểm",
    "Hình thức khen thưởng",
    "Ghi chú",
    "Quyết định",
)


def _award_rows(
    ranking: Ranking,
    cluster: str,
    year: int,
    allow_ties: bool,
    decided: Mapping[tuple[int, str], Decision],
) -> list[dict[str, Any]]:
    rows = []
    for r in ranking.rows:
        if not r.award_code and not (allow_ties and r.pending_awards):
            continue
        if r.award_code == "co_thi_dua" and r.rank == 1 and not r.tied:
            note = _("Leads the cluster")
        elif r.award_code:
            above = [
                x.unit
                for x in ranking.rows
                if x.rank and r.rank and x.rank < r.rank and not x.eligible
            ]
            note = (
                _("Placed {rank}; ineligible above: {units}").format(
                    rank=r.rank, units=", ".join(above)
                )
                if above
                else _("Placed {rank}").format(rank=r.rank)
            )
        else:
            note = _("Tied at rank {rank}; the cluster must settle it").format(rank=r.rank)
        rows.append(
            {
                "year": year,
                "cluster": cluster,
                "unit": r.unit,
                "rank": r.rank,
                "total": to_number(r.total),
                "award": AWARD_NAMES[r.award_code]
                if r.award_code
                else " / ".join(AWARD_NAMES[a] for a in r.pending_awards),
                "award_code": r.award_code,
                "note": note,
                "decision": decided.get((r.unit_id, r.award_code)) if r.award_code else None,
            }
        )
    return rows


def awards(
    *,
    year: YearOption,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("Only this cluster (default: all)."),
            autocompletion=cluster_names,
        ),
    ] = None,
    fmt: Annotated[
        Literal["table", "csv", "json"],
        typer.Option("--format", "-f", help=_("Output format.")),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "Write to this file: a .xlsx name writes an Excel workbook; otherwise the "
                "format chosen (CSV: UTF-8 with BOM, for Excel)."
            ),
            dir_okay=False,
        ),
    ] = None,
    allow_ties: Annotated[
        bool,
        typer.Option(
            "--allow-ties", help=_("List both units of an unresolved tie instead of refusing.")
        ),
    ] = False,
    db_path: DbOption = None,
) -> None:
    with open_db(db_path) as conn:
        if cluster:
            chosen = [find_cluster(conn, cluster, year)]
        else:
            years = registry.cluster_years(conn)
            chosen = [c for c in registry.clusters(conn) if year in years.get(c.id, [])]
        if not chosen:
            raise InvalidInput(_("No cluster has members in {year}.").format(year=year))
        if cluster:
            results = [(chosen[0], ranking_for(conn, chosen[0], year, "year"))]
        else:
            every = rankings_of_year(conn, year, "year")
            results = [(c, every[c.id]) for c in chosen]
        decided = decisions.decisions_of_year(conn, year)
    if cluster:
        require_scores(results[0][1], results[0][0], year, "year")
    rows: list[dict[str, Any]] = []
    ties: list[str] = []
    for found, ranking in results:
        if not ranking.has_scores:
            say(
                _("{cluster} has no year-end scores for {year}; skipped.").format(
                    cluster=found.name, year=year
                )
            )
            continue
        for tie in ranking.unresolved_ties:
            ties.append(
                _("{cluster}, rank {rank}: {units}").format(
                    cluster=found.name, rank=tie.rank, units=", ".join(tie.units)
                )
            )
        rows.extend(_award_rows(ranking, found.name, year, allow_ties, decided))
    if not any(r.has_scores for _c, r in results):
        raise InvalidInput(_("No cluster has year-end scores for {year}.").format(year=year))
    if ties and not allow_ties:
        raise InvalidInput(
            _("Unresolved ties decide awards; settle them first (or use --allow-ties):"),
            details=ties,
        )
    columns = [
        Column(k, h, n)
        for k, h, n in zip(
            ("year", "cluster", "unit", "rank", "total", "award", "note", "decision"),
            AWARD_COLUMNS,
            (True, False, False, True, True, False, False, False),
            strict=True,
        )
    ]
    if output is not None and output.suffix.lower() == ".xlsx":
        from thidua_cli.output.workbook import table_workbook

        for row in rows:
            row["decision"] = decision_text(row["decision"]) if row["decision"] else ""
        data = table_workbook(
            sheet_title=_("Award proposals, {year}").format(year=year),
            headers=[c.header for c in columns],
            rows=[[row[c.key] for c in columns] for row in rows],
        )
        write_atomic(output, data)
        say(_("Wrote {count} proposals to {path}.").format(count=len(rows), path=output))
        return
    if fmt == "json":
        for row in rows:
            found_decision = row["decision"]
            row["decision"] = decision_json(found_decision) if found_decision else None
        text = to_json(rows) + "\n"
    else:
        for row in rows:
            row["decision"] = decision_text(row["decision"]) if row["decision"] else ""
        if fmt == "csv":
            buffer = io.StringIO()
            write_csv(rows, columns, buffer)
            text = buffer.getvalue()
        else:
            title = _("Award proposals, {year}").format(year=year)
            if output is None:
                if not any(row["decision"] for row in rows):
                    columns = columns[:-1]  # on screen, no empty column before any decision
                render(rows, columns, "table", title=title)
                return
            text = markdown(rows, columns, title=title)
    if output is None:
        sys.stdout.write(text)
        return
    bom = "\ufeff" if fmt == "csv" else ""
    write_atomic(output, (bom + text).encode("utf-8"))
    say(_("Wrote {count} proposals to {path}.").format(count=len(rows), path=output))
