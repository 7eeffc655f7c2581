"""Uploads refused before anything is kept: the same file twice (409) and a user past the upload limits (429)."""

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from observatory.access.policy import Principal, Role
from observatory.access.users import create_user, issue_token
from observatory.demo import initialise
from observatory.errors import BadInput
from observatory.reporting import upload_limits
from observatory.reporting.submit import DuplicateUpload, submit_file
from observatory.reporting.upload_limits import UploadLimits, UploadQuotaExceeded, UploadRateLimited
from observatory.settings import Settings
from observatory.store.engine import transaction
from observatory.store.schema import SourceFile, Submission
from observatory.web.app import create_app
from tests.reporting.test_concurrent_uploads import ADMIN, GHANA, small

KWAME = Principal("kwame", Role.FOCAL_POINT, frozenset({"GHA"}))


@pytest.fixture
def store(tmp_path: Path, database_url: str) -> Iterator[Engine]:
    engine = initialise(Settings(var_dir=tmp_path / "var", database_url=database_url))
    yield engine
    engine.dispose()


def kept(engine: Engine) -> tuple[int, int]:
    """How many submissions and kept files the store holds."""
    with engine.connect() as connection:
        return (
            connection.scalar(select(func.count()).select_from(Submission)) or 0,
            connection.scalar(select(func.count()).select_from(SourceFile)) or 0,
        )


def age(engine: Engine, username: str, by: timedelta) -> None:
    """Make every upload of ``username`` older by ``by``."""
    with transaction(engine) as session:
        for submission in session.scalars(select(Submission).where(Submission.submitted_by == username)):
            submission.created_at -= by


def test_the_same_file_again_names_the_submission_it_made_and_keeps_nothing(store: Engine) -> None:
    before = kept(store)
    first = submit_file(store, GHANA, small(0), "gha.csv", "annual-seizures", "GHA")
    with pytest.raises(DuplicateUpload) as refused:
        submit_file(store, KWAME, small(0), "gha-again.csv", "annual-seizures", "GHA")
    assert (refused.value.status, refused.value.code) == (409, "duplicate-upload")
    assert refused.value.details == [
        {
            "submission_id": first.submission_id,
            "status": "validated",
            "dataset": "annual-seizures",
            "country": "GHA",
            "sha256": refused.value.details[0]["sha256"],
        }
    ]
    assert kept(store) == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize(
    ("dataset", "country"), [("annual-seizures", None), ("drug-deaths", "GHA")], ids=["all-countries", "dataset"]
)
def test_the_same_bytes_for_another_scope_or_data_set_are_another_submission(
    store: Engine, dataset: str, country: str | None
) -> None:
    submit_file(store, ADMIN, small(0), "gha.csv", "annual-seizures", "GHA")
    again = submit_file(store, ADMIN, small(0), "gha.csv", dataset, country)
    assert again.submission_id > 0
    assert kept(store)[0] == 2


def test_an_invalid_file_again_is_refused_too(store: Engine) -> None:
    data = b"country,drug_group,drug_subgroup,drug,year,kilograms\nNarnia,Opioids,Opiates,Heroin,2023,12\n"
    first = submit_file(store, ADMIN, data, "bad.csv", "annual-seizures")
    assert first.status == "invalid"
    with pytest.raises(DuplicateUpload) as refused:
        submit_file(store, ADMIN, data, "bad.csv", "annual-seizures")
    assert refused.value.details[0]["status"] == "invalid"


def test_past_the_uploads_of_an_hour_the_user_waits_until_the_oldest_leaves_the_hour(store: Engine) -> None:
    limits = UploadLimits(per_hour=2)
    for number in range(2):
        submit_file(store, GHANA, small(number), "gha.csv", "annual-seizures", "GHA", limits=limits)
    age(store, GHANA.username, timedelta(minutes=20))
    before = kept(store)
    with pytest.raises(UploadRateLimited) as refused:
        submit_file(store, GHANA, small(2), "gha.csv", "annual-seizures", "GHA", limits=limits)
    assert (refused.value.status, refused.value.code) == (429, "upload-rate-limited")
    assert 39 * 60 < refused.value.retry_after <= 40 * 60
    assert refused.value.headers() == {"retry-after": str(refused.value.retry_after)}
    assert kept(store) == before
    submit_file(store, KWAME, small(2), "gha.csv", "annual-seizures", "GHA", limits=limits)  # another user's share
    age(store, GHANA.username, timedelta(minutes=41))
    submit_file(store, GHANA, small(3), "gha.csv", "annual-seizures", "GHA", limits=limits)


