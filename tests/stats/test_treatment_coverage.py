"""SDG 3.5.1 treatment coverage, and aggregates flagged below the publication thresholds."""

import pytest

from observatory.errors import BadInput
from observatory.stats.figure import Constant
from observatory.stats.ranges import Range
from observatory.stats.treatment_coverage import (
    CountryTreatment,
    Substance,
    aggregate_treatment_coverage,
    treatment_coverage,
)

THREE = Constant("sdg-351-minimum-countries", 3, "caller's rule [U]", False)
HALF = Constant("sdg-351-minimum-population-share", 0.5, "caller's rule [U]", False)
COUNTRIES = [
    CountryTreatment("AAA", treated=1_000, with_disorder=10_000, population=1e6),
    CountryTreatment("BBB", treated=3_000, with_disorder=10_000, population=2e6),
    CountryTreatment("CCC", treated=0, with_disorder=5_000, population=1e6),
]


def test_a_range_of_people_with_the_disorder_gives_an_interval() -> None:
    figure = treatment_coverage(12_000, Range(60_000, 40_000, 80_000), substance=Substance.ALCOHOL)
    assert (figure.value, figure.low, figure.high) == pytest.approx((20, 15, 30))
    assert figure.method.id == "sdg-3.5.1/alcohol"


@pytest.mark.parametrize(
    ("countries", "area_population", "value", "below"),
    [
        (COUNTRIES, 5e6, 4000 / 25_000 * 100, False),
        (COUNTRIES[:2], 5e6, 20.0, True),  # two countries
        (COUNTRIES, 9e6, 4000 / 25_000 * 100, True),  # 44 % of the population
    ],
)
def test_aggregates(countries: list[CountryTreatment], area_population: float, value: float, below: bool) -> None:
    figure = aggregate_treatment_coverage(
        countries,
        substance=Substance.DRUGS,
        area_population=area_population,
        minimum_countries=THREE,
        minimum_population_share=HALF,
    )
    assert figure.value == pytest.approx(value)
    assert ("below-threshold" in figure.flag_codes) is below
    assert "unconfirmed-constant" in figure.flag_codes


@pytest.mark.parametrize(
    ("countries", "area_population", "problem"),
    [
        ([], 1e6, "no reporting countries"),
        ([COUNTRIES[0], COUNTRIES[0]], 1e7, "listed twice"),
        (COUNTRIES, 1e6, "more than the area"),
        ([CountryTreatment("DDD", 1, 0, 1e6)], 1e7, "people with the disorder in DDD"),
    ],
)
def test_aggregate_refusals(countries: list[CountryTreatment], area_population: float, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        aggregate_treatment_coverage(
            countries,
            substance=Substance.DRUGS,
            area_population=area_population,
            minimum_countries=THREE,
            minimum_population_share=HALF,
        )


def test_refusals_and_flags_for_single_countries() -> None:
    with pytest.raises(BadInput, match="unknown substance 'tobacco'"):
        treatment_coverage(1, 10, substance="tobacco")  # type: ignore[arg-type]
    with pytest.raises(BadInput, match="people with the disorder must be >"):
        treatment_coverage(1, 0, substance=Substance.DRUGS)
    assert "above-full-coverage" in treatment_coverage(11, 10, substance=Substance.DRUGS).flag_codes
