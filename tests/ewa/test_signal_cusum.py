import math
from datetime import date

import pytest

from observatory.errors import BadInput
from observatory.ewa.signals import CountSeries, CusumConfig, Frequency, cusum

MONDAY = date(2024, 1, 1)


def weekly(*counts: int | None) -> CountSeries:
    return CountSeries(Frequency.WEEKLY, MONDAY, counts)


def test_reference_mean_comes_from_the_periods_before_start() -> None:
    detection = cusum(weekly(3, 5, 4, 4, 8, 9, 4), start=4)
    assert detection.parameters["m"] == 4.0
    assert [row.statistic for row in detection.periods] == pytest.approx([0.96, 2.42, 1.38])
    assert detection.periods[0].period == date(2024, 1, 29)


def test_upper_bound_is_the_smallest_alarming_count() -> None:
    rows = cusum(weekly(4, 8, 9, 4, 12, 2), CusumConfig(m=4)).periods
    for row in rows:
        assert row.upper_bound is not None and row.observed is not None
        assert row.alarm == (row.observed >= row.upper_bound)
    assert rows[0].upper_bound == math.ceil(2 * (2.26 + 1.04) + 4)


def test_no_reset_after_an_alarm() -> None:
    rows = cusum(weekly(20, 4, 4), CusumConfig(m=4)).periods
    assert [row.alarm for row in rows] == [True, True, True]


@pytest.mark.parametrize(
    ("series", "start", "message"),
    [
        (weekly(1, 2, 3), None, "needs a reference mean"),
        (weekly(0, 0, 0, 5), 3, "hold no cases"),
        (weekly(1, None, 3, 5), 3, "2024-01-08 is not"),
        (weekly(1, 2), 2, "series too short"),
        (weekly(1, 2), 0, "series too short"),
    ],
)
def test_bad_input(series: CountSeries, start: int | None, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        cusum(series, start=start)


@pytest.mark.parametrize("options", [{"h": 0.0}, {"m": 0.0}, {"m": float("inf")}])
def test_invalid_configuration(options: dict[str, float]) -> None:
    with pytest.raises(BadInput, match="CUSUM"):
        CusumConfig(**options)
