"""Count series: reports per week or month for one substance, group or country (METHODS.md §5, §6).

A period no report covers is *missing* (``None``), never zero. Zero means the source reported the
period and saw nothing, and only the source can say that: :class:`Coverage` is its declaration.
With complete coverage every empty period is a zero; otherwise an empty period is a zero only if
the source lists it as reported. A period holding an event counts as reported, since the event is
itself a report.

Weeks are ISO weeks (starting on Monday); months start on the 1st. Periods are labelled by their
first day.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from numbers import Integral

import numpy as np
from numpy.typing import NDArray

from observatory.errors import BadInput


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"

    @property
    def periods_per_year(self) -> int:
        """``freq`` of the R package ``surveillance``: 52 for weeks, 12 for months."""
        return 52 if self is Frequency.WEEKLY else 12

    def period_start(self, day: date) -> date:
        if self is Frequency.WEEKLY:
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    def shift(self, period: date, periods: int) -> date:
        """The start of the period ``periods`` after (or before, if negative) ``period``."""
        if self is Frequency.WEEKLY:
            return period + timedelta(weeks=periods)
        months = period.year * 12 + period.month - 1 + periods
        return date(months // 12, months % 12 + 1, 1)

    def periods_between(self, first: date, later: date) -> int:
        """How many periods ``later`` starts after ``first`` (both period starts)."""
        if self is Frequency.WEEKLY:
            return (later - first).days // 7
        return (later.year - first.year) * 12 + later.month - first.month


@dataclass(frozen=True, slots=True)
class SeriesKey:
    """What a series counts; ``None`` in a field means "any"."""

    substance: str | None = None
    group: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One dated report: a detection of a substance in a seizure, sample or case."""

    day: date
    substance: str
    group: str | None = None
    country: str | None = None

    def matches(self, key: SeriesKey) -> bool:
        wanted = ((key.substance, self.substance), (key.group, self.group), (key.country, self.country))
        return all(want is None or want == have for want, have in wanted)


@dataclass(frozen=True, slots=True)
class Coverage:
    """The source's declaration of which periods it reported (given by their start dates)."""

    complete: bool = False
    reported: frozenset[date] = frozenset()

    def covers(self, period: date) -> bool:
        return self.complete or period in self.reported


COMPLETE = Coverage(complete=True)


@dataclass(frozen=True, slots=True)
class CountSeries:
    """Counts per consecutive period from ``start``; ``None`` marks a period nobody reported."""

    frequency: Frequency
    start: date
    counts: tuple[int | None, ...]
    key: SeriesKey = field(default_factory=SeriesKey)

    def __post_init__(self) -> None:
        if self.frequency.period_start(self.start) != self.start:
            raise BadInput(
                f"a {self.frequency.value} series must start on a period's first day, not {self.start.isoformat()}",
                [{"start": self.start.isoformat(), "expected": self.frequency.period_start(self.start).isoformat()}],
            )
        object.__setattr__(self, "counts", _checked_counts(self.counts, self.frequency, self.start))

    def __len__(self) -> int:
        return len(self.counts)

    @property
    def periods(self) -> tuple[date, ...]:
        return tuple(self.frequency.shift(self.start, i) for i in range(len(self.counts)))

    def period(self, index: int) -> date:
        return self.frequency.shift(self.start, index)

    def values(self) -> NDArray[np.float64]:
        """The counts as floats, with NaN for missing periods (for the detectors' arithmetic only)."""
        return np.array([np.nan if c is None else float(c) for c in self.counts], dtype=np.float64)

    def shifted(self, periods: int) -> "CountSeries":
        """The same counts, labelled ``periods`` periods later."""
        return CountSeries(self.frequency, self.frequency.shift(self.start, periods), self.counts, self.key)


def count_series(
    events: Iterable[Event],
    key: SeriesKey,
    frequency: Frequency,
    first: date,
    last: date,
    coverage: Coverage,
) -> CountSeries:
    """Count the events matching ``key`` per period, for the periods holding ``first`` … ``last``.

    Events outside those periods are ignored. Empty periods are zero where ``coverage`` covers them
    and missing elsewhere.
    """
    start, end = frequency.period_start(first), frequency.period_start(last)
    if end < start:
        raise BadInput(f"the series would end ({last.isoformat()}) before it starts ({first.isoformat()})")
    length = frequency.periods_between(start, end) + 1
    tallies = [0] * length
    seen = [False] * length
    for event in events:
        position = frequency.periods_between(start, frequency.period_start(event.day))
        if event.matches(key) and 0 <= position < length:
            tallies[position] += 1
            seen[position] = True
    counts = tuple(
        tally if seen[i] or coverage.covers(frequency.shift(start, i)) else None for i, tally in enumerate(tallies)
    )
    return CountSeries(frequency, start, counts, key)


def _checked_counts(counts: Sequence[object], frequency: Frequency, start: date) -> tuple[int | None, ...]:
    checked: list[int | None] = []
    problems: list[dict[str, object]] = []
    for position, count in enumerate(counts):
        value = _whole(count)
        if count is None or (value is not None and value >= 0):
            checked.append(value)
            continue
        problem = "not a whole number" if value is None else "negative"
        period = frequency.shift(start, position).isoformat()
        problems.append({"position": position, "period": period, "value": repr(count), "problem": problem})
    if problems:
        first = problems[0]
        raise BadInput(
            f"count {first['value']} for period {first['period']} is {first['problem']}; "
            "counts must be whole numbers ≥ 0 (or None for an unreported period)",
            list(problems),
        )
    return tuple(checked)


def _whole(count: object) -> int | None:
    """``count`` as an ``int`` if it is an integer (numpy integers included, booleans not)."""
    if isinstance(count, Integral) and not isinstance(count, bool):
        return int(count)
    return None
