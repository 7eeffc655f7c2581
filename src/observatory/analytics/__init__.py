"""The analytics store: DuckDB in-process over Parquet snapshots of approved observations."""
