"""Fixtures of the early-warning tests that read events from the store: a store on each engine holding the shipped
event sources (no alert drafted), an app over it, and that app served for the browser."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from observatory.demo import initialise
from observatory.ewa.events import load_events
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.web.app import create_app
from tests.conftest import BACKENDS, fresh_database_url
from tests.web.server import served


@pytest.fixture(scope="session", params=BACKENDS)
def events_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A store with the shipped early-warning sources loaded, once per engine per session."""
    folder = tmp_path_factory.mktemp(f"ewa-events-{request.param}")
    for url in fresh_database_url(request.param, folder):
        settings = Settings(var_dir=folder / "var", database_url=url)
        engine = initialise(settings)
        try:
            load_events(engine)
        finally:
            engine.dispose()
        yield settings


@pytest.fixture
def events_engine(events_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(events_settings.records_url)
    yield engine
    engine.dispose()


@pytest.fixture
def events_client(events_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(events_settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def events_base_url(events_settings: Settings) -> Iterator[str]:
    with served(create_app(events_settings)) as url:
        yield url
