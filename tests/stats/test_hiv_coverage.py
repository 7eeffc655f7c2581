"""HIV prevention coverage for PWID: indicators, levels, the boundary rule, unconfirmed cut-offs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.stats.bands import Boundary
from observatory.stats.figure import Constant
from observatory.stats.hiv_coverage import INDICATORS, hiv_coverage
from observatory.stats.ranges import Range

UPPER = Constant("rule", Boundary.UPPER_INCLUSIVE.value, "test", True)


@pytest.mark.parametrize(
    ("indicator", "numerator", "people", "value", "level"),
    [
        ("syringes-per-pwid", 990_000, 10_000, 99, "low"),
        ("syringes-per-pwid", 1_000_000, 10_000, 100, "medium"),
        ("syringes-per-pwid", 2_000_000, 10_000, 200, "high"),
        ("nsp-regular-reach", 61, 100, 61, "high"),
        ("ost-coverage", 400, 1000, 40, "high"),
        ("ost-coverage", 399, 1000, 39.9, "medium"),
        ("hiv-testing", 39, 100, 39, "low"),
        ("art-coverage", 75, 100, 75, "high"),
        ("art-coverage", 0, 100, 0, "low"),
    ],
)
def test_levels_with_lower_bounds_inclusive(
    indicator: str, numerator: float, people: float, value: float, level: str
) -> None:
    figure = hiv_coverage(indicator, numerator, people)
    assert figure.value == pytest.approx(value)
    assert figure.category == level


@pytest.mark.parametrize(("numerator", "level"), [(200, "low"), (600, "medium"), (601, "high")])
def test_the_boundary_rule_is_a_parameter(numerator: float, level: str) -> None:
    assert hiv_coverage("nsp-regular-reach", numerator, 1000, boundary=UPPER).category == level


def test_only_the_200_syringe_target_is_confirmed() -> None:
    figure = hiv_coverage("syringes-per-pwid", 1_500_000, 10_000)
    unconfirmed = {c.id for c in figure.constants if not c.confirmed}
    assert unconfirmed == {"hiv-coverage-syringes-per-pwid-medium-cut", "hiv-coverage-boundary-rule"}
    assert "unconfirmed-constant" in figure.flag_codes
    assert all(
        not c.confirmed
        for name, i in INDICATORS.items()
        if name != "syringes-per-pwid"
        for c in (i.low_cut, i.high_cut)
    )


def test_a_pwid_range_gives_a_coverage_interval() -> None:
    figure = hiv_coverage("ost-coverage", 1200, Range(4000, 3000, 6000))
    assert (figure.value, figure.low, figure.high) == pytest.approx((30, 20, 40))


def test_coverage_above_100_percent_is_flagged_not_refused() -> None:
    assert "above-full-coverage" in hiv_coverage("ost-coverage", 5000, 4000).flag_codes
    assert "above-full-coverage" not in hiv_coverage("syringes-per-pwid", 5000, 4).flag_codes


@pytest.mark.parametrize(
    ("indicator", "numerator", "people", "problem"),
    [
        ("condoms", 1, 1, "unknown HIV coverage indicator 'condoms'; accepted: syringes-per-pwid"),
        ("ost-coverage", 1, 0, "people must be >"),
        ("ost-coverage", -1, 10, "numerator must be"),
        ("ost-coverage", 1, Range(10, 0, 20), "people must be >"),
    ],
)
def test_refusals(indicator: str, numerator: float, people: float | Range, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        hiv_coverage(indicator, numerator, people)


@given(
    st.sampled_from(sorted(INDICATORS)), st.floats(min_value=0, max_value=1e7), st.floats(min_value=1, max_value=1e7)
)
def test_level_never_falls_as_coverage_rises(indicator: str, numerator: float, people: float) -> None:
    order = ["low", "medium", "high"]
    lower, higher = hiv_coverage(indicator, numerator, people), hiv_coverage(indicator, numerator * 2, people)
    assert lower.category is not None and higher.category is not None
    assert order.index(lower.category) <= order.index(higher.category)
