"""From national prevalence estimates to subregional, regional and global ones (METHODS.md §4 [U], §7).

Users = prevalence × population aged 15–64, for best, low and high separately, in every country (reported or
imputed, see ``imputation``); an area's users are the sum over its countries, its prevalence their users ÷ its
population. Each area also gets the share of its population living in countries that reported an estimate.
The result is figures labelled ``level`` (country, subregion, region, global), ``area``, ``measure``
(prevalence, users, population-covered) and ``basis`` (reported, imputed-…, aggregate); ``to_arrow`` tabulates.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import pyarrow as pa

from observatory.errors import BadInput
from observatory.stats.figure import Figure, Flag, FlagCode, InputRef, Method
from observatory.stats.imputation import Basis, Estimates, National, impute
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
#: Area levels, each with the area of every country of a national table at that level.
AREAS: dict[str, Callable[[National], Sequence[str]]] = {
    "subregion": lambda national: national.subregion,
    "region": lambda national: national.region,
    "global": lambda national: ("World",) * len(national.country),
}


def aggregate_prevalence(
    table: pa.Table, *, scale: PrevalenceScale, countries: bool = True, areas: Collection[str] = tuple(AREAS)
) -> list[Figure]:
    """Country (unless ``countries`` is false) and area figures, of the ``areas`` levels only (by default
    subregion, region and global), from a table laid out as ``prevalence_table`` describes."""
    national = National.of(read_prevalence_table(table, scale))
    return aggregate_national(national, scale=PrevalenceScale(scale), countries=countries, areas=areas)


def aggregate_national(
    national: National, *, scale: PrevalenceScale, countries: bool = True, areas: Collection[str] = tuple(AREAS)
) -> list[Figure]:
    """``aggregate_prevalence`` of a national table already read and checked (``read_prevalence_table``'s rules
    hold)."""
    unknown = [level for level in areas if level not in AREAS]
    if unknown:
        raise BadInput(f"unknown area level {unknown[0]!r}; accepted: {', '.join(AREAS)}", [{"level": unknown[0]}])
    estimates = impute(national)
    table = _Table(national, estimates, PrevalenceScale(scale))
    figures = [figure for index in range(len(national.country)) if countries for figure in table.country(index)]
    for level, of in AREAS.items():
        if level not in areas:
            continue
        groups: defaultdict[str, list[int]] = defaultdict(list)
        for index, area in enumerate(of(national)):
            groups[area].append(index)
        for area, members in groups.items():
            figures.extend(table.area(level, area, members))
    return figures


@dataclass(frozen=True, slots=True)
class _Table:
    """A national table with its estimates: the figures of one country or of a group of them."""

    national: National
    estimates: Estimates
    scale: PrevalenceScale

    def country(self, index: int) -> list[Figure]:
        national, estimates = self.national, self.estimates
        name, flags = national.country[index], []
        if estimates.imputed(index):
            flags.append(Flag(FlagCode.IMPUTED, f"{name}: no estimate; {estimates.basis[index]} average used"))
        if national.range_missing(index):
            flags.append(Flag(FlagCode.RANGE_MISSING, f"{name}: no low or high given; best used for both"))
        source = national.source[index]
        prevalence = _Prevalence(
            (estimates.best[index], estimates.low[index], estimates.high[index]),
            IMPUTED if estimates.imputed(index) else REPORTED,
            (source,) if source else (),
            tuple(flags),
        )
        labels = ("country", name, str(estimates.basis[index]))
        return self._labelled(labels, prevalence, national.population[index], [index])

    def area(self, level: str, area: str, members: Sequence[int]) -> list[Figure]:
        population, estimates = self.national.population, self.estimates
        weights = [population[index] for index in members]
        total = math.fsum(weights)
        best, low, high = (
            math.fsum([values[index] * weight for index, weight in zip(members, weights, strict=True)]) / total
            for values in (estimates.best, estimates.low, estimates.high)
        )
        sources = self.national.source
        # Rows citing the same input usually share one object: telling them apart by identity first is cheap, and
        # the figure drops any equal ones left.
        cited = {id(source): source for source in (sources[index] for index in members) if source}
        prevalence = _Prevalence((best, low, high), AGGREGATE, tuple(cited.values()), self._area_flags(members, total))
        return self._labelled((level, area, "aggregate"), prevalence, total, members)

    def _labelled(
        self, labels: tuple[str, str, str], made: "_Prevalence", population: float, members: Sequence[int]
    ) -> list[Figure]:
        """The prevalence, users and population-covered figures of one country or area, labelled level, area,
        basis and measure."""
        named = tuple(zip(("level", "area", "basis"), labels, strict=True))
        best, low, high = made.ends
        prevalence = Figure(
            value=best,
            low=low,
            high=high,
            unit=str(self.scale),
            method=made.method,
            inputs=made.inputs,
            flags=made.flags,
            dimensions=(*named, ("measure", "prevalence")),
        )
        per_person = population / self.scale.full
        users = Figure(
            value=best * per_person,
            low=low * per_person,
            high=high * per_person,
            unit="persons",
            method=USERS,
            inputs=prevalence.inputs,
            flags=prevalence.flags,
            dimensions=(*named, ("measure", "users")),
        )
        weights, basis = self.national.population, self.estimates.basis
        reporting = math.fsum([weights[index] for index in members if basis[index] is Basis.REPORTED])
        covered = Figure(
            value=min(reporting / population, 1.0),
            unit="proportion",
            method=COVERED,
            dimensions=(*named, ("measure", "population-covered")),
        )
        return [prevalence, users, covered]

    def _area_flags(self, members: Sequence[int], population: float) -> tuple[Flag, ...]:
        national, estimates = self.national, self.estimates
        flags = []
        imputed = [index for index in members if estimates.basis[index] is not Basis.REPORTED]
        if imputed:
            share = math.fsum([national.population[index] for index in imputed]) / population
            names = ", ".join(f"{national.country[index]} ({estimates.basis[index]})" for index in imputed)
            flags.append(
                Flag(
                    FlagCode.IMPUTED,
                    f"{len(imputed)} of {len(members)} countries, {share:.1%} of the population, imputed: {names}",
                )
            )
        missing = [national.country[index] for index in members if national.range_missing(index)]
        if missing:
            flags.append(Flag(FlagCode.RANGE_MISSING, f"best used as low and high for {', '.join(missing)}"))
        return tuple(flags)


@dataclass(frozen=True, slots=True)
class _Prevalence:
    """What a prevalence figure is made of, before it is labelled."""

    ends: tuple[float, float, float]
    method: Method
    inputs: tuple[InputRef, ...]
    flags: tuple[Flag, ...]
