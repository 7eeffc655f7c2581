"""A submission's stored values written back out as CSV, one line per value, each naming the cell it came from.

The export is what a focal point or analyst downloads to check what the platform kept: the value (as a number, or
the text for a text element), its state (value, zero, missing, not applicable) and the reason a value is missing,
so that a blank never reads as a zero. ``source_row`` and ``source_cell`` point back into the uploaded file.
Every cell goes through ``reference.formula_text.inert``: text a spreadsheet would run as a formula is written
behind a single quote.
"""

import csv
import io
import math
from typing import Any

from sqlalchemy import Engine

from observatory.access.policy import Principal
from observatory.reference.formula_text import inert
from observatory.reporting.submissions import observations

LEADING = ("source_row", "source_cell", "country", "year", "element")
TRAILING = ("value", "state", "missing_reason", "unit")


def submission_csv(engine: Engine, principal: Principal, submission_id: int) -> str:
    """The values of a submission the principal may see, as CSV text (UTF-8, comma-separated, one header line)."""
    rows = observations(engine, principal, submission_id)
    dimensions = sorted({name for row in rows for name in row["dimensions"]})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([inert(name) for name in (*LEADING, *dimensions, *TRAILING)])
    for row in rows:
        cells = [
            row["source_row"],
            row["source_column"] or "",
            row["country_iso3"] or "",
            "" if row["year"] is None else row["year"],
            row["element"],
            *(_text(row["dimensions"].get(name)) for name in dimensions),
            _value(row),
            row["value_state"],
            row["missing_reason"] or "",
            row["unit"] or "",
        ]
        writer.writerow([inert(cell) for cell in cells])
    return buffer.getvalue()


def _value(row: dict[str, Any]) -> str:
    if row["value"] is not None:
        return format_number(row["value"])
    return row["value_text"] or ""


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float; whole numbers without a trailing ".0"."""
    if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value)
    return str(value)
