"""``/ewa/triage``: the queue of draft alerts for network members (grouped near-duplicates, most severe first,
paged and filtered) with bulk issue and dismissal for analysts; ``/ewa/alerts``: the issued alerts with who issued
each and why, for everyone (included by ``ewa_pages``)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from observatory.access.policy import ANONYMOUS, Action, Principal, allowed
from observatory.errors import BadInput, Conflict, Forbidden, Unauthenticated
from observatory.ewa.alerts import Rule, Status, Step, TriageFilter, bulk_triage, triage_queue
from observatory.ewa.alerts.public import issued_alerts
from observatory.ewa.events import choice, one_of
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.deps import Records, reject_unknown_parameters

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
PAGE = 25


@router.get("/ewa/triage", response_class=HTMLResponse)
def triage_page(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    status: str = "draft",
    rule: str = "",
    country: Annotated[str, Query(max_length=3)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    chosen = {"status": status, "rule": rule, "country": country, "done": done}
    return _render(request, records, principal, chosen, page)


@router.post("/ewa/triage", response_model=None)
async def triage_action(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    step: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    _member(principal)
    form = await request.form()
    try:
        ids = [int(value) for value in form.getlist("ids") if isinstance(value, str)]
        bulk_triage(records, ids, one_of(Step, step, "step"), reason, principal)
    except ValueError:
        return _render(request, records, principal, {}, 1, BadInput("alert ids are numbers"))
    except (BadInput, Conflict, Forbidden) as error:
        return _render(request, records, principal, {}, 1, error)
    return RedirectResponse(f"/ewa/triage?done={step}", status_code=303)


@router.get("/ewa/alerts", response_class=HTMLResponse)
def issued_page(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    alerts, total = issued_alerts(records, principal, PAGE, (page - 1) * PAGE)
    context = {"alerts": alerts, "total": total, "page": page, "pages": max(1, -(-total // PAGE))}
    response: HTMLResponse = request.app.state.templates.TemplateResponse(request, "ewa/alerts.html", context)
    return response


def _render(
    request: Request,
    records: Records,
    principal: Principal,
    chosen: dict[str, str],
    page: int,
    error: BadInput | Conflict | Forbidden | None = None,
) -> HTMLResponse:
    _member(principal)
    wanted = TriageFilter(
        one_of(Status, chosen.get("status") or "draft", "status"),
        choice(Rule, chosen.get("rule") or None, "rule"),
        (chosen.get("country") or "").upper() or None,
    )
    groups, total = triage_queue(records, wanted, PAGE, (page - 1) * PAGE)
    context: dict[str, Any] = {
        "groups": groups,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE)),
        "chosen": chosen,
        "statuses": [str(status) for status in Status],
        "rules": [str(rule) for rule in Rule],
        "may_act": allowed(principal, Action.PUBLISH, None),
        "csrf": csrf_token(request),
        "error": error.message if error else None,
        "done": chosen.get("done"),
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "ewa/triage.html", context, status_code=error.status if error else 200
    )
    return response


def _member(principal: Principal) -> None:
    if principal == ANONYMOUS:
        raise Unauthenticated("sign in to triage alerts")
