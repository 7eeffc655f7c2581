"""Every error leaves the web layer in one shape: ``{"error": {"code", "message", "details"}}``."""

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from observatory.errors import ObservatoryError, error_body

log = logging.getLogger(__name__)

HTTP_CODES = {404: "not-found", 405: "method-not-allowed"}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ObservatoryError, _observatory_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


def respond(request: Request, body: dict[str, Any], status: int, headers: Mapping[str, str] | None = None) -> Response:
    """The error as JSON; as an HTML page only for a browser asking for a page outside the API."""
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
    return respond(request, exc.body(), exc.status)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details: list[dict[str, Any]] = [
        {
            "parameter": str(error["loc"][1] if len(error["loc"]) > 1 else error["loc"][0]),
            "value": error.get("input"),
            "reason": error["msg"],
        }
        for error in exc.errors()
    ]
    first = details[0] if details else {"parameter": "?", "reason": "invalid request"}
    message = f"invalid value {first.get('value')!r} for {first['parameter']}: {first['reason']}"
    return respond(request, error_body("invalid-parameter", message, details), 422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "http-error")
    message = f"{request.method} {request.url.path}: {exc.detail}"
    return respond(request, error_body(code, message), exc.status_code, exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return respond(request, error_body("internal", "internal error; it has been logged"), 500)
