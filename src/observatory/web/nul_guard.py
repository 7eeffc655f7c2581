"""Requests whose path or query holds a NUL character are refused before any route reads them.

PostgreSQL text cannot hold NUL (``\\x00``), SQLite truncates some C-string paths at it, and no legitimate country,
drug or search term contains one: a query such as ``?country=%00`` is answered 400 ``invalid-parameter`` in the
one error shape, instead of reaching the store. A body value the store refuses is a 422 (``web.errors``).
"""

from urllib.parse import unquote_to_bytes

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from observatory.errors import error_body
from observatory.i18n import gettext as _


class RefuseNul:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            message = _("the request's path or query holds a NUL character (%%00), which no parameter accepts")
            body = error_body("invalid-parameter", message, [{"reason": "NUL character"}])
            await JSONResponse(body, status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Scope) -> bool:
    raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    query: bytes = scope.get("query_string", b"")
    return b"\x00" in unquote_to_bytes(raw_path) or b"\x00" in unquote_to_bytes(query.replace(b"+", b" "))
