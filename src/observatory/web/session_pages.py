"""Signing in and out of the portal, and the signed-in user's own account: preferences (language, kinds of mail),
API tokens and password. Signing in makes the session's pages follow the user's language."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from observatory.access.policy import Principal
from observatory.access.preferences import KIND_LABELS, Preferences, preferences_of, set_preferences
from observatory.access.sessions import change_password, sign_in, sign_out
from observatory.access.throttle import ThrottleRules, TooManyAttempts
from observatory.access.users import create_token, list_tokens, revoke_token
from observatory.errors import BadInput, ObservatoryError, Unauthenticated
from observatory.i18n import ENDONYMS, LANGUAGES
from observatory.web.account_api import remember_language
from observatory.web.auth import (
    SESSION_ID,
    Credential,
    CurrentPrincipal,
    check_csrf,
    client_of,
    credential,
    csrf_token,
    current_principal,
    now,
    start_session,
)
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import Id

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
#: Pages that show a secret, or a form about one, are never kept by a browser or a proxy.
NO_STORE = {"cache-control": "no-store"}


@router.get("/login", response_class=HTMLResponse, dependencies=[Depends(current_principal)])
def login_form(request: Request) -> Response:
    """The form; an ended session's cookie is cleared first (``current_principal``)."""
    return _login_page(request, None, 200)


