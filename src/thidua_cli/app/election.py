"""Electing next year's leader and deputy of a cluster, or suggesting them by the custom."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from thidua_cli.app.session import ensure_unlocked, find_cluster, find_unit
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Cluster, Member, Unit
from thidua_cli.rules.election import Suggestion, check_election, custom_warning, suggest_rotation
from thidua_cli.rules.membership import plan_carry
from thidua_cli.store import registry, scoring
from thidua_cli.vocabulary import kind_words


def roles_text(members: list[Member], kind: str) -> str:
    """'Trưởng khối: Sở A; Phó trưởng khối: Sở B', in the words of the cluster's kind."""
    order = {"leader": 0, "deputy": 1}
    words = kind_words(kind)
    return "; ".join(
        f"{words.role(m.role)}: {m.name}" for m in sorted(members, key=lambda m: order[m.role])
    )


def _no_members(cluster: str, year: int) -> str:
    return _(
        "{cluster} has no members in {year} or {previous}; add them first (thidua cluster join)."
    ).format(cluster=cluster, year=year, previous=year - 1)


@dataclass
class Elected:
    cluster: Cluster
    year: int
    leader: Unit
    deputy: Unit | None
    carried: int = 0  # members carried over from the year before (the year had none)
    warning: str | None = None  # the rotation custom, when the choice breaks it


def elect(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    leader_name: str,
    deputy_name: str | None,
    *,
    replace: bool,
) -> Elected:
    """Record who leads (and deputises) the cluster in `year`; a year without members gets
    those of the year before first."""
    found = find_cluster(conn, cluster_name, year, or_year=year - 1)
    ensure_unlocked(conn, found, year)
    members = registry.members(conn, found.id, year)
    where = (found, year if members else year - 1)  # whose members a mistyped name is among
    leader = find_unit(conn, leader_name, among=where)
    deputy = find_unit(conn, deputy_name, among=where) if deputy_name else None
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
    check_election(found.name, year, members, leader, deputy, kind=found.kind)
    recorded = [m for m in members if m.role in ("leader", "deputy")]
    if recorded and not replace:
        raise InvalidInput(
            _("{cluster} already has its choice recorded for {year}: {roles}.").format(
                cluster=found.name, year=year, roles=roles_text(recorded, found.kind)
            ),
            details=[_("Use --replace to record the new choice instead.")],
        )
    if carried:
        for m in members:
            registry.set_member(conn, found.id, year, m.unit_id, "member")
    registry.set_roles(conn, found.id, year, leader.id, deputy.id if deputy else None)
    previous_deputy = next((m for m in previous if m.role == "deputy"), None)
    return Elected(
        found,
        year,
        leader,
        deputy,
        len(members) if carried else 0,
        custom_warning(found.name, year, previous_deputy, leader, kind=found.kind),
    )


@dataclass
class Suggested:
    cluster: Cluster
    year: int
    suggestion: Suggestion
    recorded: dict[str, str] = field(default_factory=dict)  # role -> unit already recorded


def suggest(conn: sqlite3.Connection, cluster_name: str, year: int) -> Suggested:
    """Who the rotation custom proposes for `year`, and why; writes nothing."""
    found = find_cluster(conn, cluster_name, year, or_year=year - 1)
    members = registry.members(conn, found.id, year)
    previous = registry.members(conn, found.id, year - 1)
    candidates = members or previous
    if not candidates:
        raise InvalidInput(_no_members(found.name, year))
    last = registry.last_roles(conn, [m.unit_id for m in candidates], year)
    flagged = scoring.flags_by_unit(conn, year - 1)
    result = suggest_rotation(year, candidates, previous, last, flagged, kind=found.kind)
    if not members:
        result.reasons.insert(
            0,
            _("{year} has no members yet; the members of {previous} are taken.").format(
                year=year, previous=year - 1
            ),
        )
    recorded = {m.role: m.name for m in members if m.role in ("leader", "deputy")}
    return Suggested(found, year, result, recorded)
