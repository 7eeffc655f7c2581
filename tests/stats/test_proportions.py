"""Intervals for a proportion: Wilson, logit, Korn–Graubard (checked against Clopper–Pearson and scipy.stats)."""

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from observatory.errors import BadInput
from observatory.stats.proportions import korn_graubard_interval, logit_interval, wilson_interval

Z = 1.959963984540054


@pytest.mark.parametrize(
    ("x", "n", "expected"),
    [
        (5, 10, (0.1870860, 0.8129140)),  # R binom.test(5, 10)
        (0, 10, (0.0, 0.3084971)),  # R binom.test(0, 10)
        (10, 10, (0.6915029, 1.0)),
    ],
)
def test_korn_graubard_without_a_design_effect_is_clopper_pearson(
    x: int, n: int, expected: tuple[float, float]
) -> None:
    assert korn_graubard_interval(x / n, n, n, n - 1, 0.95) == pytest.approx(expected, abs=1e-7)


def test_korn_graubard_follows_the_survey_package_formula() -> None:
    p, variance, n, df = 0.3, 0.002, 400, 30
    n_star = p * (1 - p) / variance * (stats.t.ppf(0.025, n - 1) / stats.t.ppf(0.025, df)) ** 2
    expected = (
        stats.beta.ppf(0.025, n_star * p, n_star * (1 - p) + 1),
        stats.beta.ppf(0.975, n_star * p + 1, n_star * (1 - p)),
    )
    assert korn_graubard_interval(p, p * (1 - p) / variance, n, df, 0.95) == pytest.approx(expected, rel=1e-9)


def test_fewer_degrees_of_freedom_widen_korn_graubard() -> None:
    wide, narrow = korn_graubard_interval(0.2, 100, 500, 5, 0.95), korn_graubard_interval(0.2, 100, 500, 400, 0.95)
    assert wide[0] < narrow[0] and wide[1] > narrow[1]


@pytest.mark.parametrize("p", [5e-324, 1e-310, 1 - 1e-16])
def test_korn_graubard_near_the_edges_takes_the_limit(p: float) -> None:
    low, high = korn_graubard_interval(p, 0.5, 3, 1, 0.95)
    assert 0 <= low <= p <= high <= 1
    assert low == 0.0 if p < 0.5 else high == 1.0


def test_wilson_at_the_edges_stays_in_the_unit_interval() -> None:
    assert wilson_interval(0.0, 10, Z)[0] == 0.0
    assert wilson_interval(1.0, 10, Z)[1] == 1.0


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda: wilson_interval(1.2, 10, Z), "p must be a proportion"),
        (lambda: wilson_interval(0.5, 0, Z), "n must be"),
        (lambda: wilson_interval(math.nan, 10, Z), "p must be"),
        (lambda: logit_interval(0.0, 0.1, Z), "undefined at p̂ = 0"),
        (lambda: logit_interval(1.0, 0.1, Z), "undefined at p̂ = 1"),
        (lambda: logit_interval(0.5, -0.1, Z), "SE must be"),
        (lambda: korn_graubard_interval(0.5, 10, 1, 1, 0.95), "at least 2 observations"),
        (lambda: korn_graubard_interval(0.5, 10, 10, 0, 0.95), "degrees of freedom"),
        (lambda: korn_graubard_interval(0.5, 10, 10, 9, 1.0), "confidence"),
    ],
)
def test_refusals(call: Callable[[], object], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        call()


proportions = st.floats(min_value=0, max_value=1)
sizes = st.floats(min_value=1, max_value=1e7)


@given(proportions, sizes)
def test_wilson_contains_p_and_stays_in_0_1(p: float, n: float) -> None:
    low, high = wilson_interval(p, n, Z)
    assert 0 <= low <= p <= high <= 1


@given(st.floats(min_value=1e-6, max_value=1 - 1e-6), st.floats(min_value=0, max_value=10))
def test_logit_contains_p(p: float, se: float) -> None:
    low, high = logit_interval(p, se, Z)
    assert 0 <= low <= p <= high <= 1


@given(
    proportions, st.floats(min_value=1, max_value=1e5), st.integers(min_value=2, max_value=10_000), st.integers(1, 500)
)
def test_korn_graubard_contains_p(p: float, n_eff: float, n: int, df: int) -> None:
    low, high = korn_graubard_interval(p, n_eff, n, df, 0.95)
    assert 0 <= low <= p <= high <= 1


@given(st.floats(min_value=0.05, max_value=0.95))
def test_wilson_approaches_wald_for_large_n(p: float) -> None:
    n = 1e9
    low, high = wilson_interval(p, n, Z)
    half = Z * math.sqrt(p * (1 - p) / n)
    assert low == pytest.approx(p - half, rel=1e-6) and high == pytest.approx(p + half, rel=1e-6)
