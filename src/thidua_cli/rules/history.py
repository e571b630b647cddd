"""A unit's record across years: which award, and for how many years in a row.

Higher awards (the Government's flag, for instance) look at several consecutive years of flags or
certificates, so the record counts runs: a year without the award ends a run, and so does a year
missing from the database. A proposal the province rejected does not count; one still waiting for
its decision does, and is marked as such by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Decision
from thidua_cli.rules.dates import shown_date
from thidua_cli.rules.ranking import AWARD_NAMES, Row


def consecutive_runs(years: Iterable[int]) -> list[list[int]]:
    """[2016, 2018, 2019, 2020] -> [[2016], [2018, 2019, 2020]]."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def runs_text(years: Iterable[int]) -> str:
    """'2016; 2018, 2019, 2020 (3 years in a row)': every year, runs of two or more counted."""
    parts = []
    for run in consecutive_runs(years):
        text = ", ".join(str(y) for y in run)
        if len(run) > 1:
            text += " " + _("({count} years in a row)").format(count=len(run))
        parts.append(text)
    return "; ".join(parts)


@dataclass
class UnitYear:
    """One year of a unit's record: where it was, how it placed, what it was proposed for."""

    year: int
    cluster: str
    role: str
    rank: int | None = None
    tied: bool = False
    total: int | None = None
    award: str | None = None  # the award proposed, if any
    pending: list[str] = field(default_factory=list)  # awards an unresolved tie holds
    flags: list[str] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)  # award -> decision


def award_years(record: Sequence[UnitYear], award: str) -> tuple[list[int], list[int]]:
    """The years that count for `award`, and those of them still waiting for a decision.

    A year counts when the province granted the award, or when it was proposed and no decision
    has been recorded yet; a rejected proposal does not count.
    """
    counted: list[int] = []
    waiting: list[int] = []
    for entry in record:
        decision = entry.decisions.get(award)
        if decision is not None:
            if decision.approved:
                counted.append(entry.year)
        elif entry.award == award:
            counted.append(entry.year)
            waiting.append(entry.year)
    return counted, waiting


def decision_text(decision: Decision) -> str:
    """'QĐ 123/QĐ-UBND, 20/01/2021: approved' in the user's language."""
    outcome = _("approved") if decision.approved else _("not approved")
    return f"{decision.number}, {shown_date(decision.decided_on)}: {outcome}"


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "award": decision.award,
        "number": decision.number,
        "date": decision.decided_on,
        "approved": decision.approved,
    }


def check_decision(
    decision: Decision,
    unit: str,
    cluster: str,
    row: Row | None,
    recorded: Mapping[tuple[int, str], Decision],
    *,
    replace: bool,
) -> None:
    """Refuse a decision that is not on a proposal thidua made, or that clashes with the record.

    `row` is the unit's year-end row (None when the cluster-year has no scores); `recorded`
    holds the unit's decisions by (year, award).
    """
    year, award = decision.year, decision.award
    if row is None:
        raise InvalidInput(
            _("{cluster} has no year-end scores for {year}, so nothing was proposed.").format(
                cluster=cluster, year=year
            )
        )
    if row.award_code != award:
        if award in row.pending_awards:
            message = _(
                "{unit} is in an unresolved tie for {award}; the cluster must settle it first."
            ).format(unit=unit, award=AWARD_NAMES[award])
        elif row.award_code:
            message = _("{unit} was proposed for {proposed} in {year}, not {award}.").format(
                unit=unit,
                proposed=AWARD_NAMES[row.award_code],
                year=year,
                award=AWARD_NAMES[award],
            )
        else:
            message = _(
                "{unit} has no award proposal for {year} (rank {rank} in {cluster})."
            ).format(unit=unit, year=year, rank=row.rank or "-", cluster=cluster)
        raise InvalidInput(message)
    existing = recorded.get((year, award))
    if existing is not None and not replace:
        raise InvalidInput(
            _("A decision is already recorded: {decision}. Use --replace.").format(
                decision=decision_text(existing)
            )
        )
    granted = next(
        (d for (y, a), d in recorded.items() if y == year and a != award and d.approved), None
    )
    if granted is not None and decision.approved:
        raise InvalidInput(
            _(
                "{unit} was already granted {award} for {year}; a unit gets one award a year."
            ).format(unit=unit, award=AWARD_NAMES[granted.award], year=year)
        )
