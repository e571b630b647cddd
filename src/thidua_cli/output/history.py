"""A unit's or a cluster's record across years, as `thidua history` shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua_cli.i18n import _
from thidua_cli.models import (
    AWARD_NAMES,
    AWARDS,
    HIGHER_AWARDS,
    Cluster,
    ClusterResult,
    ClusterYear,
    Decision,
    Unit,
    UnitYear,
)
from thidua_cli.output.provenance import illustrative_key, illustrative_lines, provenance_json
from thidua_cli.output.render import SCHEMA_VERSION, Column, deliver, render, to_json
from thidua_cli.output.wording import (
    award_text,
    decision_json,
    rank_text,
    record_json,
    runs_text,
    status_text,
)
from thidua_cli.points import shown, to_number
from thidua_cli.rules.dates import shown_date
from thidua_cli.rules.decisions import decision_text
from thidua_cli.rules.history import award_years
from thidua_cli.vocabulary import kind_words, role_name, shared_words


def _run_lines(record: list[UnitYear]) -> list[str]:
    lines = []
    for award in AWARDS:
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


def _decisions_text(decisions: list[Decision], current: int | None) -> str:
    """The year's decisions; those on a version other than the standing one say which."""
    parts = []
    for d in decisions:
        text = decision_text(d)
        if d.version != current:
            text = _("(version {version}) {text}").format(version=d.version, text=text)
        parts.append(text)
    return "; ".join(parts)


def show_unit_record(unit: Unit, record: list[UnitYear], fmt: str, output: Path | None) -> None:
    if fmt == "json":
        data = {
            "schema_version": SCHEMA_VERSION,
            "unit": unit.name,
            "years": [
                {
                    "year": e.year,
                    "cluster": e.cluster,
                    "role": e.role,
                    "status": e.status,
                    "version": e.version,
                    "rank": e.rank,
                    "tied": e.tied,
                    "total": to_number(e.total) if e.total is not None else None,
                    # as in rank and awards: the name as the forms write it, and the code
                    "award": AWARD_NAMES[e.award] if e.award else None,
                    "award_code": e.award,
                    "pending_awards": e.pending,
                    "flags": e.flags,
                    "decisions": [decision_json(d) for d in e.decisions],
                    "central": [
                        {"award": c.award, "number": c.number, "date": c.decided_on}
                        for c in e.central
                    ],
                    **illustrative_key(e.provenance),
                }
                for e in record
            ],
            "runs": {
                award: award_years(record, award)[0]
                for award in AWARDS
                if award_years(record, award)[0]
            },
        }
        deliver(to_json(data) + "\n", output)
        return
    machine = fmt == "csv"
    rows = [
        {
            "year": e.year,
            "cluster": e.cluster,
            "role": role_name(e.role, e.kind),
            "rank": e.rank if machine else rank_text(e.rank, e.tied),
            "total": (to_number(e.total) if machine else shown(e.total))
            if e.total is not None
            else None,
            "award": award_text(e.award, e.pending),
            "decision": _decisions_text(e.decisions, e.version),
            "flags": "; ".join(e.flags),
            "role_code": e.role,
            "award_code": e.award,
        }
        for e in record
    ]
    columns = [
        Column("year", _("Year"), numeric=True),
        Column("cluster", shared_words(e.kind for e in record).fields()["Kind_full"]),
        Column("role", _("Role")),
        Column("rank", _("Rank"), numeric=True),
        Column("total", _("Total"), numeric=True),
        Column("award", _("Proposed")),
        Column("decision", _("Decision")),
        Column("flags", _("Flags")),
        Column("role_code", _("Role code"), code=True),
        Column("award_code", _("Award code"), code=True),
    ]
    if machine:
        render(rows, columns, "csv", output=output)
        return
    columns = [
        c for c in columns if c.key not in ("decision", "flags") or any(row[c.key] for row in rows)
    ]
    notes = _run_lines(record)
    notes += [
        _("{award} {year}: {number}, {date}").format(
            award=HIGHER_AWARDS[c.award], year=c.year, number=c.number,
            date=shown_date(c.decided_on),
        )
        for e in record
        for c in e.central
    ]  # fmt: skip
    drafts = [str(e.year) for e in record if e.status == "draft" and e.total is not None]
    if drafts:
        notes.append(_("Not submitted yet (draft): {years}.").format(years=", ".join(drafts)))
    if not record:
        notes.append(_("{unit} has not belonged to any cluster yet.").format(unit=unit.name))
    notes += illustrative_lines((f"{e.cluster} ({e.year})", e.provenance) for e in record)
    title = _("Record of {unit}").format(unit=unit.name)
    render(rows, columns, fmt, title=title, caption="\n".join(notes) or None, output=output)


