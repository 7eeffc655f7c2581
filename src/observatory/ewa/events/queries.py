"""Reading events back: filtered pages of events with their substances, and the facts the other services need."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from observatory.ewa.events.model import CASE_KINDS, DatePrecision, EventKind, FoundSubstance, StoredEvent
from observatory.store.ewa_schema import EwaEvent, EwaEventSubstance, EwaSubstance

MAX_LIMIT = 1_000


@dataclass(frozen=True, slots=True)
class EventFilter:
    kind: EventKind | None = None
    country: str | None = None
    substance: str | None = None
    source: str | None = None
    since: date | None = None
    until: date | None = None


def find_events(
    engine: Engine, wanted: EventFilter = EventFilter(), limit: int = 100, offset: int = 0
) -> tuple[list[StoredEvent], int]:
    """One page of the events ``wanted`` picks, oldest first, and how many it picks in all."""
    with Session(engine) as session:
        query = _filtered(select(EwaEvent), wanted)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(EwaEvent.occurred_on, EwaEvent.id).limit(limit).offset(offset)).all()
        return attach_substances(session, rows), total


def events_by_id(session: Session, ids: Sequence[int]) -> list[StoredEvent]:
    rows = session.scalars(select(EwaEvent).where(EwaEvent.id.in_(ids)).order_by(EwaEvent.occurred_on, EwaEvent.id))
    return attach_substances(session, rows.all())


def attach_substances(session: Session, rows: Sequence[EwaEvent]) -> list[StoredEvent]:
    found: dict[int, list[FoundSubstance]] = defaultdict(list)
    ids = [row.id for row in rows]
    for start in range(0, len(ids), MAX_LIMIT):
        links = session.execute(
            select(EwaEventSubstance, EwaSubstance)
            .join(EwaSubstance, EwaSubstance.key == EwaEventSubstance.substance_key)
            .where(EwaEventSubstance.event_id.in_(ids[start : start + MAX_LIMIT]))
            .order_by(EwaEventSubstance.id)
        )
        for link, substance in links:
            found[link.event_id].append(
                FoundSubstance(substance.key, substance.name, link.reported_name, link.share, substance.nps_group)
            )
    return [_stored(row, tuple(found[row.id])) for row in rows]


def case_facts(engine: Engine) -> list[tuple[int, str | None, int | None, str | None, str | None]]:
    """``(id, country, age, sex, place)`` of every toxicology case and drug-checking sample."""
    query = select(EwaEvent.id, EwaEvent.country_iso3, EwaEvent.age, EwaEvent.sex, EwaEvent.place).where(
        EwaEvent.kind.in_([str(kind) for kind in CASE_KINDS])
    )
    with engine.connect() as connection:
        return [(i, country, age, sex, place) for i, country, age, sex, place in connection.execute(query)]


def _filtered(query: Select[Any], wanted: EventFilter) -> Select[Any]:
    if wanted.kind is not None:
        query = query.where(EwaEvent.kind == str(wanted.kind))
    if wanted.country is not None:
        query = query.where(EwaEvent.country_iso3 == wanted.country)
    if wanted.source is not None:
        query = query.where(EwaEvent.source_key == wanted.source)
    if wanted.since is not None:
        query = query.where(EwaEvent.occurred_on >= wanted.since)
    if wanted.until is not None:
        query = query.where(EwaEvent.occurred_on <= wanted.until)
    if wanted.substance is not None:
        holding = select(EwaEventSubstance.event_id).where(EwaEventSubstance.substance_key == wanted.substance)
        query = query.where(EwaEvent.id.in_(holding))
    return query


def _stored(row: EwaEvent, substances: tuple[FoundSubstance, ...]) -> StoredEvent:
    return StoredEvent(
        id=row.id,
        source=row.source_key,
        record=row.source_record,
        kind=EventKind(row.kind),
        occurred_on=row.occurred_on,
        date_precision=DatePrecision(row.date_precision),
        substances=substances,
        country=row.country_iso3,
        setting=row.setting,
        place=row.place,
        latitude=row.latitude,
        longitude=row.longitude,
        age=row.age,
        sex=row.sex,
        sold_as=row.sold_as,
        misrepresented=row.misrepresented,
        reporter=row.reporter,
        note=row.note,
        url=row.url,
    )
