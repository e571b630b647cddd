"""`thidua history` and `thidua decide`: the record across years, and the province's decisions."""

from __future__ import annotations

import sys
from typing import Annotated, Any, Literal

import typer

from thidua_cli.app.results import (
    ClusterYearRecord,
    cluster_record,
    ranking_for,
    unit_record,
    unit_row,
)
from thidua_cli.cli.common import (
    DbOption,
    FormatOption,
    YearOption,
    find_cluster,
    find_unit,
    open_db,
    say,
    writing,
)
from thidua_cli.cli.completion import cluster_names, unit_names
from thidua_cli.errors import InvalidInput, UsageError
from thidua_cli.i18n import _
from thidua_cli.models import Cluster, Decision, Unit
from thidua_cli.output.render import Column, console, render, table, to_json
from thidua_cli.output.wording import award_text, rank_text
from thidua_cli.points import shown, to_number
from thidua_cli.rules.dates import parse_date, shown_date
from thidua_cli.rules.history import (
    UnitYear,
    award_years,
    check_decision,
    decision_json,
    decision_text,
    runs_text,
)
from thidua_cli.rules.membership import role_name
from thidua_cli.rules.ranking import AWARD_NAMES, BANG_KHEN, CO_THI_DUA
from thidua_cli.rules.text import nfc
from thidua_cli.store import decisions, registry

DECIDE_HELP = _(
    "Record the province's decision on an award proposal (approved, or --rejected), so that the "
    "record holds what was decided."
)


def history(
    *,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", help=_("The unit whose record to show."), autocompletion=unit_names
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("The cluster whose record to show."),
            autocompletion=cluster_names,
        ),
    ] = None,
    fmt: FormatOption = "table",
    db_path: DbOption = None,
) -> None:
    if (unit is None) == (cluster is None):
        raise UsageError(_("Give one of --unit or --cluster."))
    with open_db(db_path) as conn:
        if unit is not None:
            found_unit = find_unit(conn, unit)
            record = unit_record(conn, found_unit.id)
        else:
            assert cluster is not None
            found_cluster = find_cluster(conn, cluster)
            years = cluster_record(conn, found_cluster)
    if unit is not None:
        _show_unit(found_unit, record, fmt)
    else:
        _show_cluster(found_cluster, years, fmt)


def _run_lines(record: list[UnitYear]) -> list[str]:
    lines = []
    for award in (CO_THI_DUA, BANG_KHEN):
        counted, waiting = award_years(record, award)
        if not counted:
            continue
        line = f"{AWARD_NAMES[award]}: {runs_text(counted)}"
        if waiting:
            line += " " + _("(no decision yet for {years})").format(
                years=", ".join(str(y) for y in waiting)
            )
        lines.append(line)
    return lines


def _show_unit(unit: Unit, record: list[UnitYear], fmt: str) -> None:
    if fmt == "json":
        data = {
            "unit": unit.name,
            "years": [
                {
                    "year": e.year,
                    "cluster": e.cluster,
                    "role": e.role,
                    "rank": e.rank,
                    "tied": e.tied,
                    "total": to_number(e.total) if e.total is not None else None,
                    "award": e.award,
                    "pending_awards": e.pending,
                    "flags": e.flags,
                    "decisions": [decision_json(d) for d in e.decisions.values()],
                }
                for e in record
            ],
            "runs": {
                award: award_years(record, award)[0]
                for award in (CO_THI_DUA, BANG_KHEN)
                if award_years(record, award)[0]
            },
        }
        sys.stdout.write(to_json(data) + "\n")
        return
    machine = fmt == "csv"
    rows = [
        {
            "year": e.year,
            "cluster": e.cluster,
            "role": role_name(e.role),
            "rank": e.rank if machine else rank_text(e.rank, e.tied),
            "total": (to_number(e.total) if machine else shown(e.total))
            if e.total is not None
            else None,
            "award": award_text(e.award, e.pending),
            "decision": "; ".join(decision_text(d) for d in e.decisions.values()),
            "flags": "; ".join(e.flags),
        }
        for e in record
    ]
    columns = [
        Column("year", _("Year"), numeric=True),
        Column("cluster", _("Cluster")),
        Column("role", _("Role")),
        Column("rank", _("Rank"), numeric=True),
        Column("total", _("Total"), numeric=True),
        Column("award", _("Proposed")),
        Column("decision", _("Decision")),
        Column("flags", _("Flags")),
    ]
    if machine:
        render(rows, columns, "csv")
        return
    columns = [
        c for c in columns if c.key not in ("decision", "flags") or any(row[c.key] for row in rows)
    ]
    notes = _run_lines(record)
    if not record:
        notes.append(_("{unit} has not belonged to any cluster yet.").format(unit=unit.name))
    title = _("Record of {unit}").format(unit=unit.name)
    console().print(table(rows, columns, title=title, caption="\n".join(notes) or None))


def _proposals(year: ClusterYearRecord, short: bool) -> list[dict[str, Any]]:
    if year.ranking is None:
        return []
    found = []
    for row in year.ranking.rows:
        if not row.award_code:
            continue
        decision = year.decisions.get((row.unit_id, row.award_code))
        found.append(
            {
                "unit": (row.short or row.unit) if short else row.unit,
                "award": row.award_code,
                "rank": row.rank,
                "decision": decision,
            }
        )
    return found


