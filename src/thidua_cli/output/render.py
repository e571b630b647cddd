"""Rows to the screen or to files: one renderer per format, shared by every command.

Tables go through Rich; CSV and JSON never do (Rich wraps lines and reads [brackets] as markup).
CSV cells that begin with = + - @, a tab or a carriage return get a leading apostrophe, so that a
unit called "=SUM(1)" stays text in Excel (OWASP's advice on CSV injection); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

Format = Literal["table", "csv", "json", "md"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = False


def neutralise(value: Any) -> Any:
    """A cell that a spreadsheet cannot run as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)


def _csv_cell(value: Any) -> str:
    """Text neutralised, numbers as they are (a negative total is not a formula)."""
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return _cell_text(value)


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[Column], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c.header) for c in columns])
    keys = [c.key for c in columns]
    writer.writerows([_csv_cell(row.get(key)) for key in keys] for row in rows)


def markdown(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None
) -> str:
    """A GitHub-style Markdown table; pipes in cells are escaped."""

    def cell(value: Any) -> str:
        return _cell_text(value).replace("|", "\\|").replace("\n", " ")

    lines = [f"## {title}", ""] if title else []
    lines.append("| " + " | ".join(cell(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
    for row in rows:
        lines.append("| " + " | ".join(cell(row.get(c.key)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file in the same folder, then a rename.

    A symbolic link is followed (the file it names is replaced, the link stays); a device or a
    pipe (`-o /dev/stdout`, a FIFO) is written to directly, never renamed over.
    """
    import tempfile

    from thidua_cli.errors import DiskError, os_error_text
    from thidua_cli.i18n import _

    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        try:
            with target.open("wb") as out:
                out.write(data)
        except OSError as exc:
            raise DiskError(
                _("Cannot write {path}: {error}.").format(path=path, error=os_error_text(exc))
            ) from None
        return
    path = target
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise DiskError(
            _("Cannot write {path}: {error}.").format(path=path, error=os_error_text(exc))
        ) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise DiskError(
            _("Cannot write {path}: {error}.").format(path=path, error=os_error_text(exc))
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def console(file: TextIO | None = None) -> Any:
    """A Rich console: colour only on a terminal, NO_COLOR honoured, wide enough when piped."""
    from rich.console import Console

    out = file or sys.stdout
    is_tty = out.isatty()
    width = None if is_tty else int(os.environ.get("COLUMNS", "200") or 200)
    return Console(
        file=out,
        width=width,
        highlight=False,
        no_color=bool(os.environ.get("NO_COLOR")) or not is_tty,
        color_system="auto" if is_tty else None,
    )


def table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> Any:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    # Rich wraps the title and caption to the table's width; a narrow table must not turn a
    # title or a note into a column of word fragments, so it is made as wide as they are.
    lines = [*(title or "").splitlines(), *(caption or "").splitlines()]
    grid = Table(
        title=Text(title) if title else None,
        caption=Text(caption) if caption else None,
        title_justify="left",
        caption_justify="left",
        min_width=max((cell_len(line) for line in lines), default=0) or None,
    )
    for column in columns:
        grid.add_column(Text(column.header), justify="right" if column.numeric else "left")
    for row in rows:
        grid.add_row(*(Text(_cell_text(row.get(c.key))) for c in columns))
    return grid


def render(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    *,
    title: str | None = None,
    caption: str | None = None,
    json_data: Any = None,
) -> None:
    """Print rows in the chosen format; `json_data` replaces the plain row list for JSON."""
    if fmt == "json":
        sys.stdout.write(to_json(json_data if json_data is not None else list(rows)) + "\n")
    elif fmt == "md":
        sys.stdout.write(markdown(rows, columns, title=title))
    elif fmt == "csv":
        buffer = io.StringIO()
        write_csv(rows, columns, buffer)
        sys.stdout.write(buffer.getvalue())
    else:
        console().print(table(rows, columns, title=title, caption=caption))


def say(message: str) -> None:
    """A line of talk for the person at the terminal: stderr, so stdout stays data."""
    sys.stderr.write(message + "\n")
