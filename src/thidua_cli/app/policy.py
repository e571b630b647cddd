"""The rules a province or a cluster sets (quotas, tie-breaks, the score that counts), and the
flags that make a unit ineligible for an award in a year."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from thidua_cli.app.ranking import policy_for
from thidua_cli.app.session import (
    ensure_unit_unlocked,
    ensure_unlocked,
    ensure_year_unlocked,
    find_cluster,
    find_unit,
)
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Cluster, Unit
from thidua_cli.rules.policy import FIELDS, Policy, check_rating, parse_vote_gates
from thidua_cli.rules.text import fold_key, nfc
from thidua_cli.store import registry, scoring


def _scope(
    conn: sqlite3.Connection, cluster_name: str | None, all_clusters: bool, year: int
) -> Cluster | None:
    if (cluster_name is None) == (not all_clusters):
        raise InvalidInput(_("Give either --cluster or --all-clusters."))
    return find_cluster(conn, cluster_name, year) if cluster_name else None


@dataclass(frozen=True)
class PolicyInForce:
    cluster: Cluster | None  # None: the rule of the year for every cluster
    policy: Policy
    members: int | None  # the cluster-year's members, for its Bằng khen quota


def policy_in_force(
    conn: sqlite3.Connection, cluster_name: str | None, all_clusters: bool, year: int
) -> PolicyInForce:
    found = _scope(conn, cluster_name, all_clusters, year)
    members = len(registry.members(conn, found.id, year)) if found else None
    return PolicyInForce(found, policy_for(conn, found.id if found else None, year), members)


def set_policy(
    conn: sqlite3.Connection,
    cluster_name: str | None,
    all_clusters: bool,
    year: int,
    values: dict[str, object],
    *,
    reset: bool,
) -> Cluster | None:
    """Set the given rules (already checked) of a cluster-year or of the whole year; `reset`
    forgets the scope's rules first."""
    if not values and not reset:
        raise InvalidInput(_("Nothing to set: give at least one rule, or --reset."))
    if cluster_name is not None and {"council_threshold", "council_threshold_rule"} & set(values):
        raise InvalidInput(
            _("The Council's passing share is a rule of the year: use --all-clusters.")
        )
    found = _scope(conn, cluster_name, all_clusters, year)
    if found is None:
        ensure_year_unlocked(conn, year)
    else:
        ensure_unlocked(conn, found, year)
    chain = values.get("tie_break")
    if isinstance(chain, str):
        _check_groups(conn, found, year, chain)
    scope = found.id if found else None
    if reset:
        scoring.save_policy(conn, scope, year, dict.fromkeys(FIELDS))
    if values:
        scoring.save_policy(conn, scope, year, values)
    now = policy_for(conn, scope, year)
    if now.bang_khen_max is not None and now.bang_khen_min > now.bang_khen_max:
        raise InvalidInput(
            _(
                "The Bằng khen floor ({floor}) is above its cap ({cap}); nothing was changed."
            ).format(floor=now.bang_khen_min, cap=now.bang_khen_max)
        )
    return found


def award_conditions(
    *,
    vote_threshold: int | None = None,
    vote_threshold_rule: str | None = None,
    vote_threshold_awards: str | None = None,
    min_rating: str | None = None,
    min_rating_co_thi_dua: str | None = None,
    min_rating_bang_khen: str | None = None,
    bang_khen_min: int | None = None,
    bang_khen_max: int | None = None,
) -> dict[str, object]:
    """The stored values of the ballot's and the rating's rules and the Bằng khen's floor and
    cap, as given on the command line (checked; what is not given is left out)."""
    values: dict[str, object] = {}
    if vote_threshold is not None:
        values["vote_threshold"] = vote_threshold
    if vote_threshold_rule is not None:
        values["vote_threshold_rule"] = vote_threshold_rule
    if vote_threshold_awards is not None:
        values["vote_gates"] = ",".join(parse_vote_gates(vote_threshold_awards))
    if min_rating is not None and (min_rating_co_thi_dua or min_rating_bang_khen):
        raise InvalidInput(
            _("Give --min-rating for both awards, or --min-rating-co-thi-dua and "
              "--min-rating-bang-khen, not both.")
        )  # fmt: skip
    for key, given in (
        ("min_rating_co_thi_dua", min_rating_co_thi_dua or min_rating),
        ("min_rating_bang_khen", min_rating_bang_khen or min_rating),
    ):
        if given is not None:
            values[key] = check_rating(given, allow_none=True)
    if bang_khen_min is not None:
        values["bang_khen_min"] = bang_khen_min
    if bang_khen_max is not None:
        values["bang_khen_max"] = bang_khen_max
    return values


def _check_groups(conn: sqlite3.Connection, cluster: Cluster | None, year: int, chain: str) -> None:
    """A tie-break step that names a criteria group must name one of the criteria in force."""
    applicable = (
        scoring.applicable_criteria(conn, cluster.id, year)
        if cluster
        else ((scoring.default_criteria(conn, year) or []), True)
    )
    criteria = applicable[0] if applicable else []
    if not criteria:
        return
    groups = {fold_key(c.group): c.group for c in criteria if c.group}
    for step in chain.split(","):
        if step.startswith("group:") and fold_key(step[6:]) not in groups:
            raise InvalidInput(
                _("There is no criteria group “{group}”; the groups are: {groups}.").format(
                    group=step[6:], groups="; ".join(groups.values())
                )
            )


def add_flag(conn: sqlite3.Connection, unit_name: str, year: int, reason: str) -> tuple[Unit, bool]:
    """Flag a unit for a year; False when the same flag is already there."""
    if not reason.strip():
        raise InvalidInput(_("The reason cannot be empty."))
    found = find_unit(conn, unit_name)
    ensure_unit_unlocked(conn, found, year)
    return found, scoring.add_flag(conn, found.id, year, nfc(reason).strip())


def flags(
    conn: sqlite3.Connection, year: int | None, unit_name: str | None
) -> list[tuple[int, str, int, str]]:
    """The flags, by year and unit, of one year or unit or all: (unit id, unit, year, reason)."""
    unit_id = find_unit(conn, unit_name).id if unit_name else None
    return scoring.flags(conn, year, unit_id)


def remove_flags(
    conn: sqlite3.Connection, unit_name: str, year: int, reason: str | None
) -> tuple[Unit, int]:
    found = find_unit(conn, unit_name)
    ensure_unit_unlocked(conn, found, year)
    removed = scoring.remove_flags(conn, found.id, year, reason)
    if not removed:
        raise InvalidInput(
            _("{unit} has no such flag for {year}.").format(unit=found.name, year=year)
        )
    return found, removed
