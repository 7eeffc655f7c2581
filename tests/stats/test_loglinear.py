"""Three-source log-linear capture–recapture: IRLS against a direct likelihood maximisation, AIC choice, refusals."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from observatory.errors import BadInput
from observatory.stats.loglinear import MODELS, PATTERNS, design_matrix, fit_model, three_source_loglinear


def expected_cells(n: float, pa: float, pb: float, pc: float) -> dict[str, int]:
    """Counts of each pattern when the sources are independent (exact when they come out whole)."""
    cells = {}
    for pattern in PATTERNS:
        share = 1.0
        for bit, p in zip(pattern, (pa, pb, pc), strict=True):
            share *= p if bit == "1" else 1 - p
        cells[pattern] = round(n * share)
    return cells


def direct_fit(y: np.ndarray, terms: tuple[str, ...]) -> tuple[float, float]:
    """Maximum of the Poisson likelihood by BFGS: the unobserved cell and AIC, for comparison with IRLS."""
    x = design_matrix(terms)

    def negative_log_likelihood(beta: np.ndarray) -> float:
        eta = x @ beta
        return float(np.sum(np.exp(eta) - y * eta))

    start = np.zeros(x.shape[1])
    start[0] = math.log(y.mean())
    best = optimize.minimize(negative_log_likelihood, start, method="BFGS", options={"gtol": 1e-10})
    constant = sum(math.lgamma(v + 1) for v in y)
    return math.exp(best.x[0]), 2 * x.shape[1] + 2 * (best.fun + constant)


def test_independent_sources_recover_the_population_and_choose_independence() -> None:
    result = three_source_loglinear(expected_cells(1000, 0.5, 0.5, 0.5))
    assert result.estimate.value == pytest.approx(1000)
    assert result.selected.name == "independence"
    assert result.estimate.low is not None and result.estimate.high is not None
    assert result.estimate.low < 1000 < result.estimate.high
    assert len(result.candidates) == 8 and result.estimate.flags == ()


def test_a_strong_dependence_between_two_sources_is_chosen() -> None:
    counts = {"100": 20, "010": 25, "001": 150, "110": 160, "101": 40, "011": 45, "111": 30}
    result = three_source_loglinear(counts)
    assert "AB" in result.selected.terms
    assert result.estimate.method.id == f"capture-recapture/loglinear-3/{result.selected.name}"


COUNTS = {"100": 60, "010": 40, "001": 30, "110": 7, "101": 12, "011": 9, "111": 3}


@pytest.mark.parametrize("terms", MODELS, ids=lambda terms: "+".join(terms) or "independence")
def test_irls_matches_direct_maximisation(terms: tuple[str, ...]) -> None:
    y = np.array([COUNTS[p] for p in PATTERNS], dtype=np.float64)
    model = fit_model(y, terms)
    assert model.fit is not None
    unobserved, aic = direct_fit(y, terms)
    assert model.fit.unobserved == pytest.approx(unobserved, rel=1e-4)
    assert model.fit.aic == pytest.approx(aic, rel=1e-6)


def test_the_saturated_model_fits_exactly() -> None:
    y = np.array([COUNTS[p] for p in PATTERNS], dtype=np.float64)
    model = fit_model(y, ("AB", "AC", "BC"))
    assert model.fit is not None and model.fit.deviance == pytest.approx(0, abs=1e-8)


def test_models_without_a_finite_maximum_are_left_out_and_named() -> None:
    counts = {"100": 60, "010": 40, "001": 30, "110": 0, "101": 12, "011": 9, "111": 0}
    result = three_source_loglinear(counts)
    excluded = {model.name for model in result.candidates if model.excluded}
    assert "AB" in excluded and result.selected.name not in excluded
    assert "model-excluded" in result.estimate.flag_codes
    assert math.isfinite(result.estimate.value)


@pytest.mark.parametrize(
    ("counts", "problem"),
    [
        (dict.fromkeys(PATTERNS[:-1], 1), r"missing: \['111'\]"),
        ({**dict.fromkeys(PATTERNS, 1), "000": 5}, r"unknown: \['000'\]"),
        (dict.fromkeys(PATTERNS, 0), "all capture counts are 0"),
        ({**dict.fromkeys(PATTERNS, 1), "101": -1}, "count 101 must be a whole number"),
        ({**dict.fromkeys(PATTERNS, 1), "101": 1.5}, "count 101 must be a whole number"),
        ({**dict.fromkeys(PATTERNS, 0), "100": 5}, "no log-linear model can be fitted"),
    ],
)
def test_refusals(counts: dict[str, int], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        three_source_loglinear(counts)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=7, max_size=7))
def test_any_positive_counts_give_a_finite_estimate_above_those_seen(cells: list[int]) -> None:
    counts = dict(zip(PATTERNS, cells, strict=True))
    figure = three_source_loglinear(counts).estimate
    assert figure.low is not None and figure.high is not None
    assert sum(cells) < figure.low <= figure.value <= figure.high
