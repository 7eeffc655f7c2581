"""Data-quality figures for an aggregate: how many of the expected countries report, and how much is imputed.

Shares are of the expected countries and of their population (e.g. aged 15–64); a country either reports,
is imputed, or is missing; it cannot both report and be imputed.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from observatory.errors import BadInput
from observatory.stats.figure import Figure, Method
from observatory.stats.inputs import positive


@dataclass(frozen=True, slots=True)
class Completeness:
    countries_reporting: Figure
    population_covered: Figure
    countries_imputed: Figure
    population_imputed: Figure


def completeness(
    expected_population: Mapping[str, float], reporting: Collection[str], imputed: Collection[str] = ()
) -> Completeness:
    if not expected_population:
        raise BadInput("no expected countries given", [{"field": "expected_population"}])
    population = {country: positive(f"population of {country}", v) for country, v in expected_population.items()}
    for name, given in (("reporting", reporting), ("imputed", imputed)):
        unknown = sorted(set(given) - set(population))
        if unknown:
            raise BadInput(
                f"{name} countries not among the expected ones: {', '.join(map(str, unknown))}",
                [{"field": name, "value": country} for country in unknown],
            )
    both = sorted(set(reporting) & set(imputed))
    if both:
        raise BadInput(f"countries both reporting and imputed: {', '.join(map(str, both))}", [{"field": "imputed"}])
    total = sum(population.values())
    return Completeness(
        _share("countries-reporting", "countries reporting ÷ countries expected", len(set(reporting)), len(population)),
        _share(
            "population-covered", "population of reporting countries ÷ expected", _sum(population, reporting), total
        ),
        _share("countries-imputed", "countries imputed ÷ countries expected", len(set(imputed)), len(population)),
        _share("population-imputed", "population of imputed countries ÷ expected", _sum(population, imputed), total),
    )


def _sum(population: Mapping[str, float], countries: Collection[str]) -> float:
    return sum(population[country] for country in set(countries))


def _share(name: str, description: str, part: float, whole: float) -> Figure:
    return Figure(value=part / whole, unit="proportion", method=Method(f"completeness/{name}", description))
