"""`thidua score set|import|show|template`: the scores of a cluster-year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.app import scoring
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    ClusterOption,
    DbOption,
    EncodingOption,
    FormatOption,
    OutputOption,
    PeriodOption,
    SourceOption,
    UnitOption,
    YearOption,
    command_group,
    reading,
    say,
    writing,
)
from thidua_cli.errors import DiskError, InvalidInput, UsageError, os_error_text
from thidua_cli.i18n import _, forms_language
from thidua_cli.output.provenance import illustrative_line
from thidua_cli.output.render import (
    Column,
    Format,
    output_format,
    render,
    write_atomic,
    written_note,
)
from thidua_cli.output.tabular import read_table
from thidua_cli.points import shown, to_number
from thidua_cli.vocabulary import kind_words

app = command_group(help_of("score"))


@app.command("set", help=_("Set one score of a unit for one criterion."))
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
    evidence: Annotated[
        str | None,
        typer.Option("--evidence", help=_("The unit's explanation or evidence for the score.")),
    ] = None,
    db_path: DbOption = None,
) -> None:
    with writing(db_path) as conn:
        done = scoring.set_score(
            conn, cluster, year, period, unit, criterion, points, source, scorer, evidence
        )
    message = _("{unit}, criterion {code}: {points} points.").format(
        unit=done.unit, code=done.code, points=shown(done.points)
    )
    if done.was is not None and done.was != done.points:
        message += " " + _("(was {old})").format(old=shown(done.was))
    say(message)


@app.command(
    "import",
    help=_(
        "Import scores from CSV or .xlsx, long (unit,criterion,points[,source,scorer]) or wide "
        "(unit, then one column per criterion code); or the self and peer forms written by "
        "`score template -o FOLDER/` (give the files or the folder: the source, the unit, the "
        "scorer and the evidence come from each form). All or nothing."
    ),
)
def score_import(
    files: Annotated[
        list[Path],
        typer.Argument(
            help=_("A CSV or .xlsx file, or filled forms (files or a folder)."),
            show_default=False,
        ),
    ],
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
    from thidua_cli.output.workbook import read_form_file

    paths = _workbooks(files)
    forms = []
    for path in paths:
        form = read_form_file(path) if path.suffix.lower() in (".xlsx", ".xlsm") else None
        if form is not None:
            forms.append((path.name if len(paths) > 1 else str(path), form))
        elif len(paths) > 1:
            raise UsageError(
                _("{path} is not a scoring form written by `thidua score template`; import "
                  "it on its own.").format(path=path)
            )  # fmt: skip
    if forms:
        with writing(db_path) as conn:
            found, count = scoring.import_forms(conn, forms, cluster, year, period, replace=replace)
        say(
            _("Imported {count} scores from {files} forms into {cluster}, {year}.").format(
                count=count, files=len(forms), cluster=found.name, year=year
            )
        )
        return
    table = read_table(paths[0], encoding=encoding, normalise=False)  # each cell once, later
    with writing(db_path) as conn:
        found, count = scoring.import_scores(
            conn, table, str(paths[0]), cluster, year, period, source, replace=replace
        )
    say(
        _("Imported {count} scores into {cluster}, {year}.").format(
            count=count, cluster=found.name, year=year
        )
    )


def _workbooks(files: list[Path]) -> list[Path]:
    """The files given, a folder standing for the workbooks in it (not Excel's ~$ lock files)."""
    paths: list[Path] = []
    for given in files:
        if given.is_dir():
            found = sorted(
                p
                for p in given.iterdir()
                if p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith(("~$", "."))
            )
            if not found:
                raise InvalidInput(_("{path} holds no .xlsx files.").format(path=given))
            paths += found
        else:
            paths.append(given)
    return paths


@app.command(
    "show",
    help=_(
        "Show the counted scores of a cluster-year: units by criteria, each value marked with "
        "the source it comes from (T: the unit's own score, C: the mean of the peer scores; "
        "unmarked: settled by the cluster)."
    ),
)
def score_show(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        counted = scoring.counted_scores(conn, cluster, year, period)
    as_text = fmt in ("table", "md", "html")
    marks = {"final": "", "peer": " C", "self": " T"}

    def cell(key: tuple[int, int]) -> object:
        value = counted.values.get(key)
        if value is None:
            return None
        return shown(value) + marks[counted.sources[key]] if as_text else to_number(value)

    def number(value: int | None) -> object:
        if value is None:
            return None
        return shown(value) if as_text else to_number(value)

    after = counted.closing  # each group's subtotal after its last criterion
    rows = []
    for m in counted.members:
        # the short name on screen, where the numbers need the room; the full name in files
        row: dict[str, object] = {"unit": (m.short_name or m.name) if fmt == "table" else m.name}
        for c in counted.criteria:
            row[c.code] = cell((m.unit_id, c.id))
            for group in after.get(c.code, []):
                row["subtotal:" + group.code] = number(counted.subtotal(m.unit_id, group))
        total = counted.totals.get(m.unit_id, 0)
        row["total"] = number(total)
        if fmt == "json":  # where each value comes from; CSV stays a sheet that imports back
            row["sources"] = ";".join(
                f"{c.code}:{counted.sources[(m.unit_id, c.id)]}"
                for c in counted.criteria
                if (m.unit_id, c.id) in counted.sources
            )
        rows.append(row)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        columns = [Column("unit", _("Unit"))]
        for c in counted.criteria:
            columns.append(Column(c.code, c.code, numeric=True))
            for group in after.get(c.code, []):
                label = _("Subtotal {group}").format(group=group.code)
                columns.append(Column("subtotal:" + group.code, label, numeric=True))
        columns.append(Column("total", _("Total"), numeric=True))
    notes = [note] if (note := illustrative_line(counted.provenance)) else []
    if set(counted.sources.values()) - {"final"}:
        notes.append(
            _(
                "T: the unit's own score; C: the mean of the peer scores; unmarked: settled by "
                "the {kind}."
            ).format(**kind_words(counted.cluster.kind).fields())
        )
    _show(rows, columns, fmt, f"{counted.cluster.name}, {year}", notes, output)


def _show(
    rows: list[dict[str, object]],
    columns: list[Column],
    fmt: Format,
    title: str,
    notes: list[str],
    output: Path | None,
) -> None:
    """The rows, with the notes under the table (on stderr for CSV and JSON, whose shape stays)."""
    render(rows, columns, fmt, title=title, caption="\n".join(notes) or None, output=output)
    if fmt in ("csv", "json"):
        for note in notes:
            say(_("Note: {text}").format(text=note))


@app.command(
    "diff",
    help=_(
        "Compare each member's own score with the mean of its peers' scores and with the value "
        "that counts; with --over, mark the gaps larger than that many points; with --detail, "
        "one line per criterion."
    ),
)
def score_diff(
    *,
    cluster: ClusterOption,
    year: YearOption,
    period: PeriodOption = "year",
    over: Annotated[
        str | None,
        typer.Option("--over", help=_("Mark gaps larger than this many points (e.g. 5 or 2,5).")),
    ] = None,
    detail: Annotated[bool, typer.Option("--detail", help=_("One line per criterion."))] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = scoring.score_gaps(conn, cluster, year, period, over=over, detail=detail)
    as_text = fmt in ("table", "md", "html")
    names = {
        m.unit_id: (m.short_name or m.name) if fmt == "table" else m.name for m in found.members
    }
    codes = {c.id: c.code for c in found.criteria}

    def value(points: int | None, signed: bool = False) -> object:
        if points is None:
            return None
        if not as_text:
            return to_number(points)
        return ("+" if signed and points > 0 else "") + shown(points)

    rows = []
    for gap in found.gaps:
        row: dict[str, object] = {"unit": names[gap.unit_id]}
        if detail:
            row["criterion"] = codes[gap.criterion_id] if gap.criterion_id is not None else None
        row |= {
            "self": value(gap.self),
            "peer": value(gap.peer),
            "counted": value(gap.counted),
            "self_vs_peer": value(gap.self_vs_peer, signed=True),
            "self_vs_counted": value(gap.self_vs_counted, signed=True),
            "over": (_("over") if gap.over else "") if as_text else gap.over,
        }
        rows.append(row)
    limit = shown(found.threshold) if found.threshold is not None else None
    with forms_language(fmt):  # CSV and JSON read the same in every language
        columns = [Column("unit", _("Unit"))]
        if detail:
            columns.append(Column("criterion", _("Criterion")))
        columns += [
            Column("self", _("Self"), numeric=True),
            Column("peer", _("Peer mean"), numeric=True),
            Column("counted", _("Counted"), numeric=True),
            Column("self_vs_peer", _("Self − peer"), numeric=True),
            Column("self_vs_counted", _("Self − counted"), numeric=True),
        ]
        if limit is not None or not as_text:
            columns.append(Column("over", _("Over the threshold")))
    marked = sum(1 for g in found.gaps if g.over)
    notes = [note] if (note := illustrative_line(found.provenance)) else []
    if limit is not None:
        notes.append(
            _("{count} gaps larger than {points} points.").format(count=marked, points=limit)
        )
    title = _("Self against peers: {cluster}, {year}").format(cluster=found.cluster.name, year=year)
    _show(rows, columns, fmt, title, notes, output)


@app.command(
    "template",
    help=_(
        "Write the Excel scoring sheet of a cluster-year: a row per member, a column per "
        "criterion with its maximum, values checked by Excel, the total computed by Excel. "
        "With --source self or peer and -o FOLDER/, write the forms instead: one workbook per "
        "member to score itself (criteria down the rows, points, explanation / evidence, total, "
        "signature), or one per scoring member with a sheet for each member it scores. "
        "`thidua score import` reads them back."
    ),
)
def score_template(
    *,
    cluster: ClusterOption,
    year: YearOption,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help=_("The .xlsx file to write, or the folder for the forms (FOLDER/)."),
        ),
    ],
    period: PeriodOption = "year",
    source: SourceOption = "final",
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help=_("Replace forms already in the folder."))
    ] = False,
    db_path: DbOption = None,
) -> None:
    to_folder = output.is_dir() or not output.suffix
    if not to_folder and output.suffix.lower() != ".xlsx":
        raise UsageError(_("The scoring sheet is an Excel workbook: name it FILE.xlsx."))
    if to_folder and source == "final":
        raise UsageError(
            _("A folder of forms is for --source self or --source peer; the cluster's own "
              "sheet is one workbook: name it FILE.xlsx.")
        )  # fmt: skip
    if to_folder and output.exists() and not output.is_dir():
        raise UsageError(
            _("{path} is a file; the forms need a folder, or name the sheet FILE.xlsx.").format(
                path=output
            )
        )
    if not to_folder and source == "peer":
        raise UsageError(
            _("Each scoring unit gets its own peer form: give a folder, e.g. -o cham-cheo/.")
        )
    if to_folder:
        _write_forms(cluster, year, period, source, output, overwrite=overwrite, db_path=db_path)
        return
    with reading(db_path) as conn:
        sheet = scoring.sheet_data(conn, cluster, year, period, source)
    from thidua_cli.output.workbook import scoring_sheet

    label = _("year-end") if period == "year" else _("half-year")
    data = scoring_sheet(
        title=_("Scoring sheet of {cluster}, {year} ({period})").format(
            cluster=sheet.cluster.name, year=year, period=label
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
        units=[m.name for m in sheet.members],
        criteria=sheet.criteria,
        filled=sheet.filled,
        note=(note := illustrative_line(sheet.provenance)),
    )
    replaced = write_atomic(output, data)
    if note:
        say(_("Note: {text}").format(text=note))
    say(written_note(
        _("Wrote the scoring sheet of {cluster}, {year} to {path}: {units} units, {count} "
          "criteria.").format(
            cluster=sheet.cluster.name, year=year, path=output, units=len(sheet.members),
            count=len(sheet.criteria),
        ), replaced=replaced,
    ))  # fmt: skip


def _write_forms(
    cluster: str,
    year: int,
    period: str,
    source: str,
    folder: Path,
    *,
    overwrite: bool,
    db_path: Path | None,
) -> None:
    from thidua_cli.output.workbook import form_file_names, scoring_form

    with reading(db_path) as conn:
        forms = scoring.forms_data(conn, cluster, year, period, source)
    if not folder.parent.is_dir():
        raise InvalidInput(_("There is no folder {path}.").format(path=folder.parent))
    names = form_file_names([f.unit.short_name or f.unit.name for f in forms.files], source)
    blocked = [name for name in names if (folder / name).exists() and not (folder / name).is_file()]
    if blocked:  # found before anything is written, so that no form is replaced half-way
        raise InvalidInput(
            _("{path} holds folders named like the forms; nothing was written.").format(
                path=folder
            ),
            details=blocked[:10],
        )
    there = [name for name in names if (folder / name).exists()]
    if there and not overwrite:
        raise InvalidInput(
            _("{path} already holds {count} of these forms; nothing was written. Members may "
              "have filled them in: import them first, or add --overwrite.").format(
                path=folder, count=len(there)
            ),
            details=there[:10],
        )  # fmt: skip
    kind = _("SELF-SCORING FORM") if source == "self" else _("PEER SCORING FORM")
    when = (_("EMULATION YEAR {year}") if period == "year" else _("FIRST HALF OF {year}")).format(
        year=year
    )
    books = [
        scoring_form(
            source=source,
            cluster=forms.cluster.name,
            year=year,
            period=period,
            scorer=f.unit.name if source == "peer" else None,
            sheets=f.sheets,
            criteria=forms.criteria,
            title=f"{kind} {when}",
        )
        for f in forms.files
    ]
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise DiskError(
            _("Cannot make the folder {path}: {error}.").format(
                path=folder, error=os_error_text(exc)
            )
        ) from None
    for name, data in zip(names, books, strict=True):
        write_atomic(folder / name, data)
    say(
        _("Wrote {count} forms for {cluster}, {year} to {path} ({criteria} criteria).").format(
            count=len(books), cluster=forms.cluster.name, year=year, path=folder,
            criteria=len(forms.criteria),
        )
    )  # fmt: skip
