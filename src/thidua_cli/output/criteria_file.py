"""A criteria set (bảng chấm điểm) from a table: code, group, name, maximum, kind."""

from __future__ import annotations

from dataclasses import dataclass

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Criterion
from thidua_cli.output.tabular import Table, header_key
from thidua_cli.points import PointsError, parse_points, shown, shown_count
from thidua_cli.rules.criteria import clean_code, group_maximum, headings, kind_named, outline
from thidua_cli.rules.numbers import MAX_POINTS
from thidua_cli.rules.text import clipped, fold_key, nfc, plain_key

KINDS = {
    "base": "base", "co_ban": "base", "diem_co_ban": "base", "chuan": "base",
    "diem_chuan": "base",
    "bonus": "bonus", "thuong": "bonus", "diem_thuong": "bonus", "cong": "bonus",
    "diem_cong": "bonus",
    "deduction": "deduction", "tru": "deduction", "diem_tru": "deduction",
}  # fmt: skip
# What `criteria list` writes in the kind column of a heading row, so that its CSV imports back.
HEADING_KINDS = ("heading", "nhom", "tieu_de")
COLUMNS = {
    "code": ("code", "ma", "ma_tieu_chi", "stt", "tt", "ma_so", "so_tt"),
    "group": ("group", "nhom", "nhom_tieu_chi"),
    "name": (
        "name", "ten", "noi_dung", "tieu_chi", "ten_tieu_chi", "noi_dung_tieu_chi",
        "noi_dung_cham_diem",
    ),
    "max_points": (
        "max_points", "max", "diem_toi_da", "toi_da", "diem_chuan", "thang_diem", "khung_diem",
    ),
    "kind": ("kind", "loai", "loai_diem", "loai_tieu_chi"),
}  # fmt: skip


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
    text = clipped(text)
    return {
        "empty": _("empty"),
        "not_a_number": _("“{text}” is not a number").format(text=text),
        "negative": _("“{text}” is negative").format(text=text),
        "too_precise": _("“{text}” has more than two decimals").format(text=text),
        "too_large": _("“{text}” is too large (at most {maximum})").format(
            text=text, maximum=shown_count(MAX_POINTS)
        ),
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
                missing=", ".join(missing), header=", ".join(clipped(h) for h in header)
            )
        )
    return found


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    group: str
    kind_text: str
    raw_max: object


def _kind_problem(text: str) -> str:
    return _(
        "“{text}” is not a kind; use base, bonus or deduction (Điểm chuẩn, Điểm thưởng, Điểm trừ)"
    ).format(text=text)


TOTAL_NAMES = {"tong", "tong cong", "tong diem", "cong", "tong so diem", "total"}


