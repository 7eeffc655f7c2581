"""Dates as event files write them, with their precision: a day, a month or a year."""

import re
from datetime import date

from observatory.ewa.events.model import DatePrecision

_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")


def read_date(text: str) -> tuple[date, DatePrecision] | None:
    """``2014-05-03`` (also with ``/`` or ``.``, a time after it ignored) → that day; ``2014-05`` → the first of
    May, month precision; ``2014`` → the first of January, year precision; anything else ``None``."""
    value = text.strip()
    try:
        if found := _DAY.match(value):
            year, month, day = (int(part) for part in found.groups())
            return date(year, month, day), DatePrecision.DAY
        if found := _MONTH.match(value):
            return date(int(found[1]), int(found[2]), 1), DatePrecision.MONTH
        if found := _YEAR.match(value):
            return date(int(found[1]), 1, 1), DatePrecision.YEAR
    except ValueError:
        return None
    return None
