"""Review queries: opening one on a submission (or one of its values, or one validation problem), reading one with
its thread, and the inbox of queries a principal may see.

Who may do what:
- a query is seen by whoever may see its submission (``access.policy.may_read``); one on a submission the
  principal may not see is answered as absent (404);
- the reviewing side (regional reviewers, analysts, administrators, each within their scope) opens queries and
  reads and writes internal messages; the provider's side never sees an internal message.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, Select, select
from sqlalchemy.orm import Session

from observatory.access.audit import utc_now
from observatory.access.policy import Action, Principal, Role, allowed, may_read, network_countries
from observatory.errors import BadInput, Forbidden, NotFound
from observatory.review.rules import add_working_days, rules
from observatory.store.engine import transaction
from observatory.store.reporting_schema import Observation
from observatory.store.review_schema import ReviewAttachment, ReviewMessage, ReviewQuery, queue_mail
from observatory.store.schema import Submission

PRIORITIES = ("low", "medium", "high")
STATUSES = ("open", "answered", "resolved", "withdrawn")
RESOLUTIONS = ("accepted", "corrected", "explained")
#: A query that still waits for someone.
PENDING = ("open", "answered")
#: The reviewing side: these roles open queries and see internal messages, within the scope of their ``comment``.
REVIEWER_ROLES = frozenset({Role.REGIONAL_REVIEWER, Role.ANALYST, Role.ADMIN})
MAX_BODY = 20_000


@dataclass(frozen=True, slots=True)
class InboxFilter:
    status: str | None = None
    network: str | None = None
    country: str | None = None
    overdue: bool | None = None
    assigned_to_me: bool = False
    submission_id: int | None = None


def is_reviewer(principal: Principal, country: str | None) -> bool:
    """Is ``principal`` on the reviewing side for ``country``'s data?"""
    return principal.role in REVIEWER_ROLES and allowed(principal, Action.COMMENT, country)


def checked_body(body: str | None, field: str = "message") -> str:
    text = (body or "").strip()
    if not text:
        raise BadInput(f"the {field} is empty: say what the question is", [{"field": field}])
    if len(text) > MAX_BODY:
        raise BadInput(f"the {field} is longer than {MAX_BODY:,} characters", [{"field": field}])
    return text


def open_query(
    engine: Engine,
    principal: Principal,
    submission_id: int,
    message: str | None,
    priority: str = "medium",
    observation_id: int | None = None,
    problem_code: str | None = None,
    *,
    today: date | None = None,
    auto_key: str | None = None,
) -> dict[str, Any]:
    """Open a query on a submission, optionally on one of its values or one validation problem; its due date is
    ``due_working_days`` working days after ``today``. The uploader is told by mail."""
    body = checked_body(message)
    if priority not in PRIORITIES:
        raise BadInput(f"priority {priority!r}: expected one of {', '.join(PRIORITIES)}", [{"field": "priority"}])
    now = utc_now()
    with transaction(engine) as session:
        submission = visible_submission_row(session, principal, submission_id)
        if not is_reviewer(principal, submission.country_iso3):
            raise Forbidden(
                f"{principal.username} ({principal.role}) may not open review queries on this submission",
                [{"user": principal.username, "role": str(principal.role)}],
            )
        if observation_id is not None:
            owner = session.scalar(select(Observation.submission_id).where(Observation.id == observation_id))
            if owner != submission_id:
                raise BadInput(
                    f"value {observation_id} is not a value of submission {submission_id}",
                    [{"field": "observation_id", "value": observation_id}],
                )
        query = ReviewQuery(
            submission_id=submission_id,
            observation_id=observation_id,
            problem_code=(problem_code or "").strip() or None,
            auto_key=auto_key,
            opened_by=principal.username,
            opener_role=str(principal.role),
            priority=priority,
            status="open",
            due_on=add_working_days(today or now.date(), rules().due_working_days),
            created_at=now,
            updated_at=now,
        )
        session.add(query)
        session.flush()
        opened = add_message(session, query, principal, "opened", body, internal=False, now=now)
        tell(session, query, submission, opened, "query-opened", [submission.submitted_by])
        return describe(query, submission)


