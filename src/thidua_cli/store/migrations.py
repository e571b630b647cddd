"""The schema, as numbered migrations applied in order on every open.

Append only: a migration that has shipped is never edited; a change is the next migration.
`PRAGMA user_version` holds how many have been applied. Every table is STRICT; the rules the
database can hold by itself (one leader and at most one deputy per cluster-year, a unit in at most
one cluster a year, names unique after folding) are constraints, not just checks in Python.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from thidua_cli.rules.text import fold_key, sort_key

# A step is a statement, or a function for what SQL cannot do by itself (folding Vietnamese text).
Step = str | Callable[[sqlite3.Connection], None]

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


def _audit_triggers(
    audited: dict[str, tuple[tuple[str, ...], str, str, str]], *, events: str = "IUD"
) -> list[str]:
    """Triggers that log every insert, update and delete (of `events`) of the `audited` tables."""
    statements = []
    for table, (columns, cluster, year, unit) in audited.items():
        for action, event, rows in (
            ("insert", "INSERT", ("NEW",)),
            ("update", "UPDATE", ("OLD", "NEW")),
            ("delete", "DELETE", ("OLD",)),
        ):
            if event[0] not in events:
                continue
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
    *_audit_triggers(_AUDITED),
    *_lock_triggers(),
]


# ---------------------------------------------------------------- M6: the ranking as SQL views
#
# The ranking and the award proposals are SQL views, and thidua reads them: Datasette, the sqlite3
# shell and the CLI see one definition of the truth. The Python ranking stated the same rules;
# the tests held the views to it. (M7 drops these views: the rules now live once, in Python.)
#
# SQL cannot fold Vietnamese text, so thidua writes match keys beside the names a tie-break refers
# to: criterion.grp_key (the criteria group) and policy.tie_break_key (the chain with its group
# names folded). The defaults every rule falls back on are a row of their own (policy_default).
# A tie-break chain has at most three steps (policy.MAX_TIE_BREAK_STEPS).


def _m6_chain_key(chain: str) -> str:
    """The stored chain with its group names folded, as M6 wrote it ('votes,group:công tác');
    M7 drops the column again."""
    steps = [step.strip() for step in chain.split(",") if step.strip() not in ("", "none")]
    return (
        ",".join(s if s == "votes" else "group:" + fold_key(s[6:].strip()) for s in steps) or "none"
    )


def _fill_match_keys(conn: sqlite3.Connection) -> None:
    for criterion_id, group in conn.execute("SELECT id, grp FROM criterion").fetchall():
        conn.execute(
            "UPDATE criterion SET grp_key = ? WHERE id = ?", (fold_key(group), criterion_id)
        )
    for policy_id, chain in conn.execute(
        "SELECT id, tie_break FROM policy WHERE tie_break IS NOT NULL"
    ).fetchall():
        conn.execute(
            "UPDATE policy SET tie_break_key = ? WHERE id = ?", (_m6_chain_key(chain), policy_id)
        )


def _split_steps(column: str, prefix: str) -> str:
    """Columns {prefix}1..3 holding the chain's steps (NULL where the chain is shorter).

    The comma-separated text is read as a JSON array: one parse per step, however long the chain.
    """
    quoted = f"replace(replace(replace({column}, '\\', '\\\\'), '\"', '\\\"'), ',', '\",\"')"
    array = f"IIF({column} = 'none', '[]', '[\"' || {quoted} || '\"]')"
    return ", ".join(
        f"json_extract({array}, '$[{number - 1}]') AS {prefix}{number}" for number in (1, 2, 3)
    )


def _source_value(n: int) -> str:
    """The value of the n-th source of the score rule, over one unit's scores of a criterion."""
    peer = "IIF(source = 'peer', points, NULL)"
    return (
        f"CASE m.source{n}"
        f" WHEN 'final' THEN max(IIF(source = 'final', points, NULL))"
        f" WHEN 'peer' THEN (2 * sum({peer}) + count({peer})) / (2 * count({peer}))"
        f" WHEN 'self' THEN max(IIF(source = 'self', points, NULL)) END"
    )


