"""Criteria sets, scores, votes, flags and policy: the SQL.

The scores are added up here, not judged: `tallies` sums each unit's scores per criterion kind
(and group, when asked) and per set of sources present, and the rules (rules/ranking.py) decide
which source counts, the totals, the order and the awards.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _, ngettext
from thidua_cli.models import (
    POLICY_FIELDS,
    Criterion,
    CriterionScores,
    Member,
    Score,
    Tally,
)
from thidua_cli.points import shown
from thidua_cli.rules.text import checked_name, fold_key, nfc
from thidua_cli.store.names import unit_name, unit_short_name

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
    carry: bool = False,
) -> int:
    """Store a criteria set; an existing one is replaced only with `replace`.

    A set decides which stored scores count: a cluster's own set counts its scores, the province
    default those of every cluster without one. A new set whose criteria would leave stored
    scores uncounted is refused, or with `carry` those scores move to the new set's criteria of
    the same code (a score with no such criterion, or above its new maximum, still refuses).
    Its codes, names and groups obey the rule for names (rules.text.checked_name) by whichever
    door they come, a file or a bundle: a control character would break every workbook.
    Returns how many scores moved.
    """
    for criterion in criteria:
        for text in (criterion.code, criterion.name, criterion.group):
            if text:
                checked_name(text)
    existing = _set_id(conn, cluster_id, year)
    if existing is not None and not replace:
        raise InvalidInput(
            _("A criteria set for {year} already exists; add --replace to replace it.").format(
                year=year
            )
        )
    moving = _scores_under_new_set(conn, cluster_id, year, existing)
    wanted = {fold_key(c.code): c for c in criteria}
    if moving:
        _check_carry(conn, cluster_id, year, moving, wanted, carry)
    if existing is not None:
        # the set keeps its row; its criteria make way for the new ones, which the scores move to
        old = [i for (i,) in conn.execute("SELECT id FROM criterion WHERE set_id = ?", (existing,))]
        conn.execute(
            "UPDATE criterion SET code_key = '#replaced#' || id WHERE set_id = ?", (existing,)
        )
        set_id = existing
    else:
        old = []
        set_id = conn.execute(
            "INSERT INTO criteria_set (year, cluster_id) VALUES (?, ?)", (year, cluster_id)
        ).lastrowid
    conn.executemany(
        "INSERT INTO criterion (set_id, code, code_key, grp, name, max_points, kind, position)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                set_id,
                nfc(c.code),
                fold_key(c.code),
                nfc(c.group),
                nfc(c.name),
                c.max_points,
                c.kind,
                c.position,
            )
            for c in criteria
        ],
    )
    new_ids = dict(
        conn.execute(
            "SELECT code_key, id FROM criterion"
            " WHERE set_id = ? AND code_key NOT LIKE '#replaced#%'",
            (set_id,),
        )
    )
    conn.executemany(
        "UPDATE score SET criterion_id = ? WHERE criterion_id = ? AND cluster_id = ? AND year = ?"
        " AND period = ? AND unit_id = ? AND source = ? AND coalesce(scorer_id, 0) = ?",
        [(new_ids[m[2]], m[0], *m[4:]) for m in moving],
    )
    conn.executemany("DELETE FROM criterion WHERE id = ?", [(i,) for i in old])
    return len(moving)


# A stored score that a new set takes over: (its criterion id, the criterion's code and code key,
# points, then the rest of the score's key: cluster, year, period, unit, source, scorer or 0).
_Moving = tuple[int, str, str, int, int, int, str, int, str, int]


def _scores_under_new_set(
    conn: sqlite3.Connection, cluster_id: int | None, year: int, existing: int | None
) -> list[_Moving]:
    """The stored scores that only the new set for (cluster_id, year) could count: the
    cluster-year's (for the default: those of every cluster-year without a set of its own), and
    any under the set it replaces."""
    if cluster_id is not None:
        where, params = "(s.cluster_id = ? AND s.year = ?)", [cluster_id, year]
    else:
        where = (
            "(s.year = ? AND NOT EXISTS (SELECT 1 FROM criteria_set o"
            " WHERE o.year = s.year AND o.cluster_id = s.cluster_id))"
        )
        params = [year]
    if existing is not None:
        where += " OR c.set_id = ?"
        params.append(existing)
    return conn.execute(
        "SELECT s.criterion_id, c.code, c.code_key, s.points, s.cluster_id, s.year, s.period,"
        " s.unit_id, s.source, coalesce(s.scorer_id, 0) FROM score s"
        f" JOIN criterion c ON c.id = s.criterion_id WHERE {where}"
        " ORDER BY c.set_id, c.position, s.unit_id",
        params,
    ).fetchall()


def _codes(moving: Iterable[_Moving]) -> str:
    """The criteria codes of `moving`, each once, in the order of their sets."""
    return ", ".join(dict.fromkeys(m[1] for m in moving))


def _check_carry(
    conn: sqlite3.Connection,
    cluster_id: int | None,
    year: int,
    moving: list[_Moving],
    wanted: Mapping[str, Criterion],
    carry: bool,
) -> None:
    """Refuse a new set that would leave `moving` uncounted, unless they can all move to it."""
    if cluster_id is not None:
        scope = conn.execute("SELECT name FROM cluster WHERE id = ?", (cluster_id,)).fetchone()[0]
    else:
        scope = _("the clusters on the province default")
    if not carry:
        raise InvalidInput(
            ngettext(
                "{count} stored score of {scope}, {year} is under the criteria {codes}; the new "
                "criteria set would leave it uncounted, so nothing was changed. Add "
                "--carry-scores to move it to the new set's criterion with the same code.",
                "{count} stored scores of {scope}, {year} are under the criteria {codes}; the new "
                "criteria set would leave them uncounted, so nothing was changed. Add "
                "--carry-scores to move them to the new set's criteria with the same code.",
                len(moving),
            ).format(count=len(moving), scope=scope, year=year, codes=_codes(moving))
        )
    problems = []
    lost = [m for m in moving if m[2] not in wanted]
    if lost:
        problems.append(
            ngettext(
                "{count} score is under a criterion the new set does not have: {codes}",
                "{count} scores are under criteria the new set does not have: {codes}",
                len(lost),
            ).format(count=len(lost), codes=_codes(lost))
        )
    kept = [m for m in moving if m[2] in wanted]
    for key, criterion in wanted.items():
        above = [m for m in kept if m[2] == key and m[3] > criterion.max_points]
        if above:
            problems.append(
                ngettext(
                    "criterion {code}: {count} score is above its new maximum of {maximum}",
                    "criterion {code}: {count} scores are above its new maximum of {maximum}",
                    len(above),
                ).format(code=criterion.code, count=len(above), maximum=shown(criterion.max_points))
            )
    landing = Counter((m[2], *m[4:]) for m in kept)
    for key, criterion in wanted.items():
        doubled = sum(n for k, n in landing.items() if k[0] == key and n > 1)
        if doubled:
            problems.append(
                _(
                    "criterion {code}: {count} scores from different sets would fall on the same "
                    "unit, source and scorer"
                ).format(code=criterion.code, count=doubled)
            )
    if problems:
        raise InvalidInput(
            _(
                "The stored scores of {scope}, {year} cannot all move to the new criteria set; "
                "nothing was changed:"
            ).format(scope=scope, year=year),
            details=problems,
        )


# ---------------------------------------------------------------- scores


def scores(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> list[Score]:
    rows = conn.execute(
        "SELECT unit_id, criterion_id, source, points, scorer_id FROM score"
        " WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    )
    return [Score(*row) for row in rows]


def scores_with_evidence(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str, source: str
) -> list[tuple[int, int, int | None, int, str | None]]:
    """(unit, criterion, scorer, points, evidence) of every score of one source."""
    return conn.execute(
        "SELECT unit_id, criterion_id, scorer_id, points, evidence FROM score"
        " WHERE cluster_id = ? AND year = ? AND period = ? AND source = ?",
        (cluster_id, year, period, source),
    ).fetchall()


def existing_score(
    conn: sqlite3.Connection,
    key: tuple[int, int, str, int, int, str, int | None],
) -> int | None:
    cluster_id, year, period, unit_id, criterion_id, source, scorer_id = key
    row = conn.execute(
        "SELECT points FROM score WHERE cluster_id = ? AND year = ? AND period = ?"
        " AND unit_id = ? AND criterion_id = ? AND source = ? AND scorer = ?",
        (cluster_id, year, period, unit_id, criterion_id, source, scorer_id or 0),
    ).fetchone()
    return row[0] if row else None


# A score's identity, the key of `score` (migration 15): the scorer is 0 for none.
_KEY = "cluster_id, year, period, unit_id, criterion_id, source, scorer"
_UPSERT = f" ON CONFLICT ({_KEY}) DO UPDATE SET points = excluded.points"


def set_score(
    conn: sqlite3.Connection,
    key: tuple[int, int, str, int, int, str, int | None],
    points: int,
    evidence: str | None = None,
) -> None:
    """Store one score; its evidence is replaced when `evidence` is given, else kept."""
    *identity, scorer_id = key
    conn.execute(
        f"INSERT INTO score ({_KEY}, points, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + _UPSERT
        + ", evidence = coalesce(excluded.evidence, score.evidence)",
        (*identity, scorer_id or 0, points, evidence),
    )


# The staged rows of an import, in the order of the scores' key, so that the scores go in as
# they are kept (one pass along the table's b-tree) and a key given twice is found without a
# sort. The line ends the key: two lines may state the same score (that is a duplicate, named).
_STAGE = (
    "CREATE TEMP TABLE IF NOT EXISTS incoming (unit_id INTEGER NOT NULL,"
    " criterion_id INTEGER NOT NULL, source TEXT NOT NULL, scorer INTEGER NOT NULL,"
    " line INTEGER NOT NULL, points INTEGER NOT NULL, evidence TEXT,"
    " PRIMARY KEY (unit_id, criterion_id, source, scorer, line)) WITHOUT ROWID"
)
# Rows go in by the hundred, one statement for many: each statement run costs about as much as
# the rows it writes, so a statement a row would double the staging.
_STAGED_AT_ONCE = 100
_STAGE_ROWS = (
    "INSERT INTO temp.incoming (line, unit_id, criterion_id, source, scorer, points, evidence)"
    " VALUES "
)


def _stage(conn: sqlite3.Connection, rows: Iterator[tuple[object, ...]]) -> None:
    """Rows of one shape, (line, unit, criterion, source, scorer, points[, evidence]), staged."""
    first = next(rows, None)
    if first is None:
        return
    one = "(?, ?, ?, ?, coalesce(?, 0), ?, " + ("?)" if len(first) == 7 else "NULL)")
    rows = itertools.chain((first,), rows)
    full = _STAGE_ROWS + ", ".join([one] * _STAGED_AT_ONCE)
    while True:
        chunks: list[list[object]] = []
        while len(chunks) < 100:
            batch = list(itertools.islice(rows, _STAGED_AT_ONCE))
            if len(batch) < _STAGED_AT_ONCE:
                if chunks:
                    conn.executemany(full, chunks)
                if batch:
                    sql = _STAGE_ROWS + ", ".join([one] * len(batch))
                    conn.execute(sql, list(itertools.chain.from_iterable(batch)))
                return
            chunks.append(list(itertools.chain.from_iterable(batch)))
        conn.executemany(full, chunks)


# A staged row against the stored score of the same identity (the staged rows lead: one search
# in the key of `score` each, however many scores the cluster-year already holds).
_STORED = (
    " FROM temp.incoming i CROSS JOIN score s ON s.cluster_id = ?1 AND s.year = ?2"
    " AND s.period = ?3 AND s.unit_id = i.unit_id AND s.criterion_id = i.criterion_id"
    " AND s.source = i.source AND s.scorer = i.scorer"
)


def import_scores(
    conn: sqlite3.Connection,
    cluster_id: int,
    year: int,
    period: str,
    rows: Iterable[tuple[int, ...]],
    *,
    stored: bool = True,
    listed: int | None = None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Stage rows in a temporary table; return (duplicates in the file, scores already stored).

    A row is (line, unit, criterion, source, scorer, points[, evidence]), all rows of one shape.
    The scores already stored are looked for only when `stored` (not for a replacing import),
    the first `listed` of them by line when given (`stored_count` counts them all).

    Each problem is (the file's line numbers, the unit id and criterion id as text). The caller
    calls `commit_import` when both lists are acceptable.
    """
    conn.execute("DROP TABLE IF EXISTS temp.incoming")
    conn.execute(_STAGE)
    _stage(conn, iter(rows))
    duplicates = conn.execute(
        "WITH twice AS (SELECT unit_id, criterion_id, source, scorer FROM temp.incoming"
        " GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)"
        " SELECT group_concat(i.line, ', '), u.name || ' / ' || c.code FROM twice t"
        " JOIN temp.incoming i ON i.unit_id = t.unit_id AND i.criterion_id = t.criterion_id"
        " AND i.source = t.source AND i.scorer = t.scorer"
        " JOIN unit u ON u.id = t.unit_id JOIN criterion c ON c.id = t.criterion_id"
        " GROUP BY t.unit_id, t.criterion_id, t.source, t.scorer ORDER BY min(i.line)"
    ).fetchall()
    existing: list[tuple[int, str]] = []
    if stored and _any_stored(conn, cluster_id, year, period):
        existing = conn.execute(
            "SELECT i.line, u.name || ' / ' || c.code"
            + _STORED
            + " JOIN unit u ON u.id = i.unit_id JOIN criterion c ON c.id = i.criterion_id"
            " ORDER BY i.line LIMIT ?4",
            (cluster_id, year, period, -1 if listed is None else listed),
        ).fetchall()
    return [(str(a), b) for a, b in duplicates], [(str(a), b) for a, b in existing]


