"""Excel workbooks (.xlsx): the scoring sheet members fill in, and tables of results.

openpyxl is imported here, by the functions that write a workbook, never at startup.

Text is always written as a text cell (an inline string), so a unit named "=1+1" stays text and
no cell of ours becomes a formula; numbers are written as numbers. The scoring sheet's only
formulas are its totals and subtotals, built here from cell references.

The scoring sheet: rows 1-3 are the header (criterion codes, names, maxima), locked; one row per
member below, in Vietnamese order; criterion cells are unlocked and validated to [0, maximum];
after the last criterion of each group with a heading (rules.criteria) its subtotal, and in
the last column the total, both computed by Excel. A workbook-level name, `thidua_header_rows`,
tells `thidua score import` how many rows to skip after the first.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from thidua_cli.i18n import _
from thidua_cli.models import Criterion
from thidua_cli.rules.criteria import Group, closing, criteria_groups

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
    # A column per criterion, and after the last criterion of each group with a heading its
    # subtotal, as the forms show it; `score import` passes the subtotal columns by.
    after = closing(criteria_groups(criteria))
    layout: list[tuple[int, Criterion]] = []  # (column, criterion)
    subtotals: list[tuple[int, Group]] = []  # (column, group)
    for criterion in criteria:
        layout.append((len(layout) + len(subtotals) + 2, criterion))
        for group in after.get(criterion.code, []):
            subtotals.append((len(layout) + len(subtotals) + 2, group))
    letter_of = {id(criterion): get_column_letter(column) for column, criterion in layout}
    for column, criterion in layout:
        _text_cell(sheet, 1, column, criterion.code).font = bold
        name = _text_cell(sheet, 2, column, criterion.name)
        name.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=3, column=column, value=_number(criterion.max_points)).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = 14
    for column, group in subtotals:
        _text_cell(sheet, 1, column, _("Subtotal {group}").format(group=group.code)).font = bold
        name = _text_cell(sheet, 2, column, group.name)
        name.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=3, column=column, value=_number(group.max_points)).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = 14
    total_column = len(layout) + len(subtotals) + 2
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
        for column, criterion in layout:
            cell = sheet.cell(row=row, column=column)
            value = filled.get((unit, criterion.id))
            if value is not None:
                cell.value = _number(value)
            cell.protection = Protection(locked=False)
            cell.number_format = "0.00"
        for column, group in subtotals:
            parts = [
                ("-" if group.sign(c) < 0 else "+") + f"N({letter_of[id(c)]}{row})"
                for c in group.items
            ]
            subtotal = sheet.cell(row=row, column=column, value="=" + "".join(parts).lstrip("+"))
            subtotal.number_format = "0.00"
            subtotal.fill = shaded
        # base + bonus - deduction, as thidua totals them
        parts = []
        for column, criterion in layout:
            sign = "-" if criterion.kind == "deduction" else "+"
            parts.append(f"{sign}N({get_column_letter(column)}{row})")
        total = sheet.cell(row=row, column=total_column, value="=" + "".join(parts).lstrip("+"))
        total.number_format = "0.00"
        total.font = bold

    for column, criterion in layout:
        letter = get_column_letter(column)
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


def table_workbook(
    *, sheet_title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> bytes:
    """A plain table: a bold header row, then rows; text as text, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    widths = [len(h) for h in headers]
    for column, header in enumerate(headers, start=1):
        _text_cell(sheet, 1, column, header).font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                sheet.cell(row=row_number, column=column, value=value)
            else:
                _text_cell(sheet, row_number, column, str(value))
            widths[column - 1] = max(widths[column - 1], min(len(str(value)), 70))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    sheet.freeze_panes = "A2"
    return _save(book)


def header_rows(book: Any) -> int:
    """How many header rows a workbook of ours carries (1 for any other workbook)."""
    try:
        found = book.defined_names.get(HEADER_ROWS_NAME)
        return max(1, int(found.attr_text)) if found is not None else 1
    except (AttributeError, TypeError, ValueError):
        return 1
