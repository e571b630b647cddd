"""`thidua log`, `lock`, `unlock`, `backup`, `restore` and `check`: proof that nothing is lost
or changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from thidua_cli.app import maintenance, submissions
from thidua_cli.cli.common import (
    CarryScoresOption,
    ClusterOption,
    DbOption,
    FormatOption,
    OutputOption,
    YearOption,
    database_path,
    reading,
    say,
    writing,
)
from thidua_cli.cli.completion import cluster_names, unit_names
from thidua_cli.errors import (
    InvalidInput,
    UnusableDatabase,
    UsageError,
)
from thidua_cli.i18n import _, forms_language
from thidua_cli.models import AuditEntry
from thidua_cli.output.render import (
    Column,
    output_format,
    render,
    to_json,
    write_atomic,
    written_note,
)
from thidua_cli.points import shown, shown_count
from thidua_cli.rules.text import nfc

_ACTIONS = {
    "insert": _("added"),
    "update": _("changed"),
    "delete": _("removed"),
    "import": _("imported"),
    "lock": _("locked"),
    "unlock": _("unlocked"),
}
_POINTS = ("points", "max_points")
_TABLES = {
    "unit": _("unit"),
    "unit_alias": _("unit alias"),
    "cluster": _("cluster"),
    "cluster_alias": _("cluster alias"),
    "membership": _("membership"),
    "conference": _("conference"),
    "covenant": _("covenant"),
    "cluster_signer": _("signer of the papers"),
    "criteria_set": _("criteria set"),
    "criterion": _("criterion"),
    "score": _("score"),
    "vote": _("votes"),
    "flag": _("flag"),
    "policy": _("policy"),
    "award_decision": _("award decision"),
    "submission": _("submission"),
    "decision": _("decision"),
    "revocation": _("revocation"),
    "setting": _("setting"),
    "cluster_lock": _("lock"),
    "sample": _("sample"),
    "bundle": _("bundle"),
    "backup": _("backup"),
}


def _value(key: str, value: Any) -> str:
    if key in _POINTS and isinstance(value, int):
        return shown(value)
    return "∅" if value is None else str(value)


def change_text(entry: AuditEntry) -> str:
    """'points: 1,00 → 2,50' for a change; the values for an addition or a removal."""
    old, new = entry.old or {}, entry.new or {}
    if entry.action == "update":
        return "; ".join(
            f"{k}: {_value(k, old.get(k))} → {_value(k, new.get(k))}"
            for k in new
            if old.get(k) != new.get(k)
        )
    values = new or old
    return "; ".join(f"{k}: {_value(k, v)}" for k, v in values.items())


def log(
    *,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", "-c", help=_("Only this cluster."), autocompletion=cluster_names),
    ] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help=_("Only this year."))] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help=_("Only this unit."), autocompletion=unit_names),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help=_("The latest N entries (0: all)."))
    ] = 200,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = maintenance.audit_log(conn, cluster, year, unit, limit or None)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        if fmt == "json":
            rows: list[dict[str, Any]] = [
                {
                    "id": e.id,
                    "at": e.at,
                    "user": e.user,
                    "command": e.command,
                    "table": e.table,
                    "action": e.action,
                    "cluster": e.cluster,
                    "year": e.year,
                    "unit": e.unit,
                    "old": e.old,
                    "new": e.new,
                }
                for e in found
            ]
            render([], [], "json", json_data=rows, output=output)
            return
        rows = [
            {
                "at": e.at.replace("T", " ")[:19],
                "user": e.user,
                "command": e.command,
                "what": f"{_TABLES.get(e.table, e.table)}: {_ACTIONS[e.action]}",
                "cluster": e.cluster,
                "year": e.year,
                "unit": e.unit,
                "change": change_text(e)
                if fmt == "table"
                else json.dumps({"old": e.old, "new": e.new}, ensure_ascii=False),
            }
            for e in found
        ]
        columns = [
            Column("at", _("When (UTC)")),
            Column("user", _("Who")),
            Column("command", _("Command")),
            Column("what", _("What")),
            Column("cluster", _("Cluster")),
            Column("year", _("Year"), numeric=True),
            Column("unit", _("Unit")),
            Column("change", _("Change")),
        ]
        title = _("Audit log ({count} entries)").format(count=len(rows))
        render(rows, columns, fmt, title=title, output=output)


def lock(*, cluster: ClusterOption, year: YearOption, db_path: DbOption = None) -> None:
    with writing(db_path) as conn:
        found = submissions.lock(conn, cluster, year)
    say(_("Locked {cluster} for {year}.").format(cluster=found.name, year=year))


def unlock(
    *,
    cluster: ClusterOption,
    year: YearOption,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help=_(
                "Why it is unlocked (kept in the audit log, and as the reason its submission "
                "is withdrawn)."
            ),
        ),
    ],
    withdraw_received: Annotated[
        bool,
        typer.Option(
            "--withdraw-received",
            help=_(
                "Unlock even though the Board has received the file: it is withdrawn from the "
                "Board, and the Board's receipt and the Council's votes stay on record with it."
            ),
        ),
    ] = False,
    db_path: DbOption = None,
) -> None:
    reason = nfc(reason).strip()
    if not reason:
        raise InvalidInput(_("Say why the cluster-year is unlocked (--reason)."))
    with writing(db_path) as conn:
        found, withdrawn = submissions.unlock(
            conn, cluster, year, reason, from_the_board=withdraw_received
        )
    say(_("Unlocked {cluster} for {year}.").format(cluster=found.name, year=year))
    if withdrawn is not None:
        say(
            _(
                "Its submission (version {version}) is withdrawn and stays on record; submit "
                "again when the corrections are made (thidua submit)."
            ).format(version=withdrawn.version)
        )


def backup(
    file: Annotated[
        Path, typer.Argument(help=_("Where to write the copy."), dir_okay=False, show_default=False)
    ],
    *,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite FILE if it exists."))
    ] = False,
    db_path: DbOption = None,
) -> None:
    source = database_path(db_path)
    written, size = maintenance.backup(source, file, replace=replace)
    say(
        _("Backed up {source} to {path} ({size} bytes), verified.").format(
            source=source, path=written, size=shown_count(size)
        )
    )


def restore(
    file: Annotated[
        Path,
        typer.Argument(
            help=_("The backup to restore (a file written by thidua backup)."),
            dir_okay=False,
            show_default=False,
        ),
    ],
    *,
    db_path: DbOption = None,
) -> None:
    database = database_path(db_path)
    done = maintenance.restore(file, database)
    say(_("Restored {database} from {path} (verified).").format(database=database, path=file))
    if done.kept is not None:
        say(_("The database as it was is kept in {path}.").format(path=done.kept))


def check(
    *, fmt: FormatOption = None, output: OutputOption = None, db_path: DbOption = None
) -> None:
    from thidua_cli.app.check import check as check_database

    fmt = output_format(fmt, output)
    path = database_path(db_path)
    with reading(path) as conn:
        findings = check_database(conn)
    errors = [f for f in findings if f.severity == "error"]
    if fmt != "table":
        rows = [{"severity": f.severity, "message": f.message} for f in findings]
        columns = [Column("severity", _("Severity")), Column("message", _("Finding"))]
        render(rows, columns, fmt, output=output)
    else:
        for finding in findings:
            label = _("Error") if finding.severity == "error" else _("Warning")
            say(f"{label}: {finding.message}")
    if any(f.damage for f in errors):
        raise UnusableDatabase(
            _("{path} is damaged: {count} problems. Restore it from a backup.").format(
                path=path, count=len(errors)
            )
        )
    if errors:
        raise InvalidInput(
            _("{path}: {count} problems in the records (see above).").format(
                path=path, count=len(errors)
            )
        )
    say(
        _("{path}: no damage found ({count} warnings).").format(
            path=path, count=len(findings) - len(errors)
        )
    )


def export(
    file: Annotated[
        Path,
        typer.Argument(help=_("The bundle to write (.json)."), dir_okay=False, show_default=False),
    ],
    *,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("Only this cluster (with --year)."),
            autocompletion=cluster_names,
        ),
    ] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help=_("Only this year."))] = None,
    db_path: DbOption = None,
) -> None:
    if cluster is not None and year is None:
        raise UsageError(_("--cluster needs --year: a bundle holds one cluster-year."))
    with reading(db_path) as conn:
        data = maintenance.export_bundle(conn, cluster, year)
    replaced = write_atomic(file, (to_json(data) + "\n").encode("utf-8"))
    wrote = _("Wrote {path}: {units} units, {members} memberships, {scores} scores.").format(
        path=file,
        units=len(data["units"]),
        members=len(data["memberships"]),
        scores=len(data["scores"]),
    )
    say(written_note(wrote, replaced=replaced))


def import_(
    file: Annotated[
        Path,
        typer.Argument(help=_("The bundle to merge (.json)."), dir_okay=False, show_default=False),
    ],
    *,
    on_conflict: Annotated[
        Literal["refuse", "keep", "replace"],
        typer.Option(
            "--on-conflict",
            help=_("refuse (default), keep what is stored, or replace it with the bundle's."),
        ),
    ] = "refuse",
    carry_scores: CarryScoresOption = False,
    db_path: DbOption = None,
) -> None:
    data = maintenance.read_bundle(file)
    with writing(db_path) as conn:
        counts = maintenance.import_bundle(
            conn, data, on_conflict, str(file), carry_scores=carry_scores
        )
    labels = {
        "new_units": _("new units"),
        "new_clusters": _("new clusters"),
        "memberships": _("memberships"),
        "conferences": _("conferences"),
        "covenants": _("covenants"),
        "signers": _("signers of the papers"),
        "criteria_sets": _("criteria sets"),
        "carried_scores": _("scores moved to new criteria"),
        "scores": _("scores"),
        "votes": _("votes"),
        "flags": _("flags"),
        "ratings": _("ratings"),
        "policies": _("policies"),
        "submissions": _("submissions"),
        "decisions": _("award decisions"),
        "attendance": _("attendance lists"),
        "guests": _("guest lists"),
        "reviews": _("reviews by the Board"),
        "council_votes": _("votes of the Council"),
        "central_decisions": _("central decisions"),
        "locks": _("locks"),
        "reported_placings": _("reported placings"),
        "illustrative_scores": _("illustrative marks"),
    }
    added = {labels[k]: v for k, v in counts.items() if k in labels and v}
    say(
        _("Imported {path}: {added}; {same} already here; {conflicts} conflicts ({rule}).").format(
            path=file,
            added=", ".join(f"{v} {k}" for k, v in added.items()) or _("nothing new"),
            same=counts["same"],
            conflicts=counts["conflicts"],
            rule=on_conflict,
        )
    )
