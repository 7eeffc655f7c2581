"""Signals per substance group: the improved Farrington algorithm on the monthly count of events that found a
substance of the group, one series per group and source (METHODS.md §5; issue item 5).

Each source reports on its own terms, so its series run from its first to its last event, every month between
counting as reported (a month without the group is a zero), and sources are never added up. An event counts once
in a month however many substances of the group it found. A series with fewer than ``min_events`` events is not
assessed; the others are assessed over their last ``assess_months`` months, or from their first month with
enough history when that comes later. The parameters are those of the per-substance signal rule
(``alert_rules.toml``, ``[signal]``).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from observatory.errors import BadInput
from observatory.ewa.signals import (
    COMPLETE,
    Event,
    FarringtonConfig,
    Frequency,
    PeriodResult,
    SeriesKey,
    count_series,
    farrington,
)
from observatory.ewa.trends.sightings import Axis, Sighting

MONTHLY = Frequency.MONTHLY


@dataclass(frozen=True, slots=True)
class GroupSignalSettings:
    farrington: FarringtonConfig
    assess_months: int
    min_events: int


@dataclass(frozen=True, slots=True)
class GroupSignal:
    source: str
    group: str
    events: int
    first_month: date
    last_month: date
    #: The assessed months; empty, with ``note`` saying why, when none could be.
    periods: tuple[PeriodResult, ...]
    note: str | None = None

    @property
    def alarm_months(self) -> tuple[date, ...]:
        return tuple(row.period for row in self.periods if row.alarm)

    @property
    def latest(self) -> PeriodResult | None:
        return self.periods[-1] if self.periods else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "group": self.group,
            "events": self.events,
            "first_month": self.first_month.isoformat(),
            "last_month": self.last_month.isoformat(),
            "alarm_months": [month.isoformat() for month in self.alarm_months],
            "periods": [row.to_dict() for row in self.periods],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class GroupSignalReport:
    by: Axis
    settings: GroupSignalSettings
    signals: tuple[GroupSignal, ...]
    #: (source, group, events) of the series with too few events to assess.
    too_few: tuple[tuple[str, str, int], ...]

    def to_dict(self, alarms_only: bool = False) -> dict[str, Any]:
        return {
            "by": str(self.by),
            "method": "farrington",
            "parameters": asdict(self.settings.farrington),
            "assess_months": self.settings.assess_months,
            "min_events": self.settings.min_events,
            "results": [s.to_dict() for s in self.signals if s.alarm_months or not alarms_only],
            "too_few_events": [{"source": s, "group": g, "events": n} for s, g, n in self.too_few],
        }


def group_signals(sightings: Iterable[Sighting], by: Axis, settings: GroupSignalSettings) -> GroupSignalReport:
    """Assess every (source, group) series; series with alarms first, then by source and group."""
    months: dict[str, tuple[date, date]] = {}
    events: defaultdict[tuple[str, str], dict[int, date]] = defaultdict(dict)
    for sighting in sightings:
        first, last = months.get(sighting.source, (sighting.day, sighting.day))
        months[sighting.source] = (min(first, sighting.day), max(last, sighting.day))
        events[(sighting.source, sighting.group(by))][sighting.event_id] = sighting.day
    assessed, too_few = [], []
    for (source, group), found in sorted(events.items()):
        if len(found) < settings.min_events:
            too_few.append((source, group, len(found)))
        else:
            assessed.append(_assess(source, group, list(found.values()), months[source], settings))
    assessed.sort(key=lambda signal: (not signal.alarm_months, signal.source, signal.group))
    return GroupSignalReport(by, settings, tuple(assessed), tuple(too_few))


def _assess(
    source: str, group: str, days: list[date], span: tuple[date, date], settings: GroupSignalSettings
) -> GroupSignal:
    key = SeriesKey(group=group)
    series = count_series((Event(day, source, group) for day in days), key, MONTHLY, span[0], span[1], COMPLETE)
    first, last = series.start, series.period(len(series) - 1)
    problem = None
    for start in (max(0, len(series) - settings.assess_months), None):
        try:
            detection = farrington(series, settings.farrington, start=start)
        except BadInput as error:
            problem = error.message
            continue
        return GroupSignal(source, group, len(days), first, last, detection.periods)
    return GroupSignal(source, group, len(days), first, last, (), problem)
