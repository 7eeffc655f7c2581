"""The analytics store: an in-process DuckDB reading the Parquet snapshots under one folder."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa


class AnalyticsStore:
    """Runs read-only SQL over snapshot files; safe to share between threads (one cursor per query)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._connection = duckdb.connect(":memory:")

    def close(self) -> None:
        self._connection.close()

    def files(self, dataset: str) -> list[Path]:
        return sorted((self.directory / dataset).glob("*.parquet"))

    def source(self, dataset: str) -> str | None:
        """A ``read_parquet`` expression over the dataset's files, or None when it has none yet."""
        files = self.files(dataset)
        if not files:
            return None
        return f"read_parquet({[str(path) for path in files]!r})"

    def arrow(self, sql: str, parameters: Sequence[Any] = ()) -> pa.Table:
        with self._cursor() as cursor:
            table: pa.Table = cursor.execute(sql, list(parameters)).to_arrow_table()
            return table

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cursor:
            return cursor.execute(sql, list(parameters)).fetchall()

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self._connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
