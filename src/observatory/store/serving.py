"""What is served, and to whom: the one definition of the submission statuses each audience sees.

The public sees published data only; analysts (and reviewers, administrators) also see data approved or accepted
but not yet published. The analytics store holds every status any audience sees, and picks the files of an
audience's statuses when it answers a question (``analytics.store.AnalyticsStore.for_audience``).
"""

from enum import StrEnum


class Audience(StrEnum):
    PUBLIC = "public"
    ANALYST = "analyst"


SERVED: dict[Audience, tuple[str, ...]] = {
    Audience.PUBLIC: ("published",),
    Audience.ANALYST: ("approved", "accepted", "published"),
}
#: Statuses whose values the analytics store keeps: those some audience sees.
SNAPSHOT_STATUSES: tuple[str, ...] = tuple(sorted({status for statuses in SERVED.values() for status in statuses}))
