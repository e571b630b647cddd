"""Units, clusters, who belongs where each year, and the conferences: the SQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import (
    Candidate,
    Cluster,
    ClusterYear,
    Conference,
    Covenant,
    Member,
    RoleHeld,
    Signer,
    Unit,
)
from thidua_cli.rules.text import fold_key, nfc, sort_key


def _aliases(conn: sqlite3.Connection, table: str, key: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for owner, alias in conn.execute(f"SELECT {key}, alias FROM {table} ORDER BY rowid"):
        found.setdefault(owner, []).append(alias)
    return found


def exact_ids(conn: sqlite3.Connection, table: str, name: str) -> list[int]:
    """The ids of the units or clusters (`table`) whose name or alias is exactly `name`, folded.

    The indexed fast path of every lookup: most names are typed or pasted whole.
    """
    alias_table, owner = (
        ("unit_alias", "unit_id") if table == "unit" else ("cluster_alias", "cluster_id")
    )
    key = fold_key(name)
    rows = conn.execute(
        f"SELECT id FROM {table} WHERE match_key = ?1"
        f" UNION SELECT {owner} FROM {alias_table} WHERE match_key = ?1",
        (key,),
    ).fetchall()
    return [row[0] for row in rows]


# ---------------------------------------------------------------- units


def units(conn: sqlite3.Connection) -> list[Unit]:
    aliases = _aliases(conn, "unit_alias", "unit_id")
    rows = conn.execute("SELECT id, name, short_name FROM unit")
    found = [Unit(i, n, s, tuple(aliases.get(i, ()))) for i, n, s in rows]
    return sorted(found, key=lambda u: sort_key(u.name))


def unit_candidates(conn: sqlite3.Connection) -> list[Candidate]:
    return [
        Candidate(u.id, u.name, tuple(n for n in (u.short_name, *u.aliases) if n))
        for u in units(conn)
    ]


def unit_by_id(conn: sqlite3.Connection, unit_id: int) -> Unit:
    unit_id_, name, short_name = conn.execute(
        "SELECT id, name, short_name FROM unit WHERE id = ?", (unit_id,)
    ).fetchone()
    aliases = conn.execute(
        "SELECT alias FROM unit_alias WHERE unit_id = ? ORDER BY rowid", (unit_id,)
    ).fetchall()
    return Unit(unit_id_, name, short_name, tuple(a for (a,) in aliases))


def _taken(conn: sqlite3.Connection, key: str, table: str, alias_table: str) -> str | None:
    row = conn.execute(
        f"SELECT name FROM {table} WHERE match_key = ?1"
        f" UNION ALL SELECT alias FROM {alias_table} WHERE match_key = ?1",
        (key,),
    ).fetchone()
    return row[0] if row else None


def _check_free(
    conn: sqlite3.Connection, names: Iterable[str], table: str, alias_table: str, what: str
) -> None:
    problems = []
    seen: set[str] = set()
    for name in names:
        key = fold_key(name)
        if not key:
            problems.append(_("A name cannot be empty."))
            continue
        taken = _taken(conn, key, table, alias_table)
        if taken is not None or key in seen:
            problems.append(
                _("“{name}” is already the name of a {what} ({taken}).").format(
                    name=name, what=what, taken=taken or name
                )
            )
        seen.add(key)
    if problems:
        raise InvalidInput(_("Nothing was added:"), details=problems)


def add_unit(
    conn: sqlite3.Connection, name: str, short_name: str | None, aliases: Iterable[str]
) -> int:
    name = nfc(name)
    short_name = nfc(short_name) if short_name else None
    alias_list = [nfc(a) for a in aliases if nfc(a)]
    _check_free(conn, [name, *alias_list], "unit", "unit_alias", _("unit"))
    unit_id = conn.execute(
        "INSERT INTO unit (name, match_key, short_name) VALUES (?, ?, ?)",
        (name, fold_key(name), short_name),
    ).lastrowid
    assert unit_id is not None
    for alias in alias_list:
        conn.execute(
            "INSERT INTO unit_alias (unit_id, alias, match_key) VALUES (?, ?, ?)",
            (unit_id, alias, fold_key(alias)),
        )
    return unit_id


def rename_unit(conn: sqlite3.Connection, unit: Unit, new_name: str, keep_old: bool) -> None:
    """Give a unit a new name; its old name stays as an alias unless `keep_old` is false."""
    new_name = nfc(new_name)
    new_key = fold_key(new_name)
    taken = _taken(conn, new_key, "unit", "unit_alias")
    own_names = {fold_key(n) for n in (unit.name, *unit.aliases)}
    if taken is not None and new_key not in own_names:
        raise InvalidInput(
            _("“{name}” is already the name of a {what} ({taken}).").format(
                name=new_name, what=_("unit"), taken=taken
            )
        )
    conn.execute("DELETE FROM unit_alias WHERE unit_id = ? AND match_key = ?", (unit.id, new_key))
    conn.execute(
        "UPDATE unit SET name = ?, match_key = ? WHERE id = ?", (new_name, new_key, unit.id)
    )
    if keep_old and fold_key(unit.name) != new_key:
        conn.execute(
            "INSERT INTO unit_alias (unit_id, alias, match_key) VALUES (?, ?, ?)",
            (unit.id, unit.name, fold_key(unit.name)),
        )


def unit_clusters(conn: sqlite3.Connection, year: int) -> dict[int, tuple[str, str]]:
    """unit id -> (cluster name, role) for a year."""
    rows = conn.execute(
        "SELECT m.unit_id, c.name, m.role FROM membership m"
        " JOIN cluster c ON c.id = m.cluster_id WHERE m.year = ?",
        (year,),
    )
    return {unit_id: (name, role) for unit_id, name, role in rows}


# ---------------------------------------------------------------- clusters


def clusters(conn: sqlite3.Connection) -> list[Cluster]:
    aliases = _aliases(conn, "cluster_alias", "cluster_id")
    rows = conn.execute("SELECT id, name, code, kind FROM cluster")
    found = [Cluster(i, n, c, k, tuple(aliases.get(i, ()))) for i, n, c, k in rows]
    return sorted(found, key=lambda c: sort_key(c.name))


def cluster_years(conn: sqlite3.Connection) -> dict[int, list[int]]:
    """cluster id -> the years in which it has members, in order."""
    found: dict[int, list[int]] = {}
    for cid, year in conn.execute(
        "SELECT DISTINCT cluster_id, year FROM membership ORDER BY cluster_id, year"
    ):
        found.setdefault(cid, []).append(year)
    return found


def clusters_with_members(conn: sqlite3.Connection, year: int) -> set[int]:
    """The ids of the clusters with members in `year`."""
    rows = conn.execute("SELECT DISTINCT cluster_id FROM membership WHERE year = ?", (year,))
    return {cluster_id for (cluster_id,) in rows}


def cluster_candidates(conn: sqlite3.Connection, year: int | None = None) -> list[Candidate]:
    years = cluster_years(conn)
    found = []
    for c in clusters(conn):
        active_years = years.get(c.id, [])
        label = c.name
        if active_years:
            label += " (" + ", ".join(str(y) for y in active_years) + ")"
        found.append(
            Candidate(
                c.id,
                c.name,
                tuple(n for n in (c.code, *c.aliases) if n),
                active=year is not None and year in active_years,
                label=label,
            )
        )
    return found


def cluster_by_id(conn: sqlite3.Connection, cluster_id: int) -> Cluster:
    cluster_id_, name, code, kind = conn.execute(
        "SELECT id, name, code, kind FROM cluster WHERE id = ?", (cluster_id,)
    ).fetchone()
    aliases = conn.execute(
        "SELECT alias FROM cluster_alias WHERE cluster_id = ? ORDER BY rowid", (cluster_id,)
    ).fetchall()
    return Cluster(cluster_id_, name, code, kind, tuple(a for (a,) in aliases))


def add_cluster(
    conn: sqlite3.Connection, name: str, code: str | None, kind: str, aliases: Iterable[str]
) -> int:
    name = nfc(name)
    code = nfc(code) if code else None
    alias_list = [nfc(a) for a in aliases if nfc(a)]
    _check_free(conn, [name, *alias_list], "cluster", "cluster_alias", _("cluster"))
    cluster_id = conn.execute(
        "INSERT INTO cluster (name, match_key, code, kind) VALUES (?, ?, ?, ?)",
        (name, fold_key(name), code, kind),
    ).lastrowid
    assert cluster_id is not None
    for alias in alias_list:
        conn.execute(
            "INSERT INTO cluster_alias (cluster_id, alias, match_key) VALUES (?, ?, ?)",
            (cluster_id, alias, fold_key(alias)),
        )
    return cluster_id


def members(conn: sqlite3.Connection, cluster_id: int, year: int) -> list[Member]:
    rows = conn.execute(
        "SELECT u.id, u.name, m.role, u.short_name FROM membership m"
        " JOIN unit u ON u.id = m.unit_id WHERE m.cluster_id = ? AND m.year = ?",
        (cluster_id, year),
    )
    return sorted((Member(*row) for row in rows), key=lambda m: sort_key(m.name))


def cluster_year(conn: sqlite3.Connection, cluster: Cluster, year: int) -> ClusterYear:
    present: dict[str, list[str]] = {}
    for period, name in conn.execute(
        "SELECT a.period, u.name FROM conference_attendance a JOIN unit u ON u.id = a.unit_id"
        " WHERE a.cluster_id = ? AND a.year = ?",
        (cluster.id, year),
    ):
        present.setdefault(period, []).append(name)
    guests: dict[str, list[str]] = {}
    for period, name in conn.execute(
        "SELECT period, name FROM conference_guest WHERE cluster_id = ? AND year = ?"
        " ORDER BY position",
        (cluster.id, year),
    ):
        guests.setdefault(period, []).append(name)
    conferences = [
        Conference(
            period,
            held_on,
            place,
            chair_unit,
            chair_name,
            secretary,
            tuple(sorted(present[period], key=sort_key)) if period in present else None,
            tuple(guests.get(period, ())),
        )
        for period, held_on, place, chair_unit, chair_name, secretary in conn.execute(
            "SELECT c.period, c.held_on, c.place, u.name, c.chair_name, c.secretary"
            " FROM conference c LEFT JOIN unit u ON u.id = c.chair_unit_id"
            " WHERE c.cluster_id = ? AND c.year = ?"
            " ORDER BY c.period = 'year'",
            (cluster.id, year),
        )
    ]
    return ClusterYear(
        cluster,
        year,
        members(conn, cluster.id, year),
        conferences,
        covenant(conn, cluster.id, year),
        signer(conn, cluster.id, year),
    )


def set_member(
    conn: sqlite3.Connection, cluster_id: int, year: int, unit_id: int, role: str
) -> None:
    conn.execute(
        "INSERT INTO membership (cluster_id, year, unit_id, role) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (cluster_id, year, unit_id) DO UPDATE SET role = excluded.role",
        (cluster_id, year, unit_id, role),
    )


def remove_member(conn: sqlite3.Connection, cluster_id: int, year: int, unit_id: int) -> None:
    conn.execute(
        "DELETE FROM membership WHERE cluster_id = ? AND year = ? AND unit_id = ?",
        (cluster_id, year, unit_id),
    )


def has_records(conn: sqlite3.Connection, cluster_id: int, year: int, unit_id: int) -> bool:
    """Whether a member has scores, votes, a decision on a submitted proposal or a place in the
    conference's record (present, chairing) in the cluster-year. It cannot leave the cluster
    while those exist.
    """
    return bool(
        conn.execute(
            "SELECT 1 FROM score WHERE cluster_id = ?1 AND year = ?2 AND unit_id = ?3"
            " UNION ALL SELECT 1 FROM vote WHERE cluster_id = ?1 AND year = ?2 AND unit_id = ?3"
            " UNION ALL SELECT 1 FROM conference_attendance"
            " WHERE cluster_id = ?1 AND year = ?2 AND unit_id = ?3"
            " UNION ALL SELECT 1 FROM conference"
            " WHERE cluster_id = ?1 AND year = ?2 AND chair_unit_id = ?3"
            " UNION ALL SELECT 1 FROM decision d JOIN submission s ON s.id = d.submission_id"
            " WHERE s.cluster_id = ?1 AND s.year = ?2 AND d.unit_id = ?3"
            " LIMIT 1",
            (cluster_id, year, unit_id),
        ).fetchone()
    )


def set_conference(
    conn: sqlite3.Connection,
    cluster_id: int,
    year: int,
    period: str,
    held_on: str | None,
    place: str | None,
    chair_unit_id: int | None = None,
    chair_name: str | None = None,
    secretary: str | None = None,
) -> None:
    """Store the conference as given, every field replaced."""
    conn.execute(
        "INSERT INTO conference (cluster_id, year, period, held_on, place, chair_unit_id,"
        " chair_name, secretary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (cluster_id, year, period) DO UPDATE"
        " SET held_on = excluded.held_on, place = excluded.place,"
        " chair_unit_id = excluded.chair_unit_id, chair_name = excluded.chair_name,"
        " secretary = excluded.secretary",
        (
            cluster_id,
            year,
            period,
            held_on,
            _text(place),
            chair_unit_id,
            _text(chair_name),
            _text(secretary),
        ),
    )


def _text(value: str | None) -> str | None:
    return nfc(value.strip()) if value and value.strip() else None


def conference_row(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str
) -> tuple[str | None, str | None, int | None, str | None, str | None] | None:
    """The stored conference: date, place, chairing unit's id, chair, secretary."""
    return conn.execute(
        "SELECT held_on, place, chair_unit_id, chair_name, secretary FROM conference"
        " WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    ).fetchone()


def set_guests(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str, names: Sequence[str]
) -> None:
    """Record exactly `names`, in order, as the conference's guests."""
    conn.execute(
        "DELETE FROM conference_guest WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    )
    conn.executemany(
        "INSERT INTO conference_guest (cluster_id, year, period, position, name)"
        " VALUES (?, ?, ?, ?, ?)",
        [(cluster_id, year, period, i, _text(name)) for i, name in enumerate(names, start=1)],
    )


def set_attendance(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str, unit_ids: Iterable[int]
) -> None:
    """Record exactly `unit_ids` as the member units present at the conference."""
    conn.execute(
        "DELETE FROM conference_attendance WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    )
    conn.executemany(
        "INSERT INTO conference_attendance (cluster_id, year, period, unit_id) VALUES (?, ?, ?, ?)",
        [(cluster_id, year, period, unit_id) for unit_id in unit_ids],
    )


def set_roles(
    conn: sqlite3.Connection, cluster_id: int, year: int, leader_id: int, deputy_id: int | None
) -> None:
    """Make `leader_id` the leader and `deputy_id` the deputy; whoever held a role is a member."""
    conn.execute(
        "UPDATE membership SET role = 'member'"
        " WHERE cluster_id = ? AND year = ? AND role IN ('leader', 'deputy')",
        (cluster_id, year),
    )
    for unit_id, role in ((leader_id, "leader"), (deputy_id, "deputy")):
        if unit_id is not None:
            conn.execute(
                "UPDATE membership SET role = ? WHERE cluster_id = ? AND year = ? AND unit_id = ?",
                (role, cluster_id, year, unit_id),
            )


def last_roles(
    conn: sqlite3.Connection, unit_ids: Iterable[int], before: int
) -> dict[int, RoleHeld]:
    """unit id -> the latest year before `before` in which it led or deputised any cluster."""
    wanted = sorted(set(unit_ids))
    found: dict[int, RoleHeld] = {}
    rows = conn.execute(
        "SELECT m.unit_id, m.year, m.role, c.name, c.kind FROM membership m"
        " JOIN cluster c ON c.id = m.cluster_id"
        " WHERE m.role IN ('leader', 'deputy') AND m.year < ?"
        " AND m.unit_id IN (SELECT value FROM json_each(?)) ORDER BY m.year",
        (before, json.dumps(wanted)),
    )
    for unit_id, year, role, cluster_name, kind in rows:
        found[unit_id] = RoleHeld(year, role, cluster_name, kind)
    return found


def unit_years(conn: sqlite3.Connection, unit_id: int) -> list[tuple[int, int, str]]:
    """(year, cluster id, role) for every year the unit belonged to a cluster, in order."""
    return conn.execute(
        "SELECT year, cluster_id, role FROM membership WHERE unit_id = ? ORDER BY year",
        (unit_id,),
    ).fetchall()


def covenant(conn: sqlite3.Connection, cluster_id: int, year: int) -> Covenant | None:
    row = conn.execute(
        "SELECT signed_on, note FROM covenant WHERE cluster_id = ? AND year = ?",
        (cluster_id, year),
    ).fetchone()
    return Covenant(*row) if row else None


def sign_covenant(
    conn: sqlite3.Connection, cluster_id: int, year: int, signed_on: str, note: str | None
) -> None:
    conn.execute(
        "INSERT INTO covenant (cluster_id, year, signed_on, note) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (cluster_id, year) DO UPDATE"
        " SET signed_on = excluded.signed_on, note = excluded.note",
        (cluster_id, year, signed_on, nfc(note).strip() if note and note.strip() else None),
    )


def signer(conn: sqlite3.Connection, cluster_id: int, year: int) -> Signer | None:
    """Who signs the cluster-year's papers, if recorded."""
    row = conn.execute(
        "SELECT name, role FROM cluster_signer WHERE cluster_id = ? AND year = ?",
        (cluster_id, year),
    ).fetchone()
    return Signer(*row) if row else None


def set_signer(conn: sqlite3.Connection, cluster_id: int, year: int, name: str, role: str) -> None:
    conn.execute(
        "INSERT INTO cluster_signer (cluster_id, year, name, role) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (cluster_id, year) DO UPDATE SET name = excluded.name, role = excluded.role",
        (cluster_id, year, nfc(name).strip(), role),
    )


def clear_signer(conn: sqlite3.Connection, cluster_id: int, year: int) -> None:
    conn.execute("DELETE FROM cluster_signer WHERE cluster_id = ? AND year = ?", (cluster_id, year))


def is_empty(conn: sqlite3.Connection) -> bool:
    return not conn.execute("SELECT 1 FROM unit UNION ALL SELECT 1 FROM cluster LIMIT 1").fetchone()


def cluster_names(conn: sqlite3.Connection, year: int | None = None) -> list[str]:
    """Every cluster's name, code ("Cụm I") and alias, or only those of the clusters with
    members in `year` (for shell completion: each is a way to name a cluster)."""
    ids = (
        "SELECT id FROM cluster"
        if year is None
        else "SELECT cluster_id FROM membership WHERE year = :year"
    )
    sql = (
        f"SELECT name FROM cluster WHERE id IN ({ids})"
        f" UNION SELECT code FROM cluster WHERE code IS NOT NULL AND id IN ({ids})"
        f" UNION SELECT alias FROM cluster_alias WHERE cluster_id IN ({ids})"
    )
    return [row[0] for row in conn.execute(sql, {"year": year})]


def unit_names(conn: sqlite3.Connection) -> list[str]:
    """Every unit's full and short name (for shell completion)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM unit UNION SELECT short_name FROM unit WHERE short_name IS NOT NULL"
        )
    ]
