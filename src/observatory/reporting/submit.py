"""Receiving a file for a data set: keep the bytes, check them, and record the values in one transaction.

A file with errors is kept, with its report, as an ``invalid`` submission and no values; a file with warnings
only waits in ``submitted`` until someone acknowledges them with a comment; a clean file is ``validated``. The
same bytes for the same data set and country make one submission; a second upload of them is refused (409).
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from observatory.access.policy import Action, Principal, may_read, require
from observatory.errors import BadInput, Conflict, NotFound
from observatory.reporting import upload_limits
from observatory.reporting.bulk_store import store_rows
from observatory.reporting.declaration import Declaration, Severity, declaration
from observatory.reporting.intake import keep_file
from observatory.reporting.isolation import check_isolated
from observatory.reporting.mapping.model import FileMapping
from observatory.reporting.mapping.saved import record_use
from observatory.reporting.observation_table import observation_rows
from observatory.reporting.overlap import overlapping
from observatory.reporting.readers import NoReaderFound
from observatory.reporting.upload_limits import UploadLimits
from observatory.reporting.validation.checked_batch import CheckedBatch, given
from observatory.reporting.validation.problems import Problem
from observatory.reporting.validation.report import Report
from observatory.reporting.validation.run import Outcome
from observatory.reporting.workflow import Status
from observatory.store.engine import transaction
from observatory.store.reporting_schema import Observation, SubmissionEvent, UploadKey
from observatory.store.schema import ReferenceRelease, Submission
from observatory.store.serving import SNAPSHOT_STATUSES


@dataclass(frozen=True, slots=True)
class SubmitResult:
    submission_id: int
    dataset: str
    status: str
    values_stored: int
    report: dict[str, Any]


def submit_file(
    engine: Engine,
    principal: Principal,
    data: bytes,
    name: str,
    dataset: str,
    country: str | None = None,
    corrects: int | None = None,
    layout: str | None = None,
    limits: UploadLimits | None = None,
    mapping: FileMapping | None = None,
    dry_run: bool = False,
) -> SubmitResult:
    """Check ``data`` as ``dataset`` and record it; ``country`` given means every row must be that country.

    ``layout`` names one of the data set's declared layouts when a file fits several equally. The file is checked
    completely before anything is written; its values are then written in bulk, batch by batch, in the one
    transaction that records the submission.

    A file is submitted once: the same bytes again for the same data set and country raise ``DuplicateUpload``
    (409), naming the submission they made, even when several arrive at once (``UploadKey``). With ``limits``, an
    upload past the user's share raises ``UploadRateLimited`` or ``UploadQuotaExceeded`` (429, with the seconds to
    wait); nothing is kept of a refused upload.

    With ``mapping``, the file is read through it; the mapping is kept (a new version if it changed) and recorded
    with the submission, so next year's file can be read the same way.
    ``dry_run`` checks the file exactly so and records nothing, not even an invalid submission (``submission_id``
    0). A file whose values overlap a published submission's cells (``reporting.overlap``) must correct it.
    """
    plan = declaration(dataset)
    require(principal, Action.UPLOAD, country, dataset)
    key = _upload_key(dataset, country, data)
    with Session(engine) as session:  # refusals that cost nothing, before the file is checked
        _refuse_duplicate(session, key)
        if limits is not None:
            upload_limits.check(session, principal.username, len(data), limits, datetime.now(UTC))
    countries = CountryCheck(country)
    outcome = _check(engine, data, name, plan, country, layout, countries, mapping)
    for code in sorted(countries.found) if country is None else [country]:
        require(principal, Action.UPLOAD, code, dataset)
    report = outcome.report
    if not report.errors:
        report = Report.of([*report.problems, *overlapping(engine, plan, outcome, corrects)], report.rows)
    status = Status.INVALID if report.errors else Status.SUBMITTED if report.warnings else Status.VALIDATED
    if dry_run:
        return SubmitResult(0, dataset, str(status), 0, report.to_json())
    try:
        with transaction(engine) as session:
            upload_limits.lock_user(session, principal.username)
            _refuse_duplicate(session, key)
            if limits is not None:
                upload_limits.check(session, principal.username, len(data), limits, datetime.now(UTC))
            previous = _corrected(session, principal, corrects, dataset, country)
            source_id, _ = keep_file(session, name, data)
            submission = Submission(
                dataset=dataset,
                source_file_id=source_id,
                status=str(status),
                submitted_by=principal.username,
                row_count=report.rows,
                country_iso3=country,
                vintage=previous.vintage + 1 if previous else 1,
                supersedes_id=previous.id if previous else None,
                report=report.to_json(),
                reference_release_id=session.scalar(select(func.max(ReferenceRelease.id))),
            )
            session.add(submission)
            session.flush()
            if mapping is not None:
                record_use(session, principal.username, submission.id, mapping, country)
            # Claimed before any value is written: another upload of these bytes under way (PostgreSQL) waits here
            # until this transaction ends, then fails on the key.
            session.add(UploadKey(**key, submission_id=submission.id))
            session.add(
                SubmissionEvent(
                    submission_id=submission.id,
                    action="upload",
                    from_status=None,
                    to_status=str(status),
                    actor=principal.username,
                    comment=name,
                )
            )
            session.flush()
            stored = 0
            if not report.errors:
                for checked in outcome.checked():
                    stored += store_rows(session, observation_rows(plan, checked, submission.id))
            return SubmitResult(submission.id, dataset, str(status), stored, report.to_json())
    except IntegrityError:
        # On PostgreSQL, an upload of the same bytes that committed first: its key made this insert wait, then fail.
        with Session(engine) as session:
            _refuse_duplicate(session, key)
        raise


class DuplicateUpload(Conflict):
    """409: these bytes were already submitted for this data set and country; ``details`` name the submission."""

    code = "duplicate-upload"


def _upload_key(dataset: str, country: str | None, data: bytes) -> dict[str, str]:
    return {"dataset": dataset, "scope": country or "*", "sha256": hashlib.sha256(data).hexdigest()}


def _refuse_duplicate(session: Session, key: dict[str, str]) -> None:
    existing = session.scalars(
        select(Submission)
        .join(UploadKey, UploadKey.submission_id == Submission.id)
        .where(*(getattr(UploadKey, column) == value for column, value in key.items()))
    ).one_or_none()
    if existing is None:
        return
    where = existing.country_iso3 or "several countries"
    raise DuplicateUpload(
        f"this file was already uploaded for {existing.dataset} ({where}): it is submission {existing.id}, "
        f"{existing.status}; a file is submitted once, so change what needs changing and upload the new file",
        [
            {
                "submission_id": existing.id,
                "status": existing.status,
                "dataset": existing.dataset,
                "country": existing.country_iso3,
                "sha256": key["sha256"],
            }
        ],
    )


class CountryCheck:
    """The countries a file's rows are for; with ``country`` given, an error for each row of another country."""

    def __init__(self, country: str | None) -> None:
        self.country = country
        self.found: set[str] = set()

    def __call__(self, checked: CheckedBatch) -> Iterator[Problem]:
        codes = checked.codes.get("country")
        if codes is None:
            return
        self.found.update(code for code in set(codes.tolist()) if code)
        if self.country is None:
            return
        for index in np.flatnonzero(given(codes) & (codes != self.country)).tolist():
            code, row = codes[index], int(checked.batch.rows[index])
            position = checked.batch.position("country", index)
            yield Problem(
                "country-mismatch",
                Severity.ERROR,
                row,
                position.heading if position else "country",
                code,
                f"this submission is for {self.country}, but row {row} is for {code}",
            )


