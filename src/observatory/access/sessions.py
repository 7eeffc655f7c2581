"""Server-side sessions: signing in (throttled, audited), the principal a session acts as, signing out.

The browser keeps a random session id; the records store keeps its SHA-256 with the account, when it was created
and last used, and when and why it ended. A session ends at sign-out, when the password changes or the account is
deactivated, after ``idle`` without a request, and ``absolute`` after sign-in whatever happens. An ended session
never comes back, whatever the cookie says.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from observatory.access import throttle
from observatory.access.audit import audit
from observatory.access.policy import Principal
from observatory.access.throttle import ThrottleRules
from observatory.access.users import as_principal, authenticate, aware, set_password
from observatory.errors import Unauthenticated
from observatory.settings import Settings
from observatory.store.access_schema import UserSession
from observatory.store.engine import transaction
from observatory.store.reporting_schema import User

#: ``last_seen_at`` is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SessionRules:
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)

    @classmethod
    def of(cls, settings: Settings) -> "SessionRules":
        return cls(timedelta(minutes=settings.session_idle_minutes), timedelta(hours=settings.session_absolute_hours))


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request comes from, as recorded with a session and in the audit trail."""

    ip: str
    user_agent: str = ""


def sign_in(
    engine: Engine, username: str, password: str, client: Client, now: datetime, rules: ThrottleRules
) -> tuple[Principal, str]:
    """The principal and the id of a new session (for the cookie; only its digest is kept).

    Raises ``TooManyAttempts`` (before the password is looked at) or ``Unauthenticated``; both are audited but
    the refused one, so that an attack cannot fill the trail faster than the throttle allows."""
    throttle.check(engine, username, client.ip, now, rules)
    seen_from = {"ip": client.ip, "user_agent": client.user_agent[:255]}
    try:
        principal = authenticate(engine, username, password)
    except Unauthenticated:
        with transaction(engine) as session:
            throttle.record_failure(session, username, client.ip, now, rules)
            audit(session, "anonymous", "sign-in-failed", "user", username, now, **seen_from)
        raise
    session_id = secrets.token_urlsafe(32)
    with transaction(engine) as session:
        user_id = session.scalar(select(User.id).where(User.username == principal.username))
        assert user_id is not None
        row = UserSession(
            token_sha256=_digest(session_id),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            ip=client.ip[:64],
            user_agent=client.user_agent[:255],
        )
        session.add(row)
        session.flush()
        throttle.forget(session, username)
        audit(session, principal.username, "sign-in", "user", principal.username, now, user_session=row.id, **seen_from)
    return principal, session_id


def session_principal(engine: Engine, session_id: str, now: datetime, rules: SessionRules) -> Principal | None:
    """Who the session acts as, or ``None`` when it has ended (and ends it now if it has just expired)."""
    with transaction(engine) as session:
        found = session.execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_sha256 == _digest(session_id), UserSession.ended_at.is_(None))
        ).first()
        if found is None:
            return None
        record, user = found
        ending = _ending(aware(record.created_at), aware(record.last_seen_at), user.active, now, rules)
        if ending is not None:
            record.ended_at, record.end_reason = now, ending
            return None
        if now - aware(record.last_seen_at) >= TOUCH_EVERY:
            record.last_seen_at = now
        return as_principal(user)


def sign_out(engine: Engine, session_id: str, now: datetime) -> bool:
    """End the session; whether it was open."""
    with transaction(engine) as session:
        found = session.execute(
            select(UserSession, User.username)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_sha256 == _digest(session_id), UserSession.ended_at.is_(None))
        ).first()
        if found is None:
            return False
        record, username = found
        record.ended_at, record.end_reason = now, "logout"
        audit(session, username, "sign-out", "user", username, now, user_session=record.id)
        return True


def _ending(created: datetime, last_seen: datetime, active: bool, now: datetime, rules: SessionRules) -> str | None:
    if not active:
        return "deactivated"
    if now - created >= rules.absolute:
        return "expired"
    if now - last_seen >= rules.idle:
        return "idle"
    return None


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def change_password(
    engine: Engine, username: str, current: str, new: str, client: Client, now: datetime, rules: ThrottleRules
) -> int:
    """A signed-in user's own change: the current password is checked (throttled like a sign-in), then every
    session of the account ends, this one too. How many sessions ended."""
    throttle.check(engine, username, client.ip, now, rules)
    try:
        authenticate(engine, username, current)
    except Unauthenticated:
        with transaction(engine) as session:
            throttle.record_failure(session, username, client.ip, now, rules)
            audit(session, username, "password-change-failed", "user", username, now, ip=client.ip)
        raise
    return set_password(engine, username, new, actor=username, now=now)
