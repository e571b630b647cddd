"""The units (đơn vị) that clusters are made of: adding, listing with their place in a year,
renaming (the history stays with the unit, and the old name can still find it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from thidua_cli.app.session import find_unit
from thidua_cli.models import Unit, UnitPlace
from thidua_cli.store import registry


def add_unit(
    conn: sqlite3.Connection, name: str, short_name: str | None, aliases: Sequence[str]
) -> int:
    return registry.add_unit(conn, name, short_name, aliases)


def units_in_year(conn: sqlite3.Connection, year: int | None) -> list[UnitPlace]:
    """Every unit in Vietnamese order; with `year`, the cluster and role it has that year."""
    found = registry.units(conn)
    if year is None:
        return [UnitPlace(u) for u in found]
    where = registry.unit_clusters(conn, year)
    kinds = {c.name: c.kind for c in registry.clusters(conn)}
    return [
        UnitPlace(u, *where[u.id], kinds[where[u.id][0]]) if u.id in where else UnitPlace(u)
        for u in found
    ]


def rename_unit(
    conn: sqlite3.Connection, unit_name: str, new_name: str, keep_old: bool
) -> tuple[Unit, list[int]]:
    """Give the named unit a new name; returns the unit as it was (with its old name) and the
    locked years whose papers keep the name they were locked with (the database keeps it)."""
    unit = find_unit(conn, unit_name)
    registry.rename_unit(conn, unit, new_name, keep_old)
    return unit, registry.years_keeping_name(conn, unit.id)
