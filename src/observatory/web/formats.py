"""Every JSON answer of the API as a download, and country names in filters: one pure-ASGI middleware.

``Downloads`` sits in front of every ``/api/v1`` GET route (the SDMX API, which negotiates its own formats, aside):

- ``?format=csv|parquet|xlsx|json`` or ``Accept: text/csv`` (``application/vnd.apache.parquet``,
  ``application/vnd.openxmlformats-officedocument.spreadsheetml.sheet``) turns the route's ``{"data": [...], "meta"}``
  answer into that file (``publication.downloads``); ``format`` is taken off the query before the route sees it.
  An answer that is not a table, or an error, passes unchanged (errors stay in the JSON error shape).
- ``country=India`` (a name, alias, ISO2 or M49 code) becomes ``country=IND`` through the reference resolver
  (``web.params.country_codes``) before the route parses it; a value the resolver does not know passes unchanged, so
  the route's own check names it.

``cached`` answers published data with an ETag and Cache-Control, and 304 to a matching If-None-Match.
"""

import hashlib
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observatory.errors import BadInput
from observatory.publication.downloads import DOWNLOADS, download
from observatory.web.params import country_codes

CACHE_CONTROL = "public, max-age=300"
PRIVATE = "private, no-store"
_SKIP = ("/api/v1/sdmx/",)


def cached(request: Request, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """``body`` with a strong ETag and Cache-Control; an empty 304 when the client holds the same bytes."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    sent = {"ETag": etag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=sent)
    return Response(body, media_type=media_type, headers=sent)


def _wanted(format_name: str | None, accept: str) -> str | None:
    if format_name:
        if format_name not in DOWNLOADS:
            raise BadInput(
                f"unknown format {format_name!r}; accepted: {', '.join(DOWNLOADS)}",
                [{"parameter": "format", "value": format_name, "accepted": list(DOWNLOADS)}],
            )
        return format_name
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return next(
        (name for name, spec in DOWNLOADS.items() if first == spec.media_type.split(";")[0] and name != "json"), None
    )


class Downloads:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or not path.startswith("/api/v1/"):
            await self.app(scope, receive, send)
            return
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        pairs = country_codes(pairs)
        format_name = next((value for name, value in pairs if name == "format"), None)
        if path.startswith(_SKIP):
            await self.app(dict(scope) | {"query_string": urlencode(pairs).encode("latin-1")}, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        try:
            wanted = _wanted(format_name, headers.get("accept", ""))
        except BadInput as error:
            await _send_json(send, error.status, error.body())
            return
        rest = [(name, value) for name, value in pairs if name != "format"]
        inner = dict(scope) | {"query_string": urlencode(rest).encode("latin-1")}
        if wanted is None or wanted == "json":
            await self.app(inner, receive, send)
            return
        inner["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept"] + [
            (b"accept", b"application/json")
        ]
        await self._converted(inner, receive, send, wanted, path)

    async def _converted(self, scope: Scope, receive: Receive, send: Send, wanted: str, path: str) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        assert start is not None
        body = b"".join(chunks)
        if start["status"] != 200:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        try:
            document: Any = json.loads(body)
            content, media_type = download(document, wanted, name=path.rstrip("/").rsplit("/", 1)[-1])
        except BadInput as error:
            await _send_json(send, error.status, error.body())
            return
        extension = DOWNLOADS[wanted].extension
        filename = path.rstrip("/").rsplit("/", 1)[-1] + extension
        out = [
            (b"content-type", media_type.encode()),
            (b"content-length", str(len(content)).encode()),
            (b"content-disposition", f'attachment; filename="{filename}"'.encode()),
        ]
        policy = _cache_policy(scope, start)
        out.append((b"cache-control", policy.encode()))
        if policy == CACHE_CONTROL:
            out.append((b"etag", f'"{hashlib.sha256(content).hexdigest()[:32]}"'.encode()))
        kept = [(k, v) for k, v in start["headers"] if k.lower() not in {name for name, _ in out}]
        await send({"type": "http.response.start", "status": 200, "headers": kept + out})
        await send({"type": "http.response.body", "body": content})


def _cache_policy(scope: Scope, start: Message) -> str:
    """The JSON answer's own Cache-Control when it keeps the answer private; private too when it says nothing and
    the request carried credentials (an analyst's download of unpublished data must not sit in a shared cache)."""
    inner: str | None = next(
        (str(v.decode("latin-1")) for k, v in start["headers"] if k.lower() == b"cache-control"), None
    )
    if inner is not None and ("private" in inner or "no-store" in inner):
        return inner
    credentials = any(
        k.lower() == b"authorization" or (k.lower() == b"cookie" and b"session=" in v) for k, v in scope["headers"]
    )
    return PRIVATE if inner is None and credentials else CACHE_CONTROL


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
