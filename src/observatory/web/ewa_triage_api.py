"""Alert triage over the API (included by ``ewa_api``): ``GET /api/v1/ewa/triage`` (the queue of drafts, grouped,
most severe first, paged and filtered; network members), ``POST /api/v1/ewa/triage`` (bulk issue or dismiss with
a reason; analysts) and ``GET /api/v1/ewa/issued-alerts`` (issued alerts with their history; everyone)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from observatory.access.policy import ANONYMOUS, Principal
from observatory.errors import Unauthenticated
from observatory.ewa.alerts import Rule, Status, Step, TriageFilter, bulk_triage, triage_queue
from observatory.ewa.alerts.public import issued_alerts
from observatory.ewa.events import choice, one_of
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, reject_unknown_parameters

router = APIRouter(dependencies=[Depends(reject_unknown_parameters)])
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class BulkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[int] = Field(min_length=1, max_length=5_000)
    step: str = Field(description="issue or dismiss")
    reason: str = Field(min_length=1, max_length=2_000)
    whole_groups: bool = True


@router.get("/triage")
def triage(
    records: Records,
    principal: CurrentPrincipal,
    status: str = "draft",
    rule: str | None = None,
    country: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    min_severity: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    limit: Limit = 25,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Groups of near-duplicate alerts, most severe first."""
    member(principal)
    wanted = TriageFilter(
        one_of(Status, status, "status"), choice(Rule, rule, "rule"), country.upper() if country else None, min_severity
    )
    groups, total = triage_queue(records, wanted, limit, offset)
    return {"results": groups, "meta": {"total": total, "limit": limit, "offset": offset}}


@router.post("/triage")
def bulk(records: Records, principal: CurrentPrincipal, body: BulkIn) -> dict[str, Any]:
    """Issue or dismiss drafts (with their groups), all or none, the reason recorded on each."""
    member(principal)
    step = one_of(Step, body.step, "step")
    return {"data": bulk_triage(records, body.ids, step, body.reason, principal, whole_groups=body.whole_groups)}


@router.get("/issued-alerts")
def issued(records: Records, principal: CurrentPrincipal, limit: Limit = 25, offset: Offset = 0) -> dict[str, Any]:
    """Issued alerts the caller may see, most recently issued first, with who issued them and why."""
    alerts, total = issued_alerts(records, principal, limit, offset)
    return {"results": alerts, "meta": {"total": total, "limit": limit, "offset": offset}}


def member(principal: Principal) -> None:
    if principal == ANONYMOUS:
        raise Unauthenticated("sign in or send an API token to triage alerts")
