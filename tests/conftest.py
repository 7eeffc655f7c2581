"""Fixtures shared by the suite: a records store on each engine, and the demo loaded into it."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from observatory.demo import run_demo
from observatory.settings import Settings
from observatory.store.engine import make_engine

pytest_plugins = ["tests.web.browsing"]

POSTGRES_ENV = "OBSERVATORY_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("OBSERVATORY_REQUIRE_POSTGRES"):
        pytest.fail(f"{POSTGRES_ENV} is not set; run the suite through scripts/with-postgres (make test)")
    pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (make test sets it)")


def fresh_database_url(backend: str, folder: Path) -> Iterator[str]:
    """A URL of an empty store: a new SQLite file, or a new schema in the test PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'observatory.db'}"
        return
    base = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database_url(request.param, tmp_path)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a store with the demo loaded and its snapshot built, once per engine per session."""
    folder = tmp_path_factory.mktemp(f"demo-{request.param}")
    for url in fresh_database_url(request.param, folder):
        settings = Settings(var_dir=folder / "var", database_url=url)
        run_demo(settings, early_warning=False)
        yield settings
