"""The population prevalence figures are computed on: aged 15–64, the WDR's basis, from the reference release
(World Bank WDI ``SP.POP.1564.TO``), completed for the territories the series lacks from the total population
(``stats.population_ages``, listed); and total population, kept for per-capita rates. The total population is the
analytics snapshot's (``AnalyticsStore.population``, written from the records store at each refresh), so a question
reads a file held in memory, never the records store. A year either source lacks is an explained ``BadInput``,
never zeros. Front doors: ``population_for``, ``total_population_for``.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.reference.geography import places
from observatory.reference.population_15_64 import INDICATOR, SOURCE_ID, population_15_64
from observatory.stats.figure import InputRef
from observatory.stats.population_ages import SHARE_RULE, Estimated, aged_15_64


@dataclass(frozen=True, slots=True)
class PopulationYear(Mapping[str, float]):
    """The population aged 15–64 by ISO3 code in one year (a mapping), with the total population it was completed
    from, the places estimated (territories the World Bank series lacks) and the input to cite."""

    year: int
    persons: Mapping[str, float]
    total: Mapping[str, float]
    estimated: tuple[Estimated, ...]
    source: InputRef

    def __getitem__(self, code: str) -> float:
        return self.persons[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.persons)

    def __len__(self) -> int:
        return len(self.persons)

    @property
    def estimated_places(self) -> tuple[str, ...]:
        return tuple(item.place for item in self.estimated)

    @property
    def notes(self) -> tuple[str, ...]:
        if not self.estimated:
            return ()
        listed = ", ".join(f"{e.place} ({e.share:.1%} of total, {e.group})" for e in self.estimated)
        return (
            f"population aged 15–64 estimated ({SHARE_RULE.id}, unconfirmed) for places {INDICATOR} lacks: {listed}",
        )


def population_for(store: AnalyticsStore, year: int) -> PopulationYear:
    """The population aged 15–64 by ISO3 code in ``year``: the prevalence basis."""
    return populations_for(store, [year])[year]


def populations_for(store: AnalyticsStore, years: Sequence[int]) -> dict[int, PopulationYear]:
    """The population aged 15–64 by year, then ISO3 code, in each of ``years`` (reference data, territories
    completed from the snapshot's total population). A year either lacks is ``BadInput`` saying which."""
    reference = population_15_64()
    aged = {year: reference.year(year) for year in years}
    totals = total_populations_for(store, years)
    groups = {place.iso3: place.unodc_subregion or place.subregion_name for place in places()}
    source = InputRef(SOURCE_ID, reference.vintage)
    result = {}
    for year in years:
        completed = aged_15_64(totals[year], aged[year], groups)
        result[year] = PopulationYear(year, completed.persons, totals[year], completed.estimated, source)
    return result


def total_population_for(store: AnalyticsStore, year: int) -> dict[str, float]:
    """Total population by ISO3 code in ``year``, from the snapshot: for per-capita rates."""
    return total_populations_for(store, [year])[year]


def total_populations_for(store: AnalyticsStore, years: Sequence[int]) -> dict[int, dict[str, float]]:
    """Total population by year, then ISO3 code, in each of ``years``, from the snapshot's population file."""
    table = store.population()
    if table is None:
        raise BadInput(
            "the analytics snapshot has no population yet: refresh it (observatory stats refresh)",
            [{"parameter": "year", "value": year} for year in years],
        )
    rows = table.filter(pc.is_in(table["year"], pa.array(list(years), pa.int32()))).to_pydict()
    found: dict[int, dict[str, float]] = {year: {} for year in years}
    for code, year, persons in zip(rows["country_iso3"], rows["year"], rows["persons"], strict=True):
        found[year][code] = float(persons)
    missing = [year for year, persons in found.items() if not persons]
    if missing:
        listed = ", ".join(map(str, missing))
        raise BadInput(
            f"the population has no figures for {listed}", [{"parameter": "year", "value": y} for y in missing]
        )
    return found
