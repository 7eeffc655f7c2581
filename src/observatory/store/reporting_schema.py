"""Tables of country reporting: users and tokens, the workflow history, upload keys, generic observations, value
audit."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from observatory.store.schema import Base


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(128), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    #: ISO3 codes of the countries the user reports or approves for (empty for all-country roles).
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Data sets a data provider may submit; null means all.
    datasets: Mapped[list[str] | None] = mapped_column(JSON)
    network: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    #: Where notifications go (``review``); none: the user gets no mail.
    email: Mapped[str | None] = mapped_column(String(320))
    #: Kinds of mail the user does not want (``review_schema.MAIL_KINDS``: query, submission, deadline).
    mail_opt_out: Mapped[list[str] | None] = mapped_column(JSON)
    #: The language the user reads (one of ``i18n.LANGUAGES``): their mails, and their pages once signed in; none:
    #: the default language.
    language: Mapped[str | None] = mapped_column(String(8))


class ApiToken(Base):
    """A token for machine submission; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Every token expires (migration 0009 gave older tokens 90 days from the upgrade).
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SubmissionEvent(Base):
    """One step of a submission's lifecycle: who moved it from which status to which, and why."""

    __tablename__ = "submission_event"
    __table_args__ = (Index("ix_submission_event_submission", "submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class UploadKey(Base):
    """The submission that a file's bytes made for a data set and country. The same bytes again for the same data set
    and country are that submission, whatever its status (``reporting.submit.DuplicateUpload``, 409); the key makes
    sure of it when several arrive at once."""

    __tablename__ = "upload_key"

    dataset: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The submission's country, or ``*`` for a file of several countries (a key column cannot be null).
    scope: Mapped[str] = mapped_column(String(3), primary_key=True)
    #: SHA-256 of the file's bytes, as ``source_file.sha256``.
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), unique=True)


class Observation(Base):
    """One value of a data set as submitted: its dimensions, its state, and the row of the file it came from."""

    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_submission", "submission_id"),
        Index("ix_observation_dataset_country_year", "dataset", "country_iso3", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"))
    dataset: Mapped[str] = mapped_column(String(64))
    element: Mapped[str] = mapped_column(String(128))
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    year: Mapped[int | None]
    dimensions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    value: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    value_state: Mapped[str] = mapped_column(String(16))
    missing_reason: Mapped[str | None] = mapped_column(String(32))
    unit: Mapped[str | None] = mapped_column(String(32))
    source_row: Mapped[int]
    source_column: Mapped[str | None] = mapped_column(String(128))


class ValueAudit(Base):
    """A change to a stored value: who, when, from what to what, and why."""

    __tablename__ = "value_audit"
    __table_args__ = (Index("ix_value_audit_observation", "observation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id"))
    actor: Mapped[str] = mapped_column(String(128))
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
