"""A unit's record across years: which award, and for how many years in a row.

Higher awards (the Government's flag, for instance) look at several consecutive years of flags or
certificates, so the record counts runs: a year without the award ends a run, and so does a year
missing from the database. A year counts when the province granted the award (in that form) and
has not revoked it, or when the award is proposed and no decision is recorded yet (marked as
waiting); a rejected, revoked or differently decided proposal does not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from thidua_cli.models import Decision, UnitYear


def consecutive_runs(years: Iterable[int]) -> list[list[int]]:
    """[2016, 2018, 2019, 2020] -> [[2016], [2018, 2019, 2020]]."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def award_years(record: Sequence[UnitYear], award: str) -> tuple[list[int], list[int]]:
    """The years that count for `award`, and those of them still waiting for a decision."""
    counted: list[int] = []
    waiting: list[int] = []
    for entry in record:
        if any(d.standing and d.granted == award for d in entry.decisions):
            counted.append(entry.year)
        elif entry.award == award and entry.decided is None:
            counted.append(entry.year)
            waiting.append(entry.year)
    return counted, waiting


def granted_years(decisions: Iterable[Decision], award: str) -> list[int]:
    """The years the province granted `award` (in that form) and has not revoked it."""
    return sorted({d.year for d in decisions if d.standing and d.granted == award})


def run_to(years: Iterable[int], year: int) -> list[int]:
    """The run of consecutive years that ends in `year` ([] when `year` is not among them)."""
    return next((run for run in consecutive_runs(years) if run[-1] == year), [])
