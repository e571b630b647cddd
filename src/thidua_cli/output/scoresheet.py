"""Scores from a table, checked row by row before anything is written.

Two shapes, told apart by the header:
- long: unit, criterion, points [, source, scorer], one score a row;
- wide: unit, then one column per criterion code, one unit a row.
Vietnamese headers work too (don_vi / Đơn vị, tieu_chi, diem, nguon, nguoi_cham).

Every problem is collected with its line and column; the caller writes nothing unless there is
none. In the wide shape an empty cell of a bonus or deduction criterion means "none"; an empty
base criterion is a problem, as is any empty cell in the long shape.
"""

from __future__ import annotations

import gc
import itertools
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter, lshift, lt, or_
from typing import Any

from thidua_cli.errors import ThiduaError
from thidua_cli.i18n import _
from thidua_cli.models import Candidate, Criterion
from thidua_cli.output.criteria_file import Problem, find_columns, point_problem
from thidua_cli.output.tabular import Table, header_key
from thidua_cli.output.workbook import FilledForm
from thidua_cli.points import PointsError, parse_points, shown, shown_count
from thidua_cli.rules.ballot import ballot_problem
from thidua_cli.rules.matching import match_one
from thidua_cli.rules.numbers import MAX_WHOLE, NumberError, parse_whole
from thidua_cli.rules.text import clipped, fold_key, nfc

SOURCES = {
    "final": "final", "chot": "final", "ket_qua": "final", "cum_cham": "final",
    "peer": "peer", "cheo": "peer", "cham_cheo": "peer",
    "self": "self", "tu_cham": "self",
}  # fmt: skip
LONG_COLUMNS = {
    "unit": ("unit", "don_vi", "ten_don_vi"),
    "criterion": ("criterion", "tieu_chi", "ma_tieu_chi"),
    "points": ("points", "diem", "so_diem"),
    "source": ("source", "nguon", "hinh_thuc_cham"),
    "scorer": ("scorer", "nguoi_cham", "don_vi_cham"),
}
MAX_LISTED = 50

ScoreRow = tuple[int, int, int, str, int | None, int]  # line, unit, criterion, source, scorer, pts


