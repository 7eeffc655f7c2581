"""Recording received files in the records store: all of a file or none of it, with an audit trail."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from observatory.reporting.population import read_population
from observatory.reporting.wdr_seizures import read_wdr_seizures
from observatory.store.engine import transaction
from observatory.store.schema import AnnualSeizure, AuditEvent, Population, ReferenceRelease, SourceFile, Submission

ANNUAL_SEIZURES = "annual-seizures"
SEIZURE_FIELDS = (
    "source_row",
    "region",
    "subregion",
    "country",
    "country_iso3",
    "drug_group",
    "drug_subgroup",
    "drug",
    "year",
    "kilograms",
)
#: Statuses whose data the analytics store serves.
APPROVED_STATUSES = ("approved", "accepted", "published")


@dataclass(frozen=True, slots=True)
class LoadResult:
    submission_id: int
    source_file: str
    sha256: str
    rows: int
    already_loaded: bool


def load_wdr_seizures(engine: Engine, path: Path, actor: str) -> LoadResult:
    """Record a WDR 7.1 seizure table as a published submission; a file already loaded is not loaded twice.

    The file is read and checked completely before anything is written.
    """
    content = path.read_bytes() if path.is_file() else b""
    records = read_wdr_seizures(path)
    digest = hashlib.sha256(content).hexdigest()
    with transaction(engine) as session:
        existing = session.scalars(
            select(Submission)
            .join(SourceFile)
            .where(SourceFile.sha256 == digest, Submission.dataset == ANNUAL_SEIZURES)
        ).first()
        if existing is not None:
            return LoadResult(existing.id, path.name, digest, existing.row_count, already_loaded=True)
        source = _source_file(session, path.name, content, digest)
        release = session.scalar(select(func.max(ReferenceRelease.id)))
        submission = Submission(
            dataset=ANNUAL_SEIZURES,
            source_file_id=source.id,
            status="published",
            submitted_by=actor,
            row_count=len(records),
            reference_release_id=release,
        )
        session.add(submission)
        session.flush()
        session.execute(
            insert(AnnualSeizure),
            [
                {
                    "submission_id": submission.id,
                    "value_state": record.value_state,
                    "missing_reason": "not_available" if record.kilograms is None else None,
                    **{name: getattr(record, name) for name in SEIZURE_FIELDS},
                }
                for record in records
            ],
        )
        _audit(
            session,
            actor,
            "load",
            "submission",
            submission.id,
            {"file": path.name, "sha256": digest, "rows": len(records)},
        )
        return LoadResult(submission.id, path.name, digest, len(records), already_loaded=False)


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
