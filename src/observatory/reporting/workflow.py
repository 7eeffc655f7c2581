"""The lifecycle of a submission, one checked and recorded step at a time.

draft ─submit─► submitted ─acknowledge─► validated ─approve─► approved ─accept─► accepted ─publish─► published
   (validation with no warning goes straight to validated; with errors the submission is invalid)
reject (with a comment) from submitted, validated or approved → rejected
unapprove: approved → validated;  unpublish (with a comment): published → accepted, out of public view;
accept locks the submission;  publishing a correction (a later vintage)
marks the vintage it corrects as superseded, which stays readable.

Four eyes: who uploaded a submission does not approve or publish it; an administrator may, giving the reason, which
the audit trail keeps beside the step (``access.policy.four_eyes``). A submission the principal may not see is
answered as absent (404), exactly as a missing one. Each step locks the submission's row and reads its status
again inside its transaction (``lock_submission``), so that two steps at once cannot both start from one status.

Two levels of approval: where the network's data say it reviews (``review`` = ``regional`` in
``datasets/access/networks.csv``), approving a member's submission is the network's regional review, taken by the
network's reviewer before UNODC accepts; once the network has an active reviewer account, a country-level approver
is refused (``regional-review``) and only the reviewer or an all-country role approves. Approval and acceptance are
refused (409 ``open-review-queries``) while a high-priority review query of the submission is open or answered.
A rejection needs a reason; the uploader is told by mail (through the outbox, in the step's transaction) when their
submission is rejected, approved or published.
"""

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, ScalarSelect, func, select, update
from sqlalchemy.orm import Session

from observatory.access.audit import audit, utc_now
from observatory.access.policy import NETWORKS, Action, Principal, Role, allowed, four_eyes, may_read, require
from observatory.analytics.refresh import refresh_analytics
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.store.engine import transaction
from observatory.store.reporting_schema import SubmissionEvent, User
from observatory.store.review_schema import ReviewQuery, queue_mail
from observatory.store.schema import AuditEvent, Submission

#: The audit event that records an administrator's override of four eyes, with the step's event and the reason.
OVERRIDE = "four-eyes-override"
#: Steps held while a high-priority review query is open or answered.
HELD_BY_QUERIES = frozenset({"approve", "accept"})
HOLDING_STATUSES = ("open", "answered")
#: Steps that are the regional review where the country's network reviews.
REGIONAL_STEPS = frozenset({"approve", "unapprove"})
#: The mail the uploader gets after a step.
STEP_MAILS = {"reject": "submission-rejected", "approve": "submission-approved", "publish": "submission-published"}


class OpenReviewQueries(Conflict):
    """A high-priority review query is open or answered: the submission cannot be approved or accepted yet."""

    code = "open-review-queries"


class RegionalReview(Forbidden):
    """The network reviews its members' submissions: its regional reviewer approves them, not a national role."""

    code = "regional-review"


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INVALID = "invalid"
    VALIDATED = "validated"
    APPROVED = "approved"
    ACCEPTED = "accepted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class Step:
    action: str
    sources: frozenset[Status]
    target: Status | None
    permission: Action
    needs_comment: bool = False
    #: Someone other than the uploader must take this step (an administrator may override, giving a reason).
    four_eyes: bool = False


STEPS = {
    step.action: step
    for step in (
        Step("acknowledge", frozenset({Status.SUBMITTED}), Status.VALIDATED, Action.SUBMIT, needs_comment=True),
        Step("approve", frozenset({Status.VALIDATED}), Status.APPROVED, Action.APPROVE, four_eyes=True),
        Step("unapprove", frozenset({Status.APPROVED}), Status.VALIDATED, Action.UNAPPROVE, needs_comment=True),
        Step(
            "reject",
            frozenset({Status.SUBMITTED, Status.VALIDATED, Status.APPROVED}),
            Status.REJECTED,
            Action.REJECT,
            needs_comment=True,
        ),
        Step("accept", frozenset({Status.APPROVED}), Status.ACCEPTED, Action.ACCEPT),
        Step("publish", frozenset({Status.ACCEPTED}), Status.PUBLISHED, Action.PUBLISH, four_eyes=True),
        Step("unpublish", frozenset({Status.PUBLISHED}), Status.ACCEPTED, Action.PUBLISH, needs_comment=True),
        Step("comment", frozenset(Status), None, Action.COMMENT, needs_comment=True),
    )
}


