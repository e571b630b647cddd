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

# Points are integer hundredths everywhere: 9.5 points is 950. Totals and ties never depend on
# floating-point summation order.
_M2_SCORES = [
    f"""
    CREATE TABLE criteria_set (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL {YEAR_CHECK},
        cluster_id INTEGER REFERENCES cluster(id),
        UNIQUE (year, cluster_id)
    ) STRICT
    """,
    # one province default (cluster_id NULL) per year; UNIQUE above lets NULLs repeat
    "CREATE UNIQUE INDEX criteria_set_default ON criteria_set (year) WHERE cluster_id IS NULL",
    """
    CREATE TABLE criterion (
        id INTEGER PRIMARY KEY,
        set_id INTEGER NOT NULL REFERENCES criteria_set(id) ON DELETE CASCADE,
        code TEXT NOT NULL CHECK (length(trim(code)) > 0),
        code_key TEXT NOT NULL CHECK (code_key <> ''),
        grp TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        max_points INTEGER NOT NULL CHECK (max_points > 0),
        kind TEXT NOT NULL CHECK (kind IN ('base', 'bonus', 'deduction')),
        position INTEGER NOT NULL,
        UNIQUE (set_id, code_key)
    ) STRICT
    """,
    f"""
    CREATE TABLE score (
        cluster_id INTEGER NOT NULL,
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        unit_id INTEGER NOT NULL,
        criterion_id INTEGER NOT NULL REFERENCES criterion(id),
        source TEXT NOT NULL CHECK (source IN ('self', 'peer', 'final')),
        scorer_id INTEGER REFERENCES unit(id),
        points INTEGER NOT NULL CHECK (points >= 0),
        CHECK ((source = 'peer') = (scorer_id IS NOT NULL)),
        CHECK (scorer_id IS NULL OR scorer_id <> unit_id),
        FOREIGN KEY (cluster_id, year, unit_id)
            REFERENCES membership (cluster_id, year, unit_id)
    ) STRICT
    """,
    "CREATE UNIQUE INDEX score_key ON score"
    " (cluster_id, year, period, unit_id, criterion_id, source, coalesce(scorer_id, 0))",
    """
    CREATE TRIGGER score_within_maximum BEFORE INSERT ON score
    WHEN NEW.points > (SELECT max_points FROM criterion WHERE id = NEW.criterion_id)
    BEGIN SELECT RAISE(ABORT, 'points above the criterion maximum'); END
    """,
    """
    CREATE TRIGGER score_within_maximum_update BEFORE UPDATE OF points, criterion_id ON score
    WHEN NEW.points > (SELECT max_points FROM criterion WHERE id = NEW.criterion_id)
    BEGIN SELECT RAISE(ABORT, 'points above the criterion maximum'); END
    """,
    f"""
    CREATE TABLE vote (
        cluster_id INTEGER NOT NULL,
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        unit_id INTEGER NOT NULL,
        votes INTEGER NOT NULL CHECK (votes >= 0),
        voters INTEGER CHECK (voters IS NULL OR voters >= votes),
        PRIMARY KEY (cluster_id, year, period, unit_id),
        FOREIGN KEY (cluster_id, year, unit_id)
            REFERENCES membership (cluster_id, year, unit_id)
    ) STRICT
    """,
    f"""
    CREATE TABLE flag (
        id INTEGER PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES unit(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE (unit_id, year, reason)
    ) STRICT
    """,
    # Rules provinces set differently. NULL means "inherit": cluster-year, else the year's
    # rule for every cluster (cluster_id NULL), else thidua's default.
    f"""
    CREATE TABLE policy (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL {YEAR_CHECK},
        cluster_id INTEGER REFERENCES cluster(id),
        merit_quota INTEGER CHECK (merit_quota IS NULL OR merit_quota >= 0),
        merit_percent INTEGER CHECK (merit_percent IS NULL OR merit_percent BETWEEN 0 AND 100),
        flag_quota INTEGER CHECK (flag_quota IS NULL OR flag_quota >= 0),
        tie_break TEXT,
        score_rule TEXT,
        UNIQUE (year, cluster_id)
    ) STRICT
    """,
    "CREATE UNIQUE INDEX policy_year ON policy (year) WHERE cluster_id IS NULL",
]

