"""Keeping a received file's bytes, and loading the population table into the records store: all of a file or none
of it, with an audit trail.

Data sets are not loaded here: every submission, the demo's included, goes through ``submit.submit_file`` and the
lifecycle (``workflow``).
"""

import hashlib
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from observatory.reporting.population import read_population
from observatory.store.engine import transaction
from observatory.store.schema import AuditEvent, Population, SourceFile


def keep_file(session: Session, name: str, content: bytes) -> tuple[int, bool]:
    """The id of the kept file with these bytes, and whether this call kept it: each content is kept once.

    Two sessions keeping the same bytes at once both get the one row: on PostgreSQL the second insert waits for the
    first transaction and then does nothing (``ON CONFLICT DO NOTHING``), instead of failing on the unique key."""
    digest = hashlib.sha256(content).hexdigest()
    kept = select(SourceFile.id).where(SourceFile.sha256 == digest)
    existing = session.execute(kept.add_columns(func.length(SourceFile.content))).first()
    if existing is not None:
        if existing[1] == 0 and content:  # purged once refused (``retention``); wanted again, so kept again
            session.execute(update(SourceFile).where(SourceFile.id == existing[0]).values(content=content))
        return existing[0], False
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(SourceFile)
        .values(name=name[:255], sha256=digest, size_bytes=len(content), content=content)
        .on_conflict_do_nothing(index_elements=[SourceFile.sha256])
        .returning(SourceFile.id)
    )
    new = session.scalar(statement)
    if new is not None:
        return new, True
    other = session.scalar(kept)  # kept by a transaction that committed while this one waited
    assert other is not None
    return other, False


def load_population(engine: Engine, path: Path, countries: frozenset[str], actor: str) -> int:
    """Replace the population table with the rows of ``path`` for ``countries``; returns the rows stored."""
    records, _aggregates = read_population(path, countries)
    content = path.read_bytes()
    with transaction(engine) as session:
        source_id, _new = keep_file(session, path.name, content)
        # A file loaded before is skipped only while the table still holds it (A, B, then A again reloads A).
        if session.scalar(select(Population.source_file_id).limit(1)) == source_id:
            return len(records)
        session.execute(delete(Population))
        session.execute(
            insert(Population),
            [
                {"country_iso3": r.country_iso3, "year": r.year, "persons": r.persons, "source_file_id": source_id}
                for r in records
            ],
        )
        digest = hashlib.sha256(content).hexdigest()
        _audit(session, actor, "load", "population", path.name, {"sha256": digest, "rows": len(records)})
    return len(records)


def _audit(
    session: Session, actor: str, action: str, entity: str, entity_id: object, detail: dict[str, object]
) -> None:
    session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=str(entity_id), detail=detail))
