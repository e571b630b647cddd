"""`thidua nominate`: the candidates for a higher award, from the year's record."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.app.nominate import nominees
from thidua_cli.cli.common import DbOption, FormatOption, OutputOption, YearOption, reading
from thidua_cli.i18n import _, forms_language
from thidua_cli.models import HIGHER_AWARDS
from thidua_cli.output.render import Column, output_format, render
from thidua_cli.output.wording import runs_text


def nominate(
    *,
    year: YearOption,
    award: Annotated[
        str,
        typer.Option(
            "--award", help=_("The higher award: co_chinh_phu (Cờ thi đua của Chính phủ).")
        ),
    ] = "co_chinh_phu",
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = nominees(conn, year, award)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        rows = [
            {
                "unit": n.unit,
                "cluster": n.cluster,
                "flag_run": len(n.flag_run),
                "flag_years": list(n.flag_years) if fmt == "json" else runs_text(n.flag_years),
                "certificate_run": len(n.certificate_run),
                "certificate_years": (
                    list(n.certificate_years) if fmt == "json" else runs_text(n.certificate_years)
                ),
            }
            for n in found
        ]
        columns = [
            Column("unit", _("Unit")),
            Column("cluster", _("Cluster")),
            Column("flag_run", _("Cờ thi đua, years in a row"), numeric=True),
            Column("flag_years", _("Cờ thi đua of the province")),
            Column("certificate_run", _("Bằng khen, years in a row before"), numeric=True),
            Column("certificate_years", _("Bằng khen of the province")),
        ]
        title = _("Candidates for the {award}, {year} ({count})").format(
            award=HIGHER_AWARDS.get(award, award), year=year, count=len(rows)
        )
    render(rows, columns, fmt, title=title, output=output)
