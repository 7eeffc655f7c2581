"""Fixtures shared by the suite: a records store on each engine, and the demo loaded into it (the factory that
makes such stores is ``tests.stores``)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from observatory.demo import run_demo
from observatory.settings import Settings
from observatory.store.engine import make_engine
from tests.stores import BACKENDS, fresh_database_url, settings_fixture

pytest_plugins = ["tests.web.browsing"]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database_url(request.param, tmp_path)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _demo(settings: Settings) -> None:
    run_demo(settings, early_warning=False)


#: Settings of a store with the demo loaded and its snapshot built, once per engine per session.
demo_settings = settings_fixture("demo", _demo)