def test_past_the_bytes_of_a_day_the_user_waits_until_enough_have_left_the_day(store: Engine) -> None:
    size = len(small(0))
    limits = UploadLimits(bytes_per_day=2 * size + size // 2)
    submit_file(store, GHANA, small(0), "gha.csv", "annual-seizures", "GHA", limits=limits)
    age(store, GHANA.username, timedelta(hours=5))
    submit_file(store, GHANA, small(1), "gha.csv", "annual-seizures", "GHA", limits=limits)
    with pytest.raises(UploadQuotaExceeded) as refused:
        submit_file(store, GHANA, small(2), "gha.csv", "annual-seizures", "GHA", limits=limits)
    assert (refused.value.status, refused.value.code) == (429, "upload-quota-exceeded")
    assert 18 * 3600 < refused.value.retry_after <= 19 * 3600  # when the first upload leaves the 24 hours
    assert refused.value.details[0]["uploaded_bytes"] == 2 * size
    with pytest.raises(BadInput, match="more than the"):
        submit_file(store, GHANA, small(2) * 3, "gha.csv", "annual-seizures", "GHA", limits=limits)


def test_limits_come_from_the_settings() -> None:
    settings = Settings(uploads_per_hour=5, upload_bytes_per_day=10_000)
    assert UploadLimits.of(settings) == UploadLimits(per_hour=5, bytes_per_day=10_000)


def test_the_api_answers_a_second_upload_of_a_file_409_with_the_submission(tmp_path: Path, database_url: str) -> None:
    settings = Settings(var_dir=tmp_path / "var", database_url=database_url)
    engine = initialise(settings)
    create_user(engine, "ama", "a long enough password", Role.FOCAL_POINT, ["GHA"])
    headers = {"authorization": f"Bearer {issue_token(engine, 'ama', 'test')}"}
    engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        answers = [
            client.post(
                "/api/v1/submissions",
                files={"file": ("gha.csv", small(0), "text/csv")},
                data={"dataset": "annual-seizures", "country": "GHA"},
                headers=headers,
            )
            for _ in range(2)
        ]
    assert [answer.status_code for answer in answers] == [201, 409]
    error = answers[1].json()["error"]
    assert error["code"] == "duplicate-upload"
    assert error["details"][0]["submission_id"] == answers[0].json()["data"]["submission_id"]


def test_a_now_in_another_time_zone_is_the_same_moment(store: Engine) -> None:
    submit_file(store, GHANA, small(0), "gha.csv", "annual-seizures", "GHA")
    now = datetime.now(timezone(timedelta(hours=5)))
    with Session(store) as session, pytest.raises(UploadRateLimited):
        upload_limits.check(session, GHANA.username, 10, UploadLimits(per_hour=1), now)


def test_bytes_purged_after_a_refusal_are_kept_again_when_uploaded_for_another_scope(store: Engine) -> None:
    data = b"country,drug_group,drug_subgroup,drug,year,kilograms\nNarnia,Opioids,Opiates,Heroin,2023,12\n"
    the_file = SourceFile.sha256 == sha256(data).hexdigest()
    submit_file(store, ADMIN, data, "bad.csv", "annual-seizures")
    with transaction(store) as session:  # as ``retention.purge_refused_files`` leaves a refused file
        session.execute(update(SourceFile).where(the_file).values(content=b""))
    submit_file(store, ADMIN, data, "bad.csv", "drug-deaths")
    with store.connect() as connection:
        assert connection.scalar(select(SourceFile.content).where(the_file)) == data
