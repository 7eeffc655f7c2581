"""Completeness: countries reporting of those expected, population covered, shares imputed."""

import pytest

from observatory.errors import BadInput
from observatory.reference.reporting_universe import Kind, reporting_universe, universe_codes
from observatory.stats.completeness import completeness, universe_completeness

EXPECTED = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0, "DDD": 1000.0}
#: Every member of the reporting universe with 1 person, but the Holy See (no World Bank figure); China 1,000;
#: Antarctica, outside the universe, 5.
UNIVERSE = dict.fromkeys(universe_codes() - {"VAT"}, 1.0) | {"CHN": 1000.0, "ATA": 5.0}
UNIVERSE_TOTAL = 1000.0 + len(universe_codes()) - 2


def test_shares_of_countries_and_population() -> None:
    result = completeness(EXPECTED, reporting={"AAA", "CCC"}, imputed=["DDD"])
    values = [f.value for f in (result.countries_reporting, result.population_covered)]
    values += [f.value for f in (result.countries_imputed, result.population_imputed)]
    assert values == pytest.approx([0.5, 0.35, 0.25, 0.5])
    assert result.population_covered.method.id == "completeness/population-covered"
    assert result.population_unknown == ()


def test_a_country_listed_twice_counts_once() -> None:
    assert completeness(EXPECTED, reporting=["AAA", "AAA"]).countries_reporting.value == 0.25


@pytest.mark.parametrize(
    ("reporting", "imputed", "shares"),
    [
        (["CHN"], [], [1 / 201, 1000 / UNIVERSE_TOTAL, 0.0, 0.0]),
        (["CHN", "VAT"], ["GHA"], [2 / 201, 1000 / UNIVERSE_TOTAL, 1 / 201, 1 / UNIVERSE_TOTAL]),
        (["HKG", "MAC"], [], [2 / 201, 2 / UNIVERSE_TOTAL, 0.0, 0.0]),
    ],
)
def test_the_universe_is_expected(reporting: list[str], imputed: list[str], shares: list[float]) -> None:
    result = universe_completeness(UNIVERSE, reporting, imputed)
    values = [f.value for f in (result.countries_reporting, result.population_covered)]
    values += [f.value for f in (result.countries_imputed, result.population_imputed)]
    assert values == pytest.approx(shares)
    assert result.population_unknown == ("VAT",)


def test_antarctica_is_not_expected_and_the_universe_has_the_193_member_states() -> None:
    assert sum(1 for member in reporting_universe() if member.kind is Kind.MEMBER_STATE) == 193
    assert "ATA" not in universe_codes()
    with pytest.raises(BadInput, match="reporting countries not among the expected ones: ATA"):
        universe_completeness(UNIVERSE, reporting=["ATA"])


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


@pytest.mark.parametrize(
    ("population", "problem"),
    [
        ({"ATA": 5.0}, "no population for any country of the reporting universe"),
        ({"GHA": -1.0}, "population of GHA"),
        ({}, "no population for any country"),
    ],
)
def test_universe_refusals(population: dict[str, float], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        universe_completeness(population, reporting=[])