# The rest of the yearly cycle. Who leads a cluster-year stays in membership.role (one source of
# truth); the covenant and the province's decisions on proposals get tables of their own.
_M3_CYCLE = [
    f"""
    CREATE TABLE covenant (
        cluster_id INTEGER NOT NULL REFERENCES cluster(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        signed_on TEXT NOT NULL CHECK (
            signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(signed_on) = signed_on),
        note TEXT CHECK (note IS NULL OR length(trim(note)) > 0),
        PRIMARY KEY (cluster_id, year)
    ) STRICT
    """,
    # A decision is on a unit's proposal for a year; the unit was a member somewhere that year
    # (membership has UNIQUE (year, unit_id)). At most one award granted per unit and year.
    f"""
    CREATE TABLE award_decision (
        unit_id INTEGER NOT NULL REFERENCES unit(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        award TEXT NOT NULL CHECK (award IN ('co_thi_dua', 'bang_khen')),
        decision_no TEXT NOT NULL CHECK (length(trim(decision_no)) > 0),
        decided_on TEXT NOT NULL CHECK (
            decided_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(decided_on) = decided_on),
        approved INTEGER NOT NULL CHECK (approved IN (0, 1)),
        PRIMARY KEY (unit_id, year, award),
        FOREIGN KEY (year, unit_id) REFERENCES membership (year, unit_id)
    ) STRICT
    """,
    "CREATE UNIQUE INDEX award_decision_one_granted ON award_decision (unit_id, year)"
    " WHERE approved = 1",
    "CREATE INDEX award_decision_year ON award_decision (year)",
]

# What the documents print that no other table holds: the province's name, the Board's.
_M4_SETTINGS = [
    """
    CREATE TABLE setting (
        key TEXT PRIMARY KEY CHECK (key IN ('province', 'board', 'board_superior')),
        value TEXT NOT NULL CHECK (length(trim(value)) > 0 AND value = trim(value))
    ) STRICT
    """,
]

# ---------------------------------------------------------------- M5: audit log and locks
#
# Every change to the tables below is written to `audit` by triggers, in the same transaction as
# the change, whoever makes it: thidua fills `audit_context` (the OS user and the command) at the
# start of each write and empties it before the commit; a change made with another tool is logged
# as made "outside thidua". The log is append-only: updating or deleting a row of it is refused.
# Score rows inserted by a bulk import are logged as one summary row (thidua writes it); their
# later changes and deletions are logged row by row like everything else.

_AUDITED: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    # table: (columns, cluster id, year, unit id), "r" standing for OLD or NEW
    "unit": (("id", "name", "short_name"), "NULL", "NULL", "r.id"),
    "unit_alias": (("unit_id", "alias"), "NULL", "NULL", "r.unit_id"),
    "cluster": (("id", "name", "code", "kind"), "r.id", "NULL", "NULL"),
    "cluster_alias": (("cluster_id", "alias"), "r.cluster_id", "NULL", "NULL"),
    "membership": (
        ("cluster_id", "year", "unit_id", "role"),
        "r.cluster_id",
        "r.year",
        "r.unit_id",
    ),
    "conference": (
        ("cluster_id", "year", "period", "held_on", "place"),
        "r.cluster_id",
        "r.year",
        "NULL",
    ),
    "covenant": (("cluster_id", "year", "signed_on", "note"), "r.cluster_id", "r.year", "NULL"),
    "criteria_set": (("id", "year", "cluster_id"), "r.cluster_id", "r.year", "NULL"),
    "criterion": (
        ("set_id", "code", "grp", "name", "max_points", "kind"),
        "(SELECT cluster_id FROM criteria_set WHERE id = r.set_id)",
        "(SELECT year FROM criteria_set WHERE id = r.set_id)",
        "NULL",
    ),
    "score": (
        (
            "cluster_id",
            "year",
            "period",
            "unit_id",
            "criterion_id",
            "source",
            "scorer_id",
            "points",
        ),
        "r.cluster_id",
        "r.year",
        "r.unit_id",
    ),
    "vote": (
        ("cluster_id", "year", "period", "unit_id", "votes", "voters"),
        "r.cluster_id",
        "r.year",
        "r.unit_id",
    ),
    "flag": (("unit_id", "year", "reason"), "NULL", "r.year", "r.unit_id"),
    "policy": (
        (
            "year",
            "cluster_id",
            "merit_quota",
            "merit_percent",
            "flag_quota",
            "tie_break",
            "score_rule",
        ),
        "r.cluster_id",
        "r.year",
        "NULL",
    ),
    "award_decision": (
        ("unit_id", "year", "award", "decision_no", "decided_on", "approved"),
        "NULL",
        "r.year",
        "r.unit_id",
    ),
    "setting": (("key", "value"), "NULL", "NULL", "NULL"),
}