@dataclass(frozen=True, slots=True)
class StepResult:
    submission_id: int
    action: str
    from_status: str
    to_status: str
    locked: bool
    #: The reason an administrator gave for overriding four eyes, when the step needed it.
    override: str | None = None


def apply_step(
    engine: Engine,
    principal: Principal,
    submission_id: int,
    action: str,
    comment: str | None = None,
    *,
    analytics: Path,
    override: str | None = None,
) -> StepResult:
    """Move a submission one step, if ``principal`` may and the step starts from its status; record who and why.

    ``override`` is an administrator's reason for approving or publishing a submission they uploaded themselves.
    The lifecycle owns what is served: once the step is committed, the analytics store under ``analytics`` is
    brought up to date, so a published submission is in every figure, page and API answer when this returns.
    """
    result = _step(engine, principal, submission_id, action, comment, override)
    refresh_analytics(engine, analytics)
    return result


def lock_submission(session: Session, submission_id: int | ScalarSelect[Any]) -> Submission | None:
    """The submission, its row locked until the transaction ends and its columns read afresh; call it first.

    PostgreSQL locks the row (``SELECT … FOR UPDATE``): a second step waits, then reads the status the first left.
    SQLite ignores ``FOR UPDATE`` and has no row locks; a transaction that read first and writes later fails at
    its write when another has committed meanwhile. There, a write that changes nothing, as the transaction's first
    statement, takes the database's write lock, so that the second step waits instead (``busy_timeout``).
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(Submission).where(Submission.id == submission_id).values(status=Submission.status),
            execution_options={"synchronize_session": False},
        )
    query = select(Submission).where(Submission.id == submission_id).with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one_or_none()


def _step(
    engine: Engine,
    principal: Principal,
    submission_id: int,
    action: str,
    comment: str | None,
    override: str | None = None,
) -> StepResult:
    step = STEPS.get(action)
    if step is None:
        raise BadInput(f"unknown action {action!r}; actions: {', '.join(STEPS)}", [{"value": action}])
    with transaction(engine) as session:
        submission = lock_submission(session, submission_id)
        # A submission the principal may not see is reported as absent, not as forbidden: its existence is private.
        if submission is None or not may_read(
            principal, submission.status, submission.country_iso3, submission.dataset
        ):
            raise NotFound(f"no submission {submission_id}", [{"value": submission_id}])
        _authorise(session, principal, step, submission)
        current = Status(submission.status)
        if current not in step.sources:
            allowed = ", ".join(sorted(step.sources))
            raise Conflict(
                f"cannot {action} submission {submission_id}: it is {current}; {action} applies to: {allowed}",
                [{"status": str(current), "action": action}],
            )
        if submission.locked and step.target is not None and step.target not in (Status.PUBLISHED, Status.ACCEPTED):
            raise Conflict(f"submission {submission_id} is locked since it was accepted; submit a correction instead")
        if step.needs_comment and not (comment and comment.strip()):
            raise BadInput(f"{action} needs a comment saying why", [{"field": "comment"}])
        _check_queries(session, submission.id, action)
        reason = None
        if step.four_eyes:
            reason = four_eyes(
                principal, submission.submitted_by, action, override, submission.country_iso3, submission.dataset
            )
        target = step.target or current
        event = _record(session, submission, action, current, target, principal.username, comment)
        _tell_uploader(session, submission, event, principal.username)
        if reason is not None:
            session.flush()
            audit(
                session,
                principal.username,
                OVERRIDE,
                "submission",
                submission.id,
                utc_now(),
                event_id=event.id,
                step=action,
                uploader=submission.submitted_by,
                reason=reason,
            )
        if target is Status.PUBLISHED and submission.supersedes_id is not None:
            previous = session.get(Submission, submission.supersedes_id, with_for_update=True)
            if previous is not None:
                _record(
                    session,
                    previous,
                    "supersede",
                    Status(previous.status),
                    Status.SUPERSEDED,
                    principal.username,
                    f"corrected by submission {submission.id} (vintage {submission.vintage})",
                )
        return StepResult(submission.id, action, str(current), str(target), submission.locked, reason)


@cache
def reviewing_networks() -> dict[str, str]:
    """Country → the network that reviews its submissions before UNODC accepts them (the network's data say so)."""
    with NETWORKS.open(encoding="utf-8", newline="") as handle:
        return {row["iso3"]: row["network"] for row in csv.DictReader(handle) if row.get("review") == "regional"}


def _authorise(session: Session, principal: Principal, step: Step, submission: Submission) -> None:
    """The permission table's check, but where the submission's network reviews on the platform (its data say so and
    it has an active reviewer account): then its reviewer approves, and only an all-country role besides."""
    network = reviewing_networks().get(submission.country_iso3 or "")
    if network is not None and step.action in REGIONAL_STEPS:
        reviewers = select(User.id).where(
            User.role == str(Role.REGIONAL_REVIEWER), User.network == network, User.active
        )
        if session.scalar(reviewers.limit(1)) is not None:
            if principal.role is Role.REGIONAL_REVIEWER and principal.network == network:
                return
            if not allowed(principal, step.permission, None):
                require(principal, step.permission, submission.country_iso3, submission.dataset)
                raise RegionalReview(
                    f"{submission.country_iso3}'s submissions are approved by {network}'s regional review before "
                    f"UNODC accepts them: a {network} reviewer must {step.action} this one",
                    [{"network": network, "country": submission.country_iso3, "action": step.action}],
                )
    require(principal, step.permission, submission.country_iso3, submission.dataset)


def _check_queries(session: Session, submission_id: int, action: str) -> None:
    if action not in HELD_BY_QUERIES:
        return
    held = session.scalar(
        select(func.count())
        .select_from(ReviewQuery)
        .where(
            ReviewQuery.submission_id == submission_id,
            ReviewQuery.priority == "high",
            ReviewQuery.status.in_(HOLDING_STATUSES),
        )
    )
    if held:
        raise OpenReviewQueries(
            f"cannot {action} submission {submission_id}: {held} high-priority review "
            f"quer{'y is' if held == 1 else 'ies are'} open or answered; resolve or withdraw them first",
            [{"submission_id": submission_id, "action": action, "open_high_priority_queries": held}],
        )


def _tell_uploader(session: Session, submission: Submission, event: SubmissionEvent, actor: str) -> None:
    if event.action in STEP_MAILS:
        session.flush()
        payload = {"submission_id": submission.id, "dataset": submission.dataset, "country": submission.country_iso3}
        payload |= {"actor": actor, "comment": event.comment, "status": event.to_status}
        queue_mail(session, submission.submitted_by, STEP_MAILS[event.action], payload, f"step:{event.id}", utc_now())


def history(engine: Engine, submission_id: int) -> list[dict[str, object]]:
    """Every step of a submission, oldest first, each with the reason for overriding four eyes if one was given
    (the caller checks the principal may see the submission)."""
    query = select(SubmissionEvent).where(SubmissionEvent.submission_id == submission_id).order_by(SubmissionEvent.id)
    overrides = select(AuditEvent.detail).where(
        AuditEvent.entity == "submission", AuditEvent.entity_id == str(submission_id), AuditEvent.action == OVERRIDE
    )
    with engine.connect() as connection:
        reasons = {detail["event_id"]: detail["reason"] for detail in connection.scalars(overrides)}
        return [
            {
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "actor": e.actor,
                "comment": e.comment,
                "at": e.at,
                "override": reasons.get(e.id),
            }
            for e in connection.execute(query)
        ]


def _record(
    session: Session,
    submission: Submission,
    action: str,
    source: Status,
    target: Status,
    actor: str,
    comment: str | None,
) -> SubmissionEvent:
    submission.status = str(target)
    if target is Status.ACCEPTED:
        submission.locked = True
    event = SubmissionEvent(
        submission_id=submission.id,
        action=action,
        from_status=str(source),
        to_status=str(target),
        actor=actor,
        comment=comment,
    )
    session.add(event)
    return event
