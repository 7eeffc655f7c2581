"""Quasi-Poisson GLM with log link, fitted by iteratively reweighted least squares (METHODS.md §5, steps 3–6).

It follows R's ``glm.fit`` with ``family = quasipoisson(link = "log")``: start at μ = y + 0.1, at most
25 iterations, converged when |D − D_old| / (|D| + 0.1) < 1e-8 (D the deviance), step halving when the
deviance is not finite; each step solves the weighted normal equations, so the caller keeps the design
well conditioned (e.g. by centring time). The dispersion and standard errors are those of ``summary.glm``: Pearson χ²
over the residual degrees of freedom, and t tests on n − p degrees of freedom.

Matrices use the weights of the final fitted means, where R keeps those of the last iteration's start;
the two differ by less than the convergence tolerance.
"""

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats

FloatArray = NDArray[np.float64]

MAX_ITERATIONS = 25
EPSILON = 1e-8
MAX_HALVINGS = 25


@dataclass(frozen=True, slots=True, eq=False)
class QuasiPoissonFit:
    design: FloatArray
    prior_weights: FloatArray
    coefficients: FloatArray
    fitted: FloatArray
    cov_unscaled: FloatArray
    dispersion: float
    converged: bool

    @property
    def df_residual(self) -> int:
        return int(self.design.shape[0] - self.design.shape[1])

    def hat_values(self) -> FloatArray:
        """Diagonal of the hat matrix of the final weighted least-squares step (R ``hatvalues``)."""
        leverage = np.einsum("ij,jk,ik->i", self.design, self.cov_unscaled, self.design)
        return np.asarray(leverage * self.prior_weights * self.fitted, dtype=np.float64)

    def predict_link(self, row: FloatArray) -> tuple[float, float]:
        """η₀ = x₀ᵀβ and its standard error, scaled by the model's own (unfloored) dispersion."""
        eta = float(row @ self.coefficients)
        variance = float(row @ self.cov_unscaled @ row) * self.dispersion
        return eta, math.sqrt(max(variance, 0.0))

    def p_value(self, column: int) -> float:
        """Two-sided t-test p-value of one coefficient; 1 when its standard error is zero."""
        se = math.sqrt(max(float(self.cov_unscaled[column, column]) * self.dispersion, 0.0))
        if se == 0:
            return 1.0
        return float(2 * stats.t.sf(abs(float(self.coefficients[column])) / se, self.df_residual))


def fit_quasi_poisson(
    design: FloatArray, response: FloatArray, prior_weights: FloatArray | None = None
) -> QuasiPoissonFit | None:
    """Fit log E[y] = Xβ with Var y = φμ.

    After 25 iterations without convergence the last iterate is returned with ``converged`` false, as R
    does; ``None`` when no finite fit exists at all. The caller guarantees more rows than columns.
    """
    rows, columns = design.shape
    if rows <= columns:
        raise ValueError(f"a GLM with {columns} coefficients needs more than {columns} observations, got {rows}")
    weights = np.ones(rows) if prior_weights is None else prior_weights
    mu = response + 0.1
    eta = np.log(mu)
    deviance_old = _deviance(response, mu, weights)
    coefficients: FloatArray | None = None
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for _ in range(MAX_ITERATIONS):
            step = _step(design, response, weights, eta, mu, coefficients)
            if step is None:
                return None
            coefficients, eta, mu, deviance = step
            if abs(deviance - deviance_old) / (abs(deviance) + 0.1) < EPSILON:
                return _finished(design, response, weights, coefficients, mu, True)
            deviance_old = deviance
    if coefficients is None:
        return None
    return _finished(design, response, weights, coefficients, mu, False)


def _finished(
    design: FloatArray,
    response: FloatArray,
    weights: FloatArray,
    coefficients: FloatArray,
    mu: FloatArray,
    converged: bool,
) -> QuasiPoissonFit | None:
    information = design.T @ (design * (weights * mu)[:, None])
    try:
        cov_unscaled = np.asarray(np.linalg.inv(information), dtype=np.float64)
    except np.linalg.LinAlgError:
        return None
    rows, columns = design.shape
    dispersion = float(np.sum(weights * (response - mu) ** 2 / mu)) / (rows - columns)
    if not (np.all(np.isfinite(cov_unscaled)) and math.isfinite(dispersion)):
        return None
    return QuasiPoissonFit(design, weights, coefficients, mu, cov_unscaled, dispersion, converged)


def _step(
    design: FloatArray,
    response: FloatArray,
    weights: FloatArray,
    eta: FloatArray,
    mu: FloatArray,
    previous: FloatArray | None,
) -> tuple[FloatArray, FloatArray, FloatArray, float] | None:
    """One IRLS update, halved towards ``previous`` while the deviance is not finite."""
    working = eta + (response - mu) / mu
    weighted = design * (weights * mu)[:, None]
    try:
        coefficients = np.asarray(np.linalg.solve(design.T @ weighted, weighted.T @ working), dtype=np.float64)
    except np.linalg.LinAlgError:
        return None
    for _ in range(MAX_HALVINGS + 1):
        new_eta = design @ coefficients
        new_mu = np.exp(new_eta)
        deviance = _deviance(response, new_mu, weights)
        if math.isfinite(deviance) and bool(np.all(new_mu > 0)):
            return coefficients, new_eta, new_mu, deviance
        if previous is None:
            return None
        coefficients = (coefficients + previous) / 2
    return None


def _deviance(response: FloatArray, mu: FloatArray, weights: FloatArray) -> float:
    return float(
        2 * np.sum(weights * (special.xlogy(response, response) - special.xlogy(response, mu) - (response - mu)))
    )
