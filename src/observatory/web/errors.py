"""Every error leaves the web layer in one shape: ``{"error": {"code", "message", "details"}}``.

Besides the codes of ``observatory.errors``, the web layer answers these itself:

    invalid-parameter       422  a query or path parameter out of its type or bounds
    invalid-body            422  a JSON body that is not JSON, or a field of it out of its type or bounds;
                            400  a body the parser gives up on (not UTF-8, a number of thousands of digits)
    unsupported-media-type  415  a JSON body sent under another content type (or none)
    invalid-parameter       400  a path or query holding a NUL character (``web.nul_guard``)
    invalid-body            422  a value the store refuses to hold (its DataError), caught as a last resort
    bad-request, not-found, method-not-allowed, too-large   400, 404, 405, 413 (from the router or form parser)

The handlers never fail themselves: values echoed in ``details`` are made JSON-safe (bytes, NaN, long text), and a
response that still cannot be rendered falls back to the code and message alone.
"""

import logging
import math
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException

from observatory.errors import ObservatoryError, error_body
from observatory.i18n import gettext as _

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    415: "unsupported-media-type",
}
#: Longest echo of a value a caller sent, in characters; the rest is cut (a 5,000-digit number stays readable).
ECHO = 120


class ErrorInfo(BaseModel):
    code: str = Field(description="stable slug of what went wrong, e.g. not-found, invalid-parameter, bad-input")
    message: str = Field(description="what went wrong, in words, naming the value and what is accepted")
    details: list[dict[str, Any]] = Field(description="one entry per problem: parameter or field, value, reason")


class ErrorBody(BaseModel):
    error: ErrorInfo


#: Declared on every route: any client error answers in the one error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorBody, "description": "The request cannot be answered as sent; error.code says why."}
}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ObservatoryError, _observatory_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(DataError, _unstorable_value)
    app.add_exception_handler(Exception, _unexpected_error)


def respond(request: Request, body: dict[str, Any], status: int, headers: Mapping[str, str] | None = None) -> Response:
    """The error as JSON; as an HTML page only for a browser asking for a page outside the API."""
    try:
        return _render(request, body, status, headers)
    except Exception:
        log.exception("could not render the error %r on %s %s", body, request.method, request.url.path)
        error = body.get("error", {})
        plain = error_body(str(error.get("code", "internal")), _echo(str(error.get("message", "error"))))
        return JSONResponse(plain, status_code=status, headers=headers)


def _render(request: Request, body: dict[str, Any], status: int, headers: Mapping[str, str] | None) -> Response:
    wants_page = "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/api/")
    if wants_page:
        context = {"status": status, "error": body["error"]}
        page: Response = request.app.state.templates.TemplateResponse(
            request, "error.html", context, status_code=status
        )
        return page
    return JSONResponse(body, status_code=status, headers=headers)


async def _observatory_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ObservatoryError)
    return respond(request, exc.body(), exc.status, exc.headers())


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(error["loc"] == ("body",) and isinstance(error.get("input"), bytes) for error in errors):
        # FastAPI hands over the raw bytes of a body it did not read as JSON, because of its content type.
        sent = request.headers.get("content-type")
        message = _("the body must be JSON sent as Content-Type: application/json, not %(sent)s") % {
            "sent": sent or _("no content type")
        }
        return respond(request, error_body("unsupported-media-type", message, [{"content_type": sent}]), 415)
    details = [_detail(error) for error in errors]
    first = details[0] if details else {"parameter": "?", "reason": "invalid request"}
    in_body = bool(errors) and errors[0]["loc"][0] == "body"
    return respond(request, error_body("invalid-body" if in_body else "invalid-parameter", _say(first), details), 422)


def _detail(error: Mapping[str, Any]) -> dict[str, Any]:
    source, *path = error["loc"]
    if error["type"] == "json_invalid":
        reason = f"not valid JSON: {error.get('ctx', {}).get('error', error['msg'])}"
        return {"field": "", "position": path[0] if path else None, "reason": reason}
    name = ".".join(str(part) for part in path) or str(source)
    detail = {"field" if source == "body" else "parameter": name, "reason": error["msg"]}
    if error["type"] != "missing":
        detail["value"] = _json_safe(error.get("input"))
    return detail


def _say(detail: Mapping[str, Any]) -> str:
    name = detail.get("parameter", detail.get("field"))
    if not name:
        return _("the body is %(reason)s (at character %(position)s)") % {
            "reason": detail["reason"],
            "position": detail.get("position"),
        }
    if "value" not in detail:
        return _("%(name)s is required") % {"name": name}
    return _("invalid value %(value)s for %(name)s: %(reason)s") % {
        "value": repr(detail["value"]),
        "name": name,
        "reason": detail["reason"],
    }


def _json_safe(value: Any) -> Any:
    """A value as JSON can carry it: text cut to ``ECHO`` characters, bytes decoded, NaN and infinities as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**63 else _big(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, bytes):
        return _echo(value.decode("utf-8", errors="replace"))
    if isinstance(value, Mapping):
        return {_echo(str(key)): _json_safe(item) for key, item in list(value.items())[:20]}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value[:20]]
    return _echo(str(value))


def _big(number: int) -> str:
    try:
        return _echo(str(number))
    except ValueError:  # more than 4,300 digits: Python refuses to write it
        return f"an integer of {number.bit_length():,} bits"


def _echo(text: str) -> str:
    return text if len(text) <= ECHO else f"{text[:ECHO]}… ({len(text):,} characters)"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "http-error")
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, ValueError):
        # The body parser's own failure, which FastAPI does not name: text that is not UTF-8, or an integer of
        # more than 4,300 digits (Python refuses to read it).
        message = _("the body cannot be read: %(why)s") % {"why": _unreadable(cause)}
        return respond(request, error_body("invalid-body", message), 400, exc.headers)
    message = f"{request.method} {request.url.path}: {exc.detail}"
    return respond(request, error_body(code, message), exc.status_code, exc.headers)


def _unreadable(cause: ValueError) -> str:
    if isinstance(cause, UnicodeDecodeError):
        return _("it is not UTF-8 text")
    if "digits" in str(cause):
        return _("it holds a number too long to read")
    return _("it is not well-formed")


async def _unstorable_value(request: Request, exc: Exception) -> Response:
    """The store refused a value the caller sent (text with a NUL character, a number beyond its column): the
    caller's input, so a 422, logged because a check upstream should have caught it first."""
    log.warning("the store refused a value on %s %s: %s", request.method, request.url.path, exc)
    message = _("a value sent cannot be stored (a NUL character in text, or a number beyond what the field holds)")
    return respond(request, error_body("invalid-body", message), 422)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return respond(request, error_body("internal", _("internal error; it has been logged")), 500)
