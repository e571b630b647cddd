"""`thidua rank` without Typer: the quick path of main.py runs it directly.

The `cli` package's other modules load Typer; this one does not. `cli.ranking.rank` declares
the options for Typer and calls `show_ranking`; `thidua_cli.main` calls it too when the command
line is the common form (cluster, year, period, format, db), so that a shell loop over every
cluster does not load Typer once per cluster.
"""

from __future__ import annotations

from pathlib import Path

from thidua_cli.app.record import live_with_record
from thidua_cli.app.session import open_db
from thidua_cli.errors import UsageError
from thidua_cli.i18n import _
from thidua_cli.output import ranking as ranking_output
from thidua_cli.output.render import say, write_atomic


def show_ranking(
    cluster: str, year: int, period: str, fmt: str, output: Path | None, db_path: Path | None
) -> None:
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(
            _("--output writes a .xlsx workbook; for other formats use --format and redirect.")
        )
    with open_db(db_path) as conn:
        view = live_with_record(conn, cluster, year, period)
    if output is None:
        ranking_output.show_ranking(view, fmt)
        return
    write_atomic(output, ranking_output.rank_workbook(view.ranking, year))
    say(
        _("Wrote the ranking of {cluster}, {year} to {path}.").format(
            cluster=view.cluster.name, year=year, path=output
        )
    )
