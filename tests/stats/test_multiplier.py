"""Benchmark–multiplier: N = B / p with the interval from the extremes of B and p."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.stats.multiplier import benchmark_multiplier
from observatory.stats.ranges import Range


@pytest.mark.parametrize(
    ("benchmark", "proportion", "expected"),
    [
        (2000, 0.25, (8000, 8000, 8000)),
        (2000, Range(0.25, 0.2, 0.4), (8000, 5000, 10000)),
        (Range(2000, 1800, 2500), Range(0.25, 0.2, 0.4), (8000, 4500, 12500)),
        (0, 0.5, (0, 0, 0)),
        (10, 1, (10, 10, 10)),
    ],
)
def test_multiplier(benchmark: float | Range, proportion: float | Range, expected: tuple[float, ...]) -> None:
    figure = benchmark_multiplier(benchmark, proportion)
    assert (figure.value, figure.low, figure.high) == pytest.approx(expected)
    assert "unconfirmed-method" in figure.flag_codes


@pytest.mark.parametrize(
    ("benchmark", "proportion", "problem"),
    [
        (2000, 0, r"\(0, 1\]"),
        (2000, 1.5, r"\(0, 1\]"),
        (2000, -0.1, r"\(0, 1\]"),
        (2000, Range(0.25, 0.0, 0.4), "unbounded"),
        (2000, math.nan, "finite"),
        (-5, 0.5, "benchmark must be ≥ 0"),
        (1e308, 1e-10, "not a finite number"),
    ],
)
def test_refusals(benchmark: float, proportion: float | Range, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        benchmark_multiplier(benchmark, proportion)


@given(st.floats(min_value=0, max_value=1e9), st.floats(min_value=1e-6, max_value=1))
def test_estimate_times_p_is_the_benchmark(benchmark: float, p: float) -> None:
    assert benchmark_multiplier(benchmark, p).value * p == pytest.approx(benchmark, rel=1e-12)
