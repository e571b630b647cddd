"""Browsing the database in Datasette: `thidua datasette`.

Datasette names a database after its file's stem (demo.db is "demo"), and its metadata file
describes databases by that name; so the metadata that ships with thidua
(`data/datasette-metadata.json`, package data) is written once for a placeholder database and
re-keyed here for the file actually served. Datasette is an optional extra
(`pip install '.[datasette]'` in the source folder): thidua never imports it, it runs it as
its own process, so that Ctrl-C, its options (`-- --port 8002`) and its errors are Datasette's
own.

Datasette opens a file read-only by default (`?mode=ro`), which is what thidua wants: a file
opened `--immutable` would show stale or broken pages while thidua writes to it beside the
browser.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from thidua_cli.errors import UsageError
from thidua_cli.i18n import _
from thidua_cli.store import db

# The key the shipped metadata uses for its one database.
METADATA_FILE = "datasette-metadata.json"
TEMPLATE_KEY = "thidua"
# The version pyproject's `datasette` extra names; from thidua's source folder the extra itself.
INSTALL_COMMAND = "pip install 'datasette>=0.65.5,<0.66'"
INSTALL_EXTRA = "pip install '.[datasette]'"


def metadata_path() -> Path:
    """The shipped metadata: package data in an installed thidua, data/ in a source checkout."""
    from thidua_cli.app.sample import data_dir

    return data_dir() / METADATA_FILE


def datasette_metadata(database: Path) -> dict[str, Any]:
    """The shipped metadata with its database keyed by `database`'s stem, as Datasette names it."""
    metadata = json.loads(metadata_path().read_text("utf-8"))
    described = metadata["databases"].pop(TEMPLATE_KEY)
    metadata["databases"][database.stem] = described
    return metadata


def datasette_installed() -> bool:
    return importlib.util.find_spec("datasette") is not None


def serve(db_path: Path | None, extra: list[str]) -> int:
    """Run `datasette serve` on the database with thidua's metadata; Datasette's exit code.

    The database is opened by thidua first, so that a missing file or another program's file is
    refused in thidua's words, and an older thidua file is brought up to date (the views the
    metadata describes are those of the current schema).
    """
    if not datasette_installed():
        raise UsageError(
            _(
                "Datasette is not installed. Install it beside thidua with: {command} "
                "(or, in thidua's source folder: {extra})."
            ).format(command=INSTALL_COMMAND, extra=INSTALL_EXTRA)
        )
    path = db.resolve_path(db_path)
    db.connect(path).close()
    with tempfile.TemporaryDirectory(prefix="thidua-datasette-") as folder:
        metadata = Path(folder) / METADATA_FILE
        metadata.write_text(
            json.dumps(datasette_metadata(path), ensure_ascii=False, indent=2), "utf-8"
        )
        command = [sys.executable, "-m", "datasette", "serve", str(path), "--metadata"]
        try:
            return subprocess.run([*command, str(metadata), *extra]).returncode
        except KeyboardInterrupt:
            return 0  # Ctrl-C is how a user stops the server: Datasette has stopped too
