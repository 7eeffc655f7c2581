"""What a loader hands to the store: events, the substances they name, and what it left out and why."""

from collections import Counter
from dataclasses import dataclass, field

from observatory.ewa.events.model import NewEvent
from observatory.ewa.events.substances import SubstanceEntry


@dataclass(slots=True)
class Batch:
    source: str
    events: list[NewEvent] = field(default_factory=list)
    substances: dict[str, SubstanceEntry] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)

    def add_substance(self, entry: SubstanceEntry) -> str:
        self.substances.setdefault(entry.key, entry)
        return entry.key
