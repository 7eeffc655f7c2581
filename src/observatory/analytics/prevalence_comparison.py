"""WDR table 1.1 rebuilt from the approved national prevalence estimates (the ``prevalence`` data set, as WDR
table 1.2 imports into it) and compared cell by cell with the published table shipped in ``datasets/published``.

National estimates: per country and national drug, the latest past-year estimate from the table's year or before
(``observations.latest_prevalence``), made into each table 1.1 drug as its definition says (reference data
``wdr_1_1_drug_definitions.csv``, ``stats.drug_definitions``: e.g. amphetamines and prescription stimulants
combined). Geography: every current place with a population in that year — aged 15–64 from the reference release,
total from the records store — in its WDR subregion; a place no WDR table names goes to the WDR subregion most
places of its M49 group are in (Oceania's M49 groups are table 1.1's own subregions), and is named in the
``placement`` reason.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
from python_calamine import CalamineWorkbook

from observatory.analytics.observations import latest_prevalence, observation_source
from observatory.analytics.prevalence_figures import PopulationYear
from observatory.analytics.store import AnalyticsStore
from observatory.datasets import DATASETS
from observatory.errors import BadInput
from observatory.i18n import gettext as _
from observatory.reference.geography import Place, places
from observatory.reference.wdr_definitions import table_definitions
from observatory.stats.drug_definitions import definition_estimate
from observatory.stats.population_basis import DEFAULT_BASIS, parse_basis
from observatory.stats.published_prevalence import DRUGS, read_published_prevalence, table_area
from observatory.stats.wdr_comparison import Comparison, compare_with_published

PUBLISHED_TABLE = DATASETS / "published" / "wdr2025_1.1_prevalence_global_regional_2023.xlsx"
TABLE_YEAR = 2023
OCEANIA = "Oceania"
NATIONAL_SCHEMA = pa.schema(
    [
        ("drug", pa.string()),
        ("country", pa.string()),
        ("estimate_year", pa.int32()),
        ("age", pa.string()),
        ("best", pa.float64()),
        ("low", pa.float64()),
        ("high", pa.float64()),
        ("dropped", pa.bool_()),
        ("source", pa.string()),
        ("vintage", pa.string()),
        ("notes", pa.string()),
        ("definition", pa.string()),
    ]
)
GEOGRAPHY_SCHEMA = pa.schema(
    [
        ("country", pa.string()),
        ("region", pa.string()),
        ("subregion", pa.string()),
        ("area", pa.string()),
        ("population", pa.float64()),
        ("population_15_64", pa.float64()),
        ("population_15_64_estimated", pa.bool_()),
        ("placement", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class TableComparison:
    comparison: Comparison
    national: pa.Table
    geography: pa.Table
    published: pa.Table
    notes: tuple[str, ...]


def compare_wdr_1_1(
    store: AnalyticsStore, persons: PopulationYear, *, basis: str = DEFAULT_BASIS, year: int = TABLE_YEAR
) -> TableComparison:
    """Table 1.1 rebuilt from the approved estimates on ``basis`` (``persons``: the population aged 15–64 of the
    year, with the total it was completed from), beside the published table."""
    chosen = parse_basis(basis)
    national = national_estimates(store, year)
    if national.num_rows == 0:
        raise BadInput(
            _(
                "no approved past-year prevalence estimate of %(drugs)s from %(year)s or before; submit WDR table 1.2"
                " (or national estimates) as data set 'prevalence' and approve it"
            )
            % {"drugs": ", ".join(d.national for d in DRUGS), "year": year},
            [{"dataset": "prevalence", "year": year}],
        )
    geography, notes = comparison_geography(persons)
    published = published_table()
    comparison = compare_with_published(national, geography, published, basis=chosen, year=year)
    notes.extend(persons.notes)
    placed = {row["country"] for row in geography.to_pylist()}
    left_out = sorted(set(national.column("country").to_pylist()) - placed)
    if left_out:
        notes.append(f"estimates of places without a population in the records store left out: {', '.join(left_out)}")
    return TableComparison(comparison, national, geography, published, tuple(notes))


def national_estimates(store: AnalyticsStore, year: int) -> pa.Table:
    """Per drug of table 1.1 (its id) and country, the estimate its definition makes of the latest approved
    past-year estimates from ``year`` or before."""
    definitions = table_definitions()
    national = {name for definition in definitions.values() for name in definition.national_drugs}
    by_country: defaultdict[str, dict[str, dict[str, object]]] = defaultdict(dict)
    for name in sorted(national):
        notes = _adjustment_notes(store, name)
        for row in latest_prevalence(store, name, year).to_pylist():
            by_country[row["country_iso3"]][name] = {
                "country": row["country_iso3"],
                "estimate_year": row["estimate_year"],
                "age": row["age"],
                "best": row["best"],
                "low": row["low"],
                "high": row["high"],
                "dropped": row["dropped"],
                "source": f"prevalence/submission-{row['submission_id']}",
                "vintage": None if row["vintage"] is None else str(row["vintage"]),
                "notes": notes.get((row["submission_id"], row["source_row"])),
            }
    rows = []
    for drug in DRUGS:
        for country in sorted(by_country):
            found = definition_estimate(definitions[drug.id], by_country[country])
            if found is not None:
                rows.append(found | {"drug": drug.id})
    return pa.Table.from_pylist(rows, NATIONAL_SCHEMA)


def _adjustment_notes(store: AnalyticsStore, drug: str) -> dict[tuple[int, int], str]:
    """(submission, source row) → the table 1.2 adjustment notes of ``drug``'s estimates (METHODS.md §4: x, z*…)."""
    source = observation_source(store, "prevalence")
    if source is None:
        return {}
    rows = store.arrow(
        f"""
        SELECT DISTINCT submission_id, source_row, json_extract_string(dimensions, '$.adjustment_notes') AS notes
        FROM {source} WHERE drug = ? AND element = 'best' AND source_row IS NOT NULL
        """,
        [drug],
    ).to_pylist()
    return {(row["submission_id"], row["source_row"]): row["notes"] for row in rows if row["notes"]}


