"""An import killed at any moment leaves the store as it was, or holds the whole submission: never a part of it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from observatory.bench.seizure_import import generate_csv
from observatory.datasets import DEMO_SEIZURES
from observatory.demo import initialise
from observatory.settings import Settings
from observatory.store.reporting_schema import Observation
from observatory.store.schema import Submission

KILL_AFTER_SECONDS = (0.8, 1.6, 2.4, 3.2, 4.0, 5.0, 6.0)
#: A WDR workbook read row by row; a CSV of individual seizures read in columns and stored in bulk.
IMPORTS = [("workbook", "annual-seizures", 11_274), ("csv", "individual-seizures", 3 * 20_000)]


@pytest.mark.parametrize(("kind", "dataset", "values"), IMPORTS, ids=[kind for kind, _, _ in IMPORTS])
def test_killing_an_import_never_leaves_half_a_submission(
    tmp_path: Path, database_url: str, kind: str, dataset: str, values: int
) -> None:
    settings = Settings(var_dir=tmp_path, database_url=database_url)
    initialise(settings).dispose()
    env = {**os.environ, "OBSERVATORY_VAR_DIR": str(tmp_path), "OBSERVATORY_DATABASE_URL": database_url}
    path = DEMO_SEIZURES if kind == "workbook" else generate_csv(tmp_path / "seizures.csv", values // 3)
    command = [sys.executable, "-m", "observatory", "submit", str(path), "--dataset", dataset]
    engine = initialise(settings)
    outcomes = []
    try:
        for delay in KILL_AFTER_SECONDS:
            with engine.connect() as connection:
                before = connection.scalar(select(func.count()).select_from(Submission))
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            with engine.connect() as connection:
                rows = connection.execute(
                    select(Submission.id, func.count(Observation.id))
                    .outerjoin(Observation, Observation.submission_id == Submission.id)
                    .group_by(Submission.id)
                ).all()
            added = len(rows) - (before or 0)
            assert added in (0, 1)
            assert all(stored in (0, values) for _, stored in rows), rows
            outcomes.append(added)
    finally:
        engine.dispose()
    assert 0 in outcomes, "no run was interrupted before committing: the delays are too long for this machine"
