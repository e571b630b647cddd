"""Points, held exactly as integer hundredths (9.5 points is 950).

Input may have at most two decimals, written with the digits 0-9 only, and at most
rules.numbers.MAX_POINTS points; a mean of peer scores is rounded to hundredths, half up,
before it enters a total. So 0.1 + 0.2 ties with 0.3, whatever order the sums are taken in.
"""

from __future__ import annotations

import functools
import math
import re

from thidua_cli.rules.numbers import MAX_DIGITS, MAX_POINTS

# ASCII digits only: "٣" is not 3 here (rules.numbers says why)
_NUMBER = re.compile(r"^[+]?([0-9]+)(?:[.]([0-9]*))?$|^[+]?[.]([0-9]+)$")


class PointsError(ValueError):
    """Why a text is not a valid number of points; `reason` is one of the keys below."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # empty | not_a_number | negative | too_precise | too_large


def parse_points(value: object, *, decimal_comma: bool = False) -> int:
    """Hundredths from '9.5', '9,5' (with decimal_comma), 9.5 or 9; raises PointsError."""
    if value is None:
        raise PointsError("empty")
    if isinstance(value, bool):
        raise PointsError("not_a_number")
    if isinstance(value, int):
        if value < 0:
            raise PointsError("negative")
        if value > MAX_POINTS:
            raise PointsError("too_large")
        return value * 100
    if isinstance(value, float) and not math.isfinite(value):
        raise PointsError("not_a_number")
    return _parse_text(repr(value) if isinstance(value, float) else str(value), decimal_comma)


@functools.lru_cache(maxsize=1 << 14)
def _parse_text(text: str, decimal_comma: bool) -> int:
    """The text of a number in hundredths (remembered: files repeat the same values)."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        raise PointsError("empty")
    if decimal_comma and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if text.startswith("-"):
        body = text[1:]
        if _NUMBER.match(body):
            raise PointsError("negative")
        raise PointsError("not_a_number")
    match = _NUMBER.match(text)
    if not match:
        raise PointsError("not_a_number")  # includes nan, inf, 1e3, '9.5.1', text
    whole, fraction, only_fraction = match.groups()
    if only_fraction is not None:
        whole, fraction = "0", only_fraction
    fraction = (fraction or "").rstrip("0")
    if len(fraction) > 2:
        raise PointsError("too_precise")
    whole = whole.lstrip("0") or "0"
    if len(whole) > MAX_DIGITS or int(whole) > MAX_POINTS:  # never int() of 5,000 digits
        raise PointsError("too_large")
    return int(whole) * 100 + int(fraction.ljust(2, "0") or 0)


def mean_half_up(values: list[int]) -> int:
    """The mean of hundredths, rounded to hundredths half up (values are never negative)."""
    total, count = sum(values), len(values)
    return (2 * total + count) // (2 * count)


def format_points(hundredths: int, *, decimal_comma: bool = False) -> str:
    sign = "-" if hundredths < 0 else ""
    whole, cents = divmod(abs(hundredths), 100)
    text = f"{sign}{whole}.{cents:02d}"
    return text.replace(".", ",") if decimal_comma else text


def shown(hundredths: int) -> str:
    """Points as the user reads them: 9,50 in Vietnamese, 9.50 in English."""
    from thidua_cli.i18n import language

    return format_points(hundredths, decimal_comma=language() == "vi")


def shown_count(number: int) -> str:
    """A whole number as the user reads it: 1.234.567 in Vietnamese, 1,234,567 in English."""
    from thidua_cli.i18n import language

    text = f"{number:,}"
    return text.replace(",", ".") if language() == "vi" else text


def to_number(hundredths: int) -> int | float:
    """For JSON and spreadsheets: 95 for 9500, 95.5 for 9550."""
    whole, cents = divmod(hundredths, 100)
    return whole if cents == 0 else hundredths / 100
