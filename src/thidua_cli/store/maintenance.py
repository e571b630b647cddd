"""Keeping the file sound: the online backup, and the checks of `thidua check`."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import tempfile
from pathlib import Path

from thidua_cli.errors import DiskError, UnusableDatabase, os_error_text
from thidua_cli.i18n import _, ngettext
from thidua_cli.models import AWARD_NAMES, Finding
from thidua_cli.protected import last_opened, refuse_overwrite
from thidua_cli.vocabulary import kind_words

BACKUP_PREFIX = ".thidua-backup-"
# .thidua-backup-PID-XXXXXXXX.db, and the -journal SQLite may leave beside it
_BACKUP_TEMPORARY = re.compile(re.escape(BACKUP_PREFIX) + r"(\d+)-[^/]*\.db(-journal)?$")


def backup(conn: sqlite3.Connection, target: Path) -> int:
    """Copy the live database to `target` whole or not at all; returns the copy's size.

    SQLite's online backup API copies a consistent snapshot even while others write. The copy is
    made in a temporary file beside the target (named with this process's id, so that the next
    backup clears what a killed one left), verified with `integrity_check`, flushed to disk,
    and only then renamed over the target. A damaged database is named as the cause.
    """
    # named as the user named it, when this command opened it
    source = last_opened() or Path(conn.execute("PRAGMA database_list").fetchone()[2])
    refuse_overwrite(target, [source])
    folder = target.parent if str(target.parent) else Path(".")
    sweep_backup_leftovers(folder)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f"{BACKUP_PREFIX}{os.getpid()}-", suffix=".db"
        )
        os.close(handle)
    except OSError as exc:
        raise DiskError(
            _("Cannot write {path}: {error}.").format(path=target, error=os_error_text(exc))
        ) from exc
    try:
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            try:
                conn.backup(copy)
            except sqlite3.DatabaseError as exc:
                if _damaged(exc):  # read from the source: the source is what is damaged
                    raise _damaged_source(source) from exc
                raise
            try:
                result = copy.execute("PRAGMA integrity_check").fetchall()
            except sqlite3.DatabaseError as exc:  # too damaged for the check to finish
                if not _damaged(exc):
                    raise
                result = [(str(exc),)]
            # a single file, readable without its -wal: the copy is not in WAL mode
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        if result != [("ok",)]:
            if _source_damaged(conn):
                raise _damaged_source(source)
            raise DiskError(
                _("The copy in {path} failed its integrity check; nothing was kept.").format(
                    path=target
                )
            )
        with open(temporary, "rb") as f:
            os.fsync(f.fileno())
        # mkstemp makes the copy 0600; the backup is as readable as the database it copies
        os.chmod(temporary, _file_mode(conn))
        os.replace(temporary, target)
        return target.stat().st_size
    except (OSError, sqlite3.Error) as exc:
        reason = os_error_text(exc) if isinstance(exc, OSError) else str(exc)
        raise DiskError(
            _("Cannot write {path}: {error}.").format(path=target, error=reason)
        ) from exc
    finally:
        Path(temporary).unlink(missing_ok=True)
        Path(temporary + "-journal").unlink(missing_ok=True)


def _damaged(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "corrupt" in text or "not a database" in text


def _source_damaged(conn: sqlite3.Connection) -> bool:
    try:
        return bool(quick_check(conn))
    except sqlite3.DatabaseError as exc:
        return _damaged(exc)


def _damaged_source(source: Path) -> UnusableDatabase:
    return UnusableDatabase(
        _(
            "{path} is damaged; no backup was written. See `thidua check`, and restore it from "
            "an earlier backup (thidua restore)."
        ).format(path=source)
    )


def sweep_backup_leftovers(folder: Path) -> None:
    """Remove the temporary copies of backups whose process is gone (killed, or the machine
    stopped): a temporary copy is named with the id of the process writing it."""
    try:
        names = os.listdir(folder)
    except OSError:
        return  # the folder is refused or missing: the backup itself will say so
    for name in names:
        found = _BACKUP_TEMPORARY.match(name)
        if found and not _running(int(found.group(1))):
            # someone else's file in a shared folder is left as it is
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True


def _file_mode(conn: sqlite3.Connection) -> int:
    """The permission bits of the database file `conn` reads (0o666 less the umask for a
    database in memory)."""
    source = conn.execute("PRAGMA database_list").fetchone()[2]
    if source:
        try:
            return stat.S_IMODE(os.stat(source).st_mode)
        except OSError:
            pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# ---------------------------------------------------------------- restoring a backup


def open_backup(path: Path) -> tuple[sqlite3.Connection, int]:
    """A backup to restore, opened read-only, with its schema version, once it is known to be a
    sound thidua database this thidua can read (refused with exit 5 otherwise)."""
    from thidua_cli.store.db import _SQLITE_MAGIC, APPLICATION_ID, SCHEMA_VERSION

    if not path.exists():
        raise UnusableDatabase(
            _("There is no backup at {path}; nothing was restored.").format(path=path)
        )
    if not path.is_file():
        raise UnusableDatabase(
            _("{path} is not a file; a backup is a file. Nothing was restored.").format(path=path)
        )
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise DiskError(
            _("Cannot read {path}: {error}.").format(path=path, error=os_error_text(exc))
        ) from exc
    not_ours = UnusableDatabase(
        _("{path} is not a thidua database; nothing was restored.").format(path=path)
    )
    if not header.startswith(_SQLITE_MAGIC):
        raise not_ours
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DiskError(_("Cannot read {path}: {error}.").format(path=path, error=exc)) from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise not_ours
        if version > SCHEMA_VERSION:
            raise UnusableDatabase(
                _(
                    "{path} was written by a newer thidua (schema {found}, this one knows "
                    "{known}); nothing was restored. Upgrade thidua first."
                ).format(path=path, found=version, known=SCHEMA_VERSION)
            )
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise UnusableDatabase(
                _("{path} is damaged ({detail}); nothing was restored.").format(
                    path=path, detail=problems[0]
                )
            )
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise UnusableDatabase(
            _("{path} is damaged ({detail}); nothing was restored.").format(path=path, detail=exc)
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn, version


def keep_copy(conn: sqlite3.Connection, database: Path, target: Path) -> None:
    """The database as it is now, kept in `target` (a new file) before a restore replaces it:
    through SQLite when its pages can be read (its -wal included), else its bytes as they are
    (and its -wal beside the copy)."""
    import shutil

    try:
        try:
            copy = sqlite3.connect(target, isolation_level=None)
            try:
                conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
        except sqlite3.DatabaseError:  # damaged pages: keep what is on the disk, as it is
            target.unlink(missing_ok=True)
            shutil.copyfile(database, target)
            wal = Path(f"{database}-wal")
            if wal.exists():
                shutil.copyfile(wal, Path(f"{target}-wal"))
        with open(target, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(target, _file_mode(conn))
    except (OSError, sqlite3.Error) as exc:
        target.unlink(missing_ok=True)
        Path(f"{target}-wal").unlink(missing_ok=True)
        Path(f"{target}-journal").unlink(missing_ok=True)
        reason = os_error_text(exc) if isinstance(exc, OSError) else str(exc)
        raise DiskError(
            _("Cannot keep a copy of {database} in {path}: {error}; nothing was restored.").format(
                database=database, path=target, error=reason
            )
        ) from exc


def copy_into(backup: sqlite3.Connection, live: sqlite3.Connection, timeout_ms: int) -> None:
    """Every page of `backup` into the live database, through SQLite's backup API: one write
    to the live file, in its WAL like any other, so that no older -wal can be replayed over it
    and a reader keeps the snapshot it began with. Gives up (SQLITE_BUSY) when another writer
    holds the database longer than `timeout_ms`."""
    import time

    waited_since: list[float] = []

    def give_up_when_busy(status: int, remaining: int, total: int) -> None:
        if status not in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
            waited_since.clear()
            return
        if not waited_since:
            waited_since.append(time.monotonic())
        elif (time.monotonic() - waited_since[0]) * 1000 > timeout_ms:
            raise sqlite3.OperationalError("database is locked")

    backup.backup(live, progress=give_up_when_busy, sleep=0.05)


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


def _uncounted_scores(conn: sqlite3.Connection) -> list[Finding]:
    """Scores under criteria that no set in force counts: a cluster-year counts its own set's
    criteria, else the province default's; a score under any other set is left out of the ranking
    without a word."""
    uncounted: dict[tuple[int, str], tuple[int, dict[str, None]]] = {}
    for cluster, year, code in conn.execute(
        "SELECT cl.name, s.year, c.code FROM score s JOIN criterion c ON c.id = s.criterion_id"
        " JOIN cluster cl ON cl.id = s.cluster_id"
        " WHERE c.set_id IS NOT coalesce("
        "(SELECT id FROM criteria_set WHERE cluster_id = s.cluster_id AND year = s.year),"
        " (SELECT id FROM criteria_set WHERE cluster_id IS NULL AND year = s.year))"
        " ORDER BY s.year, cl.name, c.set_id, c.position"
    ):
        count, codes = uncounted.get((year, cluster), (0, {}))
        codes[code] = None
        uncounted[(year, cluster)] = (count + 1, codes)
    return [
        Finding(
            "error",
            ngettext(
                "{count} score of {cluster}, {year} is under criteria no set in force counts "
                "({codes}); the ranking leaves it out. Import the cluster-year's criteria with "
                "--carry-scores to move it to the criteria with the same code.",
                "{count} scores of {cluster}, {year} are under criteria no set in force counts "
                "({codes}); the ranking leaves them out. Import the cluster-year's criteria with "
                "--carry-scores to move them to the criteria with the same code.",
                count,
            ).format(count=count, cluster=cluster, year=year, codes=", ".join(codes)),
        )
        for (year, cluster), (count, codes) in uncounted.items()
    ]


def check(conn: sqlite3.Connection) -> list[Finding]:
    """Everything wrong with the database: damaged pages, broken links, broken rules."""
    found = [
        Finding("error", _("Damaged: {detail}").format(detail=d), damage=True)
        for d in quick_check(conn)
    ]
    if found:
        return found  # the other checks read the damaged pages: they could only mislead
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        found.append(
            Finding(
                "error",
                _("{table} row {row} points at a missing {parent} row.").format(
                    table=table, row=rowid, parent=parent
                ),
                damage=True,
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
    found += _uncounted_scores(conn)
    for cluster, kind, year in conn.execute(
        "SELECT c.name, c.kind, m.year FROM membership m JOIN cluster c ON c.id = m.cluster_id"
        " GROUP BY m.cluster_id, m.year HAVING sum(m.role = 'leader') = 0 ORDER BY m.year, c.name"
    ):
        found.append(
            Finding(
                "warning",
                _("{cluster} has no {leader_role} recorded for {year}.").format(
                    cluster=cluster, year=year, **kind_words(kind).fields()
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
    found += _records(conn)
    if conn.execute("SELECT 1 FROM audit_context").fetchone():
        found.append(
            Finding("warning", _("A write was left unfinished by another program (audit context)."))
        )
    return found


def _records(conn: sqlite3.Connection) -> list[Finding]:
    """Decisions that do not match the proposal they are bound to, or have none; standing
    year-end submissions whose cluster-year is not locked."""
    found = []
    for number, decided_on, unit, year, award, proposed, version, cluster in conn.execute(
        "SELECT d.decision_no, d.decided_on, u.name, s.year, d.award, r.award, s.version, c.name"
        " FROM decision d JOIN submission s ON s.id = d.submission_id"
        " JOIN submission_row r ON r.submission_id = d.submission_id AND r.unit_id = d.unit_id"
        " JOIN unit u ON u.id = d.unit_id JOIN cluster c ON c.id = s.cluster_id"
        " WHERE r.award IS NOT d.award ORDER BY s.year, c.name, u.name"
    ):
        found.append(
            Finding(
                "error",
                _(
                    "The decision {number} of {date} on {unit} ({year}) is on the {award}, but "
                    "version {version} of the submission of {cluster} proposes {proposed} for it."
                ).format(
                    number=number or "-",
                    date="/".join(reversed(decided_on.split("-"))),
                    unit=unit,
                    year=year,
                    award=AWARD_NAMES[award],
                    version=version,
                    cluster=cluster,
                    proposed=AWARD_NAMES[proposed] if proposed else _("no award"),
                ),
            )
        )
    for decision_id, number in conn.execute(
        "SELECT d.id, d.decision_no FROM decision d WHERE NOT EXISTS (SELECT 1 FROM submission_row"
        " r WHERE r.submission_id = d.submission_id AND r.unit_id = d.unit_id)"
    ):
        found.append(
            Finding(
                "error",
                _("The decision {number} (row {row}) is bound to no submitted proposal.").format(
                    number=number or "-", row=decision_id
                ),
            )
        )
    for cluster, year, version in conn.execute(
        "SELECT c.name, s.year, s.version FROM submission s JOIN cluster c ON c.id = s.cluster_id"
        " WHERE s.period = 'year' AND s.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM"
        " cluster_lock l WHERE l.cluster_id = s.cluster_id AND l.year = s.year)"
    ):
        found.append(
            Finding(
                "warning",
                _(
                    "{cluster} submitted its review of {year} (version {version}) but is not "
                    "locked: its scores can change under the record."
                ).format(cluster=cluster, year=year, version=version),
            )
        )
    return found
