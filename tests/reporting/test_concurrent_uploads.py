"""Uploads at once: every one lands or is refused with a stable code, never a 500, and reads go on meanwhile."""

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from observatory.access.policy import Principal, Role
from observatory.bench.seizure_import import generate_csv
from observatory.demo import initialise
from observatory.errors import ObservatoryError
from observatory.reporting.submit import DuplicateUpload, SubmitResult, submit_file
from observatory.reporting.upload_limits import UploadLimits, UploadRateLimited
from observatory.settings import Settings
from observatory.store.reporting_schema import Observation, UploadKey
from observatory.store.schema import Submission

ADMIN = Principal("root", Role.ADMIN)
GHANA = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
LARGE = "individual-seizures"
ROWS = 20_000
#: Values one row of individual seizures gives: its elements quantity, unit and purity.
VALUES_PER_ROW = 3
HEADER = "country,drug_group,drug_subgroup,drug,year,kilograms\n"
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids),Cannabis herb (marijuana),Cannabis herb (marijuana)"


def small(number: int) -> bytes:
    """A one-row annual-seizures file for Ghana, different for each ``number``."""
    return f"{HEADER}Ghana,{CANNABIS},2023,{1000 + number}.5\n".encode()


@pytest.fixture(scope="module")
def large_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("large")
    return [generate_csv(folder / f"seizures-{seed}.csv", ROWS, seed=seed) for seed in (1, 2, 3)]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(var_dir=tmp_path / "var", database_url=database_url)


@pytest.fixture
def store(settings: Settings) -> Iterator[Engine]:
    engine = initialise(settings)
    yield engine
    engine.dispose()


@contextmanager
def reading(engine: Engine) -> Iterator[list[int]]:
    """Reads of the submissions and observations in a loop until the block ends; yields [reads, failures]."""
    counts = [0, 0]
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                with engine.connect() as connection:
                    connection.scalar(select(func.count()).select_from(Submission))
                    connection.scalar(select(func.count()).select_from(Observation))
                counts[0] += 1
            except Exception:
                counts[1] += 1

    reader = threading.Thread(target=read)
    reader.start()
    try:
        yield counts
    finally:
        done.set()
        reader.join()


def at_once(work: Sequence[Callable[[], SubmitResult]]) -> list[SubmitResult | Exception]:
    """Each of ``work`` in its own thread, started together; what each returned or raised."""
    start = threading.Barrier(len(work))

    def run(job: Callable[[], SubmitResult]) -> SubmitResult | Exception:
        start.wait()
        try:
            return job()
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(len(work)) as pool:
        return list(pool.map(run, work))


def stored(engine: Engine) -> list[tuple[int, int]]:
    """(submission id, values stored) of every submission."""
    with engine.connect() as connection:
        return [
            (row[0], row[1])
            for row in connection.execute(
                select(Submission.id, func.count(Observation.id))
                .outerjoin(Observation, Observation.submission_id == Submission.id)
                .group_by(Submission.id)
                .order_by(Submission.id)
            )
        ]


def test_three_large_imports_in_threads_all_land_while_reads_go_on(store: Engine, large_files: list[Path]) -> None:
    work = [partial(submit_file, store, ADMIN, path.read_bytes(), path.name, LARGE) for path in large_files]
    with reading(store) as reads:
        results = at_once(work)
    assert [type(result).__name__ for result in results] == ["SubmitResult"] * 3, results
    assert {result.values_stored for result in results if isinstance(result, SubmitResult)} == {ROWS * VALUES_PER_ROW}
    assert [values for _, values in stored(store)] == [ROWS * VALUES_PER_ROW] * 3
    assert reads[0] > 0 and reads[1] == 0


def test_three_large_imports_in_separate_processes_all_land_while_reads_go_on(
    settings: Settings, store: Engine, large_files: list[Path]
) -> None:
    if store.dialect.name != "sqlite":
        pytest.skip("processes writing one SQLite file; PostgreSQL takes concurrent writers anyway")
    env = {
        **os.environ,
        "OBSERVATORY_VAR_DIR": str(settings.var_dir),
        "OBSERVATORY_DATABASE_URL": settings.records_url,
    }
    with reading(store) as reads:
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "observatory", "submit", str(path), "--dataset", LARGE],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for path in large_files
        ]
        errors = [process.communicate(timeout=300)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], errors
    assert [values for _, values in stored(store)] == [ROWS * VALUES_PER_ROW] * 3
    assert reads[0] > 0 and reads[1] == 0


def test_thirty_small_uploads_in_threads_all_land(store: Engine) -> None:
    work = [
        partial(submit_file, store, ADMIN, small(number), "gha.csv", "annual-seizures", "GHA") for number in range(30)
    ]
    with reading(store) as reads:
        results = at_once(work)
    assert [result for result in results if not isinstance(result, SubmitResult)] == []
    assert [values for _, values in stored(store)] == [1] * 30
    assert reads[1] == 0


@pytest.mark.parametrize(
    "uploaders",
    [
        [GHANA] * 3,
        # Uploads of different users are not queued per user: on PostgreSQL the key makes the later ones fail.
        [GHANA, Principal("kwame", Role.FOCAL_POINT, frozenset({"GHA"})), ADMIN],
    ],
    ids=["one-user", "three-users"],
)
def test_the_same_file_three_times_at_once_is_one_submission_and_two_conflicts(
    store: Engine, uploaders: list[Principal]
) -> None:
    results = at_once(
        [partial(submit_file, store, user, small(0), "gha.csv", "annual-seizures", "GHA") for user in uploaders]
    )
    landed = [result for result in results if isinstance(result, SubmitResult)]
    refused = [result for result in results if isinstance(result, DuplicateUpload)]
    assert (len(landed), len(refused)) == (1, 2), results
    assert all(error.status == 409 for error in refused)
    assert {error.details[0]["submission_id"] for error in refused} == {landed[0].submission_id}
    assert stored(store) == [(landed[0].submission_id, 1)]
    with store.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(UploadKey)) == 1


def test_uploads_of_one_user_at_once_stay_within_the_hourly_limit(store: Engine) -> None:
    limits = UploadLimits(per_hour=2)
    work = [
        partial(submit_file, store, GHANA, small(number), "gha.csv", "annual-seizures", "GHA", limits=limits)
        for number in range(4)
    ]
    results = at_once(work)
    refused = [result for result in results if isinstance(result, ObservatoryError)]
    assert sum(isinstance(result, SubmitResult) for result in results) == 2
    assert [type(error) for error in refused] == [UploadRateLimited] * 2, results
    assert len(stored(store)) == 2
