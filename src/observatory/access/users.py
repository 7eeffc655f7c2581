"""Accounts: argon2-hashed passwords, API tokens stored as SHA-256 with an expiry, and the principal each one acts
as. Accounts are deactivated, never deleted; every change is written to the audit trail by the ``actor`` named."""

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, CursorResult, Engine, Update, select, update
from sqlalchemy.orm import Session

from observatory.access.audit import audit, utc_now
from observatory.access.policy import Principal, Role
from observatory.errors import BadInput, Conflict, NotFound, Unauthenticated
from observatory.reference.geography import place
from observatory.store.access_schema import UserSession
from observatory.store.engine import transaction
from observatory.store.reporting_schema import ApiToken, User

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 366
_EMAIL = re.compile(r"[^@\s<>\x00-\x1f\x7f\",;]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role,
    countries: Iterable[str] = (),
    datasets: Iterable[str] | None = None,
    network: str | None = None,
    display_name: str | None = None,
    *,
    actor: str = "system",
    email: str | None = None,
) -> Principal:
    """Add an account; country codes are checked against the reference, the password hashed with argon2; ``email``
    is where notifications go (none: no mail)."""
    _check_password(password)
    email = checked_email(email)
    codes = _checked_scope(role, countries, network)
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
            email=email,
        )
        session.add(user)
        audit(session, actor, "user-created", "user", username, utc_now(), role=str(role), countries=codes)
    return as_principal(user)


def authenticate(engine: Engine, username: str, password: str) -> Principal:
    """The principal of an active account whose password matches. An unknown or inactive user costs the same
    argon2 verification (against a dummy hash), so the answer's timing does not tell which names exist."""
    user = _active_user(engine, User.username == username)
    refused = Unauthenticated("unknown user or wrong password")
    try:
        _hasher.verify(user.password_hash if user is not None else dummy_hash(), password)
    except (VerificationError, InvalidHashError) as exc:
        raise refused from exc
    if user is None:
        raise refused
    return as_principal(user)


@cache
def dummy_hash() -> str:
    """An argon2 hash of a random password nobody knows, made with the same parameters as real ones."""
    return _hasher.hash(secrets.token_urlsafe(24))


def principal_of(engine: Engine, username: str) -> Principal:
    user = _active_user(engine, User.username == username)
    if user is None:
        raise Unauthenticated(f"no active user {username!r}")
    return as_principal(user)


def set_password(engine: Engine, username: str, password: str, *, actor: str, now: datetime | None = None) -> int:
    """Change the password and end every session of the account; the number of sessions ended."""
    _check_password(password)
    now = now or utc_now()
    with transaction(engine) as session:
        user = _user(session, username)
        user.password_hash = _hasher.hash(password)
        ended = end_sessions(session, user.id, now, "password-changed")
        audit(session, actor, "user-password-changed", "user", username, now, sessions_ended=ended)
    return ended


def change_role(
    engine: Engine,
    username: str,
    role: Role,
    countries: Iterable[str] = (),
    datasets: Iterable[str] | None = None,
    network: str | None = None,
    *,
    actor: str,
) -> Principal:
    """Give an account another role and scope (countries, data sets, network), checked as when it was created."""
    codes = _checked_scope(role, countries, network)
    with transaction(engine) as session:
        user = _user(session, username)
        before = {"role": user.role, "countries": user.countries, "datasets": user.datasets, "network": user.network}
        user.role, user.countries, user.network = str(role), codes, network
        user.datasets = sorted(datasets) if datasets is not None else None
        after = {"role": user.role, "countries": codes, "datasets": user.datasets, "network": network}
        audit(session, actor, "user-role-changed", "user", username, utc_now(), before=before, after=after)
    return as_principal(user)


@dataclass(frozen=True, slots=True)
class Deactivation:
    username: str
    sessions_ended: int
    tokens_revoked: int


