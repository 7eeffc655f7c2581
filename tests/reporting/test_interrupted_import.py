"""An import killed at any moment leaves the store as it was, or holds the whole submission: never a part of it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from observatory.datasets import DEMO_SEIZURES
from observatory.demo import initialise
from observatory.settings import Settings
from observatory.store.reporting_schema import Observation
from observatory.store.schema import Submission

KILL_AFTER_SECONDS = (0.8, 1.6, 2.4, 3.2, 4.0, 5.0, 6.0)


def test_killing_an_import_never_leaves_half_a_submission(tmp_path: Path, database_url: str) -> None:
    settings = Settings(var_dir=tmp_path, database_url=database_url)
    initialise(settings).dispose()
    env = {**os.environ, "OBSERVATORY_VAR_DIR": str(tmp_path), "OBSERVATORY_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "observatory", "submit", str(DEMO_SEIZURES), "--dataset", "annual-seizures"]
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
            assert all(values in (0, 11_274) for _, values in rows), rows
            outcomes.append(added)
    finally:
        engine.dispose()
    assert 0 in outcomes, "no run was interrupted before committing: the delays are too long for this machine"
