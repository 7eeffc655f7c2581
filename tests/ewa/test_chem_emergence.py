"""Emergence tables: new and cumulative substances per year, group and family."""

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from observatory.ewa.chemistry import (
    Family,
    NpsGroup,
    dated_substances,
    emergence_by_family,
    emergence_by_group,
    emergence_by_year,
)
from observatory.reference.substances import substance_registry


def test_every_dated_substance_counts_once() -> None:
    dated = sum(1 for substance in substance_registry().substances if substance.first_identified is not None)
    assert len(dated_substances()) == dated
    for table in (emergence_by_year(), emergence_by_group(), emergence_by_family()):
        assert pc.sum(table["new"]).as_py() == dated


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [(emergence_by_group, "nps_group", list(NpsGroup)), (emergence_by_family, "family", list(Family))],
)
def test_the_tables_are_dense_and_cumulative(
    table: Callable[[], pa.Table], column: str, values: list[NpsGroup] | list[Family]
) -> None:
    rows = table().to_pylist()
    years = sorted({row["year"] for row in rows})
    assert years == list(range(years[0], years[-1] + 1))
    assert len(rows) == len(years) * len(values)
    last = {str(value): 0 for value in values}
    for row in sorted(rows, key=lambda r: r["year"]):
        last[row[column]] += row["new"]
        assert row["cumulative"] == last[row[column]]


def test_the_yearly_totals_match_the_group_table() -> None:
    by_year = {row["year"]: row["new"] for row in emergence_by_year().to_pylist()}
    group_totals: dict[int, int] = {}
    for row in emergence_by_group().to_pylist():
        group_totals[row["year"]] = group_totals.get(row["year"], 0) + row["new"]
    assert by_year == group_totals
    assert min(by_year) == 2006 and max(by_year) == 2024
    assert by_year[2016] == max(by_year.values())  # the peak of the Slovenian list, 2015-2017
