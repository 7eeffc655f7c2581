"""Fixtures of the policy tests: a seeded store per engine, accounts, the web app over the demo store."""

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.access.users import create_user, issue_token
from observatory.policy.seed import load_policy_seed
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade
from observatory.web.app import create_app
from tests.stores import BACKENDS, fresh_database_url

ANALYST = Principal("analyst-1", Role.ANALYST)
ADMIN = Principal("admin-1", Role.ADMIN)
COLOMBIA_FOCAL_POINT = Principal("fp-col", Role.FOCAL_POINT, frozenset({"COL"}))
PERU_FOCAL_POINT = Principal("fp-per", Role.FOCAL_POINT, frozenset({"PER"}))
PROVIDER = Principal("provider-col", Role.PROVIDER, frozenset({"COL"}))
PASSWORD = "correct horse battery staple"


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    upgrade(engine)
    return engine


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A store with the policy seed loaded, shared by the read-only tests of a module, on each engine."""
    for url in fresh_database_url(request.param, tmp_path_factory.mktemp(f"policy-{request.param}")):
        engine = make_engine(url)
        upgrade(engine)
        load_policy_seed(engine)
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def policy_settings(demo_settings: Settings) -> Settings:
    """The demo store with the policy seed loaded."""
    engine = make_engine(demo_settings.records_url)
    try:
        load_policy_seed(engine)
    finally:
        engine.dispose()
    return demo_settings


@pytest.fixture(scope="session")
def accounts(policy_settings: Settings) -> dict[str, str]:
    """Usernames of an analyst, a focal point for Colombia and a data provider for Colombia (password PASSWORD)."""
    suffix = secrets.token_hex(3)
    roles = {
        "analyst": (Role.ANALYST, ()),
        "focal": (Role.FOCAL_POINT, ("COL",)),
        "provider": (Role.PROVIDER, ("COL",)),
    }
    engine = make_engine(policy_settings.records_url)
    try:
        for name, (role, countries) in roles.items():
            create_user(engine, f"policy-{name}-{suffix}", PASSWORD, role, countries)
    finally:
        engine.dispose()
    return {name: f"policy-{name}-{suffix}" for name in roles}


@pytest.fixture(scope="session")
def tokens(policy_settings: Settings, accounts: dict[str, str]) -> dict[str, str]:
    engine = make_engine(policy_settings.records_url)
    try:
        return {name: issue_token(engine, user, "policy tests") for name, user in accounts.items()}
    finally:
        engine.dispose()


@pytest.fixture
def client(policy_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(policy_settings), raise_server_exceptions=False) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
