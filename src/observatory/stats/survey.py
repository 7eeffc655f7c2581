"""Prevalence from survey microdata (METHODS.md §4): the weighted (Hájek) proportion with a confidence interval.

Variance, two choices:
- ``design``: Taylor linearisation with PSUs sampled with replacement within strata (R survey's default, no
  finite-population correction); t quantiles with df = #PSUs − #strata. Without PSUs each respondent is one.
- ``kish``: p̂(1−p̂)/n_eff with Kish's n_eff = (Σw)²/Σw², normal quantiles (the METHODS.md worked examples).
The interval's effective n is p̂(1−p̂)/Var(p̂) for either choice (for ``kish``, n_eff itself).
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from observatory.errors import BadInput
from observatory.stats.distributions import two_sided_normal, two_sided_t
from observatory.stats.figure import Figure, Flag, FlagCode, Method
from observatory.stats.inputs import confidence_level, non_negative
from observatory.stats.proportions import korn_graubard_interval, logit_interval, wilson_interval


class Interval(StrEnum):
    WILSON = "wilson"
    LOGIT = "logit"
    KORN_GRAUBARD = "korn-graubard"


class Variance(StrEnum):
    DESIGN = "design"
    KISH = "kish"


@dataclass(frozen=True, slots=True)
class SurveyProportion:
    estimate: Figure
    observations: int
    weight_sum: float
    kish_effective_n: float
    kish_design_effect: float
    variance: float
    degrees_of_freedom: int | None


def kish_effective_n(weights: Sequence[float]) -> float:
    """(Σw)² / Σw²."""
    checked = _weights(weights)
    return math.fsum(checked) ** 2 / math.fsum(w * w for w in checked)


def kish_design_effect(weights: Sequence[float]) -> float:
    """n Σw² / (Σw)² = 1 + CV²(w)."""
    return len(weights) / kish_effective_n(weights)


def survey_proportion(
    y: Sequence[float | bool],
    weights: Sequence[float],
    *,
    strata: Sequence[Hashable] | None = None,
    psus: Sequence[Hashable] | None = None,
    interval: Interval = Interval.KORN_GRAUBARD,
    variance: Variance = Variance.DESIGN,
    confidence: float = 0.95,
) -> SurveyProportion:
    """p̂ = Σwy/Σw over respondents with y ∈ {0, 1}, weights w ≥ 0; ``strata`` and ``psus`` label each respondent."""
    confidence = confidence_level(confidence)
    outcomes, checked = _outcomes(y), _weights(weights)
    n = len(outcomes)
    for name, labels in (("weights", checked), ("strata", strata), ("psus", psus)):
        if labels is not None and len(labels) != n:
            raise BadInput(f"{name} has {len(labels)} entries for {n} outcomes", [{"field": name}])
    total = math.fsum(checked)
    p = math.fsum(w * v for w, v in zip(checked, outcomes, strict=True)) / total
    n_kish = total**2 / math.fsum(w * w for w in checked)
    if variance is Variance.KISH:
        var, df, quantile = p * (1 - p) / n_kish, None, two_sided_normal(confidence)
    else:
        var, df = _linearised(outcomes, checked, p, total, strata or [None] * n, psus or range(n))
        quantile = two_sided_t(confidence, df)
    flags = []
    effective_n = p * (1 - p) / var if var > 0 else n_kish
    if var == 0:
        flags.append(Flag(FlagCode.DEGENERATE_VARIANCE, "the variance of p̂ is 0; the interval uses Kish's n_eff"))
    low, high = _interval(interval, p, var, effective_n, quantile, n, df if df is not None else n - 1, confidence)
    method = Method(
        f"survey-proportion/{interval}/{variance}",
        f"weighted (Hájek) proportion; {interval} {confidence:.0%} interval; {_VARIANCE_TEXT[variance]}",
    )
    estimate = Figure(value=p, low=low, high=high, unit="proportion", method=method, flags=tuple(flags))
    return SurveyProportion(estimate, n, total, n_kish, n / n_kish, var, df)


_VARIANCE_TEXT = {
    Variance.DESIGN: "Taylor-linearised variance, PSUs with replacement within strata, t on #PSUs − #strata df",
    Variance.KISH: "variance p̂(1−p̂)/n_eff with Kish's effective sample size, normal quantiles",
}


def _interval(
    interval: Interval, p: float, var: float, effective_n: float, quantile: float, n: int, df: int, confidence: float
) -> tuple[float, float]:
    if interval is Interval.WILSON:
        return wilson_interval(p, effective_n, two_sided_normal(confidence))
    if interval is Interval.LOGIT:
        return logit_interval(p, math.sqrt(var), quantile)
    return korn_graubard_interval(p, effective_n, n, df, confidence)


def _linearised(
    y: list[float], weights: list[float], p: float, total: float, strata: Sequence[Hashable], psus: Sequence[Hashable]
) -> tuple[float, int]:
    """Σ_h k_h/(k_h−1) Σ_j (u_hj − ū_h)², u_hj = Σ_{i ∈ PSU hj} w_i(y_i − p̂)/Σw; df = Σ_h (k_h − 1)."""
    totals: defaultdict[Hashable, defaultdict[Hashable, float]] = defaultdict(lambda: defaultdict(float))
    for value, weight, stratum, psu in zip(y, weights, strata, psus, strict=True):
        totals[stratum][psu] += weight * (value - p) / total
    variance, df = 0.0, 0
    for stratum, units in totals.items():
        k = len(units)
        if k < 2:
            raise BadInput(
                f"stratum {stratum!r} has a single PSU, so its variance cannot be estimated; merge it with another",
                [{"field": "strata", "value": repr(stratum)}],
            )
        mean = math.fsum(units.values()) / k
        variance += k / (k - 1) * math.fsum((u - mean) ** 2 for u in units.values())
        df += k - 1
    return variance, df


def _outcomes(y: Sequence[float | bool]) -> list[float]:
    if len(y) == 0:
        raise BadInput("no respondents: y is empty", [{"field": "y"}])
    bad = [(i, v) for i, v in enumerate(y) if v not in (0, 1)]
    if bad:
        raise BadInput(
            f"y must be 0 or 1 for every respondent; respondent {bad[0][0]} has {bad[0][1]!r}",
            [{"field": "y", "row": i, "value": repr(v), "accepted": [0, 1]} for i, v in bad[:10]],
        )
    return [float(v) for v in y]


def _weights(weights: Sequence[float]) -> list[float]:
    checked = [non_negative(f"weight {i}", w) for i, w in enumerate(weights)]
    if math.fsum(checked) <= 0:
        raise BadInput("the weights sum to zero: no respondent carries weight", [{"field": "weights"}])
    return checked
