"""Prevalence figures from the approved national estimates: country, subregion, region and world, each with users
and the share of the population covered, weighted by the population the records store holds.

Only the levels asked for are worked out, and several years come from one query of the estimates and one of the
population: a dashboard's twenty years are one request.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from observatory.analytics.observations import distinct, latest_prevalence_by_year
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.reference.geography import Place, places
from observatory.reference.population import population
from observatory.stats.aggregation import AREAS, aggregate_national
from observatory.stats.figure import Constant, Figure, InputRef
from observatory.stats.imputation import National
from observatory.stats.prevalence_table import PrevalenceScale
from observatory.stats.provenance import FigureId, Identified

POPULATION_BASIS = Constant(
    "population-basis",
    "total population",
    "records store (World Bank total population); METHODS.md §4 weights by the population aged 15–64",
    confirmed=False,
)
PREVALENCE_KINDS = {"prevalence": "annual", "users": "users", "population-covered": "coverage"}
LEVELS = ("country", *AREAS)


@dataclass(frozen=True, slots=True)
class Prevalence:
    figures: tuple[Identified, ...]
    #: The countries the figures add up, with their population and estimates.
    countries: National
    #: ISO3 → the estimate a country's row carries (``observations.LATEST_PREVALENCE_SCHEMA``).
    estimates: Mapping[str, Mapping[str, Any]]
    notes: tuple[str, ...]
    year: int | None = None

    @property
    def national(self) -> tuple[dict[str, Any], ...]:
        """The national table the figures come from, one row per country: the rows ``explain`` lists."""
        countries = self.countries
        return tuple(
            _national(countries, index, self.estimates.get(country)) for index, country in enumerate(countries.country)
        )


def population_for(engine: Engine, year: int) -> dict[str, float]:
    """Total population by ISO3 code in ``year``, from the records store."""
    return populations_for(engine, [year])[year]


def populations_for(engine: Engine, years: Sequence[int]) -> dict[int, dict[str, float]]:
    """Total population by year, then ISO3 code, in each of ``years``, from the records store (one query)."""
    found: dict[int, dict[str, float]] = {year: {} for year in years}
    for row in population(engine, years=years):
        found[row["year"]][row["country_iso3"]] = float(row["persons"])
    missing = [year for year, persons in found.items() if not persons]
    if missing:
        listed = ", ".join(map(str, missing))
        raise BadInput(
            f"the records store has no population for {listed}", [{"parameter": "year", "value": y} for y in missing]
        )
    return found


def prevalence(
    store: AnalyticsStore, persons: Mapping[str, float], drug: str, year: int, levels: Collection[str] = LEVELS
) -> Prevalence:
    """National, subregional, regional and global past-year prevalence of ``drug`` (or only the ``levels`` asked
    for), with users and coverage."""
    (result,) = prevalence_by_year(store, {year: persons}, drug, levels)
    return result


def prevalence_by_year(
    store: AnalyticsStore, persons: Mapping[int, Mapping[str, float]], drug: str, levels: Collection[str] = LEVELS
) -> list[Prevalence]:
    """``prevalence`` in each year ``persons`` gives the population of, from one query of the estimates; a year
    before the first estimate has no figures, only a note saying so."""
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        raise BadInput(
            f"unknown level {unknown[0]!r}; accepted: {', '.join(LEVELS)}",
            [{"parameter": "level", "value": name, "accepted": list(LEVELS)} for name in unknown],
        )
    years = sorted(persons)
    latest = latest_prevalence_by_year(store, drug, years)
    if not any(latest.values()):
        _no_estimates(store, drug, years[-1])
    # One input per submission and vintage, shared by every estimate it cites.
    sources = {
        (row["submission_id"], row["vintage"]): InputRef(
            f"prevalence/submission-{row['submission_id']}", None if row["vintage"] is None else str(row["vintage"])
        )
        for rows in latest.values()
        for row in rows
    }
    counted_places = [place for place in places() if counted(place)]
    return [
        _year(
            _Year(year, persons[year], {row["country_iso3"]: row for row in latest[year]}, sources),
            counted_places,
            drug,
            levels,
        )
        for year in years
    ]


def prevalence_figure_source(
    store: AnalyticsStore, engine: Engine, figure_id: FigureId
) -> tuple[Sequence[Identified], Sequence[str], list[dict[str, Any]]]:
    """The prevalence figures of the drug, year and level ``figure_id`` names, and the national table they come
    from."""
    year, level = figure_id.years[0], figure_id.get("level")
    levels = [level] if level in LEVELS else []
    result = prevalence(store, population_for(engine, year), figure_id.get("drug") or "", year, levels)
    return result.figures, result.notes, list(result.national)


def counted(place: Place) -> bool:
    """A current place with a WDR region and subregion: one of the countries regional figures add up."""
    return bool(place.unodc_region and place.unodc_subregion) and place.valid_from is None and place.valid_to is None


@dataclass(frozen=True, slots=True)
class _Year:
    """What one year's roll-up reads: the population, the latest estimate of each country, the inputs to cite."""

    year: int
    persons: Mapping[str, float]
    estimates: Mapping[str, Mapping[str, Any]]
    sources: Mapping[tuple[int, int | None], InputRef]

    def countries(self, counted_places: Sequence[Place]) -> National:
        """The national table of the counted places with a population. Its rows hold what ``read_prevalence_table``
        checks, so they are not read again: reference places, the records store's population, and estimates
        range-checked at intake (0–100 %) whose unusable ranges are dropped."""
        universe = [place for place in counted_places if place.iso3 in self.persons]
        found = [self.estimates.get(place.iso3) for place in universe]
        kept = [None if estimate is None or estimate["dropped"] else estimate for estimate in found]
        return National(
            tuple(place.iso3 for place in universe),
            tuple(place.unodc_subregion or "" for place in universe),
            tuple(place.unodc_region or "" for place in universe),
            tuple(self.persons[place.iso3] for place in universe),
            tuple(None if estimate is None else estimate["best"] for estimate in found),
            tuple(None if estimate is None else estimate["low"] for estimate in kept),
            tuple(None if estimate is None else estimate["high"] for estimate in kept),
            tuple(None if e is None else self.sources[e["submission_id"], e["vintage"]] for e in found),
        )


