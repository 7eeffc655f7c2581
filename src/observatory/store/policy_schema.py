"""Tables of policy knowledge: programmes, national strategies, implementation status, workshops, good
practices, laws and cases, and the documents search indexes (their text and their embeddings)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from observatory.store.schema import Base


class Programme(Base):
    """A UNODC programme the seed publication describes."""

    __tablename__ = "policy_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    chapters: Mapped[list[int]] = mapped_column(JSON)
    sdg_targets: Mapped[list[str]] = mapped_column(JSON)
    sdg_goals: Mapped[list[str]] = mapped_column(JSON)
    countries: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(512))


class Strategy(Base):
    """A national drug strategy (or related national document), with what it states per policy domain."""

    __tablename__ = "policy_strategy"
    __table_args__ = (Index("ix_policy_strategy_country", "country_iso3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    country_iso3: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(512))
    year: Mapped[int | None]
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]
    link: Mapped[str | None] = mapped_column(String(1024))
    lead_agency: Mapped[str | None] = mapped_column(String(512))
    #: Policy domain → {"priorities": text, "metrics": text}, as the source codes it.
    domains: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(512))


class ImplementationStatus(Base):
    """A dated status of a country on a chapter, or on one recommendation of it; rows are only appended."""

    __tablename__ = "policy_status"
    __table_args__ = (Index("ix_policy_status_country_chapter", "country_iso3", "chapter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(String(3))
    chapter: Mapped[int]
    recommendation: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[date] = mapped_column(Date)
    #: ``day`` or ``year``: a status known only by year is stored as 1 January of that year.
    date_precision: Mapped[str] = mapped_column(String(8))
    evidence: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(1024))
    strategy_id: Mapped[int | None] = mapped_column(ForeignKey("policy_strategy.id"))
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Workshop(Base):
    """A national implementation workshop held with the CND Secretariat."""

    __tablename__ = "policy_workshop"
    __table_args__ = (Index("ix_policy_workshop_country", "country_iso3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(String(3))
    held_on: Mapped[date] = mapped_column(Date)
    ministries: Mapped[list[str]] = mapped_column(JSON)
    chapters: Mapped[list[int]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(128))


class AssistanceRequest(Base):
    """A technical-assistance request made at a workshop; its follow-up is a list of dated steps."""

    __tablename__ = "policy_assistance_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("policy_workshop.id"))
    chapter: Mapped[int | None]
    request: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    #: [{"on": ISO date, "status": ..., "note": ...}], oldest first.
    follow_up: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Practice(Base):
    """A good practice submitted to the portal, in its current state."""

    __tablename__ = "policy_practice"
    __table_args__ = (Index("ix_policy_practice_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    country_iso3: Mapped[str] = mapped_column(String(3))
    chapter: Mapped[int]
    recommendations: Mapped[list[str]] = mapped_column(JSON)
    sdg_targets: Mapped[list[str]] = mapped_column(JSON)
    target_group: Mapped[str] = mapped_column(String(32))
    setting: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text)
    evaluation_design: Mapped[str] = mapped_column(Text)
    evidence_rating: Mapped[str] = mapped_column(String(32))
    contacts: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    submitted_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PracticeAttachment(Base):
    """A file attached to a practice, kept as received, with the kind its content showed and its SHA-256."""

    __tablename__ = "policy_practice_attachment"
    __table_args__ = (Index("ix_policy_practice_attachment_practice", "practice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("policy_practice.id"))
    name: Mapped[str] = mapped_column(String(128))
    media_type: Mapped[str] = mapped_column(String(128))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PracticeEvent(Base):
    """One step of a practice's review: submission, comment, request for changes, revision, decision."""

    __tablename__ = "policy_practice_event"
    __table_args__ = (Index("ix_policy_practice_event_practice", "practice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("policy_practice.id"))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(128))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Law(Base):
    """A legislative act: its dates, its text when held, and the substances it schedules."""

    __tablename__ = "policy_law"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    country_iso3: Mapped[str] = mapped_column(String(3))
    title: Mapped[str] = mapped_column(String(512))
    citation: Mapped[str] = mapped_column(String(512))
    enacted: Mapped[date | None] = mapped_column(Date)
    in_force: Mapped[date | None] = mapped_column(Date)
    edition: Mapped[str] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(512))


class ScheduledSubstance(Base):
    """A substance an act schedules: in which schedule or list, and since when if the source says."""

    __tablename__ = "policy_law_substance"
    __table_args__ = (Index("ix_policy_law_substance_law", "law_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("policy_law.id"))
    substance_id: Mapped[str] = mapped_column(String(128))
    substance_name: Mapped[str] = mapped_column(String(512))
    schedule: Mapped[str] = mapped_column(String(255))
    effective: Mapped[date | None] = mapped_column(Date)
    code: Mapped[str | None] = mapped_column(String(64))


class CourtCase(Base):
    """A court decision in a drug case. The platform ships none: cases are recorded, never generated."""

    __tablename__ = "policy_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(String(3))
    court: Mapped[str] = mapped_column(String(255))
    decided_on: Mapped[date] = mapped_column(Date)
    offence_type: Mapped[str] = mapped_column(String(128))
    substances: Mapped[list[str]] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(String(512))
    source: Mapped[str] = mapped_column(String(1024))
    recorded_by: Mapped[str] = mapped_column(String(128))


class SearchDocument(Base):
    """One searchable record (recommendation, programme, strategy, practice, law, case) as plain text."""

    __tablename__ = "policy_search_document"
    __table_args__ = (UniqueConstraint("kind", "ref_id", name="uq_policy_search_document_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(512))
    #: The one country of the record; null for records of several countries or none.
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    body: Mapped[str] = mapped_column(Text)


class SearchCountry(Base):
    """Every country a searchable record concerns, for the country filter."""

    __tablename__ = "policy_search_country"

    document_id: Mapped[int] = mapped_column(ForeignKey("policy_search_document.id"), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)


class SearchVector(Base):
    """A searchable record's embedding (float32 bytes), the model that made it and the SHA-256 of the text it was
    made from. Ids only grow (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so a reader can tell from the
    count and the largest id whether any vector changed."""

    __tablename__ = "policy_search_vector"
    __table_args__ = (
        UniqueConstraint("document_id", name="uq_policy_search_vector_document"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("policy_search_document.id"))
    model: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