_M6_RANKING_VIEWS: list[Step] = [
    "ALTER TABLE criterion ADD COLUMN grp_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE policy ADD COLUMN tie_break_key TEXT",
    _fill_match_keys,
    """
    CREATE TABLE policy_default (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        merit_percent INTEGER NOT NULL CHECK (merit_percent BETWEEN 0 AND 100),
        flag_quota INTEGER NOT NULL CHECK (flag_quota >= 0),
        tie_break TEXT NOT NULL,
        tie_break_key TEXT NOT NULL,
        score_rule TEXT NOT NULL
    ) STRICT
    """,
    # thidua's defaults as they shipped: 30 % Bằng khen, 1 Cờ, votes, final-peer-self
    "INSERT INTO policy_default VALUES (1, 30, 1, 'votes', 'votes', 'final,peer,self')",
    # Each membership with the rules in force for its cluster-year: the cluster-year's own, else
    # the year's for every cluster, else the defaults; and its criteria set (its own, else the
    # year's). No aggregate here, so that a query for one cluster-year reads only its rows.
    f"""
    CREATE VIEW member_rule AS
    SELECT cluster_id, year, unit_id, role, members, criteria_set_id, score_rule, tie_break,
        tie_break_key, flag_quota,
        CASE
            WHEN own_quota IS NOT NULL THEN own_quota
            WHEN own_percent IS NOT NULL THEN members * own_percent / 100
            WHEN year_quota IS NOT NULL THEN year_quota
            WHEN year_percent IS NOT NULL THEN members * year_percent / 100
            ELSE members * default_percent / 100
        END AS merit_quota,
        {_split_steps("tie_break", "step")}, {_split_steps("tie_break_key", "step_key")},
        {_split_steps("score_rule", "source")}
    FROM (
        SELECT m.cluster_id, m.year, m.unit_id, m.role,
            (SELECT count(*) FROM membership WHERE cluster_id = m.cluster_id AND year = m.year)
                AS members,
            coalesce(
                (SELECT id FROM criteria_set WHERE year = m.year AND cluster_id = m.cluster_id),
                (SELECT id FROM criteria_set WHERE year = m.year AND cluster_id IS NULL)
            ) AS criteria_set_id,
            coalesce(c.score_rule, y.score_rule, d.score_rule) AS score_rule,
            coalesce(c.tie_break, y.tie_break, d.tie_break) AS tie_break,
            coalesce(c.tie_break_key, y.tie_break_key, d.tie_break_key) AS tie_break_key,
            coalesce(c.flag_quota, y.flag_quota, d.flag_quota) AS flag_quota,
            c.merit_quota AS own_quota, c.merit_percent AS own_percent,
            y.merit_quota AS year_quota, y.merit_percent AS year_percent,
            d.merit_percent AS default_percent
        FROM membership m
        JOIN policy_default d ON d.id = 1
        LEFT JOIN policy c ON c.year = m.year AND c.cluster_id = m.cluster_id
        LEFT JOIN policy y ON y.year = m.year AND y.cluster_id IS NULL
    )
    """,
    """
    CREATE VIEW cluster_year_rule AS
    SELECT cluster_id, year, members, criteria_set_id, score_rule, tie_break, flag_quota,
        merit_quota
    FROM member_rule GROUP BY cluster_id, year
    """,
    # Each member's counted value per criterion of its set, period by period: the first source of
    # the score rule that has one; peer scores count as their mean, rounded half up to hundredths.
    # A member without a criteria set has one row with no criterion, so that the ranking lists it.
    # No aggregate at this level (the value is one lookup in the score index), so that SQLite
    # pushes a query's cluster-year down to the indexes (measured: an aggregate here, a window
    # over the scores or a UNION ALL of the periods each made one cluster's ranking read the
    # whole database). The price: the ranking repeats the lookup for each use of `points`.
    f"""
    CREATE VIEW member_score AS
    SELECT m.cluster_id, m.year, p.period, m.unit_id, m.criteria_set_id, m.flag_quota,
        m.merit_quota, m.step1, m.step2, m.step3, m.step_key1, m.step_key2, m.step_key3,
        c.id AS criterion_id, c.kind, c.grp_key,
        (SELECT coalesce({", ".join(_source_value(n) for n in (1, 2, 3))}) FROM score
            WHERE cluster_id = m.cluster_id AND year = m.year AND period = p.period
            AND unit_id = m.unit_id AND criterion_id = c.id) AS points
    FROM member_rule m
    CROSS JOIN (SELECT 'year' AS period UNION ALL SELECT 'half') p
    LEFT JOIN criterion c ON c.set_id = m.criteria_set_id
    """,
    """
    CREATE VIEW counted_score AS
    SELECT cluster_id, year, period, unit_id, criterion_id, points
    FROM member_score WHERE criterion_id IS NOT NULL AND points IS NOT NULL
    """,
    # One row per member, cluster-year and period: totals in hundredths, the tie-break values,
    # the place after the tie-break chain, and (year-end) the award proposed or held by a tie.
    """
    CREATE VIEW ranking AS
    WITH result AS (
        SELECT ms.cluster_id, (SELECT name FROM cluster WHERE id = ms.cluster_id) AS cluster,
            ms.year, ms.period, ms.unit_id, u.name AS unit, u.short_name,
            coalesce(sum(CASE ms.kind WHEN 'base' THEN ms.points END), 0) AS base,
            coalesce(sum(CASE ms.kind WHEN 'bonus' THEN ms.points END), 0) AS bonus,
            coalesce(sum(CASE ms.kind WHEN 'deduction' THEN ms.points END), 0) AS deduction,
            count(ms.points) AS scored,
            (SELECT count(*) FROM criterion WHERE set_id = ms.criteria_set_id AND kind = 'base')
                - count(IIF(ms.kind = 'base', ms.points, NULL)) AS missing,
            v.votes, v.voters,
            (SELECT json_group_array(reason) FROM
                (SELECT reason FROM flag WHERE unit_id = ms.unit_id AND year = ms.year
                ORDER BY id)
            ) AS flags,
            ms.flag_quota, ms.merit_quota, ms.step1, ms.step2, ms.step3,
            CASE WHEN ms.step_key1 = 'votes' THEN v.votes
                ELSE sum(IIF('group:' || ms.grp_key = ms.step_key1, ms.points, NULL)) END
                AS value1,
            CASE WHEN ms.step_key2 = 'votes' THEN v.votes
                ELSE sum(IIF('group:' || ms.grp_key = ms.step_key2, ms.points, NULL)) END
                AS value2,
            CASE WHEN ms.step_key3 = 'votes' THEN v.votes
                ELSE sum(IIF('group:' || ms.grp_key = ms.step_key3, ms.points, NULL)) END
                AS value3
        FROM member_score ms
        JOIN unit u ON u.id = ms.unit_id
        LEFT JOIN vote v ON v.cluster_id = ms.cluster_id AND v.year = ms.year
            AND v.period = ms.period AND v.unit_id = ms.unit_id
        GROUP BY ms.cluster_id, ms.year, ms.period, ms.unit_id
    ),
    -- SQLite pushes a query's cluster-year into a level with window functions only when they
    -- share one PARTITION BY, so each level below has one.
    -- A step orders a group of equal standing only when every unit in it has a value for it.
    level1 AS (
        SELECT *, base + bonus - deduction AS total, count(*) OVER w > 1 AS equal_total,
            CASE WHEN count(value1) OVER w = count(*) OVER w THEN value1 ELSE -1 END AS key1,
            count(value1) OVER w = count(*) OVER w AND min(value1) OVER w < max(value1) OVER w
                AS split1
        FROM result
        WINDOW w AS (PARTITION BY cluster_id, year, period, scored > 0,
            base + bonus - deduction)
    ),
    level2 AS (
        SELECT *,
            CASE WHEN count(value2) OVER w = count(*) OVER w THEN value2 ELSE -1 END AS key2,
            count(value2) OVER w = count(*) OVER w AND min(value2) OVER w < max(value2) OVER w
                AS split2
        FROM level1 WINDOW w AS (PARTITION BY cluster_id, year, period, scored > 0, total, key1)
    ),
    level3 AS (
        SELECT *,
            CASE WHEN count(value3) OVER w = count(*) OVER w THEN value3 ELSE -1 END AS key3,
            count(value3) OVER w = count(*) OVER w AND min(value3) OVER w < max(value3) OVER w
                AS split3
        FROM level2
        WINDOW w AS (PARTITION BY cluster_id, year, period, scored > 0, total, key1, key2)
    ),
    still_tied AS (
        SELECT *, scored > 0 AND count(*) OVER (
            PARTITION BY cluster_id, year, period, scored > 0, total, key1, key2, key3) > 1
            AS tied
        FROM level3
    ),
    placed AS (
        SELECT *,
            CASE WHEN scored > 0 THEN rank() OVER (
                PARTITION BY cluster_id, year, period, scored > 0
                ORDER BY total DESC, key1 DESC, key2 DESC, key3 DESC) END AS rank,
            CASE WHEN split1 THEN step1 WHEN split2 THEN step2 WHEN split3 THEN step3 END
                AS decided_by,
            nullif(trim(replace(coalesce(IIF(split1, step1, NULL), '') || ','
                || coalesce(IIF(split2, step2, NULL), '') || ','
                || coalesce(IIF(split3, step3, NULL), ''), ',,', ','), ','), '')
                AS decided_steps,
            period = 'year' AND scored > 0 AND flags = '[]' AS eligible
        FROM still_tied
    ),
    -- The award slots (flags first, then certificates) go down the places to eligible units;
    -- a place shared by more eligible units than it can give the same award to is a tie to settle.
    before AS (
        SELECT *, CASE WHEN eligible THEN rank() OVER (
            PARTITION BY cluster_id, year, period, eligible ORDER BY rank) - 1 END AS taken
        FROM placed
    ),
    slotted AS (
        SELECT *, CASE WHEN eligible THEN count(*) OVER (
            PARTITION BY cluster_id, year, period, eligible, rank) END AS sharing
        FROM before
    )
    SELECT cluster_id, cluster, year, period, unit_id, unit, short_name, rank, tied, total, base,
        bonus,
        deduction, scored, missing, votes, voters, flags, eligible, equal_total, decided_by,
        decided_steps, flag_quota, merit_quota,
        CASE
            WHEN NOT eligible OR taken >= flag_quota + merit_quota THEN NULL
            WHEN sharing = 1 THEN IIF(taken < flag_quota, 'co_thi_dua', 'bang_khen')
            WHEN taken + sharing <= flag_quota THEN 'co_thi_dua'
            WHEN taken >= flag_quota AND taken + sharing <= flag_quota + merit_quota
                THEN 'bang_khen'
        END AS award,
        CASE
            WHEN NOT eligible OR sharing = 1 OR taken >= flag_quota + merit_quota THEN NULL
            WHEN taken + sharing <= flag_quota THEN NULL
            WHEN taken >= flag_quota AND taken + sharing <= flag_quota + merit_quota THEN NULL
            ELSE nullif(trim(
                IIF(taken < flag_quota, 'co_thi_dua', '') || ','
                || IIF(min(taken + sharing, flag_quota + merit_quota) > flag_quota,
                    'bang_khen', ''), ','), '')
        END AS pending_awards
    FROM slotted
    """,
    # What goes to the province: the year-end proposals and the ties that hold one back.
    """
    CREATE VIEW award_proposal AS
    SELECT r.year, r.cluster_id, r.cluster, r.unit_id, r.unit, r.rank, r.tied, r.total,
        r.award, r.pending_awards, d.decision_no, d.decided_on, d.approved
    FROM ranking r
    LEFT JOIN award_decision d ON d.unit_id = r.unit_id AND d.year = r.year
        AND d.award = coalesce(r.award, '')
    WHERE r.period = 'year' AND (r.award IS NOT NULL OR r.pending_awards IS NOT NULL)
    """,
]

# ---------------------------------------------------------------- M7: the year's record
#
# The rules live once, in Python (thidua_cli/rules/ranking.py): the ranking views go. What a
# cluster submits after its review conference is kept as records that never change: the
# submission (one row per version), its ranked rows and, year-end, the award proposals on them.
# The province's decisions are bound to a proposal of a submission; a revocation is a record of
# its own. A correction is a new version: the earlier one stays, withdrawn, with its reason.
# The quotas are named for the awards they count (co_thi_dua_quota, bang_khen_quota).

# what a submission keeps for good: everything but its status and the reason it was withdrawn
_SUBMISSION_FIXED = (
    "id", "cluster_id", "year", "period", "version", "submitted_on", "number", "members",
    "co_thi_dua_quota", "bang_khen_quota", "tie_break", "score_rule", "origin", "created_at",
)  # fmt: skip
_OF_SUBMISSION = "(SELECT {column} FROM submission WHERE id = r.submission_id)"
_OF_DECISION = (
    "(SELECT {column} FROM decision d JOIN submission s ON s.id = d.submission_id"
    " WHERE d.id = r.decision_id)"
)
_RECORDS_AUDITED = {
    "submission": (
        ("id", "cluster_id", "year", "period", "version", "submitted_on", "number", "status",
         "withdrawn_reason"),
        "r.cluster_id",
        "r.year",
        "NULL",
    ),
    "decision": (
        ("submission_id", "unit_id", "award", "granted", "decision_no", "decided_on"),
        _OF_SUBMISSION.format(column="cluster_id"),
        _OF_SUBMISSION.format(column="year"),
        "r.unit_id",
    ),
}  # fmt: skip
_REVOCATION_AUDITED = {
    "revocation": (
        ("decision_id", "decision_no", "decided_on", "reason"),
        _OF_DECISION.format(column="s.cluster_id"),
        _OF_DECISION.format(column="s.year"),
        _OF_DECISION.format(column="d.unit_id"),
    ),
}
_DATE = "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date({c}) = {c}"
_RECORD = "thidua: a submitted record cannot change"

