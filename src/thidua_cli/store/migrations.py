"""The schema, as numbered migrations applied in order on every open.

Append only: a migration that has shipped is never edited; a change is the next migration.
`PRAGMA user_version` holds how many have been applied. Every table is STRICT; the rules the
database can hold by itself (one leader and at most one deputy per cluster-year, a unit in at most
one cluster a year, names unique after folding) are constraints, not just checks in Python.
"""

from __future__ import annotations

YEAR_CHECK = "CHECK (year BETWEEN 1945 AND 2200)"

_M1_FOUNDATION = [
    """
    CREATE TABLE unit (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND name = trim(name)),
        match_key TEXT NOT NULL UNIQUE CHECK (match_key <> ''),
        short_name TEXT CHECK (short_name IS NULL OR length(trim(short_name)) > 0),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ) STRICT
    """,
    """
    CREATE TABLE unit_alias (
        unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        alias TEXT NOT NULL CHECK (length(trim(alias)) > 0),
        match_key TEXT NOT NULL UNIQUE CHECK (match_key <> ''),
        PRIMARY KEY (unit_id, alias)
    ) STRICT
    """,
    """
    CREATE TABLE cluster (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND name = trim(name)),
        match_key TEXT NOT NULL UNIQUE CHECK (match_key <> ''),
        code TEXT CHECK (code IS NULL OR length(trim(code)) > 0),
        kind TEXT NOT NULL DEFAULT 'cum' CHECK (kind IN ('cum', 'khoi')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ) STRICT
    """,
    """
    CREATE TABLE cluster_alias (
        cluster_id INTEGER NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
        alias TEXT NOT NULL CHECK (length(trim(alias)) > 0),
        match_key TEXT NOT NULL UNIQUE CHECK (match_key <> ''),
        PRIMARY KEY (cluster_id, alias)
    ) STRICT
    """,
    f"""
    CREATE TABLE membership (
        cluster_id INTEGER NOT NULL REFERENCES cluster(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        unit_id INTEGER NOT NULL REFERENCES unit(id),
        role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'leader', 'deputy')),
        PRIMARY KEY (cluster_id, year, unit_id),
        UNIQUE (year, unit_id)
    ) STRICT
    """,
    "CREATE UNIQUE INDEX membership_one_leader ON membership (cluster_id, year)"
    " WHERE role = 'leader'",
    "CREATE UNIQUE INDEX membership_one_deputy ON membership (cluster_id, year)"
    " WHERE role = 'deputy'",
    "CREATE INDEX membership_unit ON membership (unit_id, year)",
    f"""
    CREATE TABLE conference (
        cluster_id INTEGER NOT NULL REFERENCES cluster(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        held_on TEXT CHECK (held_on IS NULL OR (
            held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(held_on) = held_on)),
        place TEXT CHECK (place IS NULL OR length(trim(place)) > 0),
        PRIMARY KEY (cluster_id, year, period)
    ) STRICT
    """,
]

MIGRATIONS: list[list[str]] = [_M1_FOUNDATION]
