from datetime import date

import numpy as np
import pytest

from observatory.errors import BadInput
from observatory.ewa.signals import COMPLETE, CountSeries, Coverage, Event, Frequency, SeriesKey, count_series

MONDAY = date(2024, 1, 1)
EVENTS = (
    Event(date(2024, 1, 2), "alpha-PVP", "synthetic cathinones", "NLD"),
    Event(date(2024, 1, 7), "alpha-PVP", "synthetic cathinones", "DEU"),
    Event(date(2024, 1, 17), "alpha-PVP", "synthetic cathinones", "NLD"),
    Event(date(2024, 1, 17), "MDMB-4en-PINACA", "synthetic cannabinoids", "NLD"),
    Event(date(2024, 3, 1), "alpha-PVP", "synthetic cathinones", "NLD"),
)


@pytest.mark.parametrize(
    ("key", "counts"),
    [
        (SeriesKey(substance="alpha-PVP"), (2, 0, 1, 0)),
        (SeriesKey(substance="alpha-PVP", country="NLD"), (1, 0, 1, 0)),
        (SeriesKey(group="synthetic cannabinoids"), (0, 0, 1, 0)),
        (SeriesKey(country="NLD"), (1, 0, 2, 0)),
        (SeriesKey(), (2, 0, 2, 0)),
    ],
)
def test_weekly_counts_per_key_with_complete_coverage(key: SeriesKey, counts: tuple[int, ...]) -> None:
    series = count_series(EVENTS, key, Frequency.WEEKLY, date(2024, 1, 3), date(2024, 1, 28), COMPLETE)
    assert series.start == MONDAY
    assert series.counts == counts
    assert series.key == key


def test_monthly_counts() -> None:
    key = SeriesKey(substance="alpha-PVP")
    series = count_series(EVENTS, key, Frequency.MONTHLY, date(2023, 12, 15), date(2024, 3, 31), COMPLETE)
    assert series.periods == (date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1))
    assert series.counts == (0, 3, 0, 1)


def test_unreported_periods_are_missing_not_zero() -> None:
    coverage = Coverage(reported=frozenset({date(2024, 1, 8)}))
    series = count_series(EVENTS, SeriesKey("alpha-PVP"), Frequency.WEEKLY, MONDAY, date(2024, 1, 28), coverage)
    # week 1 and week 3 hold events (so count as reported), week 2 is declared, week 4 is unknown
    assert series.counts == (2, 0, 1, None)
    assert np.isnan(series.values()[3])


def test_periods_and_shift() -> None:
    series = CountSeries(Frequency.MONTHLY, date(2023, 11, 1), (1, 2, 3))
    assert series.periods == (date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1))
    assert series.shifted(-11).periods[0] == date(2022, 12, 1)
    assert series.shifted(3).counts == series.counts


@pytest.mark.parametrize(
    ("counts", "problem"),
    [((1, -2, 3), "negative"), ((1, 2.5, 3), "not a whole number"), ((1, True), "not a whole number"),
     ((1, float("nan")), "not a whole number"), ((1, "3"), "not a whole number")],
)  # fmt: skip
def test_bad_counts_name_the_problem(counts: tuple[object, ...], problem: str) -> None:
    with pytest.raises(BadInput) as caught:
        CountSeries(Frequency.WEEKLY, MONDAY, counts)  # type: ignore[arg-type]
    assert problem in caught.value.message
    assert caught.value.details[0]["problem"] == problem
    assert caught.value.details[0]["period"] == "2024-01-08"


def test_numpy_integers_are_counts() -> None:
    series = CountSeries(Frequency.WEEKLY, MONDAY, tuple(np.array([1, 2], dtype=np.int64)))
    assert series.counts == (1, 2)
    assert all(type(count) is int for count in series.counts)


def test_start_must_open_a_period() -> None:
    with pytest.raises(BadInput, match="first day"):
        CountSeries(Frequency.WEEKLY, date(2024, 1, 3), (1,))


def test_end_before_start() -> None:
    with pytest.raises(BadInput, match="before it starts"):
        count_series(EVENTS, SeriesKey(), Frequency.WEEKLY, date(2024, 2, 1), date(2024, 1, 1), COMPLETE)