def visible_submission_row(session: Session, principal: Principal, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None or not may_read(principal, submission.status, submission.country_iso3, submission.dataset):
        raise NotFound(f"no submission {submission_id}", [{"value": submission_id}])
    return submission


def visible_query(session: Session, principal: Principal, query_id: int) -> tuple[ReviewQuery, Submission]:
    """The query and its submission, as absent (404) when the principal may not see the submission."""
    query = session.get(ReviewQuery, query_id)
    if query is None:
        raise NotFound(f"no review query {query_id}", [{"value": query_id}])
    submission = session.get(Submission, query.submission_id)
    if submission is None or not may_read(principal, submission.status, submission.country_iso3, submission.dataset):
        raise NotFound(f"no review query {query_id}", [{"value": query_id}])
    return query, submission


def add_message(
    session: Session, query: ReviewQuery, principal: Principal, kind: str, body: str, *, internal: bool, now: datetime
) -> ReviewMessage:
    message = ReviewMessage(
        query_id=query.id,
        kind=kind,
        author=principal.username,
        author_role=str(principal.role),
        body=body,
        internal=internal,
        at=now,
    )
    session.add(message)
    session.flush()
    return message


def tell(
    session: Session,
    query: ReviewQuery,
    submission: Submission,
    message: ReviewMessage,
    template: str,
    usernames: list[str | None],
) -> None:
    """Queue ``template`` for each of ``usernames`` but the message's author (once each, keyed by the message)."""
    payload = {
        "query_id": query.id,
        "submission_id": submission.id,
        "dataset": submission.dataset,
        "country": submission.country_iso3,
        "priority": query.priority,
        "status": query.status,
        "resolution": query.resolution,
        "due_on": query.due_on.isoformat(),
        "author": message.author,
        "body": message.body,
    }
    for username in dict.fromkeys(name for name in usernames if name and name != message.author):
        queue_mail(session, username, template, payload, f"review-message:{message.id}", utc_now(), query.id)


def query_detail(engine: Engine, principal: Principal, query_id: int) -> dict[str, Any]:
    """A query with its thread; internal messages only for the reviewing side."""
    with Session(engine) as session:
        query, submission = visible_query(session, principal, query_id)
        reviewer = is_reviewer(principal, submission.country_iso3)
        messages = select(ReviewMessage).where(ReviewMessage.query_id == query_id).order_by(ReviewMessage.id)
        if not reviewer:
            messages = messages.where(ReviewMessage.internal.is_(False))
        thread = [_message(session, m) for m in session.scalars(messages)]
        return {**describe(query, submission), "messages": thread, "reviewer": reviewer}


def list_queries(
    engine: Engine, principal: Principal, chosen: InboxFilter = InboxFilter(), today: date | None = None
) -> list[dict[str, Any]]:
    """The queries ``principal`` may see, newest first, filtered as ``chosen`` says."""
    if chosen.status is not None and chosen.status not in STATUSES:
        raise BadInput(f"status {chosen.status!r}: expected one of {', '.join(STATUSES)}", [{"field": "status"}])
    day = today or utc_now().date()
    statement = _inbox_statement(principal, chosen, day)
    with Session(engine) as session:
        return [
            describe(query, submission, day)
            for query, submission in session.execute(statement)
            if may_read(principal, submission.status, submission.country_iso3, submission.dataset)
        ]


def _inbox_statement(principal: Principal, chosen: InboxFilter, day: date) -> Select[ReviewQuery, Submission]:
    statement = select(ReviewQuery, Submission).join(Submission, Submission.id == ReviewQuery.submission_id)
    if chosen.status:
        statement = statement.where(ReviewQuery.status == chosen.status)
    if chosen.country:
        statement = statement.where(Submission.country_iso3 == chosen.country.upper())
    if chosen.network:
        statement = statement.where(Submission.country_iso3.in_(sorted(network_countries(chosen.network.upper()))))
    if chosen.submission_id is not None:
        statement = statement.where(ReviewQuery.submission_id == chosen.submission_id)
    if chosen.overdue is not None:
        late = ReviewQuery.status.in_(PENDING) & (ReviewQuery.due_on < day)
        statement = statement.where(late if chosen.overdue else ~late)
    if chosen.assigned_to_me:
        me = principal.username
        mine = (ReviewQuery.opened_by == me) | (ReviewQuery.answered_by == me) | (Submission.submitted_by == me)
        statement = statement.where(mine)
    return statement.order_by(ReviewQuery.id.desc())


def describe(query: ReviewQuery, submission: Submission, today: date | None = None) -> dict[str, Any]:
    day = today or utc_now().date()
    return {
        "id": query.id,
        "submission_id": query.submission_id,
        "dataset": submission.dataset,
        "country": submission.country_iso3,
        "submission_status": submission.status,
        "observation_id": query.observation_id,
        "problem_code": query.problem_code,
        "opened_by": query.opened_by,
        "opener_role": query.opener_role,
        "priority": query.priority,
        "status": query.status,
        "resolution": query.resolution,
        "due_on": query.due_on.isoformat(),
        "overdue": query.status in PENDING and query.due_on < day,
        "answered_by": query.answered_by,
        "created_at": query.created_at.isoformat() if query.created_at else None,
    }


def _message(session: Session, message: ReviewMessage) -> dict[str, Any]:
    files = select(ReviewAttachment.id, ReviewAttachment.name, ReviewAttachment.media_type, ReviewAttachment.size_bytes)
    attachments = session.execute(files.where(ReviewAttachment.message_id == message.id).order_by(ReviewAttachment.id))
    return {
        "id": message.id,
        "kind": message.kind,
        "author": message.author,
        "author_role": message.author_role,
        "body": message.body,
        "internal": message.internal,
        "value_audit_id": message.value_audit_id,
        "at": message.at.isoformat() if message.at else None,
        "attachments": [{"id": a, "name": n, "media_type": t, "size_bytes": s} for a, n, t, s in attachments],
    }
