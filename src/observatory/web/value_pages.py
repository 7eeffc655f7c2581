"""Pages of a submission's stored values: read them page by page, correct one with a reason, see the audit trail."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from observatory.access.policy import ANONYMOUS, Principal
from observatory.errors import NotFound, Unauthenticated
from observatory.reporting.corrections import EDITABLE, MISSING_REASONS, audit_trail, correct_value, submission_audit
from observatory.reporting.submissions import observations, submission_detail
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.params import MAX_INT64, Id

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
PAGE_SIZE = 100
#: A page number whose first row's offset the store can still hold.
Page = Annotated[int, Query(ge=1, le=MAX_INT64 // PAGE_SIZE)]


@router.get("/submissions/{submission_id}/values", response_class=HTMLResponse)
def values_page(
    request: Request, records: Records, principal: CurrentPrincipal, submission_id: Id, page: Page = 1
) -> HTMLResponse:
    detail = submission_detail(records, principal, submission_id)
    rows = observations(records, principal, submission_id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-detail["values_stored"] // PAGE_SIZE))
    context = {
        "submission": detail,
        "values": rows,
        "dimensions": sorted({name for row in rows for name in row["dimensions"]}),
        "page": page,
        "pages": pages,
        "editable": _editable(detail, principal),
        "corrections": submission_audit(records, principal, submission_id),
    }
    return request.app.state.templates.TemplateResponse(request, "values.html", context)  # type: ignore[no-any-return]


@router.get("/submissions/{submission_id}/values/{observation_id}", response_class=HTMLResponse)
def value_page(
    request: Request, records: Records, principal: CurrentPrincipal, submission_id: Id, observation_id: Id
) -> HTMLResponse:
    detail = submission_detail(records, principal, submission_id)
    context = {
        "submission": detail,
        "value": _one(records, principal, submission_id, observation_id),
        "editable": _editable(detail, principal),
        "reasons": MISSING_REASONS,
        "trail": audit_trail(records, principal, observation_id),
        "csrf": csrf_token(request),
    }
    return request.app.state.templates.TemplateResponse(request, "value.html", context)  # type: ignore[no-any-return]


@router.post("/submissions/{submission_id}/values/{observation_id}")
def correct_form(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    submission_id: Id,
    observation_id: Id,
    csrf: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    missing_reason: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    if principal == ANONYMOUS:
        raise Unauthenticated("sign in to correct values")
    _one(records, principal, submission_id, observation_id)
    correct_value(records, principal, observation_id, value.strip() or None, reason, missing_reason or None)
    return RedirectResponse(f"/submissions/{submission_id}/values/{observation_id}", status_code=303)


def _one(records: Engine, principal: Principal, submission_id: int, observation_id: int) -> dict[str, Any]:
    found = observations(records, principal, submission_id, observation_id=observation_id)
    if not found:
        raise NotFound(f"submission {submission_id} has no stored value {observation_id}", [{"value": observation_id}])
    return found[0]


def _editable(detail: dict[str, Any], principal: Principal) -> bool:
    return principal != ANONYMOUS and detail["status"] in EDITABLE and not detail["locked"]
