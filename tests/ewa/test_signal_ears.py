import statistics
from datetime import date

import pytest

from observatory.errors import BadInput
from observatory.ewa.signals import C1, C2, C3, CountSeries, EarsConfig, Frequency, ears

MONDAY = date(2024, 1, 1)
BASE = (4, 6, 5, 7, 3, 6, 5, 4, 6, 5, 7, 4)
C3_CDC = EarsConfig("C3", c3_variant="cdc")


def weekly(*counts: int | None) -> CountSeries:
    return CountSeries(Frequency.WEEKLY, MONDAY, counts)


@pytest.mark.parametrize(("config", "needed"), [(C1, 8), (C2, 10), (C3, 12)])
def test_minimum_lengths(config: EarsConfig, needed: int) -> None:
    with pytest.raises(BadInput, match=f"needs at least {needed}"):
        ears(weekly(*BASE[: needed - 1]), config)
    assert len(ears(weekly(*BASE[:needed]), config).periods) == 1


def test_c2_skips_the_two_periods_before() -> None:
    counts = (*BASE[:7], 50, 50, 6)
    (row,) = ears(weekly(*counts), C2).periods
    assert row.expected == pytest.approx(statistics.mean(BASE[:7]))
    assert row.upper_bound == pytest.approx(statistics.mean(BASE[:7]) + 3.0902 * statistics.stdev(BASE[:7]), abs=1e-3)
    assert not row.alarm


def test_c3_as_coded_answers_a_spike_one_period_later() -> None:
    spiked = ears(weekly(*BASE, 40), C3).periods[-1]
    after = ears(weekly(*BASE, 40, 5), C3).periods[-1]
    assert not spiked.alarm  # the current period does not enter C3 as coded [C]
    assert after.alarm
    assert after.statistic is not None and after.statistic > 1.96


def test_c3_cdc_variant_includes_the_current_period_and_is_flagged() -> None:
    detection = ears(weekly(*BASE, 40), C3_CDC)
    assert detection.periods[-1].alarm
    assert not detection.source_confirmed
    assert ears(weekly(*BASE, 40), C3).source_confirmed


def test_alpha_defaults() -> None:
    assert (C1.level, C2.level, C3.level) == (0.001, 0.001, 0.025)
    assert ears(weekly(*BASE), C3).parameters["alpha"] == 0.025


def test_flat_baseline_gives_no_statistic_but_a_bound() -> None:
    (row,) = ears(weekly(*(5,) * 7, 6)).periods
    assert (row.expected, row.upper_bound, row.statistic, row.alarm) == (5.0, 5.0, None, True)


def test_min_sigma_floors_the_spread() -> None:
    (row,) = ears(weekly(*(5,) * 7, 6), EarsConfig(min_sigma=1.0)).periods
    assert row.upper_bound == pytest.approx(5 + 3.0902, abs=1e-4)
    assert not row.alarm


def test_unreported_periods_are_not_assessed() -> None:
    rows = ears(weekly(*BASE[:7], 5, None, 6, 7)).periods
    gap = "baseline has unreported periods"
    assert [row.note for row in rows] == [None, "not reported", gap, gap]
    assert not any(row.alarm for row in rows)


@pytest.mark.parametrize("options", [{"baseline": 2}, {"min_sigma": -1.0}, {"alpha": 0.0}])
def test_invalid_configuration(options: dict[str, object]) -> None:
    with pytest.raises(BadInput, match="EARS"):
        EarsConfig(**options)  # type: ignore[arg-type]
