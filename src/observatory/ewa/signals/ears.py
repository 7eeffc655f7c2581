"""EARS C1, C2 and C3, as R ``surveillance::earsC`` (METHODS.md §5).

C1 compares yₜ with the mean and standard deviation (n − 1) of the 7 preceding periods; C2 does the
same with a 2-period guard (yₜ₋₉ … yₜ₋₃). C3 as coded in ``surveillance`` [C] takes the C2 statistics
c = (y − ȳ)/σ of the two previous periods, Uₜ = max(0, yₜ + σₜ(z − Σ max(0, c − 1))), and alarms when
yₜ > Uₜ: the current period does not enter, so C3 answers a spike one or two periods late. The CDC
definition C3ₜ = Σ over t − 2 … t of max(0, cᵢ − 1), alarm when C3ₜ > z, is [U] and available as
``c3_variant="cdc"`` with ``source_confirmed`` false.

With σ = 0 (and ``min_sigma`` 0) the standardised statistic is not reported; a count above a flat
baseline counts as an infinite excess.
"""

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from observatory.errors import BadInput
from observatory.ewa.signals.glm import FloatArray
from observatory.ewa.signals.result import Detection, PeriodResult, finite
from observatory.ewa.signals.series import CountSeries
from observatory.ewa.signals.threshold import z_value

EarsMethod = Literal["C1", "C2", "C3"]
C3Variant = Literal["surveillance", "cdc"]

_GUARD: dict[EarsMethod, int] = {"C1": 0, "C2": 2, "C3": 2}
_EXTRA_HISTORY: dict[EarsMethod, int] = {"C1": 0, "C2": 2, "C3": 4}


@dataclass(frozen=True, slots=True)
class EarsConfig:
    """``earsC`` control options [C]; ``alpha`` defaults to 0.001 for C1 and C2, 0.025 for C3."""

    method: EarsMethod = "C1"
    baseline: int = 7
    min_sigma: float = 0.0
    alpha: float | None = None
    c3_variant: C3Variant = "surveillance"

    def __post_init__(self) -> None:
        if self.baseline < 3:
            raise BadInput(f"EARS baseline must be at least 3 periods, not {self.baseline}")
        if self.min_sigma < 0:
            raise BadInput(f"EARS min_sigma must be ≥ 0, not {self.min_sigma}")
        if self.alpha is not None and not 0 < self.alpha < 1:
            raise BadInput(f"EARS alpha must lie between 0 and 1, not {self.alpha}")

    @property
    def level(self) -> float:
        if self.alpha is not None:
            return self.alpha
        return 0.025 if self.method == "C3" else 0.001

    @property
    def source_confirmed(self) -> bool:
        return not (self.method == "C3" and self.c3_variant == "cdc")


C1 = EarsConfig("C1")
C2 = EarsConfig("C2")
C3 = EarsConfig("C3")


@dataclass(frozen=True, slots=True)
class _Baseline:
    mean: float
    sigma: float

    def standardised(self, value: float) -> float:
        if self.sigma > 0:
            return (value - self.mean) / self.sigma
        return 0.0 if value <= self.mean else math.inf


@dataclass(frozen=True, slots=True, eq=False)
class _Windows:
    """Mean and spread max(sd, min_sigma) of each period's baseline window; NaN where a count is missing."""

    mean: FloatArray
    sigma: FloatArray

    @classmethod
    def of(cls, y: FloatArray, config: EarsConfig) -> "_Windows":
        lead = np.full(config.baseline + _GUARD[config.method], np.nan)
        windows = sliding_window_view(y, config.baseline)[: len(y) - len(lead)]
        mean = np.concatenate([lead, windows.mean(axis=1)])
        sigma = np.concatenate([lead, np.maximum(windows.std(axis=1, ddof=1), config.min_sigma)])
        return cls(mean, sigma)

    def at(self, now: int) -> _Baseline | None:
        if np.isnan(self.mean[now]):
            return None
        return _Baseline(float(self.mean[now]), float(self.sigma[now]))


def ears(series: CountSeries, config: EarsConfig = C1, *, start: int | None = None) -> Detection:
    """Assess every period from ``start`` (default: the first with enough history) to the end."""
    first = config.baseline + _EXTRA_HISTORY[config.method]
    if len(series) <= first:
        raise BadInput(
            f"series too short: {len(series)} periods; EARS {config.method} with baseline {config.baseline} "
            f"needs at least {first + 1}",
            [{"periods": len(series), "needed": first + 1}],
        )
    if start is not None and not first <= start < len(series):
        raise BadInput(f"EARS {config.method} can assess periods {first} to {len(series) - 1}, not {start}")
    y = series.values()
    windows, z = _Windows.of(y, config), z_value(config.level)
    periods = range(first if start is None else start, len(series))
    if config.method == "C3":
        rows = tuple(_c3(series, y, windows, now, config.c3_variant, z) for now in periods)
    else:
        rows = tuple(_c1_c2(series, windows, now, z) for now in periods)
    parameters = {**asdict(config), "alpha": config.level}
    return Detection(f"ears-{config.method.lower()}", series.key, parameters, config.source_confirmed, rows)


def _c1_c2(series: CountSeries, windows: _Windows, now: int, z: float) -> PeriodResult:
    period, observed = series.period(now), series.counts[now]
    reference = windows.at(now)
    if reference is None:
        return PeriodResult(period, observed, None, None, None, False, "baseline has unreported periods")
    upper = reference.mean + z * reference.sigma
    if observed is None:
        return PeriodResult(period, observed, reference.mean, upper, None, False, "not reported")
    statistic = reference.standardised(observed) if reference.sigma > 0 else None
    return PeriodResult(period, observed, reference.mean, upper, statistic, observed > upper)


def _c3(series: CountSeries, y: FloatArray, windows: _Windows, now: int, variant: C3Variant, z: float) -> PeriodResult:
    period, observed = series.period(now), series.counts[now]
    current, lagged = windows.at(now), _lagged_excess(y, windows, now)
    if observed is None or current is None or lagged is None:
        return PeriodResult(period, observed, None, None, None, False, "unreported periods in the C3 window")
    if variant == "cdc":
        return _c3_cdc(period, observed, current, lagged, z)
    if current.sigma == 0 and math.isinf(lagged):
        return PeriodResult(period, observed, current.mean, None, None, False, "flat baseline: upper bound undefined")
    upper = 0.0 if math.isinf(lagged) else max(0.0, observed + current.sigma * (z - lagged))
    return PeriodResult(period, observed, current.mean, upper, finite(lagged), observed > upper)


def _c3_cdc(period: date, observed: int, current: _Baseline, lagged: float, z: float) -> PeriodResult:
    """C3ₜ = Σ max(0, cᵢ − 1) over t − 2 … t [U]; the bound is the count at which C3ₜ would pass z."""
    statistic = lagged + max(0.0, current.standardised(observed) - 1)
    upper = 0.0 if lagged > z else current.mean + current.sigma * (1 + z - lagged)
    return PeriodResult(period, observed, current.mean, upper, finite(statistic), statistic > z)


def _lagged_excess(y: FloatArray, windows: _Windows, now: int) -> float | None:
    """Σ max(0, cᵢ − 1) over the two previous periods, each standardised by its own C2 baseline."""
    total = 0.0
    for then in (now - 2, now - 1):
        reference = windows.at(then)
        if reference is None or np.isnan(y[then]):
            return None
        total += max(0.0, reference.standardised(float(y[then])) - 1)
    return total
