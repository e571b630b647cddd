"""The files thidua never writes over: the databases this command has opened, and their
-wal, -shm and -journal files.

Every file thidua writes for the user (`-o`, `export`, `backup`, the criteria template, the
scoring sheets) goes through `refuse_overwrite` first; `store.db.connect` notes each database it
opens with `opened`. A path is compared however it is spelled: relative or absolute, with `..`,
through symbolic links, or as another hard link to the same file (`os.path.samefile` when both
exist, the resolved paths otherwise). Kept apart from `store` and `output` so that both can
reach it; it holds the paths of one command, and `forget` starts the next one afresh (the
tests run many commands in one process).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

# SQLite's own files beside a database, named by adding these to its path
COMPANIONS = ("-wal", "-shm", "-journal")

# (the path as the user gave it, for messages; the absolute path, to compare)
_opened: list[tuple[Path, Path]] = []


def forget() -> None:
    """A new command: no database is open yet."""
    _opened.clear()


def opened(path: Path) -> None:
    """The command opens the database at `path`."""
    entry = (path, Path(os.path.abspath(path)))
    if entry not in _opened:
        _opened.append(entry)


def last_opened() -> Path | None:
    """The database this command opened last, to name it in a message; None if none."""
    return _opened[-1][0] if _opened else None


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): where they lead is what counts
        return os.path.realpath(a) == os.path.realpath(b)


def database_file_of(target: Path, databases: Iterable[Path] = ()) -> tuple[Path, str] | None:
    """(the database, "" or "-wal", "-shm", "-journal") when `target` is one of the files of a
    database this command opened or of `databases`; None when it is none of them."""
    known = [*_opened, *((d, Path(os.path.abspath(d))) for d in databases)]
    for database, absolute in known:
        for suffix in ("", *COMPANIONS):
            spelled = Path(f"{absolute}{suffix}")
            # SQLite puts the -wal beside the file a symbolic link names, not beside the link
            real = Path(f"{os.path.realpath(absolute)}{suffix}")
            if _same(target, spelled) or _same(target, real):
                return database, suffix
    return None


def refuse_overwrite(target: Path, databases: Iterable[Path] = ()) -> None:
    """Stop (exit 3, nothing written) before `target` replaces a database or one of its files."""
    from thidua_cli.errors import InvalidInput
    from thidua_cli.i18n import _

    found = database_file_of(target, databases)
    if found is None:
        return
    database, suffix = found
    if not suffix and str(target) == str(database):
        raise InvalidInput(
            _("{path} is the database itself; nothing was written. Choose another file.").format(
                path=target
            )
        )
    if not suffix:
        raise InvalidInput(
            _(
                "{path} is the database {database} itself; nothing was written. Choose another "
                "file."
            ).format(path=target, database=database)
        )
    raise InvalidInput(
        _(
            "{path} is the {suffix} file of the database {database}; nothing was written. "
            "Choose another file."
        ).format(path=target, suffix=suffix, database=database)
    )
