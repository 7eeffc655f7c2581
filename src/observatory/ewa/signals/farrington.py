"""The improved Farrington algorithm (Noufaily et al. 2013), as R ``surveillance::farringtonFlexible`` (METHODS.md §5).

Per assessed period t₀: build the baseline (:mod:`.baseline`), fit a quasi-Poisson GLM with trend and
seasonal levels (:mod:`.glm`), down-weight past outbreaks by their Anscombe residuals, keep the trend
only when it passes the trend test, and compare y₀ with the threshold (:mod:`.threshold`).

As in R: the standard error of the prediction uses the GLM's own dispersion, not the floored φ (R
passes ``dispersion`` inside ``newdata``, where ``predict.glm`` ignores it), and for ``nbPlugin`` and
``muan`` the score X = (y₀ − η₀)/(U − η₀) mixes the link scale into the count scale, which leaves the
alarm (X > 1 ⇔ y₀ > U) intact but makes X a poor measure of size. One departure: ``expected`` is
reported even when the "5 cases in 4 periods" rule blanks the upper bound (R blanks both).
"""

import math
from dataclasses import asdict, dataclass
from datetime import date

import numpy as np

from observatory.errors import BadInput
from observatory.ewa.signals.baseline import ReferenceMode, reference_periods, seasonal_levels
from observatory.ewa.signals.glm import FloatArray, QuasiPoissonFit, fit_quasi_poisson
from observatory.ewa.signals.result import Detection, PeriodResult, finite
from observatory.ewa.signals.series import CountSeries
from observatory.ewa.signals.threshold import (
    PowerTransform,
    ThresholdMethod,
    delta_threshold,
    exceedance_score,
    link_threshold,
)

IntArray = np.ndarray[tuple[int], np.dtype[np.int64]]


@dataclass(frozen=True, slots=True)
class FarringtonConfig:
    """Control options of ``farringtonFlexible``; the defaults are its current ones [C].

    ``limit54 = (cases, periods)``: no alarm unless the last ``periods`` periods (t₀ included) hold
    ``cases`` or more. ``past_weeks_not_included`` defaults to ``w``.
    """

    b: int = 5
    w: int = 3
    reweight: bool = True
    weights_threshold: float = 2.58
    alpha: float = 0.05
    trend: bool = True
    p_threshold_trend: float = 0.05
    limit54: tuple[int, int] = (5, 4)
    power_transform: PowerTransform = "2/3"
    no_periods: int = 1
    past_weeks_not_included: int | None = None
    threshold_method: ThresholdMethod = "delta"
    reference_mode: ReferenceMode = "index"

    def __post_init__(self) -> None:
        problems = [
            name
            for name, ok in (
                ("b ≥ 1", self.b >= 1),
                ("w ≥ 0", self.w >= 0),
                ("weights_threshold ≥ 0", self.weights_threshold >= 0),
                ("0 < alpha < 1", 0 < self.alpha < 1),
                ("limit54 cases ≥ 0 and periods > 0", self.limit54[0] >= 0 and self.limit54[1] > 0),
                ("no_periods ≥ 1", self.no_periods >= 1),
                ("past_weeks_not_included ≥ 0", self.excluded >= 0),
            )
            if not ok
        ]
        if problems:
            raise BadInput(f"invalid Farrington configuration: needs {', '.join(problems)}", [asdict(self)])

    @property
    def excluded(self) -> int:
        return self.w if self.past_weeks_not_included is None else self.past_weeks_not_included


