"""Seizure aggregates: our analytics layer vs raw DuckDB on the same Parquet vs SQLite with covering indexes."""

import sqlite3
from functools import partial
from pathlib import Path

import duckdb
from rich.console import Console

from observatory.analytics.seizures import MEASURES, SeizureQuery, seizure_totals
from observatory.analytics.snapshot import DATASET
from observatory.analytics.store import AnalyticsStore
from observatory.bench.seizure_data import build_sqlite, generate_parquet
from observatory.bench.timing import BenchmarkResult, median_seconds

GOAL = "ours within 1.5× of raw DuckDB and at least 3× faster than SQLite with a covering index"
#: Benchmark → the grouping, asked of our layer by dimension and of the engines by column.
QUERIES = {
    "seizure_aggregates.drug_group_year": (("drug_group", "year"), "drug_group, year", ""),
    "seizure_aggregates.country_drug_year": (("country", "drug", "year"), "country_iso3, drug, year", "country, "),
}


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
        for name, (dimensions, columns, labels) in QUERIES.items():
            progress.log(f"timing {name}")
            raw_labels = labels.replace("country", "any_value(country) AS country")
            raw_sql = (
                f"SELECT {columns}, {raw_labels}{MEASURES} FROM read_parquet('{parquet}') "
                f"GROUP BY {columns} ORDER BY {columns}"
            )
            # SQLite returns a bare column of a group from an arbitrary row of it: its any_value.
            peer_sql = f"SELECT {columns}, {labels}{MEASURES} FROM annual_seizure GROUP BY {columns} ORDER BY {columns}"
            query = SeizureQuery(group_by=dimensions)
            ours, limit = median_seconds(
                partial(seizure_totals, store, query), partial(_duckdb_arrow, raw, raw_sql), repeat=repeat
            )
            (peer_s,) = median_seconds(partial(_sqlite_rows, peer, peer_sql), repeat=max(1, repeat // 2))
            results.append(
                BenchmarkResult(name, ours, "raw duckdb", limit, "sqlite (covering index)", peer_s, GOAL, 1.5, 3.0)
            )
    finally:
        store.close()
        raw.close()
        peer.close()
    return results


def _duckdb_arrow(connection: duckdb.DuckDBPyConnection, sql: str) -> object:
    return connection.execute(sql).to_arrow_table()


def _sqlite_rows(connection: sqlite3.Connection, sql: str) -> object:
    return connection.execute(sql).fetchall()
