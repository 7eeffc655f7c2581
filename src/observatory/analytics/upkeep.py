"""Keeping the analytics store current: the snapshots are derived data, rebuilt from the records store whenever
they are missing or stale.

The manifest (``submissions/approved.parquet``) lists every served submission with its status and vintage, as the
records store had them when the snapshot was last refreshed. The snapshot is *current* when the records store
serves exactly those submissions, with those statuses and vintages, each has its files, and the population file
was written from the population table the records store holds now. It falls behind when a
process died between committing a lifecycle step and refreshing (kill -9 during an approval), or when someone
deleted ``var/analytics``. ``ensure_current`` repairs either; the web app runs it on start, before answering when
the manifest is gone, and from a watchdog thread every few seconds.
"""

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select

from observatory.analytics.observations import approved_rows
from observatory.analytics.refresh import refresh_analytics
from observatory.analytics.snapshot import DATASET as SEIZURES
from observatory.analytics.snapshot import population_identity, written_population_identity
from observatory.analytics.store import OBSERVATIONS
from observatory.store.schema import Submission
from observatory.store.serving import SNAPSHOT_STATUSES

Entry = tuple[int, str, int]


@dataclass(frozen=True, slots=True)
class Currency:
    """Whether the snapshot matches the records store, and if not, what differs."""

    current: bool
    served: int
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    files_missing: list[int] = field(default_factory=list)
    #: The population file is missing, or was written from another population table than the records store's.
    population_stale: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "current": self.current,
            "served_submissions": self.served,
            "not_in_snapshot": self.missing,
            "no_longer_served": self.extra,
            "status_or_vintage_changed": self.changed,
            "files_missing": self.files_missing,
            "population_stale": self.population_stale,
        }


def currency(engine: Engine, analytics_dir: Path) -> Currency:
    query = select(Submission.id, Submission.status, Submission.vintage, Submission.dataset).where(
        Submission.status.in_(SNAPSHOT_STATUSES)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    records: dict[int, Entry] = {row.id: (row.id, row.status, row.vintage) for row in rows}
    datasets = {row.id: row.dataset for row in rows}
    snapshot: dict[int, Entry] = {
        row["submission_id"]: (row["submission_id"], row["status"], row["vintage"])
        for row in approved_rows(analytics_dir)
    }
    missing = sorted(set(records) - set(snapshot))
    extra = sorted(set(snapshot) - set(records))
    changed = sorted(sid for sid in set(records) & set(snapshot) if records[sid] != snapshot[sid])
    files_missing = sorted(sid for sid in records if not _files_present(analytics_dir, sid, datasets[sid]))
    population_stale = written_population_identity(analytics_dir) != population_identity(engine)
    current = not (missing or extra or changed or files_missing or population_stale)
    return Currency(current, len(records), missing, extra, changed, files_missing, population_stale)


def _files_present(analytics_dir: Path, submission_id: int, dataset: str) -> bool:
    name = f"submission-{submission_id}.parquet"
    folders = [OBSERVATIONS, SEIZURES] if dataset == SEIZURES else [OBSERVATIONS]
    return all((analytics_dir / folder / name).is_file() for folder in folders)


def ensure_current(engine: Engine, analytics_dir: Path) -> bool:
    """Refresh the snapshot when it is not current; True when it had to be rebuilt."""
    if currency(engine, analytics_dir).current:
        return False
    refresh_analytics(engine, analytics_dir)
    return True


class Watchdog:
    """A daemon thread that keeps the snapshot current every ``interval`` seconds until stopped."""

    def __init__(self, engine: Engine, analytics_dir: Path, interval: float) -> None:
        self._engine, self._directory, self._interval = engine, analytics_dir, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="analytics-watchdog", daemon=True)
        self.repairs = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self._interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.repairs += ensure_current(self._engine, self._directory)
            except Exception:
                logging.getLogger(__name__).exception("analytics watchdog: the refresh failed; retrying")
