"""Clusters and who belongs to them, year by year: adding a cluster, members joining, leaving or
carried into the next year, the review conferences, the emulation covenant and who signs the
cluster-year's papers.

The checks of a change against the year's members are rules (rules/membership.py); here they are
fed from the store, and the change is written only when they pass.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from thidua_cli.app.session import (
    ensure_papers_unlocked,
    ensure_unlocked,
    find_cluster,
    find_units,
)
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import (
    Cluster,
    ClusterSummary,
    ClusterYear,
    Conference,
    Covenant,
    Member,
    Signer,
    Unit,
)
from thidua_cli.output.wording import covenant_text
from thidua_cli.rules.membership import check_covenant_date, plan_carry, plan_join, plan_leave
from thidua_cli.store import registry
from thidua_cli.vocabulary import kind_words


def add_cluster(
    conn: sqlite3.Connection, name: str, code: str | None, kind: str, aliases: Sequence[str]
) -> int:
    return registry.add_cluster(conn, name, code, kind, aliases)


def cluster_summaries(conn: sqlite3.Connection, year: int | None) -> list[ClusterSummary]:
    """Every cluster with the years it has members; with `year`, only those with members that
    year, each as it stood then."""
    years = registry.cluster_years(conn)
    found = registry.clusters(conn)
    if year is None:
        return [ClusterSummary(c, years.get(c.id, [])) for c in found]
    return [
        ClusterSummary(c, years[c.id], registry.cluster_year(conn, c, year))
        for c in found
        if year in years.get(c.id, [])
    ]


def cluster_in_year(conn: sqlite3.Connection, cluster_name: str, year: int) -> ClusterYear:
    """The named cluster as it stood in `year`: members, conferences, covenant."""
    return registry.cluster_year(conn, find_cluster(conn, cluster_name, year), year)


def join(
    conn: sqlite3.Connection, cluster_name: str, year: int, unit_names: Sequence[str], role: str
) -> tuple[Cluster, list[Unit]]:
    """Make the named units members of the cluster in `year` with `role` (or change their
    role); a unit already in another cluster that year is refused."""
    found = find_cluster(conn, cluster_name, year)
    ensure_unlocked(conn, found, year)
    joining = find_units(conn, unit_names)
    where = registry.unit_clusters(conn, year)
    elsewhere = {
        u.id: where[u.id][0] for u in joining if u.id in where and where[u.id][0] != found.name
    }
    current = registry.members(conn, found.id, year)
    for unit, unit_role in plan_join(
        found.name, year, current, joining, role, elsewhere, found.kind
    ):
        registry.set_member(conn, found.id, year, unit.id, unit_role)
    return found, joining


def leave(
    conn: sqlite3.Connection, cluster_name: str, year: int, unit_names: Sequence[str]
) -> tuple[Cluster, list[Unit]]:
    """Remove the named units from the cluster in `year`; refused for a unit with scores,
    votes or a decision there."""
    found = find_cluster(conn, cluster_name, year)
    ensure_unlocked(conn, found, year)
    leaving = find_units(conn, unit_names)
    scored = [u.name for u in leaving if registry.has_records(conn, found.id, year, u.id)]
    if scored:
        raise InvalidInput(
            _(
                "These units have scores, votes or a place in the conference's record in "
                "{cluster} for {year}; they stay members while those exist:"
            ).format(cluster=found.name, year=year),
            details=scored,
        )
    for unit in plan_leave(found.name, year, registry.members(conn, found.id, year), leaving):
        registry.remove_member(conn, found.id, year, unit.id)
    return found, leaving


def carry(conn: sqlite3.Connection, from_year: int, to_year: int, cluster_name: str | None) -> int:
    """Copy the members of `from_year` into `to_year` as members, for one cluster or every
    cluster with members that year; returns how many memberships were added."""
    if cluster_name is not None:
        chosen = [find_cluster(conn, cluster_name, from_year)]
    else:
        years = registry.cluster_years(conn)
        chosen = [c for c in registry.clusters(conn) if from_year in years.get(c.id, [])]
    if not chosen:
        raise InvalidInput(_("No cluster has members in {year}.").format(year=from_year))
    target = registry.unit_clusters(conn, to_year)
    added = 0
    for found in chosen:
        ensure_unlocked(conn, found, to_year)
        source = registry.members(conn, found.id, from_year)
        for member in plan_carry(found.name, to_year, source, target):
            registry.set_member(conn, found.id, to_year, member.unit_id, "member")
            added += 1
    return added


def set_conference(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    period: str,
    *,
    held_on: str | None = None,
    place: str | None = None,
    chair_unit: str | None = None,
    chair_name: str | None = None,
    secretary: str | None = None,
    present: Sequence[str] | None = None,
    absent: Sequence[str] | None = None,
    guests: Sequence[str] | None = None,
) -> tuple[Cluster, Conference]:
    """Record the cluster's review conference of `year`: when and where, the unit and the
    person who chaired, who kept the minutes, the member units present (named, or all but the
    `absent`) and the guests (the Board's representatives). What is not given stays as
    recorded. Returns the conference as stored."""
    found = find_cluster(conn, cluster_name, year)
    ensure_papers_unlocked(conn, found, year)
    members = {m.unit_id: m for m in registry.members(conn, found.id, year)}
    chair_unit_id = (
        _members_named(conn, found, year, members, [chair_unit])[0] if chair_unit else None
    )
    stored = registry.conference_row(conn, found.id, year, period) or (None,) * 5
    given = (held_on, place, chair_unit_id, chair_name, secretary)
    fields = [new if new is not None else old for new, old in zip(given, stored, strict=True)]
    registry.set_conference(conn, found.id, year, period, *fields)
    if present is not None or absent is not None:
        if not members:
            raise InvalidInput(
                _(
                    "{cluster} has no members in {year}; add them first "
                    "(thidua cluster carry or thidua cluster join)."
                ).format(cluster=found.name, year=year)
            )
        named = _members_named(conn, found, year, members, present or absent or [])
        attending = named if present is not None else [i for i in members if i not in named]
        registry.set_attendance(conn, found.id, year, period, attending)
    if guests is not None:
        registry.set_guests(conn, found.id, year, period, guests)
    state = registry.cluster_year(conn, found, year)
    recorded = next(c for c in state.conferences if c.period == period)
    present = recorded.present
    if recorded.chair_unit and present is not None and recorded.chair_unit not in present:
        raise InvalidInput(
            _("{unit} chaired the conference, so it cannot be recorded as absent.").format(
                unit=recorded.chair_unit
            )
        )
    return found, recorded


def _members_named(
    conn: sqlite3.Connection,
    found: Cluster,
    year: int,
    members: dict[int, Member],
    names: Sequence[str],
) -> list[int]:
    """The ids of the named units, each a member of the cluster-year; refused otherwise."""
    units = find_units(conn, names)
    outside = [u.name for u in units if u.id not in members]
    if outside:
        raise InvalidInput(
            _("These units are not members of {cluster} in {year}:").format(
                cluster=found.name, year=year
            ),
            details=outside,
        )
    return list(dict.fromkeys(u.id for u in units))


def sign_covenant(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    signed_on: str,
    note: str | None,
    *,
    replace: bool,
) -> tuple[Cluster, Covenant]:
    """Record that the members of the cluster signed the covenant of `year`; returns it as
    stored."""
    check_covenant_date(year, signed_on)
    found = find_cluster(conn, cluster_name, year)
    ensure_papers_unlocked(conn, found, year)
    if not registry.members(conn, found.id, year):
        raise InvalidInput(
            _(
                "{cluster} has no members in {year}; add them first "
                "(thidua cluster carry or thidua cluster join)."
            ).format(cluster=found.name, year=year)
        )
    existing = registry.covenant(conn, found.id, year)
    if existing is not None and not replace:
        raise InvalidInput(
            _("{cluster} already has a covenant for {year}: {covenant}. Use --replace.").format(
                cluster=found.name, year=year, covenant=covenant_text(existing)
            )
        )
    registry.sign_covenant(conn, found.id, year, signed_on, note)
    recorded = registry.covenant(conn, found.id, year)
    assert recorded is not None
    return found, recorded


def set_signer(
    conn: sqlite3.Connection, cluster_name: str, year: int, name: str | None, role: str
) -> tuple[Cluster, Signer | None, Signer | None]:
    """Record who signs the cluster-year's papers (a person: the leader's head for the cluster,
    or with role "deputy" the deputy's head on behalf of the leader), or with `name` None clear
    it. Returns the cluster, the signer now recorded and the one it replaced."""
    if name is not None and not name.strip():
        raise InvalidInput(_("The signer's name is empty."))
    found = find_cluster(conn, cluster_name, year)
    ensure_papers_unlocked(conn, found, year)
    replaced = registry.signer(conn, found.id, year)
    if name is None:
        registry.clear_signer(conn, found.id, year)
        return found, None, replaced
    if not registry.members(conn, found.id, year):
        raise InvalidInput(
            _(
                "{cluster} has no members in {year}; add them first "
                "(thidua cluster carry or thidua cluster join)."
            ).format(cluster=found.name, year=year)
        )
    if not any(m.role == role for m in registry.members(conn, found.id, year)):
        words = kind_words(found.kind).fields()
        raise InvalidInput(
            _("{cluster} has no {role} in {year}; record the role first (thidua cluster join "
              "--role {code} or thidua elect).").format(
                cluster=found.name, year=year,
                role=words["leader_role" if role == "leader" else "deputy_role"], code=role,
            )
        )  # fmt: skip
    registry.set_signer(conn, found.id, year, name, role)
    return found, registry.signer(conn, found.id, year), replaced