def _show_cluster(cluster: Cluster, record: list[ClusterYearRecord], fmt: str) -> None:
    if fmt == "json":
        data = {
            "cluster": cluster.name,
            "code": cluster.code,
            "years": [
                {
                    "year": y.state.year,
                    "leader": _holder(y, "leader"),
                    "deputy": _holder(y, "deputy"),
                    "members": [{"unit": m.name, "role": m.role} for m in y.state.members],
                    "covenant": y.state.covenant.signed_on if y.state.covenant else None,
                    "first": _first(y, short=False),
                    "proposals": [
                        {
                            **{k: v for k, v in p.items() if k != "decision"},
                            "decision": decision_json(p["decision"]) if p["decision"] else None,
                        }
                        for p in _proposals(y, short=False)
                    ],
                }
                for y in record
            ],
        }
        sys.stdout.write(to_json(data) + "\n")
        return
    short = fmt == "table"
    rows = []
    for y in record:
        proposals = []
        for p in _proposals(y, short=short):
            text = f"{AWARD_NAMES[p['award']]}: {p['unit']}"
            if p["decision"] is not None:
                text += f" ({decision_text(p['decision'])})"
            proposals.append(text)
        members = y.state.members
        rows.append(
            {
                "year": y.state.year,
                "leader": _holder(y, "leader", short),
                "deputy": _holder(y, "deputy", short),
                "members": "; ".join(
                    (m.short_name or m.name) if short else m.name for m in members
                ),
                "count": len(members),
                "covenant": shown_date(y.state.covenant.signed_on) if y.state.covenant else None,
                "first": _first(y, short=short),
                "awards": "\n".join(proposals) if short else "; ".join(proposals),
            }
        )
    columns = [
        Column("year", _("Year"), numeric=True),
        Column("leader", role_name("leader")),
        Column("deputy", role_name("deputy")),
        Column("count", _("Members"), numeric=True),
        Column("members", _("Units")),
        Column("covenant", _("Covenant")),
        Column("first", _("First")),
        Column("awards", _("Award proposals")),
    ]
    if fmt == "csv":
        render(rows, columns, "csv")
        return
    columns = [c for c in columns if c.key != "covenant" or any(r["covenant"] for r in rows)]
    title = _("Record of {cluster}").format(cluster=cluster.name)
    caption = None if record else _("No members recorded in any year.")
    console().print(table(rows, columns, title=title, caption=caption))


def _holder(year: ClusterYearRecord, role: str, short: bool = False) -> str | None:
    member = year.state.holder(role)
    if member is None:
        return None
    return (member.short_name or member.name) if short else member.name


def _first(year: ClusterYearRecord, *, short: bool) -> str | None:
    if year.ranking is None:
        return None
    first = [r for r in year.ranking.rows if r.rank == 1]
    return "; ".join((r.short or r.unit) if short else r.unit for r in first) or None


def decide(
    *,
    year: YearOption,
    unit: Annotated[
        str, typer.Option("--unit", "-u", help=_("The unit proposed."), autocompletion=unit_names)
    ],
    award: Annotated[
        Literal["co_thi_dua", "bang_khen"],
        typer.Option(
            "--award",
            help=_("co_thi_dua (Cờ thi đua của UBND tỉnh) or bang_khen (Bằng khen)."),
        ),
    ],
    decision: Annotated[
        str,
        typer.Option("--decision", help=_("The decision's number, for example 123/QĐ-UBND.")),
    ],
    date: Annotated[str, typer.Option("--date", help=_("The decision's date (20/01/2021)."))],
    rejected: Annotated[
        bool, typer.Option("--rejected", help=_("The province did not grant the award."))
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Replace the decision already recorded."))
    ] = False,
    db_path: DbOption = None,
) -> None:
    number = nfc(decision).strip()
    if not number:
        raise InvalidInput(_("The decision number cannot be empty."))
    decided_on = parse_date(date)
    if int(decided_on[:4]) < year:
        raise InvalidInput(
            _(
                "A decision on the awards of {year} cannot be dated {date}, before that year."
            ).format(year=year, date=shown_date(decided_on))
        )
    with writing(db_path) as conn:
        found = find_unit(conn, unit)
        where = [(c, r) for y, c, r in registry.unit_years(conn, found.id) if y == year]
        if not where:
            raise InvalidInput(
                _("{unit} was not a member of any cluster in {year}.").format(
                    unit=found.name, year=year
                )
            )
        cluster = registry.cluster_by_id(conn, where[0][0])
        row = unit_row(ranking_for(conn, cluster, year, "year"), found.id)
        saved = Decision(found.id, year, award, number, decided_on, not rejected)
        check_decision(
            saved,
            found.name,
            cluster.name,
            row,
            decisions.decisions_of_unit(conn, found.id),
            replace=replace,
        )
        decisions.save_decision(conn, saved)
    say(
        _("{unit}, {award} {year}: {decision}.").format(
            unit=found.name, award=AWARD_NAMES[award], year=year, decision=decision_text(saved)
        )
    )
