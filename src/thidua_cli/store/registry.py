"""Units, clusters, who belongs where each year, and the conferences: the SQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple

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
from thidua_cli.rules.text import checked_name, fold_key, nfc, plain_key, sort_key
from thidua_cli.store.names import unit_name, unit_short_name


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


class _NameInUse(NamedTuple):
    owner_id: int
    owner: str  # the unit's or cluster's name
    field: str  # name, short, alias or code
    text: str  # the name as stored


# The last index built, per table, with the connection and the state it was read at: a bundle or
# the sample adds units one by one, and reading every name again for each would make an import
# of n units cost n² (minutes for a few thousand). Any other write, here or from another process,
# changes the stamp and the index is read again; so does a rollback (the highest id goes back).
_IN_USE: dict[str, tuple[sqlite3.Connection, tuple[int, ...], dict[str, list[_NameInUse]]]] = {}


def _stamp(conn: sqlite3.Connection, table: str) -> tuple[int, ...]:
    (version,) = conn.execute("PRAGMA data_version").fetchone()
    (highest,) = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    return conn.total_changes, version, highest


def _names_in_use(conn: sqlite3.Connection, table: str) -> dict[str, list[_NameInUse]]:
    """Every name a unit or cluster (`table`) answers to, by the forgiving key lookups use.

    The key is `plain_key`: two names with the same plain key are one name to a lookup
    ("agribank lang son" finds "Agribank Lạng Sơn"), so a second one could only ever be reached
    by accident. Short names and codes are read too: lookups answer to them as well.
    """
    cached = _IN_USE.get(table)
    if cached is not None and cached[0] is conn and cached[1] == _stamp(conn, table):
        return cached[2]
    second, alias_table, owner = (
        ("short_name", "unit_alias", "unit_id")
        if table == "unit"
        else ("code", "cluster_alias", "cluster_id")
    )
    field = "short" if table == "unit" else "code"
    found: dict[str, list[_NameInUse]] = {}
    names = {}
    for owner_id, name, other in conn.execute(f"SELECT id, name, {second} FROM {table}"):
        names[owner_id] = name
        found.setdefault(plain_key(name), []).append(_NameInUse(owner_id, name, "name", name))
        if other:
            found.setdefault(plain_key(other), []).append(_NameInUse(owner_id, name, field, other))
    for owner_id, alias in conn.execute(f"SELECT {owner}, alias FROM {alias_table}"):
        entry = _NameInUse(owner_id, names[owner_id], "alias", alias)
        found.setdefault(plain_key(alias), []).append(entry)
    _IN_USE[table] = (conn, _stamp(conn, table), found)
    return found


def _note_added(
    conn: sqlite3.Connection,
    table: str,
    before: tuple[int, ...],
    owner_id: int,
    names: Iterable[tuple[str, str]],
) -> None:
    """Keep the index of names in use current after adding a unit or cluster (`names`: (field,
    name), the first one its name), if it was current at `before`."""
    cached = _IN_USE.get(table)
    if cached is None or cached[0] is not conn or cached[1] != before:
        return
    named = list(names)
    for field, name in named:
        cached[2].setdefault(plain_key(name), []).append(
            _NameInUse(owner_id, named[0][1], field, name)
        )
    _IN_USE[table] = (conn, _stamp(conn, table), cached[2])


def _clash_message(name: str, taken: _NameInUse, what: str) -> str:
    if taken.field == "name":
        return _("“{name}” cannot be told apart from the {what} “{taken}”.").format(
            name=name, what=what, taken=taken.text
        )
    template = {
        "short": _(
            "“{name}” cannot be told apart from “{taken}”, the short name of the {what} {owner}."
        ),
        "alias": _(
            "“{name}” cannot be told apart from “{taken}”, another name of the {what} {owner}."
        ),
        "code": _("“{name}” cannot be told apart from “{taken}”, the code of the {what} {owner}."),
    }[taken.field]
    return template.format(name=name, taken=taken.text, what=what, owner=taken.owner)


def _clashes(
    conn: sqlite3.Connection,
    table: str,
    names: Iterable[tuple[str, str]],
    *,
    own_id: int | None = None,
) -> list[str]:
    """Why each of `names` ((field, name)) cannot be given to a unit or cluster: it is empty, it
    repeats another of the new names, or a lookup could not tell it from a name another unit or
    cluster answers to. Cluster codes may repeat each other: numbers are reused from year to year,
    and the year tells them apart.
    """
    what = _("unit") if table == "unit" else _("cluster")
    in_use = _names_in_use(conn, table)
    problems = []
    seen: set[str] = set()
    for field, name in names:
        if not plain_key(name):
            problems.append(_("A name cannot be empty."))
            continue
        taken = [
            used
            for used in in_use.get(plain_key(name), [])
            if used.owner_id != own_id and not (field == used.field == "code")
        ]
        if taken:
            problems.append(_clash_message(name, taken[0], what))
        elif field in ("name", "alias") and fold_key(name) in seen:
            problems.append(
                _("“{name}” is already the name of a {what} ({taken}).").format(
                    name=name, what=what, taken=name
                )
            )
        if field in ("name", "alias"):
            seen.add(fold_key(name))
    return problems


def _check_free(conn: sqlite3.Connection, table: str, names: Iterable[tuple[str, str]]) -> None:
    problems = _clashes(conn, table, names)
    if problems:
        raise InvalidInput(_("Nothing was added:"), details=problems)


def add_unit(
    conn: sqlite3.Connection, name: str, short_name: str | None, aliases: Iterable[str]
) -> int:
    name = checked_name(name)
    short_name = checked_name(short_name) if short_name else None
    alias_list = [checked_name(a) for a in aliases if not isinstance(a, str) or a.strip()]
    named = [("name", name), *([("short", short_name)] if short_name else [])]
    named += [("alias", a) for a in alias_list]
    _check_free(conn, "unit", named)
    before = _stamp(conn, "unit")
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
    _note_added(conn, "unit", before, unit_id, named)
    return unit_id


def rename_unit(conn: sqlite3.Connection, unit: Unit, new_name: str, keep_old: bool) -> None:
    """Give a unit a new name; its old name stays as an alias unless `keep_old` is false."""
    new_name = checked_name(new_name)
    new_key = fold_key(new_name)
    problems = _clashes(conn, "unit", [("name", new_name)], own_id=unit.id)
    if problems:
        raise InvalidInput(problems[0])
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
    name = checked_name(name)
    code = checked_name(code) if code else None
    alias_list = [checked_name(a) for a in aliases if not isinstance(a, str) or a.strip()]
    named = [("name", name), *([("code", code)] if code else [])]
    named += [("alias", a) for a in alias_list]
    _check_free(conn, "cluster", named)
    before = _stamp(conn, "cluster")
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
    _note_added(conn, "cluster", before, cluster_id, named)
    return cluster_id


def members(conn: sqlite3.Connection, cluster_id: int, year: int) -> list[Member]:
    rows = conn.execute(
        f"SELECT u.id, {unit_name('u', 'm.year')}, m.role, {unit_short_name('u', 'm.year')}"
        " FROM membership m JOIN unit u ON u.id = m.unit_id WHERE m.cluster_id = ? AND m.year = ?",
        (cluster_id, year),
    )
    return sorted((Member(*row) for row in rows), key=lambda m: sort_key(m.name))


def cluster_year(conn: sqlite3.Connection, cluster: Cluster, year: int) -> ClusterYear:
    present: dict[str, list[str]] = {}
    for period, name in conn.execute(
        f"SELECT a.period, {unit_name('u', 'a.year')} FROM conference_attendance a"
        " JOIN unit u ON u.id = a.unit_id"
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
            f"SELECT c.period, c.held_on, c.place, {unit_name('u', 'c.year')}, c.chair_name,"
            " c.secretary"
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


def years_keeping_name(conn: sqlite3.Connection, unit_id: int) -> list[int]:
    """The locked years whose papers print another name of the unit than today's."""
    return [
        year
        for (year,) in conn.execute(
            "SELECT k.year FROM unit_year_name k JOIN unit u ON u.id = k.unit_id"
            " WHERE k.unit_id = ? AND (k.name IS NOT u.name OR k.short_name IS NOT u.short_name)"
            " ORDER BY k.year",
            (unit_id,),
        )
    ]


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
