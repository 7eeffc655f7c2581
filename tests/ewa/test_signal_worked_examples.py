"""Every worked example of METHODS.md §5, then the reference values of R ``surveillance``'s own tests."""

import math
from datetime import date

import numpy as np
import pytest

from observatory.ewa.signals import CountSeries, CusumConfig, Frequency, cusum, ears
from observatory.ewa.signals.farrington import anscombe_weights
from observatory.ewa.signals.threshold import (
    PowerTransform,
    ThresholdMethod,
    delta_threshold,
    exceedance_score,
    link_threshold,
    negative_binomial_threshold,
    z_value,
)

MONDAY = date(2024, 1, 1)


def weekly(*counts: int) -> CountSeries:
    return CountSeries(Frequency.WEEKLY, MONDAY, counts)


@pytest.mark.parametrize(
    ("residuals", "threshold", "weights"),
    [
        ((0.5, 1.0, 3.0, -0.2), 2.58, (1.2857, 1.2857, 0.1429, 1.2857)),  # METHODS.md §5
        ((0,) * 10, 0.0, (1.0,) * 10),  # surveillance: "gamma = 1 if everything below the threshold"
        ((0,) * 5 + (2,) * 5, 0.0, (1.6,) * 5 + (0.4,) * 5),  # surveillance: "checked by hand"
    ],
)
def test_anscombe_weights(residuals: tuple[float, ...], threshold: float, weights: tuple[float, ...]) -> None:
    got = anscombe_weights(np.array(residuals, dtype=np.float64), threshold)
    assert got == pytest.approx(weights, abs=5e-5)
    assert got.sum() == pytest.approx(len(residuals))


@pytest.mark.parametrize(
    ("alpha", "two_sided", "z"),
    [(0.05, False, 1.6449), (0.05, True, 1.9600), (0.001, False, 3.0902), (0.025, False, 1.9600)],
)
def test_z_values(alpha: float, two_sided: bool, z: float) -> None:
    assert z_value(alpha, two_sided) == pytest.approx(z, abs=5e-5)


@pytest.mark.parametrize(
    ("two_sided", "upper"),
    [(False, 17.2553), (True, 18.7890)],  # METHODS.md §5: μ₀=10, φ=1.5, se=1, α=0.05
)
def test_delta_threshold(two_sided: bool, upper: float) -> None:
    assert delta_threshold(10, 1, 1.5, 0.05, "2/3", two_sided) == pytest.approx(upper, abs=5e-5)


def test_delta_intermediates_match_the_worked_example() -> None:
    tau = 1.5 + 1**2 / 10
    spread = math.sqrt(4 / 9 * 10 ** (1 / 3) * tau)
    assert (tau, spread) == pytest.approx((1.6, 1.23776), abs=5e-6)
    assert (10 ** (2 / 3) + z_value(0.05) * spread) ** 1.5 == pytest.approx(delta_threshold(10, 1, 1.5, 0.05))


def test_delta_score_of_twenty_alarms() -> None:
    score = exceedance_score(20, 10, delta_threshold(10, 1, 1.5, 0.05))
    assert score == pytest.approx(1.3783, abs=5e-5)
    assert score is not None and score > 1


@pytest.mark.parametrize(("phi", "upper"), [(1.5, 17.0), (1.0, 15.0)])  # METHODS.md §5: μ*=10
def test_negative_binomial_plugin_threshold(phi: float, upper: float) -> None:
    assert negative_binomial_threshold(10, phi, 0.05) == upper
    assert link_threshold(math.log(10), 0.3, phi, 0.05, "nbPlugin") == upper


def test_negative_binomial_parameters_of_the_worked_example() -> None:
    size, prob = 10 / (1.5 - 1), 1 / 1.5
    assert (size, prob) == pytest.approx((20, 2 / 3))
    assert size * (1 - prob) / prob == pytest.approx(10)


@pytest.mark.parametrize(
    ("last", "alarm"),
    [(12, True), (11, False)],  # METHODS.md §5: baseline 2 … 8 → ȳ = 5, sd = 2.16025, U = 11.6757
)
def test_ears_c1_worked_example(last: int, alarm: bool) -> None:
    (row,) = ears(weekly(2, 3, 4, 5, 6, 7, 8, last)).periods
    assert row.expected == pytest.approx(5)
    assert row.statistic == pytest.approx((last - 5) / 2.16025, abs=1e-5)
    assert row.upper_bound == pytest.approx(11.6757, abs=5e-5)
    assert row.alarm is alarm


@pytest.mark.parametrize(
    ("counts", "config", "start"),
    [((4, 8, 9, 4), CusumConfig(m=4), None), ((4, 4, 4, 8, 9, 4), CusumConfig(), 2)],  # m given, or the prior mean
)
def test_cusum_worked_example(counts: tuple[int, ...], config: CusumConfig, start: int | None) -> None:
    """METHODS.md §5: m = 4, x = (4, 8, 9, 4) → S = (0, 0.96, 2.42, 1.38), alarm at t = 3 only."""
    rows = cusum(weekly(*counts), config, start=start).periods
    assert [row.statistic for row in rows] == pytest.approx([0, 0.96, 2.42, 1.38])
    assert [row.alarm for row in rows] == [False, False, True, False]


@pytest.mark.parametrize(
    ("power", "upper", "score"),
    [("none", 8.6926872, 0.8124165), ("1/2", 9.3744842, 0.6857951), ("2/3", 9.1154825, 0.7289546)],
)
def test_delta_threshold_matches_surveillance_tests(power: PowerTransform, upper: float, score: float) -> None:
    """tests/testthat/test-farringtonFlexible.R: predFit 5, se 0.2, φ 1, α 0.05, y 8."""
    got = delta_threshold(5, 0.2, 1.0, 0.05, power)
    assert got == pytest.approx(upper, abs=1e-6)
    assert exceedance_score(8, 5, got) == pytest.approx(score, abs=1e-6)


@pytest.mark.parametrize(
    ("method", "phi", "upper", "score"),
    [("muan", 1.5, 24, 0.4193982), ("muan", 1.0, 22, 0.4605347), ("nbPlugin", 1.5, 10, 1.11918153),
     ("nbPlugin", 1.0, 9, 1.27061541)],
)  # fmt: skip
def test_link_threshold_matches_surveillance_tests(
    method: ThresholdMethod, phi: float, upper: int, score: float
) -> None:
    """tests/testthat/test-farringtonFlexible.R: η₀ = log 5, se = log 2, α 0.05, y 11 (score on the link scale)."""
    got = link_threshold(math.log(5), math.log(2), phi, 0.05, method)
    assert got == upper
    assert exceedance_score(11, math.log(5), upper) == pytest.approx(score, abs=1e-6)
