"""Signing in and out of the portal."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from observatory.access.users import authenticate
from observatory.errors import Unauthenticated
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token, sign_in
from observatory.web.deps import Records, reject_unknown_parameters

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, principal: CurrentPrincipal) -> HTMLResponse:
    context = {"csrf": csrf_token(request), "error": None, "principal": principal}
    return request.app.state.templates.TemplateResponse(request, "login.html", context)  # type: ignore[no-any-return]


@router.post("/login", response_model=None)
def login(
    request: Request,
    records: Records,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    try:
        principal = authenticate(records, username, password)
    except Unauthenticated as exc:
        context = {"csrf": csrf_token(request), "error": exc.message, "principal": None}
        page: Response = request.app.state.templates.TemplateResponse(request, "login.html", context, status_code=401)
        return page
    sign_in(request, principal)
    return RedirectResponse("/submissions", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()]) -> RedirectResponse:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/", status_code=303)
