"""Loading the population table into the records store: all of a file or none of it, with an audit trail.

Data sets are not loaded here: every submission, the demo's included, goes through ``submit.submit_file`` and the
lifecycle (``workflow``).
"""

import hashlib
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from observatory.reporting.population import read_population
from observatory.store.engine import transaction
from observatory.store.schema import AuditEvent, Population, SourceFile


def load_population(engine: Engine, path: Path, countries: frozenset[str], actor: str) -> int:
    """Replace the population table with the rows of ``path`` for ``countries``; returns the rows stored."""
    records, _aggregates = read_population(path, countries)
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    with transaction(engine) as session:
        source = session.scalars(select(SourceFile).where(SourceFile.sha256 == digest)).first()
        if source is not None:
            return len(records)
        source = _source_file(session, path.name, content, digest)
        session.execute(delete(Population))
        session.execute(
            insert(Population),
            [
                {"country_iso3": r.country_iso3, "year": r.year, "persons": r.persons, "source_file_id": source.id}
                for r in records
            ],
        )
        _audit(session, actor, "load", "population", path.name, {"sha256": digest, "rows": len(records)})
    return len(records)


def _source_file(session: Session, name: str, content: bytes, digest: str) -> SourceFile:
    source = SourceFile(name=name, sha256=digest, size_bytes=len(content), content=content)
    session.add(source)
    session.flush()
    return source


def _audit(
    session: Session, actor: str, action: str, entity: str, entity_id: object, detail: dict[str, object]
) -> None:
    session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=str(entity_id), detail=detail))
