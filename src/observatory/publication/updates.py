"""``updatedAfter``: which published observations came in after a point in time.

An observation's time is when its submission was received (the analytics manifest's ``created_at``: a correction
is a new submission, so corrected values count as updated). The publication tables name each observation's
submission in ``SOURCE_DETAIL``; ``updated_sources`` gives the ``SOURCE_DETAIL`` values of the submissions received
after the time, and ``keys.select`` keeps only their rows. Deletions are not reported.
"""

from datetime import UTC, datetime

import pyarrow.parquet as pq

from observatory.analytics.store import MANIFEST, AnalyticsStore


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def updated_sources(store: AnalyticsStore, after: datetime) -> frozenset[str]:
    """``SOURCE_DETAIL`` values (``submission N``) of the submissions received strictly after ``after`` (a time
    without a zone is UTC)."""
    path = store.directory / MANIFEST
    if not path.is_file():
        return frozenset()
    table = pq.read_table(path, columns=["submission_id", "created_at"])
    since = _utc(after)
    return frozenset(
        f"submission {identifier}"
        for identifier, created in zip(table["submission_id"].to_pylist(), table["created_at"].to_pylist(), strict=True)
        if created and _utc(datetime.fromisoformat(created)) > since
    )
