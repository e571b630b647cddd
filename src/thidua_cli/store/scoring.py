"""Criteria sets, scores, votes, flags and policy: the SQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.rules.policy import FIELDS, tie_break_key
from thidua_cli.rules.ranking import Criterion, Score, Standing
from thidua_cli.rules.text import fold_key, nfc

# ---------------------------------------------------------------- criteria


def _set_id(conn: sqlite3.Connection, cluster_id: int | None, year: int) -> int | None:
    row = conn.execute(
        "SELECT id FROM criteria_set WHERE year = ? AND cluster_id IS ?", (year, cluster_id)
    ).fetchone()
    return row[0] if row else None


def criteria_of_set(conn: sqlite3.Connection, set_id: int) -> list[Criterion]:
    rows = conn.execute(
        "SELECT id, code, grp, name, max_points, kind, position FROM criterion"
        " WHERE set_id = ? ORDER BY position",
        (set_id,),
    )
    return [Criterion(*row) for row in rows]


def applicable_criteria(
    conn: sqlite3.Connection, cluster_id: int, year: int
) -> tuple[list[Criterion], bool] | None:
    """The cluster-year's own criteria, else the year's province default: (list, is_default)."""
    own = _set_id(conn, cluster_id, year)
    if own is not None:
        return criteria_of_set(conn, own), False
    default = _set_id(conn, None, year)
    if default is not None:
        return criteria_of_set(conn, default), True
    return None


def default_criteria(conn: sqlite3.Connection, year: int) -> list[Criterion] | None:
    set_id = _set_id(conn, None, year)
    return criteria_of_set(conn, set_id) if set_id is not None else None


def save_criteria(
    conn: sqlite3.Connection,
    cluster_id: int | None,
    year: int,
    criteria: Sequence[Criterion],
    *,
    replace: bool,
) -> None:
    """Store a criteria set; an existing one is replaced only with `replace` and no scores."""
    existing = _set_id(conn, cluster_id, year)
    if existing is not None:
        if not replace:
            raise InvalidInput(
                _("A criteria set for {year} already exists; add --replace to replace it.").format(
                    year=year
                )
            )
        used = conn.execute(
            "SELECT count(*) FROM score WHERE criterion_id IN"
            " (SELECT id FROM criterion WHERE set_id = ?)",
            (existing,),
        ).fetchone()[0]
        if used:
            raise InvalidInput(
                _(
                    "The criteria set for {year} already has {count} scores; it cannot be "
                    "replaced while they exist."
                ).format(year=year, count=used)
            )
        conn.execute("DELETE FROM criteria_set WHERE id = ?", (existing,))
    set_id = conn.execute(
        "INSERT INTO criteria_set (year, cluster_id) VALUES (?, ?)", (year, cluster_id)
    ).lastrowid
    conn.executemany(
        "INSERT INTO criterion (set_id, code, code_key, grp, grp_key, name, max_points, kind,"
        " position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (set_id, nfc(c.code), fold_key(c.code), nfc(c.group), fold_key(c.group), nfc(c.name),
             c.max_points, c.kind, c.position)
            for c in criteria
        ],
    )  # fmt: skip


# ---------------------------------------------------------------- scores


def scores(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> list[Score]:
    rows = conn.execute(
        "SELECT unit_id, criterion_id, source, points, scorer_id FROM score"
        " WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    )
    return [Score(*row) for row in rows]


def counted(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str
) -> dict[tuple[int, int], int]:
    """(unit, criterion) -> the value that counts, from the counted_score view."""
    rows = conn.execute(
        "SELECT unit_id, criterion_id, points FROM counted_score"
        " WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    )
    return {(unit_id, criterion_id): points for unit_id, criterion_id, points in rows}


def existing_score(
    conn: sqlite3.Connection,
    key: tuple[int, int, str, int, int, str, int | None],
) -> int | None:
    cluster_id, year, period, unit_id, criterion_id, source, scorer_id = key
    row = conn.execute(
        "SELECT points FROM score WHERE cluster_id = ? AND year = ? AND period = ?"
        " AND unit_id = ? AND criterion_id = ? AND source = ? AND scorer_id IS ?",
        (cluster_id, year, period, unit_id, criterion_id, source, scorer_id),
    ).fetchone()
    return row[0] if row else None


_UPSERT = (
    " ON CONFLICT (cluster_id, year, period, unit_id, criterion_id, source, coalesce(scorer_id, 0))"
    " DO UPDATE SET points = excluded.points"
)


def set_score(
    conn: sqlite3.Connection,
    key: tuple[int, int, str, int, int, str, int | None],
    points: int,
) -> None:
    conn.execute(
        "INSERT INTO score (cluster_id, year, period, unit_id, criterion_id, source, scorer_id,"
        " points) VALUES (?, ?, ?, ?, ?, ?, ?, ?)" + _UPSERT,
        (*key, points),
    )


def import_scores(
    conn: sqlite3.Connection,
    cluster_id: int,
    year: int,
    period: str,
    rows: Iterable[tuple[int, int, int, str, int | None, int]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Stage rows in a temporary table; return (duplicates in the file, scores already stored).

    Each problem is (the file's line numbers, the unit id and criterion id as text). The caller
    calls `commit_import` when both lists are acceptable.
    """
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS incoming (line INTEGER, unit_id INTEGER,"
        " criterion_id INTEGER, source TEXT, scorer_id INTEGER, points INTEGER)"
    )
    conn.execute("DELETE FROM temp.incoming")
    conn.executemany("INSERT INTO temp.incoming VALUES (?, ?, ?, ?, ?, ?)", rows)
    duplicates = conn.execute(
        "SELECT group_concat(line, ', '), u.name || ' / ' || c.code FROM temp.incoming i"
        " JOIN unit u ON u.id = i.unit_id JOIN criterion c ON c.id = i.criterion_id"
        " GROUP BY i.unit_id, i.criterion_id, i.source, coalesce(i.scorer_id, 0)"
        " HAVING count(*) > 1 ORDER BY min(line)"
    ).fetchall()
    existing = conn.execute(
        "SELECT i.line, u.name || ' / ' || c.code FROM temp.incoming i"
        " JOIN score s ON s.cluster_id = ? AND s.year = ? AND s.period = ?"
        " AND s.unit_id = i.unit_id AND s.criterion_id = i.criterion_id"
        " AND s.source = i.source AND coalesce(s.scorer_id, 0) = coalesce(i.scorer_id, 0)"
        " JOIN unit u ON u.id = i.unit_id JOIN criterion c ON c.id = i.criterion_id"
        " ORDER BY i.line",
        (cluster_id, year, period),
    ).fetchall()
    return [(str(a), b) for a, b in duplicates], [(str(a), b) for a, b in existing]


