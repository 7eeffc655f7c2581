"""Bringing every analytics snapshot up to date with the records store: the one refresh, which the lifecycle
(``reporting.workflow``) runs after every step that changes what is served, and the demo after loading."""

from pathlib import Path

from sqlalchemy import Engine

from observatory.analytics.observations import SnapshotReport
from observatory.analytics.snapshot import refresh_snapshot


def refresh_analytics(engine: Engine, analytics_dir: Path) -> SnapshotReport:
    """Observations, seizure rows and population of every served submission; files of others removed."""
    return refresh_snapshot(engine, analytics_dir)
