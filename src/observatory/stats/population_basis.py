"""The population prevalence is weighted by: total population as held, or a population aged 15–64 derived from
WDR table 1.1 itself.

The WDR weights by the population aged 15–64, which the records store does not hold (it holds World Bank total
population). Table 1.1 implies it: an area's users ÷ its prevalence is its population aged 15–64. The derived basis
scales each country's total population by its area's factor (implied 15–64 ÷ total of the area's countries):
a subregion table 1.1 publishes gets its own factor; the other subregions of a region share the factor that makes
the region's total equal to its implied population; a region that implies nothing takes the world's factor. It is
a derived input — flagged on every figure that uses it — and it makes the comparison's populations match the
table's by construction, so differences left are differences in prevalence.
"""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import median
from typing import Any

import pyarrow as pa

from observatory.errors import BadInput
from observatory.stats.figure import Constant


class Basis(StrEnum):
    AGED = "15-64"
    TOTAL = "total"
    DERIVED = "derived-15-64"


#: The basis every prevalence and number of users is computed on unless a caller asks for another.
DEFAULT_BASIS = Basis.AGED


def parse_basis(name: str) -> Basis:
    """The basis called ``name``, or ``BadInput`` naming those supported."""
    accepted = [str(basis) for basis in Basis]
    if name not in accepted:
        raise BadInput(
            f"unknown population basis {name!r}; accepted: {', '.join(accepted)}",
            [{"parameter": "basis", "value": name, "accepted": accepted}],
        )
    return Basis(name)


AGED_BASIS = Constant(
    "population-basis",
    "population aged 15–64 (World Bank WDI SP.POP.1564.TO, reference data)",
    "World Bank WDI SP.POP.1564.TO shipped in the reference release; the WDR's denominator (METHODS.md §4 [C])",
    confirmed=True,
)
TOTAL_BASIS = Constant(
    "population-basis",
    "total population",
    "records store (World Bank total population); the WDR weights by the population aged 15–64",
    confirmed=False,
)
DERIVED_BASIS = Constant(
    "population-basis",
    "population aged 15–64 derived from WDR table 1.1 (users ÷ prevalence per area) × total population shares",
    "derived here from the published table 1.1; not an independent population estimate",
    confirmed=False,
)


@dataclass(frozen=True, slots=True)
class Implied:
    """Persons aged 15–64 an area's table 1.1 cells imply: from the drug with most users (the least rounded), and
    the relative spread of what the other drugs imply (0 when they agree)."""

    persons: float
    drug: str
    spread: float


@dataclass(frozen=True, slots=True)
class AreaPopulation:
    level: str
    area: str
    total: float
    implied: Implied | None
    factor: float
    rule: str


@dataclass(frozen=True, slots=True)
class Populations:
    basis: Basis
    by_country: dict[str, float]
    areas: tuple[AreaPopulation, ...]
    constant: Constant


def implied_populations(published: pa.Table) -> dict[tuple[str, str], Implied]:
    """(level, area) → the persons aged 15–64 its published users and prevalence imply (best values)."""
    cells: defaultdict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for row in published.to_pylist():
        if row["best"] is not None:
            cells[(row["level"], row["area"], row["drug"])][row["measure"]] = row["best"]
    by_area: defaultdict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for (level, area, drug), measures in cells.items():
        users, prevalence = measures.get("users"), measures.get("prevalence")
        if users and prevalence:
            by_area[(level, area)].append((users, users / (prevalence / 100), drug))
    implied = {}
    for key, candidates in by_area.items():
        _, persons, drug = max(candidates)
        values = [value for _, value, _ in candidates]
        implied[key] = Implied(persons, drug, (max(values) - min(values)) / persons)
    return implied


