"""The one fixture factory of the suite: a prepared records store on each engine, once per session, and what tests
build over it (an engine, a test client, a served app).

    from tests.stores import client_fixture, engine_fixture, settings_fixture

    ewa_settings = settings_fixture("ewa", load_and_run_rules)   # prepare(settings) fills the empty store
    loaded = engine_fixture("ewa_settings")
    client = client_fixture("ewa_settings")
    base_url = served_fixture("ewa_settings")

``prepare`` runs once per engine per session on an empty store in its own folder; the other factories name the
settings fixture they stand on, so that a conftest declares what its store holds and nothing else.
"""

import inspect
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.web.app import create_app
from tests.web.server import served

Prepare = Callable[[Settings], None]
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


def settings_fixture(name: str, prepare: Prepare) -> Any:
    """A session fixture, parametrised over the engines: settings of a store that ``prepare`` filled."""

    @pytest.fixture(scope="session", params=BACKENDS)
    def prepared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
        folder = tmp_path_factory.mktemp(f"{name}-{request.param}")
        for url in fresh_database_url(request.param, folder):
            settings = Settings(var_dir=folder / "var", database_url=url)
            prepare(settings)
            yield settings

    return prepared


def _standing_on(settings: str, function: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """``function(**fixtures)`` declared to take the fixture named ``settings``: pytest reads a fixture's
    dependencies from its signature, and a parametrised one must be a declared dependency."""
    parameter = inspect.Parameter(settings, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    function.__signature__ = inspect.Signature([parameter])  # type: ignore[attr-defined]
    return function


def engine_fixture(settings: str) -> Any:
    """An engine on the store of the settings fixture named ``settings``, disposed after each test."""

    def engine(**fixtures: Settings) -> Iterator[Engine]:
        made = make_engine(fixtures[settings].records_url)
        yield made
        made.dispose()

    return pytest.fixture(_standing_on(settings, engine))


def client_fixture(settings: str) -> Any:
    """A test client of the app over the store of the settings fixture named ``settings``."""

    def client(**fixtures: Settings) -> Iterator[TestClient]:
        with TestClient(create_app(fixtures[settings]), raise_server_exceptions=False) as made:
            yield made

    return pytest.fixture(_standing_on(settings, client))


def served_fixture(settings: str) -> Any:
    """The base URL of that app served over HTTP, for the browser tests of a module."""

    def base_url(**fixtures: Settings) -> Iterator[str]:
        with served(create_app(fixtures[settings])) as url:
            yield url

    return pytest.fixture(scope="module")(_standing_on(settings, base_url))
