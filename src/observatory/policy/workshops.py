"""National implementation workshops: when, which ministries, which chapters, and the technical-assistance
requests they raised, each followed up by dated steps."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select

from observatory.access.policy import Principal
from observatory.errors import BadInput, NotFound
from observatory.policy import vocabulary
from observatory.policy.permissions import require_reviewer
from observatory.store.engine import transaction
from observatory.store.policy_schema import AssistanceRequest, Workshop

MAX_TEXT = 10_000


class RequestStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class NewWorkshop:
    country: str
    held_on: date
    ministries: tuple[str, ...]
    chapters: tuple[int, ...]
    notes: str = ""


def add_workshop(engine: Engine, principal: Principal, workshop: NewWorkshop) -> dict[str, Any]:
    iso3 = vocabulary.country(workshop.country).iso3
    require_reviewer(principal, iso3, "record a national implementation workshop")
    ministries = [name.strip() for name in workshop.ministries if name.strip()]
    if not ministries:
        raise BadInput("a workshop needs the ministries present", [{"field": "ministries"}])
    chapters = sorted({vocabulary.chapter_number(number) for number in workshop.chapters})
    if not chapters:
        raise BadInput("a workshop needs the chapters discussed", [{"field": "chapters"}])
    row = Workshop(
        country_iso3=iso3,
        held_on=workshop.held_on,
        ministries=ministries,
        chapters=chapters,
        notes=_text(workshop.notes, "notes", required=False),
        recorded_by=principal.username,
    )
    with transaction(engine) as session:
        session.add(row)
        session.flush()
        return _workshop(row, [])


def add_request(
    engine: Engine, principal: Principal, workshop_id: int, request: str, chapter: int | None = None
) -> dict[str, Any]:
    with transaction(engine) as session:
        workshop = _find_workshop(session.get(Workshop, workshop_id), workshop_id)
        require_reviewer(principal, workshop.country_iso3, "record a technical-assistance request")
        row = AssistanceRequest(
            workshop_id=workshop.id,
            chapter=vocabulary.chapter_number(chapter) if chapter is not None else None,
            request=_text(request, "request"),
            status=str(RequestStatus.OPEN),
            follow_up=[],
        )
        session.add(row)
        session.flush()
        return _request(row)


def follow_up(
    engine: Engine, principal: Principal, request_id: int, status: str, note: str, on: date
) -> dict[str, Any]:
    """Add a dated follow-up step to a request, which moves it to ``status``."""
    try:
        new_status = RequestStatus(status)
    except ValueError:
        raise BadInput(
            f"unknown request status {status!r}; accepted: {', '.join(RequestStatus)}", [{"field": "status"}]
        ) from None
    with transaction(engine) as session:
        row = session.get(AssistanceRequest, request_id)
        if row is None:
            raise NotFound(f"no technical-assistance request {request_id}", [{"field": "id", "value": request_id}])
        workshop = _find_workshop(session.get(Workshop, row.workshop_id), row.workshop_id)
        require_reviewer(principal, workshop.country_iso3, "follow up a technical-assistance request")
        step = {"on": on.isoformat(), "status": str(new_status), "note": _text(note, "note"), "by": principal.username}
        row.follow_up = [*row.follow_up, step]
        row.status = str(new_status)
        return _request(row)


def workshops(engine: Engine, country: str) -> list[dict[str, Any]]:
    iso3 = vocabulary.country(country).iso3
    with transaction(engine) as session:
        found = list(session.scalars(select(Workshop).where(Workshop.country_iso3 == iso3).order_by(Workshop.held_on)))
        requests = session.scalars(
            select(AssistanceRequest).where(AssistanceRequest.workshop_id.in_([w.id for w in found]))
        ).all()
        return [_workshop(w, [r for r in requests if r.workshop_id == w.id]) for w in found]


def _find_workshop(row: Workshop | None, workshop_id: int) -> Workshop:
    if row is None:
        raise NotFound(f"no workshop {workshop_id}", [{"field": "workshop_id", "value": workshop_id}])
    return row


def _text(value: str, field: str, required: bool = True) -> str:
    text = value.strip()
    if (required and not text) or len(text) > MAX_TEXT:
        raise BadInput(f"{field} must have 1 to {MAX_TEXT} characters", [{"field": field}])
    return text


def _workshop(row: Workshop, requests: list[AssistanceRequest]) -> dict[str, Any]:
    return {
        "id": row.id,
        "country": row.country_iso3,
        "held_on": row.held_on.isoformat(),
        "ministries": row.ministries,
        "chapters": row.chapters,
        "notes": row.notes,
        "requests": [_request(request) for request in sorted(requests, key=lambda r: r.id)],
    }


def _request(row: AssistanceRequest) -> dict[str, Any]:
    return {
        "id": row.id,
        "chapter": row.chapter,
        "request": row.request,
        "status": row.status,
        "follow_up": row.follow_up,
    }
