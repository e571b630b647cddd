"""What goes into a ranking: criteria sets, scores and votes, checked whole before anything is
written (a file with one bad row is refused whole, every problem named by line and column)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from thidua_cli.app.facts import provenance_of
from thidua_cli.app.ranking import criteria_for, live_ranking, policy_for
from thidua_cli.app.session import ensure_unlocked, find_cluster, members_listing
from thidua_cli.errors import InvalidInput, UsageError
from thidua_cli.i18n import _
from thidua_cli.models import Cluster, Criterion, Member, Provenance
from thidua_cli.output.criteria_file import Problem, point_problem
from thidua_cli.output.scoresheet import (
    MAX_LISTED,
    Checker,
    FormProblem,
    check_form,
    check_score,
    problem_lines,
    read_score_columns,
    read_scores,
    read_votes,
)
from thidua_cli.output.tabular import Table
from thidua_cli.output.workbook import FilledForm, FormSheet
from thidua_cli.points import PointsError, parse_points
from thidua_cli.rules import gaps as rules_gaps
from thidua_cli.rules.ballot import ballot_problem
from thidua_cli.rules.criteria import Group, closing, criteria_groups
from thidua_cli.rules.gaps import Gap
from thidua_cli.rules.ranking import counted_source
from thidua_cli.rules.text import nfc
from thidua_cli.store import audit, locks, registry, scoring
from thidua_cli.store.scoring import Ballot


@dataclass(frozen=True)
class CriteriaImported:
    cluster: Cluster | None  # None: the province default
    carried: int  # stored scores moved to the new set's criteria


def import_criteria(
    conn: sqlite3.Connection,
    criteria: Sequence[Criterion],
    cluster_name: str | None,
    year: int,
    *,
    replace: bool,
    carry_scores: bool = False,
) -> CriteriaImported:
    """Store a criteria set for a cluster-year, or (no cluster) the year's province default.

    Refused for a locked cluster-year (for the default: while a locked cluster of the year
    scores on it), and while it would leave stored scores uncounted unless `carry_scores`
    moves them to the new criteria of the same code."""
    found = find_cluster(conn, cluster_name, year) if cluster_name else None
    if found is not None and locks.is_locked(conn, found.id, year):
        raise InvalidInput(
            _(
                "{cluster} is locked for {year}: its criteria cannot change. Unlock it first: "
                "thidua unlock --cluster ... --year {year} --reason ..."
            ).format(cluster=found.name, year=year)
        )
    if found is None:
        locked = locks.locked_on_default(conn, year)
        if locked:
            raise InvalidInput(
                _(
                    "The province default criteria of {year} cannot change: locked clusters "
                    "score on them ({clusters}). Unlock them first: thidua unlock --cluster ... "
                    "--year {year} --reason ..."
                ).format(year=year, clusters=", ".join(locked))
            )
    carried = scoring.save_criteria(
        conn, found.id if found else None, year, criteria, replace=replace, carry=carry_scores
    )
    return CriteriaImported(found, carried)


def criteria_template() -> bytes:
    """The bundled 100-point criteria set (data/criteria-template.csv), byte for byte."""
    from thidua_cli.app.sample import data_dir

    return (data_dir() / "criteria-template.csv").read_bytes()


def write_criteria_template(target: Path, *, replace: bool) -> Path:
    """Write the bundled criteria set to `target` (a .csv file), whole or not at all.

    An existing file is kept unless `replace`: it may be a set someone has already edited.
    Returns the file written (the one a symbolic link names).
    """
    from thidua_cli.output.render import write_atomic

    if target.suffix.lower() != ".csv":
        raise UsageError(
            _("The criteria template is a CSV file; name it FILE.csv (not {path}).").format(
                path=target
            )
        )
    written = Path(os.path.realpath(target))
    if written.is_dir():
        raise InvalidInput(_("{path} is a folder; give a file name.").format(path=target))
    if written.exists() and not replace:
        raise InvalidInput(
            _("{path} already exists; use --replace to overwrite it.").format(path=target)
        )
    write_atomic(written, criteria_template())
    return written


def checker(
    conn: sqlite3.Connection, cluster: Cluster, year: int, *, scores: bool = True
) -> Checker:
    """Name resolution for one cluster-year; the criteria are needed only for scores."""
    members = registry.members(conn, cluster.id, year)
    if not members:
        raise InvalidInput(
            _("{cluster} has no members in {year}.").format(cluster=cluster.name, year=year)
        )
    member_ids = {m.unit_id for m in members}
    candidates = registry.unit_candidates(conn)
    return Checker(
        members=[c for c in candidates if c.id in member_ids],
        others=candidates,
        criteria=criteria_for(conn, cluster, year) if scores else [],
        year=year,
        cluster=cluster.name,
        listing=members_listing(conn, cluster, year, members),
    )


@dataclass(frozen=True)
class ScoreSet:
    unit: str
    code: str
    points: int
    was: int | None


def set_score(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    period: str,
    unit: str,
    criterion: str,
    points: str,
    source: str,
    scorer: str | None,
    evidence: str | None = None,
) -> ScoreSet:
    found = find_cluster(conn, cluster_name, year)
    evidence = nfc(evidence).strip() if evidence is not None else None
    if evidence == "":
        raise InvalidInput(_("The explanation is empty."))
    ensure_unlocked(conn, found, year)
    names = checker(conn, found, year)
    row, problems = check_score(
        names,
        unit,
        criterion,
        points,
        source_text=source,
        scorer_name=scorer or "",
        decimal_comma=True,
    )
    if row is None:
        raise InvalidInput(problems[0][1], details=[m for _f, m in problems[1:]])
    unit_id, criterion_id, _source, scorer_id, value = row
    key = (found.id, year, period, unit_id, criterion_id, source, scorer_id)
    old = scoring.existing_score(conn, key)
    scoring.set_score(conn, key, value, evidence)
    return ScoreSet(
        next(m.name for m in names.members if m.id == unit_id),
        next(c.code for c in names.criteria if c.id == criterion_id),
        value,
        old,
    )


def _refuse(label: str, problems: list[Problem], unlisted: int = 0) -> None:
    if problems:
        raise InvalidInput(
            _("{file} was not imported; nothing was written. {count} problems:").format(
                file=label, count=len(problems) + unlisted
            ),
            details=problem_lines(problems, unlisted),
        )


def import_scores(
    conn: sqlite3.Connection,
    table: Table,
    label: str,
    cluster_name: str,
    year: int,
    period: str,
    source: str,
    *,
    replace: bool,
) -> tuple[Cluster, int]:
    """Every score of the table, or none; `label` names the file in messages and the log."""
    problems: list[Problem] = []
    found = find_cluster(conn, cluster_name, year)
    ensure_unlocked(conn, found, year)
    names = checker(conn, found, year)
    columns = read_score_columns(table, names, default_source=source, problems=problems)
    if columns is not None and columns.in_order and not problems:
        # new scores in the order of their key, none twice: straight into `score` if the
        # cluster-year has none yet (no staging, no search for duplicates or stored scores)
        audit.bulk(conn, True)
        columns_of = (columns.units, columns.criteria, columns.points)
        count = scoring.insert_new(conn, found.id, year, period, columns.source, columns_of)
        audit.bulk(conn, False)
        if count is not None:
            _log_import(conn, found, year, period, ("file", label), count, replace)
            return found, count
    rows = (
        columns.rows()
        if columns is not None
        else read_scores(table, names, default_source=source, problems=problems)
    )
    duplicates, existing = scoring.import_scores(
        conn, found.id, year, period, rows, stored=not replace, listed=MAX_LISTED
    )
    for lines, what in duplicates:
        problems.append(
            Problem(
                int(lines.split(",")[0]),
                "",
                _("{what} appears more than once (lines {lines})").format(what=what, lines=lines),
            )
        )
    unlisted = 0
    if existing and not replace:
        for line, what in existing:
            problems.append(
                Problem(
                    int(line), "", _("{what} is already scored (use --replace)").format(what=what)
                )
            )
        # a file imported twice: its million stored scores are counted, not each kept
        unlisted = scoring.stored_count(conn, found.id, year, period) - len(existing)
    _refuse(label, problems, unlisted)
    count = _commit_staged(conn, found, year, period, label, ("file", label), replace)
    return found, count


def _commit_staged(
    conn: sqlite3.Connection,
    found: Cluster,
    year: int,
    period: str,
    label: str,
    source: tuple[str, object],
    replace: bool,
) -> int:
    """Move the staged scores in, logged as one audit line for the import (not one per score):
    where they came from (`source`: the file or the forms), the period, how many, --replace."""
    audit.bulk(conn, True)
    count = scoring.commit_import(conn, found.id, year, period)
    audit.bulk(conn, False)
    if count == 0:
        raise InvalidInput(_("{file} holds no scores.").format(file=label))
    _log_import(conn, found, year, period, source, count, replace)
    return count


def _log_import(
    conn: sqlite3.Connection,
    found: Cluster,
    year: int,
    period: str,
    source: tuple[str, object],
    count: int,
    replace: bool,
) -> None:
    audit.record(
        conn,
        "score",
        "import",
        cluster_id=found.id,
        year=year,
        new={source[0]: source[1], "period": period, "scores": count, "replace": replace},
    )


@dataclass
class CountedScores:
    """A cluster-year's scores that count, units by criteria, with each unit's total."""

    cluster: Cluster
    criteria: list[Criterion]
    members: list[Member]
    values: dict[tuple[int, int], int] = field(default_factory=dict)  # (unit, criterion)
    sources: dict[tuple[int, int], str] = field(default_factory=dict)  # the source that counts
    totals: dict[int, int] = field(default_factory=dict)  # unit -> total
    provenance: Provenance = field(default_factory=Provenance)
    # the groups whose subtotal follows each criterion code, as the scoring sheet shows them
    closing: dict[str, list[Group]] = field(default_factory=dict)

    def subtotal(self, unit_id: int, group: Group) -> int | None:
        """A unit's subtotal of a group of criteria (None when it has no points in it)."""
        if not self._by_unit:
            for (unit, criterion), value in self.values.items():
                self._by_unit.setdefault(unit, {})[criterion] = value
        return group.subtotal(self._by_unit.get(unit_id, {}))

    _by_unit: dict[int, dict[int, int]] = field(default_factory=dict, repr=False)


