"""Opium and coca production from area × yield; heroin and cocaine conversions; eradication."""

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.reference.conversion import OpiumHeroinRatio
from observatory.stats.figure import Constant
from observatory.stats.production import (
    CultivatedArea,
    coca_leaf_production,
    coca_leaf_to_cocaine,
    eradication_share,
    opium_production,
    opium_to_heroin,
)
from observatory.stats.ranges import Range

SOUTH = CultivatedArea("South", Range(1000, 800, 1200), Range(30, 25, 40), eradicated_after_survey_ha=100)
WEST = CultivatedArea("West", Range(500, 500, 600), Range(20, 15, 22))
BASE = Constant("leaf-to-base", 1.5, "test [U]", False)
HCL = Constant("base-to-hcl", 0.8, "test [C]", True)


def test_production_sums_net_area_times_yield_at_each_end() -> None:
    figure = opium_production([SOUTH, WEST])
    assert (figure.value, figure.low, figure.high) == pytest.approx(
        (900 * 30 + 500 * 20, 700 * 25 + 500 * 15, 1100 * 40 + 600 * 22)
    )
    assert (figure.unit, figure.flags) == ("kg", ())


def test_heroin_from_opium_uses_the_country_ratio_at_each_end_and_flags_it() -> None:
    heroin = opium_to_heroin(opium_production([SOUTH]), "MMR")
    assert (heroin.value, heroin.low, heroin.high) == pytest.approx((2700, 1750, 4400))
    assert [c.id for c in heroin.constants] == ["opium-heroin-myanmar"]
    assert "unconfirmed-constant" in heroin.flag_codes


def test_heroin_ratio_follows_the_year() -> None:
    with pytest.raises(BadInput, match="no opium-to-heroin ratio for 'AFG' in 2020"):
        opium_to_heroin(opium_production([SOUTH]), "AFG", 2020)


def test_a_given_ratio_replaces_the_table() -> None:
    ratio = OpiumHeroinRatio("survey-2023", "AFG", 9.0, False, "survey report [U]")
    heroin = opium_to_heroin(opium_production([WEST]), "AFG", 2023, ratio=ratio)
    assert heroin.value == pytest.approx(10_000 / 9)
    assert [c.id for c in heroin.constants] == ["survey-2023"]


def test_coca_leaf_and_cocaine_carry_both_factors() -> None:
    leaf = coca_leaf_production([CultivatedArea("Yungas", Range(100, 90, 110), Range(2.0, 1.5, 2.5))])
    cocaine = coca_leaf_to_cocaine(leaf, base_per_leaf=BASE, hydrochloride_per_base=HCL)
    assert (leaf.value, leaf.unit) == (200, "t")
    assert (cocaine.value, cocaine.low, cocaine.high) == pytest.approx((240, 162, 330))
    assert [c.id for c in cocaine.constants] == ["leaf-to-base", "base-to-hcl"]
    assert {"unconfirmed-constant", "unconfirmed-method"} <= cocaine.flag_codes


def test_conversions_check_the_unit_of_what_they_convert() -> None:
    leaf = coca_leaf_production([WEST])
    with pytest.raises(BadInput, match="expected a quantity in kg"):
        opium_to_heroin(leaf, "MMR")
    with pytest.raises(BadInput, match="expected a quantity in t"):
        coca_leaf_to_cocaine(opium_production([WEST]), base_per_leaf=BASE, hydrochloride_per_base=HCL)


@pytest.mark.parametrize(
    ("eradicated", "gross", "expected"),
    [(0, 100, 0.0), (25, 100, 0.25), (100, 100, 1.0)],
)
def test_eradication_share(eradicated: float, gross: float, expected: float) -> None:
    assert eradication_share(eradicated, gross).value == expected


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda: opium_production([]), "no cultivation regions"),
        (lambda: CultivatedArea("North", Range(100, 50, 150), Range.point(10), 60), "exceeds the minimum area"),
        (lambda: CultivatedArea("North", Range(100, -1, 150), Range.point(10)), "area of North"),
        (lambda: CultivatedArea("North", Range.point(100), Range.point(10), -5), "eradicated"),
        (lambda: eradication_share(120, 100), "exceeds the gross"),
        (lambda: eradication_share(1, 0), "gross area"),
        (
            lambda: coca_leaf_to_cocaine(
                coca_leaf_production([WEST]), base_per_leaf=Constant("x", 0, "s", True), hydrochloride_per_base=HCL
            ),
            "x must be",
        ),
    ],
)
def test_refusals(call: Callable[[], object], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        call()


areas = st.builds(
    lambda a, y: CultivatedArea("r", Range.point(a), Range.point(y)),
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0, max_value=100),
)


@given(st.lists(areas, min_size=1, max_size=6), st.lists(areas, min_size=1, max_size=6))
def test_production_adds_over_regions(first: list[CultivatedArea], second: list[CultivatedArea]) -> None:
    together = opium_production(first + second).value
    assert together == pytest.approx(opium_production(first).value + opium_production(second).value, rel=1e-12)
