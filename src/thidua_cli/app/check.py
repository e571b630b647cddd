"""`thidua check`: the file's soundness (the store's checks) and the year's record held against
the rules: a standing submission whose totals today's scores no longer give was changed under
the record, which is possible only by editing the database outside thidua."""

from __future__ import annotations

import sqlite3

from thidua_cli.app.ranking import live_rankings_of_year
from thidua_cli.i18n import _
from thidua_cli.models import Finding, Submission
from thidua_cli.store import maintenance, records, registry


def check(conn: sqlite3.Connection) -> list[Finding]:
    found = maintenance.check(conn)
    if any(f.damage for f in found):
        return found  # the rest reads the damaged pages: it could only mislead
    return found + _totals_under_records(conn)


def _totals_under_records(conn: sqlite3.Connection) -> list[Finding]:
    standing: dict[int, list[Submission]] = {}
    for submission in records.submissions(conn, period="year"):
        if submission.status == "submitted":
            standing.setdefault(submission.year, []).append(submission)
    found = []
    for year, submitted in sorted(standing.items()):
        live = live_rankings_of_year(conn, year, "year", only={s.cluster_id for s in submitted})
        rows = records.rows_of(conn, [s.id for s in submitted])
        for submission in submitted:
            now = (
                {r.unit_id: r for r in live[submission.cluster_id].rows}
                if submission.cluster_id in live
                else {}
            )
            changed = [
                row.unit
                for row in rows[submission.id]
                if (now.get(row.unit_id) is None)
                or (now[row.unit_id].base, now[row.unit_id].bonus, now[row.unit_id].deduction)
                != (row.base, row.bonus, row.deduction)
            ]
            if changed:
                cluster = registry.cluster_by_id(conn, submission.cluster_id)
                found.append(
                    Finding(
                        "error",
                        _(
                            "The submission of {cluster}, {year} (version {version}) records "
                            "totals that today's scores do not give, for: {units}. The scores "
                            "were changed outside thidua."
                        ).format(
                            cluster=cluster.name,
                            year=year,
                            version=submission.version,
                            units=", ".join(changed),
                        ),
                    )
                )
    return found
