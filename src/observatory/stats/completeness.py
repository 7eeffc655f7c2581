"""Data-quality figures for an aggregate: how many of the expected countries report, and how much is imputed.

Shares are of the expected countries and of their population (e.g. aged 15–64); a country either reports,
is imputed, or is missing; it cannot both report and be imputed. ``universe_completeness`` expects the reporting
universe (``reference.reporting_universe``: UN Member States, non-member States and the territories the ARQ covers),
not every ISO 3166 place.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from observatory.errors import BadInput
from observatory.reference.reporting_universe import universe_codes
from observatory.stats.figure import Figure, Method
from observatory.stats.inputs import positive


@dataclass(frozen=True, slots=True)
class Completeness:
    countries_reporting: Figure
    population_covered: Figure
    countries_imputed: Figure
    population_imputed: Figure
    #: Expected countries without a population figure: counted among the countries, left out of the population shares.
    population_unknown: tuple[str, ...] = ()


def completeness(
    expected_population: Mapping[str, float], reporting: Collection[str], imputed: Collection[str] = ()
) -> Completeness:
    if not expected_population:
        raise BadInput("no expected countries given", [{"field": "expected_population"}])
    population = _checked(expected_population)
    return _completeness(frozenset(population), population, reporting, imputed)


def universe_completeness(
    population: Mapping[str, float], reporting: Collection[str], imputed: Collection[str] = ()
) -> Completeness:
    """``completeness`` of the reporting universe. ``population`` may hold other places (left out) and may lack
    members (the World Bank has no figure for the Holy See): those are listed in ``population_unknown``."""
    expected = universe_codes()
    known = _checked({country: value for country, value in population.items() if country in expected})
    if not known:
        raise BadInput("no population for any country of the reporting universe", [{"field": "population"}])
    return _completeness(expected, known, reporting, imputed)


def _completeness(
    expected: frozenset[str], population: Mapping[str, float], reporting: Collection[str], imputed: Collection[str]
) -> Completeness:
    for name, given in (("reporting", reporting), ("imputed", imputed)):
        unknown = sorted(set(given) - expected)
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
        _share("countries-reporting", "countries reporting ÷ countries expected", len(set(reporting)), len(expected)),
        _share(
            "population-covered", "population of reporting countries ÷ expected", _sum(population, reporting), total
        ),
        _share("countries-imputed", "countries imputed ÷ countries expected", len(set(imputed)), len(expected)),
        _share("population-imputed", "population of imputed countries ÷ expected", _sum(population, imputed), total),
        tuple(sorted(expected - set(population))),
    )


def _checked(population: Mapping[str, float]) -> dict[str, float]:
    return {country: positive(f"population of {country}", value) for country, value in population.items()}


def _sum(population: Mapping[str, float], countries: Collection[str]) -> float:
    return sum(population.get(country, 0.0) for country in set(countries))


def _share(name: str, description: str, part: float, whole: float) -> Figure:
    return Figure(value=part / whole, unit="proportion", method=Method(f"completeness/{name}", description))
