"""The few names the documents print that no other table holds: the province, the Board."""

from __future__ import annotations

import sqlite3

from thidua_cli.rules.text import nfc

# key -> default; None means "not set" (the documents leave a blank for it).
DEFAULTS: dict[str, str | None] = {
    "province": None,
    "board": "Ban Thi đua - Khen thưởng",
    "board_superior": "Sở Nội vụ",
    # the legal bases a submission cites, one per "|": the law, the decree, the province's rules
    "legal_bases": None,
    # who signs the Board's papers: the name, the title, and "KT. TRƯỞNG BAN" when a deputy signs
    "board_signer": None,
    "board_signer_title": None,
    "board_sign_for": None,
    # the symbol a cluster's papers carry after their kind (BC-CTĐ, TTr-KTĐ): a Cụm's, a Khối's
    "cum_symbol": "CTĐ",
    "khoi_symbol": "KTĐ",
}


def settings(conn: sqlite3.Connection, year: int | None = None) -> dict[str, str | None]:
    """Every setting's value today, or as `year`'s papers print it: a setting changed while the
    year had a locked cluster keeps for it the value it was locked with (migration 14)."""
    found = dict(DEFAULTS)
    found.update(dict(conn.execute("SELECT key, value FROM setting")))
    if year is not None:
        for key, value in conn.execute(
            "SELECT key, value FROM year_setting WHERE year = ?", (year,)
        ).fetchall():
            found[key] = value if value is not None else DEFAULTS.get(key)
    return found


def years_keeping(conn: sqlite3.Connection, key: str) -> list[int]:
    """The locked years whose papers print another value of `key` than today's."""
    today = settings(conn)[key]
    return [
        year
        for year, value in conn.execute(
            "SELECT year, value FROM year_setting WHERE key = ? ORDER BY year", (key,)
        ).fetchall()
        if (value if value is not None else DEFAULTS.get(key)) != today
    ]


def stored_keys(conn: sqlite3.Connection) -> set[str]:
    return {key for (key,) in conn.execute("SELECT key FROM setting")}


def set_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Store a value, or go back to the default when `value` is None."""
    if value is None:
        conn.execute("DELETE FROM setting WHERE key = ?", (key,))
        return
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, nfc(value).strip()),
    )
