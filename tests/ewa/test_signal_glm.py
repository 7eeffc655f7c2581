"""The quasi-Poisson IRLS against closed forms: group means, Pearson dispersion, leverages, score equations."""

import math

import numpy as np
import pytest
from scipy import stats

from observatory.ewa.signals.glm import fit_quasi_poisson

Y = np.array([3, 5, 2, 8, 6, 4, 9, 7], dtype=np.float64)


def test_intercept_only_fits_the_mean() -> None:
    fit = fit_quasi_poisson(np.ones((len(Y), 1)), Y)
    assert fit is not None
    mean = Y.mean()
    assert fit.fitted == pytest.approx(np.full(len(Y), mean))
    assert fit.dispersion == pytest.approx(np.sum((Y - mean) ** 2 / mean) / (len(Y) - 1))
    assert fit.hat_values() == pytest.approx(np.full(len(Y), 1 / len(Y)))
    eta, se = fit.predict_link(np.array([1.0]))
    assert eta == pytest.approx(math.log(mean))
    assert se == pytest.approx(math.sqrt(fit.dispersion / Y.sum()))


def test_group_indicator_fits_group_means() -> None:
    group = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=np.float64)
    fit = fit_quasi_poisson(np.column_stack([np.ones(8), group]), Y)
    assert fit is not None
    assert fit.fitted[:4] == pytest.approx(np.full(4, Y[:4].mean()))
    assert fit.fitted[4:] == pytest.approx(np.full(4, Y[4:].mean()))


def test_weighted_trend_solves_the_score_equations_and_t_test() -> None:
    time = np.arange(8, dtype=np.float64) - 4
    design = np.column_stack([np.ones(8), time])
    weights = np.array([1.0, 0.5, 1.2, 1.0, 0.3, 1.0, 2.0, 1.0])
    fit = fit_quasi_poisson(design, Y, weights)
    assert fit is not None
    assert design.T @ (weights * (Y - fit.fitted)) == pytest.approx(np.zeros(2), abs=1e-6)
    dispersion = np.sum(weights * (Y - fit.fitted) ** 2 / fit.fitted) / 6
    assert fit.dispersion == pytest.approx(dispersion)
    se = math.sqrt(fit.dispersion * fit.cov_unscaled[1, 1])
    assert fit.p_value(1) == pytest.approx(2 * stats.t.sf(abs(fit.coefficients[1]) / se, 6))
    assert fit.hat_values().sum() == pytest.approx(2)


def test_all_zero_response_converges_to_a_tiny_mean() -> None:
    fit = fit_quasi_poisson(np.ones((30, 1)), np.zeros(30))
    assert fit is not None
    assert fit.converged and 0 < fit.fitted[0] < 1e-8


def test_too_few_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="needs more than 2"):
        fit_quasi_poisson(np.ones((2, 2)), np.ones(2))