_M7_TABLES: list[Step] = [
    f"""
    CREATE TABLE submission (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER NOT NULL REFERENCES cluster(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        version INTEGER NOT NULL CHECK (version >= 1),
        submitted_on TEXT NOT NULL CHECK (submitted_on {_DATE.format(c="submitted_on")}),
        number TEXT CHECK (number IS NULL OR (length(trim(number)) > 0 AND number = trim(number))),
        members INTEGER NOT NULL CHECK (members >= 0),
        co_thi_dua_quota INTEGER NOT NULL CHECK (co_thi_dua_quota >= 0),
        bang_khen_quota INTEGER NOT NULL CHECK (bang_khen_quota >= 0),
        tie_break TEXT NOT NULL CHECK (length(tie_break) > 0),
        score_rule TEXT NOT NULL CHECK (length(score_rule) > 0),
        status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'withdrawn')),
        withdrawn_reason TEXT
            CHECK (withdrawn_reason IS NULL OR length(trim(withdrawn_reason)) > 0),
        withdrawn_at TEXT,
        origin TEXT NOT NULL DEFAULT 'submit' CHECK (origin IN ('submit', 'migration')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        CHECK ((status = 'withdrawn') = (withdrawn_reason IS NOT NULL)),
        CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
        UNIQUE (cluster_id, year, period, version)
    ) STRICT
    """,
    # at most one standing (not withdrawn) version of a cluster-year's review
    "CREATE UNIQUE INDEX submission_standing ON submission (cluster_id, year, period)"
    " WHERE status = 'submitted'",
    "CREATE INDEX submission_year ON submission (year, period)",
    """
    CREATE TABLE submission_row (
        submission_id INTEGER NOT NULL REFERENCES submission(id),
        unit_id INTEGER NOT NULL REFERENCES unit(id),
        position INTEGER NOT NULL CHECK (position >= 1),
        rank INTEGER CHECK (rank IS NULL OR rank >= 1),
        tied INTEGER NOT NULL CHECK (tied IN (0, 1)),
        base INTEGER NOT NULL CHECK (base >= 0),
        bonus INTEGER NOT NULL CHECK (bonus >= 0),
        deduction INTEGER NOT NULL CHECK (deduction >= 0),
        total INTEGER NOT NULL,
        scored INTEGER NOT NULL CHECK (scored >= 0),
        missing INTEGER NOT NULL,
        votes INTEGER CHECK (votes IS NULL OR votes >= 0),
        voters INTEGER CHECK (voters IS NULL OR voters >= votes),
        flags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags) AND json_type(flags) = 'array'),
        eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
        decided_by TEXT NOT NULL DEFAULT '[]'
            CHECK (json_valid(decided_by) AND json_type(decided_by) = 'array'),
        award TEXT CHECK (award IS NULL OR award IN ('co_thi_dua', 'bang_khen')),
        pending_awards TEXT NOT NULL DEFAULT '[]'
            CHECK (json_valid(pending_awards) AND json_type(pending_awards) = 'array'),
        CHECK (total = base + bonus - deduction),
        CHECK ((rank IS NULL) = (scored = 0)),
        CHECK (award IS NULL OR eligible = 1),
        PRIMARY KEY (submission_id, unit_id),
        UNIQUE (submission_id, position)
    ) STRICT
    """,
    f"""
    CREATE TABLE decision (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL,
        unit_id INTEGER NOT NULL,
        award TEXT NOT NULL CHECK (award IN ('co_thi_dua', 'bang_khen')),
        granted TEXT CHECK (granted IS NULL OR granted IN ('co_thi_dua', 'bang_khen')),
        decision_no TEXT
            CHECK (decision_no IS NULL OR (length(trim(decision_no)) > 0
                AND decision_no = trim(decision_no))),
        decided_on TEXT NOT NULL CHECK (decided_on {_DATE.format(c="decided_on")}),
        recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        CHECK (granted IS NULL OR decision_no IS NOT NULL),
        UNIQUE (submission_id, unit_id, award),
        FOREIGN KEY (submission_id, unit_id) REFERENCES submission_row (submission_id, unit_id)
    ) STRICT
    """,
    "CREATE INDEX decision_unit ON decision (unit_id)",
    f"""
    CREATE TABLE revocation (
        decision_id INTEGER PRIMARY KEY REFERENCES decision(id),
        decision_no TEXT NOT NULL
            CHECK (length(trim(decision_no)) > 0 AND decision_no = trim(decision_no)),
        decided_on TEXT NOT NULL CHECK (decided_on {_DATE.format(c="decided_on")}),
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ) STRICT
    """,
    # The records never change; a submission only goes from submitted to withdrawn, and not while
    # a decision granted on it stands; a standing year-end submission keeps its cluster-year locked.
    f"CREATE TRIGGER submission_row_fixed BEFORE UPDATE ON submission_row"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    f"CREATE TRIGGER submission_row_kept BEFORE DELETE ON submission_row"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    "CREATE TRIGGER submission_row_half_year BEFORE INSERT ON submission_row"
    " WHEN NEW.award IS NOT NULL"
    " AND (SELECT period FROM submission WHERE id = NEW.submission_id) IS NOT 'year'"
    " BEGIN SELECT RAISE(ABORT, 'thidua: a half-year review proposes no award'); END",
    f"CREATE TRIGGER submission_kept BEFORE DELETE ON submission"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    "CREATE TRIGGER submission_fixed BEFORE UPDATE ON submission"
    " WHEN OLD.status <> 'submitted' OR NEW.status <> 'withdrawn'"
    + "".join(f" OR NEW.{c} IS NOT OLD.{c}" for c in _SUBMISSION_FIXED)
    + f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    "CREATE TRIGGER submission_granted_stand BEFORE UPDATE OF status ON submission"
    " WHEN NEW.status = 'withdrawn' AND EXISTS (SELECT 1 FROM decision d"
    " WHERE d.submission_id = OLD.id AND d.granted IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.decision_id = d.id))"
    " BEGIN SELECT RAISE(ABORT, 'thidua: decisions granted on this submission stand'); END",
    "CREATE TRIGGER submission_keeps_lock BEFORE DELETE ON cluster_lock"
    " WHEN EXISTS (SELECT 1 FROM submission WHERE cluster_id = OLD.cluster_id"
    " AND year = OLD.year AND period = 'year' AND status = 'submitted')"
    " BEGIN SELECT RAISE(ABORT, 'thidua: a submitted cluster-year stays locked'); END",
    "CREATE TRIGGER decision_on_standing BEFORE INSERT ON decision"
    " WHEN (SELECT status || '/' || period FROM submission WHERE id = NEW.submission_id)"
    " IS NOT 'submitted/year'"
    " BEGIN SELECT RAISE(ABORT, 'thidua: a decision needs a standing year-end submission'); END",
    f"CREATE TRIGGER decision_fixed BEFORE UPDATE ON decision"
    f" WHEN NEW.id IS NOT OLD.id OR NEW.submission_id IS NOT OLD.submission_id"
    f" OR NEW.unit_id IS NOT OLD.unit_id OR NEW.award IS NOT OLD.award"
    f" OR EXISTS (SELECT 1 FROM revocation WHERE decision_id = OLD.id)"
    f" OR (SELECT status FROM submission WHERE id = OLD.submission_id) IS NOT 'submitted'"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    f"CREATE TRIGGER decision_kept BEFORE DELETE ON decision"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    "CREATE TRIGGER revocation_of_granted BEFORE INSERT ON revocation"
    " WHEN (SELECT granted FROM decision WHERE id = NEW.decision_id) IS NULL"
    " BEGIN SELECT RAISE(ABORT, 'thidua: only a granted award can be revoked'); END",
    f"CREATE TRIGGER revocation_fixed BEFORE UPDATE ON revocation"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    f"CREATE TRIGGER revocation_kept BEFORE DELETE ON revocation"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    *_audit_triggers(_RECORDS_AUDITED, events="IU"),
    *_audit_triggers(_REVOCATION_AUDITED, events="I"),
]

MIGRATION_7_COMMAND = (
    "thidua: migration 7 (the ranking as it stood, submitted as version 1 for the decisions"
    " recorded before)"
)


