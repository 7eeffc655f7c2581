"""Who is asking: an API token (``Authorization: Bearer``), a signed session from the login form, or nobody.

Forms posted from a session carry a CSRF token that must match the one kept in the session.
"""

import secrets
from typing import Annotated

from fastapi import Depends, Request

from observatory.access.policy import ANONYMOUS, Principal
from observatory.access.users import principal_for_token, principal_of
from observatory.errors import Forbidden, Unauthenticated
from observatory.web.deps import Records

SESSION_USER = "user"
SESSION_CSRF = "csrf"


def current_principal(request: Request, records: Records) -> Principal:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("the Authorization header must be 'Bearer <API token>'")
        return principal_for_token(records, token.strip())
    username = request.session.get(SESSION_USER)
    if isinstance(username, str):
        try:
            return principal_of(records, username)
        except Unauthenticated:
            request.session.clear()
    return ANONYMOUS


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get(SESSION_CSRF)
    if not (isinstance(expected, str) and submitted and secrets.compare_digest(expected, submitted)):
        raise Forbidden("the form has expired or did not come from this site; reload the page and try again")


def sign_in(request: Request, principal: Principal) -> None:
    request.session.clear()
    request.session[SESSION_USER] = principal.username
    csrf_token(request)
