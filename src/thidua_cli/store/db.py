"""Opening the database: where it is, whether it is ours, its pragmas and its migrations.

The hot paths use the standard library's `sqlite3` directly: it costs nothing to import, and
thidua needs exact control of transactions (`BEGIN IMMEDIATE`, one transaction per command),
which sqlite-utils' helpers would commit chunk by chunk.

A file is checked before anything is written to it: a file that is not SQLite, a SQLite file of
another program (a different `application_id`, or tables without ours), and a thidua database
written by a newer thidua (a `user_version` past the migrations this version knows) are refused
and left exactly as they were.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from thidua_cli.errors import (
    DatabaseBusy,
    DiskError,
    InvalidInput,
    ThiduaError,
    UnusableDatabase,
    os_error_text,
)
from thidua_cli.i18n import _

# "THDA" in ASCII: PRAGMA application_id marks the file as thidua's.
APPLICATION_ID = 0x54484441
DEFAULT_DB = "thidua.db"
DEFAULT_BUSY_TIMEOUT_MS = 5000
# The number of migrations (len(store.migrations.MIGRATIONS); tests/test_database.py holds the
# two equal). Written out so that opening a database already up to date does not load the
# migrations, 1,700 lines of SQL that every `thidua rank` would otherwise read at start.
SCHEMA_VERSION = 15

_SQLITE_MAGIC = b"SQLite format 3\x00"


def resolve_path(option: Path | None) -> Path:
    """The one rule for the database path: --db, else THIDUA_DB, else ./thidua.db."""
    if option is not None and str(option) != "":
        return option
    env = os.environ.get("THIDUA_DB")
    if env:
        return Path(env)
    return Path(DEFAULT_DB)


def busy_timeout_ms() -> int:
    raw = os.environ.get("THIDUA_BUSY_TIMEOUT", "")
    try:
        return max(0, int(raw)) if raw else DEFAULT_BUSY_TIMEOUT_MS
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_MS


def translate_error(exc: sqlite3.Error, path: Path | None = None) -> ThiduaError:
    """The user's words for what SQLite said, naming the database (the one this command opened
    when `path` is not given)."""
    from thidua_cli.protected import last_opened

    text = str(exc).lower()
    path = path or last_opened()
    if path is None:
        return _translate_unnamed(exc, text)
    where = str(path)
    if isinstance(exc, sqlite3.IntegrityError):
        # thidua checks its rules before writing; this is the database's own guard speaking.
        if "frozen" in text:
            return InvalidInput(
                _(
                    "The change touches a locked cluster-year; nothing was written. Unlock it "
                    "first (thidua unlock)."
                )
            )
        if "append-only" in text:
            return InvalidInput(_("The audit log cannot be changed; nothing was written."))
        if "thidua:" in text:  # the guards of the year's record (migration 7)
            return InvalidInput(
                _("The year's record refused the change ({reason}); nothing was written.").format(
                    reason=str(exc).split("thidua:", 1)[1].strip()
                )
            )
        return InvalidInput(_("The database refused the change: {error}.").format(error=exc))
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            _("The database {path} is busy: another thidua is writing. Try again.").format(
                path=where
            )
        )
    if "full" in text:
        return DiskError(_("The disk is full: nothing was written to {path}.").format(path=where))
    if "readonly" in text or "read-only" in text:
        return DiskError(
            _("The database {path} is read-only: nothing was written.").format(path=where)
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return UnusableDatabase(
            _("The database {path} is damaged or not a database ({error}).").format(
                path=where, error=exc
            )
        )
    if "unable to open" in text:
        return DiskError(_("Cannot open the database {path}.").format(path=where))
    return DiskError(
        _("The database {path} could not be read or written: {error}.").format(
            path=where, error=exc
        )
    )


def _translate_unnamed(exc: sqlite3.Error, text: str) -> ThiduaError:
    """What SQLite said, when no database is known to name (never an empty name)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return InvalidInput(_("The database refused the change: {error}.").format(error=exc))
    if "locked" in text or "busy" in text:
        return DatabaseBusy(_("The database is busy: another thidua is writing. Try again."))
    if "full" in text:
        return DiskError(_("The disk is full: nothing was written."))
    if "readonly" in text or "read-only" in text:
        return DiskError(_("The database is read-only: nothing was written."))
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return UnusableDatabase(
            _("The database is damaged or not a database ({error}).").format(error=exc)
        )
    return DiskError(_("The database could not be read or written: {error}.").format(error=exc))


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(100)
    except OSError as exc:
        raise DiskError(
            _("Cannot read {path}: {error}.").format(path=path, error=os_error_text(exc))
        ) from exc


