"""Two-source capture–recapture: Lincoln–Petersen, Chapman with FSA's interval rules."""

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from observatory.errors import BadInput
from observatory.stats.capture_recapture import ChapmanInterval, chapman, chapman_variance, lincoln_petersen
from observatory.stats.proportions import wilson_interval

Z = 1.959963984540054


@pytest.mark.parametrize(
    ("n1", "n2", "m", "chosen"),
    [
        (100, 80, 20, "binomial"),  # m/n₂ = 0.25 > 0.10
        (1000, 800, 60, "normal"),  # m/n₂ = 0.075, m > 50
        (1000, 800, 20, "poisson"),
        (10, 0, 0, "poisson"),
    ],
)
def test_suggested_interval_follows_fsa(n1: int, n2: int, m: int, chosen: str) -> None:
    assert chapman(n1, n2, m).method.id == f"capture-recapture/chapman/{chosen}"


def test_normal_interval_is_estimate_plus_minus_z_se() -> None:
    figure = chapman(100, 80, 20, interval=ChapmanInterval.NORMAL)
    half = Z * math.sqrt(4047.495361781076)
    assert (figure.low, figure.high) == pytest.approx((388.5714285714 - half, 388.5714285714 + half))


def test_binomial_interval_inverts_a_wilson_interval_for_m_plus_1_over_n2_plus_1() -> None:
    p_low, p_high = wilson_interval(21 / 81, 81, Z)
    figure = chapman(100, 80, 20, interval=ChapmanInterval.BINOMIAL)
    assert (figure.low, figure.high) == pytest.approx((101 / p_high - 1, 101 / p_low - 1))
    assert (figure.low, figure.high) == pytest.approx((276.43938, 571.96646), abs=1e-4)


def test_poisson_interval_puts_exact_limits_for_m_into_the_estimator() -> None:
    m_low, m_high = stats.chi2.ppf(0.025, 40) / 2, stats.chi2.ppf(0.975, 42) / 2
    figure = chapman(1000, 800, 20, interval=ChapmanInterval.POISSON)
    assert (figure.low, figure.high) == pytest.approx((1001 * 801 / (m_high + 1) - 1, 1001 * 801 / (m_low + 1) - 1))


def test_a_lower_limit_below_the_people_seen_is_raised_and_flagged() -> None:
    figure = chapman(50, 50, 45, interval=ChapmanInterval.NORMAL)
    assert figure.low == 55
    assert "interval-truncated" in figure.flag_codes


def test_chapman_is_defined_without_overlap() -> None:
    figure = chapman(100, 80, 0)
    assert figure.value == pytest.approx(101 * 81 - 1)
    assert figure.low is not None and figure.low >= 180


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda: lincoln_petersen(100, 80, 0), r"no one appears in both sources \(m = 0\).*use the Chapman"),
        (lambda: lincoln_petersen(100, 80, 81), "cannot exceed"),
        (lambda: chapman(10, 80, 20), "cannot exceed"),
        (lambda: chapman(-1, 80, 0), "n1 must be a whole number"),
        (lambda: chapman(10, 8.5, 0), "n2 must be a whole number"),  # type: ignore[arg-type]
        (lambda: chapman(10, 8, True), "m must be a whole number"),
        (lambda: chapman(10, 8, 2, confidence=0), "confidence"),
        (lambda: chapman_variance(1, 1, 2), "cannot exceed"),
    ],
)
def test_refusals(call: Callable[[], object], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        call()


samples = st.tuples(st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 5000)).map(
    lambda t: (t[0], t[1], min(t[2], t[0], t[1]))
)


@given(samples, st.sampled_from(list(ChapmanInterval)))
def test_chapman_is_never_below_the_people_seen_and_its_interval_holds_it(
    counts: tuple[int, int, int], interval: ChapmanInterval
) -> None:
    n1, n2, m = counts
    figure = chapman(n1, n2, m, interval=interval)
    assert figure.low is not None and figure.high is not None
    assert n1 + n2 - m <= figure.low <= figure.value <= figure.high


@given(samples.filter(lambda t: t[2] > 0))
def test_lincoln_petersen_times_m_is_n1_n2(counts: tuple[int, int, int]) -> None:
    n1, n2, m = counts
    assert lincoln_petersen(n1, n2, m).value * m == pytest.approx(n1 * n2)
