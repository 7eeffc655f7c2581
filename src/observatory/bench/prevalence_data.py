"""Generated national prevalence estimates for every country over twenty years, laid out three ways: as the
analytics snapshot our API reads (approved observations, long format, with the manifest and the population), as
Parquet tables raw DuckDB reads beside it, and as SQLite tables a publisher would serve with datasette.

Countries, their WDR regions and their population are real (reference places, World Bank population from the
records store). The estimates are random but shaped like WDR table 1.2: about one country in seven never reports
(its prevalence is imputed), the others report in about half of the years (a year without a survey uses the
latest earlier one), and one estimate in twenty has no range (its best value is used for both ends).
"""

import json
import random
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine

from observatory.analytics.observations import OBSERVATION_SCHEMA, OBSERVATIONS, SUBMISSION_SCHEMA, manifest_path
from observatory.analytics.snapshot import POPULATION_SCHEMA
from observatory.reference.geography import places
from observatory.reference.population import population
from observatory.reporting.intake import ANNUAL_SEIZURES

DRUG = "Cocaine"
DIMENSIONS = json.dumps({"drug": DRUG, "recall": "past-year"}, sort_keys=True)
YEARS = range(2004, 2024)
#: The seizure snapshot is submission 1 (see ``seizure_data``); the prevalence table is submission 2.
SEIZURE_SUBMISSION, PREVALENCE_SUBMISSION = 1, 2
COUNTRY_SCHEMA = pa.schema([("iso3", pa.string()), ("subregion", pa.string()), ("region", pa.string())])
ESTIMATE_SCHEMA = pa.schema(
    [("drug", pa.string()), ("country_iso3", pa.string()), ("year", pa.int32())]
    + [(end, pa.float64()) for end in ("best", "low", "high")]
)


@dataclass(frozen=True, slots=True)
class Estimate:
    country_iso3: str
    year: int
    best: float
    low: float | None
    high: float | None


def counted_countries() -> pa.Table:
    """The places the prevalence roll-up counts: current ones with a WDR region and sub-region."""
    rows = [
        {"iso3": p.iso3, "subregion": p.unodc_subregion, "region": p.unodc_region}
        for p in places()
        if p.unodc_region and p.unodc_subregion and p.valid_from is None and p.valid_to is None
    ]
    return pa.Table.from_pylist(rows, schema=COUNTRY_SCHEMA)


def generated_estimates(countries: Sequence[str], seed: int = 42) -> list[Estimate]:
    """Past-year prevalence (%) of :data:`DRUG`: a level per country drifting over the years, ranges around it."""
    chance = random.Random(seed)
    estimates = []
    for iso3 in countries:
        if chance.random() < 1 / 7:
            continue
        level = chance.uniform(0.05, 3.0)
        for year in YEARS:
            level *= chance.uniform(0.9, 1.12)
            if chance.random() < 0.5:
                continue
            best = round(level, 3)
            ranged = chance.random() >= 0.05
            low, high = (round(best * 0.8, 3), round(best * 1.25, 3)) if ranged else (None, None)
            estimates.append(Estimate(iso3, year, best, low, high))
    return estimates


def write_snapshot(analytics_dir: Path, estimates: Sequence[Estimate], engine: Engine) -> pa.Table:
    """The prevalence observations, the manifest of approved submissions and the population snapshot, as
    ``observations.refresh_observations`` and ``snapshot.refresh_snapshot`` write them; returns the population."""
    observations = pa.Table.from_pylist(list(_observation_rows(estimates)), schema=OBSERVATION_SCHEMA)
    _write(observations, analytics_dir / OBSERVATIONS / f"submission-{PREVALENCE_SUBMISSION}.parquet")
    manifest = [
        {"submission_id": SEIZURE_SUBMISSION, "dataset": ANNUAL_SEIZURES, "status": "published", "vintage": 1},
        {"submission_id": PREVALENCE_SUBMISSION, "dataset": "prevalence", "status": "approved", "vintage": 1},
    ]
    _write(pa.Table.from_pylist(manifest, schema=SUBMISSION_SCHEMA), manifest_path(analytics_dir))
    persons = pa.Table.from_pylist(population(engine, years=list(YEARS)), schema=POPULATION_SCHEMA)
    _write(persons, analytics_dir / "population.parquet")
    return persons


def write_sqlite_tables(database: Path, estimates: Sequence[Estimate], countries: pa.Table, persons: pa.Table) -> None:
    """The estimates as a publisher would lay them out (one row per country and year), with the country list
    and the population, each with the index its queries need; replaces earlier copies."""
    tables = {
        "prevalence": (ESTIMATE_SCHEMA, [(DRUG, e.country_iso3, e.year, e.best, e.low, e.high) for e in estimates]),
        "country": (COUNTRY_SCHEMA, _tuples(countries)),
        "population": (POPULATION_SCHEMA, _tuples(persons)),
    }
    indexes = {
        "prevalence": "drug, country_iso3, year, best, low, high",
        "country": "iso3, subregion, region",
        "population": "year, country_iso3, persons",
    }
    with sqlite3.connect(database) as con:
        for name, (schema, rows) in tables.items():
            con.execute(f"DROP TABLE IF EXISTS {name}")
            columns = ", ".join(f"{field.name} {_sqlite_type(field.type)}" for field in schema)
            con.execute(f"CREATE TABLE {name} ({columns})")
            con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' for _ in schema.names)})", rows)
            con.execute(f"CREATE INDEX ix_{name} ON {name} ({indexes[name]})")
        con.execute("ANALYZE")


def _tuples(table: pa.Table) -> list[tuple[Any, ...]]:
    return list(zip(*(column.to_pylist() for column in table.columns), strict=True))


def _sqlite_type(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind):
        return "INTEGER"
    return "REAL" if pa.types.is_floating(kind) else "TEXT"


def _observation_rows(estimates: Sequence[Estimate]) -> Iterator[dict[str, object]]:
    number = 0
    for row, estimate in enumerate(estimates, start=2):
        for element in ("best", "low", "high"):
            number += 1
            value = getattr(estimate, element)
            yield {
                "observation_id": number,
                "submission_id": PREVALENCE_SUBMISSION,
                "vintage": 1,
                "dataset": "prevalence",
                "element": element,
                "country_iso3": estimate.country_iso3,
                "year": estimate.year,
                "value": value,
                "value_state": "value" if value is not None else "missing",
                "missing_reason": None if value is not None else "not-available",
                "unit": "percent",
                "source_row": row,
                "dimensions": DIMENSIONS,
                "drug": DRUG,
                "recall": "past-year",
            }


def _write(table: pa.Table, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".parquet.tmp")
    pq.write_table(table, temporary)
    temporary.replace(target)
