"""Accounts: argon2-hashed passwords, API tokens stored as SHA-256, and the principal each one acts as."""

import hashlib
import secrets
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, Engine, select
from sqlalchemy.orm import Session

from observatory.access.policy import Principal, Role
from observatory.errors import BadInput, Conflict, Unauthenticated
from observatory.reference.geography import place
from observatory.store.engine import transaction
from observatory.store.reporting_schema import ApiToken, User

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role,
    countries: Iterable[str] = (),
    datasets: Iterable[str] | None = None,
    network: str | None = None,
    display_name: str | None = None,
) -> Principal:
    """Add an account; country codes are checked against the reference, the password hashed with argon2."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(f"the password must have at least {MIN_PASSWORD_LENGTH} characters", [{"field": "password"}])
    codes = sorted({place(code).iso3 for code in countries})
    if role in (Role.PROVIDER, Role.FOCAL_POINT) and not codes:
        raise BadInput(f"a {role} account needs at least one country", [{"field": "countries"}])
    if role is Role.REGIONAL_REVIEWER and not network:
        raise BadInput("a regional reviewer account needs a network (e.g. WENDU)", [{"field": "network"}])
    with transaction(engine) as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(f"user {username!r} already exists", [{"field": "username", "value": username}])
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=_hasher.hash(password),
            role=str(role),
            countries=codes,
            datasets=sorted(datasets) if datasets is not None else None,
            network=network,
            active=True,
        )
        session.add(user)
    return _principal(user)


def authenticate(engine: Engine, username: str, password: str) -> Principal:
    user = _active_user(engine, User.username == username)
    try:
        if user is None or not _hasher.verify(user.password_hash, password):
            raise VerificationError
    except (VerificationError, InvalidHashError) as exc:
        raise Unauthenticated("unknown user or wrong password") from exc
    return _principal(user)


def principal_of(engine: Engine, username: str) -> Principal:
    user = _active_user(engine, User.username == username)
    if user is None:
        raise Unauthenticated(f"no active user {username!r}")
    return _principal(user)


def issue_token(engine: Engine, username: str, label: str) -> str:
    """A new API token for ``username``; it is shown once, only its digest is kept."""
    token = secrets.token_urlsafe(32)
    with transaction(engine) as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        if user_id is None:
            raise BadInput(f"no user {username!r}", [{"field": "username", "value": username}])
        session.add(ApiToken(user_id=user_id, token_sha256=_digest(token), label=label))
    return token


def principal_for_token(engine: Engine, token: str) -> Principal:
    tokens = select(ApiToken.user_id).where(ApiToken.token_sha256 == _digest(token), ApiToken.revoked_at.is_(None))
    user = _active_user(engine, User.id.in_(tokens))
    if user is None:
        raise Unauthenticated("unknown or revoked API token")
    return _principal(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _active_user(engine: Engine, *conditions: ColumnElement[bool]) -> User | None:
    with Session(engine) as session:
        return session.scalars(select(User).where(User.active, *conditions)).first()


def _principal(user: User) -> Principal:
    return Principal(
        username=user.username,
        role=Role(user.role),
        countries=frozenset(user.countries),
        datasets=frozenset(user.datasets) if user.datasets is not None else None,
        network=user.network,
    )
