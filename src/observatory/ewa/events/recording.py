"""Writing events, their substances and sources to the records store.

Loading is idempotent: an event is known by its source and the record's identifier in that source, a substance
by its key, a source by its key; what the store already holds is left as it is.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from observatory.errors import BadInput, Conflict
from observatory.ewa.events.model import EventKind, NewEvent
from observatory.ewa.events.sources import EventSource, event_source
from observatory.ewa.events.substances import SubstanceEntry
from observatory.reference.geography import place
from observatory.store.engine import transaction
from observatory.store.ewa_schema import EwaEvent, EwaEventSubstance, EwaSource, EwaSubstance


@dataclass(frozen=True, slots=True)
class Written:
    inserted: int
    existing: int


def write_sources(session: Session, sources: Iterable[EventSource]) -> None:
    known = set(session.scalars(select(EwaSource.key)))
    for source in sources:
        if source.key not in known:
            session.add(
                EwaSource(
                    key=source.key,
                    name=source.name,
                    role=source.role,
                    url=source.url,
                    licence=source.licence,
                    note=source.note,
                )
            )
    session.flush()


def write_substances(session: Session, entries: Iterable[SubstanceEntry]) -> int:
    """Add the substances the store does not hold yet; how many were added."""
    known = set(session.scalars(select(EwaSubstance.key)))
    rows = [entry.row() for entry in {entry.key: entry for entry in entries if entry.key not in known}.values()]
    if rows:
        session.execute(insert(EwaSubstance), rows)
    return len(rows)


def write_events(session: Session, events: list[NewEvent], actor: str) -> Written:
    """Add the events of one source the store does not hold yet, with their substances."""
    sources = {event.source for event in events}
    if len(sources) > 1:
        raise ValueError(f"events of one source at a time, not of {sorted(sources)}")
    if not events:
        return Written(0, 0)
    source = events[0].source
    known = set(session.scalars(select(EwaEvent.source_record).where(EwaEvent.source_key == source)))
    fresh = list({event.record: event for event in events if event.record not in known}.values())
    if fresh:
        session.execute(insert(EwaEvent), [_event_row(event, actor) for event in fresh])
        stored = session.execute(select(EwaEvent.source_record, EwaEvent.id).where(EwaEvent.source_key == source))
        ids = dict(stored.all())
        links = [
            {
                "event_id": ids[event.record],
                "substance_key": found.key,
                "reported_name": found.reported_name,
                "share": found.share,
            }
            for event in fresh
            for found in event.found
        ]
        if links:
            session.execute(insert(EwaEventSubstance), links)
    return Written(len(fresh), len(events) - len(fresh))


def record_event(engine: Engine, event: NewEvent, substances: list[SubstanceEntry], actor: str) -> int:
    """Store one reported event (its record identifier generated when empty); ``Conflict`` when its source
    already holds that record, ``BadInput`` for an event that cannot be right."""
    check_event(event)
    if not event.record:
        event = replace(event, record=uuid.uuid4().hex)
    with transaction(engine) as session:
        write_sources(session, [event_source(event.source)])
        write_substances(session, substances)
        written = write_events(session, [event], actor)
        if not written.inserted:
            raise Conflict(f"{event.source} already holds record {event.record!r}", [{"record": event.record}])
        found = session.scalar(
            select(EwaEvent.id).where(EwaEvent.source_key == event.source, EwaEvent.source_record == event.record)
        )
    assert found is not None
    return found


def check_event(event: NewEvent) -> None:
    problems: list[dict[str, Any]] = []
    if not event.found:
        problems.append({"field": "substances", "reason": "an event names at least one substance"})
    if event.setting is not None and event.kind is not EventKind.TOXICOLOGY:
        problems.append({"field": "setting", "reason": "only a toxicology case has a setting"})
    if event.age is not None and not 0 <= event.age <= 120:
        problems.append({"field": "age", "value": event.age, "reason": "an age is between 0 and 120"})
    if (event.age is not None or event.sex is not None) and not event.kind.is_case:
        problems.append({"field": "age/sex", "reason": "only a toxicology case or drug-checking sample has them"})
    if event.country is not None:
        place(event.country)
    if problems:
        raise BadInput(f"the event is not valid: {problems[0]['reason']}", problems)


def _event_row(event: NewEvent, actor: str) -> dict[str, Any]:
    return {
        "source_key": event.source,
        "source_record": event.record,
        "kind": str(event.kind),
        "setting": str(event.setting) if event.setting else None,
        "country_iso3": event.country,
        "place": event.place,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "occurred_on": event.occurred_on,
        "date_precision": str(event.date_precision),
        "age": event.age,
        "sex": str(event.sex) if event.sex else None,
        "sold_as": event.sold_as,
        "misrepresented": event.misrepresented,
        "reporter": event.reporter,
        "note": event.note,
        "url": event.url,
        "recorded_by": actor,
    }
