"""Bringing every analytics snapshot up to date with the records store: the one refresh, which the lifecycle
(``reporting.workflow``) runs after every step that changes what is served, and the demo after loading."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from observatory.analytics.observations import SnapshotReport
from observatory.analytics.snapshot import refresh_snapshot


def refresh_analytics(engine: Engine, analytics_dir: Path) -> SnapshotReport:
    """Observations, seizure rows and population of every served submission; files of others removed.

    One refresh at a time per folder, across threads and processes (two lifecycle steps at once, the watchdog):
    each reads the records store afresh once it holds the lock, so the last one to run sees every committed step.
    """
    with refresh_lock(analytics_dir):
        return refresh_snapshot(engine, analytics_dir)


@contextmanager
def refresh_lock(analytics_dir: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``<analytics>/.refresh.lock`` (the standard library's; no package needed on Linux
    and macOS, where the platform runs)."""
    analytics_dir.mkdir(parents=True, exist_ok=True)
    with (analytics_dir / ".refresh.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
