"""The analytics store as the caller's audience sees it: published data for the public, approved data as well for
those who may read unpublished data of every country (``access.policy.audience``)."""

from typing import Annotated

from fastapi import Depends, Request

from observatory.access.policy import audience
from observatory.analytics.store import AnalyticsStore
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import get_analytics


def served_analytics(request: Request, principal: CurrentPrincipal) -> AnalyticsStore:
    return get_analytics(request).for_audience(audience(principal))


Analytics = Annotated[AnalyticsStore, Depends(served_analytics)]
