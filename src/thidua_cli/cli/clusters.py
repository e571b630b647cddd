"""`thidua cluster ...`: clusters (Cụm thi đua) and who belongs to them, year by year."""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from thidua_cli.app import facts, membership
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    FormatOption,
    OutputOption,
    PeriodOption,
    YearOption,
    command_group,
    reading,
    say,
    writing,
)
from thidua_cli.cli.completion import cluster_names, unit_names
from thidua_cli.errors import InvalidInput, UsageError
from thidua_cli.i18n import _, forms_language
from thidua_cli.models import Conference
from thidua_cli.output.provenance import illustrative_line, provenance_json, reported_lines
from thidua_cli.output.render import SCHEMA_VERSION, Column, output_format, render
from thidua_cli.output.wording import (
    conference_json,
    covenant_json,
    covenant_text,
    signer_json,
    signer_text,
)
from thidua_cli.rules.dates import parse_date, shown_date
from thidua_cli.rules.membership import check_covenant_date
from thidua_cli.rules.text import nfc
from thidua_cli.vocabulary import kind_words, shared_words

app = command_group(help_of("cluster"))

ClusterArgument = Annotated[
    str,
    typer.Argument(help=_("Cluster: name, code or number (“Cụm I”)."), show_default=False),
]
UnitsArgument = Annotated[
    list[str],
    typer.Argument(
        help=_("Units, by any of their names."), show_default=False, autocompletion=unit_names
    ),
]


@app.command("add", help=_("Add a cluster."))
def add(
    name: Annotated[str, typer.Argument(help=_("Full name of the cluster."), show_default=False)],
    *,
    code: Annotated[
        str | None,
        typer.Option(
            "--code", help=_("Its number, for example “Cụm I” (may be reused in other years).")
        ),
    ] = None,
    kind: Annotated[
        Literal["cum", "khoi"],
        typer.Option("--kind", help=_("cum (Cụm thi đua) or khoi (Khối thi đua).")),
    ] = "cum",
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", help=_("Another name it is known by (repeatable).")),
    ] = None,
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        membership.add_cluster(conn, name, code, kind, alias or [])
    say(_("Added {name} ({kind_full}).").format(name=nfc(name), **kind_words(kind).fields()))