@router.post("/login", response_model=None)
def login(
    request: Request,
    records: Records,
    settings: SettingsDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    try:
        principal, session_id = sign_in(
            records, username, password, client_of(request), now(request), ThrottleRules.of(settings)
        )
    except TooManyAttempts as exc:
        page = _login_page(request, exc.message, exc.status)
        page.headers["retry-after"] = str(exc.retry_after)
        return page
    except Unauthenticated as exc:
        return _login_page(request, exc.message, exc.status)
    previous = request.session.get(SESSION_ID)
    if isinstance(previous, str):  # signing in again, perhaps as someone else: the browser's old session ends
        sign_out(records, previous, now(request))
    start_session(request, principal, session_id)
    remember_language(request, preferences_of(records, principal, principal.username))
    return RedirectResponse("/submissions", status_code=303)


@router.post("/logout")
def logout(request: Request, records: Records, csrf: Annotated[str, Form()]) -> RedirectResponse:
    check_csrf(request, csrf)
    session_id = request.session.get(SESSION_ID)
    if isinstance(session_id, str):
        sign_out(records, session_id, now(request))
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/account/tokens", response_model=None)
def tokens_page(request: Request, records: Records, principal: CurrentPrincipal) -> Response:
    if credential(request) is not Credential.SESSION:
        return RedirectResponse("/login", status_code=303)
    return _tokens_page(request, records, principal, {})


@router.post("/account/tokens", response_model=None)
def new_token(
    request: Request,
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    label: Annotated[str, Form(max_length=128)],
    csrf: Annotated[str, Form()],
    days: Annotated[int | None, Form()] = None,
) -> Response:
    _signed_in(request, csrf)
    lasting = days or settings.api_token_days
    try:
        info, token = create_token(
            records, principal.username, label, days=lasting, actor=principal.username, now=now(request)
        )
    except BadInput as exc:
        return _tokens_page(request, records, principal, {"error": exc.message}, exc.status)
    return _tokens_page(request, records, principal, {"created": info, "token": token}, 201)


@router.post("/account/tokens/{token_id}/revoke", response_model=None)
def revoke(
    request: Request, records: Records, principal: CurrentPrincipal, token_id: Id, csrf: Annotated[str, Form()]
) -> Response:
    _signed_in(request, csrf)
    revoke_token(records, token_id, actor=principal.username, owner=principal.username, now=now(request))
    return RedirectResponse("/account/tokens", status_code=303)


@router.get("/account/preferences", response_model=None)
def preferences_form(request: Request, records: Records, principal: CurrentPrincipal, saved: bool = False) -> Response:
    """The form; ``saved`` after a change (the page is then in the language just chosen)."""
    if credential(request) is not Credential.SESSION:
        return RedirectResponse("/login", status_code=303)
    return _preferences_page(request, preferences_of(records, principal, principal.username), {"saved": saved})


@router.post("/account/preferences", response_model=None)
def preferences(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    csrf: Annotated[str, Form()],
    language: Annotated[str, Form(max_length=35)] = "",
    mail: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """The language (empty: the default) and the kinds of mail ticked; a kind not ticked is turned off."""
    _signed_in(request, csrf)
    ticked = mail or []
    switches = {kind: kind in ticked for kind in KIND_LABELS} | dict.fromkeys(ticked, True)
    try:
        done = set_preferences(
            records, principal, principal.username, language=language, mail=switches, now=now(request)
        )
    except BadInput as exc:
        current = preferences_of(records, principal, principal.username)
        return _preferences_page(request, current, {"error": exc.message}, exc.status)
    remember_language(request, done)
    # A new request, so that the page answering is in the language just chosen (and a reload posts nothing).
    return RedirectResponse("/account/preferences?saved=true", status_code=303)


@router.get("/account/password", response_model=None)
def password_form(request: Request, principal: CurrentPrincipal) -> Response:
    if credential(request) is not Credential.SESSION:
        return RedirectResponse("/login", status_code=303)
    return _password_page(request, principal, None, 200)


@router.post("/account/password", response_model=None)
def password(
    request: Request,
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    current: Annotated[str, Form()],
    new: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    _signed_in(request, csrf)
    try:
        change_password(
            records, principal.username, current, new, client_of(request), now(request), ThrottleRules.of(settings)
        )
    except TooManyAttempts as exc:
        page = _password_page(request, principal, exc.message, exc.status)
        page.headers["retry-after"] = str(exc.retry_after)
        return page
    except ObservatoryError as exc:
        return _password_page(request, principal, exc.message, exc.status)
    # Every session of the account has ended, this one too: sign in again with the new password.
    request.session.clear()
    notice = "Password changed; every session has ended. Sign in with the new password."
    return _login_page(request, None, 200, notice)


def _signed_in(request: Request, csrf: str) -> None:
    """Account changes are made from a signed-in browser session, with the form's CSRF token."""
    check_csrf(request, csrf)
    if credential(request) is not Credential.SESSION:
        raise Unauthenticated("sign in to manage your account")


def _login_page(request: Request, error: str | None, status: int, notice: str | None = None) -> Response:
    context = {"csrf": csrf_token(request), "error": error, "notice": notice}
    page: Response = request.app.state.templates.TemplateResponse(
        request, "login.html", context, status_code=status, headers=NO_STORE
    )
    return page


def _tokens_page(
    request: Request, records: Records, principal: Principal, extra: dict[str, Any], status: int = 200
) -> Response:
    moment = now(request)
    tokens = [(info, info.status(moment)) for info in list_tokens(records, principal.username)]
    context = {"csrf": csrf_token(request), "principal": principal, "tokens": tokens, "error": None, **extra}
    page: Response = request.app.state.templates.TemplateResponse(
        request, "account_tokens.html", context, status_code=status, headers=NO_STORE
    )
    return page


def _preferences_page(request: Request, prefs: Preferences, extra: dict[str, Any], status: int = 200) -> Response:
    context = {
        "csrf": csrf_token(request),
        "prefs": prefs,
        "language_choices": [(code, ENDONYMS[code]) for code in LANGUAGES],
        "kinds": list(KIND_LABELS.items()),
        "error": None,
        "saved": False,
        **extra,
    }
    page: Response = request.app.state.templates.TemplateResponse(
        request, "account_preferences.html", context, status_code=status, headers=NO_STORE
    )
    return page


def _password_page(request: Request, principal: Principal, error: str | None, status: int) -> Response:
    context = {"csrf": csrf_token(request), "principal": principal, "error": error}
    page: Response = request.app.state.templates.TemplateResponse(
        request, "account_password.html", context, status_code=status, headers=NO_STORE
    )
    return page