def _proposals(result: ClusterResult, short: bool) -> list[dict[str, Any]]:
    ranking = result.ranking
    if ranking is None or not ranking.has_scores:
        return []
    return [
        {
            "unit": (row.short or row.unit) if short else row.unit,
            "award": row.award_code,
            "award_code": row.award_code,
            "rank": row.rank,
            "decision": result.decisions.get((row.unit_id, row.award_code)),
        }
        for row in ranking.rows
        if row.award_code
    ]


def _versions(result: ClusterResult) -> list[Any]:
    versions = [*result.withdrawn, *([result.submission] if result.submission else [])]
    return sorted(versions, key=lambda s: s.version)


def show_cluster_record(
    cluster: Cluster,
    record: list[tuple[ClusterYear, ClusterResult]],
    fmt: str,
    output: Path | None,
) -> None:
    if fmt == "json":
        data = {
            "schema_version": SCHEMA_VERSION,
            "cluster": cluster.name,
            "code": cluster.code,
            "years": [
                {
                    "year": state.year,
                    "leader": _holder(state, "leader"),
                    "deputy": _holder(state, "deputy"),
                    "members": [{"unit": m.name, "role": m.role} for m in state.members],
                    "covenant": state.covenant.signed_on if state.covenant else None,
                    "status": result.status,
                    "submissions": [record_json(s) for s in _versions(result)],
                    "first": _first(result, short=False),
                    "proposals": [
                        {
                            **{k: v for k, v in p.items() if k != "decision"},
                            "decision": decision_json(p["decision"]) if p["decision"] else None,
                        }
                        for p in _proposals(result, short=False)
                    ],
                    "earlier_decisions": [
                        {"version": s.version, "unit": row.unit, **decision_json(d)}
                        for s, row, d in result.earlier_decisions
                    ],
                    **provenance_json(result.provenance),
                }
                for state, result in record
            ],
        }
        deliver(to_json(data) + "\n", output)
        return
    short = fmt == "table"
    rows = []
    for state, result in record:
        proposals = []
        for p in _proposals(result, short=short):
            text = f"{AWARD_NAMES[p['award']]}: {p['unit']}"
            if p["decision"] is not None:
                text += f" ({decision_text(p['decision'])})"
            proposals.append(text)
        for earlier, row, decision in result.earlier_decisions:
            proposals.append(
                _("(version {version}) {text}").format(
                    version=earlier.version,
                    text=f"{AWARD_NAMES[decision.award]}: "
                    f"{(row.short or row.unit) if short else row.unit}"
                    f" ({decision_text(decision)})",
                )
            )
        versions = _versions(result)
        members = state.members
        rows.append(
            {
                "year": state.year,
                "leader": _holder(state, "leader", short),
                "deputy": _holder(state, "deputy", short),
                "members": "; ".join(
                    (m.short_name or m.name) if short else m.name for m in members
                ),
                "count": len(members),
                "covenant": shown_date(state.covenant.signed_on) if state.covenant else None,
                "first": _first(result, short=short),
                "awards": "\n".join(proposals) if short else "; ".join(proposals),
                "record": ("\n" if short else "; ").join(status_text(s) for s in versions)
                or (status_text(None) if _first(result, short=short) else ""),
            }
        )
    columns = [
        Column("year", _("Year"), numeric=True),
        Column("leader", kind_words(cluster.kind).leader),
        Column("deputy", kind_words(cluster.kind).deputy),
        Column("count", _("Members"), numeric=True),
        Column("members", _("Units")),
        Column("covenant", _("Covenant")),
        Column("first", _("First")),
        Column("awards", _("Award proposals")),
        Column("record", _("Submitted")),
    ]
    if fmt == "csv":
        render(rows, columns, "csv", output=output)
        return
    columns = [c for c in columns if c.key != "covenant" or any(r["covenant"] for r in rows)]
    title = _("Record of {cluster}").format(cluster=cluster.name)
    notes = illustrative_lines((str(state.year), result.provenance) for state, result in record)
    if not record:
        notes.append(_("No members recorded in any year."))
    caption = "\n".join(notes) or None
    render(rows, columns, fmt, title=title, caption=caption, output=output)


def _holder(state: ClusterYear, role: str, short: bool = False) -> str | None:
    member = state.holder(role)
    if member is None:
        return None
    return (member.short_name or member.name) if short else member.name


def _first(result: ClusterResult, *, short: bool) -> str | None:
    ranking = result.ranking
    if ranking is None or not ranking.has_scores:
        return None
    first = [r for r in ranking.rows if r.rank == 1]
    return "; ".join((r.short or r.unit) if short else r.unit for r in first) or None
