"""The stores a statistics command reads: the records store, and the analytics store with the observations
snapshot refreshed first (only new approved submissions are written)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from observatory.analytics.store import AnalyticsStore
from observatory.analytics.upkeep import ensure_current
from observatory.cli.bootstrap import open_records
from observatory.settings import Settings


@contextmanager
def records(settings: Settings) -> Iterator[Engine]:
    """The records store through the one bootstrap (``bootstrap.open_records``), disposed of afterwards."""
    engine = open_records(settings)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def stores() -> Iterator[tuple[AnalyticsStore, Engine]]:
    settings = Settings()
    with records(settings) as engine:
        ensure_current(engine, settings.analytics_dir)
        store = AnalyticsStore(settings.analytics_dir)
        try:
            yield store, engine
        finally:
            store.close()
