"""Prevalence figures from the approved national estimates: country, subregion, region and world, each with users
and the share of the population covered, weighted by the population the records store holds.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
from sqlalchemy import Engine

from observatory.analytics.observations import distinct, latest_prevalence
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.reference.geography import Place, places
from observatory.reference.population import population
from observatory.stats.aggregation import aggregate_prevalence
from observatory.stats.figure import Constant, Figure
from observatory.stats.prevalence_table import PrevalenceScale
from observatory.stats.provenance import NATIONAL_SCHEMA, FigureId, Identified

POPULATION_BASIS = Constant(
    "population-basis",
    "total population",
    "records store (World Bank total population); METHODS.md §4 weights by the population aged 15–64",
    confirmed=False,
)
PREVALENCE_KINDS = {"prevalence": "annual", "users": "users", "population-covered": "coverage"}


@dataclass(frozen=True, slots=True)
class Prevalence:
    figures: tuple[Identified, ...]
    #: The national table the figures come from, one row per country: the rows ``explain`` lists.
    national: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]


def population_for(engine: Engine, year: int) -> dict[str, float]:
    """Total population by ISO3 code in ``year``, from the records store."""
    rows = population(engine, years=[year])
    if not rows:
        raise BadInput(f"the records store has no population for {year}", [{"parameter": "year", "value": year}])
    return {row["country_iso3"]: float(row["persons"]) for row in rows}


def prevalence(store: AnalyticsStore, persons: Mapping[str, float], drug: str, year: int) -> Prevalence:
    """National, subregional, regional and global past-year prevalence of ``drug``, with users and coverage."""
    estimates = {row["country_iso3"]: row for row in latest_prevalence(store, drug, year).to_pylist()}
    if not estimates:
        drugs = distinct(store, "prevalence", "drug")
        raise BadInput(
            f"no approved past-year prevalence of {drug!r} in {year} or before; "
            f"drugs with estimates: {', '.join(drugs) or 'none'}",
            [{"parameter": "drug", "value": drug, "accepted": drugs}],
        )
    universe = [place for place in places() if counted(place) and place.iso3 in persons]
    national = tuple(_national(place, persons[place.iso3], estimates.get(place.iso3)) for place in universe)
    notes = [f"{e['country_iso3']}: range {e['low']}–{e['high']} dropped" for e in estimates.values() if e["dropped"]]
    left_out = sorted(set(estimates) - {place.iso3 for place in universe})
    if left_out:
        notes.append(f"estimates left out (no WDR region or no {year} population): {', '.join(left_out)}")
    table = pa.Table.from_pylist(list(national), NATIONAL_SCHEMA)
    figures = aggregate_prevalence(table, scale=PrevalenceScale.PERCENT)
    return Prevalence(tuple(_prevalence_figure(f, drug, year) for f in figures), national, tuple(notes))


def prevalence_figure_source(
    store: AnalyticsStore, engine: Engine, figure_id: FigureId
) -> tuple[Sequence[Identified], Sequence[str], list[dict[str, Any]]]:
    """The prevalence figures of the drug and year ``figure_id`` names, and the national table they come from."""
    year = figure_id.years[0]
    result = prevalence(store, population_for(engine, year), figure_id.get("drug") or "", year)
    return result.figures, result.notes, list(result.national)


def counted(place: Place) -> bool:
    """A current place with a WDR region and subregion: one of the countries regional figures add up."""
    return bool(place.unodc_region and place.unodc_subregion) and place.valid_from is None and place.valid_to is None


def _national(place: Place, persons: float, estimate: Mapping[str, Any] | None) -> dict[str, Any]:
    row = {"country": place.iso3, "subregion": place.unodc_subregion, "region": place.unodc_region}
    if estimate is None:
        return row | {"population": persons}
    low, high = (None, None) if estimate["dropped"] else (estimate["low"], estimate["high"])
    return row | {
        "population": persons,
        "best": estimate["best"],
        "low": low,
        "high": high,
        "source": f"prevalence/submission-{estimate['submission_id']}",
        "vintage": None if estimate["vintage"] is None else str(estimate["vintage"]),
        "estimate_year": estimate["estimate_year"],
        "submission_id": estimate["submission_id"],
    }


def _prevalence_figure(figure: Figure, drug: str, year: int) -> Identified:
    labels = dict(figure.dimensions)
    selectors = (("drug", drug), ("level", labels["level"]), ("area", labels["area"]))
    figure_id = FigureId(f"prevalence.{PREVALENCE_KINDS[labels['measure']]}", selectors, (year, year))
    based = replace(figure, constants=(*figure.constants, POPULATION_BASIS))
    return Identified(figure_id, based.labelled(drug=drug, year=str(year)))
