"""Events and watched substances from the NPS lists the substance registry merges.

An event source of the registry (the Slovenian National Forensic Laboratory's list, CFSRE NPS Discovery's
monographs) gives one event per record with a date, in the source's country: the date the source names in
``sources.toml`` (the first-identification date, or the monograph's publication date). A record without a date
(or whose date could not be read) is left out and counted. A reference source (SWGDRUG monographs, the
PsychonautWiki/Shulgin set) gives only its substances.
"""

from observatory.ewa.events.batch import Batch
from observatory.ewa.events.model import DatePrecision, Found, NewEvent
from observatory.ewa.events.sources import EventSource
from observatory.ewa.events.substances import registry_entry
from observatory.reference.substances import SourceRef, Substance, substance_registry


def registry_batch(source: EventSource) -> Batch:
    registry = substance_registry()
    owners: dict[SourceRef, Substance] = {
        ref: substance for substance in registry.substances for ref in substance.sources
    }
    batch = Batch(source.key)
    for ref, record in registry.records.items():
        if ref.source != source.key:
            continue
        substance = owners.get(ref)
        if substance is None:
            batch.skipped["not in the registry (record skipped when the registry was built)"] += 1
            continue
        key = batch.add_substance(registry_entry(substance))
        if not source.gives_events:
            continue
        day = getattr(record, source.date or "", None)
        if day is None or source.kind is None:
            batch.skipped["no date"] += 1
            continue
        batch.events.append(
            NewEvent(
                source=source.key,
                record=ref.record_id,
                kind=source.kind,
                occurred_on=day,
                found=(Found(key, record.name),),
                country=source.country,
                date_precision=DatePrecision.DAY,
                reporter=source.name,
            )
        )
    return batch
