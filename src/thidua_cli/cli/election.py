"""`thidua elect`: who leads a cluster next year, recorded or suggested by the rotation custom."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from thidua_cli.app import election
from thidua_cli.cli.common import ClusterOption, DbOption, reading, say, writing
from thidua_cli.cli.completion import unit_names
from thidua_cli.errors import UsageError
from thidua_cli.i18n import _, forms_language
from thidua_cli.models import Member
from thidua_cli.output.render import SCHEMA_VERSION, Column, deliver, output_format, render, to_json
from thidua_cli.vocabulary import kind_words


def elect(
    *,
    cluster: ClusterOption,
    year: Annotated[
        int,
        typer.Option(
            "--year", "-y", min=1945, max=2200, help=_("The year they lead, for example 2021.")
        ),
    ],
    leader: Annotated[
        str | None,
        typer.Option(
            "--leader",
            help=_("The unit elected leader (Trưởng cụm, Trưởng khối)."),
            autocompletion=unit_names,
        ),
    ] = None,
    deputy: Annotated[
        str | None,
        typer.Option(
            "--deputy",
            help=_("The unit elected deputy (Phó trưởng cụm, Phó trưởng khối)."),
            autocompletion=unit_names,
        ),
    ] = None,
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help=_(
                "Propose leader and deputy by the rotation custom, with reasons; writes nothing."
            ),
        ),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help=_("Replace the leader and deputy already recorded.")),
    ] = False,
    fmt: Annotated[
        Literal["table", "csv", "json", "md", "html"] | None,
        typer.Option("--format", "-f", help=_("Output format of --suggest."), show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "Write the suggestion to this file; its suffix names the format (.csv, .json, "
                ".md, .html, .xlsx). “-” is stdout."
            ),
            dir_okay=False,
        ),
    ] = None,
    db_path: DbOption = None,
) -> None:
    if suggest and (leader or deputy):
        raise UsageError(_("Give either --suggest or --leader/--deputy, not both."))
    if suggest:
        chosen = output_format(fmt, output)
        with reading(db_path) as conn, forms_language(chosen):
            # the reasons are worded as they are found: in the forms' words for CSV and JSON
            found = election.suggest(conn, cluster, year)
            _show_suggestion(found, chosen, output)
        return
    if fmt is not None or output is not None:
        raise UsageError(_("--format and --output are for --suggest."))
    if leader is None:
        raise UsageError(_("Say who was elected with --leader (and --deputy), or use --suggest."))
    with writing(db_path) as conn:
        done = election.elect(conn, cluster, year, leader, deputy, replace=replace)
    if done.carried:
        say(
            _(
                "{year} had no members yet: the {count} members of {previous} were carried over."
            ).format(year=year, count=done.carried, previous=year - 1)
        )
    elected = [Member(done.leader.id, done.leader.name, "leader")]
    if done.deputy:
        elected.append(Member(done.deputy.id, done.deputy.name, "deputy"))
    say(
        _("Recorded for {cluster} in {year}: {roles}.").format(
            cluster=done.cluster.name,
            year=year,
            roles=election.roles_text(elected, done.cluster.kind),
        )
    )
    if done.warning:
        say(_("Warning: {text}").format(text=done.warning))


def _show_suggestion(found: election.Suggested, fmt: str, output: Path | None) -> None:
    result, recorded, year = found.suggestion, found.recorded, found.year
    if fmt == "json":
        data = {
            "schema_version": SCHEMA_VERSION,
            "cluster": found.cluster.name,
            "year": year,
            "leader": result.leader.name if result.leader else None,
            "deputy": result.deputy.name if result.deputy else None,
            "reasons": result.reasons,
            "recorded": (
                {"leader": recorded.get("leader"), "deputy": recorded.get("deputy")}
                if recorded
                else None
            ),
        }
        deliver(to_json(data) + "\n", output)
        return
    words = kind_words(found.cluster.kind)
    title = _("{cluster}, {year}: suggested by the rotation custom").format(
        cluster=found.cluster.name, year=year
    )
    if fmt != "table":  # one row per role; the reasons under the table (not in CSV)
        rows = [
            {
                "role": words.role(role),
                "unit": chosen.name if chosen else None,
                "recorded": recorded.get(role) if recorded else None,
                "role_code": role,
            }
            for role, chosen in (("leader", result.leader), ("deputy", result.deputy))
        ]
        columns = [
            Column("role", _("Role")),
            Column("unit", _("Suggested")),
            Column("recorded", _("Recorded")),
            Column("role_code", _("Role code"), code=True),
        ]
        caption = "\n".join([_("Reasons:"), *(f"- {reason}" for reason in result.reasons)])
        render(rows, columns, fmt, title=title, caption=caption, output=output)
        return
    lines = [title]
    for role, chosen in (("leader", result.leader), ("deputy", result.deputy)):
        line = f"  {words.role(role)}: {chosen.name if chosen else '-'}"
        if recorded:
            line += "  " + _("(recorded: {unit})").format(unit=recorded.get(role, "-"))
        lines.append(line)
    lines.append(_("Reasons:"))
    lines.extend(f"  - {reason}" for reason in result.reasons)
    sys.stdout.write("\n".join(lines) + "\n")
