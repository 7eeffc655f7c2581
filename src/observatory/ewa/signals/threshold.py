"""Farrington upper thresholds and exceedance score (METHODS.md §5, steps 7–8).

``delta`` works on the response scale with a power transformation (Farrington et al. 1996);
``nbPlugin`` and ``muan`` are Noufaily et al.'s negative-binomial quantiles on the link scale.
"""

import math
from typing import Literal

from scipy import stats

ThresholdMethod = Literal["delta", "nbPlugin", "muan"]
PowerTransform = Literal["2/3", "1/2", "none"]

_EXPONENT: dict[PowerTransform, float] = {"2/3": 2 / 3, "1/2": 1 / 2, "none": 1.0}
#: Largest η for which exp(η) is a finite double.
_MAX_ETA = math.log(1.7e308)


def z_value(alpha: float, two_sided: bool = False) -> float:
    """z₁₋α (one-sided, farringtonFlexible) or z₁₋α/₂ (two-sided, classic ``algo.farrington``)."""
    return float(stats.norm.ppf(1 - alpha / 2 if two_sided else 1 - alpha))


def delta_threshold(
    mu0: float, se: float, phi: float, alpha: float, power: PowerTransform = "2/3", two_sided: bool = False
) -> float:
    """U = (μ₀ᵉ + z·σ)^(1/e), σ from τ = φ + se²/μ₀ (se on the response scale).

    σ is √(4/9·μ₀^(1/3)·τ) for e = 2/3, √(τ/4) for e = 1/2 and √(μ₀τ) without transformation.
    """
    tau = phi + (se * se / mu0 if mu0 > 0 else 0.0)
    exponent = _EXPONENT[power]
    spread = {
        "2/3": math.sqrt(4 / 9 * mu0 ** (1 / 3) * tau),
        "1/2": math.sqrt(tau / 4),
        "none": math.sqrt(mu0 * tau),
    }[power]
    return float((mu0**exponent + z_value(alpha, two_sided) * spread) ** (1 / exponent))


def negative_binomial_threshold(mu: float, phi: float, alpha: float) -> float:
    """The (1 − α) quantile of NB(size = μ/(φ − 1), prob = 1/φ), or of Poisson(μ) when φ = 1."""
    if mu <= 0:
        return 0.0
    if phi > 1:
        return float(stats.nbinom.ppf(1 - alpha, mu / (phi - 1), 1 / phi))
    return float(stats.poisson.ppf(1 - alpha, mu))


def link_threshold(eta0: float, se_eta: float, phi: float, alpha: float, method: ThresholdMethod) -> float | None:
    """``nbPlugin`` (μ* = exp η₀) or ``muan`` (μ* = exp(η₀ + z₁₋α·se_η)); ``None`` when μ* overflows."""
    eta = eta0 if method == "nbPlugin" else eta0 + z_value(alpha) * se_eta
    if eta > _MAX_ETA:
        return None
    return negative_binomial_threshold(math.exp(eta), phi, alpha)


def exceedance_score(observed: float, fit: float, upper: float) -> float | None:
    """X = (y₀ − fit)/(U − fit); ``None`` when U equals the fit."""
    if upper == fit:
        return None
    return (observed - fit) / (upper - fit)