def _year(year: _Year, counted_places: Sequence[Place], drug: str, levels: Collection[str]) -> Prevalence:
    estimates = year.estimates
    if not estimates:
        note = f"no approved past-year prevalence of {drug!r} in {year.year} or before"
        return Prevalence((), National.of(()), {}, (note,), year.year)
    countries = year.countries(counted_places)
    notes = [f"{e['country_iso3']}: range {e['low']}–{e['high']} dropped" for e in estimates.values() if e["dropped"]]
    left_out = sorted(set(estimates) - set(countries.country))
    if left_out:
        notes.append(f"estimates left out (no WDR region or no {year.year} population): {', '.join(left_out)}")
    areas = [level for level in AREAS if level in levels]
    figures = aggregate_national(countries, scale=PrevalenceScale.PERCENT, countries="country" in levels, areas=areas)
    identified = tuple(_prevalence_figure(f, drug, year.year) for f in figures)
    return Prevalence(identified, countries, estimates, tuple(notes), year.year)


def _no_estimates(store: AnalyticsStore, drug: str, year: int) -> None:
    drugs = distinct(store, "prevalence", "drug")
    raise BadInput(
        f"no approved past-year prevalence of {drug!r} in {year} or before; "
        f"drugs with estimates: {', '.join(drugs) or 'none'}",
        [{"parameter": "drug", "value": drug, "accepted": drugs}],
    )


def _national(countries: National, index: int, estimate: Mapping[str, Any] | None) -> dict[str, Any]:
    cells = {
        "country": countries.country[index],
        "subregion": countries.subregion[index],
        "region": countries.region[index],
        "population": countries.population[index],
    }
    source = countries.source[index]
    if estimate is None or source is None:
        return cells
    return cells | {
        "best": countries.best[index],
        "low": countries.low[index],
        "high": countries.high[index],
        "source": source.id,
        "vintage": source.vintage,
        "estimate_year": estimate["estimate_year"],
        "submission_id": estimate["submission_id"],
    }


def _prevalence_figure(figure: Figure, drug: str, year: int) -> Identified:
    labels = dict(figure.dimensions)
    selectors = (("drug", drug), ("level", labels["level"]), ("area", labels["area"]))
    figure_id = FigureId(f"prevalence.{PREVALENCE_KINDS[labels['measure']]}", selectors, (year, year))
    return Identified(figure_id, figure.depending_on(POPULATION_BASIS).labelled(drug=drug, year=str(year)))
