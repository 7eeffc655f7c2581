"""Refused files: their bytes are kept for a while, then purged; the submissions and their reports stay.

A file is refused when every submission of it ended ``invalid`` (errors found on receipt) or ``rejected`` (by a
reviewer); neither status has a way out. Its bytes are kept ``refused_file_days`` (the setting, 30 by default)
after the last of its submissions was refused, for the provider and the reviewers to look at, then
``purge_refused_files`` empties ``source_file.content``. The row keeps the file's name, size and SHA-256; each
submission keeps its validation report and history; each purge appends one ``purge-refused-file`` event to the
audit trail, naming the file, its submissions and when they were refused. A file that is also a population load,
or the file of a submission in any other status, is never purged. A purged file is one whose ``content`` is empty
while ``size_bytes`` is not.

It runs from ``observatory purge-refused`` (cron or a systemd timer, daily); the web app does not run it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.orm import Session

from observatory.access.audit import audit, utc_now
from observatory.reporting.workflow import Status
from observatory.store.engine import transaction
from observatory.store.reporting_schema import SubmissionEvent
from observatory.store.schema import Population, SourceFile, Submission

#: The final statuses of a refused submission.
REFUSED = (str(Status.INVALID), str(Status.REJECTED))
#: The audit event of one purged file.
PURGE = "purge-refused-file"


@dataclass(frozen=True, slots=True)
class RefusedFile:
    source_file_id: int
    name: str
    sha256: str
    size_bytes: int
    submissions: list[int]
    #: When the last of its submissions was refused.
    refused_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "source_file_id": self.source_file_id,
            "name": self.name,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "submissions": self.submissions,
            "refused_at": self.refused_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class PurgeReport:
    retention_days: int
    #: Files refused before this moment were due.
    cutoff: datetime
    dry_run: bool
    files: list[RefusedFile]

    def to_json(self) -> dict[str, Any]:
        return {
            "retention_days": self.retention_days,
            "cutoff": self.cutoff.isoformat(),
            "dry_run": self.dry_run,
            "purged_files": 0 if self.dry_run else len(self.files),
            "purged_bytes": 0 if self.dry_run else sum(file.size_bytes for file in self.files),
            "files": [file.to_json() for file in self.files],
        }


def purge_refused_files(
    engine: Engine, actor: str, retention_days: int, *, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """Empty the bytes of every file refused more than ``retention_days`` ago and audit each, in one transaction;
    with ``dry_run``, only say which files are due."""
    now = now or utc_now()
    cutoff = now - timedelta(days=retention_days)
    if dry_run:
        with Session(engine) as session:
            return PurgeReport(retention_days, cutoff, True, due_files(session, cutoff))
    with transaction(engine) as session:
        due = due_files(session, cutoff)
        for file in due:
            session.execute(update(SourceFile).where(SourceFile.id == file.source_file_id).values(content=b""))
            audit(
                session,
                actor,
                PURGE,
                "source_file",
                file.source_file_id,
                now,
                **file.to_json(),
                retention_days=retention_days,
            )
    return PurgeReport(retention_days, cutoff, False, due)


def due_files(session: Session, cutoff: datetime) -> list[RefusedFile]:
    """Files still holding bytes whose submissions were all refused, the last of them before ``cutoff``."""
    kept = select(Submission.source_file_id).where(Submission.status.not_in(REFUSED))
    loads = select(Population.source_file_id)
    candidates = session.execute(
        select(Submission.id, Submission.source_file_id, Submission.created_at)
        .join(SourceFile, SourceFile.id == Submission.source_file_id)
        .where(
            Submission.status.in_(REFUSED),
            func.length(SourceFile.content) > 0,
            Submission.source_file_id.not_in(kept),
            Submission.source_file_id.not_in(loads),
        )
    ).all()
    refused = _refused_at(session, [row.id for row in candidates])
    by_file: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for row in candidates:
        by_file[row.source_file_id].append((row.id, refused.get(row.id) or _utc(row.created_at)))
    due = {file: entries for file, entries in by_file.items() if max(at for _, at in entries) < cutoff}
    if not due:
        return []
    files = session.execute(
        select(SourceFile.id, SourceFile.name, SourceFile.sha256, SourceFile.size_bytes)
        .where(SourceFile.id.in_(due))
        .order_by(SourceFile.id)
    ).all()
    return [
        RefusedFile(
            row.id,
            row.name,
            row.sha256,
            row.size_bytes,
            sorted(submission for submission, _ in due[row.id]),
            max(at for _, at in due[row.id]),
        )
        for row in files
    ]


def _refused_at(session: Session, submission_ids: list[int]) -> dict[int, datetime]:
    """When each submission entered its refused status: its upload (invalid) or the reject step."""
    if not submission_ids:
        return {}
    query = (
        select(SubmissionEvent.submission_id, func.max(SubmissionEvent.at))
        .where(
            SubmissionEvent.submission_id.in_(submission_ids),
            SubmissionEvent.to_status.in_(REFUSED),
            or_(SubmissionEvent.from_status.is_(None), SubmissionEvent.from_status != SubmissionEvent.to_status),
        )
        .group_by(SubmissionEvent.submission_id)
    )
    return {submission: _utc(at) for submission, at in session.execute(query)}


def _utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