def _submit_decided_years(conn: sqlite3.Connection) -> None:
    """A cluster-year with decisions recorded before M7 gets a submission (version 1, origin
    'migration') made from its ranking as it stands, read from the ranking view one last time;
    its decisions move onto that submission's proposals, and the cluster-year is locked. The
    audit log names this migration as the command that wrote them."""
    decided = conn.execute(
        "SELECT DISTINCT m.cluster_id, d.year FROM award_decision d JOIN membership m"
        " ON m.year = d.year AND m.unit_id = d.unit_id ORDER BY d.year, m.cluster_id"
    ).fetchall()
    if not decided:
        return
    from thidua_cli.store.audit import current_user  # the same room; loaded only when needed

    conn.execute(
        "INSERT INTO audit_context (id, user, command, bulk) VALUES (1, ?, ?, 0)"
        " ON CONFLICT (id) DO UPDATE SET user = excluded.user, command = excluded.command",
        (current_user(), MIGRATION_7_COMMAND),
    )
    for cluster_id, year in decided:
        members, co_thi_dua, bang_khen, chain, rule = conn.execute(
            "SELECT members, flag_quota, merit_quota, tie_break, score_rule FROM member_rule"
            " WHERE cluster_id = ? AND year = ? LIMIT 1",
            (cluster_id, year),
        ).fetchone()
        held = conn.execute(
            "SELECT held_on FROM conference WHERE cluster_id = ? AND year = ? AND period = 'year'",
            (cluster_id, year),
        ).fetchone()
        submission_id = conn.execute(
            "INSERT INTO submission (cluster_id, year, period, version, submitted_on, members,"
            " co_thi_dua_quota, bang_khen_quota, tie_break, score_rule, origin)"
            " VALUES (?, ?, 'year', 1, coalesce(?, date('now')), ?, ?, ?, ?, ?, 'migration')",
            (cluster_id, year, held[0] if held else None, members, co_thi_dua, bang_khen,
             chain, rule),
        ).lastrowid  # fmt: skip
        rows = conn.execute(
            "SELECT unit_id, unit, rank, tied, base, bonus, deduction, scored, missing, votes,"
            " voters, flags, eligible, decided_steps, award, pending_awards FROM ranking"
            " WHERE cluster_id = ? AND year = ? AND period = 'year'",
            (cluster_id, year),
        ).fetchall()
        rows.sort(key=lambda r: (r[2] is None, r[2] or 0, sort_key(r[1])))
        conn.executemany(
            "INSERT INTO submission_row (submission_id, unit_id, position, rank, tied, base,"
            " bonus, deduction, total, scored, missing, votes, voters, flags, eligible,"
            " decided_by, award, pending_awards)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (submission_id, r[0], position, r[2], int(bool(r[3])), r[4], r[5], r[6],
                 r[4] + r[5] - r[6], r[7], r[8], r[9], r[10], r[11], int(bool(r[12])),
                 json.dumps(r[13].split(",") if r[13] else [], ensure_ascii=False), r[14],
                 json.dumps(r[15].split(",") if r[15] else []))
                for position, r in enumerate(rows, start=1)
            ],
        )  # fmt: skip
        conn.execute(
            "INSERT INTO decision (submission_id, unit_id, award, granted, decision_no,"
            " decided_on) SELECT ?, d.unit_id, d.award, IIF(d.approved, d.award, NULL),"
            " d.decision_no, d.decided_on FROM award_decision d JOIN membership m"
            " ON m.year = d.year AND m.unit_id = d.unit_id WHERE m.cluster_id = ? AND d.year = ?"
            " ORDER BY d.decided_on, d.unit_id, d.award",
            (submission_id, cluster_id, year),
        )
        locked = conn.execute(
            "INSERT INTO cluster_lock (cluster_id, year) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (cluster_id, year),
        ).rowcount
        if locked:
            conn.execute(
                "INSERT INTO audit (user, command, tbl, action, cluster_id, year)"
                " VALUES (?, ?, 'cluster_lock', 'lock', ?, ?)",
                (current_user(), MIGRATION_7_COMMAND, cluster_id, year),
            )
    conn.execute("DELETE FROM audit_context")


# The records as Datasette and the sqlite3 shell read them: names beside ids, points as decimals.
# They present what was submitted and decided; nothing here ranks or proposes.
_M7_RECORD_VIEWS = [
    """
    CREATE VIEW submitted_ranking AS
    SELECT s.id AS submission_id, s.cluster_id, c.name AS cluster, s.year, s.period, s.version,
        s.status, s.submitted_on, r.position, r.rank, r.tied, r.unit_id, u.name AS unit,
        r.base / 100.0 AS base, r.bonus / 100.0 AS bonus, r.deduction / 100.0 AS deduction,
        r.total / 100.0 AS total, r.votes, r.voters, r.flags, r.eligible, r.decided_by, r.award
    FROM submission_row r
    JOIN submission s ON s.id = r.submission_id
    JOIN cluster c ON c.id = s.cluster_id
    JOIN unit u ON u.id = r.unit_id
    """,
    """
    CREATE VIEW submitted_proposal AS
    SELECT s.year, s.cluster_id, c.name AS cluster, s.version, s.status, s.submitted_on,
        r.unit_id, u.name AS unit, r.rank, r.total / 100.0 AS total, r.award,
        d.granted, d.decision_no, d.decided_on,
        v.decision_no AS revoked_by, v.decided_on AS revoked_on, v.reason AS revoked_reason
    FROM submission_row r
    JOIN submission s ON s.id = r.submission_id
    JOIN cluster c ON c.id = s.cluster_id
    JOIN unit u ON u.id = r.unit_id
    LEFT JOIN decision d ON d.submission_id = r.submission_id AND d.unit_id = r.unit_id
        AND d.award = r.award
    LEFT JOIN revocation v ON v.decision_id = d.id
    WHERE r.award IS NOT NULL
    """,
    """
    CREATE VIEW decision_record AS
    SELECT s.year, s.cluster_id, c.name AS cluster, s.version, s.status AS submission_status,
        d.unit_id, u.name AS unit, d.award, d.granted, d.decision_no, d.decided_on,
        v.decision_no AS revoked_by, v.decided_on AS revoked_on, v.reason AS revoked_reason
    FROM decision d
    JOIN submission s ON s.id = d.submission_id
    JOIN cluster c ON c.id = s.cluster_id
    JOIN unit u ON u.id = d.unit_id
    LEFT JOIN revocation v ON v.decision_id = d.id
    """,
]

_POLICY_AUDIT = {
    "policy": (
        ("year", "cluster_id", "bang_khen_quota", "bang_khen_percent", "co_thi_dua_quota",
         "tie_break", "score_rule"),
        "r.cluster_id",
        "r.year",
        "NULL",
    ),
}  # fmt: skip

_M7_RECORDS: list[Step] = [
    *_M7_TABLES,
    _submit_decided_years,
    "DROP VIEW award_proposal",
    "DROP VIEW ranking",
    "DROP VIEW counted_score",
    "DROP VIEW member_score",
    "DROP VIEW cluster_year_rule",
    "DROP VIEW member_rule",
    "DROP TABLE award_decision",
    "ALTER TABLE criterion DROP COLUMN grp_key",
    "DROP TRIGGER audit_policy_insert",
    "DROP TRIGGER audit_policy_update",
    "DROP TRIGGER audit_policy_delete",
    "ALTER TABLE policy RENAME COLUMN merit_quota TO bang_khen_quota",
    "ALTER TABLE policy RENAME COLUMN merit_percent TO bang_khen_percent",
    "ALTER TABLE policy RENAME COLUMN flag_quota TO co_thi_dua_quota",
    "ALTER TABLE policy DROP COLUMN tie_break_key",
    *_audit_triggers(_POLICY_AUDIT),
    "ALTER TABLE policy_default RENAME COLUMN merit_percent TO bang_khen_percent",
    "ALTER TABLE policy_default RENAME COLUMN flag_quota TO co_thi_dua_quota",
    "ALTER TABLE policy_default DROP COLUMN tie_break_key",
    *_M7_RECORD_VIEWS,
]


