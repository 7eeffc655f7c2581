"""Delivering the mail outbox over SMTP: each row is claimed, sent, and marked sent, or left pending with the error
and a later attempt (``review.toml``'s ``retry_minutes``). Nothing is lost, nothing is sent twice. Each mail is
written in the language its row keeps (the recipient's, when it was queued).

``OBSERVATORY_SMTP_URL``: ``smtp://host:port`` (plain), ``smtp+starttls://user:password@host:587`` or
``smtp://…?starttls=1`` (STARTTLS, then login when the URL has a user), ``smtps://…`` (TLS from the start). Without
it the outbox still fills; ``deliver`` then sends nothing and says how many mails would have gone.

A row is claimed (``pending`` → ``sending``) by an UPDATE that only one sender can win, so two senders at once never
both send it; a claim older than ``STALE`` (a sender killed mid-way) is released to be tried again.
"""

import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from observatory.access.audit import utc_now
from observatory.access.policy import Action, Principal, require
from observatory.errors import BadInput
from observatory.review.mails import build_message
from observatory.review.rules import retry_delay
from observatory.settings import Settings
from observatory.store.engine import transaction
from observatory.store.reporting_schema import User
from observatory.store.review_schema import MailOutbox

STALE = timedelta(minutes=15)
BATCH = 200


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    host: str
    port: int
    security: str  # plain, starttls or tls
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    pending: int = 0
    configured: bool = True
    errors: list[str] = field(default_factory=list)


def parse_smtp_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    schemes = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}
    if parts.scheme not in schemes or not parts.hostname:
        raise BadInput(
            "OBSERVATORY_SMTP_URL: expected smtp://host:port, smtp+starttls://user:password@host:587 or smtps://…",
            [{"field": "smtp_url"}],
        )
    security, port = schemes[parts.scheme]
    options = parse_qs(parts.query)
    if options.get("starttls", ["0"])[0] in ("1", "true", "yes"):
        security = "starttls"
    timeout = float(options.get("timeout", ["10"])[0])
    return SmtpTarget(
        parts.hostname,
        parts.port or port,
        security,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
        timeout,
    )


def deliver(engine: Engine, settings: Settings, now: datetime | None = None, limit: int = BATCH) -> Delivery:
    """Send the mails that are due; each one at most once."""
    moment = now or utc_now()
    url = settings.smtp_url.get_secret_value()
    if not url:
        return Delivery(pending=_count_pending(engine), configured=False)
    target = parse_smtp_url(url)
    _release_stale(engine, moment)
    due = select(MailOutbox.id).where(MailOutbox.status == "pending", MailOutbox.next_attempt_at <= moment)
    with engine.connect() as connection:
        ids = list(connection.scalars(due.order_by(MailOutbox.id).limit(limit)))
    report = Delivery()
    client: smtplib.SMTP | None = None
    try:
        for row_id in ids:
            if not _claim(engine, row_id, moment):
                continue
            try:
                client = client or _connect(target)
                message = _message(engine, row_id, settings, moment)
                client.send_message(message)
            except (smtplib.SMTPException, OSError, ValueError) as exc:
                _failed(engine, row_id, moment, exc)
                report.failed += 1
                report.errors.append(f"mail {row_id}: {exc}")
                _drop(client)
                client = None
                continue
            _sent(engine, row_id, moment, str(message["Message-ID"]))
            report.sent += 1
    finally:
        _drop(client)
    report.pending = _count_pending(engine)
    return report


def outbox(engine: Engine, principal: Principal, status: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The outbox as an administrator sees it: what was sent, and what waits (or would be sent, without SMTP)."""
    require(principal, Action.MANAGE_USERS, None)
    query = select(MailOutbox).order_by(MailOutbox.id.desc()).limit(limit)
    if status:
        query = query.where(MailOutbox.status == status)
    with Session(engine) as session:
        return [
            {
                "id": row.id,
                "to": row.recipient,
                "username": row.username,
                "template": row.template,
                "language": row.language,
                "status": row.status,
                "attempts": row.attempts,
                "next_attempt_at": row.next_attempt_at.isoformat(),
                "last_error": row.last_error,
                "query_id": row.query_id,
                "dedup_key": row.dedup_key,
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
                "payload": row.payload,
            }
            for row in session.scalars(query)
        ]


def _connect(target: SmtpTarget) -> smtplib.SMTP:
    client: smtplib.SMTP
    if target.security == "tls":
        client = smtplib.SMTP_SSL(
            target.host, target.port, timeout=target.timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
        if target.security == "starttls":
            client.starttls(context=ssl.create_default_context())
    if target.username:
        client.login(target.username, target.password or "")
    return client


def _drop(client: smtplib.SMTP | None) -> None:
    if client is not None:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def _message(engine: Engine, row_id: int, settings: Settings, moment: datetime) -> Any:
    with Session(engine) as session:
        row = session.get(MailOutbox, row_id)
        assert row is not None
        name = session.scalar(select(User.display_name).where(User.username == row.username)) or row.username
        return build_message(
            row.id,
            row.template,
            row.payload,
            (name, row.recipient),
            settings.mail_from,
            query_id=row.query_id,
            site_url=settings.site_url,
            date=moment,
            language=row.language,
        )


def _claim(engine: Engine, row_id: int, moment: datetime) -> bool:
    claim = update(MailOutbox).where(MailOutbox.id == row_id, MailOutbox.status == "pending")
    with transaction(engine) as session:
        result = session.execute(claim.values(status="sending", next_attempt_at=moment))
        return bool(getattr(result, "rowcount", 0) == 1)


def _sent(engine: Engine, row_id: int, moment: datetime, message_id: str) -> None:
    with transaction(engine) as session:
        session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == row_id)
            .values(status="sent", sent_at=moment, message_id=message_id, attempts=MailOutbox.attempts + 1)
        )


def _failed(engine: Engine, row_id: int, moment: datetime, error: Exception) -> None:
    with transaction(engine) as session:
        row = session.get(MailOutbox, row_id)
        assert row is not None
        row.attempts += 1
        row.status = "pending"
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.next_attempt_at = moment + retry_delay(row.attempts)


def _release_stale(engine: Engine, moment: datetime) -> None:
    with transaction(engine) as session:
        session.execute(
            update(MailOutbox)
            .where(MailOutbox.status == "sending", MailOutbox.next_attempt_at < moment - STALE)
            .values(status="pending")
        )


def _count_pending(engine: Engine) -> int:
    with engine.connect() as connection:
        count = select(func.count()).select_from(MailOutbox).where(MailOutbox.status != "sent")
        return int(connection.scalar(count) or 0)