def commit_import(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> int:
    """Move the staged rows into the scores (replacing equal keys); returns how many."""
    cursor = conn.execute(
        "INSERT INTO score (cluster_id, year, period, unit_id, criterion_id, source, scorer_id,"
        " points) SELECT ?, ?, ?, unit_id, criterion_id, source, scorer_id, points"
        " FROM temp.incoming WHERE true" + _UPSERT,
        (cluster_id, year, period),
    )
    conn.execute("DELETE FROM temp.incoming")
    return cursor.rowcount


# ---------------------------------------------------------------- standings (the ranking view)

STANDINGS_SQL = (  # also run by bench/run.py, as the awards figure's reference
    "SELECT cluster_id, unit_id, unit, short_name, rank, tied, base, bonus, deduction, scored,"
    " missing, votes, voters, flags, decided_by, decided_steps, flag_quota,"
    " merit_quota, award, pending_awards FROM ranking"
    " WHERE year = ? AND period = ?"
)


def _standing(row: tuple) -> Standing:
    values = list(row)
    values[5] = bool(values[5])
    values[13] = json.loads(values[13])
    values[15] = tuple(values[15].split(",")) if values[15] else ()
    values[19] = tuple(values[19].split(",")) if values[19] else ()
    return Standing(*values)


def standings(
    conn: sqlite3.Connection, year: int, period: str, cluster_id: int | None = None
) -> list[Standing]:
    """Rows of the ranking view for one cluster-year, or for every cluster of the year."""
    if cluster_id is None:
        rows = conn.execute(STANDINGS_SQL, (year, period))
    else:
        rows = conn.execute(STANDINGS_SQL + " AND cluster_id = ?", (year, period, cluster_id))
    return [_standing(row) for row in rows]


# ---------------------------------------------------------------- votes


def votes(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str
) -> dict[int, tuple[int, int | None]]:
    rows = conn.execute(
        "SELECT unit_id, votes, voters FROM vote WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    )
    return {unit_id: (v, voters) for unit_id, v, voters in rows}


def set_vote(
    conn: sqlite3.Connection,
    cluster_id: int,
    year: int,
    period: str,
    unit_id: int,
    count: int,
    voters: int | None,
) -> None:
    conn.execute(
        "INSERT INTO vote (cluster_id, year, period, unit_id, votes, voters)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cluster_id, year, period, unit_id)"
        " DO UPDATE SET votes = excluded.votes, voters = excluded.voters",
        (cluster_id, year, period, unit_id, count, voters),
    )


# ---------------------------------------------------------------- flags


def flags(
    conn: sqlite3.Connection, year: int | None = None, unit_id: int | None = None
) -> list[tuple[int, str, int, str]]:
    """(unit id, unit name, year, reason) rows."""
    return conn.execute(
        "SELECT f.unit_id, u.name, f.year, f.reason FROM flag f JOIN unit u ON u.id = f.unit_id"
        " WHERE (?1 IS NULL OR f.year = ?1) AND (?2 IS NULL OR f.unit_id = ?2)"
        " ORDER BY f.year, f.id",
        (year, unit_id),
    ).fetchall()


def flags_by_unit(conn: sqlite3.Connection, year: int) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for unit_id, _name, _year, reason in flags(conn, year):
        found.setdefault(unit_id, []).append(reason)
    return found


def add_flag(conn: sqlite3.Connection, unit_id: int, year: int, reason: str) -> bool:
    """False when the same flag is already there."""
    cursor = conn.execute(
        "INSERT INTO flag (unit_id, year, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (unit_id, year, nfc(reason)),
    )
    return cursor.rowcount == 1


def remove_flags(conn: sqlite3.Connection, unit_id: int, year: int, reason: str | None) -> int:
    if reason is None:
        cursor = conn.execute("DELETE FROM flag WHERE unit_id = ? AND year = ?", (unit_id, year))
    else:
        matching = [
            r[0]
            for r in conn.execute(
                "SELECT id, reason FROM flag WHERE unit_id = ? AND year = ?", (unit_id, year)
            )
            if fold_key(r[1]) == fold_key(reason)
        ]
        cursor = conn.execute(
            f"DELETE FROM flag WHERE id IN ({','.join('?' * len(matching))})", matching
        )
    return cursor.rowcount


# ---------------------------------------------------------------- policy


def policy_row(conn: sqlite3.Connection, cluster_id: int | None, year: int) -> dict[str, object]:
    row = conn.execute(
        f"SELECT {', '.join(FIELDS)} FROM policy WHERE year = ? AND cluster_id IS ?",
        (year, cluster_id),
    ).fetchone()
    return dict(zip(FIELDS, row, strict=True)) if row else {}


def default_policy_row(conn: sqlite3.Connection) -> dict[str, object]:
    """The defaults every rule falls back on, as the database holds them (policy_default)."""
    row = conn.execute(
        "SELECT merit_percent, flag_quota, tie_break, score_rule FROM policy_default"
    ).fetchone()
    if row is None:
        return {}
    return dict(zip(("merit_percent", "flag_quota", "tie_break", "score_rule"), row, strict=True))


def save_policy(
    conn: sqlite3.Connection, cluster_id: int | None, year: int, values: dict[str, object]
) -> None:
    """Set the given fields (None clears one) of a year's or a cluster-year's rule."""
    current = policy_row(conn, cluster_id, year)
    merged = {**dict.fromkeys(FIELDS), **current, **values}
    conn.execute("DELETE FROM policy WHERE year = ? AND cluster_id IS ?", (year, cluster_id))
    if any(merged[f] is not None for f in FIELDS):
        chain = merged["tie_break"]
        conn.execute(
            f"INSERT INTO policy (year, cluster_id, {', '.join(FIELDS)}, tie_break_key)"
            f" VALUES (?, ?, {', '.join('?' * len(FIELDS))}, ?)",
            (
                year,
                cluster_id,
                *(merged[f] for f in FIELDS),
                tie_break_key(chain) if isinstance(chain, str) else None,
            ),
        )