# Migration 8: the record views name the submission and the decision by id (Datasette links the
# rows to them) and show a submission's number and origin, a row's scored and missing criteria and
# its pending awards.
_M8_RECORD_VIEWS = [
    """
    CREATE VIEW submitted_ranking AS
    SELECT s.id AS submission_id, s.cluster_id, c.name AS cluster, s.year, s.period, s.version,
        s.status, s.submitted_on, s.number, s.origin, r.position, r.rank, r.tied, r.unit_id,
        u.name AS unit, r.base / 100.0 AS base, r.bonus / 100.0 AS bonus,
        r.deduction / 100.0 AS deduction, r.total / 100.0 AS total, r.scored, r.missing,
        r.votes, r.voters, r.flags, r.eligible, r.decided_by, r.award, r.pending_awards
    FROM submission_row r
    JOIN submission s ON s.id = r.submission_id
    JOIN cluster c ON c.id = s.cluster_id
    JOIN unit u ON u.id = r.unit_id
    """,
    """
    CREATE VIEW submitted_proposal AS
    SELECT s.year, s.cluster_id, c.name AS cluster, r.submission_id, s.version, s.status,
        s.submitted_on, r.unit_id, u.name AS unit, r.rank, r.total / 100.0 AS total, r.award,
        d.id AS decision_id, d.granted, d.decision_no, d.decided_on,
        v.decision_no AS revoked_by, v.decided_on AS revoked_on, v.reason AS revoked_reason
    FROM submission_row r
    JOIN submission s ON s.id = r.submission_id
    JOIN cluster c ON c.id = s.cluster_id
    JOIN unit u ON u.id = r.unit_id
    LEFT JOIN decision d ON d.submission_id = r.submission_id AND d.unit_id = r.unit_id
        AND d.award = r.award
    LEFT JOIN revocation v ON v.decision_id = d.id
    WHERE r.award IS NOT NULL
    """,
    """
    CREATE VIEW decision_record AS
    SELECT d.id AS decision_id, s.year, s.cluster_id, c.name AS cluster, d.submission_id,
        s.version, s.status AS submission_status, d.unit_id, u.name AS unit, d.award, d.granted,
        d.decision_no, d.decided_on,
        v.decision_no AS revoked_by, v.decided_on AS revoked_on, v.reason AS revoked_reason
    FROM decision d
    JOIN submission s ON s.id = d.submission_id
    JOIN cluster c ON c.id = s.cluster_id
    JOIN unit u ON u.id = d.unit_id
    LEFT JOIN revocation v ON v.decision_id = d.id
    """,
]

_M8_RECORD_VIEWS_IDS: list[Step] = [
    "DROP VIEW decision_record",
    "DROP VIEW submitted_proposal",
    "DROP VIEW submitted_ranking",
    *_M8_RECORD_VIEWS,
]

# ---------------------------------------------------------------- M9: the ballot and the rating
#
# The review's ballot counts the ballots issued beside the valid ones; a unit's rating of the year
# (xếp loại) has a table of its own; the rules of a year gain the vote threshold, the minimum
# rating per award, and a floor and a cap on the Bằng khen quota (NULL: inherit; the defaults in
# policy_default). A submission keeps the threshold and the ratings it was ranked under, and
# each of its rows the ballot, the rating and the awards they kept from the unit.

_RATINGS_SQL = "('htxsnv', 'httnv', 'htnv', 'khtnv')"
_GATES_SQL = "('co_thi_dua', 'bang_khen', 'co_thi_dua,bang_khen')"
_M9_POLICY_COLUMNS = (
    "vote_threshold INTEGER CHECK (vote_threshold IS NULL OR vote_threshold BETWEEN 0 AND 100)",
    "vote_threshold_rule TEXT"
    " CHECK (vote_threshold_rule IS NULL OR vote_threshold_rule IN ('at-least', 'more-than'))",
    f"vote_gates TEXT CHECK (vote_gates IS NULL OR vote_gates IN {_GATES_SQL})",
    f"min_rating_co_thi_dua TEXT CHECK (min_rating_co_thi_dua IS NULL"
    f" OR min_rating_co_thi_dua IN {_RATINGS_SQL[:-1]}, 'none'))",
    f"min_rating_bang_khen TEXT CHECK (min_rating_bang_khen IS NULL"
    f" OR min_rating_bang_khen IN {_RATINGS_SQL[:-1]}, 'none'))",
    "bang_khen_min INTEGER CHECK (bang_khen_min IS NULL OR bang_khen_min >= 0)",
    "bang_khen_max INTEGER CHECK (bang_khen_max IS NULL OR bang_khen_max >= 0)",
)
_M9_POLICY_AUDIT = {
    "policy": (
        ("year", "cluster_id", "bang_khen_quota", "bang_khen_percent", "co_thi_dua_quota",
         "tie_break", "score_rule", "vote_threshold", "vote_threshold_rule", "vote_gates",
         "min_rating_co_thi_dua", "min_rating_bang_khen", "bang_khen_min", "bang_khen_max"),
        "r.cluster_id",
        "r.year",
        "NULL",
    ),
}  # fmt: skip
_M9_AUDITED = {
    "vote": (
        ("cluster_id", "year", "period", "unit_id", "votes", "voters", "issued"),
        "r.cluster_id",
        "r.year",
        "r.unit_id",
    ),
    "rating": (("unit_id", "year", "rating"), "NULL", "r.year", "r.unit_id"),
}
_M9_SUBMISSION_RULES = (
    "vote_threshold INTEGER CHECK (vote_threshold IS NULL OR vote_threshold BETWEEN 1 AND 100)",
    "vote_threshold_rule TEXT NOT NULL DEFAULT 'at-least'"
    " CHECK (vote_threshold_rule IN ('at-least', 'more-than'))",
    f"vote_gates TEXT NOT NULL DEFAULT 'co_thi_dua' CHECK (vote_gates IN {_GATES_SQL})",
    f"min_rating_co_thi_dua TEXT"
    f" CHECK (min_rating_co_thi_dua IS NULL OR min_rating_co_thi_dua IN {_RATINGS_SQL})",
    f"min_rating_bang_khen TEXT"
    f" CHECK (min_rating_bang_khen IS NULL OR min_rating_bang_khen IN {_RATINGS_SQL})",
)
_M9_SUBMISSION_FIXED = (
    *_SUBMISSION_FIXED, "vote_threshold", "vote_threshold_rule", "vote_gates",
    "min_rating_co_thi_dua", "min_rating_bang_khen",
)  # fmt: skip

_M9_BALLOT_AND_RATING: list[Step] = [
    "ALTER TABLE vote ADD COLUMN issued INTEGER"
    " CHECK (issued IS NULL OR (voters IS NOT NULL AND issued >= voters))",
    *(f"DROP TRIGGER audit_vote_{action}" for action in ("insert", "update", "delete")),
    *(f"DROP TRIGGER audit_policy_{action}" for action in ("insert", "update", "delete")),
    *(f"ALTER TABLE policy ADD COLUMN {column}" for column in _M9_POLICY_COLUMNS),
    *_audit_triggers(_M9_POLICY_AUDIT),
    *(f"ALTER TABLE policy_default ADD COLUMN {column}" for column in _M9_POLICY_COLUMNS),
    f"""
    CREATE TABLE rating (
        unit_id INTEGER NOT NULL REFERENCES unit(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        rating TEXT NOT NULL CHECK (rating IN {_RATINGS_SQL}),
        PRIMARY KEY (unit_id, year)
    ) STRICT
    """,
    *_audit_triggers(_M9_AUDITED),
    *(
        f"CREATE TRIGGER lock_rating_{event.lower()} BEFORE {event} ON rating WHEN "
        + " OR ".join(_LOCKED_UNIT.format(u=f"{row}.unit_id", y=f"{row}.year") for row in rows)
        + " BEGIN SELECT RAISE(ABORT, 'thidua: this cluster-year is frozen'); END"
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))
    ),
    *(f"ALTER TABLE submission ADD COLUMN {column}" for column in _M9_SUBMISSION_RULES),
    "DROP TRIGGER submission_fixed",
    "CREATE TRIGGER submission_fixed BEFORE UPDATE ON submission"
    " WHEN OLD.status <> 'submitted' OR NEW.status <> 'withdrawn'"
    + "".join(f" OR NEW.{c} IS NOT OLD.{c}" for c in _M9_SUBMISSION_FIXED)
    + f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    "ALTER TABLE submission_row ADD COLUMN issued INTEGER"
    " CHECK (issued IS NULL OR (voters IS NOT NULL AND issued >= voters))",
    f"ALTER TABLE submission_row ADD COLUMN rating TEXT"
    f" CHECK (rating IS NULL OR rating IN {_RATINGS_SQL})",
    # award -> why the unit may not hold it: votes (below the threshold) or rating
    "ALTER TABLE submission_row ADD COLUMN barred TEXT NOT NULL DEFAULT '{}'"
    " CHECK (json_valid(barred) AND json_type(barred) = 'object')",
    "CREATE TRIGGER submission_row_not_barred BEFORE INSERT ON submission_row"
    " WHEN NEW.award IS NOT NULL AND json_extract(NEW.barred, '$.' || NEW.award) IS NOT NULL"
    " BEGIN SELECT RAISE(ABORT, 'thidua: an award its ballot or rating bars'); END",
    "DROP VIEW submitted_ranking",
    """
    CREATE VIEW submitted_ranking AS
    SELECT s.id AS submission_id, s.cluster_id, c.name AS cluster, s.year, s.period, s.version,
        s.status, s.submitted_on, s.number, s.origin, r.position, r.rank, r.tied, r.unit_id,
        u.name AS unit, r.base / 100.0 AS base, r.bonus / 100.0 AS bonus,
        r.deduction / 100.0 AS deduction, r.total / 100.0 AS total, r.scored, r.missing,
        r.votes, r.voters, r.issued,
        IIF(r.voters > 0, round(100.0 * r.votes / r.voters, 2), NULL) AS vote_share,
        r.rating, r.flags, r.barred, r.eligible, r.decided_by, r.award, r.pending_awards
    FROM submission_row r
    JOIN submission s ON s.id = r.submission_id
    JOIN cluster c ON c.id = s.cluster_id
    JOIN unit u ON u.id = r.unit_id
    """,
]

