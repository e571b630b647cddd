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


def shown_date(iso: str) -> str:
    """'2021-01-05' -> '05/01/2021', the way Vietnamese papers write it."""
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
