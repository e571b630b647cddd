"""A decision's list from a table: one QĐ (quyết định) for several units.

Columns: unit, award (the proposal decided) and, optionally, granted (the form granted when it
differs, or none); Vietnamese headers work too (đơn vị, hình thức / đề nghị, được khen).
"""

from __future__ import annotations

from thidua_cli.models import DecisionLine
from thidua_cli.output.criteria_file import find_columns
from thidua_cli.output.tabular import Table

COLUMNS = {
    "unit": ("unit", "don_vi", "ten_don_vi"),
    "award": ("award", "hinh_thuc", "hinh_thuc_khen_thuong", "de_nghi", "danh_hieu"),
    "granted": ("granted", "duoc_khen", "hinh_thuc_duoc_khen", "ket_qua"),
}


def read_decision_lines(table: Table) -> list[DecisionLine]:
    cols = find_columns(table.header, COLUMNS, ("unit", "award"))

    def cell(cells: list[object], key: str) -> str:
        index = cols.get(key)
        value = cells[index] if index is not None and index < len(cells) else None
        return "" if value is None else str(value).strip()

    return [
        DecisionLine(line, cell(cells, "unit"), cell(cells, "award"), cell(cells, "granted"))
        for line, cells in table.rows
        if any(cell(cells, key) for key in cols)
    ]
