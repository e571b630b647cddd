"""Excel workbooks (.xlsx): the scoring sheet members fill in, and tables of results (with, for a
ranking, a native bar chart of the totals).

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
from dataclasses import dataclass
from typing import Any

from thidua_cli.i18n import _
from thidua_cli.models import Criterion
from thidua_cli.rules.criteria import Group, closing, criteria_groups
from thidua_cli.rules.text import xml_safe

HEADER_ROWS_NAME = "thidua_header_rows"


def _text_cell(sheet: Any, row: int, column: int, value: str) -> Any:
    """A cell that holds `value` as text whatever it looks like (never a formula), without the
    characters a workbook cannot hold (a name stored before thidua refused them)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = xml_safe(value)
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
    note: str | None = None,
) -> bytes:
    """The scoring sheet of a cluster-year; `filled` (unit name, criterion id) -> hundredths;
    `note` says that the scores filled in are illustrative."""
    title, note = xml_safe(title), xml_safe(note) if note else note
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
    if note:  # illustrative scores: said where the sheet is read and where it is printed
        from openpyxl.comments import Comment

        sheet["A1"].comment = Comment(note, "thidua", width=400, height=120)
        sheet.oddFooter.center.text = note
        book.properties.description = note
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
    sheet.title = _sheet_title(sheet_title, set())  # a title may hold ':' ("Cụm I: ...")
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
    chart.title = xml_safe(spec.title)
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
        chart.y_axis.title = xml_safe(spec.axis_title)
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.numFmt = "0.00"
    chart.width = 26
    chart.height = max(7.5, 1.2 * spec.rows + 3)
    sheet = book.create_sheet(xml_safe(spec.sheet_title)[:31])
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.add_chart(chart, "A1")


def header_rows(book: Any) -> int:
    """How many header rows a workbook of ours carries (1 for any other workbook)."""
    try:
        found = book.defined_names.get(HEADER_ROWS_NAME)
        # ours says 2 or 3; a name that says more is not ours to believe
        return min(max(1, int(found.attr_text)), 10) if found is not None else 1
    except (AttributeError, TypeError, ValueError):
        return 1


# ---------------------------------------------------------------- the forms members fill in
#
# A self-scoring form (phiếu tự chấm) is one workbook per member: the criteria down the rows with
# their maximum, a column for the unit's points and one for its evidence (giải trình / minh
# chứng), the total computed by Excel, and a signature block. A peer form (phiếu chấm chéo) is one
# workbook per scoring unit, one sheet per member it scores. A very hidden sheet, FORM_SHEET,
# says what the workbook is (form, cluster, year, period, scorer) and which unit each sheet is
# about, so that `score import` needs nothing else; the workbook's structure is locked so that a
# sheet cannot be renamed, removed or unhidden, and each sheet is protected but for the points
# and the evidence.

FORM_SHEET = "thidua"
FORM_FIRST_ROW = 6  # the header is row 5; the criteria start below it
FORM_COLUMNS = 5  # STT, criterion, maximum, points, evidence


@dataclass(frozen=True)
class FormSheet:
    """One sheet of a form: the unit it is about, and what is already stored for it."""

    unit: str
    short: str
    filled: dict[int, tuple[int, str | None]]  # criterion id -> (points, evidence)


