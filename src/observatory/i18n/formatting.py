"""Numbers, percentages and dates as the current language writes them (Babel, CLDR): French groups digits with a
narrow no-break space (U+202F), Russian with a no-break space (U+00A0), Arabic with its own separators."""

from datetime import date, datetime

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_decimal, format_percent

from observatory.i18n.catalogues import current_language
from observatory.i18n.languages import LOCALES


def locale() -> str:
    return LOCALES[current_language()]


def number(value: float | int | None, digits: int = 0) -> str:
    """``value`` with grouping and ``digits`` decimals; an empty string for no value (missing is not zero)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=locale())


def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(value, format=pattern, locale=locale())


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _format_datetime(value, format="medium", locale=locale())
    return _format_date(value, format="medium", locale=locale())
