"""Year-on-year change and compound annual growth, with missing years kept missing."""

import math

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.stats.trends import compound_annual_growth, year_on_year


def series(values: dict[int, float | None]) -> pa.Table:
    return pa.table({"year": list(values), "value": list(values.values())})


def test_year_on_year_fills_every_year_and_says_why_a_change_is_absent() -> None:
    rows = year_on_year(series({2018: 100.0, 2019: 120.0, 2021: 60.0, 2022: 0.0, 2023: 10.0, 2024: None})).to_pylist()
    assert [(r["year"], r["value"], r["change"], r["relative_change"], r["status"]) for r in rows] == [
        (2018, 100.0, None, None, "first-year"),
        (2019, 120.0, 20.0, pytest.approx(0.2), "ok"),
        (2020, None, None, None, "missing"),
        (2021, 60.0, None, None, "previous-year-missing"),
        (2022, 0.0, -60.0, pytest.approx(-1.0), "ok"),
        (2023, 10.0, 10.0, None, "zero-base"),
        (2024, None, None, None, "missing"),
    ]


def test_other_column_names_and_unsorted_rows() -> None:
    table = pa.table({"yr": [2021, 2020], "kg": [50, 25]})
    rows = year_on_year(table, year="yr", value="kg").to_pylist()
    assert [r["relative_change"] for r in rows] == [None, 1.0]


@pytest.mark.parametrize(
    ("values", "start", "end", "expected"),
    [
        ({2015: 100.0, 2016: 110.0, 2017: 121.0}, None, None, 0.1),
        ({2015: 100.0, 2017: 121.0}, None, None, 0.1),
        ({2014: None, 2015: 100.0, 2016: 121.0, 2017: None}, None, None, 0.21),
        ({2015: 100.0, 2016: 50.0, 2017: 121.0}, 2015, 2016, -0.5),
        ({2015: 100.0, 2016: 0.0}, None, None, -1.0),
    ],
)
def test_compound_annual_growth(
    values: dict[int, float | None], start: int | None, end: int | None, expected: float
) -> None:
    assert compound_annual_growth(series(values), start=start, end=end).value == pytest.approx(expected)


def test_gaps_between_the_ends_are_flagged() -> None:
    figure = compound_annual_growth(series({2015: 100.0, 2016: None, 2018: 133.1}))
    assert "missing-years" in figure.flag_codes
    assert "2016, 2017" in figure.flags[0].message


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (pa.table({"year": [2020], "kg": [1.0]}), r"lacks column\(s\) \['value'\]"),
        (series({}), "empty"),
        (pa.table({"year": [2020, 2020], "value": [1.0, 2.0]}), "2020 appears twice"),
        (pa.table({"year": [2020.0], "value": [1.0]}), "whole number"),
        (pa.table({"year": [2020], "value": [-1.0]}), "value must be a finite number ≥ 0"),
        (pa.table({"year": [2020], "value": [math.nan]}), "value must be a finite number ≥ 0"),
        (pa.table({"year": [2020], "value": ["12"]}), "value must be a finite number ≥ 0"),
    ],
)
def test_bad_series_are_refused(table: pa.Table, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        year_on_year(table)


@pytest.mark.parametrize(
    ("values", "start", "end", "problem"),
    [
        ({2015: 100.0}, None, None, "start year before an end year"),
        ({2015: 0.0, 2016: 5.0}, None, None, "growth from zero"),
        ({2015: 1.0, 2016: None, 2017: 5.0}, 2016, 2017, "no value for 2016"),
        ({2015: 1.0, 2017: 5.0}, 2015, 2019, "no value for 2019"),
        ({2015: 1.0, 2017: 5.0}, 2017, 2015, "start year before"),
        ({2015: None, 2016: None}, None, None, "start year before"),
    ],
)
def test_growth_refusals(values: dict[int, float | None], start: int | None, end: int | None, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        compound_annual_growth(series(values), start=start, end=end)


@given(st.floats(min_value=0.01, max_value=1e6), st.floats(min_value=-0.9, max_value=2), st.integers(1, 30))
def test_growth_recovers_the_rate_of_a_geometric_series(first: float, rate: float, years: int) -> None:
    values: dict[int, float | None] = {2000 + t: first * (1 + rate) ** t for t in range(years + 1)}
    assert compound_annual_growth(series(values)).value == pytest.approx(rate, abs=1e-9)


@given(st.dictionaries(st.integers(1990, 2030), st.one_of(st.none(), st.floats(0, 1e9)), min_size=1, max_size=20))
def test_a_missing_year_is_never_a_zero(values: dict[int, float | None]) -> None:
    rows = year_on_year(series(values)).to_pylist()
    assert [r["year"] for r in rows] == list(range(min(values), max(values) + 1))
    for row in rows:
        if values.get(row["year"]) is None:
            assert (row["value"], row["change"], row["status"]) == (None, None, "missing")
