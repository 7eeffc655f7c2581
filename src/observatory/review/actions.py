"""What people do with a query: reply (the provider's reply answers it), resolve, reopen, withdraw, answer with a
correction of the value, attach a file to a message.

- A reply to a resolved or withdrawn query is refused (409); an internal message is the reviewing side's only.
- Only the opener's role (within its scope) resolves or reopens; the provider is refused (403).
- A provider's reply marks the query answered and mails the opener; a reviewer's reply mails the provider.
"""

import hashlib
import re
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.audit import utc_now
from observatory.access.policy import Action, Principal, allowed
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.policy.attachments import ALLOWED, media_type_of
from observatory.reporting.corrections import Corrected, correct_value
from observatory.review.queries import (
    PENDING,
    RESOLUTIONS,
    add_message,
    checked_body,
    describe,
    is_reviewer,
    query_detail,
    tell,
    visible_query,
)
from observatory.store.engine import transaction
from observatory.store.reporting_schema import ValueAudit
from observatory.store.review_schema import ReviewAttachment, ReviewMessage, ReviewQuery
from observatory.store.schema import Submission

MAX_ATTACHMENTS_PER_MESSAGE = 5
_NAME = re.compile(r"[^\w.\- ]+")


def post_message(
    engine: Engine, principal: Principal, query_id: int, body: str | None, internal: bool = False
) -> dict[str, Any]:
    """Add a message to the query's thread; the id and the query as it now stands."""
    text = checked_body(body, "body")
    now = utc_now()
    with transaction(engine) as session:
        query, submission = visible_query(session, principal, query_id)
        reviewer = _may_write(principal, query, submission, internal)
        kind = "message"
        if not reviewer and not internal:
            query.status, query.answered_by, kind = "answered", principal.username, "answered"
        elif reviewer and not internal and query.status == "answered":
            query.status = "open"
        query.updated_at = now
        message = add_message(session, query, principal, kind, text, internal=internal, now=now)
        if not internal:
            if reviewer:
                tell(session, query, submission, message, "query-reply", [submission.submitted_by, query.answered_by])
            else:
                tell(session, query, submission, message, "query-answered", [query.opened_by])
        return {"id": message.id, "query": describe(query, submission)}


def resolve(
    engine: Engine, principal: Principal, query_id: int, resolution: str | None, comment: str | None = None
) -> dict[str, Any]:
    """Close the query with a resolution: accepted (as is), corrected or explained."""
    if resolution not in RESOLUTIONS:
        raise BadInput(
            f"resolution {resolution!r}: expected one of {', '.join(RESOLUTIONS)}", [{"field": "resolution"}]
        )
    return _change(engine, principal, query_id, "resolved", PENDING, comment, resolution)


def reopen(engine: Engine, principal: Principal, query_id: int, comment: str | None = None) -> dict[str, Any]:
    return _change(engine, principal, query_id, "reopened", ("resolved", "withdrawn"), comment)


def withdraw(engine: Engine, principal: Principal, query_id: int, comment: str | None = None) -> dict[str, Any]:
    return _change(engine, principal, query_id, "withdrawn", PENDING, comment)


def correct_in_answer(
    engine: Engine,
    principal: Principal,
    query_id: int,
    value: Corrected,
    reason: str,
    missing_reason: str | None = None,
) -> dict[str, Any]:
    """Correct the query's value through the correction path (its checks and audit trail), and link the
    correction's audit entry to the query as the provider's answer."""
    with Session(engine) as session:
        query, _ = visible_query(session, principal, query_id)
        observation_id = query.observation_id
    if observation_id is None:
        raise BadInput(f"query {query_id} is not about one value: answer it with a message", [{"value": query_id}])
    correction = correct_value(engine, principal, observation_id, value, reason, missing_reason)
    with transaction(engine) as session:
        query, submission = visible_query(session, principal, query_id)
        if query.status not in PENDING:
            raise Conflict(f"query {query_id} is {query.status}: reopen it first", [{"status": query.status}])
        latest = select(ValueAudit.id).where(
            ValueAudit.observation_id == observation_id, ValueAudit.actor == principal.username
        )
        audit_id = session.scalar(latest.order_by(ValueAudit.id.desc()).limit(1))
        now = utc_now()
        query.status, query.answered_by, query.updated_at = "answered", principal.username, now
        body = f"corrected the value: {correction.old} → {correction.new} ({reason.strip()})"
        message = add_message(session, query, principal, "correction", body, internal=False, now=now)
        message.value_audit_id = audit_id
        tell(session, query, submission, message, "query-answered", [query.opened_by])
        return {"id": message.id, "value_audit_id": audit_id, "query": describe(query, submission)}