@app.command(
    "list", help=_("List the clusters, with their leader and deputy when a year is given.")
)
def list_clusters(
    *,
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", help=_("Only the clusters with members that year.")),
    ] = None,
    names: Annotated[
        bool,
        typer.Option("--names", help=_("Only the names, one per line, for shell loops.")),
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = membership.cluster_summaries(conn, year)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        if names:
            sys.stdout.write("".join(f"{s.cluster.name}\n" for s in found))
            return
        # a list of Khối says Khối, one of Cụm and Khối names both ("Trưởng cụm/khối")
        words = shared_words(s.cluster.kind for s in found).fields()
        if year is None:
            rows = [
                {
                    "name": s.cluster.name,
                    "code": s.cluster.code,
                    "years": s.years if fmt == "json" else _years_text(s.years),
                }
                for s in found
            ]
            columns = [
                Column("name", words["Kind_full"]),
                Column("code", _("Code")),
                Column("years", _("Years")),
            ]
            title = _("{Kind_full} ({count})").format(count=len(rows), **words)
        else:
            rows = []
            for state in (s.state for s in found if s.state is not None):
                leader, deputy = state.holder("leader"), state.holder("deputy")
                rows.append(
                    {
                        "name": state.cluster.name,
                        "code": state.cluster.code,
                        "members": len(state.members),
                        "leader": leader.name if leader else None,
                        "deputy": deputy.name if deputy else None,
                    }
                )
            columns = [
                Column("name", words["Kind_full"]),
                Column("code", _("Code")),
                Column("members", _("Members"), numeric=True),
                Column("leader", words["leader_role"]),
                Column("deputy", words["deputy_role"]),
            ]
            title = _("{Kind_full} in {year} ({count})").format(year=year, count=len(rows), **words)
        render(rows, columns, fmt, title=title, output=output)


def _years_text(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


@app.command(
    "show", help=_("Show a cluster in one year: members with their roles, in Vietnamese order.")
)
def show(
    cluster: ClusterArgument,
    *,
    year: YearOption,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        state, provenance = facts.cluster_year_facts(conn, cluster, year)
    found = state.cluster
    leader, deputy = state.holder("leader"), state.holder("deputy")
    if fmt == "json":
        data = {
            "schema_version": SCHEMA_VERSION,
            "cluster": found.name,
            "code": found.code,
            "year": year,
            "leader": leader.name if leader else None,
            "deputy": deputy.name if deputy else None,
            "members": [{"unit": m.name, "role": m.role} for m in state.members],
            "conferences": [conference_json(c) for c in state.conferences],
            "covenant": covenant_json(state.covenant),
            "signer": signer_json(state.signer),
        }
        if provenance:  # the reviews whose scores are illustrative or whose places are reported
            data["provenance"] = {p: provenance_json(review) for p, review in provenance.items()}
        render([], [], "json", json_data=data, output=output)
        return
    with forms_language(fmt):  # CSV reads the same in every language
        words = kind_words(found.kind)
        rows = [
            {"no": i, "unit": m.name, "role": words.role(m.role), "role_code": m.role}
            for i, m in enumerate(state.members, start=1)
        ]
    columns = [
        Column("no", _("No."), numeric=True),
        Column("unit", _("Unit")),
        Column("role", _("Role")),
    ]
    if fmt == "csv":
        with forms_language(fmt):
            columns = [
                Column("no", _("No."), True),
                Column("unit", _("Unit")),
                Column("role", _("Role")),
                Column("role_code", _("Role code"), code=True),
            ]
        render(rows, columns, "csv", output=output)
        return
    title = _("{cluster}, {year}: {count} units").format(
        cluster=found.name, year=year, count=len(state.members)
    )
    notes = ["; ".join(_conference_lines(c)) for c in state.conferences]
    if state.covenant:
        notes.append(covenant_text(state.covenant))
    if state.signer:
        notes.append(
            _("Papers signed by: {signer}").format(signer=signer_text(state.signer, found.kind))
        )
    if not state.members:
        notes.append(_("No members recorded for {year}.").format(year=year))
    for period, review in provenance.items():
        label = _("Year-end review") if period == "year" else _("Half-year review")
        lines = [illustrative_line(review), *reported_lines(review)]
        notes += [f"{label}: {line}" for line in lines if line]
    render(rows, columns, fmt, title=title, caption="\n".join(notes) or None, output=output)


def _conference_lines(conference: Conference) -> list[str]:
    """The conference as the secretariat reads it: when and where, then who chaired, who kept
    the minutes and who was present, where recorded."""
    label = _("Year-end review") if conference.period == "year" else _("Half-year review")
    parts = [shown_date(conference.held_on) if conference.held_on else "", conference.place or ""]
    when_where = ", ".join(p for p in parts if p)
    lines = [f"{label}: {when_where}" if when_where else label]
    chair = ", ".join(p for p in (conference.chair_name, conference.chair_unit) if p)
    if chair:
        lines.append(_("chaired by {chair}").format(chair=chair))
    if conference.secretary:
        lines.append(_("minutes kept by {secretary}").format(secretary=conference.secretary))
    if conference.present is not None:
        lines.append(_("{count} units present").format(count=len(conference.present)))
    if conference.guests:
        lines.append(_("guests: {names}").format(names="; ".join(conference.guests)))
    return lines


@app.command("join", help=_("Make units members of a cluster for a year (or change their role)."))
def join(
    cluster: ClusterArgument,
    units: UnitsArgument,
    *,
    year: YearOption,
    role: Annotated[
        Literal["member", "leader", "deputy"],
        typer.Option(
            "--role",
            help=_(
                "member, leader (Trưởng cụm, Trưởng khối) or deputy (Phó trưởng cụm, Phó "
                "trưởng khối)."
            ),
        ),
    ] = "member",
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        found, joining = membership.join(conn, cluster, year, units, role)
    say(
        _("{count} units are now {role} of {cluster} in {year}.").format(
            count=len(joining),
            role=kind_words(found.kind).role(role),
            cluster=found.name,
            year=year,
        )
    )


@app.command("leave", help=_("Remove units from a cluster for a year."))
def leave(
    cluster: ClusterArgument,
    units: UnitsArgument,
    *,
    year: YearOption,
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        found, leaving = membership.leave(conn, cluster, year, units)
    say(
        _("{count} units left {cluster} in {year}.").format(
            count=len(leaving), cluster=found.name, year=year
        )
    )


@app.command(
    "carry",
    help=_("Carry one year's members into another year, as members (roles are elected anew)."),
)
def carry(
    *,
    from_year: Annotated[int, typer.Option("--from", help=_("The year to copy members from."))],
    to_year: Annotated[int, typer.Option("--to", help=_("The year to copy them into."))],
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("Only this cluster (default: every cluster)."),
            autocompletion=cluster_names,
        ),
    ] = None,
    db_path: DbOption = None,
) -> None:
    if from_year == to_year:
        raise InvalidInput(_("--from and --to are the same year."))
    with writing(db_path) as conn:
        added = membership.carry(conn, from_year, to_year, cluster)
    say(
        _("Carried {count} memberships from {source} into {target}.").format(
            count=added, source=from_year, target=to_year
        )
    )


@app.command(
    "conference",
    help=_(
        "Record a cluster's review conference of a year: when and where it was held, who "
        "chaired it, who kept the minutes, the member units present and the guests. What is "
        "not given stays as recorded; the minutes and the report print it."
    ),
)
def conference(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    date: Annotated[
        str | None, typer.Option("--date", help=_("When it was held (05/01/2021)."))
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help=_("Where it was held."))] = None,
    chair_unit: Annotated[
        str | None,
        typer.Option(
            "--chair",
            help=_("The member unit that chaired (default: the cluster's leader)."),
            autocompletion=unit_names,
        ),
    ] = None,
    chair_name: Annotated[
        str | None,
        typer.Option(
            "--chair-name",
            help=_("Who chaired: name and title (“Ông Nguyễn Văn A, Giám đốc ...”)."),
        ),
    ] = None,
    secretary: Annotated[
        str | None,
        typer.Option("--secretary", help=_("Who kept the minutes: name and title.")),
    ] = None,
    guest: Annotated[
        list[str] | None,
        typer.Option(
            "--guest",
            help=_(
                "A guest, such as the Board's representative: name and title (repeatable; "
                "the list given replaces the one recorded)."
            ),
        ),
    ] = None,
    present: Annotated[
        list[str] | None,
        typer.Option(
            "--present",
            help=_("A member unit present (repeatable); the others were absent."),
            autocompletion=unit_names,
        ),
    ] = None,
    absent: Annotated[
        list[str] | None,
        typer.Option(
            "--absent",
            help=_("A member unit absent (repeatable); the others were present."),
            autocompletion=unit_names,
        ),
    ] = None,
    all_present: Annotated[
        bool, typer.Option("--all-present", help=_("Every member unit was present."))
    ] = False,
    db_path: DbOption = None,
) -> None:
    if sum((present is not None, absent is not None, all_present)) > 1:
        raise UsageError(_("Give one of --present, --absent and --all-present."))
    texts = [("--place", place), ("--chair-name", chair_name), ("--secretary", secretary)]
    for label, text in texts + [("--guest", g) for g in guest or []]:
        if text is not None and not text.strip():
            raise UsageError(_("{option} is empty.").format(option=label))
    held_on = parse_date(date) if date else None
    with writing(db_path) as conn:
        found, recorded = membership.set_conference(
            conn,
            cluster,
            year,
            period,
            held_on=held_on,
            place=place,
            chair_unit=chair_unit,
            chair_name=chair_name,
            secretary=secretary,
            present=present,
            absent=[] if all_present else absent,
            guests=guest,
        )
    say(f"{found.name}, {year}: " + "; ".join(_conference_lines(recorded)))


@app.command(
    "illustrative",
    help=_(
        "Mark a cluster-year's scores as illustrative (made up, as in the sample), so that "
        "every total and rank computed from them says so; --clear removes the mark."
    ),
)
def illustrative(
    cluster: ClusterArgument,
    *,
    year: YearOption,
    period: PeriodOption = "year",
    note: Annotated[
        str | None,
        typer.Option("--note", help=_("Why the scores are illustrative; the outputs print it.")),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help=_("Remove the mark."))] = False,
    db_path: DbOption = None,
) -> None:
    if (note is None) == (not clear):
        raise UsageError(_("Give one of --note or --clear."))
    with writing(db_path) as conn:
        name, changed = facts.mark_illustrative(conn, cluster, year, period, note)
    label = _("year-end") if period == "year" else _("half-year")
    if clear:
        text = (
            _("{cluster}, {year} ({period}): the scores are no longer marked illustrative.")
            if changed
            else _("{cluster}, {year} ({period}): the scores were not marked illustrative.")
        )
    else:
        text = _("{cluster}, {year} ({period}): the scores are marked illustrative.")
    say(text.format(cluster=name, year=year, period=label))


covenant_app = command_group(help_of("covenant"))


@covenant_app.command(
    "sign", help=_("Record that the members of a cluster signed the year's emulation covenant.")
)
def sign_covenant(
    *,
    cluster: ClusterOption,
    year: YearOption,
    date: Annotated[str, typer.Option("--date", help=_("When it was signed (15/01/2021)."))],
    note: Annotated[
        str | None, typer.Option("--note", help=_("A note, for example where it was signed."))
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Replace the covenant already recorded."))
    ] = False,
    db_path: DbOption = None,
) -> None:
    signed_on = parse_date(date)
    check_covenant_date(year, signed_on)  # before the file is opened (the use case checks again)
    with writing(db_path) as conn:
        found, recorded = membership.sign_covenant(
            conn, cluster, year, signed_on, note, replace=replace
        )
    say(f"{found.name}, {year}: {covenant_text(recorded)}.")


@app.command(
    "signer",
    help=_(
        "Record who signs a cluster-year's report and submission: a person, for the cluster as "
        "its leader (TM.), or with --deputy as the deputy on behalf of the leader (KT.). "
        "--clear leaves the name blank again."
    ),
)
def signer(
    *,
    cluster: ClusterOption,
    year: YearOption,
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help=_("The signer's full name (“Nguyễn Văn A”)."), show_default=False
        ),
    ] = None,
    deputy: Annotated[
        bool,
        typer.Option(
            "--deputy",
            help=_("The deputy signs on behalf of the leader (KT.); default: the leader (TM.)."),
        ),
    ] = False,
    clear: Annotated[bool, typer.Option("--clear", help=_("Remove the signer recorded."))] = False,
    db_path: DbOption = None,
) -> None:
    if clear == (name is not None):
        raise UsageError(_("Give either --name or --clear."))
    if clear and deputy:
        raise UsageError(_("--deputy goes with --name, not with --clear."))
    with writing(db_path) as conn:
        found, recorded, replaced = membership.set_signer(
            conn, cluster, year, name, "deputy" if deputy else "leader"
        )
    before = signer_text(replaced, found.kind) if replaced else None
    if recorded is not None:
        text = _("{cluster}, {year}: the papers are signed by {signer}.").format(
            cluster=found.name, year=year, signer=signer_text(recorded, found.kind)
        )
        if before and replaced != recorded:
            text += " " + _("It replaces {signer}.").format(signer=before)
    elif before:
        text = _(
            "{cluster}, {year}: the signer {signer} was removed; the name is left blank."
        ).format(cluster=found.name, year=year, signer=before)
    else:
        text = _("{cluster}, {year}: no signer was recorded; nothing was changed.").format(
            cluster=found.name, year=year
        )
    say(text)
