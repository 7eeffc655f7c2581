"""The lifecycle of a submission, one checked and recorded step at a time.

draft ─submit─► submitted ─acknowledge─► validated ─approve─► approved ─accept─► accepted ─publish─► published
   (validation with no warning goes straight to validated; with errors the submission is invalid)
reject (with a comment) from submitted, validated or approved → rejected
unapprove: approved → validated;  unpublish (with a comment): published → accepted, out of public view;
accept locks the submission;  publishing a correction (a later vintage)
marks the vintage it corrects as superseded, which stays readable.
"""

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.policy import Action, Principal, require
from observatory.analytics.refresh import refresh_analytics
from observatory.errors import BadInput, Conflict, NotFound
from observatory.store.engine import transaction
from observatory.store.reporting_schema import SubmissionEvent
from observatory.store.schema import Submission


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


STEPS = {
    step.action: step
    for step in (
        Step("acknowledge", frozenset({Status.SUBMITTED}), Status.VALIDATED, Action.SUBMIT, needs_comment=True),
        Step("approve", frozenset({Status.VALIDATED}), Status.APPROVED, Action.APPROVE),
        Step("unapprove", frozenset({Status.APPROVED}), Status.VALIDATED, Action.UNAPPROVE, needs_comment=True),
        Step(
            "reject",
            frozenset({Status.SUBMITTED, Status.VALIDATED, Status.APPROVED}),
            Status.REJECTED,
            Action.REJECT,
            needs_comment=True,
        ),
        Step("accept", frozenset({Status.APPROVED}), Status.ACCEPTED, Action.ACCEPT),
        Step("publish", frozenset({Status.ACCEPTED}), Status.PUBLISHED, Action.PUBLISH),
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


def apply_step(
    engine: Engine,
    principal: Principal,
    submission_id: int,
    action: str,
    comment: str | None = None,
    *,
    analytics: Path,
) -> StepResult:
    """Move a submission one step, if ``principal`` may and the step starts from its status; record who and why.

    The lifecycle owns what is served: once the step is committed, the analytics store under ``analytics`` is
    brought up to date, so a published submission is in every figure, page and API answer when this returns.
    """
    result = _step(engine, principal, submission_id, action, comment)
    refresh_analytics(engine, analytics)
    return result


def _step(engine: Engine, principal: Principal, submission_id: int, action: str, comment: str | None) -> StepResult:
    step = STEPS.get(action)
    if step is None:
        raise BadInput(f"unknown action {action!r}; actions: {', '.join(STEPS)}", [{"value": action}])
    with transaction(engine) as session:
        submission = session.get(Submission, submission_id, with_for_update=True)
        if submission is None:
            raise NotFound(f"no submission {submission_id}", [{"value": submission_id}])
        require(principal, step.permission, submission.country_iso3, submission.dataset)
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
        target = step.target or current
        _record(session, submission, action, current, target, principal.username, comment)
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
        return StepResult(submission.id, action, str(current), str(target), submission.locked)


def history(engine: Engine, submission_id: int) -> list[dict[str, object]]:
    query = select(SubmissionEvent).where(SubmissionEvent.submission_id == submission_id).order_by(SubmissionEvent.id)
    with engine.connect() as connection:
        return [
            {
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "actor": e.actor,
                "comment": e.comment,
                "at": e.at,
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
) -> None:
    submission.status = str(target)
    if target is Status.ACCEPTED:
        submission.locked = True
    session.add(
        SubmissionEvent(
            submission_id=submission.id,
            action=action,
            from_status=str(source),
            to_status=str(target),
            actor=actor,
            comment=comment,
        )
    )
