"""The good practices portal's workflow: submit → review (comments, requests for changes, revisions) →
publish or reject. Who may act is in ``policy.permissions``; a published practice enters the search index.

    submitted ──request_changes──► changes_requested ──revise──► submitted
    submitted ──publish──► published        submitted | changes_requested ──reject──► rejected
"""

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.policy import Principal
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.policy import vocabulary
from observatory.policy.permissions import may_review, require_reviewer, require_signed_in
from observatory.policy.search import index
from observatory.policy.search.documents import practice_document
from observatory.store.engine import transaction
from observatory.store.policy_schema import Practice, PracticeEvent

LIMITS = {"title": 255, "setting": 255, "description": 20_000, "results": 20_000, "evaluation_design": 10_000}
LIMITS |= {"contacts": 2_000}
REQUIRED = ("title", "description")


class PracticeStatus(StrEnum):
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class NewPractice:
    title: str
    country: str
    chapter: int
    target_group: str
    description: str
    recommendations: tuple[str, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    setting: str = ""
    results: str = ""
    evaluation_design: str = ""
    evidence_rating: str = "not_rated"
    contacts: str = ""


REVIEW_MOVES: dict[str, tuple[frozenset[PracticeStatus], PracticeStatus | None]] = {
    "comment": (frozenset({PracticeStatus.SUBMITTED, PracticeStatus.CHANGES_REQUESTED}), None),
    "request_changes": (frozenset({PracticeStatus.SUBMITTED}), PracticeStatus.CHANGES_REQUESTED),
    "publish": (frozenset({PracticeStatus.SUBMITTED}), PracticeStatus.PUBLISHED),
    "reject": (frozenset({PracticeStatus.SUBMITTED, PracticeStatus.CHANGES_REQUESTED}), PracticeStatus.REJECTED),
}


def submit(engine: Engine, principal: Principal, practice: NewPractice) -> dict[str, Any]:
    require_signed_in(principal, "submit a good practice")
    values = checked(practice)
    row = Practice(**values, status=str(PracticeStatus.SUBMITTED), submitted_by=principal.username)
    with transaction(engine) as session:
        session.add(row)
        session.flush()
        _event(session, row, "submit", None, principal, None)
        return as_dict(row)


def revise(engine: Engine, principal: Principal, practice_id: int, practice: NewPractice) -> dict[str, Any]:
    """The submitter's new version after a request for changes; it goes back to review."""
    values = checked(practice)
    with transaction(engine) as session:
        row = visible_practice(session, principal, practice_id)
        if row.submitted_by != principal.username:
            raise Forbidden("only the submitter may revise a practice", [{"practice": practice_id}])
        _require_status(row, "revise", frozenset({PracticeStatus.CHANGES_REQUESTED}))
        for name, value in values.items():
            setattr(row, name, value)
        before = row.status
        row.status = str(PracticeStatus.SUBMITTED)
        _event(session, row, "revise", before, principal, None)
        return as_dict(row)


def review(engine: Engine, principal: Principal, practice_id: int, action: str, comment: str = "") -> dict[str, Any]:
    """A reviewer's step: ``comment``, ``request_changes`` (a comment is required), ``publish`` or ``reject``."""
    if action not in REVIEW_MOVES:
        raise BadInput(f"unknown review action {action!r}; accepted: {', '.join(REVIEW_MOVES)}", [{"field": "action"}])
    allowed_from, to_status = REVIEW_MOVES[action]
    note = _text("comment", comment, 10_000)
    if action in ("comment", "request_changes", "reject") and not note:
        raise BadInput(f"{action.replace('_', ' ')} needs a comment for the submitter", [{"field": "comment"}])
    with transaction(engine) as session:
        row = visible_practice(session, principal, practice_id)
        require_reviewer(principal, row.country_iso3, f"{action.replace('_', ' ')} practice {practice_id}")
        _require_status(row, action, allowed_from)
        before = row.status
        if to_status is not None:
            row.status = str(to_status)
        if to_status is PracticeStatus.PUBLISHED:
            row.published_at = datetime.now(UTC)
            session.flush()
            index.put(session, [practice_document(row)])
        _event(session, row, action, before, principal, note or None)
        return as_dict(row)


def practice(engine: Engine, principal: Principal, practice_id: int) -> dict[str, Any]:
    """A practice with its review history; unpublished ones only for their submitter and reviewers."""
    with transaction(engine) as session:
        row = visible_practice(session, principal, practice_id)
        events = session.scalars(
            select(PracticeEvent).where(PracticeEvent.practice_id == row.id).order_by(PracticeEvent.id)
        )
        history = [
            {"action": e.action, "from": e.from_status, "to": e.to_status, "actor": e.actor, "comment": e.comment}
            for e in events
        ]
        return {**as_dict(row), "events": history, "may_review": may_review(principal, row.country_iso3)}


def review_queue(engine: Engine, principal: Principal) -> list[dict[str, Any]]:
    """Practices waiting for review or revision that ``principal`` may see, oldest first."""
    waiting = [str(PracticeStatus.SUBMITTED), str(PracticeStatus.CHANGES_REQUESTED)]
    with transaction(engine) as session:
        rows = session.scalars(select(Practice).where(Practice.status.in_(waiting)).order_by(Practice.id))
        return [as_dict(row) for row in rows if _may_see(principal, row)]


def checked(practice: NewPractice) -> dict[str, Any]:
    """The practice's fields, validated, ready for the table."""
    chapter = vocabulary.chapter_number(practice.chapter)
    values: dict[str, Any] = {name: _text(name, getattr(practice, name), limit) for name, limit in LIMITS.items()}
    for name in REQUIRED:
        if len(values[name]) < 3:
            raise BadInput(f"{name} is required (at least 3 characters)", [{"field": name}])
    return values | {
        "country_iso3": vocabulary.country(practice.country).iso3,
        "chapter": chapter,
        "recommendations": sorted({vocabulary.recommendation_code(code, chapter) for code in practice.recommendations}),
        "sdg_targets": sorted({vocabulary.sdg_target_code(code) for code in practice.sdg_targets}),
        "target_group": vocabulary.term(vocabulary.target_groups(), practice.target_group, "target_group").code,
        "evidence_rating": vocabulary.term(
            vocabulary.evidence_ratings(), practice.evidence_rating, "evidence_rating"
        ).code,
    }


def as_dict(row: Practice) -> dict[str, Any]:
    names = [field.name for field in fields(NewPractice) if field.name != "country"]
    return {
        "id": row.id,
        "country": row.country_iso3,
        **{name: getattr(row, name) for name in names},
        "status": row.status,
        "submitted_by": row.submitted_by,
        "published_at": row.published_at.isoformat() if row.published_at else None,
    }


def visible_practice(session: Session, principal: Principal, practice_id: int) -> Practice:
    row = session.get(Practice, practice_id)
    if row is None or not _may_see(principal, row):
        raise NotFound(f"no practice {practice_id}", [{"field": "id", "value": practice_id}])
    return row


def _may_see(principal: Principal, row: Practice) -> bool:
    if row.status == PracticeStatus.PUBLISHED:
        return True
    return row.submitted_by == principal.username or may_review(principal, row.country_iso3)


def _require_status(row: Practice, action: str, allowed: frozenset[PracticeStatus]) -> None:
    if PracticeStatus(row.status) not in allowed:
        raise Conflict(
            f"practice {row.id} is {row.status}: {action.replace('_', ' ')} needs {' or '.join(sorted(allowed))}",
            [{"practice": row.id, "status": row.status, "action": action}],
        )


def _event(
    session: Session, row: Practice, action: str, before: str | None, principal: Principal, note: str | None
) -> None:
    session.add(
        PracticeEvent(
            practice_id=row.id,
            action=action,
            from_status=before,
            to_status=row.status,
            actor=principal.username,
            comment=note,
        )
    )


def _text(name: str, value: str, limit: int) -> str:
    cleaned = value.replace("\x00", "").strip()
    if len(cleaned) > limit:
        raise BadInput(f"{name} is longer than {limit} characters", [{"field": name, "length": len(cleaned)}])
    return cleaned
