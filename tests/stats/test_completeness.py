"""Completeness: countries reporting of those expected, population covered, shares imputed."""

import pytest

from observatory.errors import BadInput
from observatory.stats.completeness import completeness

EXPECTED = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0, "DDD": 1000.0}


def test_shares_of_countries_and_population() -> None:
    result = completeness(EXPECTED, reporting={"AAA", "CCC"}, imputed=["DDD"])
    values = [f.value for f in (result.countries_reporting, result.population_covered)]
    values += [f.value for f in (result.countries_imputed, result.population_imputed)]
    assert values == pytest.approx([0.5, 0.35, 0.25, 0.5])
    assert result.population_covered.method.id == "completeness/population-covered"


def test_a_country_listed_twice_counts_once() -> None:
    assert completeness(EXPECTED, reporting=["AAA", "AAA"]).countries_reporting.value == 0.25


@pytest.mark.parametrize(
    ("expected", "reporting", "imputed", "problem"),
    [
        ({}, [], [], "no expected countries"),
        (EXPECTED, ["ZZZ"], [], "reporting countries not among the expected ones: ZZZ"),
        (EXPECTED, [], ["YYY"], "imputed countries not among"),
        (EXPECTED, ["AAA"], ["AAA"], "both reporting and imputed: AAA"),
        ({"AAA": 0.0}, [], [], "population of AAA"),
    ],
)
def test_refusals(expected: dict[str, float], reporting: list[str], imputed: list[str], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        completeness(expected, reporting, imputed)
