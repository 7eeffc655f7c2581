"""WDR table 1.1 rebuilt from national estimates, cell by cell beside the published table.

For each drug of table 1.1, the national estimates (one per country, as selected upstream) go through the same
imputation and aggregation as every prevalence figure (``aggregation``), on the population ``basis`` chosen, with
countries grouped into the table's areas (``published_prevalence.table_area``). Every cell of the published table
gets ours beside it, the difference and the relative difference; every drug × area gets its coverage, the share
imputed, the years and age groups of its estimates, and the reasons the two can differ (``comparison_reasons``).
Nothing is tuned toward the published values.

``national``: drug (table 1.1 id), country, estimate_year, age, best, low, high (%), dropped (range unusable),
source, vintage, notes (adjustment notes), definition (how the drug's definition made it). ``geography``: country,
region, subregion, area (table 1.1 name), population (total), population_15_64, placement.

``summary`` gives, per level and measure, the median absolute relative difference of best values, the interval
coverage (published best values inside our low–high) and the median width ratio (our high − low ÷ theirs).
"""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from observatory.stats.aggregation import aggregate_prevalence
from observatory.stats.comparison_coverage import interval_cells, median
from observatory.stats.comparison_reasons import AreaFacts, reasons
from observatory.stats.figure import Figure, FlagCode
from observatory.stats.population_basis import Basis, Populations, populations
from observatory.stats.prevalence_table import PrevalenceScale
from observatory.stats.provenance import NATIONAL_SCHEMA
from observatory.stats.published_prevalence import DRUGS, ENDS, MEASURES, TableDrug

CELL_SCHEMA = pa.schema(
    [
        ("drug", pa.string()),
        ("level", pa.string()),
        ("area", pa.string()),
        ("measure", pa.string()),
        ("end", pa.string()),
        ("ours", pa.float64()),
        ("published", pa.float64()),
        ("difference", pa.float64()),
        ("relative_difference", pa.float64()),
    ]
)
Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Comparison:
    year: int
    populations: Populations
    #: One row per drug × area × measure × end (``CELL_SCHEMA``).
    cells: pa.Table
    #: One row per drug × area: coverage, share imputed, years, ages, method, flags, inputs and reasons.
    areas: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class _Ours:
    prevalence: Figure
    users: Figure
    coverage: Figure


def compare_with_published(
    national: pa.Table, geography: pa.Table, published: pa.Table, *, basis: Basis, year: int
) -> Comparison:
    """Table 1.1 rebuilt from ``national`` on ``basis``, beside ``published``, cell by cell."""
    persons = populations(Basis(basis), geography, published)
    places = geography.to_pylist()
    estimates: defaultdict[str, dict[str, Row]] = defaultdict(dict)
    for row in national.to_pylist():
        estimates[row["drug"]][row["country"]] = row
    by_area = {(area.level, area.area): area for area in persons.areas}
    cells: list[Row] = []
    areas: list[Row] = []
    for drug in DRUGS:
        drug_estimates = estimates.get(drug.id, {})
        ours = _aggregate(places, drug_estimates, persons)
        published_rows = _published(published, drug)
        for (level, area), measures in published_rows.items():
            found = ours.get((level, area))
            cells.extend(_cells(drug, level, area, measures, found))
            members = [place for place in places if _within(place, level, area)]
            facts = AreaFacts(
                drug=drug,
                level=level,
                area=area,
                year=year,
                members=members,
                estimates=[drug_estimates[p["country"]] for p in members if p["country"] in drug_estimates],
                published=measures,
                ours=found.prevalence if found else None,
                populations=persons,
                area_population=by_area.get((level, area)),
            )
            areas.append(_area_row(facts, measures, found))
    return Comparison(year, persons, pa.Table.from_pylist(cells, CELL_SCHEMA), tuple(areas))


def _aggregate(
    places: Sequence[Row], estimates: Mapping[str, Row], persons: Populations
) -> dict[tuple[str, str], _Ours]:
    if not estimates or not places:
        return {}
    rows = [_national_row(place, estimates.get(place["country"]), persons) for place in places]
    found: defaultdict[tuple[str, str], dict[str, Figure]] = defaultdict(dict)
    table = pa.Table.from_pylist(rows, NATIONAL_SCHEMA)
    for figure in aggregate_prevalence(table, scale=PrevalenceScale.PERCENT, countries=False):
        labels = dict(figure.dimensions)
        if labels["level"] != "country":
            found[(labels["level"], labels["area"])][labels["measure"]] = figure
    return {
        key: _Ours(measures["prevalence"], measures["users"], measures["population-covered"])
        for key, measures in found.items()
    }


def _national_row(place: Row, estimate: Row | None, persons: Populations) -> Row:
    row = {
        "country": place["country"],
        "subregion": place["area"],
        "region": place["region"],
        "population": persons.by_country[place["country"]],
    }
    if estimate is None:
        return row
    usable = not estimate["dropped"]
    return row | {
        "best": estimate["best"],
        "low": estimate["low"] if usable else None,
        "high": estimate["high"] if usable else None,
        "source": estimate["source"],
        "vintage": estimate["vintage"],
    }


