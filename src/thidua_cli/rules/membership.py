"""The rules of membership, per year.

A cluster-year has at most one leader and at most one deputy, both members that year; a unit
belongs to at most one cluster in a year. These functions check a requested change against the
current state and say, in the user's words, everything that is wrong with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Member, Unit
from thidua_cli.rules.dates import shown_date
from thidua_cli.vocabulary import kind_words, role_name


def plan_join(
    cluster_name: str,
    year: int,
    members: Sequence[Member],
    joining: Sequence[Unit],
    role: str,
    elsewhere: Mapping[int, str],
    kind: str,
) -> list[tuple[Unit, str]]:
    """The (unit, role) rows to write so that `joining` are members with `role`.

    `elsewhere` maps a unit id to the cluster it already belongs to that year, if another one;
    `kind` (cum or khoi) names the roles in the refusals.
    """
    unique = list({u.id: u for u in joining}.values())
    problems: list[str] = []
    if role in ("leader", "deputy") and len(unique) > 1:
        problems.append(
            _("A {kind} has one {role} a year; {count} units were given.").format(
                role=role_name(role, kind), count=len(unique), **kind_words(kind).fields()
            )
        )
    for unit in unique:
        if unit.id in elsewhere:
            problems.append(
                _("{unit} is already in {cluster} in {year}.").format(
                    unit=unit.name, cluster=elsewhere[unit.id], year=year
                )
            )
    if role in ("leader", "deputy"):
        holder = next((m for m in members if m.role == role), None)
        ids = {u.id for u in unique}
        if holder is not None and holder.unit_id not in ids:
            problems.append(
                _(
                    "{cluster} already has a {role} in {year}: {unit}. Make it a member first "
                    "(thidua cluster join ... --role member)."
                ).format(
                    cluster=cluster_name, role=role_name(role, kind), year=year, unit=holder.name
                )
            )
    if problems:
        raise InvalidInput(
            _("Nothing was changed in {cluster} for {year}:").format(
                cluster=cluster_name, year=year
            ),
            details=problems,
        )
    return [(unit, role) for unit in unique]


def plan_leave(
    cluster_name: str, year: int, members: Sequence[Member], leaving: Sequence[Unit]
) -> list[Unit]:
    """The units to remove; every one must be a member of the cluster that year."""
    current = {m.unit_id for m in members}
    missing = [u.name for u in leaving if u.id not in current]
    if missing:
        raise InvalidInput(
            _("Not members of {cluster} in {year}; nothing was changed:").format(
                cluster=cluster_name, year=year
            ),
            details=missing,
        )
    return list({u.id: u for u in leaving}.values())


def plan_carry(
    cluster_name: str,
    to_year: int,
    source: Sequence[Member],
    target: Mapping[int, tuple[str, str]],
) -> list[Member]:
    """The members of `source` to add to `to_year`; `target` maps unit id -> (cluster, role)."""
    problems = [
        _("{unit} is already in {cluster} in {year}.").format(
            unit=m.name, cluster=target[m.unit_id][0], year=to_year
        )
        for m in source
        if m.unit_id in target and target[m.unit_id][0] != cluster_name
    ]
    if problems:
        raise InvalidInput(
            _("Nothing was carried into {year}:").format(year=to_year), details=problems
        )
    return [m for m in source if m.unit_id not in target]


def check_covenant_date(year: int, signed_on: str) -> None:
    """The covenant of a year is signed in that year or at the end of the year before."""
    if not year - 1 <= int(signed_on[:4]) <= year:
        raise InvalidInput(
            _("The covenant of {year} is signed in {before} or {year}, not on {date}.").format(
                year=year, before=year - 1, date=shown_date(signed_on)
            )
        )
