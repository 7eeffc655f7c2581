"""The analytics store: an in-process DuckDB reading the Parquet snapshots under one folder, as one audience sees
them.

Snapshot folders hold one file per served submission (``submission-<id>.parquet``); the manifest
(``submissions/approved.parquet``) gives each one's status. A store answers for one audience
(``store.serving.Audience``): it reads only the files of submissions whose status that audience is served. The
public store is the default; ``for_audience`` gives a view for analysts over the same connection.
"""

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from observatory.store.serving import SERVED, Audience

OBSERVATIONS = "observations"
MANIFEST = Path("submissions") / "approved.parquet"
PREFIX = "submission-"


@dataclass(slots=True)
class _Manifest:
    """The manifest's statuses by submission, read again only when the file changes."""

    stamp: tuple[int, int] | None = None
    statuses: dict[int, str] | None = None


class AnalyticsStore:
    """Runs read-only SQL over snapshot files; safe to share between threads (one cursor per query)."""

    def __init__(
        self,
        directory: Path,
        audience: Audience = Audience.PUBLIC,
        *,
        _connection: duckdb.DuckDBPyConnection | None = None,
        _manifest: _Manifest | None = None,
        _lock: "threading.Lock | None" = None,
    ) -> None:
        self.directory = directory
        self.audience = audience
        self._owner = _connection is None
        self._connection = _connection if _connection is not None else duckdb.connect(":memory:")
        self._manifest = _manifest if _manifest is not None else _Manifest()
        self._lock = _lock if _lock is not None else threading.Lock()

    def for_audience(self, audience: Audience) -> "AnalyticsStore":
        """The same store as ``audience`` sees it (sharing the connection; closing the view closes nothing)."""
        if audience is self.audience:
            return self
        return AnalyticsStore(
            self.directory, audience, _connection=self._connection, _manifest=self._manifest, _lock=self._lock
        )

    def close(self) -> None:
        if self._owner:
            self._connection.close()

    def served(self) -> set[int] | None:
        """Ids of the submissions this audience sees, or None when there is no manifest yet."""
        path = self.directory / MANIFEST
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._manifest.stamp != stamp or self._manifest.statuses is None:
                table = pq.read_table(path, columns=["submission_id", "status"])
                ids, statuses = table["submission_id"].to_pylist(), table["status"].to_pylist()
                self._manifest.statuses = dict(zip(ids, statuses, strict=True))
                self._manifest.stamp = stamp
            statuses_now = self._manifest.statuses
        wanted = SERVED[self.audience]
        return {sid for sid, status in statuses_now.items() if status in wanted}

    def files(self, dataset: str) -> list[Path]:
        """The snapshot files of ``dataset``'s folder this audience sees, in name order."""
        found = sorted((self.directory / dataset).glob("*.parquet"))
        if not any(path.stem.startswith(PREFIX) for path in found):
            return found
        served = self.served() or set()
        return [path for path in found if not path.stem.startswith(PREFIX) or _id(path) in served]

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


def _id(path: Path) -> int:
    try:
        return int(path.stem.removeprefix(PREFIX))
    except ValueError:
        return -1
