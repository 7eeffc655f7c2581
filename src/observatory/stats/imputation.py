"""Prevalence for countries without an estimate (METHODS.md §4, recommended implementation, [U]).

A country without data takes the population-weighted prevalence of the reporting countries in its subregion,
for best, low and high separately; with none there, those of its region; with none there, of the world. The
level used is kept with the estimate. Weighting the countries' own low and high (rather than, say, percentiles
of their best values) keeps low ≤ best ≤ high for every imputed country.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from observatory.errors import BadInput
from observatory.stats.prevalence_table import CountryPrevalence


class Basis(StrEnum):
    REPORTED = "reported"
    SUBREGION = "imputed-subregion"
    REGION = "imputed-region"
    WORLD = "imputed-world"


@dataclass(frozen=True, slots=True)
class CountryEstimate:
    country: CountryPrevalence
    best: float
    low: float
    high: float
    basis: Basis

    @property
    def imputed(self) -> bool:
        return self.basis is not Basis.REPORTED


def impute(rows: Sequence[CountryPrevalence]) -> list[CountryEstimate]:
    reported = {row.country: _reported(row, row.best) for row in rows if row.best is not None}
    if not reported:
        raise BadInput("no country in the table has an estimate, so none can be imputed", [{"field": "best"}])
    pool = list(reported.values())
    return [reported.get(row.country) or _imputed(row, pool) for row in rows]


def _reported(row: CountryPrevalence, best: float) -> CountryEstimate:
    low = best if row.low is None else row.low
    high = best if row.high is None else row.high
    return CountryEstimate(row, best, low, high, Basis.REPORTED)


def _imputed(row: CountryPrevalence, reported: Sequence[CountryEstimate]) -> CountryEstimate:
    basis, pool = Basis.WORLD, list(reported)
    region = [e for e in reported if e.country.region == row.region]
    subregion = [e for e in region if e.country.subregion == row.subregion]
    if subregion:
        basis, pool = Basis.SUBREGION, subregion
    elif region:
        basis, pool = Basis.REGION, region
    return CountryEstimate(row, _weighted(pool, "best"), _weighted(pool, "low"), _weighted(pool, "high"), basis)


def _weighted(pool: Sequence[CountryEstimate], end: str) -> float:
    population = math.fsum(e.country.population for e in pool)
    return math.fsum(getattr(e, end) * e.country.population for e in pool) / population
