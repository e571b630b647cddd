"""Keeping the file sound: the online backup, and the checks of `thidua check`."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from thidua_cli.errors import DiskError, ThiduaError, UnusableDatabase
from thidua_cli.i18n import _


def backup(conn: sqlite3.Connection, target: Path) -> int:
    """Copy the live database to `target` whole or not at all; returns the copy's size.

    SQLite's online backup API copies a consistent snapshot even while others write. The copy is
    made in a temporary file beside the target, verified with `integrity_check`, flushed to disk,
    and only then renamed over the target.
    """
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".thidua-backup-", suffix=".db")
        os.close(handle)
    except OSError as exc:
        raise DiskError(
            _("Cannot write {path}: {error}.").format(path=target, error=exc.strerror)
        ) from exc
    try:
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            conn.backup(copy)
            result = copy.execute("PRAGMA integrity_check").fetchall()
            # a single file, readable without its -wal: the copy is not in WAL mode
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        if result != [("ok",)]:
            raise DiskError(
                _("The copy in {path} failed its integrity check; nothing was kept.").format(
                    path=target
                )
            )
        with open(temporary, "rb") as f:
            os.fsync(f.fileno())
        os.replace(temporary, target)
        return target.stat().st_size
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise DiskError(
            _("Cannot write {path}: {error}.").format(path=target, error=reason)
        ) from exc
    finally:
        Path(temporary).unlink(missing_ok=True)


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning
    message: str


DEFAULT_CHECK_LIMIT_MB = 64


def worth_checking(path: Path) -> bool:
    """Whether a write should first check the whole file (`quick_check`).

    It reads every page: about a third of a second for a province's database of ten years,
    seconds for a national one. Above THIDUA_CHECK_LIMIT_MB (64 by default) a write relies on
    SQLite catching the damaged pages it reads, and on `thidua check`.
    """
    raw = os.environ.get("THIDUA_CHECK_LIMIT_MB", "")
    try:
        limit = float(raw) if raw else DEFAULT_CHECK_LIMIT_MB
    except ValueError:
        limit = DEFAULT_CHECK_LIMIT_MB
    try:
        return path.stat().st_size <= limit * 1024 * 1024
    except OSError:
        return True


def refuse_if_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """Before a write: stop if the file is damaged (see `worth_checking` for how far we look)."""
    conn.execute("PRAGMA cell_size_check = ON")  # damaged pages read on the way are caught too
    if worth_checking(path) and quick_check(conn):
        raise UnusableDatabase(
            _(
                "{path} is damaged; nothing was written. See `thidua check`, and restore it "
                "from a backup."
            ).format(path=path)
        )


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's own check of every page; empty when the file is sound."""
    rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def check(conn: sqlite3.Connection) -> list[Finding]:
    """Everything wrong with the database: damaged pages, broken links, broken rules."""
    found = [Finding("error", _("Damaged: {detail}").format(detail=d)) for d in quick_check(conn)]
    if found:
        return found  # the other checks read the damaged pages: they could only mislead
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        found.append(
            Finding(
                "error",
                _("{table} row {row} points at a missing {parent} row.").format(
                    table=table, row=rowid, parent=parent
                ),
            )
        )
    for name, count in conn.execute(
        "SELECT c.code, count(*) FROM score s JOIN criterion c"
        " ON c.id = s.criterion_id WHERE s.points > c.max_points GROUP BY c.id"
    ):
        found.append(
            Finding(
                "error",
                _("{count} scores of criterion {code} are above its maximum.").format(
                    count=count, code=name
                ),
            )
        )
    for cluster, year in conn.execute(
        "SELECT c.name, m.year FROM membership m JOIN cluster c ON c.id = m.cluster_id"
        " GROUP BY m.cluster_id, m.year HAVING sum(m.role = 'leader') = 0 ORDER BY m.year, c.name"
    ):
        found.append(
            Finding(
                "warning",
                _("{cluster} has no leader recorded for {year}.").format(
                    cluster=cluster, year=year
                ),
            )
        )
    for cluster, year in conn.execute(
        "SELECT c.name, l.year FROM cluster_lock l JOIN cluster c ON c.id = l.cluster_id"
        " WHERE NOT EXISTS (SELECT 1 FROM membership m"
        " WHERE m.cluster_id = l.cluster_id AND m.year = l.year)"
    ):
        found.append(
            Finding(
                "warning",
                _("{cluster} is locked for {year} but has no members that year.").format(
                    cluster=cluster, year=year
                ),
            )
        )
    # The ranking view matches tie-break groups by keys thidua writes; a criterion or a rule
    # written by another tool may lack them, and the view would pass that step over.
    from thidua_cli.rules.policy import tie_break_key
    from thidua_cli.rules.text import fold_key

    stale = [
        code for code, group, key in conn.execute("SELECT code, grp, grp_key FROM criterion")
        if key != fold_key(group)
    ]  # fmt: skip
    if stale:
        found.append(
            Finding(
                "error",
                _(
                    "The group key of {count} criteria ({codes}) does not match their group; "
                    "import the criteria again with thidua."
                ).format(count=len(stale), codes=", ".join(stale[:5])),
            )
        )
    for chain, key in conn.execute(
        "SELECT tie_break, tie_break_key FROM policy WHERE tie_break IS NOT NULL"
        " UNION ALL SELECT tie_break, tie_break_key FROM policy_default"
    ):
        try:
            expected = tie_break_key(chain)
        except ThiduaError:
            expected = None
        if key != expected:
            found.append(
                Finding(
                    "error",
                    _(
                        "The tie-break “{chain}” was written without its key; set it again "
                        "with thidua policy set."
                    ).format(chain=chain),
                )
            )
    if conn.execute("SELECT 1 FROM audit_context").fetchone():
        found.append(
            Finding("warning", _("A write was left unfinished by another program (audit context)."))
        )
    return found
