"""Tables of the Early Warning Advisory: event sources, the substances events name, detection events, and alerts
with their workflow history and EU early-warning case file."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from observatory.store.schema import Base


class EwaSource(Base):
    """A list or service events and substances come from (``datasets/ewa_events/sources.toml``)."""

    __tablename__ = "ewa_source"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    #: ``events`` (dated detections) or ``reference`` (substances only).
    role: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(String(1024))
    licence: Mapped[str] = mapped_column(String(512))
    note: Mapped[str] = mapped_column(Text)


class EwaSubstance(Base):
    """A substance an event names: a registry substance (``key`` its registry id), a new structure (``key`` its
    InChIKey) or a name no registry entry carries (``key`` "reported:" and the name's slug)."""

    __tablename__ = "ewa_substance"
    __table_args__ = (Index("ix_ewa_substance_inchikey", "inchikey"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    #: ``registry``, ``structure`` or ``name``.
    origin: Mapped[str] = mapped_column(String(16))
    registry_id: Mapped[str | None] = mapped_column(String(255))
    inchikey: Mapped[str | None] = mapped_column(String(27))
    smiles: Mapped[str | None] = mapped_column(Text)
    family: Mapped[str | None] = mapped_column(String(32))
    nps_group: Mapped[str | None] = mapped_column(String(32))
    effect: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[str | None] = mapped_column(Text)
    #: "regime schedule" for every list of the registry that controls it.
    controls: Mapped[list[str]] = mapped_column(JSON)
    #: The sources that list it.
    sources: Mapped[list[str]] = mapped_column(JSON)


class EwaEvent(Base):
    """One detection: a first identification, seizure, forensic sample, toxicology case or drug-checking result.

    ``age``, ``sex`` and ``place`` are personal or locating facts of a case: public views show them only
    k-anonymised (``observatory.ewa.events.privacy``).
    """

    __tablename__ = "ewa_event"
    __table_args__ = (
        UniqueConstraint("source_key", "source_record", name="uq_ewa_event_source_record"),
        Index("ix_ewa_event_occurred_on", "occurred_on"),
        Index("ix_ewa_event_country", "country_iso3"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(ForeignKey("ewa_source.key"))
    #: The record's identifier in its source; with the source, what makes loading idempotent.
    source_record: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    #: For a toxicology case: ``duid``, ``clinical`` or ``post_mortem``.
    setting: Mapped[str | None] = mapped_column(String(16))
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    place: Mapped[str | None] = mapped_column(String(255))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    occurred_on: Mapped[date] = mapped_column(Date)
    #: ``day``, ``month`` or ``year``: a date known to the month is stored as its first day.
    date_precision: Mapped[str] = mapped_column(String(8))
    age: Mapped[int | None]
    sex: Mapped[str | None] = mapped_column(String(8))
    #: What a drug-checking sample was sold as, and whether it held anything else (or not that).
    sold_as: Mapped[str | None] = mapped_column(String(128))
    misrepresented: Mapped[bool | None] = mapped_column(Boolean)
    #: The laboratory or service that reported the event, when the source is a collection of several.
    reporter: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1024))
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EwaEventSubstance(Base):
    """A substance found in an event, with the name the source reported and its share of the sample."""

    __tablename__ = "ewa_event_substance"
    __table_args__ = (
        UniqueConstraint("event_id", "substance_key", name="uq_ewa_event_substance"),
        Index("ix_ewa_event_substance_substance", "substance_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("ewa_event.id"))
    substance_key: Mapped[str] = mapped_column(ForeignKey("ewa_substance.key"))
    reported_name: Mapped[str] = mapped_column(String(512))
    share: Mapped[float | None] = mapped_column(Float)


class EwaAlert(Base):
    """An alert a rule drafted; ``key`` names what it is about, so a rule run twice drafts it once."""

    __tablename__ = "ewa_alert"
    __table_args__ = (
        Index("ix_ewa_alert_status", "status"),
        Index("ix_ewa_alert_triage", "status", "severity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    rule: Mapped[str] = mapped_column(String(32))
    #: ``draft``, ``issued``, ``updated``, ``retracted`` or ``dismissed`` (a draft set aside at triage).
    status: Mapped[str] = mapped_column(String(16))
    #: ``network`` or ``public``.
    audience: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(512))
    summary: Mapped[str] = mapped_column(Text)
    substance_key: Mapped[str | None] = mapped_column(ForeignKey("ewa_substance.key"))
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    #: The date of the earliest event the alert rests on.
    first_event_on: Mapped[date] = mapped_column(Date)
    #: What the rule found (neighbours, signal values...).
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retracted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retraction_reason: Mapped[str | None] = mapped_column(Text)
    #: Triage (migration 0014): the severity score (0-1) the drafts are ranked by, and the key of the group of
    #: near-duplicate drafts (one substance, one rule) the alert belongs to; ``None`` until scored.
    severity: Mapped[float | None] = mapped_column(Float)
    group_key: Mapped[str | None] = mapped_column(String(255))


class EwaAlertEvent(Base):
    """An event an alert rests on."""

    __tablename__ = "ewa_alert_event"

    alert_id: Mapped[int] = mapped_column(ForeignKey("ewa_alert.id"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("ewa_event.id"), primary_key=True)


class EwaAlertRevision(Base):
    """One step of an alert's workflow (drafted, issued, updated, retracted); rows are only appended."""

    __tablename__ = "ewa_alert_revision"
    __table_args__ = (Index("ix_ewa_alert_revision_alert", "alert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("ewa_alert.id"))
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EwaCaseStage(Base):
    """A stage of the EU early-warning procedure an alert's substance reached, and when."""

    __tablename__ = "ewa_case_stage"
    __table_args__ = (UniqueConstraint("alert_id", "stage", name="uq_ewa_case_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("ewa_alert.id"))
    stage: Mapped[str] = mapped_column(String(32))
    reached_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
