"""Rows to the screen or to files: one renderer per format, shared by every command.

What a name could inject is escaped in every text format: Markdown's marks (`md_text`) and HTML's
(html.escape), so that a unit called "<script>", "| x |" or "**b**" reads as itself.

Tables go through Rich; CSV and JSON never do (Rich wraps lines and reads [brackets] as markup).
CSV cells that begin with = + - @, a tab or a carriage return get a leading apostrophe, so that a
unit called "=SUM(1)" stays text in Excel (OWASP's advice on CSV injection); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

# The version of the JSON shapes (schemas/*.json); raised when a key changes meaning or goes.
SCHEMA_VERSION = 1
Format = Literal["table", "csv", "json", "md", "html", "xlsx", "docx"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a command's rows: the row's key, its header, how it is shown."""

    key: str
    header: str
    numeric: bool = False
    # a code a script reads (award_code, role, stage) beside the label a person reads: written
    # in CSV only, where the columns are what programs rely on
    code: bool = False


def for_people(columns: Sequence[Column]) -> list[Column]:
    """The columns a person reads: screens, Markdown, HTML and workbooks leave the codes out."""
    return [c for c in columns if not c.code]


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


# What Markdown reads as a mark anywhere in a line: emphasis, code, links and images, HTML,
# table cells, strikethrough, an entity ("&amp;"), and "_" where it starts or ends a word (inside
# a word, as in a file name "000_0769.txt", it is a plain letter). Patterns, not compiled ones:
# `re` compiles them on first use, so the commands that write no Markdown never pay for it.
_MD_MARKS = r"([\\`*\[\]<>|~])|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)"
# What makes a line a heading, a quote, a list item or a heading's underline.
_MD_LINE_START = r"^(\s*)([-+=#>])"


def md_text(text: str, *, line: bool = True) -> str:
    """`text` as Markdown shows it: every mark that would change what it shows escaped; `line`:
    it starts a line (a paragraph, a list item, a heading), where "#", ">", "- " and "=" mean
    something too. A numbered start ("4. Hội nghị ...") is left as it is: Markdown shows it with
    the same number and words."""
    escaped = re.sub(_MD_MARKS, lambda m: "\\" + m.group(0), text)
    if line:
        escaped = re.sub(_MD_LINE_START, r"\1\\\2", escaped, count=1)
    return escaped


