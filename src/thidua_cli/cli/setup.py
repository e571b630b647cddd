"""`thidua init`: create the database, optionally with the Lạng Sơn sample."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.app.setup import init as init_database
from thidua_cli.cli.common import DbOption, database_path, say
from thidua_cli.i18n import _


def init(
    *,
    sample: Annotated[
        bool,
        typer.Option(
            "--sample",
            help=_("Load the bundled Lạng Sơn sample (2017, 2020, 2021) into a new database."),
        ),
    ] = False,
    db_path: DbOption = None,
) -> None:
    path = database_path(db_path)
    done = init_database(path, sample=sample)
    if sample:
        if done.sample is None:
            say(_("{path} already holds the sample.").format(path=path))
        else:
            say(
                _("Loaded the sample into {path}: {clusters} clusters, {units} units.").format(
                    path=path, **done.sample
                )
            )
    elif done.existed:
        say(_("{path} is a thidua database, up to date.").format(path=path))
    else:
        say(_("Created {path}.").format(path=path))