# ---------------------------------------------------------------- M10: the Board's stage
#
# After a cluster submits, the provincial Board (Ban Thi đua - Khen thưởng) receives its file or
# returns it with a reason (a returned file is withdrawn, the reason kept), and the Council
# (Hội đồng Thi đua - Khen thưởng tỉnh) votes on each proposal of a received file. The share the
# Council must reach is a rule of the year (default: more than half of its members).

_M10_COUNCIL_POLICY = (
    "council_threshold INTEGER"
    " CHECK (council_threshold IS NULL OR council_threshold BETWEEN 1 AND 100)",
    "council_threshold_rule TEXT CHECK (council_threshold_rule IS NULL"
    " OR council_threshold_rule IN ('at-least', 'more-than'))",
)
_M10_POLICY_AUDIT = {
    "policy": (
        (*_M9_POLICY_AUDIT["policy"][0], "council_threshold", "council_threshold_rule"),
        "r.cluster_id",
        "r.year",
        "NULL",
    ),
}
_M10_AUDITED = {
    "review": (
        ("submission_id", "action", "reviewed_on", "reason"),
        _OF_SUBMISSION.format(column="cluster_id"),
        _OF_SUBMISSION.format(column="year"),
        "NULL",
    ),
    "council_vote": (
        ("submission_id", "unit_id", "award", "agree", "members", "voted_on"),
        _OF_SUBMISSION.format(column="cluster_id"),
        _OF_SUBMISSION.format(column="year"),
        "r.unit_id",
    ),
}

_M10_BOARD: list[Step] = [
    *(f"DROP TRIGGER audit_policy_{action}" for action in ("insert", "update", "delete")),
    *(f"ALTER TABLE policy ADD COLUMN {column}" for column in _M10_COUNCIL_POLICY),
    *(f"ALTER TABLE policy_default ADD COLUMN {column}" for column in _M10_COUNCIL_POLICY),
    *_audit_triggers(_M10_POLICY_AUDIT),
    f"""
    CREATE TABLE review (
        submission_id INTEGER PRIMARY KEY REFERENCES submission(id),
        action TEXT NOT NULL CHECK (action IN ('accept', 'return')),
        reviewed_on TEXT NOT NULL CHECK (reviewed_on {_DATE.format(c="reviewed_on")}),
        reason TEXT CHECK (reason IS NULL OR length(trim(reason)) > 0),
        recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        CHECK ((action = 'return') = (reason IS NOT NULL))
    ) STRICT
    """,
    f"""
    CREATE TABLE council_vote (
        submission_id INTEGER NOT NULL,
        unit_id INTEGER NOT NULL,
        award TEXT NOT NULL CHECK (award IN ('co_thi_dua', 'bang_khen')),
        agree INTEGER NOT NULL CHECK (agree >= 0),
        members INTEGER NOT NULL CHECK (members >= 1 AND members >= agree),
        voted_on TEXT CHECK (voted_on IS NULL OR voted_on {_DATE.format(c="voted_on")}),
        PRIMARY KEY (submission_id, unit_id, award),
        FOREIGN KEY (submission_id, unit_id) REFERENCES submission_row (submission_id, unit_id)
    ) STRICT
    """,
    # a review is a record: it never changes, and only a standing file is reviewed
    f"CREATE TRIGGER review_fixed BEFORE UPDATE ON review"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    f"CREATE TRIGGER review_kept BEFORE DELETE ON review"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    "CREATE TRIGGER review_of_standing BEFORE INSERT ON review"
    " WHEN (SELECT status || '/' || period FROM submission WHERE id = NEW.submission_id)"
    " IS NOT 'submitted/year'"
    " BEGIN SELECT RAISE(ABORT, 'thidua: only a standing year-end submission is reviewed'); END",
    # the Council votes on a proposal of a file the Board received
    "CREATE TRIGGER council_vote_on_received BEFORE INSERT ON council_vote"
    " WHEN (SELECT action FROM review WHERE submission_id = NEW.submission_id) IS NOT 'accept'"
    " OR (SELECT award FROM submission_row WHERE submission_id = NEW.submission_id"
    " AND unit_id = NEW.unit_id) IS NOT NEW.award"
    " BEGIN SELECT RAISE(ABORT, 'thidua: the Council votes on a proposal the Board received');"
    " END",
    "CREATE TRIGGER council_vote_before_decision BEFORE UPDATE ON council_vote"
    " WHEN EXISTS (SELECT 1 FROM decision WHERE submission_id = OLD.submission_id"
    " AND unit_id = OLD.unit_id AND award = OLD.award)"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    f"CREATE TRIGGER council_vote_kept BEFORE DELETE ON council_vote"
    f" BEGIN SELECT RAISE(ABORT, '{_RECORD}'); END",
    *_audit_triggers(_M10_AUDITED),
]

# ---------------------------------------------------------------- M11: the central level's awards
#
# The Government's flag and the Prime Minister's certificate are decided above the province;
# thidua keeps those decisions as records of their own (they rest on no cluster's submission).

_M11_CENTRAL: list[Step] = [
    f"""
    CREATE TABLE central_decision (
        id INTEGER PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES unit(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        award TEXT NOT NULL CHECK (award IN ('co_chinh_phu', 'bang_khen_thu_tuong')),
        decision_no TEXT NOT NULL
            CHECK (length(trim(decision_no)) > 0 AND decision_no = trim(decision_no)),
        decided_on TEXT NOT NULL CHECK (decided_on {_DATE.format(c="decided_on")}),
        recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE (unit_id, year, award)
    ) STRICT
    """,
    *_audit_triggers(
        {
            "central_decision": (
                ("unit_id", "year", "award", "decision_no", "decided_on"),
                "NULL",
                "r.year",
                "r.unit_id",
            )
        }
    ),
]

# ---------------------------------------------------------------- M12: the chair, the minutes
#
# The minutes name the unit and the person who chaired the conference (the leader's unit unless
# the record says otherwise: the deputy chaired in 2017), the person who kept the minutes, the
# member units present and the guests (the Board's representatives). A chairing or present unit
# is a member of that cluster-year.

_M12_PEOPLE = (
    "chair_unit_id INTEGER REFERENCES unit(id)",
    "chair_name TEXT CHECK (chair_name IS NULL"
    " OR (length(trim(chair_name)) > 0 AND chair_name = trim(chair_name)))",
    "secretary TEXT CHECK (secretary IS NULL"
    " OR (length(trim(secretary)) > 0 AND secretary = trim(secretary)))",
)
_M12_AUDITED = {
    "conference": (
        (
            "cluster_id",
            "year",
            "period",
            "held_on",
            "place",
            "chair_unit_id",
            "chair_name",
            "secretary",
        ),
        "r.cluster_id",
        "r.year",
        "NULL",
    ),
    "conference_attendance": (
        ("cluster_id", "year", "period", "unit_id"),
        "r.cluster_id",
        "r.year",
        "r.unit_id",
    ),
    "conference_guest": (
        ("cluster_id", "year", "period", "position", "name"),
        "r.cluster_id",
        "r.year",
        "NULL",
    ),
}
_M12_CHAIR_MEMBER = (
    "NEW.chair_unit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM membership"
    " WHERE cluster_id = NEW.cluster_id AND year = NEW.year AND unit_id = NEW.chair_unit_id)"
)

_M12_SETTING_KEYS = ", ".join(
    f"'{key}'"
    for key in (
        "province", "board", "board_superior", "legal_bases", "board_signer",
        "board_signer_title", "board_sign_for",
    )
)  # fmt: skip

