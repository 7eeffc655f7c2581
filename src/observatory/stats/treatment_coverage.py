"""SDG indicator 3.5.1: coverage of treatment for substance use disorders (METHODS.md §7 [C]).

Coverage = people treated at least once in the year ÷ people with the disorder in that year × 100, for drugs
or for alcohol. A regional or global aggregate (Σ treated ÷ Σ with the disorder over reporting countries) is
published only when enough countries report and they hold enough of the population: the thresholds are not
in METHODS.md, so the caller names them, and an aggregate below either is flagged ``below-threshold``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from observatory.errors import BadInput
from observatory.stats.figure import Constant, Figure, Flag, FlagCode, Method
from observatory.stats.inputs import computed, non_negative, positive
from observatory.stats.ranges import Range

SOURCE = "METHODS.md §7 [C]; WHO GHO metadata 4411"


class Substance(StrEnum):
    DRUGS = "drugs"
    ALCOHOL = "alcohol"


@dataclass(frozen=True, slots=True)
class CountryTreatment:
    country: str
    treated: float
    with_disorder: float
    population: float


def treatment_coverage(treated: float, with_disorder: float | Range, *, substance: Substance) -> Figure:
    count = non_negative("treated", treated)
    people = (with_disorder if isinstance(with_disorder, Range) else Range.point(with_disorder)).at_least(
        "people with the disorder", 0, strict=True
    )
    return Figure(
        value=computed("coverage", 100 * count / people.best),
        low=computed("coverage low", 100 * count / people.high),
        high=computed("coverage high", 100 * count / people.low),
        unit="percent",
        method=_method(substance, "treated at least once in the year ÷ people with the disorder × 100"),
        flags=_above_full(100 * count / people.best),
    )


def aggregate_treatment_coverage(
    countries: Sequence[CountryTreatment],
    *,
    substance: Substance,
    area_population: float,
    minimum_countries: Constant,
    minimum_population_share: Constant,
) -> Figure:
    """Σ treated ÷ Σ with the disorder over ``countries``; ``area_population`` includes non-reporting ones."""
    if not countries:
        raise BadInput("no reporting countries given", [{"field": "countries"}])
    names = [country.country for country in countries]
    if len(set(names)) != len(names):
        raise BadInput(f"a country is listed twice: {sorted(n for n in set(names) if names.count(n) > 1)}")
    treated = sum(non_negative(f"treated in {c.country}", c.treated) for c in countries)
    people = sum(positive(f"people with the disorder in {c.country}", c.with_disorder) for c in countries)
    covered = sum(positive(f"population of {c.country}", c.population) for c in countries)
    total = positive("area population", area_population)
    if covered > total:
        raise BadInput(f"the reporting countries hold {covered:g} people, more than the area's {total:g}")
    flags = list(_above_full(100 * treated / people))
    share = covered / total
    if len(countries) < minimum_countries.number or share < minimum_population_share.number:
        flags.append(
            Flag(
                FlagCode.BELOW_THRESHOLD,
                f"{len(countries)} countries with {share:.1%} of the population report; publication needs "
                f"{minimum_countries.number:g} countries and {minimum_population_share.number:.0%} of the population",
            )
        )
    return Figure(
        value=computed("coverage", 100 * treated / people),
        unit="percent",
        method=_method(substance, "Σ treated ÷ Σ people with the disorder over reporting countries × 100"),
        constants=(minimum_countries, minimum_population_share),
        flags=tuple(flags),
    )


def _method(substance: Substance, description: str) -> Method:
    if substance not in tuple(Substance):
        raise BadInput(
            f"unknown substance {substance!r}; SDG 3.5.1 is disaggregated by {', '.join(Substance)}",
            [{"field": "substance", "value": substance, "accepted": list(Substance)}],
        )
    return Method(f"sdg-3.5.1/{substance}", f"SDG 3.5.1 ({substance}): {description}", source=SOURCE)


def _above_full(value: float) -> tuple[Flag, ...]:
    if value <= 100:
        return ()
    return (Flag(FlagCode.ABOVE_FULL_COVERAGE, f"coverage {value:.1f} % exceeds 100 %: check the estimate"),)
