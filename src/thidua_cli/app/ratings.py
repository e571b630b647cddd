"""A unit's rating of the year (xếp loại: hoàn thành xuất sắc, tốt, hoàn thành, không hoàn
thành nhiệm vụ), which the rules may ask of an award (`policy set --min-rating`)."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from thidua_cli.app.session import ensure_unit_unlocked, find_unit, find_units_quietly
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Unit
from thidua_cli.output.criteria_file import Problem
from thidua_cli.output.scoresheet import problem_lines, read_ratings
from thidua_cli.output.tabular import Table
from thidua_cli.rules.policy import check_rating
from thidua_cli.rules.text import sort_key
from thidua_cli.store import registry, scoring


class RatingSet(NamedTuple):
    unit: Unit
    rating: str
    previous: str | None  # the rating it replaced, if any


def set_rating(conn: sqlite3.Connection, unit_name: str, year: int, rating: str) -> RatingSet:
    code = check_rating(rating)
    found = find_unit(conn, unit_name)
    ensure_unit_unlocked(conn, found, year)
    return RatingSet(found, code, scoring.set_rating(conn, found.id, year, code))


def import_ratings(conn: sqlite3.Connection, table: Table, label: str, year: int) -> int:
    """Every unit's rating of the table, or none: every problem is reported by line."""
    rows, problems, head = read_ratings(table)
    units = find_units_quietly(conn, [unit for _line, unit, _rating in rows])
    ready: list[tuple[Unit, str]] = []
    seen: dict[int, int] = {}
    for (line, _unit, rating), unit in zip(rows, units, strict=True):
        if isinstance(unit, str):
            problems.append(Problem(line, head["unit"], unit))
            continue
        if unit.id in seen:
            message = _("already on line {other}").format(other=seen[unit.id])
            problems.append(Problem(line, head["unit"], message))
            continue
        seen[unit.id] = line
        try:
            ready.append((unit, check_rating(rating)))
        except InvalidInput as error:
            problems.append(Problem(line, head["rating"], error.message))
    if problems:
        raise InvalidInput(
            _("{file} was not imported; nothing was written. {count} problems:").format(
                file=label, count=len(problems)
            ),
            details=problem_lines(problems),
        )
    for unit, _code in ready:
        ensure_unit_unlocked(conn, unit, year)
    for unit, code in ready:
        scoring.set_rating(conn, unit.id, year, code)
    return len(ready)


class RatingLine(NamedTuple):
    unit: str
    cluster: str | None  # the cluster the unit belongs to that year, if any
    rating: str


def ratings(conn: sqlite3.Connection, year: int) -> list[RatingLine]:
    """The year's ratings, by cluster then unit, in Vietnamese order."""
    where = registry.unit_clusters(conn, year)
    lines = [
        RatingLine(registry.unit_by_id(conn, unit_id).name, where.get(unit_id, (None,))[0], code)
        for unit_id, code in scoring.ratings_of_year(conn, year).items()
    ]
    return sorted(lines, key=lambda r: (sort_key(r.cluster or "\uffff"), sort_key(r.unit)))