_M12_CONFERENCE_PEOPLE: list[Step] = [
    *(f"DROP TRIGGER audit_conference_{action}" for action in ("insert", "update", "delete")),
    *(f"ALTER TABLE conference ADD COLUMN {column}" for column in _M12_PEOPLE),
    f"""
    CREATE TABLE conference_attendance (
        cluster_id INTEGER NOT NULL,
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        unit_id INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, year, period, unit_id),
        FOREIGN KEY (cluster_id, year, period) REFERENCES conference (cluster_id, year, period),
        FOREIGN KEY (cluster_id, year, unit_id)
            REFERENCES membership (cluster_id, year, unit_id)
    ) STRICT
    """,
    # the guests: the Board's and the Council's representatives, named as the minutes name them
    f"""
    CREATE TABLE conference_guest (
        cluster_id INTEGER NOT NULL,
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        position INTEGER NOT NULL CHECK (position >= 1),
        name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND name = trim(name)),
        PRIMARY KEY (cluster_id, year, period, position),
        FOREIGN KEY (cluster_id, year, period) REFERENCES conference (cluster_id, year, period)
    ) STRICT
    """,
    *(
        f"CREATE TRIGGER conference_chair_member_{event.lower()} BEFORE {event} ON conference"
        f" WHEN {_M12_CHAIR_MEMBER}"
        " BEGIN SELECT RAISE(ABORT, 'thidua: the chair is a member of the cluster-year'); END"
        for event in ("INSERT", "UPDATE")
    ),
    # a unit named as the chair cannot leave the cluster-year under it
    "CREATE TRIGGER conference_chair_stays BEFORE DELETE ON membership"
    " WHEN EXISTS (SELECT 1 FROM conference WHERE cluster_id = OLD.cluster_id"
    " AND year = OLD.year AND chair_unit_id = OLD.unit_id)"
    " BEGIN SELECT RAISE(ABORT, 'thidua: the chair is a member of the cluster-year'); END",
    *_audit_triggers(_M12_AUDITED),
    # the settings the papers print gain the legal bases and the Board's signer
    *(f"DROP TRIGGER audit_setting_{action}" for action in ("insert", "update", "delete")),
    f"""
    CREATE TABLE setting_next (
        key TEXT PRIMARY KEY CHECK (key IN ({_M12_SETTING_KEYS})),
        value TEXT NOT NULL CHECK (length(trim(value)) > 0 AND value = trim(value))
    ) STRICT
    """,
    "INSERT INTO setting_next (key, value) SELECT key, value FROM setting",
    "DROP TABLE setting",
    "ALTER TABLE setting_next RENAME TO setting",
    *_audit_triggers({"setting": (("key", "value"), "NULL", "NULL", "NULL")}),
]

# ---------------------------------------------------------------- M13: sheets, signers, facts
#
# - A score keeps the evidence its unit or scorer wrote beside it (giải trình / minh chứng).
# - A cluster-year's papers are signed by a named person: for the cluster (TM., the leader's
#   head) or on behalf of the leader (KT., the deputy's head).
# - The document symbols of a Cụm and of a Khối are settings (CTĐ, KTĐ by default).
# - What an article reports (a placing, an award proposed) is kept as a reported fact, apart
#   from what thidua computes; a cluster-year whose scores are made up says so.

_M13_SETTING_KEYS = ", ".join(
    f"'{key}'"
    for key in (
        "province", "board", "board_superior", "legal_bases", "board_signer",
        "board_signer_title", "board_sign_for", "cum_symbol", "khoi_symbol",
    )
)  # fmt: skip

_M13_SHEETS_SIGNERS_FACTS: list[Step] = [
    *(f"DROP TRIGGER audit_score_{action}" for action in ("insert", "update", "delete")),
    "ALTER TABLE score ADD COLUMN evidence TEXT"
    " CHECK (evidence IS NULL OR (length(trim(evidence)) > 0 AND evidence = trim(evidence)))",
    *_audit_triggers(
        {
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
                    "evidence",
                ),
                "r.cluster_id",
                "r.year",
                "r.unit_id",
            )
        }
    ),
    f"""
    CREATE TABLE cluster_signer (
        cluster_id INTEGER NOT NULL REFERENCES cluster(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND name = trim(name)),
        role TEXT NOT NULL CHECK (role IN ('leader', 'deputy')),
        PRIMARY KEY (cluster_id, year)
    ) STRICT
    """,
    f"""
    CREATE TABLE reported_placing (
        cluster_id INTEGER NOT NULL,
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        unit_id INTEGER NOT NULL,
        place INTEGER NOT NULL CHECK (place >= 1),
        award TEXT CHECK (award IS NULL OR award IN ('co_thi_dua', 'bang_khen')),
        source TEXT NOT NULL CHECK (length(trim(source)) > 0 AND source = trim(source)),
        PRIMARY KEY (cluster_id, year, period, unit_id),
        FOREIGN KEY (cluster_id, year, unit_id)
            REFERENCES membership (cluster_id, year, unit_id)
    ) STRICT
    """,
    f"""
    CREATE TABLE illustrative_scores (
        cluster_id INTEGER NOT NULL REFERENCES cluster(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        note TEXT NOT NULL CHECK (length(trim(note)) > 0 AND note = trim(note)),
        PRIMARY KEY (cluster_id, year, period)
    ) STRICT
    """,
    *_audit_triggers(
        {
            "cluster_signer": (
                ("cluster_id", "year", "name", "role"),
                "r.cluster_id",
                "r.year",
                "NULL",
            ),
            "reported_placing": (
                ("cluster_id", "year", "period", "unit_id", "place", "award", "source"),
                "r.cluster_id",
                "r.year",
                "r.unit_id",
            ),
            "illustrative_scores": (
                ("cluster_id", "year", "period", "note"),
                "r.cluster_id",
                "r.year",
                "NULL",
            ),
        }
    ),
    *(f"DROP TRIGGER audit_setting_{action}" for action in ("insert", "update", "delete")),
    f"""
    CREATE TABLE setting_next (
        key TEXT PRIMARY KEY CHECK (key IN ({_M13_SETTING_KEYS})),
        value TEXT NOT NULL CHECK (length(trim(value)) > 0 AND value = trim(value))
    ) STRICT
    """,
    "INSERT INTO setting_next (key, value) SELECT key, value FROM setting",
    "DROP TABLE setting",
    "ALTER TABLE setting_next RENAME TO setting",
    *_audit_triggers({"setting": (("key", "value"), "NULL", "NULL", "NULL")}),
]


# ---------------------------------------------------------------- M14: what a locked year prints
#
# A locked cluster-year keeps what its papers print, not only its scores:
# - its criteria set (the province default, while a locked cluster of its year scores on it:
#   has no set of its own, or holds scores under it), its conferences with their attendance and
#   guests, its covenant and who signs its papers are frozen like its scores;
# - a unit renamed while it belongs to a locked cluster-year keeps, for that year, the name (and
#   short name) it had: `unit_year_name` holds it, written by the database itself on the rename;
# - a setting changed while a year has a locked cluster keeps, for that year, the value it had
#   (NULL: thidua's default then): `year_setting` holds it. A blank the papers left (a setting
#   with no default, never set) can still be filled in: it changes nothing they printed.
# Unlocking gives the year back the names and settings of today. The province's decisions stay
# open on a locked year: they are what the year is locked for.

_CRITERIA_SET_LOCKED = (
    "CASE WHEN {c} IS NULL THEN EXISTS (SELECT 1 FROM cluster_lock l WHERE l.year = {y}"
    " AND (NOT EXISTS (SELECT 1 FROM criteria_set o WHERE o.cluster_id = l.cluster_id"
    " AND o.year = l.year) OR EXISTS (SELECT 1 FROM score s JOIN criterion k"
    " ON k.id = s.criterion_id WHERE k.set_id = {s} AND s.cluster_id = l.cluster_id"
    " AND s.year = l.year)))"
    " ELSE EXISTS (SELECT 1 FROM cluster_lock WHERE cluster_id = {c} AND year = {y}) END"
)
_OF_SET = "(SELECT {column} FROM criteria_set WHERE id = {row}.set_id)"
_FROZEN = " BEGIN SELECT RAISE(ABORT, 'thidua: this cluster-year is frozen'); END"
_EVENTS = (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))


def _m14_lock_triggers() -> list[str]:
    guards = {
        "criteria_set": lambda row: _CRITERIA_SET_LOCKED.format(
            c=f"{row}.cluster_id", y=f"{row}.year", s=f"{row}.id"
        ),
        "criterion": lambda row: _CRITERIA_SET_LOCKED.format(
            c=_OF_SET.format(column="cluster_id", row=row),
            y=_OF_SET.format(column="year", row=row),
            s=f"{row}.set_id",
        ),
        **{
            table: lambda row: _LOCKED.format(c=f"{row}.cluster_id", y=f"{row}.year")
            for table in (
                "conference",
                "conference_attendance",
                "conference_guest",
                "covenant",
                "cluster_signer",
            )
        },
    }
    return [
        f"CREATE TRIGGER lock_{table}_{event.lower()} BEFORE {event} ON {table} WHEN "
        + " OR ".join(guard(row) for row in rows)
        + _FROZEN
        for table, guard in guards.items()
        for event, rows in _EVENTS
    ]


_M14_LOCKED_SETTING_KEYS = _M13_SETTING_KEYS
_M14_KEYS_WITH_DEFAULTS = "'board', 'board_superior', 'cum_symbol', 'khoi_symbol'"

