"""Who is asking: an API token (``Authorization: Bearer``), a server-side session from the login form, or nobody.

The session cookie (signed, HttpOnly, SameSite=Lax, Secure behind ``Settings.cookies_secure``) carries the random
id of a session kept in the records store (``access.sessions``); the store decides whether it is still alive.
CSRF: forms posted from a session carry a token, and so must every write under ``/api/`` authenticated by the
session cookie (header ``X-CSRF-Token``). Inside a session the token is derived from the session id, so it is bound
to that session and dies with it; before sign-in (the login form) it is a random value kept in the cookie.
Token-authenticated calls need no CSRF token: a browser never adds an Authorization header by itself.
"""

import hashlib
import hmac
import secrets
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request

from observatory.access.audit import utc_now
from observatory.access.policy import ANONYMOUS, Principal
from observatory.access.sessions import Client, SessionRules, session_principal
from observatory.access.users import principal_for_token
from observatory.errors import Forbidden, Unauthenticated
from observatory.web.deps import Records, get_settings

SESSION_ID = "sid"
#: The signed-in user's name, for the templates only; who is asking is always decided by the session row.
SESSION_USER = "user"
SESSION_CSRF = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class Credential(StrEnum):
    NONE = "none"
    SESSION = "session"
    TOKEN = "token"


class CsrfRejected(Forbidden):
    code = "csrf-rejected"


def now(request: Request) -> datetime:
    """The time as the app sees it: ``app.state.clock`` when a test has set one."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utc_now()


def client_of(request: Request) -> Client:
    host = request.client.host if request.client else "unknown"
    return Client(host, request.headers.get("user-agent", ""))


def current_principal(request: Request, records: Records) -> Principal:
    request.state.credential = Credential.NONE
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("the Authorization header must be 'Bearer <API token>'")
        principal = principal_for_token(records, token.strip(), now(request))
        request.state.credential = Credential.TOKEN
        return principal
    session_id = request.session.get(SESSION_ID)
    if not isinstance(session_id, str):
        if SESSION_USER in request.session:  # a cookie from before server-side sessions: no longer honoured
            request.session.clear()
        return ANONYMOUS
    signed_in = session_principal(records, session_id, now(request), SessionRules.of(get_settings(request)))
    if signed_in is None:
        request.session.clear()
        return ANONYMOUS
    request.state.credential = Credential.SESSION
    if request.method not in SAFE_METHODS and request.url.path.startswith("/api/"):
        check_csrf(
            request,
            request.headers.get(CSRF_HEADER),
            f"a write authenticated by the session cookie needs the {CSRF_HEADER} header of the session "
            "(GET /api/v1/account gives it), or an API token",
        )
    return signed_in


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def credential(request: Request) -> Credential:
    """How the principal of this request was authenticated (after ``current_principal``)."""
    found = getattr(request.state, "credential", Credential.NONE)
    return found if isinstance(found, Credential) else Credential.NONE


def csrf_token(request: Request) -> str:
    """The CSRF token to put in a form: the session's, or a random one created on first use before sign-in."""
    session_id = request.session.get(SESSION_ID)
    if isinstance(session_id, str):
        return _bound_token(session_id)
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return token


def check_csrf(request: Request, submitted: str | None, message: str | None = None) -> None:
    session_id = request.session.get(SESSION_ID)
    expected = _bound_token(session_id) if isinstance(session_id, str) else request.session.get(SESSION_CSRF)
    if not (isinstance(expected, str) and submitted and secrets.compare_digest(expected, submitted)):
        raise CsrfRejected(
            message or "the form has expired or did not come from this site; reload the page and try again"
        )


def start_session(request: Request, principal: Principal, session_id: str) -> None:
    """Put a new session in the cookie, replacing whatever was there (no session fixation)."""
    request.session.clear()
    request.session[SESSION_ID] = session_id
    request.session[SESSION_USER] = principal.username
    request.session[SESSION_CSRF] = _bound_token(session_id)


def _bound_token(session_id: str) -> str:
    return hmac.new(session_id.encode(), b"csrf", hashlib.sha256).hexdigest()
