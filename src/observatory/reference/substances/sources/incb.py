"""Cleaned INCB list entries as substance records with their international control facts."""

from observatory.reference.substances.incb_entry import GREEN, RED, YELLOW, IncbEntry
from observatory.reference.substances.records import (
    PSYCHOTROPIC_CONVENTION,
    SINGLE_CONVENTION,
    TRAFFIC_CONVENTION,
    ControlFact,
    SubstanceRecord,
)

REGIMES = {YELLOW: SINGLE_CONVENTION, GREEN: PSYCHOTROPIC_CONVENTION, RED: TRAFFIC_CONVENTION}
EDITIONS = {
    YELLOW: "Yellow List, 64th edition",
    GREEN: "Green List, 36th edition",
    RED: "Red List, 23rd edition",
}
INCB_SOURCES = frozenset(REGIMES)


def incb_records(entries: list[IncbEntry]) -> list[SubstanceRecord]:
    return [_record(entry) for entry in entries]


def _record(entry: IncbEntry) -> SubstanceRecord:
    schedule = entry.schedule if entry.schedule.startswith("Table") else f"Schedule {entry.schedule}"
    fact = ControlFact(
        regime=REGIMES[entry.source],
        schedule=schedule,
        source=entry.source,
        code=entry.code,
        edition=EDITIONS[entry.source],
        note=entry.notes if entry.chemical_name is None else None,
    )
    return SubstanceRecord(
        source=entry.source,
        record_id=str(entry.row),
        names=(entry.name, *entry.other_names),
        synonyms=entry.synonyms,
        iupac_names=(entry.chemical_name,) if entry.chemical_name else (),
        inn=entry.inn,
        cas=(entry.cas,) if entry.cas else (),
        controls=(fact,),
    )
