"""Excel workbooks (.xlsx): the scoring sheet members fill in, and tables of results (with, for a
ranking, a native bar chart of the totals).

openpyxl is imported here, by the functions that write a workbook, never at startup.

Text is always written as a text cell (an inline string), so a unit named "=1+1" stays text and
no cell of ours becomes a formula; numbers are written as numbers. The scoring sheet's only
formulas are its totals, built here from cell references.

The scoring sheet: rows 1-3 are the header (criterion codes, names, maxima), locked; one row per
member below, in Vietnamese order; criterion cells are unlocked and validated to [0, maximum];
the last column is the total, computed by Excel. A workbook-level name, `thidua_header_rows`,
tells `thidua score import` how many rows to skip after the first.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from thidua_cli.models import Criterion

HEADER_ROWS_NAME = "thidua_header_rows"


def _text_cell(sheet: Any, row: int, column: int, value: str) -> Any:
    """A cell that holds `value` as text whatever it looks like (never a formula)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
    return cell


def _number(hundredths: int) -> int | float:
    whole, cents = divmod(hundredths, 100)
    return whole if cents == 0 else hundredths / 100


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def scoring_sheet(
    *,
    title: str,
    labels: dict[str, str],
    units: Sequence[str],
    criteria: Sequence[Criterion],
    filled: dict[tuple[str, int], int],
) -> bytes:
    """The scoring sheet of a cluster-year; `filled` (unit name, criterion id) -> hundredths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = labels["sheet"]
    bold = Font(bold=True)
    shaded = PatternFill("solid", fgColor="DDEBF7")
    _text_cell(sheet, 1, 1, labels["unit"]).font = bold
    _text_cell(sheet, 2, 1, labels["criterion"]).font = bold
    _text_cell(sheet, 3, 1, labels["maximum"]).font = bold
    for offset, criterion in enumerate(criteria, start=2):
        _text_cell(sheet, 1, offset, criterion.code).font = bold
        name = _text_cell(sheet, 2, offset, criterion.name)
        name.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=3, column=offset, value=_number(criterion.max_points)).font = bold
        sheet.column_dimensions[get_column_letter(offset)].width = 14
    total_column = len(criteria) + 2
    _text_cell(sheet, 1, total_column, labels["total"]).font = bold
    for row in (1, 2, 3):
        for column in range(1, total_column + 1):
            sheet.cell(row=row, column=column).fill = shaded
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions[get_column_letter(total_column)].width = 14
    sheet.row_dimensions[2].height = 60

    first, last = 4, 3 + len(units)
    for row, unit in enumerate(units, start=first):
        _text_cell(sheet, row, 1, unit)
        for offset, criterion in enumerate(criteria, start=2):
            cell = sheet.cell(row=row, column=offset)
            value = filled.get((unit, criterion.id))
            if value is not None:
                cell.value = _number(value)
            cell.protection = Protection(locked=False)
            cell.number_format = "0.00"
        # base + bonus - deduction, as thidua totals them
        parts = []
        for offset, criterion in enumerate(criteria, start=2):
            sign = "-" if criterion.kind == "deduction" else "+"
            parts.append(f"{sign}N({get_column_letter(offset)}{row})")
        total = sheet.cell(row=row, column=total_column, value="=" + "".join(parts).lstrip("+"))
        total.number_format = "0.00"
        total.font = bold

    for offset, criterion in enumerate(criteria, start=2):
        letter = get_column_letter(offset)
        check = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=str(_number(criterion.max_points)),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=labels["error_title"],
            error=labels["error"].format(maximum=_number(criterion.max_points)),
        )
        sheet.add_data_validation(check)
        if units:
            check.add(f"{letter}{first}:{letter}{last}")

    sheet.freeze_panes = "B4"
    sheet.protection.sheet = True  # header, names and totals locked; scores open
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.oddHeader.center.text = title
    book.defined_names[HEADER_ROWS_NAME] = DefinedName(HEADER_ROWS_NAME, attr_text="3")
    book.properties.title = title
    return _save(book)


@dataclass(frozen=True)
class BarChartSpec:
    """A native bar chart of one column of a table workbook: `values` (1-based column) per
    `categories` (the labels' column), over the first `rows` data rows, on a sheet of its own."""

    title: str
    categories: int
    values: int
    rows: int
    sheet_title: str
    axis_title: str | None = None


# A table's text columns wrap beyond this many characters, so that a long unit name does not
# push the other columns off the printed page.
_TEXT_WIDTH = 40


def _column_width(header: str, values: Sequence[Any], decimals: bool) -> float:
    """Wide enough for the longest value (numbers whole, text up to _TEXT_WIDTH) and for the
    header's longest word: the header row wraps, so a long header does not widen a column."""
    longest_word = max((len(word) for word in header.split()), default=1)
    if decimals:
        longest = max((len(f"{v:.2f}") for v in values if isinstance(v, int | float)), default=0)
    else:
        longest = max((len(str(v)) for v in values if v not in (None, "")), default=0)
    return max(longest_word + 1, min(longest, _TEXT_WIDTH), 4) + 2


def table_workbook(
    *,
    sheet_title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    decimals: Sequence[int] = (),
    note: str | None = None,
    chart: BarChartSpec | None = None,
) -> bytes:
    """A table to print and to filter: a bold header row that repeats on every printed page,
    then rows (text as text, numbers as numbers; the `decimals` columns, 0-based, show two
    decimals), an autofilter over the table, landscape A4 fitted to the page's width. `note`
    goes under the table (outside the filter); `chart` adds a native bar chart on a sheet of
    its own that reads the table's cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    shaded = PatternFill("solid", fgColor="DDEBF7")
    for column, header in enumerate(headers, start=1):
        cell = _text_cell(sheet, 1, column, header)
        cell.font = Font(bold=True)
        cell.fill = shaded
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    two_places = set(decimals)
    widths = [
        _column_width(header, [row[i] for row in rows], i in two_places)
        for i, header in enumerate(headers)
    ]
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                cell = sheet.cell(row=row_number, column=column, value=value)
                if column - 1 in two_places:
                    cell.number_format = "0.00"
            else:
                cell = _text_cell(sheet, row_number, column, str(value))
                if len(str(value)) > widths[column - 1] - 2:
                    cell.alignment = wrapped
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last_column, last_row = get_column_letter(len(headers)), 1 + len(rows)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_column}{last_row}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "&P / &N"
    if note:
        _text_cell(sheet, last_row + 2, 1, note).font = Font(italic=True)
    if chart is not None:
        _bar_chart(book, sheet, chart)
    return _save(book)


def _bar_chart(book: Any, table: Any, spec: BarChartSpec) -> None:
    """Bars across, the table's first row at the top, each bar labelled with its value."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = spec.title
    chart.legend = None
    values = Reference(table, min_col=spec.values, min_row=1, max_row=1 + spec.rows)
    labels = Reference(table, min_col=spec.categories, min_row=2, max_row=1 + spec.rows)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(labels)
    chart.x_axis.scaling.orientation = "maxMin"  # the first place on top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "0.00"
    if spec.axis_title:
        chart.y_axis.title = spec.axis_title
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.numFmt = "0.00"
    chart.width = 26
    chart.height = max(7.5, 1.2 * spec.rows + 3)
    sheet = book.create_sheet(spec.sheet_title[:31])
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.add_chart(chart, "A1")


def header_rows(book: Any) -> int:
    """How many header rows a workbook of ours carries (1 for any other workbook)."""
    try:
        found = book.defined_names.get(HEADER_ROWS_NAME)
        return max(1, int(found.attr_text)) if found is not None else 1
    except (AttributeError, TypeError, ValueError):
        return 1