def counted_scores(
    conn: sqlite3.Connection, cluster_name: str, year: int, period: str
) -> CountedScores:
    found = find_cluster(conn, cluster_name, year)
    criteria = criteria_for(conn, found, year)
    rule = policy_for(conn, found.id, year).score_rule
    in_set = {c.id for c in criteria}
    shown = CountedScores(found, criteria, registry.members(conn, found.id, year))
    shown.provenance = provenance_of(conn, found.id, year, period)
    shown.closing = closing(criteria_groups(criteria))
    for scores in scoring.criterion_scores(conn, found.id, year, period):
        present = [name for name in ("final", "peer", "self") if getattr(scores, name) is not None]
        source = counted_source(present, rule)
        if source is not None and scores.criterion_id in in_set:
            key = (scores.unit_id, scores.criterion_id)
            shown.values[key] = getattr(scores, source)
            shown.sources[key] = source
    if shown.members:
        shown.totals = {r.unit_id: r.total for r in live_ranking(conn, found, year, period).rows}
    return shown


@dataclass
class SheetData:
    cluster: Cluster
    members: list[Member]
    criteria: list[Criterion]
    filled: dict[tuple[str, int], int]  # (unit name, criterion id) -> points already stored
    provenance: Provenance = field(default_factory=Provenance)


