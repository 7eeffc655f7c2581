"""Rule: an aberration in the monthly count of events of one substance in one country.

Each series with at least ``min_events`` events runs through the improved Farrington algorithm
(:func:`observatory.ewa.signals.farrington`, parameters in ``alert_rules.toml``). The months between the
country's first and last event of any substance count as reported, so a month without the substance is a zero.
Only the last ``assess_months`` months of a series are assessed (from its first month with enough history, when
that comes later). Consecutive alarm months are one signal, and one alert: its key is the series and the first month.
"""

from collections import defaultdict
from datetime import date

from observatory.errors import BadInput
from observatory.ewa.alerts.model import AlertDraft, Rule
from observatory.ewa.alerts.settings import RuleSettings
from observatory.ewa.alerts.snapshot import Detection, Snapshot
from observatory.ewa.alerts.wording import country_name, described
from observatory.ewa.signals import (
    COMPLETE,
    CountSeries,
    Event,
    Frequency,
    PeriodResult,
    SeriesKey,
    count_series,
    farrington,
)
from observatory.ewa.signals import Detection as Assessment

MONTHLY = Frequency.MONTHLY


def signals(snapshot: Snapshot, settings: RuleSettings) -> list[AlertDraft]:
    by_series: dict[tuple[str, str], list[Detection]] = defaultdict(list)
    span: dict[str, tuple[date, date]] = {}
    for detection in snapshot.detections:
        if detection.country is None:
            continue
        by_series[(detection.substance, detection.country)].append(detection)
        first, last = span.get(detection.country, (detection.day, detection.day))
        span[detection.country] = (min(first, detection.day), max(last, detection.day))
    drafts: list[AlertDraft] = []
    for (substance, country), found in by_series.items():
        if len(found) >= settings.min_events:
            drafts.extend(_series_alerts(snapshot, substance, country, found, span[country], settings))
    return drafts


def _series_alerts(
    snapshot: Snapshot,
    substance: str,
    country: str,
    found: list[Detection],
    span: tuple[date, date],
    settings: RuleSettings,
) -> list[AlertDraft]:
    key = SeriesKey(substance=substance, country=country)
    events = [Event(detection.day, substance, country=country) for detection in found]
    series = count_series(events, key, MONTHLY, span[0], span[1], COMPLETE)
    assessment = _assessed(series, settings)
    if assessment is None:
        return []
    drafts = []
    for episode in _episodes([row for row in assessment.periods if row.alarm]):
        months = {row.period for row in episode}
        evidence = [d for d in found if MONTHLY.period_start(d.day) in months]
        drafts.append(_draft(snapshot, substance, country, episode, evidence, settings))
    return drafts


def _assessed(series: CountSeries, settings: RuleSettings) -> Assessment | None:
    """The last ``assess_months`` months, or as many as have enough history; ``None`` when none has."""
    for start in (max(0, len(series) - settings.assess_months), None):
        try:
            return farrington(series, settings.farrington, start=start)
        except BadInput:
            continue
    return None


def _episodes(alarms: list[PeriodResult]) -> list[list[PeriodResult]]:
    """Alarm months grouped into runs of consecutive months."""
    runs: list[list[PeriodResult]] = []
    for row in alarms:
        if runs and MONTHLY.periods_between(runs[-1][-1].period, row.period) == 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _draft(
    snapshot: Snapshot,
    substance: str,
    country: str,
    episode: list[PeriodResult],
    evidence: list[Detection],
    settings: RuleSettings,
) -> AlertDraft:
    entry, start = snapshot.substances[substance], episode[0].period
    months = f"{start:%Y-%m}" + (f" to {episode[-1].period:%Y-%m}" if len(episode) > 1 else "")
    observed = ", ".join(
        f"{row.period:%Y-%m}: {row.observed} (threshold {row.upper_bound:.1f})"
        for row in episode
        if row.upper_bound is not None
    )
    return AlertDraft(
        key=f"{Rule.SIGNAL}:{substance}:{country}:{start:%Y-%m}",
        rule=Rule.SIGNAL,
        audience=settings.signal_audience,
        title=f"More {entry.name} detections than expected in {country_name(country)}, {months}",
        summary=(
            f"The monthly count of events with {described(entry)} in {country_name(country)} exceeded the "
            f"upper bound of the improved Farrington algorithm (alpha {settings.farrington.alpha}): {observed}."
        ),
        first_event_on=evidence[0].day,
        event_ids=tuple(detection.event_id for detection in evidence),
        substance_key=substance,
        country=country,
        details={"method": "farrington", "periods": [row.to_dict() for row in episode]},
    )
