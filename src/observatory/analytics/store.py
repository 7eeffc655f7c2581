"""The analytics store: an in-process DuckDB reading the Parquet snapshots under one folder, as one audience sees
them.

Snapshot folders hold one file per served submission (``submission-<id>.parquet``); the manifest
(``submissions/approved.parquet``) gives each one's status. A store answers for one audience
(``store.serving.Audience``): it reads only the files of submissions whose status that audience is served. The
public store is the default; ``for_audience`` gives a view for analysts over the same connection.

``state_key`` names what an audience may read right now (its manifest rows and files); a cache of answers keyed on
it (``web.answer_cache``) is invalidated exactly when a publication, refresh or rebuild changes that.
"""

import hashlib
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from observatory.store.serving import SERVED, Audience

OBSERVATIONS = "observations"
MANIFEST = Path("submissions") / "approved.parquet"
#: The total population by country and year, as the records store held it at the last refresh.
POPULATION = "population.parquet"
PREFIX = "submission-"
#: How old (ns) the folder's stamps must be before ``state_key`` trusts them to name its content.
SETTLED_NS = 1_000_000_000


@dataclass(slots=True)
class _Manifest:
    """The manifest's statuses by submission, read again only when the file changes."""

    stamp: tuple[int, int] | None = None
    statuses: dict[int, str] | None = None
    #: The manifest as read, every column.
    table: pa.Table | None = None
    #: (data set, status, vintage) by submission: what ``state_key`` digests.
    entries: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    #: ``state_key`` by audience, with the stamps of the folders it was computed from.
    keys: dict[str, tuple[tuple[tuple[str, int, int, int], ...], str]] = field(default_factory=dict)
    #: Content digests of files at the top of the folder (population), by path and stamp.
    digests: dict[str, tuple[tuple[int, int, int], str]] = field(default_factory=dict)
    #: The population file as read, with its stamp.
    population: tuple[tuple[int, int, int], pa.Table] | None = None


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
        found = self.manifest()
        return None if found is None else found[1]

    def manifest(self) -> tuple[pa.Table, set[int]] | None:
        """The manifest, every row and column as written, with the ids of the submissions this audience sees; None
        when there is none yet. Read again only when the file changes, not once per question."""
        path = self.directory / MANIFEST
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._manifest.stamp != stamp or self._manifest.statuses is None or self._manifest.table is None:
                table = pq.read_table(path)
                columns = [table[name].to_pylist() for name in ("submission_id", "dataset", "status", "vintage")]
                rows = zip(*columns, strict=True)
                self._manifest.entries = {sid: (dataset, status, vintage) for sid, dataset, status, vintage in rows}
                self._manifest.statuses = {sid: entry[1] for sid, entry in self._manifest.entries.items()}
                self._manifest.table = table
                self._manifest.stamp = stamp
            statuses_now, table_now = self._manifest.statuses, self._manifest.table
        wanted = SERVED[self.audience]
        return table_now, {sid for sid, status in statuses_now.items() if status in wanted}

    def population(self) -> pa.Table | None:
        """The snapshot's total population (country_iso3, year, persons), or None before the first refresh. Read
        again only when the file changes, not once per question; its content is part of ``state_key``."""
        path = self.directory / POPULATION
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            known = self._manifest.population
        if known is not None and known[0] == stamp:
            return known[1]
        table = pq.read_table(path)
        with self._lock:
            self._manifest.population = (stamp, table)
        return table

    def state_key(self) -> str:
        """A digest of everything this audience may read: its manifest rows (submission, data set, status,
        vintage), the identity (inode, size, mtime) of each snapshot file it is served, and the content of the files
        at the top of the folder (the population). A publication, refresh or rebuild that changes any of these for
        this audience changes the key; one that changes only another audience's files (an approval, for the
        public) does not.

        The digest is reused while the folders' stamps stay the same, and only once they are ``SETTLED_NS`` old:
        every write is a rename into a folder, which moves its mtime, and a stamp that old cannot be shared with a
        later write however coarse the file system's clock."""
        stamps = self._stamps()
        with self._lock:
            known = self._manifest.keys.get(self.audience)
        if known is not None and known[0] == stamps:
            return known[1]
        key = self._digest()
        if stamps and time.time_ns() - max(stamp[3] for stamp in stamps) > SETTLED_NS:
            with self._lock:
                self._manifest.keys[self.audience] = (stamps, key)
        return key

    def _stamps(self) -> tuple[tuple[str, int, int, int], ...]:
        """(name, inode, size, mtime) of the folder, of each folder in it, and of the manifest."""
        found = []
        for path in (self.directory, self.directory / MANIFEST):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            found.append((path.name, stat.st_ino, stat.st_size, stat.st_mtime_ns))
        if found:
            with os.scandir(self.directory) as entries:
                for entry in entries:
                    if entry.is_dir():
                        stat = entry.stat()
                        found.append((entry.name, stat.st_ino, stat.st_size, stat.st_mtime_ns))
        return tuple(sorted(found))

    def _digest(self) -> str:
        served = self.served()
        digest = hashlib.sha256(f"{self.audience}\n".encode())
        if served is None:
            return digest.hexdigest()
        with self._lock:
            entries = self._manifest.entries
        for sid in sorted(served):
            digest.update(f"{sid}|{'|'.join(map(str, entries.get(sid, ())))}\n".encode())
        with os.scandir(self.directory) as top:
            children = sorted(top, key=lambda entry: entry.name)
        for entry in children:
            if entry.is_dir() and entry.name != MANIFEST.parent.name:
                for path in self._served_files(Path(entry.path), served):
                    stat = path.stat()
                    digest.update(
                        f"{entry.name}/{path.name}|{stat.st_ino}|{stat.st_size}|{stat.st_mtime_ns}\n".encode()
                    )
            elif entry.is_file() and entry.name.endswith(".parquet"):
                digest.update(f"{entry.name}|{self._content(Path(entry.path))}\n".encode())
        return digest.hexdigest()

    @staticmethod
    def _served_files(folder: Path, served: set[int]) -> list[Path]:
        found = sorted(folder.glob("*.parquet"))
        return [path for path in found if not path.stem.startswith(PREFIX) or _id(path) in served]

    def _content(self, path: Path) -> str:
        """The sha256 of a file's bytes, read again only when its stamp changes (it is rewritten on every
        refresh, usually with the same rows)."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return "gone"
        stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            known = self._manifest.digests.get(str(path))
        if known is not None and known[0] == stamp:
            return known[1]
        content = hashlib.sha256(path.read_bytes()).hexdigest()
        with self._lock:
            self._manifest.digests[str(path)] = (stamp, content)
        return content

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