def stored_count(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> int:
    """How many staged rows have a score stored already."""
    return conn.execute("SELECT count(*)" + _STORED, (cluster_id, year, period)).fetchone()[0]


def _any_stored(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> bool:
    """Whether the cluster-year's period has a score already (else no staged row has one)."""
    return bool(
        conn.execute(
            "SELECT 1 FROM score WHERE cluster_id = ? AND year = ? AND period = ? LIMIT 1",
            (cluster_id, year, period),
        ).fetchone()
    )


def clear_scores(
    conn: sqlite3.Connection,
    cluster_id: int,
    year: int,
    period: str,
    statements: Iterable[tuple[int, str, int | None]],
) -> int:
    """Delete what each (unit, source, scorer) stated, before a form that replaces it whole."""
    count = 0
    for unit_id, source, scorer_id in statements:
        count += conn.execute(
            "DELETE FROM score WHERE cluster_id = ? AND year = ? AND period = ? AND unit_id = ?"
            " AND source = ? AND scorer = ?",
            (cluster_id, year, period, unit_id, source, scorer_id or 0),
        ).rowcount
    return count


# The triggers of `score` that fire when an import inserts or replaces scores, and what checks
# each of them in `_check_staged` instead, once for all the staged rows. The deletion triggers
# do not fire (an import deletes nothing) and stay.
_LIFTED = (
    "score_within_maximum",
    "score_within_maximum_update",
    "lock_score_insert",
    "lock_score_update",
    "audit_score_insert",
    "audit_score_update",
)
_KEPT = ("lock_score_delete", "audit_score_delete")
_AUDIT_COLUMNS = (
    "cluster_id", "year", "period", "unit_id", "criterion_id", "source", "scorer_id", "points",
    "evidence",
)  # fmt: skip
_WHO = (
    "coalesce((SELECT user FROM audit_context WHERE id = 1), 'outside thidua'),"
    " coalesce((SELECT command FROM audit_context WHERE id = 1), 'outside thidua')"
)


def _audit_json(values: Mapping[str, str]) -> str:
    return (
        "json_object("
        + ", ".join(f"'{c}', {values.get(c, 's.' + c)}" for c in _AUDIT_COLUMNS)
        + ")"
    )


def _check_staged(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> None:
    """What the lifted triggers check row by row, for all the staged rows at once, and the
    replaced scores logged as the update trigger logs them (one row each, old and new)."""
    if conn.execute(
        "SELECT 1 FROM cluster_lock WHERE cluster_id = ? AND year = ?", (cluster_id, year)
    ).fetchone():
        raise sqlite3.IntegrityError("thidua: this cluster-year is frozen")
    if conn.execute(
        "SELECT 1 FROM temp.incoming i JOIN criterion c ON c.id = i.criterion_id"
        " WHERE i.points > c.max_points LIMIT 1"
    ).fetchone():
        raise sqlite3.IntegrityError("points above the criterion maximum")
    if not _any_stored(conn, cluster_id, year, period):
        return  # nothing to replace, nothing to log
    new = {"points": "i.points", "evidence": "coalesce(i.evidence, s.evidence)"}
    conn.execute(
        "INSERT INTO audit (user, command, tbl, action, cluster_id, year, unit_id, old, new)"
        f" SELECT {_WHO}, 'score', 'update', s.cluster_id, s.year, s.unit_id,"
        f" {_audit_json({})}, {_audit_json(new)}"
        + _STORED
        + " WHERE s.points <> i.points OR s.evidence IS NOT coalesce(i.evidence, s.evidence)",
        (cluster_id, year, period),
    )


# Below this many staged rows the triggers stay: they cost little, and lifting them changes the
# schema (every prepared statement of every connection is prepared again); a build of many small
# cluster-years (bench/make_national.py) would pay that for each.
LIFT_FROM = 5000


def _liftable(conn: sqlite3.Connection, rows: int | None = None) -> list[tuple[str, str]] | None:
    """The (name, SQL) of the triggers an import may lift, or None when it may not: when new
    scores are logged one by one (no bulk write), when `score` has a trigger not known here (a
    guarantee no set-based check stands in for), or for fewer than LIFT_FROM rows (`rows`, else
    the staged rows)."""
    if rows is None:
        rows = conn.execute("SELECT count(*) FROM temp.incoming").fetchone()[0]
    if rows < LIFT_FROM:
        return None
    bulk = conn.execute("SELECT bulk FROM audit_context WHERE id = 1").fetchone()
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'score'"
    ).fetchall()
    if not (bulk and bulk[0]) or {name for name, _sql in triggers} != {*_LIFTED, *_KEPT}:
        return None
    return [(name, sql) for name, sql in triggers if name in _LIFTED]


def commit_import(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> int:
    """Move the staged rows into the scores (replacing equal keys); returns how many.

    In a bulk write (audit.bulk: new scores logged as one summary), the triggers that would
    check each row are lifted for the one INSERT after `_check_staged` has checked all the rows
    at once, and made again from their own text before this returns, all inside the caller's
    transaction: no other connection ever sees `score` without them (the write lock is held,
    readers see the last commit), and a failure rolls the whole back. Per row, a trigger costs
    about as much as the insert itself. The references (unit, criterion, scorer) and the CHECKs
    are never lifted.
    """
    lifted = _liftable(conn)
    if lifted is not None:
        _check_staged(conn, cluster_id, year, period)
        for name, _sql in lifted:
            conn.execute(f"DROP TRIGGER {name}")
    try:
        cursor = conn.execute(
            f"INSERT INTO score ({_KEY}, points, evidence)"
            " SELECT ?, ?, ?, unit_id, criterion_id, source, scorer, points, evidence"
            " FROM temp.incoming WHERE true"
            + _UPSERT
            + ", evidence = coalesce(excluded.evidence, score.evidence)",
            (cluster_id, year, period),
        )
    finally:
        for _name, sql in lifted or ():
            conn.execute(sql)
    conn.execute("DROP TABLE temp.incoming")
    return cursor.rowcount


# New scores written straight into `score`, this many rows a statement (each statement run
# costs about as much as the rows it writes).
_WRITTEN_AT_ONCE = 100


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def insert_new(
    conn: sqlite3.Connection,
    cluster_id: int,
    year: int,
    period: str,
    source: str,
    rows: tuple[Sequence[int], Sequence[int], Sequence[int]],
) -> int | None:
    """Write new scores of one source and no scorer straight into `score`, without staging
    them; returns how many, or None, having written nothing, when they must be staged instead
    (`import_scores`, then `commit_import`): when the cluster-year's period has scores already,
    or when the triggers may not be lifted (see `commit_import`; an import of fewer than
    LIFT_FROM rows keeps them).

    `rows` is three columns, the units, the criteria and the points (sequences that add up by
    slices: arrays or lists), in the order of the scores' key and no key twice (the caller has
    checked both: the key of `score` would refuse a duplicate anyway, and scores out of order
    only go in more slowly). What the lifted triggers check row by row is checked for all the
    rows at once: the lock before, the maxima after.
    """
    units, criteria, points = rows
    count = len(units)
    if _any_stored(conn, cluster_id, year, period):
        return None
    lifted = _liftable(conn, count)
    if lifted is None:
        return None
    if conn.execute(
        "SELECT 1 FROM cluster_lock WHERE cluster_id = ? AND year = ?", (cluster_id, year)
    ).fetchone():
        raise sqlite3.IntegrityError("thidua: this cluster-year is frozen")

    def insert(size: int) -> str:
        # row i takes the i-th of each column's slice: ?i, ?(size + i), ?(2 size + i)
        fixed = f"{int(cluster_id)}, {int(year)}, {_literal(period)}, {_literal(source)}, 0"
        return (
            "INSERT INTO score (cluster_id, year, period, source, scorer, unit_id,"
            " criterion_id, points) VALUES "
            + ", ".join(
                f"({fixed}, ?{i}, ?{size + i}, ?{2 * size + i})" for i in range(1, size + 1)
            )
        )

    for name, _sql in lifted:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        step = _WRITTEN_AT_ONCE
        whole = count - count % step
        conn.executemany(
            insert(step),
            (
                units[i : i + step] + criteria[i : i + step] + points[i : i + step]
                for i in range(0, whole, step)
            ),
        )
        if whole < count:
            conn.execute(insert(count - whole), units[whole:] + criteria[whole:] + points[whole:])
        if conn.execute(
            "SELECT 1 FROM score s JOIN criterion c ON c.id = s.criterion_id"
            " WHERE s.cluster_id = ? AND s.year = ? AND s.period = ? AND s.points > c.max_points"
            " LIMIT 1",
            (cluster_id, year, period),
        ).fetchone():
            raise sqlite3.IntegrityError("points above the criterion maximum")
    finally:
        for _name, sql in lifted:
            conn.execute(sql)
    return count


# ---------------------------------------------------------------- tallies

_PER_CRITERION = (
    "SELECT unit_id, criterion_id,"
    " max(IIF(source = 'final', points, NULL)) AS final,"
    # the mean of the peer scores, rounded half up to hundredths (points are never negative)
    " (2 * sum(IIF(source = 'peer', points, NULL)) + count(IIF(source = 'peer', 1, NULL)))"
    " / (2 * count(IIF(source = 'peer', 1, NULL))) AS peer,"
    " max(IIF(source = 'self', points, NULL)) AS self"
    " FROM score WHERE cluster_id = ? AND year = ? AND period = ? GROUP BY unit_id, criterion_id"
)


def criterion_scores(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str
) -> list[CriterionScores]:
    """Each unit's scores of each criterion: one value per source (the peer value a mean)."""
    rows = conn.execute(_PER_CRITERION, (cluster_id, year, period))
    return [CriterionScores(*row) for row in rows]


def criteria_sets_of_year(conn: sqlite3.Connection, year: int) -> dict[int | None, int]:
    """cluster id (None: the province default) -> the id of its criteria set for `year`."""
    return dict(conn.execute("SELECT cluster_id, id FROM criteria_set WHERE year = ?", (year,)))


def base_criteria(conn: sqlite3.Connection, set_ids: Iterable[int]) -> dict[int, int]:
    """set id -> how many base criteria it has."""
    wanted = sorted(set(set_ids))
    rows = conn.execute(
        f"SELECT set_id, count(*) FROM criterion WHERE kind = 'base'"
        f" AND set_id IN ({', '.join('?' * len(wanted))}) GROUP BY set_id",
        wanted,
    )
    return {set_id: 0 for set_id in wanted} | dict(rows)


def _detailed(
    conn: sqlite3.Connection, cluster_id: int, year: int, period: str, set_id: int, groups: bool
) -> list[Tally]:
    """Tallies that follow each criterion's sources (and groups): exact for any scores."""
    rows = conn.execute(
        f"SELECT p.unit_id, c.kind, {'c.grp' if groups else 'NULL'},"
        " p.final IS NOT NULL, p.peer IS NOT NULL, p.self IS NOT NULL, count(*),"
        " coalesce(sum(p.final), 0), coalesce(sum(p.peer), 0), coalesce(sum(p.self), 0)"
        f" FROM ({_PER_CRITERION}) p JOIN criterion c ON c.id = p.criterion_id AND c.set_id = ?"
        " GROUP BY 1, 2, 3, 4, 5, 6",
        (cluster_id, year, period, set_id),
    )
    found = []
    for unit_id, kind, group, has_final, has_peer, has_self, count, final, peer, own in rows:
        present = (("final", has_final), ("peer", has_peer), ("self", has_self))
        sources = frozenset(source for source, has in present if has)
        found.append(Tally(unit_id, kind, group, sources, count, final, peer, own))
    return found


# One pass over a period's scores, per unit: enough when all of a unit's scores come from one
# source (final or self: one score per criterion) and belong to its cluster's criteria set. The
# kinds and sets of the year's few criteria are written into the query as ranges of ids, which
# spares SQLite a lookup in `criterion` for each score (about half the time of the pass on the
# benchmark's national database), and a kind the year does not use costs nothing; with more sets
# than _INLINE_SETS, the query joins `criterion`.
_INLINE_SETS = 8
_FINAL, _SELF = frozenset({"final"}), frozenset({"self"})
# The sources of a unit's scores in one sum (cheaper than their min and max): 0 for a final
# score, 1 for a self score, _PEER for a peer score; the sum is 0 when all are final, the count
# when all are self (a unit has fewer than _PEER scores).
_PEER = 1 << 32
_PER_UNIT = (
    "SELECT s.cluster_id, s.unit_id,"
    f" sum(CASE s.source WHEN 'final' THEN 0 WHEN 'self' THEN 1 ELSE {_PEER} END),"
    " count(*), sum(s.points), {bonus}, {deduction}, {sets}"
    " FROM score s{join} WHERE s.year = ? AND s.period = ?"
)


def _kind_sums(test: str) -> str:
    return f"coalesce(sum(IIF({test}, s.points, NULL)), 0), count(IIF({test}, 1, NULL))"


def _among(ids: Iterable[int]) -> str | None:
    """An SQL test that s.criterion_id is one of `ids` (None when there are none), written as
    ranges: the ids of one set are usually consecutive."""
    ranges: list[list[int]] = []
    for i in sorted(int(i) for i in ids):
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    tests = [
        f"s.criterion_id = {lo}" if lo == hi else f"s.criterion_id BETWEEN {lo} AND {hi}"
        for lo, hi in ranges
    ]
    return " OR ".join(tests) if tests else None


def _per_unit_sql(conn: sqlite3.Connection, set_ids: Collection[int]) -> tuple[str, list[int]]:
    """The per-unit pass and the set ids whose membership counts it returns, in order (empty
    when the query joins `criterion` and returns the lowest and highest set id instead)."""
    wanted = sorted(set_ids)
    if len(wanted) > _INLINE_SETS:
        sql = _PER_UNIT.format(
            bonus=_kind_sums("c.kind = 'bonus'"),
            deduction=_kind_sums("c.kind = 'deduction'"),
            sets="min(c.set_id), max(c.set_id)",
            join=" JOIN criterion c ON c.id = s.criterion_id",
        )
        return sql, []
    kinds: dict[str, list[int]] = {"bonus": [], "deduction": []}
    members: dict[int, list[int]] = {set_id: [] for set_id in wanted}
    for criterion_id, set_id, kind in conn.execute(
        "SELECT id, set_id, kind FROM criterion WHERE set_id IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    ):
        members[set_id].append(criterion_id)
        if kind in kinds:
            kinds[kind].append(criterion_id)
    sums = {}
    for kind, ids in kinds.items():
        test = _among(ids)
        sums[kind] = _kind_sums(f"({test})") if test else "0, 0"
    sql = _PER_UNIT.format(
        bonus=sums["bonus"],
        deduction=sums["deduction"],
        sets=", ".join(f"count(IIF({_among(members[i]) or '0'}, 1, NULL))" for i in wanted),
        join="",
    )
    return sql, wanted


def tallies(
    conn: sqlite3.Connection,
    year: int,
    period: str,
    sets: Mapping[int, int | None],
    *,
    grouped: Collection[int] = (),
    only: Collection[int] | None = None,
) -> dict[int, list[Tally]]:
    """cluster id -> the tallies of its units' scores in the year's period, counted against the
    cluster's criteria set (`sets`: cluster id -> set id, None for none); only the clusters in
    `only` when given. Clusters in `grouped` are tallied per criteria group too.

    Scores of criteria outside the cluster's set are left out (no set: nothing counts).
    """
    set_ids = {set_id for set_id in sets.values() if set_id is not None}
    if not set_ids:
        return {}
    sql, inline = _per_unit_sql(conn, set_ids)
    params: list[object] = [year, period]
    if only is not None and len(only) == 1:
        sql, params = sql + " AND s.cluster_id = ?", [*params, *only]
    elif only is not None:
        sql += " AND s.cluster_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(only)))
    found: dict[int, list[Tally]] = {}
    detailed: set[int] = set()
    for (cluster, unit_id, sources, count, points, bonus, bonus_count, deduction,
         deduction_count, *counted) in conn.execute(
        sql + " GROUP BY s.cluster_id, s.unit_id", params
    ):  # fmt: skip
        if cluster in detailed:
            continue
        set_id = sets.get(cluster)
        if inline:  # the set holding every one of the unit's scores, if one does
            unit_set = None
            for candidate, n in zip(inline, counted, strict=True):
                if n == count:
                    unit_set = candidate
                    break
            mixed = unit_set is None
        else:
            unit_set, mixed = counted[0], counted[0] != counted[1]
        if sources not in (0, count) or mixed or cluster in grouped:
            if set_id is not None:
                detailed.add(cluster)
                found.pop(cluster, None)
            continue
        if set_id is None or unit_set != set_id:
            continue
        final = sources == 0  # else all self: a peer score goes the detailed way
        mine = found.setdefault(cluster, [])
        for kind, n, value in (
            ("base", count - bonus_count - deduction_count, points - bonus - deduction),
            ("bonus", bonus_count, bonus),
            ("deduction", deduction_count, deduction),
        ):
            if n:
                mine.append(
                    Tally(unit_id, kind, None, _FINAL, n, final=value)
                    if final
                    else Tally(unit_id, kind, None, _SELF, n, self=value)
                )
    for cluster in sorted(detailed):
        set_id = sets[cluster]
        assert set_id is not None
        found[cluster] = _detailed(conn, cluster, year, period, set_id, cluster in grouped)
    return found


# ---------------------------------------------------------------- votes


Ballot = tuple[int, int | None, int | None]  # votes, valid ballots, ballots issued


def votes(conn: sqlite3.Connection, cluster_id: int, year: int, period: str) -> dict[int, Ballot]:
    """unit id -> (votes, valid ballots, ballots issued) at the cluster-year's review."""
    rows = conn.execute(
        "SELECT unit_id, votes, voters, issued FROM vote"
        " WHERE cluster_id = ? AND year = ? AND period = ?",
        (cluster_id, year, period),
    )
    return {unit_id: (v, voters, issued) for unit_id, v, voters, issued in rows}


def votes_of_year(conn: sqlite3.Connection, year: int, period: str) -> dict[int, dict[int, Ballot]]:
    """cluster id -> unit id -> (votes, valid ballots, ballots issued), for every cluster."""
    found: dict[int, dict[int, Ballot]] = {}
    for cluster_id, unit_id, count, voters, issued in conn.execute(
        "SELECT cluster_id, unit_id, votes, voters, issued FROM vote WHERE year = ? AND period = ?",
        (year, period),
    ):
        found.setdefault(cluster_id, {})[unit_id] = (count, voters, issued)
    return found


def members_of_year(conn: sqlite3.Connection, year: int) -> dict[int, list[Member]]:
    """cluster id -> its members in `year` (in no particular order)."""
    found: dict[int, list[Member]] = {}
    for cluster_id, *member in conn.execute(
        f"SELECT m.cluster_id, u.id, {unit_name('u', 'm.year')}, m.role,"
        f" {unit_short_name('u', 'm.year')} FROM membership m"
        " JOIN unit u ON u.id = m.unit_id WHERE m.year = ?",
        (year,),
    ):
        found.setdefault(cluster_id, []).append(Member(*member))
    return found


def set_vote(
    conn: sqlite3.Connection,
    cluster_id: int,
    year: int,
    period: str,
    unit_id: int,
    count: int,
    voters: int | None,
    issued: int | None = None,
) -> None:
    conn.execute(
        "INSERT INTO vote (cluster_id, year, period, unit_id, votes, voters, issued)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster_id, year, period, unit_id)"
        " DO UPDATE SET votes = excluded.votes, voters = excluded.voters,"
        " issued = excluded.issued",
        (cluster_id, year, period, unit_id, count, voters, issued),
    )


# ---------------------------------------------------------------- ratings


def set_rating(conn: sqlite3.Connection, unit_id: int, year: int, rating: str) -> str | None:
    """Record a unit's rating of a year; returns the one it replaces, if any."""
    row = conn.execute(
        "SELECT rating FROM rating WHERE unit_id = ? AND year = ?", (unit_id, year)
    ).fetchone()
    conn.execute(
        "INSERT INTO rating (unit_id, year, rating) VALUES (?, ?, ?)"
        " ON CONFLICT (unit_id, year) DO UPDATE SET rating = excluded.rating",
        (unit_id, year, rating),
    )
    return row[0] if row else None


def ratings_of_year(conn: sqlite3.Connection, year: int) -> dict[int, str]:
    """unit id -> its rating of `year`."""
    return dict(conn.execute("SELECT unit_id, rating FROM rating WHERE year = ?", (year,)))


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
        f"SELECT {', '.join(POLICY_FIELDS)} FROM policy WHERE year = ? AND cluster_id IS ?",
        (year, cluster_id),
    ).fetchone()
    return dict(zip(POLICY_FIELDS, row, strict=True)) if row else {}


def policy_rows_of_year(conn: sqlite3.Connection, year: int) -> dict[int, dict[str, object]]:
    """cluster id -> the cluster-year's own rule, for every cluster that has one in `year`."""
    rows = conn.execute(
        f"SELECT cluster_id, {', '.join(POLICY_FIELDS)} FROM policy"
        " WHERE year = ? AND cluster_id IS NOT NULL",
        (year,),
    )
    return {row[0]: dict(zip(POLICY_FIELDS, row[1:], strict=True)) for row in rows}


_DEFAULT_FIELDS = ("bang_khen_percent", *POLICY_FIELDS[2:])


def default_policy_row(conn: sqlite3.Connection) -> dict[str, object]:
    """The defaults every rule falls back on, as the database holds them (policy_default)."""
    row = conn.execute(f"SELECT {', '.join(_DEFAULT_FIELDS)} FROM policy_default").fetchone()
    return dict(zip(_DEFAULT_FIELDS, row, strict=True)) if row else {}


def save_policy(
    conn: sqlite3.Connection, cluster_id: int | None, year: int, values: dict[str, object]
) -> None:
    """Set the given fields (None clears one) of a year's or a cluster-year's rule."""
    current = policy_row(conn, cluster_id, year)
    merged = {**dict.fromkeys(POLICY_FIELDS), **current, **values}
    conn.execute("DELETE FROM policy WHERE year = ? AND cluster_id IS ?", (year, cluster_id))
    if any(merged[f] is not None for f in POLICY_FIELDS):
        conn.execute(
            f"INSERT INTO policy (year, cluster_id, {', '.join(POLICY_FIELDS)})"
            f" VALUES (?, ?, {', '.join('?' * len(POLICY_FIELDS))})",
            (year, cluster_id, *(merged[f] for f in POLICY_FIELDS)),
        )
