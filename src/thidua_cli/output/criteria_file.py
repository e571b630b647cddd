"""A criteria set (bảng chấm điểm) from a table: code, group, name, maximum, kind."""

from __future__ import annotations

from dataclasses import dataclass

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Criterion
from thidua_cli.output.tabular import Table, header_key
from thidua_cli.points import PointsError, parse_points
from thidua_cli.rules.text import fold_key, nfc

KINDS = {
    "base": "base", "co_ban": "base", "diem_co_ban": "base", "chuan": "base",
    "bonus": "bonus", "thuong": "bonus", "diem_thuong": "bonus", "cong": "bonus",
    "diem_cong": "bonus",
    "deduction": "deduction", "tru": "deduction", "diem_tru": "deduction",
}  # fmt: skip
COLUMNS = {
    "code": ("code", "ma", "ma_tieu_chi", "stt"),
    "group": ("group", "nhom", "nhom_tieu_chi"),
    "name": ("name", "ten", "noi_dung", "tieu_chi", "ten_tieu_chi"),
    "max_points": ("max_points", "max", "diem_toi_da", "toi_da", "diem_chuan"),
    "kind": ("kind", "loai"),
}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line {line}").format(line=self.line)
        if self.column:
            where += ", " + _("column “{column}”").format(column=self.column)
        return f"{where}: {self.message}"


def point_problem(reason: str, text: object) -> str:
    return {
        "empty": _("empty"),
        "not_a_number": _("“{text}” is not a number").format(text=text),
        "negative": _("“{text}” is negative").format(text=text),
        "too_precise": _("“{text}” has more than two decimals").format(text=text),
    }[reason]


def find_columns(
    header: list[str], wanted: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> dict[str, int]:
    keys = [header_key(h) for h in header]
    found = {}
    for name, aliases in wanted.items():
        for i, key in enumerate(keys):
            if key in aliases:
                found[name] = i
                break
    missing = [name for name in required if name not in found]
    if missing:
        raise InvalidInput(
            _("The header lacks the columns: {missing} (it has: {header}).").format(
                missing=", ".join(missing), header=", ".join(header)
            )
        )
    return found


def parse_criteria(table: Table) -> list[Criterion]:
    """Every criterion of the file, or InvalidInput listing every problem by line and column."""
    cols = find_columns(table.header, COLUMNS, ("code", "name", "max_points", "kind"))
    found: list[Criterion] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}

    def cell(cells: list[object], name: str) -> str:
        i = cols.get(name)
        value = cells[i] if i is not None and i < len(cells) else None
        return nfc(str(value)) if value is not None else ""

    for position, (line, cells) in enumerate(table.rows, start=1):
        code, name = cell(cells, "code"), cell(cells, "name")
        group, kind_text = cell(cells, "group"), cell(cells, "kind")
        if not code:
            problems.append(Problem(line, table.header[cols["code"]], _("empty")))
        elif fold_key(code) in seen:
            problems.append(
                Problem(
                    line,
                    table.header[cols["code"]],
                    _("code “{code}” is already on line {other}").format(
                        code=code, other=seen[fold_key(code)]
                    ),
                )
            )
        else:
            seen[fold_key(code)] = line
        if not name:
            problems.append(Problem(line, table.header[cols["name"]], _("empty")))
        kind = KINDS.get(header_key(kind_text))
        if kind is None:
            problems.append(
                Problem(
                    line,
                    table.header[cols["kind"]],
                    _("“{text}” is not a kind; use base, bonus or deduction").format(
                        text=kind_text
                    ),
                )
            )
        raw_max = cells[cols["max_points"]] if cols["max_points"] < len(cells) else None
        try:
            maximum = parse_points(raw_max, decimal_comma=table.decimal_comma)
            if maximum == 0:
                raise PointsError("zero")
        except PointsError as exc:
            message = (
                _("the maximum must be above 0")
                if exc.reason == "zero"
                else point_problem(exc.reason, raw_max)
            )
            problems.append(Problem(line, table.header[cols["max_points"]], message))
            maximum = 0
        if kind is not None and maximum and code and name:
            found.append(Criterion(0, code, group, name, maximum, kind, position))
    if problems:
        raise InvalidInput(
            _("The criteria file was not imported; nothing was written:"),
            details=[str(p) for p in problems],
        )
    if not found:
        raise InvalidInput(_("The criteria file has no criteria."))
    return found