def deactivate_user(engine: Engine, username: str, *, actor: str, now: datetime | None = None) -> Deactivation:
    """Stop an account (kept, with its history): its sessions end and its tokens are revoked."""
    now = now or utc_now()
    with transaction(engine) as session:
        user = _user(session, username)
        if not user.active:
            raise Conflict(f"user {username!r} is already deactivated", [{"username": username}])
        user.active = False
        ended = end_sessions(session, user.id, now, "deactivated")
        live = (ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        revoked = updated(session, update(ApiToken).where(*live).values(revoked_at=now))
        audit(session, actor, "user-deactivated", "user", username, now, sessions_ended=ended, tokens_revoked=revoked)
    return Deactivation(username, ended, revoked)


def activate_user(engine: Engine, username: str, *, actor: str) -> None:
    """Let a deactivated account sign in again (its old tokens stay revoked)."""
    with transaction(engine) as session:
        user = _user(session, username)
        if user.active:
            raise Conflict(f"user {username!r} is already active", [{"username": username}])
        user.active = True
        audit(session, actor, "user-activated", "user", username, utc_now())


@dataclass(frozen=True, slots=True)
class Account:
    username: str
    role: str
    countries: list[str]
    network: str | None
    active: bool
    created_at: datetime


def list_users(engine: Engine) -> list[Account]:
    with Session(engine) as session:
        users = session.scalars(select(User).order_by(User.username)).all()
        return [Account(u.username, u.role, u.countries, u.network, u.active, aware(u.created_at)) for u in users]


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What may be shown of a token: never the token itself, which is shown once, when it is created."""

    id: int
    username: str
    label: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > now else "expired"

    def shown(self, now: datetime) -> dict[str, object]:
        """As JSON for the API and the command line."""
        return {
            "id": self.id,
            "username": self.username,
            "label": self.label,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "status": self.status(now),
        }


def create_token(
    engine: Engine,
    username: str,
    label: str,
    *,
    days: int = TOKEN_DAYS,
    actor: str = "system",
    now: datetime | None = None,
) -> tuple[TokenInfo, str]:
    """A new API token for ``username`` lasting ``days``: its description and the token, the one time it is seen."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise BadInput(f"a token lasts 1 to {MAX_TOKEN_DAYS} days, not {days}", [{"field": "days", "value": days}])
    now = now or utc_now()
    token = secrets.token_urlsafe(32)
    with transaction(engine) as session:
        user = _user(session, username)
        if not user.active:
            raise BadInput(f"user {username!r} is deactivated", [{"field": "username", "value": username}])
        row = ApiToken(
            user_id=user.id, token_sha256=_digest(token), label=label, created_at=now, expires_at=now + timedelta(days)
        )
        session.add(row)
        session.flush()
        audit(session, actor, "token-created", "api_token", row.id, now, username=username, label=label, days=days)
        return TokenInfo(row.id, username, label, now, row.expires_at, None), token


def issue_token(engine: Engine, username: str, label: str, *, days: int = TOKEN_DAYS, actor: str = "system") -> str:
    """A new API token for ``username``; it is shown once, only its digest is kept."""
    return create_token(engine, username, label, days=days, actor=actor)[1]


def principal_for_token(engine: Engine, token: str, now: datetime | None = None) -> Principal:
    live = (ApiToken.revoked_at.is_(None), ApiToken.expires_at > (now or utc_now()))
    tokens = select(ApiToken.user_id).where(ApiToken.token_sha256 == _digest(token), *live)
    user = _active_user(engine, User.id.in_(tokens))
    if user is None:
        raise Unauthenticated("unknown, expired or revoked API token")
    return as_principal(user)


def list_tokens(engine: Engine, username: str | None = None) -> list[TokenInfo]:
    """Every token (of ``username``), newest first."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if username is not None:
        query = query.where(User.username == username)
    with Session(engine) as session:
        rows = session.execute(query.order_by(ApiToken.id.desc())).all()
        return [_token_info(token, owner) for token, owner in rows]


def revoke_token(
    engine: Engine, token_id: int, *, actor: str, owner: str | None = None, now: datetime | None = None
) -> TokenInfo:
    """Revoke a token (only one of ``owner``'s, when given); revoking it again changes nothing."""
    now = now or utc_now()
    with transaction(engine) as session:
        found = session.execute(
            select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).where(ApiToken.id == token_id)
        ).first()
        if found is None or (owner is not None and found[1] != owner):
            raise NotFound(f"no API token {token_id}" + (f" of {owner}" if owner else ""), [{"token": token_id}])
        token, username = found
        if token.revoked_at is None:
            token.revoked_at = now
            audit(session, actor, "token-revoked", "api_token", token_id, now, username=username, label=token.label)
        return _token_info(token, username)


def end_sessions(session: Session, user_id: int, now: datetime, reason: str) -> int:
    """End every open session of a user; how many there were."""
    open_sessions = (UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    return updated(session, update(UserSession).where(*open_sessions).values(ended_at=now, end_reason=reason))


def updated(session: Session, statement: Update) -> int:
    """Run an UPDATE; how many rows it changed."""
    result = session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount


def aware(moment: datetime) -> datetime:
    """A stored time as UTC: SQLite gives naive datetimes back (everything is written in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _token_info(token: ApiToken, username: str) -> TokenInfo:
    revoked = aware(token.revoked_at) if token.revoked_at is not None else None
    return TokenInfo(token.id, username, token.label, aware(token.created_at), aware(token.expires_at), revoked)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(f"the password must have at least {MIN_PASSWORD_LENGTH} characters", [{"field": "password"}])


def _checked_scope(role: Role, countries: Iterable[str], network: str | None) -> list[str]:
    codes = sorted({place(code).iso3 for code in countries})
    if role in (Role.PROVIDER, Role.FOCAL_POINT) and not codes:
        raise BadInput(f"a {role} account needs at least one country", [{"field": "countries"}])
    if role is Role.REGIONAL_REVIEWER and not network:
        raise BadInput("a regional reviewer account needs a network (e.g. WENDU)", [{"field": "network"}])
    return codes


def checked_email(email: str | None) -> str | None:
    """An address as given, stripped; ``BadInput`` for one that is not a plain ``name@domain`` (no spaces, no line
    breaks: it goes into a mail header)."""
    if email is None or not email.strip():
        return None
    email = email.strip()
    if not _EMAIL.fullmatch(email):
        raise BadInput(f"{email!r} is not an e-mail address such as ama@example.org", [{"field": "email"}])
    return email


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}", [{"field": "username", "value": username}])
    return user


def _active_user(engine: Engine, *conditions: ColumnElement[bool]) -> User | None:
    with Session(engine) as session:
        return session.scalars(select(User).where(User.active, *conditions)).first()


def as_principal(user: User) -> Principal:
    return Principal(
        username=user.username,
        role=Role(user.role),
        countries=frozenset(user.countries),
        datasets=frozenset(user.datasets) if user.datasets is not None else None,
        network=user.network,
    )
