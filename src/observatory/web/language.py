"""The language of each request (``i18n.choose``), held in a ContextVar for the request's duration only.

``?lang=`` is remembered in a cookie; then the cookie; then the signed-in user's choice (the session's ``lang``);
then ``Accept-Language``; then English. Every answer says which language it is in (``Content-Language``) and that
it varies with the header and the cookie (``Vary``). An unknown ``?lang=`` is English, said on the page, never an
error.
"""

from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observatory.i18n import COOKIE, Choice, choose, reset_language, set_language

#: A remembered choice lasts a year.
COOKIE_SECONDS = 365 * 24 * 3600


class Language:
    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        choice = _choice(scope)
        scope.setdefault("state", {})["language"] = choice
        token = set_language(choice.language)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Language"] = choice.language
                headers.add_vary_header("Accept-Language")
                headers.add_vary_header("Cookie")
                if choice.source == "query":
                    secure = "; Secure" if self.secure else ""
                    headers.append(
                        "set-cookie",
                        f"{COOKIE}={choice.language}; Path=/; Max-Age={COOKIE_SECONDS}; SameSite=Lax{secure}",
                    )
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            reset_language(token)


def _choice(scope: Scope) -> Choice:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
    headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope.get("headers", [])}
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except CookieError:  # a malformed Cookie header chooses nothing
        cookie = SimpleCookie()
    remembered = cookie[COOKIE].value if COOKIE in cookie else None
    session = scope.get("session") or {}
    profile = session.get("lang") if isinstance(session, dict) else None
    return choose(query, remembered, profile if isinstance(profile, str) else None, headers.get("accept-language"))


def request_choice(scope: Scope) -> Choice:
    """The choice the middleware made for this request (English when it did not run)."""
    found = scope.get("state", {}).get("language")
    return found if isinstance(found, Choice) else Choice("en", "default")
