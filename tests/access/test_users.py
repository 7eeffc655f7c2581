import pytest
from sqlalchemy import Engine, select

from observatory.access.policy import Role
from observatory.access.users import authenticate, create_user, issue_token, principal_for_token
from observatory.errors import BadInput, Conflict, Unauthenticated
from observatory.store.migrate import upgrade
from observatory.store.reporting_schema import ApiToken, User

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
