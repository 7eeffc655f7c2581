"""An alert's case file page (``/ewa/alerts/{id}``) and the forms that take the alert through its workflow and
record the EU early-warning stages its case reached. The forms are shown only to whoever may publish for the
alert's country (analysts, administrators) and carry the session's CSRF token; a refused step is shown beside the
forms with the page answering 400 or 409."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from observatory.access.policy import ANONYMOUS, Action, Principal, allowed
from observatory.errors import BadInput, Conflict, Unauthenticated
from observatory.ewa.alerts import STAGES, TRANSITIONS, Audience, Change, Stage, Status, Step, case_file, change_alert
from observatory.ewa.alerts import record_stage as record_case_stage
from observatory.ewa.events import choice, one_of
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.params import Id

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
Optional = Annotated[str, Form()]


@router.get("/ewa/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, records: Records, principal: CurrentPrincipal, alert_id: Id) -> HTMLResponse:
    return _page(request, records, principal, alert_id)


@router.post("/ewa/alerts/{alert_id}/workflow", response_model=None)
def workflow_form(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    alert_id: Id,
    step: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    note: Optional = "",
    title: Optional = "",
    summary: Optional = "",
    audience: Optional = "",
) -> Response:
    check_csrf(request, csrf)
    _signed_in(principal)
    try:
        change = Change(
            one_of(Step, step, "step"),
            note.strip() or None,
            title.strip() or None,
            summary.strip() or None,
            choice(Audience, audience or None, "audience"),
        )
        change_alert(records, alert_id, change, principal)
    except (BadInput, Conflict) as error:
        return _page(request, records, principal, alert_id, error)
    return RedirectResponse(f"/ewa/alerts/{alert_id}#alert-status", status_code=303)


@router.post("/ewa/alerts/{alert_id}/stages", response_model=None)
def stage_form(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    alert_id: Id,
    stage: Annotated[str, Form()],
    reached_on: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    note: Optional = "",
) -> Response:
    check_csrf(request, csrf)
    _signed_in(principal)
    try:
        record_case_stage(
            records, alert_id, one_of(Stage, stage, "stage"), _day(reached_on), principal, note.strip() or None
        )
    except (BadInput, Conflict) as error:
        return _page(request, records, principal, alert_id, error)
    return RedirectResponse(f"/ewa/alerts/{alert_id}#case-stages", status_code=303)


def _page(
    request: Request,
    records: Records,
    principal: Principal,
    alert_id: Id,
    error: BadInput | Conflict | None = None,
) -> HTMLResponse:
    case = case_file(records, alert_id, principal)
    alert = case["alert"]
    context: dict[str, Any] = {"case": case, "forms": None, "error": error.message if error else None}
    if principal != ANONYMOUS and allowed(principal, Action.PUBLISH, alert["country"]):
        status = Status(alert["status"])
        context["forms"] = {
            "csrf": csrf_token(request),
            "steps": [str(step) for step, (sources, _) in TRANSITIONS.items() if status in sources],
            "audiences": [str(audience) for audience in Audience],
            "stages": [(str(stage), stage.label) for stage in STAGES[1:]],
            "today": date.today().isoformat(),
        }
    page: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "ewa/alert.html", context, status_code=error.status if error else 200
    )
    return page


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(
            f"the date must read YYYY-MM-DD, not {value!r}", [{"field": "reached_on", "value": value}]
        ) from None


def _signed_in(principal: Principal) -> None:
    if principal == ANONYMOUS:
        raise Unauthenticated("sign in to change an alert")
