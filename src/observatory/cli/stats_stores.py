"""The stores a statistics command reads: the records store, and the analytics store with the observations
snapshot refreshed first (only new approved submissions are written)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from observatory.analytics.observations import refresh_observations
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.settings import Settings
from observatory.store.engine import make_engine


@contextmanager
def records(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.records_url)
    try:
        yield engine
    except (OperationalError, ProgrammingError) as exc:
        raise BadInput(
            f"the records store at {settings.records_url} is not ready ({exc.orig}); run `observatory init` or "
            "`observatory demo` first"
        ) from exc
    finally:
        engine.dispose()


@contextmanager
def stores() -> Iterator[tuple[AnalyticsStore, Engine]]:
    settings = Settings()
    with records(settings) as engine:
        refresh_observations(engine, settings.analytics_dir)
        store = AnalyticsStore(settings.analytics_dir)
        try:
            yield store, engine
        finally:
            store.close()
