"""What a number is, for every reader of thidua: files, bundles, names and options.

Only the ASCII digits 0-9 make a number. Python's `str.isdigit` also says yes to "²", "①" and
"٣", and `int()` takes "٣" as 3: a vote written "²" or "①" would then crash the reader or be
counted. So every reader asks here, and nowhere else.

A number also has a sane size. SQLite holds integers below 2**63 and Python refuses to turn a
text of more than 4,300 digits into an integer; long before either, a count of ballots or a
number of points of that size is a typing mistake. `MAX_WHOLE` bounds every count (votes,
ballots, members, quotas, a number of log entries), `MAX_POINTS` every number of points.
"""

from __future__ import annotations

import math
import re

MAX_WHOLE = 1_000_000_000  # a count: votes, ballots, members, quotas, entries
MAX_POINTS = 1_000_000_000  # points (in hundredths, 10**11: sums of many still fit SQLite)
MAX_DIGITS = len(str(MAX_WHOLE))  # a longer run of digits is too large, whatever it says

_WHOLE = re.compile(r"[0-9]+", re.ASCII)


class NumberError(ValueError):
    """Why a value is not a count; `reason` is one of: empty, not_a_number, negative, too_large."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_digits(text: str) -> bool:
    """Whether `text` is one or more ASCII digits and nothing else ("٣", "²", "①" are not)."""
    return bool(_WHOLE.fullmatch(text))


def digits_value(text: str) -> int | None:
    """The value of a run of ASCII digits within the bounds, else None (for names that carry
    a number, as "Cụm 2" does: a numeral of 5,000 digits names nothing)."""
    if not is_digits(text) or len(text.lstrip("0")) > MAX_DIGITS:
        return None
    value = int(text)
    return value if value <= MAX_WHOLE else None


def parse_whole(value: object, *, maximum: int = MAX_WHOLE) -> int:
    """A count from a cell, a JSON value or a text: 0 to `maximum`; raises NumberError.

    A spreadsheet's number cell (12.0) is taken when it is whole; NaN, infinities, fractions,
    signs, and digits other than 0-9 are not counts.
    """
    if value is None:
        raise NumberError("empty")
    if isinstance(value, bool):
        raise NumberError("not_a_number")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise NumberError("not_a_number")
        if value < 0:
            raise NumberError("negative")
        if value > maximum:
            raise NumberError("too_large")
        return int(value)
    if isinstance(value, int):
        if value < 0:
            raise NumberError("negative")
        if value > maximum:
            raise NumberError("too_large")
        return value
    text = str(value).strip()
    if not text:
        raise NumberError("empty")
    if text[0] == "-" and is_digits(text[1:]):
        raise NumberError("negative")
    if not is_digits(text):
        raise NumberError("not_a_number")
    number = digits_value(text)
    if number is None or number > maximum:
        raise NumberError("too_large")
    return number
