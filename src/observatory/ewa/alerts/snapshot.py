"""What the rules look at: every detection (an event and one substance it found) and the substances."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from observatory.ewa.events import EventKind, Origin, SubstanceEntry
from observatory.store.ewa_schema import EwaEvent, EwaEventSubstance, EwaSubstance


@dataclass(frozen=True, slots=True)
class Detection:
    event_id: int
    day: date
    substance: str
    country: str | None
    kind: EventKind
    sold_as: str | None


@dataclass(frozen=True)
class Snapshot:
    """Detections oldest first (ties by event id)."""

    detections: tuple[Detection, ...]
    substances: dict[str, SubstanceEntry]

    @cached_property
    def by_substance(self) -> dict[str, list[Detection]]:
        grouped: dict[str, list[Detection]] = defaultdict(list)
        for detection in self.detections:
            grouped[detection.substance].append(detection)
        return dict(grouped)


def take_snapshot(session: Session) -> Snapshot:
    query = (
        select(
            EwaEvent.id,
            EwaEvent.occurred_on,
            EwaEventSubstance.substance_key,
            EwaEvent.country_iso3,
            EwaEvent.kind,
            EwaEvent.sold_as,
        )
        .join(EwaEventSubstance, EwaEventSubstance.event_id == EwaEvent.id)
        .order_by(EwaEvent.occurred_on, EwaEvent.id, EwaEventSubstance.id)
    )
    detections = tuple(
        Detection(event_id, day, substance, country, EventKind(kind), sold_as)
        for event_id, day, substance, country, kind, sold_as in session.execute(query)
    )
    substances = {row.key: stored_substance(row) for row in session.scalars(select(EwaSubstance))}
    return Snapshot(detections, substances)


def stored_substance(row: EwaSubstance) -> SubstanceEntry:
    return SubstanceEntry(
        key=row.key,
        name=row.name,
        origin=Origin(row.origin),
        registry_id=row.registry_id,
        inchikey=row.inchikey,
        smiles=row.smiles,
        family=row.family,
        nps_group=row.nps_group,
        effect=row.effect,
        confidence=row.confidence,
        explanation=row.explanation,
        controls=tuple(row.controls),
        sources=tuple(row.sources),
    )