def _check_header(path: Path, header: bytes) -> None:
    if not header:
        return  # an empty file: SQLite treats it as a new database
    if not header.startswith(_SQLITE_MAGIC):
        raise UnusableDatabase(
            _(
                "{path} is not a thidua database (not an SQLite file); it was left untouched."
            ).format(path=path)
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise UnusableDatabase(
            _("{path} belongs to another program, not thidua; it was left untouched.").format(
                path=path
            )
        )


def _check_owner(conn: sqlite3.Connection, path: Path, *, creating: bool) -> int:
    """The schema version of an open file, after refusing what is not ours or is newer."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    if app_id != APPLICATION_ID:
        if tables or version:
            raise UnusableDatabase(
                _("{path} is not a thidua database; it was left untouched.").format(path=path)
            )
        if not creating:
            raise UnusableDatabase(
                _("{path} is not a thidua database yet. Run `thidua init` first.").format(path=path)
            )
    if version > SCHEMA_VERSION:
        raise UnusableDatabase(
            _(
                "{path} was written by a newer thidua (schema {found}, this one knows {known}). "
                "Upgrade thidua; the file was left untouched."
            ).format(path=path, found=version, known=SCHEMA_VERSION)
        )
    return version


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    from thidua_cli.store.migrations import MIGRATIONS

    with transaction(conn, path):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:  # another process upgraded it meanwhile
            _check_owner(conn, path, creating=False)
        for number in range(version, SCHEMA_VERSION):
            for step in MIGRATIONS[number]:
                if callable(step):
                    step(conn)
                else:
                    conn.execute(step)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """Open (or with `create`, make) a thidua database, migrated to this version's schema."""
    from thidua_cli.protected import opened

    opened(path)
    exists = path.exists()
    if not exists and not create:
        raise UnusableDatabase(
            _("There is no database at {path}. Run `thidua init` to create it.").format(path=path)
        )
    if exists:
        if path.is_dir():
            raise UnusableDatabase(_("{path} is a folder, not a database.").format(path=path))
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe or a device: never waited on
            raise UnusableDatabase(
                _("{path} is not a file (a pipe or a device), not a database.").format(path=path)
            )
        _check_header(path, _read_header(path))
    if exists and not _writable(path):
        return _connect_read_only(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms() / 1000)
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        version = _check_owner(conn, path, creating=create)
        # WAL always: a restored backup (written in rollback-journal mode) comes back to it
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        if version < SCHEMA_VERSION:
            _migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        if not exists:
            path.unlink(missing_ok=True)
        raise translate_error(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _writable(path: Path) -> bool:
    """Whether this process may change the file and make its -wal and -shm beside it."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A file this process may not change: open it for reading only; every write is refused.

    A WAL database can be read without write access only if its -wal and -shm files exist or
    can be made; otherwise SQLite is told the file is immutable, which it is, for this process.
    """
    uri = path.resolve().as_uri()
    last: sqlite3.Error | None = None
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(uri + query, uri=True, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            version = _check_owner(conn, path, creating=False)
        except sqlite3.Error as exc:
            last = exc
            continue
        if version < SCHEMA_VERSION:
            conn.close()
            raise UnusableDatabase(
                _(
                    "{path} is read-only and was made by an older thidua; open it once with "
                    "write access so that thidua can bring it up to date."
                ).format(path=path)
            )
        return conn
    assert last is not None
    raise translate_error(last, path) from last


@contextmanager
def snapshot(conn: sqlite3.Connection, path: Path | None = None) -> Iterator[None]:
    """One read: everything read inside sees the database as it stood at the first read.

    Without it every statement sees the latest commit, so a report read while an import commits
    could print the old proposal beside the new leader. BEGIN DEFERRED takes no lock; the first
    read fixes the snapshot (in WAL mode writers go on meanwhile), and it is held until the
    command has read all it needs.
    """
    try:
        conn.execute("BEGIN DEFERRED")
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate_error(exc, path) from exc
    try:
        yield
    finally:
        if conn.in_transaction:  # a read writes nothing: nothing to keep
            conn.execute("ROLLBACK")


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path | None = None) -> Iterator[None]:
    """One write: BEGIN IMMEDIATE, then all of it (COMMIT) or none of it (ROLLBACK)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    try:
        yield
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate_error(exc, path) from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
