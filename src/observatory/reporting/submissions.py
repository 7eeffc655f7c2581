"""Reading submissions back: lists and details, filtered by what the principal may see."""

from typing import Any

from sqlalchemy import Engine, func, select

from observatory.access.policy import Action, Principal, allowed
from observatory.errors import NotFound
from observatory.reporting.workflow import history
from observatory.store.reporting_schema import Observation
from observatory.store.schema import SourceFile, Submission

PUBLIC_STATUSES = ("published",)
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


def visible(principal: Principal, status: str, country: str | None, dataset: str) -> bool:
    if status in PUBLIC_STATUSES:
        return allowed(principal, Action.READ_PUBLISHED, country, dataset)
    return allowed(principal, Action.READ_UNPUBLISHED, country, dataset)


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
    return [row for row in rows if visible(principal, row["status"], row["country_iso3"], row["dataset"])]


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
    # A submission the principal may not see is reported as absent, not as forbidden: its existence is private.
    if row is None or not visible(principal, row.status, row.country_iso3, row.dataset):
        raise NotFound(f"no submission {submission_id}", [{"value": submission_id}])
    return {**row._asdict(), "values_stored": values, "history": history(engine, submission_id)}


def observations(
    engine: Engine,
    principal: Principal,
    submission_id: int,
    limit: int | None = None,
    offset: int = 0,
    observation_id: int | None = None,
) -> list[dict[str, Any]]:
    """The stored values of a submission in the order they were read (a page of them, or one of them)."""
    submission_detail(engine, principal, submission_id)
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
