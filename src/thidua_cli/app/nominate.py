"""Candidates for the Government's emulation flag (Cờ thi đua của Chính phủ): the units the
province granted its own Cờ in the year, each with its run of Cờ and Bằng khen, in the order a
Board reads them (the longest run of Cờ first, then of Bằng khen). Nothing is written."""

from __future__ import annotations

import sqlite3

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import BANG_KHEN, CO_THI_DUA, NOMINATED, Nominee
from thidua_cli.rules.history import granted_years, run_to
from thidua_cli.rules.text import sort_key
from thidua_cli.store import records, registry


def nominees(conn: sqlite3.Connection, year: int, award: str) -> list[Nominee]:
    if award not in NOMINATED:
        raise InvalidInput(
            _("“{award}” is not a higher award thidua nominates for; it knows: {known}.").format(
                award=award, known=", ".join(NOMINATED)
            )
        )
    granted = {
        d.unit_id
        for d in records.decisions(conn, year=year)
        if d.standing and d.granted == CO_THI_DUA
    }
    where = registry.unit_clusters(conn, year)
    found = []
    for unit_id in granted:
        decided = records.decisions(conn, unit_id=unit_id)
        flags = granted_years(decided, CO_THI_DUA)
        certificates = granted_years(decided, BANG_KHEN)
        found.append(
            Nominee(
                registry.unit_by_id(conn, unit_id).name,
                where.get(unit_id, (None,))[0],
                tuple(flags),
                tuple(run_to(flags, year)),
                tuple(certificates),
                tuple(run_to(certificates, year - 1) if certificates else ()),
            )
        )
    return sorted(
        found,
        key=lambda n: (-len(n.flag_run), -len(n.certificate_run), -len(n.flag_years),
                       sort_key(n.unit)),
    )  # fmt: skip
