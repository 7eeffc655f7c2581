"""The sources of events and watched substances (``datasets/ewa_events/sources.toml``), and the other data files
the event loaders read."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from observatory.datasets import DATASETS
from observatory.errors import NotFound
from observatory.ewa.chemistry.data_files import entry_error, read_toml
from observatory.ewa.events.model import EventKind

EVENT_DATA = DATASETS / "ewa_events"
SOURCES = EVENT_DATA / "sources.toml"
DRUG_CHECKING = EVENT_DATA / "drug_checking.toml"
PLACES = EVENT_DATA / "places.csv"
ALERT_RULES = EVENT_DATA / "alert_rules.toml"
ADULTERANTS = EVENT_DATA / "adulterants.toml"
#: The source of events recorded one by one, over the API.
REPORTED = "reported"


@dataclass(frozen=True, slots=True)
class EventSource:
    key: str
    name: str
    role: str
    licence: str
    note: str
    url: str | None = None
    kind: EventKind | None = None
    country: str | None = None
    date: str | None = None

    @property
    def gives_events(self) -> bool:
        return self.role == "events"


REPORTED_SOURCE = EventSource(
    REPORTED,
    "Events reported to the network one by one",
    "events",
    "as agreed by the reporting member",
    "Recorded over the API by a member of the early-warning network.",
)


@cache
def event_sources(path: Path = SOURCES) -> dict[str, EventSource]:
    """Every source by key, the sources of ``path`` and the one of events reported one by one."""
    sources = {key: _source(path, key, entry) for key, entry in read_toml(path).items()}
    return {**sources, REPORTED: REPORTED_SOURCE}


def event_source(key: str) -> EventSource:
    try:
        return event_sources()[key]
    except KeyError:
        raise NotFound(f"unknown event source {key!r}; known: {', '.join(event_sources())}") from None


def _source(path: Path, key: str, entry: Any) -> EventSource:
    if not isinstance(entry, dict):
        raise entry_error(path, key, "expected a table")
    try:
        role = str(entry["role"])
        if role not in {"events", "reference"}:
            raise ValueError(f"role must be 'events' or 'reference', not {role!r}")
        return EventSource(
            key=key,
            name=str(entry["name"]),
            role=role,
            licence=str(entry["licence"]),
            note=str(entry["note"]),
            url=entry.get("url"),
            kind=EventKind(entry["kind"]) if "kind" in entry else None,
            country=entry.get("country"),
            date=entry.get("date"),
        )
    except (KeyError, ValueError) as error:
        raise entry_error(path, key, f"bad or missing field ({error})") from error
