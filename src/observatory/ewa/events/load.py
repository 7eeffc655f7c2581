"""Loading the shipped event sources into the records store: the NPS lists and the drug-checking results."""

from typing import Any

from sqlalchemy import Engine

from observatory.ewa.events.batch import Batch
from observatory.ewa.events.drug_checking import drug_checking_batch, drug_checking_config
from observatory.ewa.events.nps_lists import registry_batch
from observatory.ewa.events.recording import write_events, write_sources, write_substances
from observatory.ewa.events.sources import REPORTED, event_sources
from observatory.store.engine import transaction

LOADER = "observatory ewa load (shipped sources)"


def source_batches() -> list[Batch]:
    """A batch per shipped source: the registry's NPS lists in ``sources.toml`` order, then the pill tests."""
    checking = drug_checking_config()
    listed = [source for key, source in event_sources().items() if key not in {REPORTED, checking.source}]
    return [*(registry_batch(source) for source in listed), drug_checking_batch(checking)]


def load_events(engine: Engine, batches: list[Batch] | None = None, actor: str = LOADER) -> dict[str, Any]:
    """Store what the store does not hold yet, in one transaction; per source: events inserted and already
    there, substances added, records left out and why."""
    batches = source_batches() if batches is None else batches
    summary: dict[str, Any] = {}
    with transaction(engine) as session:
        write_sources(session, event_sources().values())
        for batch in batches:
            added = write_substances(session, batch.substances.values())
            written = write_events(session, batch.events, actor)
            summary[batch.source] = {
                "events_inserted": written.inserted,
                "events_already_loaded": written.existing,
                "substances_added": added,
                "skipped": dict(batch.skipped),
            }
    return summary
