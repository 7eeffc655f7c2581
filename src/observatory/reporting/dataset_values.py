"""Any data set's served values as one table: a row per value, a column per field of its declaration.

The generic data set page, its CSV download and the API read a data set through here, whatever its declaration
(the package's or an observatory's own, ``reporting.catalogue``). The values come from the analytics store as the
caller's audience sees it (``AnalyticsStore.for_audience``): the public sees published values only.
"""

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from observatory.analytics.observations import observations
from observatory.analytics.store import AnalyticsStore
from observatory.reference.formula_text import inert
from observatory.reporting.declaration import Declaration, ValueType

#: The fields every observation keeps in columns of its own.
PLACE_AND_TIME = ("country", "year")
VALUE_COLUMNS = ("element", "value", "unit", "value_state", "missing_reason")


@dataclass(frozen=True, slots=True)
class ValuesTable:
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    total: int


def values_table(store: AnalyticsStore, plan: Declaration, limit: int | None = None, offset: int = 0) -> ValuesTable:
    """``plan``'s values the store serves, in submission and row order; ``limit`` rows from ``offset``."""
    table = observations(store, plan.id)
    total = table.num_rows
    table = table.slice(offset, limit)
    dimensions = [f.id for f in plan.dimensions if f.id not in PLACE_AND_TIME]
    attributes = [f.id for f in plan.attributes]
    columns = ("submission_id", "vintage", *PLACE_AND_TIME, *dimensions, *VALUE_COLUMNS, *attributes)
    whole = {f.id for f in plan.elements if f.type is ValueType.INTEGER}
    rows = []
    for row in table.to_pylist():
        described = json.loads(row["dimensions"] or "{}")
        rows.append(
            {
                "submission_id": row["submission_id"],
                "vintage": row["vintage"],
                "country": row["country_iso3"],
                "year": row["year"],
                **{name: described.get(name) for name in dimensions},
                "element": row["element"],
                "value": _value(row, row["element"] in whole),
                "unit": row["unit"],
                "value_state": row["value_state"],
                "missing_reason": row["missing_reason"],
                **{name: described.get(name) for name in attributes},
            }
        )
    return ValuesTable(columns, rows, total)


def _value(row: dict[str, Any], whole: bool) -> Any:
    """A number as stored (an integer element's without ``.0``), else the text."""
    if row["value"] is None:
        return row["value_text"]
    return int(row["value"]) if whole and float(row["value"]).is_integer() else row["value"]


def values_csv(store: AnalyticsStore, plan: Declaration) -> str:
    """Every value of ``values_table`` as CSV text, one line per value under a header of the column names; text a
    spreadsheet would run as a formula is made inert (``reference.formula_text``)."""
    table = values_table(store, plan)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([inert(row[name]) for name in table.columns] for row in table.rows)
    return out.getvalue()
