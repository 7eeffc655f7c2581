"""Sums worked out by DuckDB from exact integer parts round to the number ``math.fsum`` gives over the same values,
whatever their grouping; values the parts cannot hold exactly are listed and summed by ``math.fsum``. The parts
worked out once per row in a subquery (``summed_split``) are the same numbers."""

import math

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.analytics.exact_sums import ExactSum, summed, summed_split

Values = list[float | None]


def grouped_sums(values: Values, groups: int = 1, split: bool = False) -> list[ExactSum]:
    """The exact sums of ``values`` dealt round-robin into ``groups`` groups, by DuckDB (with ``summed_split`` when
    ``split``)."""
    table = pa.table({"g": [index % groups for index in range(len(values))], "x": pa.array(values, pa.float64())})
    with duckdb.connect() as con:
        con.register("t", table)

        def run(aggregates: str) -> pa.Table:
            result: pa.Table = con.execute(f"SELECT g, {aggregates} FROM t GROUP BY g ORDER BY g").to_arrow_table()
            return result

        def run_split(columns: str, aggregates: str) -> pa.Table:
            query = f"SELECT g, {aggregates} FROM (SELECT g, x{columns} FROM t) GROUP BY g ORDER BY g"
            result: pa.Table = con.execute(query).to_arrow_table()
            return result

        _, sums = summed_split(run_split, "x") if split else summed(run, "x")
    return sums


def units(sums: list[ExactSum]) -> list[tuple[int, list[float]]]:
    return [(total.units, total.values) for total in sums]


@pytest.mark.parametrize(
    ("values", "why"),
    [
        ([0.1, 0.2, 0.3, 12.345, 1e5, 7.0], "fractions a double cannot hold exactly"),
        ([1e-3, 2.5e6, 0.125, 3.0000000000000004], "grams next to tonnes"),
        ([0.0, None, 2.5, None], "zeros and values not reported"),
        ([1e-6, 3.0], "a milligram: below the finest unit, listed"),
        ([1e16, 1.0, 0.5], "a value of 2^53 or more: listed"),
        ([5.0, -2.25, 1.5], "a negative value: listed"),
        ([2.0**-14, 2.0**52 + 1.0], "the smallest and largest values split exactly"),
    ],
)
def test_a_group_sums_to_what_fsum_gives(values: Values, why: str) -> None:
    (total,) = grouped_sums(values)
    assert total.value == math.fsum(v for v in values if v is not None), why
    assert units(grouped_sums(values, split=True)) == units([total]), why


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-1e18, max_value=1e18, allow_nan=False), min_size=1, max_size=40))
def test_any_values_sum_exactly_in_one_group_or_many(values: list[float]) -> None:
    whole = grouped_sums(list(values))[0]
    parts = grouped_sums(list(values), groups=3)
    merged = ExactSum()
    for part in parts:
        merged.add(part)
    assert whole.value == merged.value == math.fsum(values)
    assert units(grouped_sums(list(values), groups=3, split=True)) == units(parts)
