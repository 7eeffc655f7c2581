"""Aggregates of served annual seizures: totals in kilograms by any set of dimensions.

Missing values are counted, never summed as zero: each group reports how many records it has and
how many of them were not reported, and a group with no reported value has ``kilograms`` null.

By default every row counts as reported, reported totals and plant material included, with the two marks
(``reported_total``, ``plant_material``) as dimensions and filters so that a user can rebuild any figure.
``headline=True`` counts only the rows of a headline figure under the WDR conventions
(``reference.seizure_conventions``, ``snapshot``): no plant material, never a total beside its own components.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from observatory.analytics.snapshot import DATASET
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput

#: Dimension → the snapshot column it groups by.
DIMENSIONS = {
    "region": "region",
    "subregion": "subregion",
    "country": "country_iso3",
    "drug_group": "drug_group",
    "drug_subgroup": "drug_subgroup",
    "drug": "drug",
    "year": "year",
    "reported_total": "reported_total",
    "plant_material": "plant_material",
}
#: Dimensions whose values are true or false.
MARKS = ("reported_total", "plant_material")
#: Columns that name a grouped code; fetched once per group instead of being grouped by.
LABELS = {"country_iso3": "any_value(country) AS country"}
#: ``kilograms`` is null exactly when the quantity was not reported, so ``count(kilograms)`` counts the reported ones.
MEASURES = "sum(kilograms) AS kilograms, count(*) AS records, count(*) - count(kilograms) AS missing_records"


@dataclass(frozen=True, slots=True)
class SeizureQuery:
    group_by: tuple[str, ...]
    filters: Mapping[str, tuple[str | int | bool, ...]] = field(default_factory=dict)
    #: Count only the rows of headline figures (WDR conventions) instead of every row as reported.
    headline: bool = False

    def __post_init__(self) -> None:
        unknown = [name for name in (*self.group_by, *self.filters) if name not in DIMENSIONS]
        if unknown:
            raise BadInput(
                f"unknown dimension {unknown[0]!r}; accepted: {', '.join(DIMENSIONS)}",
                [{"value": name, "accepted": list(DIMENSIONS)} for name in unknown],
            )
        if len(set(self.group_by)) != len(self.group_by):
            raise BadInput(f"group_by repeats a dimension: {list(self.group_by)}")


def seizure_totals(store: AnalyticsStore, query: SeizureQuery) -> pa.Table:
    """Kilograms, records and missing records per group, ordered by the grouped columns."""
    columns = [DIMENSIONS[name] for name in query.group_by]
    source = store.source(DATASET)
    if source is None:
        return pa.table({**{c: pa.array([], pa.string()) for c in columns}, "kilograms": pa.array([], pa.float64())})
    where, parameters = _where(query.filters, query.headline)
    labels = [LABELS[column] for column in columns if column in LABELS]
    select = ", ".join([*columns, *labels, MEASURES])
    group = f" GROUP BY {', '.join(columns)} ORDER BY {', '.join(columns)}" if columns else ""
    return store.arrow(f"SELECT {select} FROM {source}{where}{group}", parameters)


def check_filter_values(store: AnalyticsStore, filters: Mapping[str, tuple[str | int | bool, ...]]) -> None:
    """Raise ``BadInput`` naming any filter value the data do not contain, with the accepted values."""
    source = store.source(DATASET)
    for name, values in filters.items():
        if name == "year":
            _check_years(store, [int(value) for value in values])
            continue
        if name in MARKS:
            continue
        # A present value is found in the first rows read, so each probe stops early; listing every accepted value
        # takes a full scan, paid only when a value is unknown.
        probe = f"SELECT 1 FROM {source} WHERE {DIMENSIONS[name]} = ? LIMIT 1"
        unknown = [value for value in values if source is None or not store.rows(probe, [value])]
        if unknown:
            accepted = dimension_values(store, name)
            raise BadInput(
                f"unknown {name} {unknown[0]!r}; accepted values: {', '.join(map(str, accepted))}",
                [{"parameter": name, "value": value, "accepted": accepted} for value in unknown],
            )


def dimension_values(store: AnalyticsStore, name: str) -> list[Any]:
    column = DIMENSIONS[name]
    source = store.source(DATASET)
    if source is None:
        return []
    return [row[0] for row in store.rows(f"SELECT DISTINCT {column} FROM {source} ORDER BY 1")]


def year_range(store: AnalyticsStore) -> tuple[int, int] | None:
    source = store.source(DATASET)
    if source is None:
        return None
    low, high = store.rows(f"SELECT min(year), max(year) FROM {source}")[0]
    return (int(low), int(high)) if low is not None else None


def _check_years(store: AnalyticsStore, years: list[int]) -> None:
    available = year_range(store)
    outside = [year for year in years if available is None or not available[0] <= year <= available[1]]
    if outside:
        accepted = f"{available[0]}–{available[1]}" if available else "none (no approved data yet)"
        raise BadInput(
            f"year {outside[0]} is out of range; years with data: {accepted}",
            [{"parameter": "year", "value": year, "accepted": accepted} for year in outside],
        )


def _where(filters: Mapping[str, tuple[str | int | bool, ...]], headline: bool = False) -> tuple[str, list[Any]]:
    clauses: list[str] = ["headline"] if headline else []
    parameters: list[Any] = []
    for name, values in filters.items():
        clauses.append(f"{DIMENSIONS[name]} IN ({', '.join('?' for _ in values)})")
        parameters.extend(values)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), parameters