def populations(basis: Basis, geography: pa.Table, published: pa.Table) -> Populations:
    """Each country's population on ``basis``; ``geography`` has country, region, area, population (total) and
    population_15_64 (reference data, territories estimated)."""
    rows = geography.to_pylist()
    totals = {row["country"]: float(row["population"]) for row in rows}
    if basis is Basis.AGED:
        aged = {row["country"]: float(row["population_15_64"]) for row in rows}
        return Populations(basis, aged, tuple(_aged_areas(rows, implied_populations(published))), AGED_BASIS)
    if basis is Basis.TOTAL:
        return Populations(basis, totals, (), TOTAL_BASIS)
    parse_basis(basis)
    implied = implied_populations(published)
    areas = _factors(rows, implied)
    factor = {area.area: area.factor for area in areas if area.level == "subregion"}
    derived = {row["country"]: totals[row["country"]] * factor[row["area"]] for row in rows}
    return Populations(basis, derived, tuple(areas), DERIVED_BASIS)


def _factors(rows: Sequence[Mapping[str, Any]], implied: Mapping[tuple[str, str], Implied]) -> list[AreaPopulation]:
    totals: defaultdict[tuple[str, str], float] = defaultdict(float)
    regions: defaultdict[str, set[str]] = defaultdict(set)
    for row in rows:
        region, area, persons = row["region"], row["area"], float(row["population"])
        totals[("region", region)] += persons
        totals[("subregion", area)] += persons
        totals[("global", "World")] += persons
        regions[region].add(area)
    world = implied.get(("global", "World"))
    if world is None:
        raise BadInput("table 1.1 implies no world population aged 15–64 (no global users and prevalence)")
    world_factor = world.persons / totals[("global", "World")]
    areas = [AreaPopulation("global", "World", totals[("global", "World")], world, world_factor, "world")]
    for region in sorted(regions):
        areas.extend(_region(region, sorted(regions[region]), totals, implied, world_factor))
    return areas


def _region(
    region: str,
    subregions: Sequence[str],
    totals: Mapping[tuple[str, str], float],
    implied: Mapping[tuple[str, str], Implied],
    world_factor: float,
) -> list[AreaPopulation]:
    own = implied.get(("region", region))
    if own is None:
        region_row = AreaPopulation("region", region, totals[("region", region)], None, world_factor, "world")
        return [region_row, *(_sub(name, totals, None, world_factor, "world") for name in subregions)]
    published = [name for name in subregions if ("subregion", name) in implied]
    rest = [name for name in subregions if name not in published]
    remainder = own.persons - math.fsum(implied[("subregion", name)].persons for name in published)
    rest_total = math.fsum(totals[("subregion", name)] for name in rest)
    region_factor = own.persons / totals[("region", region)]
    shared, rule = (region_factor, "region")
    if remainder > 0 < rest_total:
        shared, rule = remainder / rest_total, "region remainder"
    result = [AreaPopulation("region", region, totals[("region", region)], own, region_factor, "region")]
    for name in subregions:
        found = implied.get(("subregion", name))
        if found is not None:
            result.append(_sub(name, totals, found, found.persons / totals[("subregion", name)], "subregion"))
        else:
            result.append(_sub(name, totals, None, shared, rule))
    return result


def _sub(
    name: str, totals: Mapping[tuple[str, str], float], found: Implied | None, factor: float, rule: str
) -> AreaPopulation:
    return AreaPopulation("subregion", name, totals[("subregion", name)], found, factor, rule)


def _aged_areas(rows: Sequence[Mapping[str, Any]], implied: Mapping[tuple[str, str], Implied]) -> list[AreaPopulation]:
    """Each area's total and 15–64 population (its factor: 15–64 ÷ total), beside what table 1.1 implies (shown, never
    used)."""
    sums: defaultdict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        for key in (("global", "World"), ("region", row["region"]), ("subregion", row["area"])):
            sums[key][0] += float(row["population"])
            sums[key][1] += float(row["population_15_64"])
    return [
        AreaPopulation(level, area, total, implied.get((level, area)), aged / total, "wdi-15-64")
        for (level, area), (total, aged) in sorted(sums.items(), key=lambda item: _LEVELS.index(item[0][0]))
    ]


_LEVELS = ("global", "region", "subregion")


def typical_factor(areas: Sequence[AreaPopulation]) -> float | None:
    """The median factor over subregions: what share of total population the derived basis counts as 15–64."""
    factors = [area.factor for area in areas if area.level == "subregion"]
    return median(factors) if factors else None
