"""Electing next year's leader and deputy, and the rotation custom.

At the year-end conference of year Y-1 a cluster elects who leads it in year Y. By custom the
deputy of Y-1 becomes leader and the member who has gone longest without leading or deputising
becomes deputy. Any valid choice is accepted; a choice that breaks the custom is recorded with a
warning that names it. These functions only decide; the store writes and the face prints.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Member, RoleHeld, Unit
from thidua_cli.rules.text import sort_key
from thidua_cli.vocabulary import kind_words


def check_election(
    cluster: str,
    year: int,
    members: Sequence[Member],
    leader: Unit,
    deputy: Unit | None,
    *,
    kind: str,
) -> None:
    """Every reason the choice cannot be recorded, together; nothing when it can. `kind` (cum or
    khoi) names the roles."""
    problems: list[str] = []
    if deputy is not None and deputy.id == leader.id:
        problems.append(
            _("The {leader_role} and the {deputy_role} must be two different units ({unit}).")
            .format(unit=leader.name, **kind_words(kind).fields())
        )  # fmt: skip
    current = {m.unit_id for m in members}
    for unit in (leader, deputy):
        if unit is not None and unit.id not in current:
            problems.append(
                _("{unit} is not a member of {cluster} in {year}.").format(
                    unit=unit.name, cluster=cluster, year=year
                )
            )
    if problems:
        raise InvalidInput(
            _("Nothing was recorded for {cluster} in {year}:").format(cluster=cluster, year=year),
            details=list(dict.fromkeys(problems)),
        )


def custom_warning(
    cluster: str, year: int, previous_deputy: Member | None, leader: Unit, *, kind: str
) -> str | None:
    """The warning to print when the deputy of the year before is not the new leader."""
    if previous_deputy is None or previous_deputy.unit_id == leader.id:
        return None
    return _(
        "By custom the {deputy_role} of {previous} ({deputy}) becomes the {leader_role} of "
        "{cluster} in {year}; {leader} was elected instead. The choice is recorded."
    ).format(
        previous=year - 1,
        deputy=previous_deputy.name,
        cluster=cluster,
        year=year,
        leader=leader.name,
        **kind_words(kind).fields(),
    )


@dataclass
class Suggestion:
    """The leader and deputy the custom proposes, and why, one line per reason."""

    leader: Member | None
    deputy: Member | None
    reasons: list[str] = field(default_factory=list)


def rotation_order(
    candidates: Sequence[Member], last_roles: Mapping[int, RoleHeld]
) -> list[Member]:
    """Longest without leading or deputising first (never: before all); ties by name."""

    return sorted(candidates, key=lambda m: (_last_year(m, last_roles), sort_key(m.name)))


def _last_year(member: Member, last_roles: Mapping[int, RoleHeld]) -> int:
    held = last_roles.get(member.unit_id)
    return held.year if held else -1


def _since(member: Member, last_roles: Mapping[int, RoleHeld], kind: str) -> str:
    held = last_roles.get(member.unit_id)
    if held is None:
        return _("no year as {leader_role} or {deputy_role} on record").format(
            **kind_words(kind).fields()
        )
    return _("last {role} in {year} ({cluster})").format(
        role=kind_words(held.kind).role(held.role), year=held.year, cluster=held.cluster
    )


def suggest_rotation(
    year: int,
    members: Sequence[Member],
    previous: Sequence[Member],
    last_roles: Mapping[int, RoleHeld],
    flagged: Mapping[int, Collection[str]],
    *,
    kind: str,
) -> Suggestion:
    """Who leads and deputises in `year` by the rotation custom.

    `members` are the cluster's members in `year` (or those of the year before, when the year has
    none yet); `previous` are the members of the year before with their roles; `last_roles` holds
    each unit's latest role before `year`; `flagged` maps the units flagged for the year before to
    their reasons. Flagged units are not proposed. `kind` (cum or khoi) names the roles.
    """
    words = kind_words(kind).fields()
    reasons: list[str] = []
    eligible = [m for m in members if m.unit_id not in flagged]
    skipped = [m for m in members if m.unit_id in flagged]
    if skipped:
        reasons.append(
            _("Not proposed, flagged for {year}: {units}.").format(
                year=year - 1,
                units="; ".join(
                    f"{m.name} ({', '.join(flagged[m.unit_id])})"
                    for m in sorted(skipped, key=lambda m: sort_key(m.name))
                ),
            )
        )
    order = rotation_order(eligible, last_roles)

    leader: Member | None = None
    previous_deputy = next((m for m in previous if m.role == "deputy"), None)
    current = {m.unit_id: m for m in members}
    if previous_deputy is None:
        reasons.append(
            _(
                "No {deputy_role} is recorded for {year}, so the custom does not say who becomes "
                "{leader_role}."
            ).format(year=year - 1, **words)
        )
    elif previous_deputy.unit_id not in current:
        reasons.append(
            _("{unit}, {deputy_role} in {year}, is no longer a member.").format(
                unit=previous_deputy.name, year=year - 1, **words
            )
        )
    elif previous_deputy.unit_id in flagged:
        reasons.append(
            _(
                "{unit}, {deputy_role} in {year}, is flagged for that year and is not proposed."
            ).format(unit=previous_deputy.name, year=year - 1, **words)
        )
    else:
        leader = current[previous_deputy.unit_id]
        reasons.append(
            _("{Leader_role}: {unit}, {deputy_role} in {year} (the rotation custom).").format(
                unit=leader.name, year=year - 1, **words
            )
        )
    if leader is None and order:
        leader = order[0]
        reasons.append(
            _("{Leader_role}: {unit}, the longest without a role ({since}).").format(
                unit=leader.name, since=_since(leader, last_roles, kind), **words
            )
        )
    rest = [m for m in order if leader is None or m.unit_id != leader.unit_id]
    deputy = rest[0] if rest else None
    if deputy is None:
        reasons.append(_("No other eligible member is left to be {deputy_role}.").format(**words))
    else:
        since = _last_year(deputy, last_roles)
        equal = [m.name for m in rest[1:] if _last_year(m, last_roles) == since]
        line = _("{Deputy_role}: {unit}, the longest without a role ({since}).").format(
            unit=deputy.name, since=_since(deputy, last_roles, kind), **words
        )
        if equal:
            line += " " + _(
                "Equally long: {units}; the first in Vietnamese order is taken."
            ).format(units="; ".join(equal))
        reasons.append(line)
    return Suggestion(leader, deputy, reasons)
