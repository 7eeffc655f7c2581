"""The analytics store as the caller's audience sees it: published data for the public, approved data as well for
those who may read unpublished data of every country (``access.policy.audience``)."""

from typing import Annotated

from fastapi import Depends, Request

from observatory.access.policy import audience
from observatory.analytics.store import MANIFEST, AnalyticsStore
from observatory.analytics.upkeep import ensure_current
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import get_analytics, get_records


def served_analytics(request: Request, principal: CurrentPrincipal) -> AnalyticsStore:
    """The caller's view; a snapshot deleted under the running server is rebuilt before answering, so nobody is
    told "no approved data" while the records hold some."""
    store = get_analytics(request)
    if not (store.directory / MANIFEST).is_file():
        ensure_current(get_records(request), store.directory)
    return store.for_audience(audience(principal))


Analytics = Annotated[AnalyticsStore, Depends(served_analytics)]