_M14_LOCKED_YEAR_PRINTS: list[Step] = [
    *_m14_lock_triggers(),
    f"""
    CREATE TABLE unit_year_name (
        unit_id INTEGER NOT NULL REFERENCES unit(id),
        year INTEGER NOT NULL {YEAR_CHECK},
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        short_name TEXT,
        PRIMARY KEY (unit_id, year)
    ) STRICT
    """,
    # the first rename after the lock keeps the name the year was locked with
    "CREATE TRIGGER unit_renamed_in_locked_year BEFORE UPDATE OF name, short_name ON unit"
    " WHEN OLD.name IS NOT NEW.name OR OLD.short_name IS NOT NEW.short_name"
    " BEGIN INSERT OR IGNORE INTO unit_year_name (unit_id, year, name, short_name)"
    " SELECT OLD.id, m.year, OLD.name, OLD.short_name FROM membership m JOIN cluster_lock l"
    " ON l.cluster_id = m.cluster_id AND l.year = m.year WHERE m.unit_id = OLD.id; END",
    *(
        f"CREATE TRIGGER lock_unit_year_name_{event.lower()} BEFORE {event} ON unit_year_name"
        f" WHEN {_LOCKED_UNIT.format(u='OLD.unit_id', y='OLD.year')}{_FROZEN}"
        for event in ("UPDATE", "DELETE")
    ),
    f"""
    CREATE TABLE year_setting (
        year INTEGER NOT NULL {YEAR_CHECK},
        key TEXT NOT NULL CHECK (key IN ({_M14_LOCKED_SETTING_KEYS})),
        value TEXT,
        PRIMARY KEY (year, key)
    ) STRICT
    """,
    # a setting with no default left a blank in the papers: filling it in changes nothing they
    # printed; one with a default (NULL below: thidua's default) printed that default
    "CREATE TRIGGER setting_set_in_locked_year AFTER INSERT ON setting"
    f" WHEN NEW.key IN ({_M14_KEYS_WITH_DEFAULTS})"
    " BEGIN INSERT OR IGNORE INTO year_setting (year, key, value)"
    " SELECT DISTINCT year, NEW.key, NULL FROM cluster_lock; END",
    *(
        f"CREATE TRIGGER setting_changed_in_locked_year_{event.lower()} BEFORE {event} ON setting"
        f"{' WHEN OLD.value IS NOT NEW.value' if event == 'UPDATE' else ''}"
        " BEGIN INSERT OR IGNORE INTO year_setting (year, key, value)"
        " SELECT DISTINCT year, OLD.key, OLD.value FROM cluster_lock; END"
        for event in ("UPDATE", "DELETE")
    ),
    *(
        f"CREATE TRIGGER lock_year_setting_{event.lower()} BEFORE {event} ON year_setting"
        f" WHEN {_LOCKED_YEAR.format(y='OLD.year')}{_FROZEN}"
        for event in ("UPDATE", "DELETE")
    ),
    # unlocking gives the year back today's names and settings
    "CREATE TRIGGER unlock_gives_back_names AFTER DELETE ON cluster_lock"
    " BEGIN DELETE FROM unit_year_name WHERE year = OLD.year AND unit_id IN"
    " (SELECT unit_id FROM membership WHERE cluster_id = OLD.cluster_id AND year = OLD.year);"
    " DELETE FROM year_setting WHERE year = OLD.year"
    " AND NOT EXISTS (SELECT 1 FROM cluster_lock WHERE year = OLD.year); END",
]

# ---------------------------------------------------------------- M15: scores keyed by identity
#
# A score is found by what it is: cluster, year, period, unit, criterion, source and scorer. The
# table is now keyed by exactly that (WITHOUT ROWID): the key is the table, so an import writes
# one b-tree instead of a table and an index over an expression, and finding a stored score
# (an import with --replace, `score set`) is one search in it. A key column cannot be NULL, so
# the scorer is `scorer`, 0 for none (every score but a peer score); `scorer_id` stays as the
# same value with NULL for none, computed (a virtual column), and it is what refers to `unit`:
# readers keep reading `scorer_id`, writers write `scorer` (or leave it out: 0).
#
# The guarantees are today's, stated again: the CHECKs, the three references (the unit a member
# of the cluster-year, the criterion, the scorer a unit), one score per identity, the points not
# above the criterion's maximum, no change in a locked cluster-year, every change logged. The
# triggers are the same text as before, made again on the new table (SCORE_TRIGGERS). A bulk
# import checks what they check once for all its rows, set-based, and lifts them for its one
# statement inside its own transaction (store/scoring.py, `commit_import`).

_M15_SCORE = f"""
    CREATE TABLE score_next (
        cluster_id INTEGER NOT NULL,
        year INTEGER NOT NULL {YEAR_CHECK},
        period TEXT NOT NULL CHECK (period IN ('year', 'half')),
        unit_id INTEGER NOT NULL,
        criterion_id INTEGER NOT NULL REFERENCES criterion(id),
        source TEXT NOT NULL CHECK (source IN ('self', 'peer', 'final')),
        scorer INTEGER NOT NULL DEFAULT 0,
        points INTEGER NOT NULL CHECK (points >= 0),
        evidence TEXT
            CHECK (evidence IS NULL OR (length(trim(evidence)) > 0 AND evidence = trim(evidence))),
        scorer_id INTEGER AS (nullif(scorer, 0)) VIRTUAL REFERENCES unit(id),
        CHECK ((source = 'peer') = (scorer <> 0)),
        CHECK (scorer <> unit_id),
        FOREIGN KEY (cluster_id, year, unit_id)
            REFERENCES membership (cluster_id, year, unit_id),
        PRIMARY KEY (cluster_id, year, period, unit_id, criterion_id, source, scorer)
    ) STRICT, WITHOUT ROWID
    """

_SCORE_COLUMNS = (
    "cluster_id", "year", "period", "unit_id", "criterion_id", "source", "scorer_id", "points",
    "evidence",
)  # fmt: skip

# The triggers of `score` (all of them: a test holds the schema to this list), as M2, M5 and M13
# wrote them. Bulk imports lift them by name for one statement (store/scoring.py).
SCORE_TRIGGERS: list[str] = [
    *(s for s in _M2_SCORES if "ON score" in s and "TRIGGER" in s),
    *(s for s in _lock_triggers() if " ON score " in s),
    *_audit_triggers({"score": (_SCORE_COLUMNS, "r.cluster_id", "r.year", "r.unit_id")}),
]


def _m15_statistics(conn: sqlite3.Connection) -> None:
    """A database whose statistics were gathered (ANALYZE) has them again for the new table:
    without them SQLite would read a whole year's scores by scanning the table rather than
    skipping along its key cluster by cluster."""
    if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").fetchone():
        conn.execute("ANALYZE score")


# Triggers of other tables that read `score` (M14's lock of criteria sets): SQLite's RENAME
# checks every trigger, and one naming a table that is gone stops it. They are set aside while
# `score` is remade and put back, the same text, once it is there again.
_M15_SET_ASIDE: list[str] = []


def _m15_set_aside(conn: sqlite3.Connection) -> None:
    found = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name <> 'score'"
        " AND sql LIKE '%score%'"
    ).fetchall()
    _M15_SET_ASIDE[:] = [sql for _name, sql in found]
    for name, _sql in found:
        conn.execute(f'DROP TRIGGER "{name}"')


def _m15_put_back(conn: sqlite3.Connection) -> None:
    for sql in _M15_SET_ASIDE:
        conn.execute(sql)
    _M15_SET_ASIDE.clear()


_M15_SCORE_BY_IDENTITY: list[Step] = [
    _M15_SCORE,
    "INSERT INTO score_next (cluster_id, year, period, unit_id, criterion_id, source, scorer,"
    " points, evidence) SELECT cluster_id, year, period, unit_id, criterion_id, source,"
    " coalesce(scorer_id, 0), points, evidence FROM score",
    _m15_set_aside,
    "DROP TABLE score",  # its index and triggers with it
    "ALTER TABLE score_next RENAME TO score",
    _m15_put_back,
    *SCORE_TRIGGERS,
    _m15_statistics,
]

MIGRATIONS: list[list[Step]] = [
    _M1_FOUNDATION,
    _M2_SCORES,
    _M3_CYCLE,
    _M4_SETTINGS,
    _M5_AUDIT_AND_LOCK,
    _M6_RANKING_VIEWS,
    _M7_RECORDS,
    _M8_RECORD_VIEWS_IDS,
    _M9_BALLOT_AND_RATING,
    _M10_BOARD,
    _M11_CENTRAL,
    _M12_CONFERENCE_PEOPLE,
    _M13_SHEETS_SIGNERS_FACTS,
    _M14_LOCKED_YEAR_PRINTS,
    _M15_SCORE_BY_IDENTITY,
]
