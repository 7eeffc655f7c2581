"""Prevalence for countries without an estimate (METHODS.md §4, recommended implementation, [U]).

A country without data takes, as its best value, the population-weighted prevalence of the reporting countries in
its subregion; with none there, of its region; with none there, of the world. The level used is kept with the
estimate. Its low and high are not the pool's own (weighted) low and high, which would treat its prevalence as if
it were known: they are the 10th and 90th percentiles of the reporting countries' best values (METHODS.md §4:
"Low/High = subregional low/high (e.g. 10th/90th percentile of country estimates) applied to the population
without data", [U]), from the smallest pool — subregion, region, world — with at least ``RANGE_MIN_COUNTRIES``
reporting countries, widened where needed so that low ≤ best ≤ high. The constants are ``RANGE_CONSTANTS``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from observatory.errors import BadInput
from observatory.stats.figure import Constant, InputRef
from observatory.stats.prevalence_table import CountryPrevalence

RANGE_PERCENTILES = (10.0, 90.0)
RANGE_MIN_COUNTRIES = 3
RANGE_CONSTANTS = (
    Constant(
        "imputation-range-low-percentile",
        RANGE_PERCENTILES[0],
        "METHODS.md §4 [U]: low of a country without data = 10th percentile of the pool's country estimates",
        confirmed=False,
    ),
    Constant(
        "imputation-range-high-percentile",
        RANGE_PERCENTILES[1],
        "METHODS.md §4 [U]: high of a country without data = 90th percentile of the pool's country estimates",
        confirmed=False,
    ),
    Constant(
        "imputation-range-min-countries",
        RANGE_MIN_COUNTRIES,
        "ours [U]: fewest reporting countries whose percentiles make a range; else the next larger pool",
        confirmed=False,
    ),
)


def percentile(values: Sequence[float], percent: float) -> float:
    """The ``percent`` percentile of ``values`` by linear interpolation between order statistics (Hyndman and Fan's
    type 7, the default of R's ``quantile`` and NumPy)."""
    if not values or not 0 <= percent <= 100:
        raise BadInput(f"a percentile needs values and a percent in 0–100, not {len(values)} values, {percent}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * percent / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


class Basis(StrEnum):
    REPORTED = "reported"
    SUBREGION = "imputed-subregion"
    REGION = "imputed-region"
    WORLD = "imputed-world"


@dataclass(frozen=True, slots=True)
class National:
    """A national table column by column, one position per country: what ``read_prevalence_table`` reads, laid out
    for sums (a roll-up over many years makes thousands of country rows)."""

    country: tuple[str, ...]
    subregion: tuple[str, ...]
    region: tuple[str, ...]
    population: tuple[float, ...]
    best: tuple[float | None, ...]
    low: tuple[float | None, ...]
    high: tuple[float | None, ...]
    source: tuple[InputRef | None, ...]

    @classmethod
    def of(cls, rows: Sequence[CountryPrevalence]) -> "National":
        return cls(
            tuple(row.country for row in rows),
            tuple(row.subregion for row in rows),
            tuple(row.region for row in rows),
            tuple(row.population for row in rows),
            tuple(row.best for row in rows),
            tuple(row.low for row in rows),
            tuple(row.high for row in rows),
            tuple(row.source for row in rows),
        )

    def range_missing(self, index: int) -> bool:
        return self.best[index] is not None and self.low[index] is None


@dataclass(frozen=True, slots=True)
class Estimates:
    """Every country's best, low and high, reported or imputed, with the basis of each (positions as ``National``)."""

    best: list[float]
    low: list[float]
    high: list[float]
    basis: list[Basis]

    def imputed(self, index: int) -> bool:
        return self.basis[index] is not Basis.REPORTED


def impute(national: National) -> Estimates:
    reported = [index for index, best in enumerate(national.best) if best is not None]
    if not reported:
        raise BadInput("no country in the table has an estimate, so none can be imputed", [{"field": "best"}])
    best = [0.0 if value is None else value for value in national.best]
    low = [b if value is None else value for b, value in zip(best, national.low, strict=True)]
    high = [b if value is None else value for b, value in zip(best, national.high, strict=True)]
    basis = [Basis.REPORTED if value is not None else Basis.WORLD for value in national.best]
    pools = _Pools(national, reported, (best, low, high))
    for index, value in enumerate(national.best):
        if value is None:
            basis[index], (best[index], low[index], high[index]) = pools.imputed(index)
    return Estimates(best, low, high, basis)


class _Pools:
    """The reporting countries by subregion and region, each pool's weighted best, low and high worked out once.
    Pools are keyed by (region, subregion), (region, "") and ("", "") for the world: plain strings hash fast."""

    BASES = (Basis.SUBREGION, Basis.REGION, Basis.WORLD)

    def __init__(self, national: National, reported: list[int], ends: tuple[list[float], ...]) -> None:
        self.national, self.ends = national, ends
        self.pools: dict[tuple[str, str], list[int]] = {("", ""): reported}
        regions, subregions = national.region, national.subregion
        for index in reported:
            region = regions[index]
            self.pools.setdefault((region, ""), []).append(index)
            self.pools.setdefault((region, subregions[index]), []).append(index)
        self._weighted: dict[tuple[str, str], tuple[float, float, float]] = {}

    def imputed(self, index: int) -> tuple[Basis, tuple[float, float, float]]:
        region = self.national.region[index]
        keys = ((region, self.national.subregion[index]), (region, ""), ("", ""))
        level = next(level for level, key in enumerate(keys) if key in self.pools)
        basis, key = self.BASES[level], keys[level]
        if key not in self._weighted:
            pool, population = self.pools[key], self.national.population
            weights = [population[member] for member in pool]
            total = math.fsum(weights)
            best = math.fsum([self.ends[0][member] * weight for member, weight in zip(pool, weights, strict=True)])
            best /= total
            wide = next(
                (self.pools[k] for k in keys[level:] if len(self.pools.get(k, ())) >= RANGE_MIN_COUNTRIES), None
            )
            values = [self.ends[0][member] for member in (wide or self.pools[("", "")])]
            low, high = (percentile(values, percent) for percent in RANGE_PERCENTILES)
            self._weighted[key] = (best, min(low, best), max(high, best))
        return basis, self._weighted[key]
