"""Reading national prevalence estimates from an Arrow table: one row per country, checked cell by cell.

Columns: country, subregion, region, best, low, high (annual prevalence among people aged 15–64, all null for
a country without an estimate), population (aged 15–64). Optional: source, vintage (the estimate's origin).
A row with a best value but no low and high keeps the best value as its range and is flagged downstream.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeGuard

import pyarrow as pa

from observatory.errors import BadInput
from observatory.stats.figure import InputRef

COLUMNS = ("country", "subregion", "region", "best", "low", "high", "population")


class PrevalenceScale(StrEnum):
    PERCENT = "percent"
    PROPORTION = "proportion"

    @property
    def full(self) -> float:
        return 100.0 if self is PrevalenceScale.PERCENT else 1.0


@dataclass(frozen=True, slots=True)
class CountryPrevalence:
    country: str
    subregion: str
    region: str
    population: float
    best: float | None = None
    low: float | None = None
    high: float | None = None
    source: InputRef | None = None

    @property
    def reported(self) -> bool:
        return self.best is not None

    @property
    def range_missing(self) -> bool:
        return self.best is not None and self.low is None


def read_prevalence_table(table: pa.Table, scale: PrevalenceScale) -> list[CountryPrevalence]:
    missing = [column for column in COLUMNS if column not in table.column_names]
    if missing:
        raise BadInput(
            f"the prevalence table lacks column(s) {missing}; expected {list(COLUMNS)} (+ optional source, vintage)",
            [{"field": column, "accepted": list(COLUMNS)} for column in missing],
        )
    if table.num_rows == 0:
        raise BadInput("the prevalence table has no rows", [{"field": "country"}])
    if scale not in tuple(PrevalenceScale):
        raise BadInput(f"unknown prevalence scale {scale!r}; accepted: {', '.join(PrevalenceScale)}")
    rows = [_row(number, cells, PrevalenceScale(scale)) for number, cells in enumerate(table.to_pylist())]
    _check_unique(rows)
    _check_hierarchy(rows)
    return rows


def _row(number: int, cells: dict[str, Any], scale: PrevalenceScale) -> CountryPrevalence:
    country, subregion, region = (_name(number, column, cells[column]) for column in ("country", "subregion", "region"))
    population = cells["population"]
    if not _number(population) or population <= 0:
        raise _cell(number, "population", population, "must be a finite number > 0 (people aged 15–64)")
    best, low, high = (_prevalence(number, column, cells[column], scale) for column in ("best", "low", "high"))
    if best is None and (low is not None or high is not None):
        raise _cell(number, "best", None, "is null while low or high is given")
    if (low is None) != (high is None):
        raise _cell(number, "low" if low is None else "high", None, "is null while the other end is given")
    if best is not None and low is not None and high is not None and not low <= best <= high:
        raise _cell(number, "best", best, f"must lie between low {low} and high {high}")
    source = InputRef(str(cells["source"]), _optional(cells.get("vintage"))) if cells.get("source") else None
    return CountryPrevalence(country, subregion, region, float(population), best, low, high, source)


def _name(number: int, column: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _cell(number, column, value, "must be a non-empty name")
    return " ".join(value.split())


def _prevalence(number: int, column: str, value: object, scale: PrevalenceScale) -> float | None:
    if value is None:
        return None
    if not _number(value) or not 0 <= value <= scale.full:
        raise _cell(number, column, value, f"must be null or a prevalence in {scale} between 0 and {scale.full:g}")
    return float(value)


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _check_unique(rows: Sequence[CountryPrevalence]) -> None:
    seen: set[str] = set()
    for number, row in enumerate(rows):
        if row.country in seen:
            raise _cell(number, "country", row.country, "appears twice")
        seen.add(row.country)


def _check_hierarchy(rows: Sequence[CountryPrevalence]) -> None:
    regions: dict[str, str] = {}
    for number, row in enumerate(rows):
        region = regions.setdefault(row.subregion, row.region)
        if region != row.region:
            raise _cell(number, "region", row.region, f"differs from {region!r}, given for subregion {row.subregion!r}")


def _cell(number: int, column: str, value: object, reason: str) -> BadInput:
    return BadInput(
        f"prevalence table row {number}, column {column!r}, value {value!r}: {reason}",
        [{"row": number, "column": column, "value": repr(value), "reason": reason}],
    )
