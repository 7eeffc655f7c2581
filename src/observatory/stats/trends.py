"""Trends in a yearly series (seizures, production...): year-on-year change and compound annual growth.

A year absent from the table, or present with a null value, is missing: it is never read as zero. Each year
from the first to the last gets a year-on-year row whose ``status`` says why a change is or is not given.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa

from observatory.errors import BadInput
from observatory.stats.figure import Figure, Flag, FlagCode, Method
from observatory.stats.inputs import computed


class Status(StrEnum):
    OK = "ok"
    FIRST_YEAR = "first-year"
    MISSING = "missing"
    PREVIOUS_MISSING = "previous-year-missing"
    ZERO_BASE = "zero-base"


YEAR_ON_YEAR_SCHEMA = pa.schema(
    [
        ("year", pa.int64()),
        ("value", pa.float64()),
        ("previous_value", pa.float64()),
        ("change", pa.float64()),
        ("relative_change", pa.float64()),
        ("status", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class Series:
    values: Mapping[int, float | None]

    @property
    def years(self) -> range:
        return range(min(self.values), max(self.values) + 1)

    def get(self, year: int) -> float | None:
        return self.values.get(year)


def read_series(table: pa.Table, *, year: str = "year", value: str = "value") -> Series:
    missing = [name for name in (year, value) if name not in table.column_names]
    if missing:
        raise BadInput(
            f"the series table lacks column(s) {missing}; it has {table.column_names}",
            [{"field": name, "accepted": table.column_names} for name in missing],
        )
    years, values = table.column(year).to_pylist(), table.column(value).to_pylist()
    series: dict[int, float | None] = {}
    for row, (when, amount) in enumerate(zip(years, values, strict=True)):
        if isinstance(when, bool) or not isinstance(when, int):
            raise BadInput(f"row {row}: year must be a whole number, not {when!r}", [{"row": row, "field": year}])
        if when in series:
            raise BadInput(f"year {when} appears twice", [{"row": row, "field": year, "value": when}])
        number = isinstance(amount, int | float) and not isinstance(amount, bool)
        if amount is not None and not (number and math.isfinite(amount) and amount >= 0):
            raise BadInput(f"row {row}: value must be a finite number ≥ 0 or null, not {amount!r}", [{"row": row}])
        series[when] = None if amount is None else float(amount)
    if not series:
        raise BadInput("the series is empty", [{"field": year}])
    return Series(series)


def year_on_year(table: pa.Table, *, year: str = "year", value: str = "value") -> pa.Table:
    """One row per year from the first to the last: change = v_t − v_{t−1}, relative = change ÷ v_{t−1}."""
    series = read_series(table, year=year, value=value)
    rows = []
    for when in series.years:
        current, previous = series.get(when), series.get(when - 1)
        status = _status(when == series.years.start, current, previous)
        change = current - previous if current is not None and previous is not None else None
        relative = change / previous if change is not None and previous else None
        rows.append(
            {
                "year": when,
                "value": current,
                "previous_value": previous,
                "change": change,
                "relative_change": relative,
                "status": str(status),
            }
        )
    return pa.Table.from_pylist(rows, schema=YEAR_ON_YEAR_SCHEMA)


def _status(first: bool, current: float | None, previous: float | None) -> Status:
    if current is None:
        return Status.MISSING
    if first:
        return Status.FIRST_YEAR
    if previous is None:
        return Status.PREVIOUS_MISSING
    return Status.ZERO_BASE if previous == 0 else Status.OK


def compound_annual_growth(
    table: pa.Table, *, start: int | None = None, end: int | None = None, year: str = "year", value: str = "value"
) -> Figure:
    """(v_end ÷ v_start)^(1/(end − start)) − 1; by default between the first and last years with a value."""
    series = read_series(table, year=year, value=value)
    known = [when for when in series.years if series.get(when) is not None]
    first = start if start is not None else min(known, default=None)
    last = end if end is not None else max(known, default=None)
    if first is None or last is None or not first < last:
        raise BadInput(f"compound growth needs a start year before an end year, not {first}–{last}")
    begin, finish = series.get(first), series.get(last)
    if begin is None or finish is None:
        gap = first if begin is None else last
        raise BadInput(f"the series has no value for {gap}; choose start and end years with values", [{"year": gap}])
    if begin == 0:
        raise BadInput(f"the value in {first} is 0: growth from zero is undefined", [{"year": first}])
    gaps = [when for when in range(first + 1, last) if series.get(when) is None]
    flags = (Flag(FlagCode.MISSING_YEARS, f"no value for {', '.join(map(str, gaps))}"),) if gaps else ()
    method = Method("trends/cagr", f"(value {last} ÷ value {first})^(1/{last - first}) − 1; years between unused")
    growth = computed("growth", (finish / begin) ** (1 / (last - first)) - 1)
    return Figure(value=growth, unit="proportion per year", method=method, flags=flags)
