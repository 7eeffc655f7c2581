"""Reading submissions back: lists and details, filtered by what the principal may see."""

from typing import Any

from sqlalchemy import Engine, func, select

from observatory.access.policy import Principal, may_read
from observatory.errors import NotFound
from observatory.reporting.workflow import history
from observatory.store.reporting_schema import Observation
from observatory.store.schema import SourceFile, Submission

SUMMARY_COLUMNS = (
    Submission.id,
    Submission.dataset,
    Submission.country_iso3,
    Submission.status,
    Submission.vintage,
    Submission.supersedes_id,
    Submission.locked,
    Submission.submitted_by,
    Submission.row_count,
    Submission.created_at,
    SourceFile.name.label("file"),
    SourceFile.sha256,
)


def list_submissions(
    engine: Engine, principal: Principal, dataset: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    query = select(*SUMMARY_COLUMNS).join(SourceFile, SourceFile.id == Submission.source_file_id)
    if dataset:
        query = query.where(Submission.dataset == dataset)
    if status:
        query = query.where(Submission.status == status)
    with engine.connect() as connection:
        rows = [row._asdict() for row in connection.execute(query.order_by(Submission.id.desc()))]
    return [row for row in rows if may_read(principal, row["status"], row["country_iso3"], row["dataset"])]


def visible_submission(engine: Engine, principal: Principal, submission_id: int | None) -> None:
    """``NotFound`` unless the submission exists and the principal may see it.

    A submission the principal may not see is reported as absent, not as forbidden: its existence is private."""
    query = select(Submission.status, Submission.country_iso3, Submission.dataset).where(Submission.id == submission_id)
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None or not may_read(principal, row.status, row.country_iso3, row.dataset):
        raise NotFound(f"no submission {submission_id}", [{"value": submission_id}])


def submission_detail(engine: Engine, principal: Principal, submission_id: int) -> dict[str, Any]:
    """A submission with its validation report, its history and how many values it stored."""
    query = (
        select(*SUMMARY_COLUMNS, Submission.report)
        .join(SourceFile, SourceFile.id == Submission.source_file_id)
        .where(Submission.id == submission_id)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
        values = connection.scalar(select(func.count()).where(Observation.submission_id == submission_id))
    # As in ``visible_submission``: a submission the principal may not see is absent.
    if row is None or not may_read(principal, row.status, row.country_iso3, row.dataset):
        raise NotFound(f"no submission {submission_id}", [{"value": submission_id}])
    steps = history(engine, submission_id)
    overrides = [
        {"action": e["action"], "actor": e["actor"], "reason": e["override"], "at": e["at"]}
        for e in steps
        if e["override"] is not None
    ]
    return {**row._asdict(), "values_stored": values, "history": steps, "four_eyes_overrides": overrides}


def observations(
    engine: Engine,
    principal: Principal,
    submission_id: int,
    limit: int | None = None,
    offset: int = 0,
    observation_id: int | None = None,
) -> list[dict[str, Any]]:
    """The stored values of a submission in the order they were read (a page of them, or one of them)."""
    visible_submission(engine, principal, submission_id)
    query = (
        select(
            Observation.id,
            Observation.source_row,
            Observation.source_column,
            Observation.country_iso3,
            Observation.year,
            Observation.element,
            Observation.dimensions,
            Observation.value,
            Observation.value_text,
            Observation.value_state,
            Observation.missing_reason,
            Observation.unit,
        )
        .where(Observation.submission_id == submission_id)
        .order_by(Observation.id)
        .limit(limit)
        .offset(offset)
    )
    if observation_id is not None:
        query = query.where(Observation.id == observation_id)
    with engine.connect() as connection:
        return [row._asdict() for row in connection.execute(query)]
