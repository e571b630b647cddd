"""`thidua init`: a new database, or an existing one brought up to date (opening it migrates
it), optionally with the bundled Lạng Sơn sample, loaded only into an empty file."""

from __future__ import annotations

from pathlib import Path

from thidua_cli.app.session import open_db
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import Initialised
from thidua_cli.store import audit, db, maintenance, registry


def init(path: Path, *, sample: bool) -> Initialised:
    """Create or update the database at `path`; with `sample`, load the sample in one
    transaction, logged as one audit row (nothing is loaded when it is there already)."""
    existed = path.exists() and path.stat().st_size > 0
    with open_db(path, create=True) as conn:
        if existed:  # a damaged file is not "up to date", and gets no sample
            maintenance.refuse_if_damaged(conn, path)
        if not sample:
            return Initialised(existed)
        from thidua_cli.app.sample import holds_sample, load_sample

        if holds_sample(conn):
            return Initialised(existed)
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
    return Initialised(existed, counts)
