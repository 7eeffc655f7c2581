"""Prices: typical/min/max, price per pure gram, retail-to-wholesale ratio."""

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.stats.prices import price_range, pure_gram_price, retail_wholesale_ratio
from observatory.stats.ranges import Range


@pytest.mark.parametrize(
    ("observations", "expected"),
    [([50.0], Range(50, 50, 50)), ([40, 60, 100], Range(60, 40, 100)), ([40, 60, 80, 100], Range(70, 40, 100))],
)
def test_price_range_is_median_min_max(observations: list[float], expected: Range) -> None:
    assert price_range(observations) == expected


def test_pure_gram_price_divides_by_purity_taking_extremes() -> None:
    figure = pure_gram_price(Range(60, 40, 100), Range(0.5, 0.2, 0.8), currency="USD")
    assert (figure.value, figure.low, figure.high) == pytest.approx((120, 50, 500))
    assert figure.unit == "USD per pure gram"


def test_retail_wholesale_ratio_puts_both_prices_per_kilogram() -> None:
    figure = retail_wholesale_ratio(Range(60, 40, 100), Range(20_000, 15_000, 30_000))
    assert (figure.value, figure.low, figure.high) == pytest.approx((3, 40_000 / 30_000, 100_000 / 15_000))


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda: price_range([]), "no price observations"),
        (lambda: price_range([10, -1]), "price 1"),
        (lambda: pure_gram_price(Range(60, 40, 100), Range(50, 20, 80), currency="USD"), "divide a percentage"),
        (lambda: pure_gram_price(Range(60, 40, 100), Range(0.5, 0, 0.8), currency="USD"), "purity must be >"),
        (lambda: pure_gram_price(Range(60, 0, 100), Range.point(0.5), currency="USD"), "price per gram must be >"),
        (lambda: retail_wholesale_ratio(Range.point(60), Range(1, 0, 2)), "wholesale"),
        (lambda: Range(5, 6, 7), "low ≤ best ≤ high"),
    ],
)
def test_refusals(call: Callable[[], object], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        call()


@given(st.floats(min_value=0.01, max_value=1e5), st.floats(min_value=0.001, max_value=1))
def test_a_pure_gram_never_costs_less_than_a_bulk_gram(price: float, purity: float) -> None:
    assert pure_gram_price(Range.point(price), Range.point(purity), currency="EUR").value >= price