@dataclass
class Checker:
    """Resolves names against one cluster-year, remembering each answer."""

    members: Sequence[Candidate]
    others: Sequence[Candidate]  # every unit, to tell "not a member" from "unknown"
    criteria: Sequence[Criterion]
    year: int
    cluster: str
    listing: str = ""  # the members, for a name near none of them
    _units: dict[str, int | str] = field(default_factory=dict)
    _codes: dict[str, Criterion] = field(default_factory=dict)

    _exact: dict[str, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._codes = {fold_key(c.code): c for c in self.criteria}
        # Most files spell every name exactly: a dictionary answers those at once, so that a
        # file of 10,000 members does not compare every name with every member.
        for member in self.members:
            for name in member.all_names():
                self._exact.setdefault(fold_key(name), set()).add(member.id)

    def unit(self, name: str) -> int | str:
        """The unit id, or the problem with the name."""
        if name not in self._units:
            exact = self._exact.get(fold_key(name), set())
            if len(exact) == 1:
                self._units[name] = next(iter(exact))
                return self._units[name]
            try:
                self._units[name] = match_one(
                    name, self.members, what=_("unit"), listing=self.listing
                ).id
            except ThiduaError as exc:
                try:
                    other = match_one(name, self.others, what=_("unit"))
                    problem = _("{unit} is not a member of {cluster} in {year}").format(
                        unit=other.name, cluster=self.cluster, year=self.year
                    )
                    # what the cluster does have that year, to see which name was meant
                    self._units[name] = f"{problem}. {self.listing}" if self.listing else problem
                except ThiduaError:
                    self._units[name] = " ".join([exc.message, *exc.details])
        return self._units[name]

    def criterion(self, code: str) -> Criterion | None:
        return self._codes.get(fold_key(code))

    def unknown_criterion(self, code: str) -> str:
        from thidua_cli.rules.matching import suggestion

        return _("there is no criterion “{code}” in this cluster-year's set.").format(
            code=code
        ) + suggestion(code, [c.code for c in self.criteria])


def _points(
    value: object, criterion: Criterion, decimal_comma: bool
) -> tuple[int | None, str | None]:
    try:
        points = parse_points(value, decimal_comma=decimal_comma)
    except PointsError as exc:
        return None, point_problem(exc.reason, value)
    if points > criterion.max_points:
        return None, _("{points} is above the maximum {maximum} of criterion {code}").format(
            points=value, maximum=shown(criterion.max_points), code=criterion.code
        )
    return points, None


def is_long(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return bool(keys & set(LONG_COLUMNS["criterion"])) and bool(keys & set(LONG_COLUMNS["points"]))


def read_scores(
    table: Table, checker: Checker, *, default_source: str, problems: list[Problem]
) -> Iterator[ScoreRow]:
    """Stream the valid rows; append every problem to `problems` on the way."""
    if is_long(table.header):
        yield from _read_long(table, checker, default_source, problems)
    else:
        if not table.normalised:
            rows = ((line, [_text(c) for c in cells]) for line, cells in table.rows)
            table = Table(table.header, rows, table.delimiter)
        yield from _read_wide(table, checker, default_source, problems)


def _cell(cells: list[object], index: int | None) -> object:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _text(value: object) -> str:
    return nfc(str(value)) if value is not None else ""


def check_score(
    checker: Checker,
    unit_name: str,
    code: str,
    raw_points: object,
    *,
    source_text: str,
    scorer_name: str,
    decimal_comma: bool,
) -> tuple[tuple[int, int, str, int | None, int] | None, list[tuple[str, str]]]:
    """One score, checked: ((unit, criterion, source, scorer, points), []) or (None, problems).

    Each problem is (the field it is about: unit, criterion, points, source or scorer, message).
    `score set` and the long shape of `score import` share these rules.
    """
    unit = _unit_of(checker, unit_name)
    marks = _marks_of(checker, code, raw_points, decimal_comma)
    return _joined(unit, marks, _source_of(checker, source_text, scorer_name, unit))


# The three parts of a score's check, each depending on its own cells only, so that a file that
# repeats the same names, codes and numbers on every line checks each of them once.
_Marks = tuple[int | None, int | None, list[tuple[str, str]], list[tuple[str, str]]]
_Source = tuple[str, int | None, list[tuple[str, str]]]


def _unit_of(checker: Checker, unit_name: str) -> int | str:
    """The unit's id, or the problem with its name."""
    return checker.unit(unit_name) if unit_name else _("empty")


def _marks_of(checker: Checker, code: str, raw_points: object, decimal_comma: bool) -> _Marks:
    """(criterion id, points, the criterion's problems, the points' problems)."""
    criterion = checker.criterion(code) if code else None
    if criterion is None:
        return (
            None,
            None,
            [("criterion", checker.unknown_criterion(code) if code else _("empty"))],
            [],
        )
    points, problem = _points(raw_points, criterion, decimal_comma)
    return criterion.id, points, [], [("points", problem)] if problem else []


def _source_of(checker: Checker, source_text: str, scorer_name: str, unit: int | str) -> _Source:
    """(source, scorer, their problems)."""
    problems: list[tuple[str, str]] = []
    source = SOURCES.get(header_key(source_text), "")
    if not source:
        message = _("“{text}” is not a source; use self, peer or final").format(text=source_text)
        problems.append(("source", message))
    scorer: int | None = None
    if source == "peer":
        found = checker.unit(scorer_name) if scorer_name else _("a peer score needs its scorer")
        if isinstance(found, str):
            problems.append(("scorer", found))
        elif found == unit:
            problems.append(("scorer", _("a unit cannot cross-score itself")))
        else:
            scorer = found
    elif scorer_name:
        problems.append(("scorer", _("only a peer score has a scorer")))
    return source, scorer, problems


def _joined(
    unit: int | str, marks: _Marks, sourced: _Source
) -> tuple[tuple[int, int, str, int | None, int] | None, list[tuple[str, str]]]:
    criterion, points, criterion_problems, point_problems = marks
    source, scorer, source_problems = sourced
    problems = [*([("unit", unit)] if isinstance(unit, str) else []), *criterion_problems]
    problems += source_problems + point_problems
    if problems or criterion is None or points is None or isinstance(unit, str):
        return None, problems
    return (unit, criterion, source, scorer, points), []


def _read_long(
    table: Table, checker: Checker, default_source: str, problems: list[Problem]
) -> Iterator[ScoreRow]:
    cols = find_columns(table.header, LONG_COLUMNS, ("unit", "criterion", "points"))
    head = table.header
    width = len(head)
    at_unit, at_code, at_points = cols["unit"], cols["criterion"], cols["points"]
    at_source, at_scorer = cols.get("source"), cols.get("scorer")
    decimal_comma = table.decimal_comma
    # each part's answer by its cells, as read (text cells only: 1, 1.0 and True are one key to
    # a dict); the cells of a table not normalised are normalised here, once each
    units: dict[object, int | str] = {}
    marks: dict[tuple[object, object], _Marks] = {}
    sources: dict[tuple[object, object, int | str], _Source] = {}
    # no source or scorer column: every row has the default source, whatever its unit (but a
    # peer score, whose scorer is missing, and not its own unit's)
    fixed = None
    if at_source is None and at_scorer is None and default_source != "peer":
        fixed = _source_of(checker, default_source, "", 0)
    for line, cells in table.rows:
        count = len(cells)
        if count > width and any(_text(c) for c in cells[width:]):
            problems.append(Problem(line, "", _("more cells than the header has columns")))
            continue
        unit_cell = cells[at_unit] if at_unit < count else None
        unit = units.get(unit_cell) if type(unit_cell) is str else None
        if unit is None:
            unit = _unit_of(checker, _text(unit_cell))
            if type(unit_cell) is str:
                units[unit_cell] = unit
        code_cell = cells[at_code] if at_code < count else None
        points_cell = cells[at_points] if at_points < count else None
        plain = type(code_cell) is str and type(points_cell) is str
        marked = marks.get((code_cell, points_cell)) if plain else None
        if marked is None:
            points = nfc(points_cell) if type(points_cell) is str else points_cell
            marked = _marks_of(checker, _text(code_cell), points, decimal_comma)
            if plain:
                marks[code_cell, points_cell] = marked
        sourced = fixed
        if sourced is None:
            source_cell = _cell(cells, at_source)
            scorer_cell = _cell(cells, at_scorer)
            key = (source_cell, scorer_cell, unit)
            plain = (source_cell is None or type(source_cell) is str) and (
                scorer_cell is None or type(scorer_cell) is str
            )
            sourced = sources.get(key) if plain else None
        if sourced is None:
            sourced = _source_of(
                checker, _text(source_cell) or default_source, _text(scorer_cell), unit
            )
            if plain:
                sources[key] = sourced
        criterion, points, criterion_problems, point_problems = marked
        if criterion_problems or point_problems or sourced[2] or type(unit) is str:
            _row, found = _joined(unit, marked, sourced)
            for field_name, message in found:
                problems.append(Problem(line, head[cols.get(field_name, cols["unit"])], message))
            continue
        yield line, unit, criterion, sourced[0], sourced[1], points  # type: ignore[misc]


class ScoreColumns:
    """The valid rows of a long file of one source and no scorer, kept in four arrays instead of
    a tuple a row (a million rows: 32 MB instead of about 120): the lines, units, criteria and
    points. `in_order`: every row's (unit, criterion) above the one before, so the file states
    no score twice and its scores come in the order `score` keeps them."""

    __slots__ = ("criteria", "in_order", "lines", "points", "source", "units")

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = array("q")
        self.units = array("q")
        self.criteria = array("q")
        self.points = array("q")
        self.in_order = True

    def rows(self) -> Iterator[ScoreRow]:
        """The rows as `read_scores` yields them."""
        for line, unit, criterion, points in zip(
            self.lines, self.units, self.criteria, self.points, strict=True
        ):
            yield line, unit, criterion, self.source, None, points


class _Answers(dict):
    """Each distinct cell's answer, worked out the first time it is asked for (so that a column
    of cells is answered by `map(answers.__getitem__, cells)`, at C speed); `bad` once any
    answer is a problem."""

    def __init__(self, answer: Callable[[Any], Any], bad: Callable[[Any], bool]) -> None:
        super().__init__()
        self.answer, self.is_bad, self.bad = answer, bad, False

    def __missing__(self, key: object) -> object:
        value = self[key] = self.answer(key)
        if self.is_bad(value):
            self.bad = True
        return value


_CHUNK = 1000  # rows checked at once, a column at a time (more: slower, in the allocator and GC)


def read_score_columns(
    table: Table, checker: Checker, *, default_source: str, problems: list[Problem]
) -> ScoreColumns | None:
    """The valid rows of a long file with neither a source nor a scorer column, read whole into
    ScoreColumns, every problem appended to `problems` as `read_scores` does; None, having read
    nothing, for any other file (read it with `read_scores`).

    The rows are checked a thousand at a time, a column at a time: each distinct cell once,
    then every cell of the column answered from a dictionary in one `map`. A chunk with a row
    of another width, with a cell that is not text (a workbook's), or once any cell has been a
    problem, is checked row by row instead, as `_read_long` does, so that every problem is
    named by its line in the order of the file."""
    if not is_long(table.header) or default_source == "peer":
        return None
    cols = find_columns(table.header, LONG_COLUMNS, ("unit", "criterion", "points"))
    fixed = _source_of(checker, default_source, "", 0)
    if "source" in cols or "scorer" in cols or fixed[2]:
        return None
    head = table.header
    width = len(head)
    at_unit, at_code, at_points = cols["unit"], cols["criterion"], cols["points"]
    decimal_comma = table.decimal_comma
    units = _Answers(lambda cell: _unit_of(checker, _text(cell)), lambda unit: type(unit) is str)
    marks = _Answers(
        lambda cells: _marks_of(checker, _text(cells[0]), nfc(cells[1]), decimal_comma),
        lambda marked: bool(marked[2] or marked[3]),
    )
    found = ScoreColumns(fixed[0])
    last = -1  # the key of the last row kept

    def one(line: int, cells: list[object]) -> None:
        nonlocal last
        count = len(cells)
        if count > width and any(_text(c) for c in cells[width:]):
            problems.append(Problem(line, "", _("more cells than the header has columns")))
            return
        unit_cell = cells[at_unit] if at_unit < count else None
        text = type(unit_cell) is str
        unit = units[unit_cell] if text else _unit_of(checker, _text(unit_cell))
        code_cell = cells[at_code] if at_code < count else None
        points_cell = cells[at_points] if at_points < count else None
        if type(code_cell) is str and type(points_cell) is str:
            marked = marks[code_cell, points_cell]
        else:
            points = nfc(points_cell) if type(points_cell) is str else points_cell
            marked = _marks_of(checker, _text(code_cell), points, decimal_comma)
        criterion, points, criterion_problems, point_problems = marked
        if criterion_problems or point_problems or type(unit) is str:
            _row, faults = _joined(unit, marked, fixed)
            for field_name, message in faults:
                problems.append(Problem(line, head[cols.get(field_name, cols["unit"])], message))
            return
        key = (unit << 64) | criterion  # type: ignore[operator]
        if key <= last:
            found.in_order = False
        last = key
        found.lines.append(line)
        found.units.append(unit)  # type: ignore[arg-type]
        found.criteria.append(criterion)
        found.points.append(points)  # type: ignore[arg-type]

    # The chunks' lists and tuples are containers the cyclic garbage collector would walk,
    # again and again with every object the command holds (the members, the names: a second
    # and a half of a million rows); they make no cycle, and are freed as each chunk ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows = iter(table.rows)
        text = not table.normalised  # a CSV file's cells, all text
        while chunk := list(itertools.islice(rows, _CHUNK)):
            lines, cells = zip(*chunk, strict=True)
            if not text or units.bad or marks.bad or set(map(len, cells)) != {width}:
                for line, row in chunk:
                    one(line, row)
                continue
            columns = list(zip(*cells, strict=True))
            unit_ids = list(map(units.__getitem__, columns[at_unit]))
            pairs = zip(columns[at_code], columns[at_points], strict=True)
            marked = list(map(marks.__getitem__, pairs))
            if units.bad or marks.bad:  # a problem in this chunk: named row by row
                for line, row in chunk:
                    one(line, row)
                continue
            criteria = list(map(itemgetter(0), marked))
            keys = list(map(or_, map(lshift, unit_ids, itertools.repeat(64)), criteria))
            if keys[0] <= last or not all(map(lt, keys, itertools.islice(keys, 1, None))):
                found.in_order = False
            last = keys[-1]
            found.lines.extend(lines)
            found.units.extend(unit_ids)  # type: ignore[arg-type]
            found.criteria.extend(criteria)
            found.points.extend(map(itemgetter(1), marked))
    finally:
        if collecting:
            gc.enable()
    return found


def _computed(title: str) -> bool:
    """A column the sheet computes or numbers: the total, a group's subtotal (the scoring
    sheet's "Cộng nhóm 1", in either language), a row number."""
    key = header_key(title)
    return key in ("total", "tong", "tong_diem", "stt") or key.startswith(
        ("cong_nhom_", "subtotal_")
    )


def _read_wide(
    table: Table, checker: Checker, default_source: str, problems: list[Problem]
) -> Iterator[ScoreRow]:
    head = table.header
    unit_col = next((i for i, h in enumerate(head) if header_key(h) in LONG_COLUMNS["unit"]), None)
    if unit_col is None:
        unit_col = 0
    columns: list[tuple[int, Criterion]] = []
    for i, title in enumerate(head):
        if i == unit_col or not title.strip():
            continue
        criterion = checker.criterion(title)
        if criterion is None and _computed(title):
            continue  # a computed total or subtotal, or a row number, as Excel sheets carry
        if criterion is None:
            problems.append(Problem(1, title, checker.unknown_criterion(title)))
            continue
        columns.append((i, criterion))
    if problems:
        return
    if default_source == "peer":
        problems.append(Problem(1, "", _("peer scores need the long shape, with a scorer column")))
        return
    for line, cells in table.rows:
        unit_name = _text(_cell(cells, unit_col))
        unit = checker.unit(unit_name) if unit_name else _("empty")
        if isinstance(unit, str):
            problems.append(Problem(line, head[unit_col], unit))
            continue
        for i, criterion in columns:
            value = _cell(cells, i)
            if (value is None or _text(value).strip() == "") and criterion.kind != "base":
                continue
            points, problem = _points(value, criterion, table.decimal_comma)
            if problem:
                problems.append(Problem(line, head[i], problem))
            elif points is not None:
                yield line, unit, criterion.id, default_source, None, points


VOTE_COLUMNS = {
    "unit": ("unit", "don_vi", "ten_don_vi"),
    "votes": ("votes", "so_phieu", "phieu", "so_phieu_dong_y", "phieu_dong_y"),
    "voters": (
        "voters", "valid", "so_nguoi_bo_phieu", "tong_so_phieu", "so_phieu_hop_le",
        "phieu_hop_le",
    ),
    "issued": ("issued", "so_phieu_phat_ra", "phieu_phat_ra"),
}  # fmt: skip


def _whole(value: object) -> int | str | None:
    """A count from a cell: the number, None for an empty cell, or why it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_whole(value)
    except NumberError as exc:
        return count_problem(exc.reason, value)


def count_problem(reason: str, value: object) -> str:
    """Why a cell is not a count, in words (rules.numbers says what a count is)."""
    text = clipped(str(value).strip())
    if reason == "too_large":
        return _("“{text}” is too large (at most {maximum})").format(
            text=text, maximum=shown_count(MAX_WHOLE)
        )
    return _("“{text}” is not a whole number").format(text=text)


def read_votes(
    table: Table,
    checker: Checker,
    problems: list[Problem],
    stored: Mapping[int, tuple[int, int | None, int | None]] | None = None,
) -> Iterator[tuple[int, int, int | None, int | None]]:
    """Stream (unit, votes, valid ballots, ballots issued) rows of a votes table; append every
    problem on the way. Valid ballots or ballots issued that the table leaves out (no column, an
    empty cell) are taken from the unit's `stored` ballot, and checked with the new votes."""
    cols = find_columns(table.header, VOTE_COLUMNS, ("unit", "votes"))
    head = table.header
    seen: dict[int, int] = {}
    for line, cells in table.rows:
        unit = checker.unit(_text(_cell(cells, cols["unit"])))
        if isinstance(unit, str):
            problems.append(Problem(line, head[cols["unit"]], unit))
            continue
        if unit in seen:
            message = _("already on line {other}").format(other=seen[unit])
            problems.append(Problem(line, head[cols["unit"]], message))
            continue
        seen[unit] = line
        counts: list[int | None] = []
        for key in ("votes", "voters", "issued"):
            value = _whole(_cell(cells, cols.get(key)))
            if isinstance(value, str):
                problems.append(Problem(line, head[cols[key]], value))
                break
            counts.append(value)
        else:
            number, voters, issued = counts
            if number is None:
                problems.append(Problem(line, head[cols["votes"]], _("empty")))
                continue
            before = (stored or {}).get(unit)
            if before is not None:
                voters = before[1] if voters is None else voters
                issued = before[2] if issued is None else issued
            problem = ballot_problem(number, voters, issued)
            if problem:
                # the cell in the wrong: the votes above the valid ballots, else the counts
                key = "votes" if voters is not None and number > voters else "voters"
                problems.append(Problem(line, head[cols.get(key, cols["votes"])], problem))
            else:
                yield unit, number, voters, issued


RATING_COLUMNS = {
    "unit": ("unit", "don_vi", "ten_don_vi"),
    "rating": ("rating", "xep_loai", "ket_qua_xep_loai"),
}


def read_ratings(
    table: Table,
) -> tuple[list[tuple[int, str, str]], list[Problem], dict[str, str]]:
    """(line, unit as written, rating as written) for every row of a ratings table, the
    problems of its shape (an empty cell), and the headers of its unit and rating columns."""
    cols = find_columns(table.header, RATING_COLUMNS, ("unit", "rating"))
    head = table.header
    rows: list[tuple[int, str, str]] = []
    problems: list[Problem] = []
    for line, cells in table.rows:
        unit, rating = (_text(_cell(cells, cols[key])).strip() for key in ("unit", "rating"))
        for key, value in (("unit", unit), ("rating", rating)):
            if not value:
                problems.append(Problem(line, head[cols[key]], _("empty")))
        if unit and rating:
            rows.append((line, unit, rating))
    return rows, problems, {key: head[cols[key]] for key in ("unit", "rating")}


COUNCIL_COLUMNS = {
    "unit": ("unit", "don_vi", "ten_don_vi"),
    "award": ("award", "hinh_thuc", "hinh_thuc_khen_thuong"),
    "agree": (
        "agree", "dong_y", "so_dong_y", "so_phieu_dong_y", "so_thanh_vien_dong_y", "tan_thanh",
        "so_phieu_tan_thanh",
    ),
    "members": ("members", "thanh_vien", "so_thanh_vien", "tong_so_thanh_vien"),
}  # fmt: skip


def read_council(
    table: Table,
) -> tuple[list[tuple[int, str, str, int, int]], list[Problem], dict[str, str]]:
    """(line, unit as written, award as written, in favour, members) for every row of the
    Council's votes, the problems of their shape (a count that is not a whole number), and the
    headers of the columns."""
    cols = find_columns(table.header, COUNCIL_COLUMNS, tuple(COUNCIL_COLUMNS))
    head = {key: table.header[index] for key, index in cols.items()}
    rows: list[tuple[int, str, str, int, int]] = []
    problems: list[Problem] = []
    for line, cells in table.rows:
        unit, award = (_text(_cell(cells, cols[key])).strip() for key in ("unit", "award"))
        raw = {key: _cell(cells, cols[key]) for key in ("agree", "members")}
        if not unit and not award and all(_whole(v) is None for v in raw.values()):
            continue  # an empty line
        counts = []
        for key, value in raw.items():
            count = _whole(value)
            if not isinstance(count, int):
                message = count if count is not None else count_problem("empty", "")
                problems.append(Problem(line, head[key], message))
                break
            counts.append(count)
        else:
            rows.append((line, unit, award, counts[0], counts[1]))
    return rows, problems, head


def problem_lines(problems: Sequence[Problem], unlisted: int = 0) -> list[str]:
    """The problems as lines for the user, the first MAX_LISTED of them; `unlisted` more were
    found and not kept (none of them among the first MAX_LISTED)."""
    ordered = sorted(problems, key=lambda p: (getattr(p, "where", ""), p.line))
    shown = [str(p) for p in ordered[:MAX_LISTED]]
    total = len(problems) + unlisted
    if total > MAX_LISTED:
        shown.append(_("... and {count} more.").format(count=total - MAX_LISTED))
    return shown


@dataclass(frozen=True)
class FormProblem(Problem):
    """A problem in a filled form: the file and the sheet as well as the row."""

    where: str = ""

    def __str__(self) -> str:
        parts = [self.where] if self.where else []
        if self.line:
            parts.append(_("row {row}").format(row=self.line))
        if self.column:
            parts.append(_("column “{column}”").format(column=self.column))
        return ", ".join(parts) + ": " + self.message if parts else self.message


EvidenceRow = tuple[int, int, int, str, int | None, int, str | None]


def check_form(
    form: FilledForm,
    label: str,
    checker: Checker,
    *,
    period: str,
    problems: list[Problem],
    places: list[tuple[str, int]],
    statements: set[tuple[int, str, int | None]] | None = None,
) -> Iterator[EvidenceRow]:
    """The scores of one filled form, each with its evidence. Each row's first item indexes
    `places`, where this function appends the file, sheet and row it came from; `statements`
    gathers the (unit, source, scorer) whose whole statement each sheet is."""
    wanted = (checker.cluster, checker.year, period)
    if form.source not in ("self", "peer"):
        problems.append(FormProblem(0, "", _("not a self or peer scoring form"), label))
        return
    if (
        fold_key(form.cluster) != fold_key(checker.cluster)
        or form.year != checker.year
        or (form.period != period)
    ):
        problems.append(
            FormProblem(
                0,
                "",
                _("this form is for {cluster}, {year} ({period}), not {wanted}").format(
                    cluster=form.cluster,
                    year=form.year,
                    period=period_word(form.period),
                    wanted=f"{wanted[0]}, {wanted[1]} ({period_word(period)})",
                ),
                label,
            )
        )
        return
    scorer: int | None = None
    if form.source == "peer":
        found = checker.unit(form.scorer) if form.scorer else _("the form names no scoring unit")
        if isinstance(found, str):
            problems.append(FormProblem(0, "", found, label))
            return
        scorer = found
    points_column = _("Self-scored points") if form.source == "self" else _("Points given")
    units: dict[str, int | str] = {}
    seen: set[tuple[int, int]] = set()
    for entry in form.entries:
        where = f"{label} › {entry.sheet}"
        if entry.unit not in units:
            units[entry.unit] = checker.unit(entry.unit)
            if isinstance(units[entry.unit], str):
                problems.append(FormProblem(entry.row, "", str(units[entry.unit]), where))
        unit = units[entry.unit]
        if isinstance(unit, str):
            continue
        if statements is not None:
            statements.add((unit, "self" if form.source == "self" else "peer", scorer))
        if unit == scorer:
            problems.append(
                FormProblem(entry.row, "", _("a unit cannot cross-score itself"), where)
            )
            continue
        criterion = checker.criterion(entry.code)
        if criterion is None:
            problems.append(
                FormProblem(entry.row, "STT", checker.unknown_criterion(entry.code), where)
            )
            continue
        seen.add((unit, criterion.id))
        empty = entry.points is None or _text(entry.points).strip() == ""
        if empty:
            if entry.evidence:
                message = _("there is an explanation but no points")
                problems.append(FormProblem(entry.row, points_column, message, where))
            elif criterion.kind == "base":
                problems.append(FormProblem(entry.row, points_column, _("empty"), where))
            continue
        points, problem = _points(entry.points, criterion, decimal_comma=True)
        if problem:
            problems.append(FormProblem(entry.row, points_column, problem, where))
        elif points is not None:
            places.append((where, entry.row))
            source = "self" if form.source == "self" else "peer"
            yield (
                len(places) - 1,
                unit,
                criterion.id,
                source,
                scorer,
                points,
                (entry.evidence or None),
            )
    for unit_name, unit in units.items():
        if isinstance(unit, str):
            continue
        for criterion in checker.criteria:
            if (unit, criterion.id) not in seen and criterion.kind == "base":
                message = _("criterion {code} is missing from the sheet of {unit}").format(
                    code=criterion.code, unit=unit_name
                )
                problems.append(FormProblem(0, "", message, label))


def period_word(period: str) -> str:
    return {"year": _("year-end"), "half": _("half-year")}.get(period, period)
