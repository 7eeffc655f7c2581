"""From national prevalence estimates to subregional, regional and global ones (METHODS.md §4 [U], §7).

Users = prevalence × population aged 15–64, for best, low and high separately, in every country (reported or
imputed, see ``imputation``); an area's users are the sum over its countries, its prevalence their users ÷ its
population. Each area also gets the share of its population living in countries that reported an estimate.
The result is figures labelled ``level`` (country, subregion, region, global), ``area``, ``measure``
(prevalence, users, population-covered) and ``basis`` (reported, imputed-…, aggregate); ``to_arrow`` tabulates.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Sequence

import pyarrow as pa

from observatory.stats.figure import Figure, Flag, FlagCode, Method
from observatory.stats.imputation import CountryEstimate, impute
from observatory.stats.prevalence_table import PrevalenceScale, read_prevalence_table

_SOURCE = "METHODS.md §4 [U]: recommended implementation of UNODC extrapolation"
REPORTED = Method("prevalence/national", "national estimate as reported")
IMPUTED = Method(
    "prevalence/imputed",
    "population-weighted prevalence (best, low, high) of reporting countries in the subregion, else region, else world",
    confirmed=False,
    source=_SOURCE,
)
AGGREGATE = Method(
    "prevalence/aggregate",
    "Σ prevalence × population 15–64 over countries (reported or imputed) ÷ Σ population; best, low, high apart",
    confirmed=False,
    source=_SOURCE,
)
USERS = Method("prevalence/users", "prevalence × population aged 15–64")
COVERED = Method("prevalence/population-covered", "population 15–64 of reporting countries ÷ population 15–64")
LEVELS: tuple[tuple[str, Callable[[CountryEstimate], str]], ...] = (
    ("subregion", lambda e: e.country.subregion),
    ("region", lambda e: e.country.region),
    ("global", lambda _: "World"),
)


def aggregate_prevalence(table: pa.Table, *, scale: PrevalenceScale, countries: bool = True) -> list[Figure]:
    """Country (unless ``countries`` is false), subregion, region and global figures from a table laid out as
    ``prevalence_table`` describes."""
    estimates = impute(read_prevalence_table(table, scale))
    figures = [figure for estimate in estimates if countries for figure in _country(estimate, PrevalenceScale(scale))]
    for level, key in LEVELS:
        groups: defaultdict[str, list[CountryEstimate]] = defaultdict(list)
        for estimate in estimates:
            groups[key(estimate)].append(estimate)
        for area, members in groups.items():
            figures.extend(_area(level, area, members, PrevalenceScale(scale)))
    return figures


def _country(estimate: CountryEstimate, scale: PrevalenceScale) -> list[Figure]:
    row = estimate.country
    flags = []
    if estimate.imputed:
        flags.append(Flag(FlagCode.IMPUTED, f"{row.country}: no estimate; {estimate.basis} average used"))
    if row.range_missing:
        flags.append(Flag(FlagCode.RANGE_MISSING, f"{row.country}: no low or high given; best used for both"))
    prevalence = Figure(
        value=estimate.best,
        low=estimate.low,
        high=estimate.high,
        unit=str(scale),
        method=IMPUTED if estimate.imputed else REPORTED,
        inputs=(row.source,) if row.source else (),
        flags=tuple(flags),
    )
    return _labelled("country", row.country, str(estimate.basis), prevalence, row.population, scale, [estimate])


def _area(level: str, area: str, members: Sequence[CountryEstimate], scale: PrevalenceScale) -> list[Figure]:
    population = math.fsum(e.country.population for e in members)
    best, low, high = (
        math.fsum(getattr(e, end) * e.country.population for e in members) / population
        for end in ("best", "low", "high")
    )
    prevalence = Figure(
        value=best,
        low=low,
        high=high,
        unit=str(scale),
        method=AGGREGATE,
        inputs=tuple(e.country.source for e in members if e.country.source),
        flags=_area_flags(members, population),
    )
    return _labelled(level, area, "aggregate", prevalence, population, scale, members)


def _labelled(
    level: str,
    area: str,
    basis: str,
    prevalence: Figure,
    population: float,
    scale: PrevalenceScale,
    members: Sequence[CountryEstimate],
) -> list[Figure]:
    per_person = population / scale.full
    users = Figure(
        value=prevalence.value * per_person,
        low=None if prevalence.low is None else prevalence.low * per_person,
        high=None if prevalence.high is None else prevalence.high * per_person,
        unit="persons",
        method=USERS,
        inputs=prevalence.inputs,
        constants=prevalence.constants,
        flags=prevalence.flags,
    )
    reporting = math.fsum(e.country.population for e in members if not e.imputed)
    covered = Figure(value=min(reporting / population, 1.0), unit="proportion", method=COVERED)
    labels = {"level": level, "area": area, "basis": basis}
    return [
        prevalence.labelled(**labels, measure="prevalence"),
        users.labelled(**labels, measure="users"),
        covered.labelled(**labels, measure="population-covered"),
    ]


def _area_flags(members: Sequence[CountryEstimate], population: float) -> tuple[Flag, ...]:
    flags = []
    imputed = [e for e in members if e.imputed]
    if imputed:
        share = math.fsum(e.country.population for e in imputed) / population
        names = ", ".join(f"{e.country.country} ({e.basis})" for e in imputed)
        flags.append(
            Flag(
                FlagCode.IMPUTED,
                f"{len(imputed)} of {len(members)} countries, {share:.1%} of the population, imputed: {names}",
            )
        )
    missing = [e.country.country for e in members if e.country.range_missing]
    if missing:
        flags.append(Flag(FlagCode.RANGE_MISSING, f"best used as low and high for {', '.join(missing)}"))
    return tuple(flags)