def _sheet_title(name: str, taken: set[str]) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in xml_safe(name)).strip() or "Sheet"
    title, n = cleaned[:31], 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def scoring_form(
    *,
    source: str,
    cluster: str,
    year: int,
    period: str,
    scorer: str | None,
    sheets: Sequence[FormSheet],
    criteria: Sequence[Criterion],
    title: str,
) -> bytes:
    """A self form (one sheet: the unit's own) or a peer form (one sheet per member scored)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    from thidua_cli.i18n import _

    book = Workbook()
    book.remove(book.active)
    meta = book.create_sheet(FORM_SHEET)
    facts: list[tuple[str, object]] = [
        ("form", source), ("cluster", cluster), ("year", year), ("period", period),
        ("scorer", scorer or ""),
    ]  # fmt: skip
    for row, (key, value) in enumerate(facts, start=1):
        _text_cell(meta, row, 1, key)
        if isinstance(value, int):
            meta.cell(row=row, column=2, value=value)
        else:
            _text_cell(meta, row, 2, str(value))
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    points_label = _("Self-scored points") if source == "self" else _("Points given")
    note_label = _("Explanation / evidence") if source == "self" else _("Remarks")
    headers = ("STT", _("Criterion"), _("Maximum points"), points_label, note_label)
    taken: set[str] = {FORM_SHEET}
    for index, form in enumerate(sheets, start=1):
        sheet = book.create_sheet(_sheet_title(form.short, taken))
        _text_cell(meta, len(facts) + index, 1, "sheet")
        _text_cell(meta, len(facts) + index, 2, sheet.title)
        _text_cell(meta, len(facts) + index, 3, form.unit)
        _text_cell(sheet, 1, 1, cluster.upper()).font = bold
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
        heading = _text_cell(sheet, 2, 1, title)
        heading.font = Font(bold=True, size=13)
        heading.alignment = centre
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=FORM_COLUMNS)
        if source == "self":
            who = _("Unit: {unit}").format(unit=form.unit)
        else:
            who = _("Scoring unit: {scorer}. Unit scored: {unit}").format(
                scorer=scorer, unit=form.unit
            )
        _text_cell(sheet, 3, 1, who).font = bold
        sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=FORM_COLUMNS)
        for column, label in enumerate(headers, start=1):
            cell = _text_cell(sheet, 5, column, label)
            cell.font, cell.alignment, cell.border = bold, centre, box
        row = FORM_FIRST_ROW - 1
        group: str | None = None
        parts: list[str] = []
        base_total = 0
        for criterion in criteria:
            if criterion.group and criterion.group != group:
                row += 1
                cell = _text_cell(sheet, row, 2, criterion.group)
                cell.font = bold
                cell.alignment = wrap
                for column in range(1, FORM_COLUMNS + 1):
                    sheet.cell(row=row, column=column).border = box
            group = criterion.group or None
            row += 1
            _text_cell(sheet, row, 1, criterion.code).alignment = Alignment(vertical="top")
            _text_cell(sheet, row, 2, criterion.name).alignment = wrap
            maximum = sheet.cell(row=row, column=3, value=_number(criterion.max_points))
            maximum.number_format = "0.00"
            if criterion.kind == "base":
                base_total += criterion.max_points
            points = sheet.cell(row=row, column=4)
            points.number_format = "0.00"
            points.protection = Protection(locked=False)
            note = sheet.cell(row=row, column=5)
            note.protection = Protection(locked=False)
            note.alignment = wrap
            stored = form.filled.get(criterion.id)
            if stored is not None:
                points.value = _number(stored[0])
                if stored[1]:
                    _text_cell(sheet, row, 5, stored[1])
            check = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=str(_number(criterion.max_points)),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not a valid score"),
                error=_("Enter a number from 0 to {maximum}, with at most two decimals.").format(
                    maximum=_number(criterion.max_points)
                ),
            )
            sheet.add_data_validation(check)
            check.add(f"D{row}")
            parts.append(f"{'-' if criterion.kind == 'deduction' else '+'}N(D{row})")
            for column in range(1, FORM_COLUMNS + 1):
                sheet.cell(row=row, column=column).border = box
        row += 1
        _text_cell(sheet, row, 2, _("Total")).font = bold
        sheet.cell(row=row, column=3, value=_number(base_total)).number_format = "0.00"
        total = sheet.cell(row=row, column=4, value="=" + "".join(parts).lstrip("+"))
        total.number_format = "0.00"
        for column in range(1, FORM_COLUMNS + 1):
            sheet.cell(row=row, column=column).border = box
            sheet.cell(row=row, column=column).font = bold
        row += 2
        for offset, (text, style) in enumerate(
            (
                (_("........, date ..... month ..... year ......."), Font(italic=True)),
                (_("HEAD OF THE UNIT"), bold),
                (_("(Signature, full name and seal)"), Font(italic=True)),
            )
        ):
            cell = _text_cell(sheet, row + offset, 4, text)
            cell.font, cell.alignment = style, Alignment(horizontal="center")
            sheet.merge_cells(
                start_row=row + offset, start_column=4, end_row=row + offset, end_column=5
            )
        for letter, width in zip("ABCDE", (7, 60, 11, 13, 45), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = f"A{FORM_FIRST_ROW}"
        sheet.print_title_rows = "5:5"
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
    meta.sheet_state = "veryHidden"
    book.active = 1 if sheets else 0
    book.security.lockStructure = True
    book.properties.title = xml_safe(title)
    return _save(book)


@dataclass(frozen=True)
class FormEntry:
    """One criterion row of a filled form, as written: where it is, whose, and what."""

    sheet: str
    row: int
    unit: str
    code: str
    points: object
    evidence: str


@dataclass(frozen=True)
class FilledForm:
    source: str
    cluster: str
    year: object
    period: str
    scorer: str
    entries: list[FormEntry]


def read_form(book: Any, path: Any = "") -> FilledForm | None:
    """The content of a thidua form (an open openpyxl workbook), or None for any other."""
    from thidua_cli.output.xlsx_reading import sheet_rows

    if FORM_SHEET not in book.sheetnames:
        return None
    facts: dict[str, object] = {}
    units: dict[str, str] = {}
    for _number, values in sheet_rows(book[FORM_SHEET], path, max_col=3):
        key = values[0] if values else None
        if key == "sheet" and len(values) >= 3:
            units[str(values[1])] = str(values[2] or "")
        elif isinstance(key, str):
            facts[key] = values[1] if len(values) > 1 else None
    entries: list[FormEntry] = []
    for title, unit in units.items():
        if title not in book.sheetnames:
            continue
        rows = sheet_rows(book[title], path, min_row=FORM_FIRST_ROW, max_col=FORM_COLUMNS)
        for number, cells in rows:
            code = cells[0] if cells else None
            if code is None or not str(code).strip():
                continue
            evidence = cells[4] if len(cells) > 4 else None
            entries.append(
                FormEntry(
                    title,
                    number,
                    unit,
                    str(code).strip(),
                    cells[3] if len(cells) > 3 else None,
                    str(evidence).strip() if evidence is not None else "",
                )
            )
    return FilledForm(
        str(facts.get("form") or ""),
        str(facts.get("cluster") or ""),
        facts.get("year"),
        str(facts.get("period") or ""),
        str(facts.get("scorer") or ""),
        entries,
    )


def form_file_names(units: Sequence[str], source: str) -> list[str]:
    """The files of the members' forms, 'tu-cham-agribank-lang-son.xlsx': named after the unit
    alone (no number that would shift when a member joins), safe on any disk, and distinct."""
    from thidua_cli.rules.text import plain_key

    prefix = "tu-cham" if source == "self" else "cham-cheo"
    names: list[str] = []
    for unit in units:
        slug = "".join(ch if ch.isalnum() else "-" for ch in plain_key(unit))
        slug = "-".join(part for part in slug.split("-") if part)[:60] or "don-vi"
        name, n = f"{prefix}-{slug}.xlsx", 2
        while name in names:
            name, n = f"{prefix}-{slug}-{n}.xlsx", n + 1
        names.append(name)
    return names


def read_form_file(path: Any) -> FilledForm | None:
    """The filled form in a workbook file, or None when the workbook is not one of ours."""
    from thidua_cli.output.xlsx_reading import open_workbook

    book = open_workbook(path)
    try:
        return read_form(book, path)
    finally:
        book.close()
