"""One-sided CUSUM on standardised counts, as R ``surveillance::algo.cusum`` with ``trans="standard"`` (METHODS.md §5).

zₜ = (xₜ − m)/√m, Sₜ = max(0, Sₜ₋₁ + zₜ − k) from S = 0 before the first monitored period, alarm when
Sₜ ≥ h. The sum is not reset after an alarm. m is given, or the mean of the periods before ``start``.
The upper bound is the smallest count that alarms, ⌈√m(h + k − Sₜ₋₁) + m⌉ floored at 0, so the
alarm is xₜ ≥ bound.
"""

import math
from dataclasses import asdict, dataclass

from observatory.errors import BadInput
from observatory.ewa.signals.result import Detection, PeriodResult
from observatory.ewa.signals.series import CountSeries


@dataclass(frozen=True, slots=True)
class CusumConfig:
    """``algo.cusum`` defaults [C]: reference value k, decision interval h, optional reference mean m."""

    k: float = 1.04
    h: float = 2.26
    m: float | None = None

    def __post_init__(self) -> None:
        if self.h <= 0:
            raise BadInput(f"CUSUM decision interval h must be > 0, not {self.h}")
        if self.m is not None and not (self.m > 0 and math.isfinite(self.m)):
            raise BadInput(f"CUSUM reference mean m must be a positive number, not {self.m}")


CUSUM = CusumConfig()


def cusum(series: CountSeries, config: CusumConfig = CUSUM, *, start: int | None = None) -> Detection:
    """Monitor the periods from ``start`` on (default: all, which needs ``config.m``)."""
    if start is None and config.m is None:
        raise BadInput("CUSUM needs a reference mean: give config.m, or start (the periods before it give m)")
    begin = 0 if start is None else start
    lowest = 0 if config.m is not None else 1
    if not lowest <= begin < len(series):
        raise BadInput(
            f"series too short: CUSUM monitoring from period {begin} needs {lowest} reference period(s) before it "
            f"and at least one period to monitor; the series has {len(series)}",
            [{"periods": len(series), "start": begin}],
        )
    first = 0 if config.m is None else begin
    counts = _reported_counts(series, first)
    m = float(config.m) if config.m is not None else _reference_mean(counts[: begin - first])
    rows: list[PeriodResult] = []
    total = 0.0
    for now, observed in enumerate(counts[begin - first :], start=begin):
        upper = max(0, math.ceil(math.sqrt(m) * (config.h + config.k - total) + m))
        total = max(0.0, total + (observed - m) / math.sqrt(m) - config.k)
        rows.append(PeriodResult(series.period(now), observed, m, float(upper), total, total >= config.h))
    return Detection("cusum", series.key, {**asdict(config), "m": m}, True, tuple(rows))


def _reported_counts(series: CountSeries, first: int) -> list[int]:
    """The counts from position ``first`` on, all of which must be reported."""
    counts = [c for c in series.counts[first:] if c is not None]
    if len(counts) < len(series) - first:
        missing = [i for i in range(first, len(series)) if series.counts[i] is None]
        raise BadInput(
            f"CUSUM needs every period reported; {series.period(missing[0]).isoformat()} is not",
            [{"period": series.period(i).isoformat()} for i in missing],
        )
    return counts


def _reference_mean(counts: list[int]) -> float:
    m = sum(counts) / len(counts)
    if m <= 0:
        raise BadInput(
            f"the {len(counts)} reference periods hold no cases, so the standardised CUSUM (x − m)/√m is "
            "undefined; give config.m"
        )
    return m
