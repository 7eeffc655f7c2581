"""Prevalence figures from the approved national estimates: country, subregion, region and world, each with users
and the share of the population covered, weighted by the population aged 15–64 — the WDR's basis — from the
reference release (World Bank WDI ``SP.POP.1564.TO``); territories the series lacks are estimated from the
snapshot's total population (``stats.population_ages``) and listed in the notes. Total population stays for
per-capita rates (``total_population_for``).

Only the levels asked for are worked out, and several years come from one query of the estimates and one of the
population: a dashboard's twenty years are one request.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine

from observatory.analytics.observations import distinct, latest_prevalence_by_year
from observatory.analytics.prevalence_population import PopulationYear as PopulationYear
from observatory.analytics.prevalence_population import population_for as population_for
from observatory.analytics.prevalence_population import populations_for as populations_for
from observatory.analytics.prevalence_population import total_population_for as total_population_for
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.reference.geography import Place, places
from observatory.stats.aggregation import AREAS, aggregate_national
from observatory.stats.figure import Figure, Flag, FlagCode, InputRef
from observatory.stats.imputation import RANGE_CONSTANTS, National
from observatory.stats.population_ages import SHARE_RULE
from observatory.stats.population_basis import AGED_BASIS
from observatory.stats.prevalence_table import PrevalenceScale
from observatory.stats.provenance import FigureId, Identified

POPULATION_BASIS = AGED_BASIS
PREVALENCE_KINDS = {"prevalence": "annual", "users": "users", "population-covered": "coverage"}
LEVELS = ("country", *AREAS)
#: The age group of the WDR's prevalence (METHODS.md §4 [C]).
WDR_AGE = "15-64"


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
    store: AnalyticsStore, _engine: Engine, figure_id: FigureId
) -> tuple[Sequence[Identified], Sequence[str], list[dict[str, Any]]]:
    """The prevalence figures of the drug, year and level ``figure_id`` names, and the national table they come
    from."""
    year, level = figure_id.years[0], figure_id.get("level")
    levels = [level] if level in LEVELS else []
    result = prevalence(store, population_for(store, year), figure_id.get("drug") or "", year, levels)
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
    unpopulated = sorted(place.iso3 for place in counted_places if place.iso3 not in year.persons)
    if unpopulated:
        notes.append(
            f"places without a {year.year} population (neither aged 15–64 nor total), not counted: "
            f"{', '.join(unpopulated)}"
        )
    areas = [level for level in AREAS if level in levels]
    figures = aggregate_national(countries, scale=PrevalenceScale.PERCENT, countries="country" in levels, areas=areas)
    basis = _Basis.of(year.persons, countries, estimates)
    notes.extend(basis.notes)
    identified = tuple(_prevalence_figure(basis.applied(f), drug, year.year) for f in figures)
    return Prevalence(identified, countries, estimates, tuple(notes), year.year)


@dataclass(frozen=True, slots=True)
class _Basis:
    """What one year's figures carry besides their numbers: the population input to cite, the areas holding a place
    whose 15–64 population is estimated (their figures depend on ``SHARE_RULE``), and per area the estimates of an
    age group other than 15–64, used as reported because no cited method adjusts them (flagged ``unconverted``)."""

    source: InputRef | None
    estimated_areas: frozenset[tuple[str, str]]
    ages: Mapping[tuple[str, str], tuple[str, ...]]
    notes: tuple[str, ...]

    @classmethod
    def of(
        cls, persons: Mapping[str, float], countries: National, estimates: Mapping[str, Mapping[str, Any]]
    ) -> "_Basis":
        ages: dict[tuple[str, str], list[str]] = {}
        for index, country in enumerate(countries.country):
            age = (estimates.get(country) or {}).get("age")
            if age and age != WDR_AGE:
                for key in _areas_of(countries, index):
                    ages.setdefault(key, []).append(f"{country} ({age})")
        found = {key: tuple(names) for key, names in ages.items()}
        if not isinstance(persons, PopulationYear):
            return cls(None, frozenset(), found, ())
        estimated = set(persons.estimated_places) & set(countries.country)
        areas = {
            key for index, c in enumerate(countries.country) if c in estimated for key in _areas_of(countries, index)
        }
        counted = [e for e in persons.estimated if e.place in estimated]
        notes = PopulationYear(persons.year, {}, {}, tuple(counted), persons.source).notes
        return cls(persons.source, frozenset(areas), found, notes)

    def applied(self, figure: Figure) -> Figure:
        labels = dict(figure.dimensions)
        key, counted = (labels["level"], labels["area"]), labels["measure"] != "population-covered"
        if self.source is not None and counted:
            figure = figure.citing(self.source)
        if key in self.estimated_areas:
            figure = figure.depending_on(SHARE_RULE)
        if any(flag.code == "imputed" for flag in figure.flags) and counted:
            figure = figure.depending_on(*RANGE_CONSTANTS)
        if key in self.ages and counted:
            listed = ", ".join(self.ages[key])
            flag = Flag(
                FlagCode.UNCONVERTED, f"age group other than 15–64, used as reported (no cited adjustment): {listed}"
            )
            figure = replace(figure, flags=(*figure.flags, flag))
        return figure


def _areas_of(countries: National, index: int) -> tuple[tuple[str, str], ...]:
    """The (level, area) keys a country's figures count in: itself, its subregion, its region, the world."""
    return (
        ("country", countries.country[index]),
        ("subregion", countries.subregion[index]),
        ("region", countries.region[index]),
        ("global", "World"),
    )


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
