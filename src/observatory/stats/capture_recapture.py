"""Two-source capture–recapture (METHODS.md §4 [C]; cran/FSA R/mrClosed.R, Seber 2002 p. 60).

n₁ people in source 1, n₂ in source 2, m in both. Lincoln–Petersen N̂ = n₁n₂/m; Chapman
N̂ = (n₁+1)(n₂+1)/(m+1) − 1 with Var = (n₁+1)(n₂+1)(n₁−m)(n₂−m) / ((m+1)²(m+2)).
Chapman intervals follow FSA's ``confint``: ``normal`` N̂ ± z·SE; ``binomial`` a Wilson interval for
(m+1)/(n₂+1) turned into (n₁+1)/limit − 1; ``poisson`` an exact Poisson interval for m, plus 1, put back into
the estimator; ``suggested`` picks binomial if m/n₂ > 0.10, else normal if m > 50, else Poisson (Krebs 1989).
A lower limit below the n₁ + n₂ − m people actually seen is raised to that number and flagged.
"""

import math
from enum import StrEnum

from observatory.errors import BadInput
from observatory.stats.distributions import chi2_quantile, two_sided_normal
from observatory.stats.figure import Figure, Flag, FlagCode, Method
from observatory.stats.inputs import computed, confidence_level, count
from observatory.stats.proportions import wilson_interval


class ChapmanInterval(StrEnum):
    SUGGESTED = "suggested"
    NORMAL = "normal"
    BINOMIAL = "binomial"
    POISSON = "poisson"


def lincoln_petersen(n1: int, n2: int, m: int) -> Figure:
    n1, n2, m = _counts(n1, n2, m)
    if m == 0:
        raise BadInput(
            f"no one appears in both sources (m = 0): the Lincoln–Petersen estimate n₁n₂/m is infinite; "
            f"use the Chapman estimator, which is defined at m = 0 (n₁ = {n1}, n₂ = {n2})",
            [{"field": "m", "value": 0, "accepted": "m ≥ 1"}],
        )
    method = Method("capture-recapture/lincoln-petersen", "Lincoln–Petersen estimate n₁n₂/m (no interval)")
    return Figure(value=computed("N", n1 * n2 / m), unit="persons", method=method)


def chapman_variance(n1: int, n2: int, m: int) -> float:
    n1, n2, m = _counts(n1, n2, m)
    return (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))


def chapman(
    n1: int, n2: int, m: int, *, interval: ChapmanInterval = ChapmanInterval.SUGGESTED, confidence: float = 0.95
) -> Figure:
    n1, n2, m = _counts(n1, n2, m)
    confidence = confidence_level(confidence)
    estimate = computed("N", (n1 + 1) * (n2 + 1) / (m + 1) - 1)
    chosen = _suggested(n2, m) if interval is ChapmanInterval.SUGGESTED else interval
    if chosen is ChapmanInterval.NORMAL:
        half = two_sided_normal(confidence) * math.sqrt(chapman_variance(n1, n2, m))
        low, high = estimate - half, estimate + half
    elif chosen is ChapmanInterval.BINOMIAL:
        p_low, p_high = wilson_interval((m + 1) / (n2 + 1), n2 + 1, two_sided_normal(confidence))
        low, high = (n1 + 1) / p_high - 1, (n1 + 1) / p_low - 1
    else:
        m_low, m_high = _poisson_exact(m, confidence)
        low, high = (n1 + 1) * (n2 + 1) / (m_high + 1) - 1, (n1 + 1) * (n2 + 1) / (m_low + 1) - 1
    seen = n1 + n2 - m
    flags = []
    if low < seen:
        flags.append(Flag(FlagCode.INTERVAL_TRUNCATED, f"lower limit {low:.6g} raised to the {seen} people observed"))
        low = float(seen)
    method = Method(
        f"capture-recapture/chapman/{chosen}",
        f"Chapman estimate with Seber's variance; {chosen} {confidence:.0%} interval (FSA mrClosed rules)",
    )
    return Figure(
        value=estimate,
        low=min(low, estimate),
        high=max(computed("upper limit", high), estimate),
        unit="persons",
        method=method,
        flags=tuple(flags),
    )


def _suggested(n2: int, m: int) -> ChapmanInterval:
    if n2 > 0 and m / n2 > 0.10:
        return ChapmanInterval.BINOMIAL
    return ChapmanInterval.NORMAL if m > 50 else ChapmanInterval.POISSON


def _poisson_exact(m: int, confidence: float) -> tuple[float, float]:
    alpha = 1 - confidence
    low = 0.0 if m == 0 else chi2_quantile(alpha / 2, 2 * m) / 2
    return low, chi2_quantile(1 - alpha / 2, 2 * m + 2) / 2


def _counts(n1: int, n2: int, m: int) -> tuple[int, int, int]:
    n1, n2, m = count("n1", n1), count("n2", n2), count("m", m)
    if m > min(n1, n2):
        raise BadInput(
            f"m = {m} people in both sources cannot exceed either source (n₁ = {n1}, n₂ = {n2})",
            [{"field": "m", "value": m, "accepted": f"0 ≤ m ≤ {min(n1, n2)}"}],
        )
    return n1, n2, m
