"""Opening a user's .xlsx without trusting it: what a workbook may expand to, and what it holds.

An .xlsx is a zip of XML files, and every number in it can lie or be hostile:
- `<dimension>` says how far a sheet reaches, and openpyxl's read-only mode believes it: a sheet
  that declares less than it holds is cut short (40 of 80 scores imported, silently), one that
  declares A1:XFD1048576 is read as 17 billion cells. So the declared size is dropped
  (`reset_dimensions`): every row that is there is read, and nothing that is not.
- A zip member may expand a thousandfold (2 MB to 4.26 GB): the members' sizes and ratios are
  checked before anything is parsed, and the bytes read are counted while checking them.
- XML may declare entities (the "billion laughs"); a workbook never needs a DOCTYPE, so a
  member that has one is refused before any parser sees it.
- One cell far away (XFD1048576) makes every row sixteen thousand cells wide: rows and
  columns have bounds, and a cell beyond them is refused.
Every refusal is InvalidInput (exit 3): the file, not the database, is wrong.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from thidua_cli.errors import DiskError, InvalidInput, os_error_text, unreadable_input
from thidua_cli.i18n import _
from thidua_cli.points import shown_count

MAX_UNCOMPRESSED = 512 * 1024 * 1024  # bytes a workbook may expand to, all members together
MAX_RATIO = 100  # how much a large member may expand; real sheets stay below 20
RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress as well as they like
MAX_MEMBERS = 10_000
MAX_ROWS = 1_048_576  # Excel's own last row
MAX_COLUMNS = 1_024  # column AMJ: far wider than any scoring sheet
_CHUNK = 1024 * 1024
_DOCTYPE = b"<!DOCTYPE"
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def _unreadable(path: Path) -> InvalidInput:
    return InvalidInput(
        _("{path} is not a readable .xlsx file (damaged, or saved in another format).").format(
            path=path
        )
    )


def _too_large(path: Path) -> InvalidInput:
    return InvalidInput(
        _(
            "{path} expands too far when unpacked (more than {size} MB, or a part more than "
            "{ratio} times its packed size): a damaged file, or a zip bomb; thidua does not "
            "read it."
        ).format(path=path, size=shown_count(MAX_UNCOMPRESSED // (1024 * 1024)), ratio=MAX_RATIO)
    )


def check_workbook(path: Path) -> None:
    """Refuse a workbook that would expand too far, or whose XML declares entities."""
    try:
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        raise unreadable_input(path, exc) from None
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _unreadable(path) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _unreadable(path)
        declared = sum(m.file_size for m in members)
        bomb = any(
            m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1)
            for m in members
        )
        if declared > MAX_UNCOMPRESSED or bomb:
            raise _too_large(path)
        read = 0
        for member in members:
            if not member.filename.lower().endswith(_XML_SUFFIXES):
                continue
            try:
                read += _scan_xml(archive, member, path, MAX_UNCOMPRESSED - read)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
                raise _unreadable(path) from None
            except (ValueError, RuntimeError):  # an encrypted member, a bad compression
                raise _unreadable(path) from None
            except OSError as exc:
                raise DiskError(
                    _("Cannot read {path}: {error}.").format(path=path, error=os_error_text(exc))
                ) from None


def _scan_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, room: int) -> int:
    """The bytes of one XML member, read in chunks: none beyond `room`, no DOCTYPE, UTF-8."""
    size = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            if size == 0 and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00")):
                raise _unreadable(path)  # UTF-16 XML: Excel never writes it
            size += len(chunk)
            if size > room:
                raise _too_large(path)
            if _DOCTYPE in tail + chunk:
                raise InvalidInput(
                    _(
                        "{path} declares a DOCTYPE in {member}; a workbook never needs one, "
                        "and thidua does not read one (it can hide entities that expand "
                        "without end)."
                    ).format(path=path, member=member.filename)
                )
            tail = chunk[-(len(_DOCTYPE) - 1) :]
    return size


def open_workbook(path: Path) -> Any:
    """The workbook at `path`, read-only, checked first, its sheets' declared sizes dropped."""
    check_workbook(path)
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise InvalidInput(_("Reading .xlsx files needs openpyxl.")) from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise unreadable_input(path, exc) from None
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise _unreadable(path) from None
    for sheet in book.worksheets:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # read what is there, not what <dimension> declares
    return book


def sheet_rows(
    sheet: Any, path: Path, *, min_row: int = 1, max_col: int | None = None
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """(row number, values) of every row of `sheet` from `min_row`, empty rows included.

    A row wider than MAX_COLUMNS, or beyond MAX_ROWS, is refused; so is XML that cannot be
    read, or a cell that is not what its type says (a number cell holding "NaN").
    """
    rows = sheet.iter_rows(min_row=min_row, max_col=max_col, values_only=True)
    number = min_row - 1
    while True:
        try:
            values = next(rows, None)
        except Exception:  # openpyxl and the XML parser raise many kinds for a damaged sheet
            raise InvalidInput(
                _(
                    "{path}, sheet “{sheet}”, row {row}: the sheet cannot be read (damaged XML, "
                    "or a cell whose value does not fit its type)."
                ).format(path=path, sheet=sheet.title, row=number + 1)
            ) from None
        if values is None:
            return
        number += 1
        if number > MAX_ROWS:
            message = _("{path}, sheet “{sheet}”: a cell lies below row {row}, the last one read.")
            raise InvalidInput(message.format(path=path, sheet=sheet.title, row=MAX_ROWS))
        if len(values) > MAX_COLUMNS:
            raise InvalidInput(
                _(
                    "{path}, sheet “{sheet}”, row {row}: a cell lies beyond column {column}, "
                    "the last one thidua reads."
                ).format(
                    path=path, sheet=sheet.title, row=number, column=_column_letters(MAX_COLUMNS)
                )
            )
        yield number, values


def _column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
