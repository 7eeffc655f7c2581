"""The publication tables and structures of what is published now, rebuilt only when the published data change.

``current(store)`` reads every flow's publication table from the analytics store's public view once per state of
its manifest (the file the lifecycle rewrites after every step), so a structure or data query does not rebuild
codelists from the data each time.
"""

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa

from observatory.analytics.store import MANIFEST, AnalyticsStore
from observatory.publication.flows import flows
from observatory.publication.structures import Structures, build_structures
from observatory.publication.table import publication_table


@dataclass(frozen=True, slots=True)
class Published:
    """Publication tables by flow id, and the structures generated with them."""

    tables: dict[str, pa.Table]
    structures: Structures
    #: When the published data last changed (a release: when it was built); messages say so in their header.
    prepared: datetime


_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int] | None, Published]] = {}


def current(store: AnalyticsStore) -> Published:
    """What is published now, from ``store`` (its public view)."""
    path = store.directory / MANIFEST
    try:
        stat = path.stat()
        stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        stamp = None
    key = str(store.directory.resolve())
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        published = made(store, _when(stamp))
        _cache[key] = (stamp, published)
        return published


def made(store: AnalyticsStore, prepared: datetime) -> Published:
    tables = {identifier: publication_table(store, flow) for identifier, flow in flows().items()}
    return Published(tables, build_structures(tables), prepared)


def from_tables(tables: dict[str, pa.Table], prepared: datetime) -> Published:
    return Published(tables, build_structures(tables), prepared)


def _when(stamp: tuple[int, int] | None) -> datetime:
    seconds = stamp[0] // 1_000_000_000 if stamp else 0
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
