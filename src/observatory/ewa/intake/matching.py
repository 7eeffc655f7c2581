"""Samples the store already holds: the same record of the same source, the same page (URL) of the source, or the
same sample seen through another publication of the source (same date at the coarser precision of the two,
same service, same substances)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from observatory.ewa.events.model import DatePrecision, NewEvent
from observatory.ewa.intake.samples import normal_url
from observatory.store.ewa_schema import EwaEvent, EwaEventSubstance

Signature = tuple[str | None, frozenset[str]]


@dataclass(slots=True)
class Known:
    records: set[str] = field(default_factory=set)
    urls: dict[str, str] = field(default_factory=dict)
    by_signature: dict[Signature, list[tuple[date, str, str]]] = field(default_factory=lambda: defaultdict(list))

    def match(self, event: NewEvent) -> tuple[str, str] | None:
        """``(how, record)`` of the stored sample ``event`` is, or ``None``: how is record, url or content."""
        if event.record in self.records:
            return "record", event.record
        if event.url and normal_url(event.url) in self.urls:
            return "url", self.urls[normal_url(event.url)]
        for day, precision, record in self.by_signature.get(_signature(event.reporter, event.found_keys()), ()):
            if _same_date(day, DatePrecision(precision), event.occurred_on, event.date_precision):
                return "content", record
        return None


def known_samples(session: Session, source: str) -> Known:
    """What the store holds of ``source``, indexed for :meth:`Known.match`."""
    known = Known()
    substances: dict[int, set[str]] = defaultdict(set)
    events = session.execute(
        select(
            EwaEvent.id,
            EwaEvent.source_record,
            EwaEvent.url,
            EwaEvent.reporter,
            EwaEvent.occurred_on,
            EwaEvent.date_precision,
        ).where(EwaEvent.source_key == source)
    ).all()
    links = session.execute(
        select(EwaEventSubstance.event_id, EwaEventSubstance.substance_key)
        .join(EwaEvent, EwaEvent.id == EwaEventSubstance.event_id)
        .where(EwaEvent.source_key == source)
    ).all()
    for event_id, key in links:
        substances[event_id].add(key)
    for event_id, record, url, reporter, day, precision in events:
        known.records.add(record)
        if url:
            known.urls[normal_url(url)] = record
        known.by_signature[_signature(reporter, frozenset(substances[event_id]))].append((day, precision, record))
    return known


def _signature(reporter: str | None, keys: frozenset[str]) -> Signature:
    return (reporter.casefold() if reporter else None), keys


def _same_date(one: date, one_precision: DatePrecision, other: date, other_precision: DatePrecision) -> bool:
    coarse = {DatePrecision.YEAR: 1, DatePrecision.MONTH: 2, DatePrecision.DAY: 3}
    level = min(coarse[one_precision], coarse[other_precision])
    parts = ((one.year, other.year), (one.month, other.month), (one.day, other.day))[:level]
    return all(a == b for a, b in parts)