#: Noufaily et al.'s improved configuration, as run in the JSS paper [C].
NOUFAILY = FarringtonConfig(
    b=4, w=3, weights_threshold=2.58, past_weeks_not_included=26, p_threshold_trend=1.0, no_periods=10,
    threshold_method="nbPlugin",
)  # fmt: skip
#: The original Farrington et al. (1996) configuration in the JSS paper [C].
ORIGINAL = FarringtonConfig(
    b=4, w=3, weights_threshold=1.0, past_weeks_not_included=3, p_threshold_trend=0.05, no_periods=1,
    threshold_method="delta",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Model:
    fit: QuasiPoissonFit
    phi: float
    trend: bool


def farrington(series: CountSeries, config: FarringtonConfig = NOUFAILY, *, start: int | None = None) -> Detection:
    """Assess every period from ``start`` (default: the first with b years of history) to the end."""
    first = _first_assessable(series, config)
    if start is not None and start < first:
        raise BadInput(f"Farrington cannot assess period {start}: the first period with enough history is {first}")
    y = series.values()
    rows = tuple(_assess(series, y, now, config) for now in range(first if start is None else start, len(series)))
    return Detection("farrington", series.key, asdict(config), True, rows)


def anscombe_residuals(y: FloatArray, mu: FloatArray, hat: FloatArray, phi: float) -> FloatArray:
    """sᵢ = 1.5(yᵢ^(2/3) μᵢ^(−1/6) − μᵢ^(1/2)) / √(φ(1 − hᵢᵢ)); 0 where the leverage is 1."""
    raw = 1.5 * (y ** (2 / 3) * mu ** (-1 / 6) - np.sqrt(mu))
    scale = np.sqrt(phi * np.clip(1 - hat, 0.0, None))
    return np.divide(raw, scale, out=np.zeros_like(raw), where=scale > 0)


def anscombe_weights(residuals: FloatArray, threshold: float) -> FloatArray:
    """ωᵢ = γ·sᵢ⁻² where sᵢ exceeds the threshold and γ elsewhere, with γ making Σω = n."""
    raw = np.ones_like(residuals)
    above = residuals > threshold
    raw[above] = residuals[above] ** -2.0
    return np.asarray(raw * len(raw) / raw.sum(), dtype=np.float64)


def _first_assessable(series: CountSeries, config: FarringtonConfig) -> int:
    freq = series.frequency.periods_per_year
    gap = freq - 2 * config.w - 1
    if config.no_periods > 1 and gap < config.no_periods - 1:
        raise BadInput(
            f"no_periods={config.no_periods} needs {config.no_periods - 1} periods between reference windows; "
            f"with w={config.w} a {series.frequency.value} series has {gap}"
        )
    for now in range(len(series)):
        if reference_periods(series, now, config.b, config.reference_mode)[-1] - config.w >= 0:
            return now
    needed = config.b * freq + config.w + 1
    raise BadInput(
        f"series too short: {len(series)} periods; Farrington with b={config.b}, w={config.w} needs at least {needed}",
        [{"periods": len(series), "needed": needed}],
    )


def _assess(series: CountSeries, y: FloatArray, now: int, config: FarringtonConfig) -> PeriodResult:
    period, observed = series.period(now), series.counts[now]
    references = reference_periods(series, now, config.b, config.reference_mode)
    level_of = seasonal_levels(references, config.w, config.no_periods)
    positions = np.fromiter(level_of, dtype=np.int64)
    levels = np.fromiter(level_of.values(), dtype=np.int64)
    kept = (positions < now - config.excluded) & ~np.isnan(y[positions])
    order = np.argsort(positions[kept])
    positions, levels = positions[kept][order], levels[kept][order]
    design, x_now = _design(positions - now, levels, config.no_periods)
    if len(positions) <= design.shape[1]:
        note = f"baseline has {len(positions)} reported periods; the model needs more than {design.shape[1]}"
        return PeriodResult(period, observed, None, None, None, False, note)
    model = _final_model(design, y[positions], x_now, config)
    if model is None:
        return PeriodResult(period, observed, None, None, None, False, "the GLM did not converge")
    return _threshold_row(period, observed, _recent_cases(y, now, config.limit54[1]), model, x_now, config)


def _design(time: IntArray, levels: IntArray, top_level: int) -> tuple[FloatArray, FloatArray]:
    """Columns: intercept, time, one indicator per level but the lowest present.

    Time counts periods from t₀ (R counts from the series start: the same fit, better conditioned).
    """
    present = np.unique(levels)[1:]
    design = np.column_stack([np.ones(len(time)), time.astype(np.float64), *(levels == level for level in present)])
    x_now = np.array([1.0, 0.0, *(float(level == top_level) for level in present)])
    return design.astype(np.float64), x_now


def _final_model(design: FloatArray, y: FloatArray, x_now: FloatArray, config: FarringtonConfig) -> _Model | None:
    """Steps 3–6: fit, reweight, and keep the trend only if significant, b ≥ 3 and μ̂(t₀) ≤ max y."""
    model = _fit(design, y, config, config.trend)
    if model is None or not model.trend:
        return model
    eta, _ = model.fit.predict_link(x_now)
    top = float(y.max())
    keep = model.fit.p_value(1) < config.p_threshold_trend and config.b >= 3 and top > 0 and eta <= math.log(top)
    return model if keep else _fit(design, y, config, False)


def _fit(design: FloatArray, y: FloatArray, config: FarringtonConfig, trend: bool) -> _Model | None:
    """One ``fitGLM.flexible`` call: only the first fit must converge; the reweighted one is used as it comes."""
    columns = design if trend else np.delete(design, 1, axis=1)
    fit = fit_quasi_poisson(columns, y)
    if (fit is None or not fit.converged) and trend:
        return _fit(design, y, config, False)
    if fit is None or not fit.converged:
        return None
    phi = max(1.0, fit.dispersion)
    if config.reweight:
        residuals = anscombe_residuals(y, fit.fitted, fit.hat_values(), phi)
        refit = fit_quasi_poisson(columns, y, anscombe_weights(residuals, config.weights_threshold))
        if refit is None:
            return None
        fit, phi = refit, max(1.0, refit.dispersion)
    return _Model(fit, phi, trend)


def _threshold_row(
    period: date, observed: int | None, recent: float, model: _Model, x_now: FloatArray, config: FarringtonConfig
) -> PeriodResult:
    eta, se_eta = model.fit.predict_link(x_now if model.trend else np.delete(x_now, 1))
    mu = math.exp(eta)
    if config.threshold_method == "delta":
        upper: float | None = delta_threshold(mu, mu * se_eta, model.phi, config.alpha, config.power_transform)
        fit = mu
    else:
        upper = link_threshold(eta, se_eta, model.phi, config.alpha, config.threshold_method)
        fit = eta
    if observed is None or upper is None:
        note = "not reported" if observed is None else "threshold overflows"
        return PeriodResult(period, observed, finite(mu), None, None, False, note)
    score = exceedance_score(observed, fit, upper)
    exceeds = observed > upper if score is None else score > 1
    if not recent >= config.limit54[0]:
        note = f"fewer than {config.limit54[0]} cases in the last {config.limit54[1]} periods"
        return PeriodResult(period, observed, finite(mu), None, _maybe(score), False, note)
    return PeriodResult(period, observed, finite(mu), finite(upper), _maybe(score), exceeds and observed != 0)


def _recent_cases(y: FloatArray, now: int, periods: int) -> float:
    """Σ y over the last ``periods`` periods up to t₀; NaN when any of them is missing, as R's ``sum``."""
    return float(y[max(0, now - periods + 1) : now + 1].sum())


def _maybe(value: float | None) -> float | None:
    return None if value is None else finite(value)
