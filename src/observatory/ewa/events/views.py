"""Events as the API, pages and command line show them: in full to whoever may read the country's unpublished
data, else with the details of cases k-anonymised (:mod:`.privacy`)."""

from typing import Any

from sqlalchemy import Engine

from observatory.access.policy import Action, Principal, allowed
from observatory.ewa.events.model import StoredEvent
from observatory.ewa.events.privacy import DEFAULT_K, CaseFacts, age_band, anonymise
from observatory.ewa.events.queries import case_facts


def sees_in_full(principal: Principal, event: StoredEvent) -> bool:
    return not event.kind.is_case or allowed(principal, Action.READ_UNPUBLISHED, event.country)


def event_views(
    engine: Engine, events: list[StoredEvent], principal: Principal, k: int = DEFAULT_K
) -> list[dict[str, Any]]:
    """Each event as ``principal`` may see it."""
    hidden = {event.id for event in events if not sees_in_full(principal, event)}
    released = anonymise(case_facts(engine), k) if hidden else {}
    return [event_view(event, released.get(event.id), full=event.id not in hidden) for event in events]


def event_view(event: StoredEvent, released: CaseFacts | None = None, *, full: bool = True) -> dict[str, Any]:
    """The event in full, or (``full`` false) a case with only its ``released`` facts."""
    view: dict[str, Any] = {
        "id": event.id,
        "kind": str(event.kind),
        "setting": event.setting,
        "date": event.occurred_on.isoformat(),
        "date_precision": str(event.date_precision),
        "country": event.country,
        "source": event.source,
        "record": event.record,
        "reporter": event.reporter,
        "substances": [
            {"key": s.key, "name": s.name, "reported_name": s.reported_name, "share": s.share, "nps_group": s.nps_group}
            for s in event.substances
        ],
        "sold_as": event.sold_as,
        "misrepresented": event.misrepresented,
        "note": event.note,
        "age": event.age,
        "age_band": age_band(event.age),
        "sex": event.sex,
        "place": event.place,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "url": event.url,
        "withheld": [],
    }
    if full or not event.kind.is_case:
        return view
    facts = released or CaseFacts(event.id, event.country, None, None, None)
    view.update(
        date=event.occurred_on.replace(day=1).isoformat(),
        date_precision="month" if event.date_precision == "day" else str(event.date_precision),
        record=None,
        note=None,
        url=None,
        latitude=None,
        longitude=None,
        age=None,
        age_band=facts.age_band,
        sex=facts.sex,
        place=facts.place,
        withheld=[*facts.withheld, "record", "note", "url", "coordinates", "exact date"],
    )
    return view
