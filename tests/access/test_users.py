from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from observatory.access import users
from observatory.access.policy import Role
from observatory.access.sessions import Client, SessionRules, session_principal, sign_in
from observatory.access.throttle import ThrottleRules
from observatory.access.users import (
    activate_user,
    authenticate,
    change_role,
    create_token,
    create_user,
    deactivate_user,
    dummy_hash,
    issue_token,
    list_tokens,
    list_users,
    principal_for_token,
    revoke_token,
)
from observatory.errors import BadInput, Conflict, Unauthenticated
from observatory.store.migrate import upgrade
from observatory.store.reporting_schema import ApiToken, User
from observatory.store.schema import AuditEvent

PASSWORD = "correct horse battery"


def test_passwords_are_hashed_with_argon2_and_checked(engine: Engine) -> None:
    upgrade(engine)
    created = create_user(engine, "ama", PASSWORD, Role.FOCAL_POINT, countries=["gha"])
    assert created.countries == frozenset({"GHA"})
    with engine.connect() as connection:
        stored = connection.scalar(select(User.password_hash))
    assert stored is not None and stored.startswith("$argon2") and PASSWORD not in stored
    assert authenticate(engine, "ama", PASSWORD) == created
    with pytest.raises(Unauthenticated):
        authenticate(engine, "ama", "wrong password!!")
    with pytest.raises(Unauthenticated):
        authenticate(engine, "nobody", PASSWORD)


def test_tokens_are_stored_as_digests_and_identify_their_owner(engine: Engine) -> None:
    upgrade(engine)
    create_user(engine, "ines", PASSWORD, Role.ANALYST)
    token = issue_token(engine, "ines", "nightly upload")
    with engine.connect() as connection:
        assert connection.scalar(select(ApiToken.token_sha256)) != token
    assert principal_for_token(engine, token).username == "ines"
    with pytest.raises(Unauthenticated):
        principal_for_token(engine, token + "x")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"password": "short"}, BadInput),
        ({"role": Role.FOCAL_POINT, "countries": []}, BadInput),
        ({"role": Role.FOCAL_POINT, "countries": ["Narnia"]}, BadInput),
        ({"role": Role.REGIONAL_REVIEWER}, BadInput),
    ],
)
def test_bad_accounts_are_refused(engine: Engine, kwargs: dict[str, object], error: type[Exception]) -> None:
    upgrade(engine)
    arguments: dict[str, object] = {"username": "x", "password": PASSWORD, "role": Role.PROVIDER, "countries": ["GHA"]}
    with pytest.raises(error):
        create_user(engine, **{**arguments, **kwargs})  # type: ignore[arg-type]


def test_usernames_are_unique(engine: Engine) -> None:
    upgrade(engine)
    create_user(engine, "ama", PASSWORD, Role.ANALYST)
    with pytest.raises(Conflict):
        create_user(engine, "ama", PASSWORD, Role.ANALYST)


def test_unknown_and_deactivated_users_cost_one_verification_against_the_dummy_hash(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(engine)
    create_user(engine, "ama", PASSWORD, Role.ANALYST)
    create_user(engine, "gone", PASSWORD, Role.ANALYST)
    deactivate_user(engine, "gone", actor="test")
    dummy = dummy_hash()
    with engine.connect() as connection:
        real = connection.scalar(select(User.password_hash).where(User.username == "ama"))
    assert real is not None and dummy.split("$")[:4] == real.split("$")[:4]  # same algorithm and cost parameters
    verified: list[str] = []
    hasher = users._hasher

    class Spy:
        def verify(self, hashed: str, password: str) -> bool:
            verified.append(hashed)
            return hasher.verify(hashed, password)

    monkeypatch.setattr(users, "_hasher", Spy())
    for username, password in (("nobody", PASSWORD), ("gone", PASSWORD), ("ama", "wrong password!!")):
        with pytest.raises(Unauthenticated, match="unknown user or wrong password"):
            authenticate(engine, username, password)
    assert verified == [dummy, dummy, real]


def test_a_token_works_until_it_expires_or_is_revoked(engine: Engine) -> None:
    upgrade(engine)
    create_user(engine, "ines", PASSWORD, Role.ANALYST)
    start = datetime(2025, 3, 1, tzinfo=UTC)
    info, token = create_token(engine, "ines", "nightly", days=30, now=start)
    assert info.expires_at == start + timedelta(days=30) and info.status(start) == "active"
    assert principal_for_token(engine, token, start + timedelta(days=29)).username == "ines"
    with pytest.raises(Unauthenticated):
        principal_for_token(engine, token, start + timedelta(days=30))
    assert [t.status(start + timedelta(days=31)) for t in list_tokens(engine, "ines")] == ["expired"]
    other = issue_token(engine, "ines", "default lifetime")
    assert principal_for_token(engine, other).username == "ines"
    [listed] = [t for t in list_tokens(engine) if t.label == "default lifetime"]
    assert listed.expires_at - listed.created_at == timedelta(days=90)
    revoke_token(engine, listed.id, actor="test")
    with pytest.raises(Unauthenticated):
        principal_for_token(engine, other)
    with pytest.raises(BadInput):
        create_token(engine, "ines", "for ever", days=3650)


def test_a_deactivated_user_keeps_the_account_but_loses_sessions_and_tokens(engine: Engine) -> None:
    upgrade(engine)
    create_user(engine, "ama", PASSWORD, Role.FOCAL_POINT, countries=["GHA"])
    token = issue_token(engine, "ama", "upload")
    now = datetime.now(UTC)
    _, session_id = sign_in(engine, "ama", PASSWORD, Client("10.0.0.1"), now, ThrottleRules())
    assert session_principal(engine, session_id, now, SessionRules()) is not None
    done = deactivate_user(engine, "ama", actor="cli:root@host")
    assert (done.sessions_ended, done.tokens_revoked) == (1, 1)
    assert session_principal(engine, session_id, now, SessionRules()) is None
    with pytest.raises(Unauthenticated):
        principal_for_token(engine, token)
    with pytest.raises(Unauthenticated):
        authenticate(engine, "ama", PASSWORD)
    with pytest.raises(Conflict):
        deactivate_user(engine, "ama", actor="cli:root@host")
    assert [(a.username, a.active) for a in list_users(engine)] == [("ama", False)]  # never deleted
    activate_user(engine, "ama", actor="cli:root@host")
    assert authenticate(engine, "ama", PASSWORD).username == "ama"
    with pytest.raises(Unauthenticated):
        principal_for_token(engine, token)  # revoked tokens stay revoked


def test_a_role_change_is_checked_and_audited(engine: Engine) -> None:
    upgrade(engine)
    create_user(engine, "ama", PASSWORD, Role.PROVIDER, countries=["GHA"], actor="cli:root@host")
    with pytest.raises(BadInput):
        change_role(engine, "ama", Role.FOCAL_POINT, [], actor="cli:root@host")
    changed = change_role(engine, "ama", Role.FOCAL_POINT, ["GHA", "SEN"], actor="cli:root@host")
    assert changed.countries == frozenset({"GHA", "SEN"})
    with engine.connect() as connection:
        columns = (AuditEvent.actor, AuditEvent.action, AuditEvent.detail)
        events = connection.execute(select(*columns).order_by(AuditEvent.id)).all()
    assert [(actor, action) for actor, action, _ in events] == [
        ("cli:root@host", "user-created"),
        ("cli:root@host", "user-role-changed"),
    ]
    assert events[1].detail["before"]["role"] == "provider" and events[1].detail["after"]["role"] == "focal_point"
