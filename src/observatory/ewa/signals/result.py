"""What every aberration-detection method returns: one row of data per assessed period (METHODS.md §5)."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from observatory.ewa.signals.series import SeriesKey


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """One assessed period. A value that cannot be computed is ``None``, with ``note`` saying why."""

    period: date
    observed: int | None
    expected: float | None
    upper_bound: float | None
    statistic: float | None
    alarm: bool
    note: str | None = None

    def __post_init__(self) -> None:
        for name in ("expected", "upper_bound", "statistic"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be finite or None, not {value!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.isoformat(),
            "observed": self.observed,
            "expected": self.expected,
            "upper_bound": self.upper_bound,
            "statistic": self.statistic,
            "alarm": self.alarm,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Detection:
    """A method's results for one series, from its first assessable period (or the requested start) on.

    ``source_confirmed`` is false when a parameter value in use is marked [U] in METHODS.md.
    """

    method: str
    key: SeriesKey
    parameters: Mapping[str, Any]
    source_confirmed: bool
    periods: tuple[PeriodResult, ...]

    @property
    def alarms(self) -> tuple[bool, ...]:
        return tuple(row.alarm for row in self.periods)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "series": {"substance": self.key.substance, "group": self.key.group, "country": self.key.country},
            "parameters": dict(self.parameters),
            "source_confirmed": self.source_confirmed,
            "periods": [row.to_dict() for row in self.periods],
        }


def finite(value: float) -> float | None:
    """``value`` if it is a finite number, else ``None`` (outputs never hold NaN or infinity)."""
    return value if math.isfinite(value) else None
