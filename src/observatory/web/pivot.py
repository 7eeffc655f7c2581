"""Turning tidy aggregate rows into the row × year tables pages show."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class PivotRow:
    label: str
    values: dict[int, float | None] = field(default_factory=dict)
    missing: dict[int, int] = field(default_factory=dict)


@dataclass(slots=True)
class YearTable:
    """Rows by ``label`` and one column per year; a cell absent from ``values`` had no record at all."""

    years: list[int]
    rows: list[PivotRow]

    @property
    def missing_records(self) -> int:
        return sum(sum(row.missing.values()) for row in self.rows)


def pivot_by_year(records: list[dict[str, Any]], label: str) -> YearTable:
    rows: dict[str, PivotRow] = {}
    years: set[int] = set()
    for record in records:
        row = rows.setdefault(record[label], PivotRow(record[label]))
        year = int(record["year"])
        years.add(year)
        row.values[year] = record["kilograms"]
        if record["missing_records"]:
            row.missing[year] = int(record["missing_records"])
    return YearTable(sorted(years), list(rows.values()))
