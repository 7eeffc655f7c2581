"""Problems found in a submission, as data: a stable code, a severity, where, the value, and a plain message.

``CODES`` lists every code with its default severity. Errors are what stops a value from being stored as the
submitter meant it (not a number, an unknown country, two different values for one key); warnings are what a
focal point should confirm (a best estimate outside its range, an outlier against the country's history).
A declaration may set the severity of its own rules. ``FIXES`` says, for each code, the fix a submitter makes: one
short sentence, shown next to the code in the report's summary.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from observatory.reporting.declaration import Severity
from observatory.reporting.readers.records import LayoutIssue, Position
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

#: What to do about each code, in a sentence a focal point can act on; a declaration's own rule codes fall back on
#: ``RULE_FIX``.
FIXES: dict[str, str] = {
    "unknown-format": "Save the file as .xlsx or CSV (UTF-8) and upload it again.",
    "unreadable-file": "Open the file in the program that made it, save it again as .xlsx or CSV, and upload that.",
    "refused-file": "Split the file, or remove what goes over the limit the message names.",
    "sheet-too-large": "Keep only this data set's rows and columns on the sheet, or split it over several files.",
    "cell-too-long": "Shorten the cell's text, or move long notes out of the data cells.",
    "read-budget-exceeded": "Split the file into smaller files and upload them one by one.",
    "bad-source-file": "Upload the file as it was exported, without editing it in a text editor.",
    "unknown-layout": "Choose one of the layouts the message lists, or leave the layout empty.",
    "no-matching-layout": "Use this data set's template, or rename the sheet and its header as the template has them.",
    "ambiguous-layout": "Choose the layout by name when you upload the file.",
    "missing-column": "Add the column to the header, or rename the column that holds it to the expected name.",
    "unknown-column": "Nothing to do if the column is not needed; otherwise rename it to a column of the data set.",
    "unlabelled-row": "Write the label of the row (the country or series) in its first column.",
    "unit-not-convertible": "Give the quantity in a unit the data set converts (kg, g, litres, units), or map it.",
    "total-differs": "Correct the parts or the total so that the parts add up to the total.",
    "unknown-admin-area": "Write the state or province as its official name, or map it to one.",
    "overlapping-submission": "Declare this file a correction of the submission the message names, or remove the "
    "overlapping rows.",
    "not-a-number": "Write a number (digits, one decimal mark), or a missing-value marker such as '..'.",
    "not-an-integer": "Write a whole number.",
    "not-a-date": "Write the date as YYYY-MM-DD.",
    "not-a-year": "Write the year as four digits, e.g. 2023.",
    "imprecise-year": "Write a single year rather than a range or an approximate one.",
    "unknown-level": "Use one of the levels the message lists.",
    "control-character": "Delete the invisible character from the cell (retype its text).",
    "formula-like-text": "Remove the leading =, +, - or @ from the text, or put the value in as a number.",
    "missing-value": "Fill the cell: write 0 if there was none, or '..' if the figure is not available.",
    "missing-recommended": "Fill the cell if the figure is known.",
    "negative-quantity": "Write the quantity as a positive number (a correction goes in a new submission).",
    "out-of-range": "Correct the value so that it lies in the range the message gives.",
    "external-link-value": "Paste the values in place of the formulas that link to another workbook.",
    "unknown-country": "Write the country as its UN name or ISO code; see the suggestions.",
    "country-not-in-year": "Use the name the country had in that year, or correct the year.",
    "series-convention": "Nothing to do if the series means this convention; otherwise write the country of that year.",
    "area-not-national": "Report national figures only, or confirm that the area is meant.",
    "unknown-unit": "Use one of the units the data set lists (kg, g, l, units).",
    "unknown-drug-group": "Use a drug group of the WDR hierarchy; see the suggestions.",
    "unknown-drug-subgroup": "Use a drug sub-group of the WDR hierarchy; see the suggestions.",
    "unknown-drug": "Use a drug name of the WDR hierarchy; see the suggestions.",
    "unconfirmed-drug-name": "Confirm the drug the name stands for, or write its WDR name.",
    "subgroup-outside-group": "Correct the drug group or the sub-group so that one belongs to the other.",
    "drug-outside-group": "Correct the drug group or the drug so that one belongs to the other.",
    "duplicate-row": "Delete one of the two rows, unless they are separate entries that add up.",
    "duplicate-key": "Keep one row per key, or correct the key of one of them.",
    "outlier-modified-z": "Check the value against the country's earlier years; confirm it in a comment if right.",
    "year-on-year-jump": "Check the value against the year before; confirm it in a comment if right.",
}
RULE_FIX = "Correct the fields the rule names so that they agree."


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
    #: What a person needs once rather than in every message, e.g. the header a missing column was looked for in.
    details: Mapping[str, object] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        found = {
            "code": self.code,
            "severity": self.severity.value,
            "row": self.row,
            "column": self.column,
            "value": json_value(self.value),
            "message": self.message,
            "suggestions": list(self.suggestions),
        }
        if self.sheet:
            found["sheet"] = self.sheet
        if self.details:
            found["details"] = dict(self.details)
        return found


def fix_for(code: str) -> str:
    """The fix a submitter makes for a problem of ``code``."""
    return FIXES.get(code, RULE_FIX)


def layout_problem(issue: LayoutIssue, several_sheets: bool) -> Problem:
    """A problem of the file's shape, its message led by the sheet when the file has several."""
    sheet = f"Sheet {issue.sheet!r}: " if issue.sheet and several_sheets else ""
    return Problem(
        issue.code,
        CODES[issue.code],
        issue.row,
        issue.column,
        issue.value,
        sheet + issue.message,
        issue.suggestions,
        issue.sheet or None,
        issue.details,
    )


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
