"""Properties every method must have: a flat series is quiet, a large last-period spike alarms, dates don't matter.

C3 as coded in ``surveillance`` ignores the current period (METHODS.md §5), so the spike property holds
for it one period later; the spike test runs C3 in its CDC form and a separate test covers the lag.
"""

from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.ewa.signals import (
    C1,
    C2,
    C3,
    COMPLETE,
    NOUFAILY,
    ORIGINAL,
    CountSeries,
    EarsConfig,
    Event,
    Frequency,
    SeriesKey,
    count_series,
    cusum,
    ears,
    farrington,
)
from observatory.ewa.signals.result import Detection

Method = Callable[[CountSeries], Detection]
MONDAY = date(2015, 1, 5)
#: Farrington assesses the last few periods only, to keep the examples fast.
METHODS: dict[str, Method] = {
    "farrington-noufaily": lambda s: farrington(s, NOUFAILY, start=len(s) - 3),
    "farrington-original": lambda s: farrington(s, ORIGINAL, start=len(s) - 3),
    "ears-c1": lambda s: ears(s, C1),
    "ears-c2": lambda s: ears(s, C2),
    "ears-c3": lambda s: ears(s, C3),
    "ears-c3-cdc": lambda s: ears(s, EarsConfig("C3", c3_variant="cdc")),
    "cusum": lambda s: cusum(s, start=len(s) // 2),
}
SPIKE_METHODS = {name: method for name, method in METHODS.items() if name != "ears-c3"}
LENGTHS = st.integers(min_value=214, max_value=240)
COUNTS = st.integers(min_value=1, max_value=30)


def weekly(counts: list[int], start: date = MONDAY) -> CountSeries:
    return CountSeries(Frequency.WEEKLY, start, tuple(counts))


def comparable(detection: Detection) -> list[tuple[object, ...]]:
    return [(r.observed, r.expected, r.upper_bound, r.statistic, r.alarm, r.note) for r in detection.periods]


@settings(max_examples=25, deadline=None)
@given(level=st.integers(min_value=0, max_value=200), length=LENGTHS)
def test_a_constant_series_raises_no_alarm(level: int, length: int) -> None:
    series = weekly([level] * length)
    for name, method in METHODS.items():
        if name == "cusum" and level == 0:
            continue  # the standardised CUSUM is undefined for m = 0: see the next test
        assert not any(method(series).alarms), name


def test_cusum_refuses_an_all_zero_reference() -> None:
    try:
        METHODS["cusum"](weekly([0] * 220))
    except BadInput as error:
        assert "hold no cases" in error.message
    else:
        raise AssertionError("expected BadInput")


@settings(max_examples=25, deadline=None)
@given(baseline=st.lists(COUNTS, min_size=213, max_size=240), spike=st.integers(min_value=5_000, max_value=50_000))
def test_a_large_spike_at_the_last_period_alarms_for_every_method(baseline: list[int], spike: int) -> None:
    series = weekly([*baseline, spike])
    for name, method in SPIKE_METHODS.items():
        assert method(series).alarms[-1], name


@settings(max_examples=25, deadline=None)
@given(baseline=st.lists(COUNTS, min_size=20, max_size=40).filter(lambda c: len(set(c[-8:-1])) > 1))
def test_c3_as_coded_alarms_the_period_after_a_spike(baseline: list[int]) -> None:
    assert ears(weekly([*baseline, 5_000, baseline[-1]]), C3).alarms[-1]


@settings(max_examples=20, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=30), min_size=214, max_size=230),
    shift=st.integers(min_value=-600, max_value=600),
)
def test_results_do_not_depend_on_the_dates(counts: list[int], shift: int) -> None:
    counts[0] = max(counts[0], 1)  # CUSUM needs a reference mean above zero
    series = weekly(counts)
    for name, method in METHODS.items():
        original, moved = method(series), method(series.shifted(shift))
        assert comparable(original) == comparable(moved), name
        assert [r.period for r in moved.periods] == [Frequency.WEEKLY.shift(r.period, shift) for r in original.periods]


@settings(max_examples=30, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=400), max_size=60),
    weeks=st.integers(min_value=-300, max_value=300),
)
def test_counting_events_does_not_depend_on_the_dates(offsets: list[int], weeks: int) -> None:
    def build(start: date) -> CountSeries:
        events = [Event(start + timedelta(days=offset), "2C-B") for offset in offsets]
        return count_series(events, SeriesKey("2C-B"), Frequency.WEEKLY, start, start + timedelta(days=400), COMPLETE)

    moved = MONDAY + timedelta(weeks=weeks)
    assert build(MONDAY).counts == build(moved).counts
