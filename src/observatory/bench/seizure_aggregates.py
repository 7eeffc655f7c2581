"""Seizure aggregates: our analytics layer vs raw DuckDB on the same Parquet vs SQLite with covering indexes."""

import sqlite3
from pathlib import Path

import duckdb
from rich.console import Console

from observatory.analytics.seizures import DATASET, SeizureQuery, seizure_totals
from observatory.analytics.store import AnalyticsStore
from observatory.bench.seizure_data import build_sqlite, generate_parquet
from observatory.bench.timing import BenchmarkResult, median_seconds

GOAL = "ours within 1.5× of raw DuckDB and at least 3× faster than SQLite with a covering index"
#: Benchmark → the grouping, asked of our layer by dimension and of the engines by column.
QUERIES = {
    "seizure_aggregates.drug_group_year": (("drug_group", "year"), "drug_group, year"),
    "seizure_aggregates.country_drug_year": (("country", "drug", "year"), "country_iso3, country, drug, year"),
}
MEASURES = "sum(kilograms) AS kilograms, count(*) AS records, count(*) FILTER (WHERE value_state <> 'value') AS missing"
SQLITE_MEASURES = "sum(kilograms), count(*), sum(value_state <> 'value')"


def run(workdir: Path, rows: int, repeat: int, progress: Console) -> list[BenchmarkResult]:
    folder = workdir / f"seizures-{rows}"
    with progress.status(f"generating {rows:,} seizure rows as Parquet (cached in {folder})…"):
        generate_parquet(folder, rows)
    with progress.status("loading the same rows into SQLite with covering indexes (cached; slow the first time)…"):
        database = build_sqlite(folder, workdir / f"seizures-{rows}.sqlite")
    parquet = str(folder / DATASET / "*.parquet")
    store = AnalyticsStore(folder)
    raw = duckdb.connect()
    peer = sqlite3.connect(database)
    results = []
    try:
        for name, (dimensions, columns) in QUERIES.items():
            progress.log(f"timing {name}")
            raw_sql = f"SELECT {columns}, {MEASURES} FROM read_parquet('{parquet}') GROUP BY {columns} ORDER BY {columns}"
            peer_sql = f"SELECT {columns}, {SQLITE_MEASURES} FROM annual_seizure GROUP BY {columns} ORDER BY {columns}"
            query = SeizureQuery(group_by=dimensions)
            ours = median_seconds(lambda q=query: seizure_totals(store, q), repeat)
            limit = median_seconds(lambda s=raw_sql: raw.execute(s).to_arrow_table(), repeat)
            peer_s = median_seconds(lambda s=peer_sql: peer.execute(s).fetchall(), max(1, repeat // 2))
            results.append(
                BenchmarkResult(name, ours, "raw duckdb", limit, "sqlite (covering index)", peer_s, GOAL, 1.5, 3.0)
            )
    finally:
        store.close()
        raw.close()
        peer.close()
    return results
