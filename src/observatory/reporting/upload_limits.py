"""How much one user may upload: files within any hour, and bytes within any 24 hours.

Counted from the user's submissions, so every file kept counts, an invalid one too, and every server process and
the CLI see the same count. A refused upload is not kept and does not count. ``check`` runs twice for an upload:
before the file is checked, so that a refusal costs nothing, and inside the transaction that records it, where
uploads of one user are recorded one at a time (SQLite has one writer; PostgreSQL takes a lock per user), so that
uploads sent at once cannot pass the limit together.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observatory.access.users import aware
from observatory.errors import BadInput, TooManyRequests
from observatory.settings import Settings
from observatory.store.schema import SourceFile, Submission

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class UploadLimits:
    per_hour: int = 60
    bytes_per_day: int = 1024 * 1024 * 1024

    @classmethod
    def of(cls, settings: Settings) -> "UploadLimits":
        return cls(settings.uploads_per_hour, settings.upload_bytes_per_day)


class UploadRateLimited(TooManyRequests):
    """429: the user has uploaded ``per_hour`` files within the last hour."""

    code = "upload-rate-limited"


class UploadQuotaExceeded(TooManyRequests):
    """429: this file would take the user's uploads within the last 24 hours past ``bytes_per_day``."""

    code = "upload-quota-exceeded"


def check(session: Session, username: str, size: int, limits: UploadLimits, now: datetime) -> None:
    """Raise ``UploadRateLimited`` or ``UploadQuotaExceeded`` when ``username`` may not upload ``size`` bytes now."""
    if size > limits.bytes_per_day:
        raise BadInput(
            f"the file has {size:,} bytes, more than the {limits.bytes_per_day:,} one user may upload in a day",
            [{"size_bytes": size, "bytes_per_day": limits.bytes_per_day}],
        )
    now = now.astimezone(UTC)
    recent = [
        (aware(at), size_bytes)
        for at, size_bytes in session.execute(
            select(Submission.created_at, SourceFile.size_bytes)
            .join(SourceFile, SourceFile.id == Submission.source_file_id)
            .where(Submission.submitted_by == username, Submission.created_at > now - DAY)
            .order_by(Submission.created_at, Submission.id)
        )
    ]
    last_hour = [at for at, _ in recent if at > now - HOUR]
    if len(last_hour) >= limits.per_hour:
        # Allowed again when enough uploads have left the hour for fewer than ``per_hour`` to remain.
        wait = _seconds(last_hour[len(last_hour) - limits.per_hour] + HOUR - now)
        raise UploadRateLimited(
            f"{username} has uploaded {len(last_hour)} files within the last hour, the most allowed; "
            f"try again in {math.ceil(wait / 60)} minute(s)",
            [{"uploads": len(last_hour), "per_hour": limits.per_hour, "retry_after_seconds": wait}],
            retry_after=wait,
        )
    used = sum(size_bytes for _, size_bytes in recent)
    if used + size > limits.bytes_per_day:
        # Allowed again when enough bytes have left the 24 hours for this file to fit.
        excess = used + size - limits.bytes_per_day
        freed = accumulate(size_bytes for _, size_bytes in recent)
        wait = next(_seconds(at + DAY - now) for (at, _), total in zip(recent, freed, strict=True) if total >= excess)
        raise UploadQuotaExceeded(
            f"{username} has uploaded {used:,} bytes within the last 24 hours; this file's {size:,} more would pass "
            f"the {limits.bytes_per_day:,} allowed; try again in {math.ceil(wait / 3600)} hour(s)",
            [
                {
                    "uploaded_bytes": used,
                    "size_bytes": size,
                    "bytes_per_day": limits.bytes_per_day,
                    "retry_after_seconds": wait,
                }
            ],
            retry_after=wait,
        )


def lock_user(session: Session, username: str) -> None:
    """On PostgreSQL, hold ``username``'s upload lock until the transaction ends (SQLite has one writer already)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(f"upload:{username}".encode()).digest()[:8], "big", signed=True)
    session.execute(select(func.pg_advisory_xact_lock(key)))


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))