def _check(
    engine: Engine,
    data: bytes,
    name: str,
    plan: Declaration,
    country: str | None,
    layout: str | None,
    countries: CountryCheck,
    mapping: FileMapping | None = None,
) -> Outcome:
    history = approved_history(engine, plan.id, country) if plan.outliers is not None else []
    try:
        # In a worker process with a memory and time budget: a hostile file gets a report, not the server.
        return check_isolated(data, name, plan, layout, history=history, checks=[countries], mapping=mapping)
    except NoReaderFound as exc:
        problem = Problem("unreadable-file", Severity.ERROR, None, None, None, exc.message)
        return Outcome(Report.of([problem], 0))


def approved_history(engine: Engine, dataset: str, country: str | None) -> list[dict[str, Any]]:
    """Approved values of ``dataset`` (for ``country``) as rows keyed by field id, one row per value."""
    query = (
        select(
            Observation.country_iso3, Observation.year, Observation.element, Observation.value, Observation.dimensions
        )
        .join(Submission, Submission.id == Observation.submission_id)
        .where(Observation.dataset == dataset, Submission.status.in_(SNAPSHOT_STATUSES), Observation.value.is_not(None))
    )
    if country is not None:
        query = query.where(Observation.country_iso3 == country)
    with engine.connect() as connection:
        return [
            {**row.dimensions, "country": row.country_iso3, "year": row.year, row.element: row.value}
            for row in connection.execute(query)
        ]


def _corrected(
    session: Session, principal: Principal, corrects: int | None, dataset: str, country: str | None
) -> Submission | None:
    if corrects is None:
        return None
    previous = session.get(Submission, corrects)
    # One answer for a submission that is missing and one the principal may not see, so ids cannot be probed.
    if previous is None or not may_read(principal, previous.status, previous.country_iso3, previous.dataset):
        raise NotFound(f"no submission {corrects} to correct", [{"value": corrects}])
    if previous.dataset != dataset or previous.country_iso3 != country:
        raise BadInput(f"submission {corrects} is {previous.dataset} for {previous.country_iso3}, not this file's")
    if previous.status != Status.PUBLISHED:
        raise Conflict(f"submission {corrects} is {previous.status}: only a published submission takes a correction")
    return previous
