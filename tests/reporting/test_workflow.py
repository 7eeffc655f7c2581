"""The lifecycle through the service layer, on both engines, with the permission check inside it (four eyes and
the row locks have their own modules: ``test_four_eyes``, ``test_row_locks``)."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from observatory.access.policy import ANONYMOUS, Principal, Role
from observatory.analytics.observations import approved_rows
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.reporting.workflow import STEPS, apply_step, history
from observatory.store.engine import transaction
from observatory.store.migrate import upgrade
from observatory.store.schema import SourceFile, Submission

FOCAL_POINT = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
OTHER_FOCAL_POINT = Principal("jean", Role.FOCAL_POINT, frozenset({"SEN"}))
ANALYST = Principal("ines", Role.ANALYST)
REVIEWER = Principal("moussa", Role.REGIONAL_REVIEWER, network="WENDU")


def new_submission(
    engine: Engine, status: str = "validated", country: str = "GHA", submitted_by: str = "kofi", **extra: object
) -> int:
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
            submitted_by=submitted_by,
            row_count=1,
            country_iso3=country,
            **extra,
        )
        session.add(submission)
        session.flush()
        return submission.id


@pytest.fixture
def analytics(tmp_path: Path) -> Path:
    """The analytics store the lifecycle keeps current after each step."""
    return tmp_path / "analytics"


def served(analytics: Path) -> dict[int, str]:
    """The submissions the analytics store holds, with their status, as the lifecycle last wrote them."""
    return {row["submission_id"]: row["status"] for row in approved_rows(analytics)}


def test_the_happy_path_locks_on_acceptance_and_keeps_the_history(engine: Engine, analytics: Path) -> None:
    submission = new_submission(engine)
    apply_step(engine, FOCAL_POINT, submission, "approve", analytics=analytics)
    accepted = apply_step(engine, ANALYST, submission, "accept", analytics=analytics)
    published = apply_step(engine, ANALYST, submission, "publish", analytics=analytics)
    assert accepted.locked and published.to_status == "published"
    assert [(e["action"], e["from"], e["to"], e["actor"]) for e in history(engine, submission)] == [
        ("approve", "validated", "approved", "ama"),
        ("accept", "approved", "accepted", "ines"),
        ("publish", "accepted", "published", "ines"),
    ]


def test_each_step_brings_the_analytics_store_up_to_date(engine: Engine, analytics: Path) -> None:
    submission = new_submission(engine)
    apply_step(engine, FOCAL_POINT, submission, "approve", analytics=analytics)
    assert served(analytics) == {submission: "approved"}
    apply_step(engine, FOCAL_POINT, submission, "unapprove", "wrong unit in row 4", analytics=analytics)
    assert served(analytics) == {}
    apply_step(engine, FOCAL_POINT, submission, "approve", analytics=analytics)
    apply_step(engine, ANALYST, submission, "accept", analytics=analytics)
    apply_step(engine, ANALYST, submission, "publish", analytics=analytics)
    assert served(analytics) == {submission: "published"}


@pytest.mark.parametrize(
    ("principal", "action", "comment", "error"),
    [
        (OTHER_FOCAL_POINT, "approve", None, NotFound),  # Senegal's focal point does not see Ghana's submission
        (REVIEWER, "approve", None, Forbidden),  # the WENDU reviewer sees it, and may reject but not approve
        (ANALYST, "publish", None, Conflict),
        (ANALYST, "unpublish", "not published yet", Conflict),
        (FOCAL_POINT, "reject", None, BadInput),
        (FOCAL_POINT, "reject", "  ", BadInput),
        (FOCAL_POINT, "frobnicate", None, BadInput),
    ],
)
def test_steps_that_must_not_happen(
    engine: Engine,
    analytics: Path,
    principal: Principal,
    action: str,
    comment: str | None,
    error: type[Exception],
) -> None:
    submission = new_submission(engine)
    with pytest.raises(error):
        apply_step(engine, principal, submission, action, comment, analytics=analytics)
    with engine.connect() as connection:
        assert connection.scalar(select(Submission.status).where(Submission.id == submission)) == "validated"
    assert history(engine, submission) == []
    assert not analytics.exists()  # a refused step refreshes nothing


def test_a_regional_reviewer_can_reject_with_a_comment_within_the_network(engine: Engine, analytics: Path) -> None:
    submission = new_submission(engine)
    result = apply_step(
        engine, REVIEWER, submission, "reject", "2021 cannabis herb total is 10× the 2020 one", analytics=analytics
    )
    assert result.to_status == "rejected"


def test_unapproval_returns_to_validated(engine: Engine, analytics: Path) -> None:
    submission = new_submission(engine)
    apply_step(engine, FOCAL_POINT, submission, "approve", analytics=analytics)
    result = apply_step(engine, FOCAL_POINT, submission, "unapprove", "wrong unit in row 4", analytics=analytics)
    assert result.to_status == "validated"


def test_an_accepted_submission_cannot_be_unapproved_or_rejected(engine: Engine, analytics: Path) -> None:
    submission = new_submission(engine, status="accepted", locked=True)
    for action in ("unapprove", "reject"):
        with pytest.raises(Conflict):
            apply_step(engine, FOCAL_POINT, submission, action, "late change", analytics=analytics)


def test_unpublishing_returns_to_accepted_still_locked_and_needs_a_reason(engine: Engine, analytics: Path) -> None:
    submission = new_submission(engine, status="published", locked=True)
    with pytest.raises(BadInput, match="comment"):
        apply_step(engine, ANALYST, submission, "unpublish", " ", analytics=analytics)
    with pytest.raises(Forbidden):
        apply_step(engine, FOCAL_POINT, submission, "unpublish", "withdrawn", analytics=analytics)
    result = apply_step(engine, ANALYST, submission, "unpublish", "a value to correct", analytics=analytics)
    assert (result.from_status, result.to_status, result.locked) == ("published", "accepted", True)
    assert served(analytics) == {submission: "accepted"}
    assert [(e["action"], e["from"], e["to"], e["comment"]) for e in history(engine, submission)] == [
        ("unpublish", "published", "accepted", "a value to correct")
    ]
    apply_step(engine, ANALYST, submission, "publish", analytics=analytics)  # and can be published again
    assert served(analytics) == {submission: "published"}


def test_publishing_a_correction_supersedes_the_old_vintage(engine: Engine, analytics: Path) -> None:
    old = new_submission(engine, status="published")
    new = new_submission(engine, status="accepted", supersedes_id=old, vintage=2)
    apply_step(engine, ANALYST, new, "publish", analytics=analytics)
    with engine.connect() as connection:
        statuses = dict(connection.execute(select(Submission.id, Submission.status)).all())
    assert statuses == {old: "superseded", new: "published"}
    assert served(analytics) == {new: "published"}  # the superseded vintage leaves the analytics store


@pytest.mark.parametrize("action", list(STEPS))
@pytest.mark.parametrize("principal", [OTHER_FOCAL_POINT, ANONYMOUS], ids=lambda p: p.username)
def test_a_submission_one_may_not_see_answers_as_a_missing_one(
    engine: Engine, analytics: Path, principal: Principal, action: str
) -> None:
    hidden = new_submission(engine)
    missing = hidden + 1000

    def refusal(submission_id: int) -> tuple[str, int, str, list[dict[str, object]]]:
        with pytest.raises(NotFound) as refused:
            apply_step(engine, principal, submission_id, action, "why", analytics=analytics, override="why")
        error = refused.value
        return error.code, error.status, error.message.replace(str(submission_id), "ID"), error.details

    assert refusal(hidden)[:3] == refusal(missing)[:3] == ("not-found", 404, "no submission ID")
    assert refusal(hidden)[3] == [{"value": hidden}] and refusal(missing)[3] == [{"value": missing}]
    assert history(engine, hidden) == []
