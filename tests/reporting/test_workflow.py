"""The lifecycle through the service layer, on both engines, with the permission check inside it."""

import pytest
from sqlalchemy import Engine, select

from observatory.access.policy import Principal, Role
from observatory.errors import BadInput, Conflict, Forbidden
from observatory.reporting.workflow import apply_step, history
from observatory.store.engine import transaction
from observatory.store.migrate import upgrade
from observatory.store.schema import SourceFile, Submission

FOCAL_POINT = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
OTHER_FOCAL_POINT = Principal("jean", Role.FOCAL_POINT, frozenset({"SEN"}))
ANALYST = Principal("ines", Role.ANALYST)
REVIEWER = Principal("moussa", Role.REGIONAL_REVIEWER, network="WENDU")


def new_submission(engine: Engine, status: str = "validated", country: str = "GHA", **extra: object) -> int:
    upgrade(engine)
    with transaction(engine) as session:
        source = SourceFile(
            name="gha.csv", sha256=f"{status}{country}{len(extra)}".ljust(64, "0"), size_bytes=1, content=b"x"
        )
        session.add(source)
        session.flush()
        submission = Submission(
            dataset="annual-seizures",
            source_file_id=source.id,
            status=status,
            submitted_by="kofi",
            row_count=1,
            country_iso3=country,
            **extra,
        )
        session.add(submission)
        session.flush()
        return submission.id


def test_the_happy_path_locks_on_acceptance_and_keeps_the_history(engine: Engine) -> None:
    submission = new_submission(engine)
    apply_step(engine, FOCAL_POINT, submission, "approve")
    accepted = apply_step(engine, ANALYST, submission, "accept")
    published = apply_step(engine, ANALYST, submission, "publish")
    assert accepted.locked and published.to_status == "published"
    assert [(e["action"], e["from"], e["to"], e["actor"]) for e in history(engine, submission)] == [
        ("approve", "validated", "approved", "ama"),
        ("accept", "approved", "accepted", "ines"),
        ("publish", "accepted", "published", "ines"),
    ]


@pytest.mark.parametrize(
    ("principal", "action", "comment", "error"),
    [
        (OTHER_FOCAL_POINT, "approve", None, Forbidden),
        (REVIEWER, "approve", None, Forbidden),
        (ANALYST, "publish", None, Conflict),
        (FOCAL_POINT, "reject", None, BadInput),
        (FOCAL_POINT, "reject", "  ", BadInput),
        (FOCAL_POINT, "frobnicate", None, BadInput),
    ],
)
def test_steps_that_must_not_happen(
    engine: Engine, principal: Principal, action: str, comment: str | None, error: type[Exception]
) -> None:
    submission = new_submission(engine)
    with pytest.raises(error):
        apply_step(engine, principal, submission, action, comment)
    with engine.connect() as connection:
        assert connection.scalar(select(Submission.status).where(Submission.id == submission)) == "validated"
    assert history(engine, submission) == []


def test_a_regional_reviewer_can_reject_with_a_comment_within_the_network(engine: Engine) -> None:
    submission = new_submission(engine)
    result = apply_step(engine, REVIEWER, submission, "reject", "2021 cannabis herb total is 10× the 2020 one")
    assert result.to_status == "rejected"


def test_unapproval_returns_to_validated(engine: Engine) -> None:
    submission = new_submission(engine)
    apply_step(engine, FOCAL_POINT, submission, "approve")
    assert apply_step(engine, FOCAL_POINT, submission, "unapprove", "wrong unit in row 4").to_status == "validated"


def test_an_accepted_submission_cannot_be_unapproved_or_rejected(engine: Engine) -> None:
    submission = new_submission(engine, status="accepted", locked=True)
    for action in ("unapprove", "reject"):
        with pytest.raises(Conflict):
            apply_step(engine, FOCAL_POINT, submission, action, "late change")


def test_publishing_a_correction_supersedes_the_old_vintage(engine: Engine) -> None:
    old = new_submission(engine, status="published")
    new = new_submission(engine, status="accepted", supersedes_id=old, vintage=2)
    apply_step(engine, ANALYST, new, "publish")
    with engine.connect() as connection:
        statuses = dict(connection.execute(select(Submission.id, Submission.status)).all())
    assert statuses == {old: "superseded", new: "published"}
