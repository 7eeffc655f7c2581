"""Fixtures of the early-warning tests: stores on each engine holding the shipped event sources, one without and
one with the alerts the rules drafted from them; accounts on it; apps over them, and those apps served for the
browser. Importing ``ewa_schema`` registers the early-warning tables with the store's metadata."""

import secrets
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from observatory.access.policy import Role
from observatory.access.users import create_user, issue_token
from observatory.demo import initialise
from observatory.ewa.alerts import AlertDraft, Audience, Rule, keep_drafts, run_rules
from observatory.ewa.events import load_events, named_entry
from observatory.ewa.events.recording import write_substances
from observatory.settings import Settings
from observatory.store import ewa_schema
from observatory.store.engine import make_engine, transaction
from observatory.store.migrate import upgrade
from tests.stores import client_fixture, engine_fixture, served_fixture, settings_fixture

assert ewa_schema.EwaEvent.__tablename__ == "ewa_event"
PASSWORD = "correct horse battery staple"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


def _events(settings: Settings) -> None:
    engine = initialise(settings)
    try:
        load_events(engine)
    finally:
        engine.dispose()


#: A store with the shipped early-warning sources loaded, once per engine per session.
events_settings = settings_fixture("ewa-events", _events)
events_engine = engine_fixture("events_settings")
events_client = client_fixture("events_settings")
events_base_url = served_fixture("events_settings")


def _events_and_rules(settings: Settings) -> None:
    engine = initialise(settings)
    try:
        load_events(engine)
        run_rules(engine)
    finally:
        engine.dispose()


#: A store with the shipped sources loaded and the rules run, once per engine per session.
ewa_settings = settings_fixture("ewa", _events_and_rules)
loaded = engine_fixture("ewa_settings")
client = client_fixture("ewa_settings")
base_url = served_fixture("ewa_settings")


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


def drafts_about(engine: Engine, name: str, rule: Rule, countries: tuple[str, ...]) -> list[int]:
    """Drafts of ``rule`` about the registry substance ``name``, one per country (near-duplicates); their ids."""
    entry = named_entry(name)
    tag = secrets.token_hex(4)
    drafts = [
        AlertDraft(
            f"test:{tag}:{country}",
            rule,
            Audience.PUBLIC,
            f"{entry.name} in {country} {tag}",
            "A test.",
            date(2020, 1, 1),
            (),
            substance_key=entry.key,
            country=country,
        )
        for country in countries
    ]
    with transaction(engine) as session:
        write_substances(session, [entry])
        keep_drafts(session, drafts, actor="tests")
    with engine.connect() as connection:
        alerts = ewa_schema.EwaAlert
        return list(connection.scalars(select(alerts.id).where(alerts.key.like(f"test:{tag}:%")).order_by(alerts.id)))
