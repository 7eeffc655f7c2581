"""Sign-in throttling: failed attempts per account and per client address over a sliding window.

The failures are rows of the records store (``login_failure``), so the count survives a restart and every server
process sees the same one. A refused attempt is not counted (nobody can keep an account locked for ever by trying
on), and a successful sign-in forgets the account's failures.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from observatory.access.users import aware
from observatory.errors import ObservatoryError
from observatory.settings import Settings
from observatory.store.access_schema import LoginFailure


@dataclass(frozen=True, slots=True)
class ThrottleRules:
    per_account: int = 10
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)

    @classmethod
    def of(cls, settings: Settings) -> "ThrottleRules":
        return cls(
            settings.login_failures_per_account,
            settings.login_failures_per_address,
            timedelta(minutes=settings.login_window_minutes),
        )


@dataclass(eq=False)
class TooManyAttempts(ObservatoryError):
    """429: sign-in refused without checking the password; ``retry_after`` seconds until it is allowed again."""

    retry_after: int = 1

    status: ClassVar[int] = 429
    code: ClassVar[str] = "too-many-attempts"


def check(engine: Engine, username: str, ip: str, now: datetime, rules: ThrottleRules) -> None:
    """Raise ``TooManyAttempts`` when the account or the address has had its share of failures in the window."""
    for scope, column, value, limit in (
        ("account", LoginFailure.username, username[:128], rules.per_account),
        ("address", LoginFailure.ip, ip[:64], rules.per_address),
    ):
        with Session(engine) as session:
            recent = session.scalars(
                select(LoginFailure.at).where(column == value, LoginFailure.at > now - rules.window).order_by("at")
            ).all()
        if len(recent) >= limit:
            # Allowed again when enough failures have left the window for fewer than ``limit`` to remain.
            released = aware(recent[len(recent) - limit]) + rules.window
            wait = max(1, math.ceil((released - now).total_seconds()))
            raise TooManyAttempts(
                f"too many failed sign-ins for this {scope}; try again in {math.ceil(wait / 60)} minute(s)",
                [{"scope": scope, "failures": len(recent), "retry_after_seconds": wait}],
                retry_after=wait,
            )


def record_failure(session: Session, username: str, ip: str, now: datetime, rules: ThrottleRules) -> None:
    """Count one failure, and drop those that have left the window."""
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - rules.window))
    session.add(LoginFailure(at=now, username=username[:128], ip=ip[:64]))


def forget(session: Session, username: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == username[:128]))
