"""Dates as users write them (05/01/2021 or 2021-01-05) and as official papers show them."""

from __future__ import annotations

import datetime as dt

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _


def parse_date(text: str) -> str:
    """ISO date from 'YYYY-MM-DD' or the Vietnamese 'DD/MM/YYYY'; digits are 0-9 only
    (strptime would read "٢٠٢١" as 2021: rules.numbers says why thidua does not)."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y") if text.isascii() else ():
        try:
            return dt.datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    raise InvalidInput(
        _("“{text}” is not a date; write it as 05/01/2021 or 2021-01-05.").format(text=text)
    )


# The years thidua keeps (the database holds the same bounds as a CHECK).
FIRST_YEAR, LAST_YEAR = 1945, 2200


def checked_year(value: object) -> int:
    """A year as a file gives it: a whole number from FIRST_YEAR to LAST_YEAR."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (FIRST_YEAR <= value <= LAST_YEAR)
    ):
        raise InvalidInput(
            _("{value} is not a year from {first} to {last}.").format(
                value=_json(value), first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return value


def checked_date(value: object) -> str:
    """A date as a file gives it (text, 2021-01-05 or 05/01/2021), as stored: ISO."""
    if not isinstance(value, str):
        raise InvalidInput(
            _("{value} is not a date; write it as 05/01/2021 or 2021-01-05.").format(
                value=_json(value)
            )
        )
    return parse_date(value)


def _json(value: object) -> str:
    from thidua_cli.rules.text import json_text

    return json_text(value)


def shown_date(iso: str) -> str:
    """'2021-01-05' -> '05/01/2021', the way Vietnamese papers write it."""
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