def sheet_data(
    conn: sqlite3.Connection, cluster_name: str, year: int, period: str, source: str
) -> SheetData:
    """What the Excel scoring sheet of a cluster-year holds: members, criteria, stored scores."""
    found = find_cluster(conn, cluster_name, year)
    criteria = criteria_for(conn, found, year)
    members = registry.members(conn, found.id, year)
    if not members:
        raise InvalidInput(
            _("{cluster} has no members in {year}.").format(cluster=found.name, year=year)
        )
    names = {m.unit_id: m.name for m in members}
    filled = {
        (names[s.unit_id], s.criterion_id): s.points
        for s in scoring.scores(conn, found.id, year, period)
        if s.source == source and s.unit_id in names
    }
    return SheetData(found, members, criteria, filled, provenance_of(conn, found.id, year, period))


@dataclass
class FormFile:
    """One workbook of the forms: the unit that fills it in and the sheets it holds."""

    unit: Member
    sheets: list[FormSheet]


@dataclass
class Forms:
    cluster: Cluster
    criteria: list[Criterion]
    files: list[FormFile]


def forms_data(
    conn: sqlite3.Connection, cluster_name: str, year: int, period: str, source: str
) -> Forms:
    """The forms of a cluster-year: for `self`, one per member (its own sheet); for `peer`, one
    per scoring member (a sheet per other member). What is stored already is filled in."""
    found = find_cluster(conn, cluster_name, year)
    criteria = criteria_for(conn, found, year)
    members = registry.members(conn, found.id, year)
    if not members:
        raise InvalidInput(
            _("{cluster} has no members in {year}.").format(cluster=found.name, year=year)
        )
    if source == "peer" and len(members) < 2:
        raise InvalidInput(
            _("{cluster} has one member in {year}: nobody to cross-score.").format(
                cluster=found.name, year=year
            )
        )
    stored: dict[tuple[int, int | None], dict[int, tuple[int, str | None]]] = {}
    for unit_id, criterion_id, scorer_id, points, evidence in scoring.scores_with_evidence(
        conn, found.id, year, period, source
    ):
        stored.setdefault((unit_id, scorer_id), {})[criterion_id] = (points, evidence)

    def sheet(member: Member, scorer: int | None) -> FormSheet:
        return FormSheet(
            member.name, member.short_name or member.name, stored.get((member.unit_id, scorer), {})
        )

    if source == "self":
        files = [FormFile(m, [sheet(m, None)]) for m in members]
    else:
        files = [
            FormFile(s, [sheet(m, s.unit_id) for m in members if m.unit_id != s.unit_id])
            for s in members
        ]
    return Forms(found, criteria, files)


