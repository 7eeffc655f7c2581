"""A user's preferences (language, kinds of mail) on both engines: who may see and change whose, what is refused,
what is audited, and what the outbox then does with them."""

import pytest
from sqlalchemy import Engine, select

from observatory.access.policy import ANONYMOUS, Principal
from observatory.access.preferences import UNCHANGED, checked_language, preferences_of, set_preferences
from observatory.access.users import create_user
from observatory.errors import BadInput, Forbidden, NotFound, Unauthenticated
from observatory.review import open_query
from observatory.store.migrate import upgrade
from observatory.store.review_schema import MailOutbox
from observatory.store.schema import AuditEvent
from tests.review.people import ADMIN, ANALYST, PROVIDER, REVIEWER, ghana_submission

PASSWORD = "a long enough password"
KOFI = PROVIDER
INES = ANALYST


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    for person in (KOFI, INES, ADMIN):
        create_user(engine, person.username, PASSWORD, person.role, person.countries, email=f"{person.username}@x.org")
    return engine


@pytest.mark.parametrize(
    ("principal", "whose", "outcome"),
    [
        (KOFI, "kofi", None),
        (INES, "ines", None),
        (KOFI, "ines", Forbidden),
        (INES, "kofi", Forbidden),  # an analyst manages no accounts
        (ADMIN, "kofi", None),
        (ADMIN, "root", None),
        (ANONYMOUS, "kofi", Unauthenticated),
        (ANONYMOUS, "anonymous", Unauthenticated),
        (ADMIN, "nobody", NotFound),
    ],
)
def test_who_may_see_and_change_whose_preferences(
    store: Engine, principal: Principal, whose: str, outcome: type[Exception] | None
) -> None:
    if outcome is None:
        assert preferences_of(store, principal, whose).language is None
        changed = set_preferences(store, principal, whose, language="fr", mail={"deadline": False})
        assert (changed.language, changed.mail) == ("fr", {"query": True, "submission": True, "deadline": False})
        assert preferences_of(store, principal, whose) == changed
        return
    with pytest.raises(outcome):
        preferences_of(store, principal, whose)
    with pytest.raises(outcome):
        set_preferences(store, principal, whose, language="fr")
    if outcome is not NotFound:
        assert preferences_of(store, ADMIN, whose if whose != "anonymous" else "kofi").language is None


def test_changes_are_audited_with_before_and_after_and_nothing_unchanged_is_written(store: Engine) -> None:
    set_preferences(store, ADMIN, "kofi", language="ar", mail={"query": False, "deadline": False})
    set_preferences(store, KOFI, "kofi", mail={"query": True})
    set_preferences(store, KOFI, "kofi", language=UNCHANGED, mail={"query": True})  # no change, no event
    set_preferences(store, KOFI, "kofi", language=None)
    with store.connect() as connection:
        events = connection.execute(
            select(AuditEvent.actor, AuditEvent.detail)
            .where(AuditEvent.action == "user-preferences-changed")
            .order_by(AuditEvent.id)
        ).all()
    assert [(actor, detail["before"], detail["after"]) for actor, detail in events] == [
        ("root", {"language": None, "mail_off": []}, {"language": "ar", "mail_off": ["deadline", "query"]}),
        ("kofi", {"language": "ar", "mail_off": ["deadline", "query"]}, {"language": "ar", "mail_off": ["deadline"]}),
        ("kofi", {"language": "ar", "mail_off": ["deadline"]}, {"language": None, "mail_off": ["deadline"]}),
    ]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"language": "klingon"}, "'klingon'"),
        ({"language": "fr-CA"}, "'fr-CA'"),
        ({"mail": {"reminders": False}}, "'reminders'"),
        ({"mail": {"query": False, "spam": True}}, "'spam'"),
    ],
)
def test_an_unknown_language_or_kind_of_mail_names_the_value_and_what_is_accepted(
    store: Engine, change: dict[str, object], named: str
) -> None:
    with pytest.raises(BadInput) as refused:
        set_preferences(store, KOFI, "kofi", **change)  # type: ignore[arg-type]
    assert named in refused.value.message
    accepted = "ar (العربية)" if "language" in change else "query, submission, deadline"
    assert accepted in refused.value.message
    assert preferences_of(store, KOFI, "kofi").language is None  # nothing half-done


def test_a_language_is_one_of_the_six_whatever_its_case() -> None:
    assert [checked_language(code) for code in ("FR", " zh ", "", None)] == ["fr", "zh", None, None]


def test_the_outbox_follows_the_preferences(engine: Engine) -> None:
    submission = ghana_submission(engine)
    set_preferences(engine, KOFI, "kofi", language="fr")
    open_query(engine, REVIEWER, submission, "first", "low")
    set_preferences(engine, KOFI, "kofi", mail={"query": False})
    open_query(engine, REVIEWER, submission, "second", "low")
    with engine.connect() as connection:
        rows = connection.execute(select(MailOutbox.username, MailOutbox.language)).all()
    assert [tuple(row) for row in rows] == [("kofi", "fr")]


def test_a_deactivated_account_keeps_its_preferences_for_an_administrator(store: Engine) -> None:
    from observatory.access.users import deactivate_user

    set_preferences(store, KOFI, "kofi", language="es")
    deactivate_user(store, "kofi", actor="root")
    assert preferences_of(store, ADMIN, "kofi").language == "es"
