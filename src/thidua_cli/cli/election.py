"""`thidua elect`: who leads a cluster next year, recorded or suggested by the rotation custom."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    ensure_unlocked,
    find_cluster,
    find_unit,
    open_db,
    say,
    writing,
)
from thidua_cli.cli.completion import unit_names
from thidua_cli.errors import InvalidInput, UsageError
from thidua_cli.i18n import _
from thidua_cli.models import Member
from thidua_cli.output.render import to_json
from thidua_cli.rules.election import check_election, custom_warning, suggest_rotation
from thidua_cli.rules.membership import plan_carry, role_name
from thidua_cli.store import registry, scoring


def elect(
    *,
    cluster: ClusterOption,
    year: Annotated[
        int,
        typer.Option(
            "--year", "-y", min=1945, max=2200, help=_("The year they lead, for example 2021.")
        ),
    ],
    leader: Annotated[
        str | None,
        typer.Option(
            "--leader", help=_("The unit elected leader (Trưởng cụm)."), autocompletion=unit_names
        ),
    ] = None,
    deputy: Annotated[
        str | None,
        typer.Option(
            "--deputy",
            help=_("The unit elected deputy (Phó trưởng cụm)."),
            autocompletion=unit_names,
        ),
    ] = None,
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help=_(
                "Propose leader and deputy by the rotation custom, with reasons; writes nothing."
            ),
        ),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help=_("Replace the leader and deputy already recorded.")),
    ] = False,
    fmt: Annotated[
        Literal["table", "json"],
        typer.Option("--format", "-f", help=_("Output format of --suggest.")),
    ] = "table",
    db_path: DbOption = None,
) -> None:
    if suggest and (leader or deputy):
        raise UsageError(_("Give either --suggest or --leader/--deputy, not both."))
    if suggest:
        _suggest(cluster, year, fmt, db_path)
        return
    if leader is None:
        raise UsageError(_("Say who was elected with --leader (and --deputy), or use --suggest."))
    with writing(db_path) as conn:
        found = find_cluster(conn, cluster, year, or_year=year - 1)
        ensure_unlocked(conn, found, year)
        chosen_leader = find_unit(conn, leader)
        chosen_deputy = find_unit(conn, deputy) if deputy else None
        members = registry.members(conn, found.id, year)
        previous = registry.members(conn, found.id, year - 1)
        carried = not members
        if carried:
            if not previous:
                raise InvalidInput(_no_members(found.name, year))
            target = registry.unit_clusters(conn, year)
            members = [
                Member(m.unit_id, m.name, "member", m.short_name)
                for m in plan_carry(found.name, year, previous, target)
            ]
        check_election(found.name, year, members, chosen_leader, chosen_deputy)
        recorded = [m for m in members if m.role in ("leader", "deputy")]
        if recorded and not replace:
            raise InvalidInput(
                _("{cluster} already has its choice recorded for {year}: {roles}.").format(
                    cluster=found.name, year=year, roles=_roles_text(recorded)
                ),
                details=[_("Use --replace to record the new choice instead.")],
            )
        if carried:
            for m in members:
                registry.set_member(conn, found.id, year, m.unit_id, "member")
        registry.set_roles(
            conn, found.id, year, chosen_leader.id, chosen_deputy.id if chosen_deputy else None
        )
    if carried:
        say(
            _(
                "{year} had no members yet: the {count} members of {previous} were carried over."
            ).format(year=year, count=len(members), previous=year - 1)
        )
    elected = [Member(chosen_leader.id, chosen_leader.name, "leader")]
    if chosen_deputy:
        elected.append(Member(chosen_deputy.id, chosen_deputy.name, "deputy"))
    say(
        _("Recorded for {cluster} in {year}: {roles}.").format(
            cluster=found.name, year=year, roles=_roles_text(elected)
        )
    )
    previous_deputy = next((m for m in previous if m.role == "deputy"), None)
    warning = custom_warning(found.name, year, previous_deputy, chosen_leader)
    if warning:
        say(_("Warning: {text}").format(text=warning))


def _no_members(cluster: str, year: int) -> str:
    return _(
        "{cluster} has no members in {year} or {previous}; add them first (thidua cluster join)."
    ).format(cluster=cluster, year=year, previous=year - 1)


def _roles_text(members: list[Member]) -> str:
    order = {"leader": 0, "deputy": 1}
    return "; ".join(
        f"{role_name(m.role)}: {m.name}" for m in sorted(members, key=lambda m: order[m.role])
    )


def _suggest(cluster: str, year: int, fmt: str, db_path: Path | None) -> None:
    with open_db(db_path) as conn:
        found = find_cluster(conn, cluster, year, or_year=year - 1)
        members = registry.members(conn, found.id, year)
        previous = registry.members(conn, found.id, year - 1)
        candidates = members or previous
        if not candidates:
            raise InvalidInput(_no_members(found.name, year))
        last = registry.last_roles(conn, [m.unit_id for m in candidates], year)
        flagged = scoring.flags_by_unit(conn, year - 1)
    result = suggest_rotation(year, candidates, previous, last, flagged)
    if not members:
        result.reasons.insert(
            0,
            _("{year} has no members yet; the members of {previous} are taken.").format(
                year=year, previous=year - 1
            ),
        )
    recorded = {m.role: m.name for m in members if m.role in ("leader", "deputy")}
    if fmt == "json":
        data = {
            "cluster": found.name,
            "year": year,
            "leader": result.leader.name if result.leader else None,
            "deputy": result.deputy.name if result.deputy else None,
            "reasons": result.reasons,
            "recorded": (
                {"leader": recorded.get("leader"), "deputy": recorded.get("deputy")}
                if recorded
                else None
            ),
        }
        sys.stdout.write(to_json(data) + "\n")
        return
    lines = [
        _("{cluster}, {year}: suggested by the rotation custom").format(
            cluster=found.name, year=year
        )
    ]
    for role, chosen in (("leader", result.leader), ("deputy", result.deputy)):
        line = f"  {role_name(role)}: {chosen.name if chosen else '-'}"
        if recorded:
            line += "  " + _("(recorded: {unit})").format(unit=recorded.get(role, "-"))
        lines.append(line)
    lines.append(_("Reasons:"))
    lines.extend(f"  - {reason}" for reason in result.reasons)
    sys.stdout.write("\n".join(lines) + "\n")
