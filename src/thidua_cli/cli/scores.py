"""`thidua criteria|score|vote|flag|policy ...`: what goes into a ranking."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from thidua_cli.app.results import criteria_for, policy_for
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    FormatOption,
    PeriodOption,
    YearOption,
    command_group,
    ensure_unit_unlocked,
    ensure_unlocked,
    ensure_year_unlocked,
    find_cluster,
    find_unit,
    open_db,
    say,
    writing,
)
from thidua_cli.cli.completion import cluster_names, unit_names
from thidua_cli.errors import InvalidInput, UsageError
from thidua_cli.i18n import _
from thidua_cli.output.criteria_file import Problem, parse_criteria
from thidua_cli.output.render import Column, render, write_atomic
from thidua_cli.output.scoresheet import (
    Checker,
    check_score,
    problem_lines,
    read_scores,
    read_votes,
)
from thidua_cli.output.tabular import ENCODINGS, read_table
from thidua_cli.points import shown, to_number
from thidua_cli.rules.policy import parse_score_rule, parse_tie_break
from thidua_cli.rules.text import fold_key
from thidua_cli.store import audit, registry, scoring

criteria_app = command_group(help_of("criteria"))
score_app = command_group(help_of("score"))
vote_app = command_group(help_of("vote"))
flag_app = command_group(help_of("flag"))
policy_app = command_group(help_of("policy"))

SourceOption = Annotated[
    Literal["final", "peer", "self"],
    typer.Option(
        "--source", help=_("final (settled by the cluster), peer (cross-scoring) or self.")
    ),
]
FileArgument = Annotated[
    Path, typer.Argument(help=_("CSV or .xlsx file."), show_default=False, dir_okay=False)
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help=_("Text encoding of a CSV file: {known} (default: found from the file).").format(
            known=", ".join(ENCODINGS)
        ),
    ),
]
ScopeClusterOption = Annotated[
    str | None,
    typer.Option("--cluster", "-c", help=_("The cluster."), autocompletion=cluster_names),
]
AllClustersOption = Annotated[
    bool, typer.Option("--all-clusters", help=_("The rule of the year for every cluster."))
]
UnitOption = Annotated[
    str,
    typer.Option(
        "--unit", "-u", help=_("The unit, by any of its names."), autocompletion=unit_names
    ),
]


def kind_name(kind: str) -> str:
    return {"base": _("base"), "bonus": _("bonus"), "deduction": _("deduction")}[kind]


# ---------------------------------------------------------------- criteria


@criteria_app.command(
    "import", help=_("Import a criteria set from CSV: code,group,name,max_points,kind.")
)
def criteria_import(
    file: FileArgument,
    *,
    year: YearOption,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("The cluster whose set this is."),
            autocompletion=cluster_names,
        ),
    ] = None,
    default: Annotated[
        bool,
        typer.Option("--default", help=_("The province default for every cluster that year.")),
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Replace an existing set (only while unscored)."))
    ] = False,
    encoding: EncodingOption = None,
    db_path: DbOption = None,
) -> None:
    if (cluster is None) == (not default):
        raise InvalidInput(_("Give either --cluster or --default."))
    criteria = parse_criteria(read_table(file, encoding=encoding))
    with writing(db_path) as conn:
        found = find_cluster(conn, cluster, year) if cluster else None
        scoring.save_criteria(conn, found.id if found else None, year, criteria, replace=replace)
    base = sum(c.max_points for c in criteria if c.kind == "base")
    owner = found.name if found else _("the province default")
    say(
        _("Imported {count} criteria for {owner}, {year} (base points: {base}).").format(
            count=len(criteria), owner=owner, year=year, base=shown(base)
        )
    )


@criteria_app.command("list", help=_("List the criteria that apply to a cluster-year."))
def criteria_list(
    *,
    year: YearOption,
    cluster: ScopeClusterOption = None,
    default: Annotated[
        bool, typer.Option("--default", help=_("The province default of the year."))
    ] = False,
    fmt: FormatOption = "table",
    db_path: DbOption = None,
) -> None:
    if (cluster is None) == (not default):
        raise InvalidInput(_("Give either --cluster or --default."))
    with open_db(db_path) as conn:
        if cluster:
            found = find_cluster(conn, cluster, year)
            applicable = scoring.applicable_criteria(conn, found.id, year)
            criteria, is_default = applicable if applicable else ([], False)
            title = found.name
        else:
            criteria, is_default = scoring.default_criteria(conn, year) or [], True
            title = _("the province default")
    if not criteria:
        raise InvalidInput(_("No criteria for {owner} in {year}.").format(owner=title, year=year))
    rows = [
        {
            "code": c.code,
            "group": c.group,
            "name": c.name,
            "max_points": to_number(c.max_points) if fmt != "table" else shown(c.max_points),
            "kind": c.kind if fmt != "table" else kind_name(c.kind),
        }
        for c in criteria
    ]
    columns = [
        Column("code", _("Code")),
        Column("group", _("Group")),
        Column("name", _("Criterion")),
        Column("max_points", _("Maximum"), numeric=True),
        Column("kind", _("Kind")),
    ]
    note = _("(province default)") if is_default and cluster else ""
    render(rows, columns, fmt, title=f"{title}, {year} {note}".strip())


# ---------------------------------------------------------------- scores


def _checker(conn, cluster, year, *, scores: bool = True) -> Checker:  # type: ignore[no-untyped-def]
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
    )


@score_app.command("set", help=_("Set one score of a unit for one criterion."))
def score_set(
    *,
    cluster: ClusterOption,
    year: YearOption,
    unit: UnitOption,
    criterion: Annotated[str, typer.Option("--criterion", "-k", help=_("Criterion code."))],
    points: Annotated[str, typer.Option("--points", "-p", help=_("Points, at most two decimals."))],
    source: SourceOption = "final",
    scorer: Annotated[
        str | None, typer.Option("--scorer", help=_("The unit that gave a peer score."))
    ] = None,
    period: PeriodOption = "year",
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        found = find_cluster(conn, cluster, year)
        ensure_unlocked(conn, found, year)
        checker = _checker(conn, found, year)
        row, problems = check_score(
            checker,
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
        chosen = next(c for c in checker.criteria if c.id == criterion_id)
        key = (found.id, year, period, unit_id, criterion_id, source, scorer_id)
        old = scoring.existing_score(conn, key)
        scoring.set_score(conn, key, value)
    name = next(m.name for m in checker.members if m.id == unit_id)
    message = _("{unit}, criterion {code}: {points} points.").format(
        unit=name, code=chosen.code, points=shown(value)
    )
    if old is not None and old != value:
        message += " " + _("(was {old})").format(old=shown(old))
    say(message)


@score_app.command(
    "import",
    help=_(
        "Import scores from CSV or .xlsx, long (unit,criterion,points[,source,scorer]) or wide "
        "(unit, then one column per criterion code). All or nothing."
    ),
)
def score_import(
    file: FileArgument,
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    source: SourceOption = "final",
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Replace scores that are already stored."))
    ] = False,
    encoding: EncodingOption = None,
    db_path: DbOption = None,
) -> None:
    table = read_table(file, encoding=encoding)
    problems: list[Problem] = []
    with writing(db_path) as conn:
        found = find_cluster(conn, cluster, year)
        ensure_unlocked(conn, found, year)
        checker = _checker(conn, found, year)
        rows = read_scores(table, checker, default_source=source, problems=problems)
        duplicates, existing = scoring.import_scores(conn, found.id, year, period, rows)
        for lines, what in duplicates:
            problems.append(
                Problem(
                    int(lines.split(",")[0]),
                    "",
                    _("{what} appears more than once (lines {lines})").format(
                        what=what, lines=lines
                    ),
                )
            )
        if existing and not replace:
            for line, what in existing:
                problems.append(
                    Problem(
                        int(line),
                        "",
                        _("{what} is already scored (use --replace)").format(what=what),
                    )
                )
        if problems:
            raise InvalidInput(
                _("{file} was not imported; nothing was written. {count} problems:").format(
                    file=file, count=len(problems)
                ),
                details=problem_lines(problems),
            )
        audit.bulk(conn, True)
        count = scoring.commit_import(conn, found.id, year, period)
        audit.bulk(conn, False)
        if count == 0:
            raise InvalidInput(_("{file} holds no scores.").format(file=file))
        audit.record(
            conn,
            "score",
            "import",
            cluster_id=found.id,
            year=year,
            new={"file": str(file), "period": period, "scores": count, "replace": replace},
        )
    say(
        _("Imported {count} scores into {cluster}, {year}.").format(
            count=count, cluster=found.name, year=year
        )
    )


@score_app.command("show", help=_("Show the counted scores of a cluster-year: units by criteria."))
def score_show(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    fmt: FormatOption = "table",
    db_path: DbOption = None,
) -> None:
    with open_db(db_path) as conn:
        found = find_cluster(conn, cluster, year)
        criteria = criteria_for(conn, found, year)
        members = registry.members(conn, found.id, year)
        counted = scoring.counted(conn, found.id, year, period)
    as_text = fmt == "table"
    rows = []
    for m in members:
        row: dict[str, object] = {"unit": m.name}
        total = 0
        for c in criteria:
            value = counted.get((m.unit_id, c.id))
            if value is not None:
                total += -value if c.kind == "deduction" else value
            row[c.code] = (
                (shown(value) if as_text else to_number(value)) if value is not None else None
            )
        row["total"] = shown(total) if as_text else to_number(total)
        rows.append(row)
    columns = [Column("unit", _("Unit"))]
    columns += [Column(c.code, c.code, numeric=True) for c in criteria]
    columns.append(Column("total", _("Total"), numeric=True))
    render(rows, columns, fmt, title=f"{found.name}, {year}")


@score_app.command(
    "template",
    help=_(
        "Write the Excel scoring sheet of a cluster-year: a row per member, a column per "
        "criterion with its maximum, values checked by Excel, the total computed by Excel. "
        "Members fill it in; `thidua score import` reads it back."
    ),
)
def score_template(
    *,
    cluster: ClusterOption,
    year: YearOption,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help=_("The .xlsx file to write."), dir_okay=False),
    ],
    period: PeriodOption = "year",
    source: SourceOption = "final",
    db_path: DbOption = None,
) -> None:
    if output.suffix.lower() != ".xlsx":
        raise UsageError(_("The scoring sheet is an Excel workbook: name it FILE.xlsx."))
    if source == "peer":
        raise UsageError(_("Peer scores need the long shape, with a scorer column."))
    with open_db(db_path) as conn:
        found = find_cluster(conn, cluster, year)
        criteria = criteria_for(conn, found, year)
        members = registry.members(conn, found.id, year)
        names = {m.unit_id: m.name for m in members}
        filled = {
            (names[s.unit_id], s.criterion_id): s.points
            for s in scoring.scores(conn, found.id, year, period)
            if s.source == source and s.unit_id in names
        }
    if not members:
        raise InvalidInput(
            _("{cluster} has no members in {year}.").format(cluster=found.name, year=year)
        )
    from thidua_cli.output.workbook import scoring_sheet

    label = _("year-end") if period == "year" else _("half-year")
    data = scoring_sheet(
        title=_("Scoring sheet of {cluster}, {year} ({period})").format(
            cluster=found.name, year=year, period=label
        ),
        labels={
            "sheet": _("Scores"),
            "unit": _("Unit"),
            "criterion": _("Criterion"),
            "maximum": _("Maximum"),
            "total": _("Total"),
            "error_title": _("Not a valid score"),
            "error": _("Enter a number from 0 to {maximum}, with at most two decimals."),
        },
        units=[m.name for m in members],
        criteria=criteria,
        filled=filled,
    )
    write_atomic(output, data)
    say(
        _("Wrote the scoring sheet of {cluster}, {year} to {path}: {units} units, {count} "
          "criteria.").format(
            cluster=found.name, year=year, path=output, units=len(members), count=len(criteria)
        )
    )  # fmt: skip


# ---------------------------------------------------------------- votes


@vote_app.command("set", help=_("Record the votes a unit received at the review."))
def vote_set(
    *,
    cluster: ClusterOption,
    year: YearOption,
    unit: UnitOption,
    votes: Annotated[int, typer.Option("--votes", min=0, help=_("Votes received."))],
    voters: Annotated[
        int | None, typer.Option("--voters", min=0, help=_("How many voted."))
    ] = None,
    period: PeriodOption = "year",
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        found = find_cluster(conn, cluster, year)
        ensure_unlocked(conn, found, year)
        checker = _checker(conn, found, year, scores=False)
        unit_id = checker.unit(unit)
        if isinstance(unit_id, str):
            raise InvalidInput(unit_id)
        if voters is not None and votes > voters:
            raise InvalidInput(
                _("{votes} votes from {voters} voters is not possible.").format(
                    votes=votes, voters=voters
                )
            )
        scoring.set_vote(conn, found.id, year, period, unit_id, votes, voters)
    say(_("Recorded {votes} votes.").format(votes=votes))


@vote_app.command("import", help=_("Import votes from CSV or .xlsx: unit,votes[,voters]."))
def vote_import(
    file: FileArgument,
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    encoding: EncodingOption = None,
    db_path: DbOption = None,
) -> None:
    table = read_table(file, encoding=encoding)
    problems: list[Problem] = []
    with writing(db_path) as conn:
        found = find_cluster(conn, cluster, year)
        ensure_unlocked(conn, found, year)
        count = 0
        for unit_id, number, voters in read_votes(
            table, _checker(conn, found, year, scores=False), problems
        ):
            scoring.set_vote(conn, found.id, year, period, unit_id, number, voters)
            count += 1
        if problems:
            raise InvalidInput(
                _("{file} was not imported; nothing was written. {count} problems:").format(
                    file=file, count=len(problems)
                ),
                details=problem_lines(problems),
            )
    say(_("Recorded the votes of {count} units.").format(count=count))


# ---------------------------------------------------------------- flags


@flag_app.command("add", help=_("Flag a unit for a year: it keeps its place but gets no award."))
def flag_add(
    *,
    unit: UnitOption,
    year: YearOption,
    reason: Annotated[str, typer.Option("--reason", help=_("Why (shown in the ranking)."))],
    db_path: DbOption = None,
) -> None:
    if not reason.strip():
        raise InvalidInput(_("The reason cannot be empty."))
    with writing(db_path) as conn:
        found = find_unit(conn, unit)
        ensure_unit_unlocked(conn, found, year)
        added = scoring.add_flag(conn, found.id, year, reason)
    if added:
        say(
            _("Flagged {unit} for {year}: {reason}").format(
                unit=found.name, year=year, reason=reason
            )
        )
    else:
        say(_("{unit} already has this flag for {year}.").format(unit=found.name, year=year))


@flag_app.command("list", help=_("List the flags, by year and unit."))
def flag_list(
    *,
    year: Annotated[int | None, typer.Option("--year", "-y", help=_("Only this year."))] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help=_("Only this unit."), autocompletion=unit_names),
    ] = None,
    fmt: FormatOption = "table",
    db_path: DbOption = None,
) -> None:
    with open_db(db_path) as conn:
        unit_id = find_unit(conn, unit).id if unit else None
        found = scoring.flags(conn, year, unit_id)
    rows = [{"year": y, "unit": name, "reason": reason} for _id, name, y, reason in found]
    columns = [Column("year", _("Year")), Column("unit", _("Unit")), Column("reason", _("Reason"))]
    render(rows, columns, fmt, title=_("Flags ({count})").format(count=len(rows)))


@flag_app.command(
    "remove", help=_("Remove a unit's flags for a year (or only the one with --reason).")
)
def flag_remove(
    *,
    unit: UnitOption,
    year: YearOption,
    reason: Annotated[str | None, typer.Option("--reason", help=_("Only this flag."))] = None,
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        found = find_unit(conn, unit)
        ensure_unit_unlocked(conn, found, year)
        removed = scoring.remove_flags(conn, found.id, year, reason)
        if not removed:
            raise InvalidInput(
                _("{unit} has no such flag for {year}.").format(unit=found.name, year=year)
            )
    say(_("Removed {count} flags.").format(count=removed))


# ---------------------------------------------------------------- policy


def _policy_scope(conn, cluster: str | None, all_clusters: bool, year: int):  # type: ignore[no-untyped-def]
    if (cluster is None) == (not all_clusters):
        raise InvalidInput(_("Give either --cluster or --all-clusters."))
    return find_cluster(conn, cluster, year) if cluster else None


@policy_app.command(
    "show", help=_("Show the rules in force for a cluster-year, and where each comes from.")
)
def policy_show(
    *,
    year: YearOption,
    cluster: ScopeClusterOption = None,
    all_clusters: AllClustersOption = False,
    fmt: FormatOption = "table",
    db_path: DbOption = None,
) -> None:
    with open_db(db_path) as conn:
        found = _policy_scope(conn, cluster, all_clusters, year)
        policy = policy_for(conn, found.id if found else None, year)
        members = len(registry.members(conn, found.id, year)) if found else None
    origins = {
        "default": _("thidua default"),
        "year": _("rule of the year"),
        "cluster": _("rule of the cluster"),
    }
    merit = (
        str(policy.merit_quota)
        if policy.merit_quota is not None
        else _("{percent}% of the members, rounded down").format(percent=policy.merit_percent)
    )
    if members is not None:
        merit += " = " + str(policy.merits(members))
    data = {
        "merit_quota": policy.merits(members) if members is not None else policy.merit_quota,
        "merit_percent": policy.merit_percent if policy.merit_quota is None else None,
        "flag_quota": policy.flag_quota,
        "tie_break": list(policy.tie_break),
        "score_rule": list(policy.score_rule),
    }
    rows = [
        {
            "key": "merit_quota",
            "setting": _("Certificates (Bằng khen)"),
            "value": merit,
            "origin": origins[policy.origin["merit_quota"]],
        },
        {
            "key": "flag_quota",
            "setting": _("Flags (Cờ thi đua)"),
            "value": str(policy.flag_quota),
            "origin": origins[policy.origin["flag_quota"]],
        },
        {
            "key": "tie_break",
            "setting": _("Tie-break"),
            "value": ", ".join(policy.tie_break) or "none",
            "origin": origins[policy.origin["tie_break"]],
        },
        {
            "key": "score_rule",
            "setting": _("Score that counts"),
            "value": ", ".join(policy.score_rule),
            "origin": origins[policy.origin["score_rule"]],
        },
    ]
    columns = [
        Column("setting", _("Setting")),
        Column("value", _("Value")),
        Column("origin", _("From")),
    ]
    title = f"{found.name if found else _('Every cluster')}, {year}"
    render(rows, columns, fmt, title=title, json_data=data)


@policy_app.command("set", help=_("Set rules for a cluster-year, or for every cluster of a year."))
def policy_set(
    *,
    year: YearOption,
    cluster: ScopeClusterOption = None,
    all_clusters: AllClustersOption = False,
    merit_quota: Annotated[
        int | None, typer.Option("--merit-quota", min=0, help=_("A fixed number of certificates."))
    ] = None,
    merit_percent: Annotated[
        int | None,
        typer.Option(
            "--merit-percent",
            min=0,
            max=100,
            help=_("Certificates as a percentage of the members, rounded down (default 30)."),
        ),
    ] = None,
    flag_quota: Annotated[
        int | None, typer.Option("--flag-quota", min=0, help=_("How many flags (default 1)."))
    ] = None,
    tie_break: Annotated[
        str | None,
        typer.Option(
            "--tie-break",
            help=_("Tie-break chain: “votes”, “group:<group name>”, “none”, comma-separated."),
        ),
    ] = None,
    score_rule: Annotated[
        str | None,
        typer.Option(
            "--score-rule", help=_("Which score counts, first present wins: “final,peer,self”.")
        ),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help=_("Forget this scope's rules: back to the defaults."))
    ] = False,
    db_path: DbOption = None,
) -> None:
    if merit_quota is not None and merit_percent is not None:
        raise InvalidInput(_("Give --merit-quota or --merit-percent, not both."))
    values: dict[str, object] = {}
    if merit_quota is not None:
        values.update(merit_quota=merit_quota, merit_percent=None)
    if merit_percent is not None:
        values.update(merit_percent=merit_percent, merit_quota=None)
    if flag_quota is not None:
        values["flag_quota"] = flag_quota
    if tie_break is not None:
        values["tie_break"] = ",".join(parse_tie_break(tie_break)) or "none"
    if score_rule is not None:
        values["score_rule"] = ",".join(parse_score_rule(score_rule))
    if not values and not reset:
        raise InvalidInput(_("Nothing to set: give at least one rule, or --reset."))
    with writing(db_path) as conn:
        found = _policy_scope(conn, cluster, all_clusters, year)
        if found is None:
            ensure_year_unlocked(conn, year)
        else:
            ensure_unlocked(conn, found, year)
        if tie_break is not None:
            _check_groups(conn, found, year, parse_tie_break(tie_break))
        if reset:
            from thidua_cli.rules.policy import FIELDS

            scoring.save_policy(conn, found.id if found else None, year, dict.fromkeys(FIELDS))
        if values:
            scoring.save_policy(conn, found.id if found else None, year, values)
    say(
        _("Rules saved for {scope}, {year}.").format(
            scope=found.name if found else _("every cluster"), year=year
        )
    )


def _check_groups(conn, cluster, year: int, steps: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    applicable = (
        scoring.applicable_criteria(conn, cluster.id, year)
        if cluster
        else ((scoring.default_criteria(conn, year) or []), True)
    )
    criteria = applicable[0] if applicable else []
    if not criteria:
        return
    groups = {fold_key(c.group): c.group for c in criteria if c.group}
    for step in steps:
        if step.startswith("group:") and fold_key(step[6:]) not in groups:
            raise InvalidInput(
                _("There is no criteria group “{group}”; the groups are: {groups}.").format(
                    group=step[6:], groups="; ".join(groups.values())
                )
            )
