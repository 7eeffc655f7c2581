"""Receiving a file for a data set: keep the bytes, check them, and record the values in one transaction.

A file with errors is kept, with its report, as an ``invalid`` submission and no values; a file with warnings
only waits in ``submitted`` until someone acknowledges them with a comment; a clean file is ``validated``.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from observatory.access.policy import Action, Principal, require
from observatory.errors import BadInput, Conflict, NotFound
from observatory.reporting.declaration import Declaration, Severity, declaration
from observatory.reporting.readers import NoReaderFound
from observatory.reporting.validation.problems import Problem
from observatory.reporting.validation.report import Report
from observatory.reporting.validation.run import Outcome, check_file
from observatory.reporting.validation.typed_records import Checked
from observatory.reporting.values import Missing, NotApplicable, Observed, Period, Value, Zero, number
from observatory.reporting.workflow import Status
from observatory.store.engine import transaction
from observatory.store.reporting_schema import Observation, SubmissionEvent
from observatory.store.schema import ReferenceRelease, SourceFile, Submission

APPROVED = ("approved", "accepted", "published")


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
) -> SubmitResult:
    """Check ``data`` as ``dataset`` and record it; ``country`` given means every row must be that country.

    ``layout`` names one of the data set's declared layouts when a file fits several equally.
    """
    plan = declaration(dataset)
    require(principal, Action.UPLOAD, country, dataset)
    outcome = _check(engine, data, name, plan, country, layout)
    problems = [*outcome.report.problems, *_foreign_rows(outcome.records, country)]
    countries = sorted({code for record in outcome.records if (code := record.codes.get("country"))})
    for code in countries if country is None else [country]:
        require(principal, Action.UPLOAD, code, dataset)
    report = Report.of(problems, outcome.report.rows)
    status = Status.INVALID if report.errors else Status.SUBMITTED if report.warnings else Status.VALIDATED
    with transaction(engine) as session:
        previous = _corrected(session, corrects, dataset, country)
        source = _source_file(session, name, data)
        submission = Submission(
            dataset=dataset,
            source_file_id=source.id,
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
        rows = [] if report.errors else list(observation_rows(plan, outcome.records, submission.id))
        if rows:
            session.execute(insert(Observation), rows)
        return SubmitResult(submission.id, dataset, str(status), len(rows), report.to_json())


def observation_rows(plan: Declaration, records: Iterable[Checked], submission_id: int) -> Iterator[dict[str, Any]]:
    """One row per data element of each record, with its dimensions and the state of its value."""
    dimension_ids = [f.id for f in (*plan.dimensions, *plan.attributes) if f.id not in ("country", "year")]
    for record in records:
        year = record.values.get("year")
        dimensions = {name: _plain(record.values[name]) for name in dimension_ids if name in record.values}
        for element in plan.elements:
            value = record.values.get(element.id)
            if value is None:
                continue
            position = record.position(element.id)
            yield {
                "submission_id": submission_id,
                "dataset": plan.id,
                "element": element.id,
                "country_iso3": record.codes.get("country"),
                "year": _year(year),
                "dimensions": dimensions,
                "value": number(value),
                "value_text": _text(value),
                "value_state": _state(value),
                "missing_reason": value.reason.value if isinstance(value, Missing) else None,
                "unit": record.codes.get(f"{element.id}_unit") or element.unit,
                "source_row": record.row,
                "source_column": position.reference if position else None,
            }


def _check(
    engine: Engine, data: bytes, name: str, plan: Declaration, country: str | None, layout: str | None
) -> Outcome:
    try:
        return check_file(data, name, plan, layout, history=approved_history(engine, plan.id, country))
    except NoReaderFound as exc:
        problem = Problem("unreadable-file", Severity.ERROR, None, None, None, exc.message)
        return Outcome((), Report.of([problem], 0))


def _foreign_rows(records: Iterable[Checked], country: str | None) -> Iterator[Problem]:
    if country is None:
        return
    for record in records:
        code = record.codes.get("country")
        if code is not None and code != country:
            position = record.position("country")
            yield Problem(
                "country-mismatch",
                Severity.ERROR,
                record.row,
                position.heading if position else "country",
                code,
                f"this submission is for {country}, but row {record.row} is for {code}",
            )


def approved_history(engine: Engine, dataset: str, country: str | None) -> list[dict[str, Any]]:
    """Approved values of ``dataset`` (for ``country``) as rows keyed by field id, one row per value."""
    query = (
        select(
            Observation.country_iso3, Observation.year, Observation.element, Observation.value, Observation.dimensions
        )
        .join(Submission, Submission.id == Observation.submission_id)
        .where(Observation.dataset == dataset, Submission.status.in_(APPROVED), Observation.value.is_not(None))
    )
    if country is not None:
        query = query.where(Observation.country_iso3 == country)
    with engine.connect() as connection:
        return [
            {**row.dimensions, "country": row.country_iso3, "year": row.year, row.element: row.value}
            for row in connection.execute(query)
        ]


def _corrected(session: Session, corrects: int | None, dataset: str, country: str | None) -> Submission | None:
    if corrects is None:
        return None
    previous = session.get(Submission, corrects)
    if previous is None:
        raise NotFound(f"no submission {corrects} to correct", [{"value": corrects}])
    if previous.dataset != dataset or previous.country_iso3 != country:
        raise BadInput(f"submission {corrects} is {previous.dataset} for {previous.country_iso3}, not this file's")
    if previous.status != Status.PUBLISHED:
        raise Conflict(f"submission {corrects} is {previous.status}: only a published submission takes a correction")
    return previous


def _source_file(session: Session, name: str, data: bytes) -> SourceFile:
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalars(select(SourceFile).where(SourceFile.sha256 == digest)).first()
    if existing is not None:
        return existing
    source = SourceFile(name=name, sha256=digest, size_bytes=len(data), content=data)
    session.add(source)
    session.flush()
    return source


def _state(value: Value) -> str:
    return value.state


def _year(value: Value | None) -> int | None:
    if isinstance(value, Observed):
        if isinstance(value.value, Period):
            return value.value.start
        if isinstance(value.value, int | float):
            return int(value.value)
    return None


def _text(value: Value) -> str | None:
    if isinstance(value, Observed) and number(value) is None:
        return value.value.label if isinstance(value.value, Period) else str(value.value)
    return None


def _plain(value: Value) -> object:
    if isinstance(value, Observed | Zero):
        inner = value.value
        return (
            inner.label if isinstance(inner, Period) else inner if isinstance(inner, int | float | str) else str(inner)
        )
    return None if isinstance(value, NotApplicable | Missing) else str(value)