def _published(published: pa.Table, drug: TableDrug) -> dict[tuple[str, str], dict[str, Row]]:
    """(level, area) → measure → the published row, in the table's order."""
    rows = sorted((row for row in published.to_pylist() if row["drug"] == drug.id), key=lambda row: row["position"])
    found: dict[tuple[str, str], dict[str, Row]] = {}
    for row in rows:
        found.setdefault((row["level"], row["area"]), {})[row["measure"]] = row
    return found


def _cells(drug: TableDrug, level: str, area: str, measures: Mapping[str, Row], ours: _Ours | None) -> list[Row]:
    cells = []
    for measure in MEASURES:
        figure = None if ours is None else ours.prevalence if measure == "prevalence" else ours.users
        for end in ENDS:
            mine = None if figure is None else _end(figure, end)
            theirs = measures[measure][end]
            difference = None if mine is None or theirs is None else mine - theirs
            relative = None if difference is None or not theirs else difference / theirs
            cells.append(
                {
                    "drug": drug.id,
                    "level": level,
                    "area": area,
                    "measure": measure,
                    "end": end,
                    "ours": mine,
                    "published": theirs,
                    "difference": difference,
                    "relative_difference": relative,
                }
            )
    return cells


def _end(figure: Figure, end: str) -> float:
    value = figure.value if end == "best" else figure.low if end == "low" else figure.high
    return figure.value if value is None else value


def _within(place: Row, level: str, area: str) -> bool:
    return level == "global" or (place["region"] if level == "region" else place["area"]) == area


def _area_row(facts: AreaFacts, measures: Mapping[str, Row], ours: _Ours | None) -> Row:
    years = sorted(int(e["estimate_year"]) for e in facts.estimates if e["estimate_year"] is not None)
    area_population = facts.area_population
    prevalence = ours.prevalence if ours else None
    return {
        "drug": facts.drug.id,
        "drug_title": facts.drug.title,
        "level": facts.level,
        "area": facts.area,
        "region": measures["users"]["region"],
        "position": measures["users"]["position"],
        "published": any(measures[m][end] is not None for m in MEASURES for end in ENDS),
        "countries": len(facts.members),
        "reporting": len(facts.estimates),
        "coverage": ours.coverage.value if ours else None,
        "share_imputed": 1 - ours.coverage.value if ours else None,
        "population": math.fsum(facts.populations.by_country[p["country"]] for p in facts.members) or None,
        "population_total": math.fsum(float(p["population"]) for p in facts.members) or None,
        "population_implied": area_population.implied.persons if area_population and area_population.implied else None,
        "population_factor": area_population.factor if area_population else None,
        "first_year": years[0] if years else None,
        "last_year": years[-1] if years else None,
        "median_year": years[len(years) // 2] if years else None,
        "before_year": sum(year < facts.year for year in years),
        "method": prevalence.method.id if prevalence else None,
        "method_confirmed": prevalence.method.confirmed if prevalence else None,
        "flags": sorted({str(flag.code) for flag in prevalence.flags}) if prevalence else [],
        "constants": [facts.populations.constant.id] if ours else [],
        "inputs": sorted({f"{ref.id}@{ref.vintage}" for ref in prevalence.inputs}) if prevalence else [],
        "range_missing": prevalence is not None and FlagCode.RANGE_MISSING in prevalence.flag_codes,
        "reasons": reasons(facts),
    }


def summary(comparison: Comparison, measure: str = "prevalence") -> list[Row]:
    """Per level: the best-value cells both tables give, the median absolute relative difference, the shares
    within 10 % and 25 %, the cell that differs most, the interval coverage (cells whose published best value lies
    inside our low–high, of the cells with both ranges) and the median width ratio of the ranges."""
    by_level: defaultdict[str, list[Row]] = defaultdict(list)
    for cell in comparison.cells.to_pylist():
        if cell["measure"] == measure and cell["end"] == "best" and cell["relative_difference"] is not None:
            by_level[cell["level"]].append(cell)
    ranges = interval_cells(comparison.cells, measure)
    result = []
    for level in ("global", "region", "subregion"):
        cells = by_level.get(level, [])
        gaps = sorted(abs(cell["relative_difference"]) for cell in cells)
        worst = max(cells, key=lambda cell: abs(cell["relative_difference"]), default=None)
        spans = [item for item in ranges if item["level"] == level]
        ratios = sorted(item["width_ratio"] for item in spans if item["width_ratio"] is not None)
        result.append(
            {
                "level": level,
                "measure": measure,
                "cells": len(cells),
                "median_absolute_relative_difference": median(gaps),
                "within_10_percent": sum(gap <= 0.10 for gap in gaps),
                "within_25_percent": sum(gap <= 0.25 for gap in gaps),
                "largest": None if worst is None else {k: worst[k] for k in ("drug", "area", "relative_difference")},
                "range_cells": len(spans),
                "published_best_inside_ours": sum(item["inside"] for item in spans),
                "interval_coverage": sum(item["inside"] for item in spans) / len(spans) if spans else None,
                "median_width_ratio": median(ratios),
            }
        )
    return result
