"""Signals per substance group: the improved Farrington algorithm on each source's monthly events of a group."""

from datetime import date

import pytest

from observatory.ewa.alerts import rule_settings
from observatory.ewa.signals import FarringtonConfig
from observatory.ewa.trends import Axis, GroupSignalSettings, Sighting, group_signals
from tests.ewa.trend_sightings import sighting

SETTINGS = GroupSignalSettings(rule_settings().farrington, assess_months=12, min_events=30)
#: Four, five or six events a month, in turn, for eight years: a steady baseline.
BASELINE = [4, 5, 6] * 32


def monthly(counts: list[int], substance: str, source: str = "checks", start: int = 2015) -> list[Sighting]:
    found = []
    for index, events in enumerate(counts):
        day = date(start + index // 12, index % 12 + 1, 15)
        found += [sighting(day.isoformat(), substance, source=source) for _ in range(events)]
    return found


def test_a_spike_in_the_last_month_is_an_alarm_and_the_baseline_is_not() -> None:
    report = group_signals(monthly([*BASELINE, 40], "alpha"), Axis.FAMILY, SETTINGS)
    (signal,) = report.signals
    assert (signal.source, signal.group, signal.events) == ("checks", "cathinones", sum(BASELINE) + 40)
    assert len(signal.periods) == 12 and signal.alarm_months == (date(2023, 1, 1),)
    assert signal.latest is not None and signal.latest.observed == 40 and signal.latest.upper_bound is not None
    assert signal.latest.upper_bound < 40
    assert [row["group"] for row in report.to_dict(alarms_only=True)["results"]] == ["cathinones"]


def test_an_event_counts_once_per_group_and_sources_are_never_added_up() -> None:
    same_event = [sighting("2020-01-15", name, event=7) for name in ("alpha", "beta")]
    other_source = monthly([1] * 40, "gamma", source="lab")
    report = group_signals([*monthly(BASELINE, "alpha"), *same_event, *other_source], Axis.FAMILY, SETTINGS)
    by_source = {signal.source: signal for signal in report.signals}
    assert by_source["checks"].events == sum(BASELINE) + 1
    assert by_source["lab"].events == 40 and by_source["lab"].periods == ()
    assert by_source["lab"].note is not None and "too short" in by_source["lab"].note


@pytest.mark.parametrize(("events", "assessed"), [(29, False), (30, True)])
def test_series_with_too_few_events_are_listed_apart(events: int, assessed: bool) -> None:
    found = [sighting(f"20{10 + i // 12}-{i % 12 + 1:02d}-01", "alpha", family="opioids") for i in range(events)]
    report = group_signals(found, Axis.FAMILY, SETTINGS)
    assert bool(report.signals) is assessed
    assert report.too_few == (() if assessed else (("checks", "opioids", events),))


def test_the_report_names_its_method_and_parameters() -> None:
    settings = GroupSignalSettings(FarringtonConfig(b=3, w=1, alpha=0.05), assess_months=6, min_events=1)
    body = group_signals(monthly(BASELINE, "alpha"), Axis.GROUP, settings).to_dict()
    assert (body["method"], body["by"], body["assess_months"], body["min_events"]) == ("farrington", "group", 6, 1)
    assert body["parameters"]["b"] == 3 and body["parameters"]["alpha"] == 0.05
    assert body["results"][0]["group"] == "synthetic_cathinones" and len(body["results"][0]["periods"]) == 6