def parse_criteria(table: Table) -> list[Criterion]:
    """Every criterion of the file, or InvalidInput listing every problem by line and column.

    The file may be a province's form: numbered rows where a heading ("1", with "1.1", "1.2"
    under it) is not a criterion but gives the rows under it their group, and the maximum it
    states must be the sum of theirs (rules.criteria says which rows are headings). Without a
    kind column a criterion counts as base, or as what a heading above it is named for
    ("Điểm thưởng", "Điểm trừ"); with one, every criterion states its kind.
    """
    cols = find_columns(table.header, COLUMNS, ("code", "name", "max_points"))
    head = {name: table.header[i] for name, i in cols.items()}

    def cell(cells: list[object], name: str) -> str:
        i = cols.get(name)
        value = cells[i] if i is not None and i < len(cells) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed in Excel: the code 2, not 2.0
        return nfc(str(value)) if value is not None else ""

    rows = [
        _Row(
            line,
            clean_code(cell(cells, "code")),
            cell(cells, "name"),
            cell(cells, "group"),
            cell(cells, "kind"),
            cells[cols["max_points"]] if cols["max_points"] < len(cells) else None,
        )
        for line, cells in table.rows
    ]
    # the form's last line, "Tổng cộng" with no number: not a criterion, but its sum is checked
    totals = [row for row in rows if not row.code and plain_key(row.name) in TOTAL_NAMES]
    rows = [row for row in rows if row not in totals]
    above = outline([row.code for row in rows])
    is_heading = headings(above)

    def chain(i: int) -> list[int]:
        """The headings above a row, the nearest first."""
        found = []
        while (parent := above[i]) is not None:
            found.append(parent)
            i = parent
        return found

    problems: dict[int, list[Problem]] = {}

    def problem(i: int, column: str, message: str) -> None:
        problems.setdefault(i, []).append(Problem(rows[i].line, head.get(column, ""), message))

    found: list[Criterion] = []
    leaves: dict[int, tuple[str, int]] = {}  # row -> (kind, maximum) of each valid criterion
    under: dict[int, list[int]] = {h: [] for h in is_heading}  # heading -> the criteria under it
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        if not row.code:
            problem(i, "code", _("empty"))
        elif fold_key(row.code) in seen:
            message = _("code “{code}” is already on line {other}").format(
                code=row.code, other=seen[fold_key(row.code)]
            )
            problem(i, "code", message)
        else:
            seen[fold_key(row.code)] = row.line
        if not row.name:
            problem(i, "name", _("empty"))
        kind_key = header_key(row.kind_text)
        if i in is_heading:
            if row.kind_text and kind_key not in KINDS and kind_key not in HEADING_KINDS:
                problem(i, "kind", _kind_problem(row.kind_text))
            continue
        headings_above = chain(i)
        for h in headings_above:
            under[h].append(i)
        kind: str | None
        if "kind" not in cols:
            named = (kind_named(rows[h].name) for h in headings_above)
            kind = next((k for k in named if k), "base")
        elif kind_key in HEADING_KINDS:
            kind = None
            message = _("a heading, but no code begins with “{code}.”").format(code=row.code)
            problem(i, "kind", message)
        else:
            kind = KINDS.get(kind_key)
            if kind is None:
                problem(i, "kind", _kind_problem(row.kind_text) if row.kind_text else _("empty"))
        group = row.group
        if headings_above:
            heading = rows[headings_above[0]]
            if group and fold_key(group) != fold_key(heading.name):
                message = _(
                    "the group “{group}” differs from the heading it sits under, “{heading}”"
                ).format(group=group, heading=heading.name)
                problem(i, "group", message)
            group = heading.name
        try:
            maximum = parse_points(row.raw_max, decimal_comma=table.decimal_comma)
            if maximum == 0:
                raise PointsError("zero")
        except PointsError as exc:
            message = (
                _("the maximum must be above 0")
                if exc.reason == "zero"
                else point_problem(exc.reason, row.raw_max)
            )
            problem(i, "max_points", message)
            maximum = 0
        if i not in problems and kind is not None:
            leaves[i] = (kind, maximum)
            found.append(Criterion(0, row.code, group, row.name, maximum, kind, len(found) + 1))
    for h in sorted(is_heading):
        raw = rows[h].raw_max
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue  # a heading need not state its sum
        try:
            stated = parse_points(raw, decimal_comma=table.decimal_comma)
        except PointsError as exc:
            problem(h, "max_points", point_problem(exc.reason, raw))
            continue
        if any(i not in leaves for i in under[h]):
            continue  # a criterion under it is wrong already; its sum would mislead
        total = group_maximum(leaves[i] for i in under[h])
        if stated != total:
            message = _("the maxima of the criteria under it add up to {total}, not {stated}")
            problem(h, "max_points", message.format(total=shown(total), stated=shown(stated)))
    base_total = sum(c.max_points for c in found if c.kind == "base")
    for total_row in totals:
        raw = total_row.raw_max
        if raw is None or (isinstance(raw, str) and not raw.strip()) or not found or problems:
            continue  # a criterion is wrong already: its sum would mislead
        try:
            stated = parse_points(raw, decimal_comma=table.decimal_comma)
        except PointsError as exc:
            message = point_problem(exc.reason, raw)
        else:
            if stated == base_total:
                continue
            message = _("the base criteria's maxima add up to {total}, not {stated}").format(
                total=shown(base_total), stated=shown(stated)
            )
        problems.setdefault(len(rows) + total_row.line, []).append(
            Problem(total_row.line, head["max_points"], message)
        )
    if problems:
        raise InvalidInput(
            _("The criteria file was not imported; nothing was written:"),
            details=[str(p) for i in sorted(problems) for p in problems[i]],
        )
    if not found:
        raise InvalidInput(_("The criteria file has no criteria."))
    return found