def markdown(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None
) -> str:
    """A GitHub-style Markdown table; what a cell holds is escaped (`md_text`)."""

    def cell(value: Any) -> str:
        return md_text(_cell_text(value).replace("\n", " "), line=False)

    columns = for_people(columns)
    lines = [f"## {md_text(title)}", ""] if title else []
    lines.append("| " + " | ".join(cell(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
    for row in rows:
        lines.append("| " + " | ".join(cell(row.get(c.key)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


# -o's suffix names the format; one table for every command.
SUFFIX_FORMATS = {
    ".csv": "csv",
    ".json": "json",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".xlsx": "xlsx",
}
# What a command that lists rows writes, and what a command that writes a paper writes.
ROWS: tuple[str, ...] = ("table", "csv", "json", "md", "html", "xlsx")
PAPERS: tuple[str, ...] = ("md", "html", "docx", "json")
_FILE_ONLY = ("docx", "xlsx")  # binary: a file, never the terminal


def file_of(output: Path | None) -> Path | None:
    """The file `-o` names, or None for stdout (no -o, or `-o -`)."""
    if output is None or str(output) == "-":
        return None
    return output


def output_format(
    fmt: str | None, output: Path | None, supported: Sequence[str] = ROWS, *, default: str = "table"
) -> str:
    """The one rule for -o and --format, used by every command that writes rows or a paper.

    With a file, its suffix names the format; --format may repeat it but not contradict it
    (`fmt` is None when --format was not given). Without a file
    (or with `-o -`), --format chooses, else `default`. A suffix the command cannot write, a
    conflict, or a binary format for the terminal is a usage error (exit 2), raised before
    anything is read or written."""
    from thidua_cli.errors import UsageError
    from thidua_cli.i18n import _

    writable = [f for f in supported if f != "table"]
    known = ", ".join(
        sorted({s for s, f in SUFFIX_FORMATS.items() if f in writable and s != ".htm"})
    )
    path = file_of(output)
    if path is None:
        chosen = fmt or default
        if chosen in _FILE_ONLY:
            raise UsageError(
                _("A .{format} file cannot go to the terminal; give -o FILE.{format}.").format(
                    format=chosen
                )
            )
        if chosen not in supported:
            raise UsageError(
                _("This command does not write {format}; it writes: {known}.").format(
                    format=chosen, known=", ".join(supported)
                )
            )
        return chosen
    suffix = path.suffix.lower()
    by_suffix = SUFFIX_FORMATS.get(suffix)
    if by_suffix is None and fmt not in (None, "table") and fmt not in _FILE_ONLY and not suffix:
        return fmt  # a name without a suffix (/dev/stdout, a pipe): --format says what to write
    if by_suffix is None or by_suffix not in writable:
        raise UsageError(
            _("This command cannot write a “{suffix}” file ({path}); it writes: {known}.").format(
                suffix=suffix or path.name, path=path, known=known
            )
        )
    if fmt not in (None, by_suffix):
        raise UsageError(
            _("--format {format} contradicts the file name {path}; drop one of them.").format(
                format=fmt, path=path
            )
        )
    return by_suffix


def html_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> str:
    """A page with one table, for a browser or to paste into Word; everything escaped."""
    import html

    e = html.escape
    columns = for_people(columns)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{e(title or '')}</title>",
        "<style>body{font-family:'Times New Roman',serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:2px 6px}td.n{text-align:right}</style>",
        "</head><body>",
    ]
    if title:
        parts.append(f"<h1>{e(title)}</h1>")
    parts.append("<table><thead><tr>")
    parts.extend(f"<th>{e(c.header)}</th>" for c in columns)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        cells = (
            f'<td class="n">{e(_cell_text(row.get(c.key)))}</td>'
            if c.numeric
            else f"<td>{e(_cell_text(row.get(c.key)))}</td>"
            for c in columns
        )
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    parts.extend(f"<p>{e(line)}</p>" for line in (caption or "").splitlines() if line.strip())
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def rows_workbook(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> bytes:
    """The rows as a workbook that prints: thidua's one table sheet (output.workbook)."""
    from thidua_cli.output.workbook import table_workbook

    columns = for_people(columns)
    return table_workbook(
        sheet_title=title or "thidua",
        headers=[c.header for c in columns],
        rows=[[_xlsx_cell(row.get(c.key)) for c in columns] for row in rows],
        note=caption or None,
    )


def _xlsx_cell(value: Any) -> Any:
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(_cell_text(v) for v in value)
    return _cell_text(value)


def rows_bytes(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    title: str | None = None,
    caption: str | None = None,
    json_data: Any = None,
    for_file: bool = False,
) -> bytes:
    """Rows in a file format (csv, json, md, html, xlsx): one renderer per format."""
    if fmt == "xlsx":
        return rows_workbook(rows, columns, title=title, caption=caption)
    if fmt == "json":
        data = json_data if json_data is not None else list(rows)
        if isinstance(data, dict) and "schema_version" not in data:
            data = {"schema_version": SCHEMA_VERSION, **data}  # an object names its shape
        text = to_json(data) + "\n"
    elif fmt == "md":
        text = markdown(rows, columns, title=title)
        text += "".join(
            f"\n{md_text(line)}\n" for line in (caption or "").splitlines() if line.strip()
        )
    elif fmt == "html":
        text = html_table(rows, columns, title=title, caption=caption)
    elif fmt == "csv":
        buffer = io.StringIO()
        write_csv(rows, columns, buffer)
        # a file gets the BOM that tells Excel it is UTF-8; a pipe to a script does not
        text = ("\ufeff" if for_file else "") + buffer.getvalue()
    else:  # pragma: no cover - output_format() lets no other format through
        raise ValueError(fmt)
    return text.encode("utf-8")


def deliver(data: bytes | str, output: Path | None, *, wrote: str | None = None) -> None:
    """Bytes to the file -o names (whole or not at all, with a line on stderr) or to stdout."""
    # spoken() is the user's language even while a CSV or JSON is built in the forms' words;
    # named _ so that scripts/i18n.py finds the message
    from thidua_cli.i18n import spoken as _

    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = file_of(output)
    if path is None:  # only text comes here: output_format() keeps .docx/.xlsx off the terminal
        sys.stdout.write(payload.decode("utf-8"))
        return
    replaced = write_atomic(path, payload)
    say(written_note(wrote or _("Wrote {path}.").format(path=path), replaced=replaced))


def written_note(message: str, *, replaced: bool) -> str:
    """The line that says a file was written, telling when it took the place of one."""
    from thidua_cli.i18n import spoken as _

    if not replaced:
        return message
    note = _(" (replaced the existing file)")
    if message.endswith("."):
        return message[:-1] + note + "."
    return message + note


def write_atomic(path: Path, data: bytes) -> bool:
    """Write a file whole or not at all: a temporary file in the same folder, then a rename.
    Returns whether an existing file was replaced.

    A symbolic link is followed (the file it names is replaced, the link stays); a device or a
    pipe (`-o /dev/stdout`, a FIFO) is written to directly, never renamed over. A database this
    command opened, and its -wal, -shm and -journal files, are never written over.
    """
    import stat
    import tempfile

    from thidua_cli.errors import DiskError, os_error_text
    from thidua_cli.i18n import _
    from thidua_cli.protected import refuse_overwrite

    refuse_overwrite(path)
    try:
        # followed as the system follows it: /dev/stdout is the pipe or the terminal it names
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(path, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise DiskError(
                _("Cannot write {path}: {error}.").format(path=path, error=os_error_text(exc))
            ) from None
        return False
    path = Path(os.path.realpath(path))
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
        # mkstemp makes the file 0600; a report left on a shared drive must be readable as
        # the user's umask says, like any file their other programs write
        os.chmod(temporary, _umask_mode())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise DiskError(
            _("Cannot write {path}: {error}.").format(path=path, error=os_error_text(exc))
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return mode is not None


def _umask_mode() -> int:
    """0o666 less the process's umask (read by setting it, then putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


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
    columns = for_people(columns)
    for column in columns:
        if column.numeric:
            # a number is never cut ("9…"): its column is never narrower than its widest value
            # (the header may wrap); the names fold instead
            widest = max((cell_len(_cell_text(row.get(column.key))) for row in rows), default=0)
            if " " not in column.header:  # a code ("T.2") is not folded either
                widest = max(widest, cell_len(column.header))
            grid.add_column(
                Text(column.header, overflow="fold"),
                justify="right",
                min_width=widest or None,
            )
        else:
            # a name wraps at its spaces, and keeps room for a short word or two
            longest = max(
                (
                    cell_len(word)
                    for row in rows
                    for word in _cell_text(row.get(column.key)).split()
                ),
                default=0,
            )
            grid.add_column(
                Text(column.header),
                justify="left",
                overflow="fold",
                min_width=min(longest, _NAME_MIN_WIDTH) or None,
            )
    for row in rows:
        grid.add_row(*(Text(_cell_text(row.get(c.key))) for c in columns))
    return grid


_NAME_MIN_WIDTH = 12


def _print_whole(out: Any, grid: Any) -> None:
    """Print a table that is never cut: wider than the terminal, it keeps its width (the
    terminal wraps its lines, `less -S` scrolls) rather than losing its last columns."""
    from rich.segment import Segment, Segments

    # Rich lays the table out for the terminal's width, then crops what does not fit
    segments = list(out.render(grid, out.options))
    needed = max(
        (Segment.get_line_length(line) for line in Segment.split_lines(segments)), default=0
    )
    if needed > out.width:
        out.print(grid, width=needed, crop=False)
    else:  # what was laid out to be measured is what is printed: the table is laid out once
        out.print(Segments(segments))


def show_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """The table on stdout. On a terminal Rich draws the title and the caption; piped, they are
    plain lines, because Rich pads them with spaces to the table's width."""
    if sys.stdout.isatty():
        _print_whole(console(), table(rows, columns, title=title, caption=caption))
        return
    text = io.StringIO()
    _print_whole(console(text), table(rows, columns))
    lines = [*(title or "").splitlines(), *text.getvalue().splitlines()]
    lines += (caption or "").splitlines()
    sys.stdout.write("".join(line.rstrip() + "\n" for line in lines))


def render(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    *,
    title: str | None = None,
    caption: str | None = None,
    json_data: Any = None,
    output: Path | None = None,
    wrote: str | None = None,
) -> None:
    """Rows in the chosen format, to stdout or to the file `output` names (`fmt` comes from
    output_format()); `json_data` replaces the plain row list for JSON. A table is for the
    screen only; CSV on stdout carries no caption (the columns stay what a script reads)."""
    if fmt == "table":
        show_table(rows, columns, title=title, caption=caption)
        return
    data = rows_bytes(
        rows,
        columns,
        fmt,
        title=title,
        caption=caption if fmt != "csv" else None,
        json_data=json_data,
        for_file=file_of(output) is not None,
    )
    deliver(data, output, wrote=wrote)


def say(message: str) -> None:
    """A line of talk for the person at the terminal: stderr, so stdout stays data."""
    sys.stderr.write(message + "\n")