_WHO = (
    "coalesce((SELECT user FROM audit_context WHERE id = 1), 'outside thidua'),"
    " coalesce((SELECT command FROM audit_context WHERE id = 1), 'outside thidua')"
)


def _audit_triggers() -> list[str]:
    statements = []
    for table, (columns, cluster, year, unit) in _AUDITED.items():
        for action, event, rows in (
            ("insert", "INSERT", ("NEW",)),
            ("update", "UPDATE", ("OLD", "NEW")),
            ("delete", "DELETE", ("OLD",)),
        ):
            scope = rows[-1]
            values = {
                row: "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in columns) + ")"
                for row in rows
            }
            when = ""
            if event == "UPDATE":
                when = " WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
            elif table == "score" and event == "INSERT":
                when = " WHEN NOT coalesce((SELECT bulk FROM audit_context WHERE id = 1), 0)"
            statements.append(
                f"CREATE TRIGGER audit_{table}_{action} AFTER {event} ON {table}{when}"
                f" BEGIN INSERT INTO audit (user, command, tbl, action, cluster_id, year,"
                f" unit_id, old, new) VALUES ({_WHO}, '{table}', '{action}',"
                f" {cluster.replace('r.', scope + '.')}, {year.replace('r.', scope + '.')},"
                f" {unit.replace('r.', scope + '.')}, {values.get('OLD', 'NULL')},"
                f" {values.get('NEW', 'NULL')}); END"
            )
    return statements


# A locked cluster-year (after its conference) refuses changes to its scores, votes, flags,
# policy and membership until it is unlocked with a reason. The triggers are the last guard;
# thidua checks first and names the cluster-year in its message.
_LOCKED = "EXISTS (SELECT 1 FROM cluster_lock WHERE cluster_id = {c} AND year = {y})"
_LOCKED_UNIT = (
    "EXISTS (SELECT 1 FROM cluster_lock l JOIN membership m"
    " ON m.cluster_id = l.cluster_id AND m.year = l.year"
    " WHERE m.unit_id = {u} AND m.year = {y})"
)
_LOCKED_YEAR = "EXISTS (SELECT 1 FROM cluster_lock WHERE year = {y})"


def _lock_triggers() -> list[str]:
    guards = {
        "score": _LOCKED.format(c="r.cluster_id", y="r.year"),
        "vote": _LOCKED.format(c="r.cluster_id", y="r.year"),
        "membership": _LOCKED.format(c="r.cluster_id", y="r.year"),
        "flag": _LOCKED_UNIT.format(u="r.unit_id", y="r.year"),
        "policy": (
            "CASE WHEN r.cluster_id IS NULL THEN " + _LOCKED_YEAR.format(y="r.year")
            + " ELSE " + _LOCKED.format(c="r.cluster_id", y="r.year") + " END"
        ),
    }  # fmt: skip
    statements = []
    for table, guard in guards.items():
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            condition = " OR ".join(guard.replace("r.", f"{row}.") for row in rows)
            statements.append(
                f"CREATE TRIGGER lock_{table}_{event.lower()} BEFORE {event} ON {table}"
                f" WHEN {condition}"
                " BEGIN SELECT RAISE(ABORT, 'thidua: this cluster-year is frozen'); END"
            )
    return statements


_M5_AUDIT_AND_LOCK = [
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        user TEXT NOT NULL,
        command TEXT NOT NULL,
        tbl TEXT NOT NULL,
        action TEXT NOT NULL
            CHECK (action IN ('insert', 'update', 'delete', 'import', 'lock', 'unlock')),
        cluster_id INTEGER,
        year INTEGER,
        unit_id INTEGER,
        old TEXT CHECK (old IS NULL OR json_valid(old)),
        new TEXT CHECK (new IS NULL OR json_valid(new))
    ) STRICT
    """,
    "CREATE INDEX audit_cluster_year ON audit (cluster_id, year)",
    "CREATE INDEX audit_unit ON audit (unit_id)",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    """
    CREATE TABLE audit_context (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        user TEXT NOT NULL,
        command TEXT NOT NULL,
        bulk INTEGER NOT NULL DEFAULT 0 CHECK (bulk IN (0, 1))
    ) STRICT
    """,
    f"""
    CREATE TABLE cluster_lock (
        cluster_id INTEGER NOT NULL REFERENCES cluster(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        locked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (cluster_id, year)
    ) STRICT
    """,
    *_audit_triggers(),
    *_lock_triggers(),
]

MIGRATIONS: list[list[str]] = [
    _M1_FOUNDATION,
    _M2_SCORES,
    _M3_CYCLE,
    _M4_SETTINGS,
    _M5_AUDIT_AND_LOCK,
]
