"""Bringing every analytics snapshot up to date after data were loaded or a submission changed status."""

from pathlib import Path

from sqlalchemy import Engine

from observatory.analytics.observations import refresh_observations
from observatory.analytics.snapshot import refresh_snapshot


def refresh_analytics(engine: Engine, analytics_dir: Path) -> None:
    refresh_snapshot(engine, analytics_dir)
    refresh_observations(engine, analytics_dir)