def import_forms(
    conn: sqlite3.Connection,
    forms: Sequence[tuple[str, FilledForm]],
    cluster_name: str,
    year: int,
    period: str,
    *,
    replace: bool,
) -> tuple[Cluster, int]:
    """Every score of the filled forms (self or peer), each with its evidence, or none."""
    found = find_cluster(conn, cluster_name, year)
    ensure_unlocked(conn, found, year)
    names = checker(conn, found, year)
    problems: list[Problem] = []
    places: list[tuple[str, int]] = []
    statements: set[tuple[int, str, int | None]] = set()
    rows = [
        row
        for label, form in forms
        for row in check_form(
            form, label, names, period=period, problems=problems, places=places,
            statements=statements,
        )
    ]  # fmt: skip
    duplicates, existing = scoring.import_scores(
        conn, found.id, year, period, rows, stored=not replace
    )
    for lines, what in duplicates:
        where = "; ".join(
            f"{places[int(i)][0]}, " + _("row {row}").format(row=places[int(i)][1])
            for i in lines.split(", ")
        )
        message = _("{what} is given more than once ({places})").format(what=what, places=where)
        problems.append(FormProblem(0, "", message))
    if existing and not replace:
        for line, what in existing:
            message = _("{what} is already scored (use --replace)").format(what=what)
            where, row = places[int(line)]
            problems.append(FormProblem(row, "", message, where))
    label = forms[0][0] if len(forms) == 1 else _("The {count} forms").format(count=len(forms))
    _refuse(label, problems)
    if replace:  # a form is its unit's (or scorer's) whole statement: a cleared cell is cleared
        scoring.clear_scores(conn, found.id, year, period, statements)
    files = [name for name, _form in forms]
    count = _commit_staged(conn, found, year, period, label, ("files", files), replace)
    return found, count


