"""Four eyes in the lifecycle, on both engines: who uploaded a submission does not approve or publish it; an
administrator may, by giving the reason, which the audit trail keeps and the submission shows."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from observatory.access.policy import FourEyes, Principal, Role
from observatory.reporting.submissions import submission_detail
from observatory.reporting.workflow import OVERRIDE, apply_step, history
from observatory.store.schema import AuditEvent, Submission
from tests.reporting.test_workflow import new_submission

GHANA = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
OTHER_GHANA = Principal("kwame", Role.FOCAL_POINT, frozenset({"GHA"}))
ANALYST = Principal("ines", Role.ANALYST)
ADMIN = Principal("root", Role.ADMIN)
REASON = "the focal point is on leave until the round closes"

#: (the step, the status it starts from, who takes it, whether they uploaded it, override) → refused or not.
CASES = [
    ("approve", "validated", GHANA, True, None, True),
    ("approve", "validated", GHANA, True, REASON, True),  # a focal point cannot override
    ("approve", "validated", GHANA, False, None, False),
    ("approve", "validated", ADMIN, True, None, True),
    ("approve", "validated", ADMIN, True, "   ", True),
    ("approve", "validated", ADMIN, True, REASON, False),
    ("approve", "validated", ADMIN, False, None, False),
    ("publish", "accepted", ANALYST, True, None, True),
    ("publish", "accepted", ANALYST, True, REASON, True),
    ("publish", "accepted", ANALYST, False, None, False),
    ("publish", "accepted", ADMIN, True, None, True),
    ("publish", "accepted", ADMIN, True, REASON, False),
    # the other steps are the uploader's to take (acknowledging warnings) or not four-eyes steps
    ("acknowledge", "submitted", GHANA, True, None, False),
    ("accept", "approved", ADMIN, True, None, False),
]


@pytest.mark.parametrize(("action", "status", "principal", "uploaded", "override", "refused"), CASES)
def test_four_eyes(
    engine: Engine,
    tmp_path: Path,
    action: str,
    status: str,
    principal: Principal,
    uploaded: bool,
    override: str | None,
    refused: bool,
) -> None:
    uploader = principal.username if uploaded else "kofi"
    submission = new_submission(engine, status, submitted_by=uploader)
    comment = "warnings read" if action == "acknowledge" else None
    if refused:
        with pytest.raises(FourEyes) as error:
            apply_step(engine, principal, submission, action, comment, analytics=tmp_path, override=override)
        assert (error.value.status, error.value.code) == (403, "four-eyes")
        assert f"{principal.username} uploaded this submission" in error.value.message
        assert history(engine, submission) == [] and status_of(engine, submission) == status
        return
    result = apply_step(engine, principal, submission, action, comment, analytics=tmp_path, override=override)
    assert result.action == action and status_of(engine, submission) == result.to_status
    assert result.override == (override if uploaded and override else None)


def test_an_override_is_kept_in_the_audit_trail_and_shown_with_the_step(engine: Engine, tmp_path: Path) -> None:
    submission = new_submission(engine, submitted_by=ADMIN.username)
    apply_step(engine, ADMIN, submission, "approve", analytics=tmp_path, override=f"  {REASON} ")
    apply_step(engine, ANALYST, submission, "accept", analytics=tmp_path)
    apply_step(engine, ANALYST, submission, "publish", analytics=tmp_path, override="not needed: not recorded")
    with engine.connect() as connection:
        (event,) = connection.execute(select(AuditEvent).where(AuditEvent.action == OVERRIDE)).all()
    assert (event.actor, event.entity, event.entity_id) == ("root", "submission", str(submission))
    assert {k: event.detail[k] for k in ("step", "uploader", "reason")} == {
        "step": "approve",
        "uploader": "root",
        "reason": REASON,
    }
    detail = submission_detail(engine, ADMIN, submission)
    assert [(e["action"], e["actor"], e["override"]) for e in detail["history"]] == [
        ("approve", "root", REASON),
        ("accept", "ines", None),
        ("publish", "ines", None),
    ]
    assert [(o["action"], o["actor"], o["reason"]) for o in detail["four_eyes_overrides"]] == [
        ("approve", "root", REASON)
    ]


def test_someone_else_of_the_same_country_approves(engine: Engine, tmp_path: Path) -> None:
    submission = new_submission(engine, submitted_by=GHANA.username)
    with pytest.raises(FourEyes):
        apply_step(engine, GHANA, submission, "approve", analytics=tmp_path)
    assert apply_step(engine, OTHER_GHANA, submission, "approve", analytics=tmp_path).to_status == "approved"


def status_of(engine: Engine, submission: int) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(select(Submission.status).where(Submission.id == submission))
