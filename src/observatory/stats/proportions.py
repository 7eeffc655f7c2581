"""Confidence intervals for a proportion p̂ (METHODS.md §4): Wilson, logit (Wald on the logit scale), Korn–Graubard.

Each returns (low, high) within [0, 1] and around p̂. The sample size ``n`` is an effective one (Kish, or
p̂(1−p̂)/Var(p̂) for a design-based variance): the caller decides which, and says so in the figure's method.
"""

import math
import sys

from observatory.errors import BadInput
from observatory.stats.distributions import beta_quantile, two_sided_t
from observatory.stats.inputs import confidence_level, non_negative, positive, proportion


def wilson_interval(p: float, n: float, z: float) -> tuple[float, float]:
    """Centre (p̂ + z²/2n)/(1 + z²/n), half-width z√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n)."""
    p, n, z = proportion("p", p), positive("n", n), positive("z", z)
    shrink = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / shrink
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / shrink
    return _around(p, centre - half, centre + half)


def logit_interval(p: float, standard_error: float, quantile: float) -> tuple[float, float]:
    """logit(p̂) ± q·SE(p̂)/(p̂(1−p̂)), back-transformed (survey's "xlogit")."""
    p, standard_error, quantile = proportion("p", p), non_negative("SE", standard_error), positive("q", quantile)
    if p in (0.0, 1.0):
        raise BadInput(
            f"the logit interval is undefined at p̂ = {p:g} (logit is infinite); "
            "use the Wilson or Korn–Graubard interval",
            [{"field": "p", "value": p, "accepted": "0 < p < 1"}],
        )
    centre = math.log(p / (1 - p))
    half = quantile * standard_error / (p * (1 - p))
    return _around(p, _expit(centre - half), _expit(centre + half))


def korn_graubard_interval(
    p: float, effective_n: float, observations: int, degrees_of_freedom: float, confidence: float
) -> tuple[float, float]:
    """Clopper–Pearson limits at n* = n_eff·(t_{n−1}/t_df)², n_eff = p̂(1−p̂)/Var(p̂) (survey's "beta" method).

    [Beta_{α/2}(n*p̂, n*(1−p̂)+1), Beta_{1−α/2}(n*p̂+1, n*(1−p̂))], with 0 (1) as the lower (upper) limit at p̂ = 0 (1).
    """
    p, effective_n, confidence = proportion("p", p), positive("effective n", effective_n), confidence_level(confidence)
    if observations < 2:
        raise BadInput(f"the Korn–Graubard interval needs at least 2 observations, not {observations}")
    degrees_of_freedom = positive("degrees of freedom", degrees_of_freedom)
    ratio = two_sided_t(confidence, observations - 1) / two_sided_t(confidence, degrees_of_freedom)
    n_star = effective_n * ratio * ratio
    alpha = 1 - confidence
    # A shape below the smallest normal float is taken at its limit 0, where the quantile is 0 (or 1).
    low = 0.0 if n_star * p < sys.float_info.min else beta_quantile(alpha / 2, n_star * p, n_star * (1 - p) + 1)
    high = (
        1.0 if n_star * (1 - p) < sys.float_info.min else beta_quantile(1 - alpha / 2, n_star * p + 1, n_star * (1 - p))
    )
    return _around(p, low, high)


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _around(p: float, low: float, high: float) -> tuple[float, float]:
    """Clip rounding error: the limits stay in [0, 1] and on either side of p̂."""
    return min(max(low, 0.0), p), max(min(high, 1.0), p)
