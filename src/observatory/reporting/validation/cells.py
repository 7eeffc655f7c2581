"""Turning a source cell into a typed value under its field's declaration, or saying why it cannot be."""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from difflib import get_close_matches

from observatory.reference.formula_text import TRIGGERS, is_formula_like
from observatory.reporting.declaration import Field, ValueType
from observatory.reporting.readers.base import is_blank
from observatory.reporting.values import Meaning, Observed, Period, Value, Zero, marked
from observatory.reporting.workbook import Cell

YEARS = range(1900, 2101)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPAN = re.compile(r"(?P<start>\d{4})(?:\s*[/-]\s*(?P<end>\d{2}|\d{4}))?(?!\d)")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMERIC = (ValueType.NUMBER, ValueType.INTEGER)
_SIGN_NAMES = dict(zip(TRIGGERS, ("'='", "'+'", "'-'", "'@'", "a tab", "a carriage return"), strict=True))


@dataclass(frozen=True, slots=True)
class Invalid:
    """A cell that does not fit its field: the problem code and why, in words a focal point understands."""

    code: str
    message: str
    suggestions: tuple[str, ...] = ()


def typed(field: Field, cell: Cell, markers: Mapping[str, Meaning], decimal: str = ".") -> Value | Invalid:
    """The value ``cell`` holds as ``field`` declares it; ``markers`` maps spellings of "no value", stripped and
    case-folded, to what they mean."""
    meaning = _meaning(cell, markers)
    if meaning is not None:
        return marked(meaning, "" if cell is None else str(cell))
    control = _CONTROL.search(cell) if isinstance(cell, str) else None
    if control is not None:
        code = f"U+{ord(control.group()):04X}"
        return Invalid("control-character", f"the cell holds an invisible control character ({code}); retype it")
    if isinstance(cell, str) and field.type not in _NUMERIC and is_formula_like(cell):
        return _formula_like(cell)
    match field.type:
        case ValueType.NUMBER | ValueType.INTEGER:
            return _number(field, cell, decimal)
        case ValueType.YEAR:
            return _year(cell)
        case ValueType.DATE:
            return _date(cell)
        case _:
            return _text(field, cell)


def _formula_like(cell: str) -> Invalid:
    """Text a spreadsheet would run as a formula, refused rather than stored (``formula-like-text``)."""
    first = cell if cell.startswith(TRIGGERS) else cell.lstrip()
    sign = _SIGN_NAMES[first[0]]
    return Invalid(
        "formula-like-text",
        f"{cell!r} starts with {sign}, which a spreadsheet may take for the start of a formula; begin the text with "
        "a letter or a digit instead",
    )


def parse_number(text: str, decimal: str = ".") -> float | None:
    """``"52,404"`` → 52404.0; ``"1.234,5"`` with ``decimal=","`` → 1234.5; ``None`` if not a number."""
    thousands = "," if decimal == "." else "."
    text = _SPACES.sub("", text)
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+"
    pattern = rf"[+-]?(?:{grouped}|\d+)(?:{re.escape(decimal)}\d*)?(?:[eE][+-]?\d+)?|[+-]?{re.escape(decimal)}\d+"
    if not re.fullmatch(pattern, text):
        return None
    number = float(text.replace(thousands, "").replace(decimal, "."))
    return number if math.isfinite(number) else None


def _meaning(cell: Cell, markers: Mapping[str, Meaning]) -> Meaning | None:
    if is_blank(cell):
        return markers.get("", Meaning.NOT_AVAILABLE)
    return markers.get(cell.strip().casefold()) if isinstance(cell, str) else None


def _number(field: Field, cell: Cell, decimal: str) -> Value | Invalid:
    number: float | None = None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number = float(cell) if math.isfinite(cell) else None
    elif isinstance(cell, str):
        number = parse_number(cell, decimal)
    if number is None:
        return Invalid("not-a-number", f"{cell!r} is not a number")
    if field.type is ValueType.INTEGER:
        if not number.is_integer():
            return Invalid("not-an-integer", f"{cell!r} is not a whole number")
        return Zero(0) if number == 0 else Observed(int(number))
    value = cell if isinstance(cell, int | float) else number
    return Zero(value) if number == 0 else Observed(value)


def _year(cell: Cell) -> Value | Invalid:
    if isinstance(cell, date):
        return Observed(Period(cell.year, cell.year, str(cell.year)))
    text = _integral(cell)
    spans = [_span(match) for match in _SPAN.finditer(text)] if text is not None else []
    if text is not None and spans and all(span is not None for span in spans):
        starts = [span[0] for span in spans if span]
        stops = [span[1] for span in spans if span]
        return Observed(Period(min(starts), max(stops), text))
    return Invalid("not-a-year", f"{cell!r} is not a year (such as 2023) or a span of years (such as 2022/23)")


def is_plain_period(period: Period) -> bool:
    """Whether the period is written as one year or one span ("2023", "2022/23"), not in a phrase."""
    match = _SPAN.fullmatch(period.label)
    return match is not None


def _span(match: re.Match[str]) -> tuple[int, int] | None:
    start, end = int(match["start"]), match["end"]
    stop = start if end is None else int(end) if len(end) == 4 else start // 100 * 100 + int(end)
    return (start, stop) if start in YEARS and start <= stop and stop in YEARS else None


def _date(cell: Cell) -> Value | Invalid:
    if isinstance(cell, datetime):
        return Observed(cell.date())
    if isinstance(cell, date):
        return Observed(cell)
    if isinstance(cell, str):
        try:
            return Observed(date.fromisoformat(cell.strip()))
        except ValueError:
            pass
    return Invalid("not-a-date", f"{cell!r} is not a date written year-month-day, such as 2023-04-30")


def _text(field: Field, cell: Cell) -> Value | Invalid:
    text = _integral(cell) or str(cell).strip()
    if not field.levels:
        return Observed(text)
    level = next((level for level in field.levels if " ".join(level.split()) == " ".join(text.split())), None)
    if level is not None:
        return Observed(level)
    listed = "; ".join(field.levels)
    return Invalid("unknown-level", f"{text!r} is not one of the accepted answers: {listed}", _closest(text, field))


def _closest(text: str, field: Field) -> tuple[str, ...]:
    return tuple(get_close_matches(text, field.levels, n=3, cutoff=0.0))


def _integral(cell: Cell) -> str | None:
    """A number cell as a person reads it: 2023.0 → "2023"."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, int) and not isinstance(cell, bool):
        return str(cell)
    return cell.strip() if isinstance(cell, str) else None
