"""Plain records that pass between the store, the rules and the screen."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("leader", "deputy", "member")
PERIODS = ("year", "half")
CLUSTER_KINDS = ("cum", "khoi")


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    short_name: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cluster:
    id: int
    name: str
    code: str | None = None
    kind: str = "cum"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Member:
    unit_id: int
    name: str
    role: str = "member"
    short_name: str | None = None


@dataclass(frozen=True)
class Conference:
    period: str
    held_on: str | None
    place: str | None


@dataclass(frozen=True)
class Covenant:
    """The emulation covenant (giao ước thi đua) the members of a cluster signed for a year."""

    signed_on: str
    note: str | None = None


@dataclass(frozen=True)
class RoleHeld:
    """A year in which a unit led or deputised a cluster."""

    year: int
    role: str  # leader | deputy
    cluster: str


@dataclass(frozen=True)
class Decision:
    """The province's decision on a unit's award proposal for a year."""

    unit_id: int
    year: int
    award: str  # co_thi_dua | bang_khen
    number: str
    decided_on: str
    approved: bool


@dataclass
class ClusterYear:
    """A cluster as it stood in one year: members with roles, conferences and covenant."""

    cluster: Cluster
    year: int
    members: list[Member] = field(default_factory=list)
    conferences: list[Conference] = field(default_factory=list)
    covenant: Covenant | None = None

    def holder(self, role: str) -> Member | None:
        return next((m for m in self.members if m.role == role), None)
