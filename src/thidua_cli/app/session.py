"""What every command does with the database and the names typed, without Typer.

Kept outside the `cli` package (whose options need Typer) so that the quick path of `thidua
rank` (main.py) runs without importing Typer at all. The commands open the file through
`cli.common`, which re-exports `reading` and `writing`; the lookups by name and the lock checks
are for the use cases (app/).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from thidua_cli.errors import InvalidInput, ThiduaError
from thidua_cli.i18n import _
from thidua_cli.models import Cluster, Member, Unit
from thidua_cli.rules.matching import listing_of, match_one
from thidua_cli.store import db, locks, registry


def database_path(option: Path | None) -> Path:
    """The database of this command: --db, else $THIDUA_DB, else ./thidua.db."""
    return db.resolve_path(option)


@contextmanager
def open_db(path: Path | None, *, create: bool = False) -> Iterator[sqlite3.Connection]:
    """The database of this command, closed afterwards whatever happens."""
    conn = db.connect(db.resolve_path(path), create=create)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def reading(path: Path | None) -> Iterator[sqlite3.Connection]:
    """The database, read in one snapshot (store.db.snapshot) from the first read to the end:
    what a read command shows is one state of the file, never half of a write made meanwhile."""
    resolved = db.resolve_path(path)
    with open_db(resolved) as conn, db.snapshot(conn, resolved):
        yield conn


@contextmanager
def writing(path: Path | None) -> Iterator[sqlite3.Connection]:
    """The database, inside one write transaction (BEGIN IMMEDIATE ... COMMIT), once the file
    has been found sound."""
    from thidua_cli.store import audit, maintenance  # writes only

    resolved = db.resolve_path(path)
    with open_db(resolved) as conn:
        # The whole-file check reads every page (a fifth of a second at 13 MB): done before
        # the write lock is taken, so that other writers do not wait for it (in WAL mode
        # it blocks none of them).
        try:
            maintenance.refuse_if_damaged(conn, resolved)
        except sqlite3.Error as exc:
            raise db.translate_error(exc, resolved) from exc
        with db.transaction(conn, resolved):
            audit.begin(conn)
            yield conn
            audit.end(conn)


def find_unit(
    conn: sqlite3.Connection, query: str, *, among: tuple[Cluster, int] | None = None
) -> Unit:
    """The unit `query` names, among all units; `among` (a cluster and a year) is where the
    unit is wanted: when no name is near, the error lists that cluster-year's members."""
    exact = registry.exact_ids(conn, "unit", query)
    if len(exact) == 1:
        return registry.unit_by_id(conn, exact[0])
    listing = members_listing(conn, *among) if among is not None else ""
    found = match_one(query, registry.unit_candidates(conn), what=_("unit"), listing=listing)
    return registry.unit_by_id(conn, found.id)


def members_listing(
    conn: sqlite3.Connection,
    cluster: Cluster,
    year: int,
    members: Sequence[Member] | None = None,
) -> str:
    """'Cụm I in 2020 has: A; B; C.', for an error about a unit that is nowhere near."""
    if members is None:
        members = registry.members(conn, cluster.id, year)
    names = [m.short_name or m.name for m in members]
    sentence = _("{cluster} in {year} has: {names}.").format(
        cluster=cluster.name, year=year, names="{names}"
    )
    return listing_of(sentence, names)


def find_units_quietly(conn: sqlite3.Connection, queries: Sequence[str]) -> list[Unit | str]:
    """For each name, the unit it names, or why none is found (one line)."""
    candidates = registry.unit_candidates(conn)
    found: list[Unit | str] = []
    for query in queries:
        try:
            found.append(registry.unit_by_id(conn, match_one(query, candidates, what=_("unit")).id))
        except ThiduaError as exc:
            found.append(" ".join([exc.message, *exc.details]))
    return found


def find_units(conn: sqlite3.Connection, queries: Sequence[str]) -> list[Unit]:
    """Every unit named; all the names that fit nothing or several are reported together."""
    answers = find_units_quietly(conn, queries)
    problems = [answer for answer in answers if isinstance(answer, str)]
    found = [answer for answer in answers if not isinstance(answer, str)]
    if problems:
        if len(problems) == 1 and len(queries) == 1:
            raise InvalidInput(problems[0])
        raise InvalidInput(_("Some units were not found; nothing was changed:"), details=problems)
    return found


def find_cluster(
    conn: sqlite3.Connection, query: str, year: int | None = None, *, or_year: int | None = None
) -> Cluster:
    """The cluster `query` names; among reused numbers, the one with members in `year`.

    When no cluster has members in `year` yet, those with members in `or_year` are preferred.
    """
    exact = registry.exact_ids(conn, "cluster", query)
    if len(exact) == 1:  # a whole name or alias names one cluster, whatever the year
        return registry.cluster_by_id(conn, exact[0])
    candidates = registry.cluster_candidates(conn, year)
    if or_year is not None and not any(c.active for c in candidates):
        candidates = registry.cluster_candidates(conn, or_year)
        year = or_year
    active = [c.name for c in candidates if c.active]
    if active:
        listing = listing_of(
            _("In {year} there are: {names}.").format(year=year, names="{names}"), active
        )
    else:  # no year, or none with members in it: every cluster, with its years
        listing = listing_of(_("There are: {names}."), [c.label or c.name for c in candidates])
    found = match_one(query, candidates, what=_("cluster"), listing=listing)
    return registry.cluster_by_id(conn, found.id)


def ensure_unlocked(conn: sqlite3.Connection, cluster: Cluster, year: int) -> None:
    """Refuse, naming it, a change to a locked cluster-year (the database refuses it too)."""
    if locks.is_locked(conn, cluster.id, year):
        raise InvalidInput(locked_message(cluster.name, year))


def ensure_papers_unlocked(conn: sqlite3.Connection, cluster: Cluster, year: int) -> None:
    """Refuse a change to what a locked cluster-year's papers print (the database refuses it
    too): its conferences, covenant and signer."""
    if locks.is_locked(conn, cluster.id, year):
        raise InvalidInput(
            _(
                "{cluster} is locked for {year}: its conferences, covenant and the signer of its "
                "papers cannot change. Unlock it first: thidua unlock --cluster ... --year {year} "
                "--reason ..."
            ).format(cluster=cluster.name, year=year)
        )


def ensure_unit_unlocked(conn: sqlite3.Connection, unit: Unit, year: int) -> None:
    cluster = locks.unit_locked(conn, unit.id, year)
    if cluster is not None:
        raise InvalidInput(locked_message(cluster, year))


def ensure_year_unlocked(conn: sqlite3.Connection, year: int) -> None:
    """A rule for every cluster of a year would change the locked ones too."""
    locked = locks.locked_in_year(conn, year)
    if locked:
        raise InvalidInput(locked_message(", ".join(locked), year))


def locked_message(cluster: str, year: int) -> str:
    return _(
        "{cluster} is locked for {year}: its scores, votes, flags, ratings, policy and members "
        "cannot change. Unlock it first: thidua unlock --cluster ... --year {year} --reason ..."
    ).format(cluster=cluster, year=year)
