"""Reading a table from a file the way Excel users save it.

CSV in UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text", tab-separated), or
Windows-1258 when asked; the delimiter (comma, semicolon or tab) is found from the header line;
.xlsx through openpyxl (its first sheet). Every cell comes back NFC-normalised, and rows are
streamed, never loaded whole, so a file of a million rows costs little memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from thidua_cli.errors import InvalidInput, unreadable_input
from thidua_cli.i18n import _
from thidua_cli.rules.text import nfc, plain_key

ENCODINGS = ("utf-8", "utf-16", "cp1258")


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[object]]]  # (line number in the file, cells)
    delimiter: str = ","
    normalised: bool = True  # False: the cells as the file has them (read_table(normalise=))

    @property
    def decimal_comma(self) -> bool:
        """Vietnamese Excel writes 9,5 in files separated by semicolons or tabs."""
        return self.delimiter != ","


def header_key(cell: object) -> str:
    """A header cell as a key: 'Đơn vị' -> 'don_vi', 'don vi' -> 'don_vi'."""
    return plain_key(str(cell or "")).replace(" ", "_")


def _open_text(path: Path, encoding: str | None) -> io.TextIOBase:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise unreadable_input(path, exc) from exc
    head = raw.read(4)
    raw.seek(0)
    if encoding is None:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        else:
            encoding = "utf-8"
    elif encoding == "utf-8":
        encoding = "utf-8-sig"
    return io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")


def _sniff(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(path: Path, *, encoding: str | None = None, normalise: bool = True) -> Table:
    """The header and a stream of rows; raises InvalidInput for what cannot be read.

    With `normalise` false, the cells of a CSV file come as the file has them (the header is
    normalised still): for a reader that normalises each distinct cell once, a score file of a
    million rows repeating the same names, codes and numbers."""
    if encoding is not None and encoding not in ENCODINGS:
        raise InvalidInput(
            _("Unknown encoding “{encoding}”; use one of: {known}.").format(
                encoding=encoding, known=", ".join(ENCODINGS)
            )
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    text = _open_text(path, encoding)
    try:
        first = text.readline()
    except UnicodeDecodeError:
        text.close()
        raise _not_utf8(path, encoding) from None
    if not first.strip():
        text.close()
        raise InvalidInput(_("{path} is empty.").format(path=path))
    delimiter = _sniff(first)
    try:
        header = [nfc(c) for c in next(csv.reader([first], delimiter=delimiter))]
    except csv.Error as exc:  # a header cell over csv's field limit (128 KB), a stray quote
        text.close()
        raise InvalidInput(
            _("{path}, line {line}: the CSV cannot be read ({error}).").format(
                path=path, line=1, error=exc
            )
        ) from None

    def rows() -> Iterator[tuple[int, list[object]]]:
        reader = csv.reader(text, delimiter=delimiter)
        line = 1
        try:
            for cells in reader:
                line += 1
                if not "".join(cells).strip():  # no cell with anything in it
                    continue
                yield line, list(map(nfc, cells)) if normalise else cells
        except UnicodeDecodeError:
            raise _not_utf8(path, encoding) from None
        except csv.Error as exc:
            raise InvalidInput(
                _("{path}, line {line}: the CSV cannot be read ({error}).").format(
                    path=path,
                    line=line + 1,
                    error=exc,  # the line it could not read
                )
            ) from None
        finally:
            text.close()

    return Table(header, rows(), delimiter, normalise)


def _not_utf8(path: Path, encoding: str | None) -> InvalidInput:
    if encoding:
        return InvalidInput(
            _("{path} is not valid {encoding} text.").format(path=path, encoding=encoding)
        )
    return InvalidInput(
        _(
            "{path} is not UTF-8 text. If it was saved by an old Excel or Word, "
            "try --encoding cp1258."
        ).format(path=path)
    )


def _read_xlsx(path: Path) -> Table:
    from thidua_cli.output.workbook import header_rows
    from thidua_cli.output.xlsx_reading import open_workbook, sheet_rows

    book = open_workbook(path)  # checked, and its sheets' declared sizes dropped
    skip = header_rows(book)  # thidua's scoring sheet: codes, then names and maxima
    cells = sheet_rows(book.worksheets[0], path)
    try:
        first = next(cells, None)
    except BaseException:
        book.close()
        raise
    if first is None:
        book.close()
        raise InvalidInput(_("{path} is empty.").format(path=path))
    header = [nfc(str(c)) if c is not None else "" for c in first[1]]
    while header and not header[-1]:
        header.pop()
    width = len(header)

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for line, values in cells:
                if line <= skip:
                    continue
                # Cells right of the header are looked at only when one holds something (the
                # readers refuse them): an empty row of a sheet with a far cell costs nothing.
                if values[width:].count(None) != len(values) - width:
                    wanted = values
                else:
                    wanted = values[:width]
                row = [nfc(v) if isinstance(v, str) else v for v in wanted]
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                yield line, row
        finally:
            book.close()

    return Table(header, rows(), ",")
