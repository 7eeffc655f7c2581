"""Early-warning events: dated detections of substances, with country, source and (for cases) k-anonymised details.

    from observatory.ewa.events import load_events, find_events, event_views
    load_events(engine)                       # the NPS lists and drug-checking results, idempotently
    events, total = find_events(engine, EventFilter(kind=EventKind.DRUG_CHECKING, country="CHE"))
    event_views(engine, events, principal)    # as the principal may see them (privacy.py)

The sources and how their files are read are data, in ``observatory/datasets/ewa_events``.
"""

from observatory.ewa.events.load import load_events, source_batches
from observatory.ewa.events.model import (
    CASE_KINDS,
    DatePrecision,
    EventKind,
    Found,
    FoundSubstance,
    NewEvent,
    Origin,
    Sex,
    StoredEvent,
    ToxSetting,
    choice,
    one_of,
)
from observatory.ewa.events.privacy import DEFAULT_K, CaseFacts, age_band, anonymise
from observatory.ewa.events.queries import EventFilter, events_by_id, find_events
from observatory.ewa.events.recording import record_event
from observatory.ewa.events.sources import REPORTED, EventSource, event_source, event_sources
from observatory.ewa.events.substances import (
    SubstanceEntry,
    named_entry,
    registry_entry,
    reported_entry,
    structure_entry,
)
from observatory.ewa.events.views import event_view, event_views, sees_in_full

__all__ = [
    "CASE_KINDS",
    "DEFAULT_K",
    "REPORTED",
    "CaseFacts",
    "DatePrecision",
    "EventFilter",
    "EventKind",
    "EventSource",
    "Found",
    "FoundSubstance",
    "NewEvent",
    "Origin",
    "Sex",
    "StoredEvent",
    "SubstanceEntry",
    "ToxSetting",
    "age_band",
    "anonymise",
    "choice",
    "event_source",
    "event_sources",
    "event_view",
    "event_views",
    "events_by_id",
    "find_events",
    "load_events",
    "named_entry",
    "one_of",
    "record_event",
    "registry_entry",
    "reported_entry",
    "sees_in_full",
    "source_batches",
    "structure_entry",
]
