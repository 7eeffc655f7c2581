"""Refused files, on both engines: kept for the retention time, then their bytes purged and the purge audited, while
submissions, reports and every file still in use stay whole."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.audit import utc_now
from observatory.access.policy import Principal, Role
from observatory.reference.release import load_packaged_release
from observatory.reporting.retention import PURGE, purge_refused_files
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.store.engine import transaction
from observatory.store.migrate import upgrade
from observatory.store.reporting_schema import SubmissionEvent
from observatory.store.schema import AuditEvent, Population, SourceFile, Submission

GHANA = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
REVIEWER = Principal("kwame", Role.FOCAL_POINT, frozenset({"GHA"}))
HEADER = "country,drug_group,drug_subgroup,drug,year,kilograms\n"
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids),Cannabis herb (marijuana),Cannabis herb (marijuana)"
INVALID = f"{HEADER}Narnia,Opioids,Opiates,Heroin,2023,-4\n".encode()
REJECTED = f"{HEADER}Ghana,{CANNABIS},2022,10\n".encode()
KEPT = f"{HEADER}Ghana,{CANNABIS},2023,1250.5\n".encode()
DAY = timedelta(days=1)


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    load_packaged_release(engine)
    return engine


def files(engine: Engine) -> dict[str, tuple[bytes, int, str]]:
    """Each stored file by name: its bytes, its recorded size and SHA-256."""
    with engine.connect() as connection:
        rows = connection.execute(select(SourceFile.name, SourceFile.content, SourceFile.size_bytes, SourceFile.sha256))
        return {row.name: (bytes(row.content), row.size_bytes, row.sha256) for row in rows}


def purges(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == PURGE)))


def refused_store(store: Engine, tmp_path: Path) -> dict[str, int]:
    """An invalid file, a file a reviewer rejected and a validated one; their submission ids by name."""
    invalid = submit_file(store, GHANA, INVALID, "invalid.csv", "annual-seizures", "GHA")
    rejected = submit_file(store, GHANA, REJECTED, "rejected.csv", "annual-seizures", "GHA")
    kept = submit_file(store, GHANA, KEPT, "kept.csv", "annual-seizures", "GHA")
    apply_step(store, REVIEWER, rejected.submission_id, "reject", "wrong year", analytics=tmp_path / "analytics")
    assert (invalid.status, kept.status) == ("invalid", "validated")
    return {
        "invalid.csv": invalid.submission_id,
        "rejected.csv": rejected.submission_id,
        "kept.csv": kept.submission_id,
    }


def test_refused_files_are_kept_for_the_retention_time(store: Engine, tmp_path: Path) -> None:
    refused_store(store, tmp_path)
    report = purge_refused_files(store, "cli:ops@host", 30, now=utc_now() + 29 * DAY)
    assert report.files == [] and purges(store) == []
    assert all(content for content, _, _ in files(store).values())


def test_then_their_bytes_are_purged_and_each_purge_is_audited(store: Engine, tmp_path: Path) -> None:
    submissions = refused_store(store, tmp_path)
    before = files(store)
    with store.connect() as connection:
        reports_before = {row.id: row.report for row in connection.execute(select(Submission.id, Submission.report))}
    report = purge_refused_files(store, "cli:ops@host", 30, now=utc_now() + 31 * DAY)
    assert sorted(file.name for file in report.files) == ["invalid.csv", "rejected.csv"]
    after = files(store)
    for name in ("invalid.csv", "rejected.csv"):
        assert after[name] == (b"", before[name][1], before[name][2])  # size and SHA-256 say what was there
    assert after["kept.csv"] == before["kept.csv"]
    with store.connect() as connection:
        submissions_after = dict(connection.execute(select(Submission.id, Submission.status)).all())
        reports_after = {row.id: row.report for row in connection.execute(select(Submission.id, Submission.report))}
    assert submissions_after == {
        submissions["invalid.csv"]: "invalid",
        submissions["rejected.csv"]: "rejected",
        submissions["kept.csv"]: "validated",
    }
    assert reports_after == reports_before
    audited = sorted((event.detail["name"], event.actor, event.entity) for event in purges(store))
    assert audited == [("invalid.csv", "cli:ops@host", "source_file"), ("rejected.csv", "cli:ops@host", "source_file")]
    assert {event.detail["submissions"][0] for event in purges(store)} == {
        submissions["invalid.csv"],
        submissions["rejected.csv"],
    }
    again = purge_refused_files(store, "cli:ops@host", 30, now=utc_now() + 32 * DAY)
    assert again.files == [] and len(purges(store)) == 2


def test_a_dry_run_lists_the_files_due_and_removes_nothing(store: Engine, tmp_path: Path) -> None:
    refused_store(store, tmp_path)
    before = files(store)
    report = purge_refused_files(store, "cli:ops@host", 0, dry_run=True, now=utc_now() + DAY)
    assert sorted(file.name for file in report.files) == ["invalid.csv", "rejected.csv"]
    assert report.to_json()["purged_files"] == 0
    assert files(store) == before and purges(store) == []


def test_the_clock_starts_when_the_file_was_refused_not_when_it_arrived(engine: Engine) -> None:
    """Uploaded 100 days ago, rejected 10 days ago: kept for 20 more days."""
    now = utc_now()
    submission = stored(engine, "late.csv", [("rejected", now - 100 * DAY, now - 10 * DAY)])
    assert purge_refused_files(engine, "ops", 30, now=now).files == []
    (due,) = purge_refused_files(engine, "ops", 30, now=now + 21 * DAY).files
    assert due.submissions == submission


def test_a_file_that_is_still_in_use_is_never_purged(engine: Engine) -> None:
    """A file rejected long ago but also published in another submission, and one the population came from."""
    long_ago = utc_now() - 400 * DAY
    stored(engine, "shared.csv", [("rejected", long_ago, long_ago), ("published", long_ago, long_ago)])
    stored(engine, "population.csv", [("invalid", long_ago, long_ago)])
    with transaction(engine) as session:
        source = session.scalars(select(SourceFile.id).where(SourceFile.name == "population.csv")).one()
        session.add(Population(country_iso3="GHA", year=2020, persons=1, source_file_id=source))
    assert purge_refused_files(engine, "ops", 30).files == []
    assert {name: content for name, (content, _, _) in files(engine).items()} == {
        "shared.csv": b"x",
        "population.csv": b"x",
    }


def stored(engine: Engine, name: str, submissions: list[tuple[str, datetime, datetime]]) -> list[int]:
    """A file with submissions of the given statuses, each uploaded and then moved to its status at given times."""
    upgrade(engine)
    ids = []
    with transaction(engine) as session:
        source = SourceFile(name=name, sha256=name.ljust(64, "0"), size_bytes=1, content=b"x")
        session.add(source)
        session.flush()
        for status, uploaded, moved in submissions:
            submission = Submission(
                dataset="annual-seizures",
                source_file_id=source.id,
                status=status,
                submitted_by="ama",
                row_count=1,
                country_iso3="GHA",
                created_at=uploaded,
            )
            session.add(submission)
            session.flush()
            session.add_all(
                [
                    SubmissionEvent(
                        submission_id=submission.id, action="upload", to_status="validated", actor="ama", at=uploaded
                    ),
                    SubmissionEvent(
                        submission_id=submission.id,
                        action="step",
                        from_status="validated",
                        to_status=status,
                        actor="kwame",
                        at=moved,
                    ),
                ]
            )
            ids.append(submission.id)
    return ids
