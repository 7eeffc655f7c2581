"""Pages of regional review: the inbox (``/review``: a reviewer's queries, or a provider's own), a query with its
thread and the forms to reply, resolve, reopen or withdraw, a form to open a query on a submission, and the mail
outbox for administrators (what was sent, and what would be without SMTP settings)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from observatory.access.policy import ANONYMOUS, Principal
from observatory.errors import Unauthenticated
from observatory.i18n import gettext as _
from observatory.review import (
    PRIORITIES,
    RESOLUTIONS,
    STATUSES,
    InboxFilter,
    list_queries,
    open_query,
    outbox,
    post_message,
    query_detail,
    reopen,
    resolve,
    withdraw,
)
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.params import MAX_ID, Id

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])


def signed_in(principal: CurrentPrincipal) -> Principal:
    if principal == ANONYMOUS:
        raise Unauthenticated(_("sign in to see review queries"))
    return principal


Person = Annotated[Principal, Depends(signed_in)]


def _page(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context)  # type: ignore[no-any-return]


@router.get("/review", response_class=HTMLResponse)
def inbox(
    request: Request,
    records: Records,
    principal: Person,
    status: Annotated[str, Query()] = "",
    network: Annotated[str, Query(max_length=32)] = "",
    country: Annotated[str, Query(max_length=3)] = "",
    overdue: Annotated[str, Query()] = "",
    assigned_to_me: Annotated[str, Query()] = "",
) -> HTMLResponse:
    chosen = InboxFilter(
        status or None,
        network or None,
        country or None,
        {"yes": True, "no": False}.get(overdue),
        assigned_to_me in ("1", "on", "true", "yes"),
    )
    context = {
        "queries": list_queries(records, principal, chosen),
        "chosen": chosen,
        "statuses": STATUSES,
        "principal": principal,
    }
    return _page(request, "review/inbox.html", context)


@router.get("/review/queries/{query_id}", response_class=HTMLResponse)
def query_page(request: Request, records: Records, principal: Person, query_id: Id) -> HTMLResponse:
    found = query_detail(records, principal, query_id)
    context = {
        "query": found,
        "resolutions": RESOLUTIONS,
        "opener_role": found["opener_role"] == str(principal.role) and found["reviewer"],
        "csrf": csrf_token(request),
    }
    return _page(request, "review/query.html", context)


@router.post("/review/queries/{query_id}/messages")
def reply_form(
    request: Request,
    records: Records,
    principal: Person,
    query_id: Id,
    csrf: Annotated[str, Form()],
    body: Annotated[str, Form()] = "",
    internal: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    post_message(records, principal, query_id, body, internal == "on")
    return RedirectResponse(f"/review/queries/{query_id}#thread", status_code=303)


@router.post("/review/queries/{query_id}/change")
def change_form(
    request: Request,
    records: Records,
    principal: Person,
    query_id: Id,
    csrf: Annotated[str, Form()],
    change: Annotated[str, Form()],
    resolution: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    if change == "resolve":
        resolve(records, principal, query_id, resolution or None, comment)
    elif change == "reopen":
        reopen(records, principal, query_id, comment)
    else:
        withdraw(records, principal, query_id, comment)
    return RedirectResponse(f"/review/queries/{query_id}", status_code=303)


@router.get("/review/new", response_class=HTMLResponse)
def new_query_page(
    request: Request, records: Records, principal: Person, submission: Annotated[int, Query(ge=1, le=MAX_ID)]
) -> HTMLResponse:
    existing = list_queries(records, principal, InboxFilter(submission_id=submission))
    context = {"submission": submission, "priorities": PRIORITIES, "existing": existing, "csrf": csrf_token(request)}
    return _page(request, "review/new.html", context)


@router.post("/review/new")
def new_query_form(
    request: Request,
    records: Records,
    principal: Person,
    csrf: Annotated[str, Form()],
    submission: Annotated[int, Form(ge=1, le=MAX_ID)],
    message: Annotated[str, Form()] = "",
    priority: Annotated[str, Form()] = "medium",
    observation_id: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    value = int(observation_id) if observation_id.strip().isdigit() else None
    found = open_query(records, principal, submission, message, priority, value)
    return RedirectResponse(f"/review/queries/{found['id']}", status_code=303)


@router.get("/review/outbox", response_class=HTMLResponse)
def outbox_page(request: Request, records: Records, principal: Person) -> HTMLResponse:
    return _page(request, "review/outbox.html", {"mails": outbox(records, principal)})
