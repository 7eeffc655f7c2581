"""Case law: court decisions in drug cases, recorded by analysts from published judgments. Nothing is seeded:
the platform ships no case it has not been given."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from observatory.access.policy import Principal
from observatory.errors import BadInput
from observatory.policy import vocabulary
from observatory.policy.permissions import require_reviewer
from observatory.policy.search import index
from observatory.policy.search.documents import case_document
from observatory.store.engine import transaction
from observatory.store.policy_schema import CourtCase

MAX_SUMMARY = 20_000


@dataclass(frozen=True, slots=True)
class NewCase:
    country: str
    court: str
    decided_on: date
    offence_type: str
    substances: tuple[str, ...]
    summary: str
    citation: str
    source: str


def record_case(engine: Engine, principal: Principal, case: NewCase) -> dict[str, Any]:
    iso3 = vocabulary.country(case.country).iso3
    require_reviewer(principal, iso3, "record a court case")
    fields = {"court": case.court, "offence_type": case.offence_type, "citation": case.citation, "source": case.source}
    empty = [name for name, value in fields.items() if not value.strip()]
    if empty or not case.summary.strip() or len(case.summary) > MAX_SUMMARY:
        raise BadInput(
            f"a case needs {', '.join(empty) or 'a summary of at most 20,000 characters'}", [{"fields": empty}]
        )
    if case.decided_on > date.today():
        raise BadInput(f"the decision date {case.decided_on} is in the future", [{"field": "decided_on"}])
    row = CourtCase(
        country_iso3=iso3,
        court=case.court.strip()[:255],
        decided_on=case.decided_on,
        offence_type=case.offence_type.strip()[:128],
        substances=[name.strip() for name in case.substances if name.strip()],
        summary=case.summary.strip(),
        citation=case.citation.strip()[:512],
        source=case.source.strip()[:1024],
        recorded_by=principal.username,
    )
    with transaction(engine) as session:
        session.add(row)
        session.flush()
        index.put(session, [case_document(row)])
        return as_dict(row)


def cases(engine: Engine, country: str | None = None) -> list[dict[str, Any]]:
    query = select(CourtCase).order_by(CourtCase.decided_on.desc())
    if country is not None:
        query = query.where(CourtCase.country_iso3 == vocabulary.country(country).iso3)
    with transaction(engine) as session:
        return [as_dict(row) for row in session.scalars(query)]


def as_dict(row: CourtCase) -> dict[str, Any]:
    return {
        "id": row.id,
        "country": row.country_iso3,
        "court": row.court,
        "decided_on": row.decided_on.isoformat(),
        "offence_type": row.offence_type,
        "substances": row.substances,
        "summary": row.summary,
        "citation": row.citation,
        "source": row.source,
    }
