"""Tables of regional review: queries on submissions and their threads, follow-up flags on values, the mail outbox.

A query's thread holds every message and every change of status (opened, answered, resolved, reopened, withdrawn)
as rows of ``review_message``, so that each one can be told by mail once (the outbox de-duplicates on its key).

``queue_mail`` is the one way a mail enters the outbox: the lifecycle (``reporting.workflow``) and the review service
call it inside their own transaction, so that a notification is committed with the change it tells of, or not at all.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from observatory.i18n import DEFAULT, LANGUAGES
from observatory.store.reporting_schema import User
from observatory.store.schema import Base

#: Mail kinds a user may opt out of, and the templates of each.
MAIL_KINDS = {
    "query": ("query-opened", "query-answered", "query-reply", "query-resolved", "query-reopened", "query-withdrawn"),
    "submission": ("submission-rejected", "submission-approved", "submission-published"),
    "deadline": ("round-due", "round-overdue", "query-due", "query-overdue"),
}


class ReviewQuery(Base):
    """A reviewer's question on a submission, optionally on one value or one validation problem."""

    __tablename__ = "review_query"
    __table_args__ = (
        Index("ix_review_query_submission", "submission_id"),
        Index("ix_review_query_status", "status"),
        # Queries opened automatically from acknowledged warnings: one per submission, rule and cell.
        Index("ix_review_query_auto_key", "submission_id", "auto_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"))
    observation_id: Mapped[int | None] = mapped_column(ForeignKey("observation.id"))
    problem_code: Mapped[str | None] = mapped_column(String(64))
    auto_key: Mapped[str | None] = mapped_column(String(255))
    opened_by: Mapped[str] = mapped_column(String(128))
    opener_role: Mapped[str] = mapped_column(String(32))
    #: low, medium or high; a high one open or answered holds the submission's approval.
    priority: Mapped[str] = mapped_column(String(8))
    #: open → answered → resolved, or withdrawn.
    status: Mapped[str] = mapped_column(String(16))
    #: accepted (as is), corrected or explained, once resolved.
    resolution: Mapped[str | None] = mapped_column(String(16))
    due_on: Mapped[date] = mapped_column(Date)
    #: Who answered last from the provider's side.
    answered_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewMessage(Base):
    """One entry of a query's thread: a message, or a change of status (``kind``) with its comment."""

    __tablename__ = "review_message"
    __table_args__ = (Index("ix_review_message_query", "query_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query_id: Mapped[int] = mapped_column(ForeignKey("review_query.id"))
    #: message, opened, answered, resolved, reopened, withdrawn, correction.
    kind: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(128))
    author_role: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    #: Seen by reviewers and analysts only, never by the provider.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The value-level audit entry of a correction made in answer to the query.
    value_audit_id: Mapped[int | None] = mapped_column(ForeignKey("value_audit.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewAttachment(Base):
    """A file attached to a message, kept with its kind as read from its content."""

    __tablename__ = "review_attachment"
    __table_args__ = (Index("ix_review_attachment_message", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("review_message.id"))
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(128))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ValueFollowUp(Base):
    """A value marked for follow-up in the next round (DHIS2's follow-up flag)."""

    __tablename__ = "value_followup"

    observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id"), primary_key=True)
    flagged_by: Mapped[str] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MailOutbox(Base):
    """One mail to send: never lost (committed with its event), never sent twice (its unique ``dedup_key``)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    username: Mapped[str] = mapped_column(String(128))
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8))
    template: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The query a mail is threaded under, if any.
    query_id: Mapped[int | None] = mapped_column(ForeignKey("review_query.id"))
    #: pending, sending (claimed by a sender), sent.
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def kind_of(template: str) -> str:
    return next(kind for kind, templates in MAIL_KINDS.items() if template in templates)


def queue_mail(
    session: Session,
    username: str,
    template: str,
    payload: dict[str, Any],
    key: str,
    now: datetime,
    query_id: int | None = None,
) -> bool:
    """Put a mail to ``username`` in the outbox, in the user's language, within the caller's transaction; ``False``
    when nothing is queued: the user has no address, is inactive, opted out of the template's kind, or a mail with
    ``key`` exists."""
    user = session.scalars(select(User).where(User.username == username, User.active)).first()
    if user is None or not user.email or kind_of(template) in (user.mail_opt_out or []):
        return False
    dedup_key = f"{key}:{username}"
    if session.scalar(select(MailOutbox.id).where(MailOutbox.dedup_key == dedup_key)) is not None:
        return False
    session.add(
        MailOutbox(
            dedup_key=dedup_key,
            username=username,
            recipient=user.email,
            language=user.language if user.language in LANGUAGES else DEFAULT,
            template=template,
            payload=payload,
            query_id=query_id,
            status="pending",
            attempts=0,
            next_attempt_at=now,
        )
    )
    return True
