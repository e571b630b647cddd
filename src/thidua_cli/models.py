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


@dataclass
class ClusterYear:
    """A cluster as it stood in one year: members with roles, and its conferences."""

    cluster: Cluster
    year: int
    members: list[Member] = field(default_factory=list)
    conferences: list[Conference] = field(default_factory=list)

    def holder(self, role: str) -> Member | None:
        return next((m for m in self.members if m.role == role), None)
