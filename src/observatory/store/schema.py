"""Tables of the records store. Alembic migrations in ``migrations/`` must build exactly these."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Index, LargeBinary, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SourceFile(Base):
    """A file exactly as it was received: the platform keeps the bytes, so nothing is lost."""

    __tablename__ = "source_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Submission(Base):
    """One delivery of one data set from one source; its status follows the reporting lifecycle."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset: Mapped[str] = mapped_column(String(64))
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_file.id"))
    status: Mapped[str] = mapped_column(String(32))
    submitted_by: Mapped[str] = mapped_column(String(128))
    row_count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    #: The country all rows belong to; null for a bulk load of several countries.
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    #: 1 for a first submission; a correction after publication is a new submission with the next vintage.
    vintage: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The validation report (JSON) of the file as received.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The reference release the submission's codes were resolved against.
    reference_release_id: Mapped[int | None] = mapped_column(ForeignKey("reference_release.id"))


class Population(Base):
    """Total population of a country in a year."""

    __tablename__ = "population"

    country_iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    persons: Mapped[int] = mapped_column(BigInteger)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_file.id"))


class AuditEvent(Base):
    """Who did what to which record, and when. Rows are only ever appended."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReferenceRelease(Base):
    """One published state of all reference vocabularies; observations keep the release they were coded against."""

    __tablename__ = "reference_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    released_on: Mapped[date] = mapped_column(Date)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    entries: Mapped[int]


class ReferenceEntry(Base):
    """One entry of one vocabulary in one release, with its full record as JSON."""

    __tablename__ = "reference_entry"
    __table_args__ = (Index("ix_reference_entry_vocabulary_code", "vocabulary", "code"),)

    release_id: Mapped[int] = mapped_column(ForeignKey("reference_release.id"), primary_key=True)
    vocabulary: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(512), primary_key=True)
    label: Mapped[str] = mapped_column(String(1024))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
