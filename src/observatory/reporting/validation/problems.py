"""Problems found in a submission, as data: a stable code, a severity, where, the value, and a plain message.

``CODES`` lists every code with its default severity. Errors are what stops a value from being stored as the
submitter meant it (not a number, an unknown country, two different values for one key); warnings are what a
focal point should confirm (a best estimate outside its range, an outlier against the country's history).
A declaration may set the severity of its own rules.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from observatory.reporting.declaration import Severity
from observatory.reporting.readers.records import Position
from observatory.reporting.values import Period

E, W = Severity.ERROR, Severity.WARNING
CODES: dict[str, Severity] = {
    # the file
    "unknown-format": E,
    "unreadable-file": E,
    "refused-file": E,
    "sheet-too-large": E,
    "cell-too-long": E,
    "read-budget-exceeded": E,
    "bad-source-file": E,
    # its shape
    "unknown-layout": E,
    "no-matching-layout": E,
    "ambiguous-layout": E,
    "missing-column": E,
    "unknown-column": W,
    "unlabelled-row": E,
    # a mapped file (reporting.mapping)
    "unit-not-convertible": W,
    "total-differs": W,
    "unknown-admin-area": W,
    "overlapping-submission": E,
    # cells
    "not-a-number": E,
    "not-an-integer": E,
    "not-a-date": E,
    "not-a-year": E,
    "imprecise-year": W,
    "unknown-level": E,
    "control-character": E,
    "formula-like-text": E,
    "missing-value": E,
    "missing-recommended": W,
    "negative-quantity": E,
    "out-of-range": E,
    "external-link-value": W,
    # vocabularies
    "unknown-country": E,
    "country-not-in-year": E,
    "area-not-national": W,
    "series-convention": W,
    "unknown-unit": E,
    "unknown-drug-group": E,
    "unknown-drug-subgroup": E,
    "unknown-drug": E,
    "unconfirmed-drug-name": W,
    "subgroup-outside-group": W,
    "drug-outside-group": W,
    # rows
    "duplicate-row": W,
    "duplicate-key": E,
    # against history
    "outlier-modified-z": W,
    "year-on-year-jump": W,
}


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    severity: Severity
    row: int | None
    column: str | None
    value: object
    message: str
    suggestions: tuple[str, ...] = ()
    sheet: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "row": self.row,
            "column": self.column,
            "value": json_value(self.value),
            "message": self.message,
            "suggestions": list(self.suggestions),
        }


def problem(
    code: str,
    position: Position | None,
    value: object,
    message: str,
    suggestions: tuple[str, ...] = (),
    severity: Severity | None = None,
) -> Problem:
    """A problem at ``position``, its message led by where a person finds the cell."""
    if position is None:
        return Problem(code, severity or CODES[code], None, None, value, message, suggestions)
    return Problem(
        code,
        severity or CODES[code],
        position.row,
        position.heading or None,
        value,
        f"{where(position)}: {message}",
        suggestions,
        position.sheet,
    )


def where(position: Position) -> str:
    """ "Sheet 'Cannabis', row 12, column 'Best' (cell E12)" — or without the sheet and cell for a text file."""
    sheet = f"Sheet {position.sheet!r}, row" if position.sheet else "Row"
    if not position.heading:
        return f"{sheet} {position.row}"
    cell = f" (cell {position.reference})" if position.column is not None and position.sheet else ""
    return f"{sheet} {position.row}, column {position.heading!r}{cell}"


def json_value(value: object) -> object:
    match value:
        case None | bool() | int() | float() | str():
            return value
        case Period():
            return value.label
        case date() | time():
            return value.isoformat()
        case timedelta():
            return value.total_seconds()
        case _:
            return str(value)
