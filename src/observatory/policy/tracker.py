"""The country implementation tracker: dated statuses per country and chapter (or recommendation), kept as a
history in which the latest date wins."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.policy import Principal
from observatory.errors import BadInput
from observatory.policy import vocabulary
from observatory.policy.permissions import require_reviewer
from observatory.policy.strategies import DATE_PRECISION, StrategyRecord
from observatory.policy.vocabulary import DatePrecision, Status
from observatory.reference import ungass
from observatory.store.engine import transaction
from observatory.store.policy_schema import ImplementationStatus, Strategy

MAX_EVIDENCE = 20_000


@dataclass(frozen=True, slots=True)
class StatusEntry:
    id: int
    country_iso3: str
    chapter: int
    recommendation: str | None
    status: Status
    as_of: date
    date_precision: DatePrecision
    evidence: str
    source: str
    recorded_by: str


def record_status(
    engine: Engine,
    principal: Principal,
    country: str,
    chapter: int,
    status: str,
    as_of: date,
    evidence: str,
    source: str,
    recommendation: str | None = None,
) -> StatusEntry:
    """Append a status; the country's focal point, an analyst or an administrator may record it."""
    iso3 = vocabulary.country(country).iso3
    require_reviewer(principal, iso3, "record an implementation status")
    number = vocabulary.chapter_number(chapter)
    code = vocabulary.recommendation_code(recommendation, number) if recommendation else None
    if as_of > date.today():
        raise BadInput(f"the status date {as_of} is in the future", [{"field": "as_of", "value": str(as_of)}])
    evidence, source = evidence.strip(), source.strip()
    if not evidence or not source or len(evidence) > MAX_EVIDENCE:
        raise BadInput(
            "a status needs its evidence (at most 20,000 characters) and its source", [{"field": "evidence"}]
        )
    row = ImplementationStatus(
        country_iso3=iso3,
        chapter=number,
        recommendation=code,
        status=str(vocabulary.status(status)),
        as_of=as_of,
        date_precision=str(DatePrecision.DAY),
        evidence=evidence,
        source=source[:1024],
        recorded_by=principal.username,
    )
    with transaction(engine) as session:
        session.add(row)
        session.flush()
        return _entry(row)


def load_strategy_statuses(session: Session, records: tuple[StrategyRecord, ...], actor: str) -> int:
    """Replace the statuses ``actor`` derived earlier with those of ``records`` (strategies stored by code)."""
    for old in session.scalars(select(ImplementationStatus).where(ImplementationStatus.recorded_by == actor)):
        session.delete(old)
    ids = dict(session.execute(select(Strategy.code, Strategy.id)).all())
    written = 0
    for record in records:
        for found in record.statuses:
            session.add(
                ImplementationStatus(
                    country_iso3=record.country_iso3,
                    chapter=found.chapter,
                    status=str(found.status),
                    as_of=found.as_of,
                    date_precision=str(DATE_PRECISION),
                    evidence=found.evidence,
                    source=record.source[:1024],
                    strategy_id=ids[record.code],
                    recorded_by=actor,
                )
            )
            written += 1
    return written


def history(engine: Engine, country: str, chapter: int | None = None) -> list[StatusEntry]:
    """Every status of ``country``, newest first."""
    query = select(ImplementationStatus).where(ImplementationStatus.country_iso3 == vocabulary.country(country).iso3)
    if chapter is not None:
        query = query.where(ImplementationStatus.chapter == vocabulary.chapter_number(chapter))
    with transaction(engine) as session:
        rows = session.scalars(query.order_by(ImplementationStatus.as_of.desc(), ImplementationStatus.id.desc()))
        return [_entry(row) for row in rows]


def current_by_chapter(engine: Engine, country: str) -> dict[int, StatusEntry | None]:
    """Each chapter's latest status (of the chapter or any of its recommendations), ``None`` when none is known."""
    current: dict[int, StatusEntry | None] = {chapter.number: None for chapter in ungass.chapters()}
    for entry in history(engine, country):
        if current[entry.chapter] is None:
            current[entry.chapter] = entry
    return current


def global_summary(engine: Engine) -> dict[str, Any]:
    """For each chapter, how many countries stand at each status (latest status per country), and which countries."""
    latest: dict[tuple[str, int], str] = {}
    query = select(ImplementationStatus.country_iso3, ImplementationStatus.chapter, ImplementationStatus.status)
    with transaction(engine) as session:
        ordered = query.order_by(ImplementationStatus.as_of.desc(), ImplementationStatus.id.desc())
        for iso3, chapter, status in session.execute(ordered):
            latest.setdefault((iso3, chapter), status)
    countries = sorted({iso3 for iso3, _ in latest})
    chapters = []
    for known_chapter in ungass.chapters():
        counts = Counter(status for (_, number), status in latest.items() if number == known_chapter.number)
        known = sum(counts.values())
        chapters.append(
            {
                "chapter": known_chapter.number,
                "title": known_chapter.contents_title,
                "counts": {str(status): counts.get(str(status), 0) for status in Status},
                "no_status": len(countries) - known,
            }
        )
    return {"countries": countries, "chapters": chapters}


def _entry(row: ImplementationStatus) -> StatusEntry:
    return StatusEntry(
        id=row.id,
        country_iso3=row.country_iso3,
        chapter=row.chapter,
        recommendation=row.recommendation,
        status=Status(row.status),
        as_of=row.as_of,
        date_precision=DatePrecision(row.date_precision),
        evidence=row.evidence,
        source=row.source,
        recorded_by=row.recorded_by,
    )
