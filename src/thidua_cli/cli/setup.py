"""`thidua init`: create the database, optionally with the Lạng Sơn sample."""

from __future__ import annotations

from typing import Annotated

import typer

from thidua_cli.cli.common import DbOption, open_db, say
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.store import audit, db, registry


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
    from thidua_cli.app.sample import holds_sample, load_sample

    path = db.resolve_path(db_path)
    existed = path.exists() and path.stat().st_size > 0
    with open_db(path, create=True) as conn:
        if sample:
            if holds_sample(conn):
                say(_("{path} already holds the sample.").format(path=path))
                return
            with db.transaction(conn, path):
                if not registry.is_empty(conn):
                    raise InvalidInput(
                        _(
                            "{path} already holds data; the sample is loaded only into a new "
                            "database (use --db with another file)."
                        ).format(path=path)
                    )
                audit.begin(conn, bulk=True)
                counts = load_sample(conn)
                audit.record(conn, "sample", "import", new=counts)
                audit.end(conn)
            say(
                _("Loaded the sample into {path}: {clusters} clusters, {units} units.").format(
                    path=path, **counts
                )
            )
        elif existed:
            say(_("{path} is a thidua database, up to date.").format(path=path))
        else:
            say(_("Created {path}.").format(path=path))
