"""`thidua report`, `thidua submission` and `thidua settings`: the documents of the year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer

from thidua_cli.app import reports as app_reports
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
from thidua_cli.cli.completion import cluster_names
from thidua_cli.errors import InvalidInput, UsageError
from thidua_cli.i18n import _, forms_language
from thidua_cli.output.documents import Document, to_docx, to_html, to_markdown
from thidua_cli.output.render import (
    PAPERS,
    SCHEMA_VERSION,
    Column,
    deliver,
    output_format,
    render,
    to_json,
)
from thidua_cli.output.reports import (
    cluster_document,
    cluster_json,
    minutes_document,
    problems,
    proposals,
    province_document,
    province_json,
    submission_document,
    submission_json,
)
from thidua_cli.rules.dates import parse_date

DocFormat = Literal["md", "html", "docx", "json"]

FormatChoice = Annotated[
    DocFormat | None,
    typer.Option(
        "--format",
        "-f",
        help=_("md, html, docx or json (default: from the -o file's extension, else md)."),
        show_default=False,
    ),
]
PaperOutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help=_(
            "Write to this file, whole or not at all; its suffix names the format (.md, "
            ".html, .docx, .json; default: stdout, “-” too; .docx needs a file)."
        ),
        dir_okay=False,
    ),
]
TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template",
        help=_("A Word file whose styles, page setup, header and footer the .docx takes."),
        dir_okay=False,
        exists=False,
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help=_("The document's date (default: the conference's date for a cluster, else today)."),
        show_default=False,
    ),
]


def _format(fmt: str | None, output: Path | None, template: Path | None) -> str:
    chosen = output_format(fmt, output, PAPERS, default="md")
    if template is not None and chosen != "docx":
        raise UsageError(_("--template is for .docx output."))
    if template is not None and not template.is_file():
        raise InvalidInput(_("There is no template file {path}.").format(path=template))
    return chosen


def _emit(fmt: str, doc: Document, data: dict, output: Path | None, template: Path | None) -> None:
    if fmt == "docx":
        payload = to_docx(doc, template)
    elif fmt == "json":
        payload = (to_json({"schema_version": SCHEMA_VERSION, **data}) + "\n").encode("utf-8")
    else:
        payload = {"md": to_markdown, "html": to_html}[fmt](doc).encode("utf-8")
    deliver(payload, output)


def _today() -> str:
    return dt.date.today().isoformat()


def report(
    *,
    year: YearOption,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("The cluster (without it: the province summary)."),
            autocompletion=cluster_names,
        ),
    ] = None,
    period: PeriodOption = "year",
    fmt: FormatChoice = None,
    output: PaperOutputOption = None,
    template: TemplateOption = None,
    date: DateOption = None,
    db_path: DbOption = None,
) -> None:
    chosen = _format(fmt, output, template)
    dated = parse_date(date) if date else None
    if cluster is None and period != "year":
        raise UsageError(_("The province summary is of the year-end review; drop --period."))
    with reading(db_path) as conn:
        gathered = app_reports.year_report(conn, year, cluster, period)
    settings, reports = gathered.settings, gathered.reports
    if cluster is not None:
        one = reports[0]
        held = next((c.held_on for c in one.state.conferences if c.period == period), None)
        doc = cluster_document(one, settings, dated or held or _today())
        with forms_language(chosen):  # JSON reads the same in every language
            data = cluster_json(one)
    else:
        doc = province_document(reports, year, settings, dated or _today())
        with forms_language(chosen):
            data = province_json(reports, year)
    _emit(chosen, doc, data, output, template)
    for problem in (p for r in reports for p in problems(r)):
        say(_("Warning: {text}").format(text=problem))


def minutes(
    *,
    cluster: ClusterOption,
    year: YearOption,
    fmt: FormatChoice = None,
    output: PaperOutputOption = None,
    template: TemplateOption = None,
    date: DateOption = None,
    db_path: DbOption = None,
) -> None:
    chosen = _format(fmt, output, template)
    dated = parse_date(date) if date else None
    with reading(db_path) as conn:
        gathered = app_reports.year_report(conn, year, cluster, "year")
    one = gathered.reports[0]
    held = next((c.held_on for c in one.state.conferences if c.period == "year"), None)
    doc = minutes_document(one, gathered.settings, dated or held or _today())
    with forms_language(chosen):
        data = cluster_json(one)
    _emit(chosen, doc, data, output, template)
    for problem in problems(one):
        say(_("Warning: {text}").format(text=problem))


def submission(
    *,
    year: YearOption,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            "-c",
            help=_("Only this cluster, submitted by the cluster."),
            autocompletion=cluster_names,
        ),
    ] = None,
    fmt: FormatChoice = None,
    output: PaperOutputOption = None,
    template: TemplateOption = None,
    date: DateOption = None,
    db_path: DbOption = None,
) -> None:
    chosen = _format(fmt, output, template)
    dated = parse_date(date) if date else _today()
    with reading(db_path) as conn:
        gathered = app_reports.submission_reports(conn, year, cluster)
    for skipped in gathered.skipped:
        say(
            _("{cluster} has no year-end scores for {year}; skipped.").format(
                cluster=skipped.cluster.name, year=year
            )
        )
    ranked = gathered.reports
    drafts = [r.cluster.name for r in ranked if r.result.submission is None]
    if drafts:
        say(
            _("Not submitted yet; their proposals are drafts: {clusters}.").format(
                clusters="; ".join(drafts)
            )
        )
    if not any(proposals(r) for r in ranked):
        raise InvalidInput(_("There is no award proposal for {year} to submit.").format(year=year))
    doc = submission_document(
        ranked, year, gathered.settings, dated, one_cluster=cluster is not None
    )
    with forms_language(chosen):
        data = submission_json(ranked, year)
    _emit(chosen, doc, data, output, template)


# ---------------------------------------------------------------- settings

settings_app = command_group(help_of("settings"))
SettingKey = Annotated[
    Literal[
        "province",
        "board",
        "board_superior",
        "legal_bases",
        "board_signer",
        "board_signer_title",
        "board_sign_for",
        "cum_symbol",
        "khoi_symbol",
    ],
    typer.Argument(
        help=_(
            "province (Lạng Sơn), board (Ban Thi đua - Khen thưởng), board_superior, "
            "legal_bases (the bases a submission cites, separated by “|”), board_signer (who "
            "signs the Board's papers), board_signer_title (TRƯỞNG BAN), board_sign_for (KT. "
            "TRƯỞNG BAN when a deputy signs), cum_symbol and khoi_symbol (the symbol after the "
            "form in the number of a Cụm's and of a Khối's papers: CTĐ in /BC-CTĐ, KTĐ in "
            "/BC-KTĐ)."
        ),
        show_default=False,
    ),
]


@settings_app.command("show", help=_("Show the settings and whether each is the default."))
def show_settings(
    *, fmt: FormatOption = None, output: OutputOption = None, db_path: DbOption = None
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = app_reports.current_settings(conn)
    with forms_language(fmt):
        rows = [
            {
                "key": s.key,
                "value": s.value,
                # a code for a script, a word for a person
                "origin": ("set" if s.stored else "default")
                if fmt == "json"
                else (_("set") if s.stored else _("default")),
            }
            for s in found
        ]
        columns = [
            Column("key", _("Setting")),
            Column("value", _("Value")),
            Column("origin", _("From")),
        ]
    render(rows, columns, fmt, title=_("Settings"), output=output)


@settings_app.command("set", help=_("Set a name the documents print."))
def set_setting(
    key: SettingKey,
    value: Annotated[str, typer.Argument(help=_("The value."), show_default=False)],
    *,
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        kept = app_reports.set_setting(conn, key, value)
    say(f"{key} = {value.strip()}")
    _say_kept(kept)


def _say_kept(years: list[int]) -> None:
    if years:
        say(
            _("The papers of the locked years {years} keep the value they were locked with.")
            .format(years=", ".join(map(str, years)))
        )  # fmt: skip


@settings_app.command("unset", help=_("Go back to the default of a setting."))
def unset_setting(key: SettingKey, *, db_path: DbOption = None) -> None:
    with writing(db_path) as conn:
        value, kept = app_reports.unset_setting(conn, key)
    say(f"{key} = {value if value is not None else '-'}")
    _say_kept(kept)
