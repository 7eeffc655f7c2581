"""Fixtures of the early-warning tests: a store on each engine holding the shipped event sources and the alerts
the rules drafted from them, accounts on it, and apps with the early-warning routers registered, as ``app.py``
will register them. Importing ``ewa_schema`` registers the early-warning tables with the store's metadata."""

import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from observatory.access.policy import Role
from observatory.access.users import create_user, issue_token
from observatory.demo import initialise
from observatory.ewa.alerts import AlertDraft, Audience, Rule, keep_drafts, run_rules
from observatory.ewa.events import load_events
from observatory.settings import Settings
from observatory.store import ewa_schema
from observatory.store.engine import make_engine, transaction
from observatory.store.migrate import upgrade
from observatory.web.app import create_app
from tests.conftest import BACKENDS, fresh_database_url
from tests.web.server import served

assert ewa_schema.EwaEvent.__tablename__ == "ewa_event"
PASSWORD = "correct horse battery staple"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


@pytest.fixture(scope="session", params=BACKENDS)
def ewa_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A store with the shipped sources loaded and the rules run, once per engine per session."""
    folder = tmp_path_factory.mktemp(f"ewa-{request.param}")
    for url in fresh_database_url(request.param, folder):
        settings = Settings(var_dir=folder / "var", database_url=url)
        engine = initialise(settings)
        try:
            load_events(engine)
            run_rules(engine)
        finally:
            engine.dispose()
        yield settings


@pytest.fixture
def loaded(ewa_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(ewa_settings.records_url)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    upgrade(engine)
    return engine


@pytest.fixture(scope="session")
def tokens(ewa_settings: Settings) -> dict[str, str]:
    """API tokens of an analyst, a data provider for the USA and a focal point for Slovenia."""
    suffix = secrets.token_hex(3)
    roles = {
        "analyst": (Role.ANALYST, ()),
        "provider": (Role.PROVIDER, ("USA",)),
        "focal": (Role.FOCAL_POINT, ("SVN",)),
    }
    engine = make_engine(ewa_settings.records_url)
    try:
        issued = {}
        for name, (role, countries) in roles.items():
            create_user(engine, f"ewa-{name}-{suffix}", PASSWORD, role, countries)
            issued[name] = issue_token(engine, f"ewa-{name}-{suffix}", "early-warning tests")
        return issued
    finally:
        engine.dispose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(ewa_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(ewa_settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def base_url(ewa_settings: Settings) -> Iterator[str]:
    with served(create_app(ewa_settings)) as url:
        yield url


def own_draft(engine: Engine, audience: Audience = Audience.PUBLIC, event_on: date = date(2020, 3, 2)) -> int:
    """A new draft alert of its own (a unique key), resting on no event; its id."""
    key = f"test:{secrets.token_hex(6)}"
    draft = AlertDraft(key, Rule.ADULTERANT, audience, f"Test alert {key}", "A test.", event_on, ())
    with transaction(engine) as session:
        keep_drafts(session, [draft], actor="tests")
    with engine.connect() as connection:
        found = connection.scalar(select(ewa_schema.EwaAlert.id).where(ewa_schema.EwaAlert.key == key))
    assert found is not None
    return found