def comparison_geography(persons: PopulationYear) -> tuple[pa.Table, list[str]]:
    """Every current place with a population aged 15–64 (as published, or estimated from its total), in its table
    1.1 area, and notes on the places left out."""
    fallback = _m49_crosswalk()
    estimated = set(persons.estimated_places)
    rows, unplaced = [], []
    for place in places():
        if place.valid_from is not None or place.valid_to is not None or not persons.get(place.iso3):
            continue
        placement = "wdr" if place.unodc_region and place.unodc_subregion else "m49"
        region, subregion = (place.unodc_region, place.unodc_subregion) if placement == "wdr" else (None, None)
        if placement == "m49":
            region, subregion = fallback.get(_m49_group(place), (None, None))
        if region is None or subregion is None:
            unplaced.append(place.iso3)
            continue
        rows.append(
            {
                "country": place.iso3,
                "region": region,
                "subregion": subregion,
                "area": table_area(subregion),
                "population": float(persons.total.get(place.iso3) or persons[place.iso3]),
                "population_15_64": float(persons[place.iso3]),
                "population_15_64_estimated": place.iso3 in estimated,
                "placement": placement,
            }
        )
    without = sorted(place.iso3 for place in places() if _current(place) and not persons.get(place.iso3))
    notes = [f"places with no population (neither aged 15–64 nor total): {', '.join(without)}"] if without else []
    if unplaced:
        notes.append(f"places with no WDR or M49 subregion, left out: {', '.join(sorted(unplaced))}")
    return pa.Table.from_pylist(rows, GEOGRAPHY_SCHEMA), notes


@cache
def published_table(path: Path = PUBLISHED_TABLE) -> pa.Table:
    """The published table 1.1 as a tidy table (``published_prevalence.PUBLISHED_SCHEMA``)."""
    # A file we ship, not a country's submission: read as a plain grid, without the intake's checks and budgets
    # (and analytics never imports reporting). Row numbers are the ones Excel shows.
    workbook = CalamineWorkbook.from_path(str(path))
    (name,) = workbook.sheet_names
    rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return read_published_prevalence(list(enumerate(rows, start=1)), name)


def _m49_crosswalk() -> dict[str, tuple[str, str]]:
    """M49 group → the WDR region and subregion most of its WDR-placed places are in; Oceania's groups, which
    name table 1.1's subregions, map to themselves."""
    votes: defaultdict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    groups = {}
    for place in places():
        if _current(place):
            groups[_m49_group(place)] = place.region_name
            if place.unodc_region and place.unodc_subregion:
                votes[_m49_group(place)][(place.unodc_region, place.unodc_subregion)] += 1
    crosswalk = {group: counted.most_common(1)[0][0] for group, counted in votes.items()}
    for group, region in groups.items():
        if group not in crosswalk and region == OCEANIA:
            crosswalk[group] = (OCEANIA, group)
    return crosswalk


def _m49_group(place: Place) -> str:
    return place.intermediate_name or place.subregion_name


def _current(place: Place) -> bool:
    return place.valid_from is None and place.valid_to is None
