"""Opioid analgesic availability: S-DDD per million inhabitants per day, INCB bands, adequacy of consumption."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.stats.figure import Constant
from observatory.stats.opioid_availability import SDDD_MG, adequacy_of_consumption, sddd_per_million_per_day

CODEINE = Constant("sddd-codeine-local", 200.0, "national formulary", True)


def test_several_drugs_add_their_doses() -> None:
    figure = sddd_per_million_per_day({"Morphine": 10, "fentanyl": 0.06}, 10e6)
    assert figure.value == pytest.approx((10e6 / 100 + 0.06e6 / 0.6) / 365 / 10)
    assert [c.id for c in figure.constants][:2] == ["sddd-morphine", "sddd-fentanyl"]


@pytest.mark.parametrize(("kg", "category"), [(10, "very inadequate"), (36.5, "inadequate"), (73, "200 or more")])
def test_incb_bands_are_unconfirmed_defaults(kg: float, category: str) -> None:
    figure = sddd_per_million_per_day({"morphine": kg}, 10e6)
    assert figure.category == category
    assert "unconfirmed-constant" in figure.flag_codes


def test_a_drug_without_a_default_needs_its_s_ddd_and_bands_can_be_dropped() -> None:
    with pytest.raises(BadInput, match="no S-DDD for 'codeine'; give one in sddd_mg"):
        sddd_per_million_per_day({"codeine": 5}, 1e6)
    figure = sddd_per_million_per_day({"codeine": 73}, 1e6, sddd_mg={"Codeine": CODEINE}, bands=None)
    assert figure.value == pytest.approx(1000)
    assert (figure.category, figure.flags) == (None, ())


def test_every_default_s_ddd_is_unconfirmed() -> None:
    assert SDDD_MG["morphine"].number == 100 and not any(c.confirmed for c in SDDD_MG.values())


@pytest.mark.parametrize(
    ("consumption", "population", "problem"),
    [
        ({}, 1e6, "no consumption"),
        ({"morphine": 1}, 0, "population"),
        ({"morphine": -1}, 1e6, "consumption of morphine"),
    ],
)
def test_sddd_refusals(consumption: dict[str, float], population: float, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        sddd_per_million_per_day(consumption, population)


@pytest.mark.parametrize(
    ("consumption", "deaths", "value", "category"),
    [
        (2_000, 10, 1.0, "adequate"),
        (600, 10, 0.3, "moderate"),
        (599, 10, 0.2995, "low"),
        (200, 10, 0.1, "low"),
        (20, 10, 0.01, "very low"),
        (0, 10, 0.0, "virtually none"),
    ],
)
def test_adequacy_of_consumption(consumption: float, deaths: float, value: float, category: str) -> None:
    # Reference countries: 200,000 mg for 1,000 proxy deaths → need 200 mg per death.
    figure = adequacy_of_consumption(
        consumption, deaths, reference_consumption_mg=200_000, reference_proxy_deaths=1_000
    )
    assert figure.value == pytest.approx(value)
    assert figure.category == category
    assert {"unconfirmed-constant", "unconfirmed-method"} <= figure.flag_codes


def test_adequacy_refuses_zero_deaths() -> None:
    with pytest.raises(BadInput, match="proxy deaths"):
        adequacy_of_consumption(1, 0, reference_consumption_mg=1, reference_proxy_deaths=1)


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=1, max_value=1e10))
def test_doubling_the_population_halves_availability(kg: float, population: float) -> None:
    single = sddd_per_million_per_day({"morphine": kg}, population).value
    assert sddd_per_million_per_day({"morphine": kg}, 2 * population).value == pytest.approx(single / 2, abs=1e-12)