def attach(
    engine: Engine, principal: Principal, query_id: int, message_id: int, name: str, data: bytes, max_bytes: int
) -> dict[str, Any]:
    """Attach a file to one's own message, checked as practice attachments are: by content, up to a size."""
    clean = _NAME.sub("_", name).strip(" .")[:200] or "attachment"
    if len(data) > max_bytes:
        raise BadInput(
            f"{clean}: {len(data):,} bytes is over the attachment limit of {max_bytes:,} bytes",
            [{"file": clean, "size": len(data), "limit": max_bytes}],
        )
    media_type = media_type_of(data, clean)
    with transaction(engine) as session:
        message = _own_message(session, principal, query_id, message_id)
        count = len(session.scalars(select(ReviewAttachment.id).where(ReviewAttachment.message_id == message.id)).all())
        if count >= MAX_ATTACHMENTS_PER_MESSAGE:
            raise Conflict(f"a message holds at most {MAX_ATTACHMENTS_PER_MESSAGE} attachments")
        attachment = ReviewAttachment(
            message_id=message.id,
            name=clean,
            media_type=media_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
        )
        session.add(attachment)
        session.flush()
        return {"id": attachment.id, "name": clean, "media_type": media_type, "kind": ALLOWED[media_type]}


def attachment_content(
    engine: Engine, principal: Principal, query_id: int, attachment_id: int
) -> tuple[str, str, bytes]:
    """Name, media type and bytes of an attachment the principal may see (an internal message's: reviewers only)."""
    visible = {a["id"] for m in query_detail(engine, principal, query_id)["messages"] for a in m["attachments"]}
    with Session(engine) as session:
        attachment = session.get(ReviewAttachment, attachment_id)
        if attachment is None or attachment_id not in visible:
            raise NotFound(f"no attachment {attachment_id} in query {query_id}", [{"value": attachment_id}])
        return attachment.name, attachment.media_type, attachment.content


def _may_write(principal: Principal, query: ReviewQuery, submission: Submission, internal: bool) -> bool:
    if query.status not in PENDING:
        raise Conflict(
            f"query {query.id} is {query.status}: it takes no more messages unless its opener reopens it",
            [{"status": query.status, "query_id": query.id}],
        )
    reviewer = is_reviewer(principal, submission.country_iso3)
    if internal and not reviewer:
        raise Forbidden("internal messages are for reviewers and analysts only", [{"field": "internal"}])
    if not reviewer and not allowed(principal, Action.COMMENT, submission.country_iso3, submission.dataset):
        raise Forbidden(f"{principal.username} ({principal.role}) may not answer this query")
    return reviewer


def _change(
    engine: Engine,
    principal: Principal,
    query_id: int,
    kind: str,
    sources: tuple[str, ...],
    comment: str | None,
    resolution: str | None = None,
) -> dict[str, Any]:
    now = utc_now()
    with transaction(engine) as session:
        query, submission = visible_query(session, principal, query_id)
        if str(principal.role) != query.opener_role or not is_reviewer(principal, submission.country_iso3):
            raise Forbidden(
                f"only a {query.opener_role} (the opener's role) may mark query {query_id} {kind}",
                [{"role": str(principal.role), "opener_role": query.opener_role}],
            )
        if query.status not in sources:
            raise Conflict(
                f"query {query_id} is {query.status}: it cannot be {kind}",
                [{"status": query.status, "query_id": query_id}],
            )
        query.status = "open" if kind == "reopened" else kind
        query.resolution = resolution if kind == "resolved" else None
        query.updated_at = now
        body = (comment or "").strip() or (f"{kind}: {resolution}" if resolution else kind)
        message = add_message(session, query, principal, kind, body, internal=False, now=now)
        tell(session, query, submission, message, f"query-{kind}", [submission.submitted_by, query.answered_by])
        return describe(query, submission)


def _own_message(session: Session, principal: Principal, query_id: int, message_id: int) -> ReviewMessage:
    visible_query(session, principal, query_id)
    message = session.get(ReviewMessage, message_id)
    if message is None or message.query_id != query_id:
        raise NotFound(f"no message {message_id} in query {query_id}", [{"value": message_id}])
    if message.author != principal.username:
        raise Forbidden("only a message's author may attach files to it", [{"message": message_id}])
    return message
