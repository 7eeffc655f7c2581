import json
from collections import Counter
from datetime import date

import numpy as np
import pytest

from observatory.errors import BadInput
from observatory.ewa.signals import NOUFAILY, ORIGINAL, CountSeries, FarringtonConfig, Frequency, farrington
from observatory.ewa.signals.baseline import reference_periods, seasonal_levels
from observatory.ewa.signals.result import PeriodResult

MONDAY = date(2010, 1, 4)


def weekly(counts: list[int | None] | tuple[int | None, ...], start: date = MONDAY) -> CountSeries:
    return CountSeries(Frequency.WEEKLY, start, tuple(counts))


def poisson_series(weeks: int, seed: int = 1, mean: float = 6.0) -> list[int | None]:
    counts: list[int | None] = [int(c) for c in np.random.default_rng(seed).poisson(mean, weeks)]
    return counts


@pytest.mark.parametrize("levels", [1, 8])
def test_windows_hold_w_plus_1_plus_b_times_2w_plus_1_periods(levels: int) -> None:
    """surveillance tests: "the reference window has the right length" (b = 3, w = 3)."""
    level_of = seasonal_levels((1000, 948, 896, 844), 3, levels)
    counts = Counter(level_of.values())
    assert counts[levels] == 3 + 1 + 3 * 7
    assert len(counts) == levels
    blocks = [counts[level] for level in range(1, levels)]
    assert max(blocks, default=0) - min(blocks, default=0) <= 3  # "roughly the same length each year"


def test_blocks_split_each_gap_with_the_remainder_first() -> None:
    level_of = seasonal_levels((104, 52, 0), 3, 10)
    gap = [level_of[i] for i in range(4, 49)]  # the 45 periods between the windows of 0 and 52
    assert gap == [level for level in range(1, 10) for _ in range(5)]
    assert {level_of[i] for i in range(-3, 4)} == {10}


def test_date_mode_references_are_the_nearest_mondays() -> None:
    """surveillance tests: 2013-06-06 with b = 3 → 2012-06-07, 2011-06-09, 2010-06-03 (Thursdays)."""
    series = weekly([1] * 1000, date(2000, 1, 3))
    now = Frequency.WEEKLY.periods_between(series.start, date(2013, 6, 3))
    references = reference_periods(series, now, 3, "date")
    assert [series.period(i) for i in references] == [
        date(2013, 6, 3), date(2012, 6, 4), date(2011, 6, 6), date(2010, 5, 31)
    ]  # fmt: skip


def test_date_mode_baseline_size_matches_surveillance() -> None:
    """surveillance tests: b = 3, w = 3, 10 periods, one NA in the baseline → 156 rows, 10 levels."""
    counts: list[int | None] = [5] * 1301
    counts[1149] = None
    series = weekly(counts, date(1990, 6, 4))
    level_of = seasonal_levels(reference_periods(series, 1199, 3, "date"), 3, 10)
    kept = [i for i in level_of if i < 1199 - 3 and counts[i] is not None]
    assert len(kept) == 156
    assert len({level_of[i] for i in kept}) == 10


@pytest.mark.parametrize(("config", "needed"), [(NOUFAILY, 212), (ORIGINAL, 212), (FarringtonConfig(), 264)])
def test_too_short_a_series_is_refused(config: FarringtonConfig, needed: int) -> None:
    with pytest.raises(BadInput, match=f"needs at least {needed}"):
        farrington(weekly(poisson_series(needed - 1)), config)
    assert len(farrington(weekly(poisson_series(needed)), config).periods) == 1


def test_monthly_series_cannot_hold_ten_seasonal_levels() -> None:
    monthly = CountSeries(Frequency.MONTHLY, date(2010, 1, 1), tuple(poisson_series(80)))
    with pytest.raises(BadInput, match="no_periods=10"):
        farrington(monthly, NOUFAILY)
    assert len(farrington(monthly, ORIGINAL).periods) == 80 - 4 * 12 - 3


def test_monthly_date_mode_equals_index_mode() -> None:
    monthly = CountSeries(Frequency.MONTHLY, date(2010, 1, 1), tuple(poisson_series(80)))
    by_date = FarringtonConfig(b=4, no_periods=3, threshold_method="nbPlugin", reference_mode="date")
    by_index = FarringtonConfig(b=4, no_periods=3, threshold_method="nbPlugin")
    assert farrington(monthly, by_date).periods == farrington(monthly, by_index).periods


@pytest.mark.parametrize(
    "options",
    [{"b": 0}, {"w": -1}, {"alpha": 1.0}, {"limit54": (5, 0)}, {"no_periods": 0}, {"past_weeks_not_included": -1}],
)
def test_invalid_configuration(options: dict[str, object]) -> None:
    with pytest.raises(BadInput, match="invalid Farrington configuration"):
        FarringtonConfig(**options)  # type: ignore[arg-type]


def test_start_before_the_first_assessable_period() -> None:
    with pytest.raises(BadInput, match="first period with enough history is 211"):
        farrington(weekly(poisson_series(300)), NOUFAILY, start=100)


def test_an_outbreak_is_flagged_and_quiet_weeks_are_not() -> None:
    counts = poisson_series(312)
    counts[-2] = 40
    detection = farrington(weekly(counts), NOUFAILY, start=300)
    assert detection.alarms[-2]
    assert sum(detection.alarms) <= 2
    row = detection.periods[-2]
    assert row.expected is not None and row.upper_bound is not None and row.statistic is not None
    assert row.observed is not None and row.observed > row.upper_bound and row.statistic > 1


def test_fewer_than_five_recent_cases_never_alarm() -> None:
    counts: list[int | None] = [0] * 219
    counts[-1] = 4
    counts[10] = 1
    row = farrington(weekly(counts), NOUFAILY).periods[-1]
    assert (row.alarm, row.upper_bound) == (False, None)
    assert row.note is not None and "fewer than 5 cases" in row.note


def test_missing_periods_leave_the_baseline_and_an_unreported_period_is_not_assessed() -> None:
    counts = poisson_series(260)
    counts[60:80] = [None] * 20
    counts[-1] = None
    detection = farrington(weekly(counts), NOUFAILY, start=250)
    assert detection.periods[-1].note == "not reported"
    assert detection.periods[-1].expected is not None
    assert all(row.upper_bound is not None for row in detection.periods[:-1])


def test_output_is_json_and_finite() -> None:
    detection = farrington(weekly(poisson_series(230)), ORIGINAL)
    payload = json.loads(json.dumps(detection.to_dict()))
    assert payload["method"] == "farrington"
    assert payload["parameters"]["threshold_method"] == "delta"
    assert len(payload["periods"]) == 230 - 211


def test_results_refuse_non_finite_numbers() -> None:
    with pytest.raises(ValueError, match="finite"):
        PeriodResult(MONDAY, 1, float("nan"), None, None, False)
