"""Three-source capture–recapture by Poisson log-linear models (Fienberg 1972), fitted by IRLS.

The 7 observed cells, keyed by capture pattern ("100" = in source A only, "111" = in all three), are fitted
with log μ = main effects plus a subset of the two-way interactions AB, AC, BC (8 models, independence to all
three; the three-way interaction is assumed absent). The unobserved cell "000" is exp(intercept);
N̂ = observed + exp(β₀). Interval: Wald on the log of the unobserved cell, exp(β₀ ± z·SE(β₀)), plus observed.
The model with the smallest AIC = 2k − 2ℓ is chosen (ties: fewer parameters). A model whose maximum-likelihood
estimate does not exist (a fitted cell driven to 0 by zero counts) or does not converge is left out and named.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from observatory.errors import BadInput
from observatory.stats.distributions import two_sided_normal
from observatory.stats.figure import Figure, Flag, FlagCode, Method
from observatory.stats.inputs import confidence_level, count

PATTERNS = ("100", "010", "001", "110", "101", "011", "111")
INTERACTIONS = {"AB": (0, 1), "AC": (0, 2), "BC": (1, 2)}
MODELS = tuple(terms for size in range(4) for terms in combinations(INTERACTIONS, size))
MAX_ITERATIONS = 100
TOLERANCE = 1e-10
#: A fitted cell below this is numerically zero: the likelihood has no finite maximum for this model.
ZERO_FIT = 1e-8

Vector = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Fit:
    aic: float
    deviance: float
    unobserved: float
    log_unobserved_se: float


@dataclass(frozen=True, slots=True)
class ModelFit:
    """One candidate model: its fit, or why it was left out."""

    terms: tuple[str, ...]
    parameters: int
    fit: Fit | None = None
    excluded: str | None = None

    @property
    def name(self) -> str:
        return "+".join(self.terms) or "independence"


@dataclass(frozen=True, slots=True)
class LogLinearEstimate:
    estimate: Figure
    selected: ModelFit
    candidates: tuple[ModelFit, ...]


def three_source_loglinear(counts: Mapping[str, int], *, confidence: float = 0.95) -> LogLinearEstimate:
    y = _cells(counts)
    confidence = confidence_level(confidence)
    fits = tuple(fit_model(y, terms) for terms in MODELS)
    usable = [(model, model.fit) for model in fits if model.fit is not None]
    if not usable:
        reasons = "; ".join(f"{model.name}: {model.excluded}" for model in fits)
        raise BadInput(f"no log-linear model can be fitted to these counts ({reasons})", [{"field": "counts"}])
    best, fit = min(usable, key=lambda pair: (pair[1].aic, pair[0].parameters))
    observed = float(y.sum())
    half = two_sided_normal(confidence) * fit.log_unobserved_se
    log_missing = math.log(fit.unobserved)
    left_out = {model.excluded: [m.name for m in fits if m.excluded == model.excluded] for model in fits}
    flags = tuple(
        Flag(FlagCode.MODEL_EXCLUDED, f"left out {', '.join(names)}: {reason}")
        for reason, names in left_out.items()
        if reason
    )
    method = Method(
        f"capture-recapture/loglinear-3/{best.name}",
        f"Poisson log-linear model ({best.name}) on 3 sources, chosen by AIC among {len(usable)} models; "
        f"Wald {confidence:.0%} interval on the log of the unobserved cell",
    )
    estimate = Figure(
        value=observed + fit.unobserved,
        low=observed + _bounded_exp(log_missing - half),
        high=observed + _bounded_exp(log_missing + half),
        unit="persons",
        method=method,
        flags=flags,
    )
    return LogLinearEstimate(estimate, best, fits)


def design_matrix(terms: tuple[str, ...]) -> Vector:
    rows = []
    for pattern in PATTERNS:
        bits = [float(bit) for bit in pattern]
        rows.append([1.0, *bits, *(bits[INTERACTIONS[t][0]] * bits[INTERACTIONS[t][1]] for t in terms)])
    return np.array(rows, dtype=np.float64)


def fit_model(y: Vector, terms: tuple[str, ...]) -> ModelFit:
    x = design_matrix(terms)
    parameters = x.shape[1]
    fitted = _irls(x, y)
    if isinstance(fitted, str):
        return ModelFit(terms, parameters, excluded=fitted)
    beta, mu, covariance = fitted
    if beta[0] > math.log(np.finfo(np.float64).max) / 2:
        return ModelFit(terms, parameters, excluded="the unobserved cell is unbounded")
    log_likelihood = float(np.sum(_xlogy(y, mu) - mu) - sum(math.lgamma(v + 1) for v in y))
    fit = Fit(
        aic=2 * parameters - 2 * log_likelihood,
        deviance=_deviance(y, mu),
        unobserved=math.exp(beta[0]),
        log_unobserved_se=math.sqrt(max(float(covariance[0, 0]), 0.0)),
    )
    return ModelFit(terms, parameters, fit)


def _irls(x: Vector, y: Vector) -> tuple[Vector, Vector, Vector] | str:
    """β, fitted μ and (XᵀWX)⁻¹ of the Poisson GLM with log link, or why there is no finite fit."""
    with np.errstate(all="ignore"):
        return _iterate(x, y)


def _iterate(x: Vector, y: Vector) -> tuple[Vector, Vector, Vector] | str:
    mu = y + 0.5
    eta = np.log(mu)
    deviance = math.inf
    for _ in range(MAX_ITERATIONS):
        weighted = x.T * mu
        try:
            beta = np.asarray(np.linalg.solve(weighted @ x, weighted @ (eta + (y - mu) / mu)), dtype=np.float64)
        except np.linalg.LinAlgError:
            return "the information matrix is singular"
        eta = x @ beta
        if np.max(eta) > 700:
            return "fitted counts overflow"
        mu = np.exp(eta)
        previous, deviance = deviance, _deviance(y, mu)
        if not math.isfinite(deviance):
            return "IRLS diverged"
        if abs(deviance - previous) < TOLERANCE * (abs(deviance) + 0.1):
            break
    else:
        return f"IRLS did not converge in {MAX_ITERATIONS} iterations"
    if np.min(mu) < ZERO_FIT:
        return "a fitted cell is numerically 0: zero counts leave the likelihood without a finite maximum"
    return beta, mu, np.asarray(np.linalg.inv((x.T * mu) @ x), dtype=np.float64)


def _deviance(y: Vector, mu: Vector) -> float:
    return float(2 * np.sum(_xlogy(y, y) - _xlogy(y, mu) - (y - mu)))


def _xlogy(a: Vector, b: Vector) -> Vector:
    safe = np.where(a > 0, b, 1.0)
    return np.where(a > 0, a * np.log(safe), 0.0)


def _bounded_exp(value: float) -> float:
    if value > math.log(np.finfo(np.float64).max):
        raise BadInput("the upper limit of the unobserved cell overflows; the counts support no finite interval")
    return math.exp(value)


def _cells(counts: Mapping[str, int]) -> Vector:
    unknown = sorted(set(counts) - set(PATTERNS))
    missing = [pattern for pattern in PATTERNS if pattern not in counts]
    if unknown or missing:
        raise BadInput(
            f"give a count for each of the 7 observed capture patterns {', '.join(PATTERNS)} "
            f"(missing: {missing or 'none'}; unknown: {unknown or 'none'})",
            [{"field": "counts", "missing": missing, "unknown": unknown, "accepted": list(PATTERNS)}],
        )
    cells = np.array([count(f"count {p}", counts[p]) for p in PATTERNS], dtype=np.float64)
    if cells.sum() == 0:
        raise BadInput("all capture counts are 0: there is no one to estimate from", [{"field": "counts"}])
    return cells