@dataclass
class ScoreGaps:
    cluster: Cluster
    criteria: list[Criterion]
    members: list[Member]
    gaps: list[Gap]
    provenance: Provenance
    threshold: int | None  # hundredths


def score_gaps(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    period: str,
    *,
    over: str | None,
    detail: bool,
) -> ScoreGaps:
    """Each member's own score against its peers' mean and the counted value (`score diff`)."""
    threshold = None
    if over is not None:
        try:
            threshold = parse_points(over, decimal_comma=True)
        except PointsError as exc:
            raise InvalidInput(
                _("--over: {problem}.").format(problem=point_problem(exc.reason, over))
            ) from None
    found = find_cluster(conn, cluster_name, year)
    criteria = criteria_for(conn, found, year)
    members = registry.members(conn, found.id, year)
    rule = policy_for(conn, found.id, year).score_rule
    scores = scoring.criterion_scores(conn, found.id, year, period)
    if not any(s.self is not None for s in scores):
        raise InvalidInput(
            _("{cluster} has no self-scores for {year}: nothing to compare.").format(
                cluster=found.name, year=year
            )
        )
    gaps = rules_gaps.score_gaps(
        criteria, scores, rule, [m.unit_id for m in members], over=threshold, detail=detail
    )
    provenance = provenance_of(conn, found.id, year, period)
    return ScoreGaps(found, criteria, members, gaps, provenance, threshold)


def set_vote(
    conn: sqlite3.Connection,
    cluster_name: str,
    year: int,
    period: str,
    unit: str,
    votes: int,
    voters: int | None,
    issued: int | None = None,
) -> Ballot | None:
    """A unit's ballot at the review: votes for it, valid ballots, ballots issued; the valid
    ballots and the ballots issued not given stay as recorded. Returns the ballot recorded
    before, if any."""
    found = find_cluster(conn, cluster_name, year)
    ensure_unlocked(conn, found, year)
    unit_id = checker(conn, found, year, scores=False).unit(unit)
    if isinstance(unit_id, str):
        raise InvalidInput(unit_id)
    before = scoring.votes(conn, found.id, year, period).get(unit_id)
    if before is not None:
        voters = before[1] if voters is None else voters
        issued = before[2] if issued is None else issued
    problem = ballot_problem(votes, voters, issued)  # the ballot as it will stand
    if problem:
        raise InvalidInput(problem)
    scoring.set_vote(conn, found.id, year, period, unit_id, votes, voters, issued)
    return before


def import_votes(
    conn: sqlite3.Connection, table: Table, label: str, cluster_name: str, year: int, period: str
) -> int:
    """Every unit's votes of the table, or none."""
    problems: list[Problem] = []
    found = find_cluster(conn, cluster_name, year)
    ensure_unlocked(conn, found, year)
    count = 0
    stored = scoring.votes(conn, found.id, year, period)
    for unit_id, number, voters, issued in read_votes(
        table, checker(conn, found, year, scores=False), problems, stored
    ):
        scoring.set_vote(conn, found.id, year, period, unit_id, number, voters, issued)
        count += 1
    _refuse(label, problems)
    if count == 0:
        raise InvalidInput(_("{file} holds no unit's votes.").format(file=label))
    return count


def criteria_in_force(
    conn: sqlite3.Connection, cluster_name: str | None, year: int
) -> tuple[str, list[Criterion], bool]:
    """(whose set it is, the criteria, whether they are the province default) for a cluster-year,
    or (no cluster) the year's province default."""
    if cluster_name:
        found = find_cluster(conn, cluster_name, year)
        applicable = scoring.applicable_criteria(conn, found.id, year)
        criteria, is_default = applicable if applicable else ([], False)
        owner = found.name
    else:
        criteria, is_default = scoring.default_criteria(conn, year) or [], True
        owner = _("the province default")
    if not criteria:
        raise InvalidInput(_("No criteria for {owner} in {year}.").format(owner=owner, year=year))
    return owner, criteria, is_default
