"""The exception tree every layer raises; the web layer turns it into one JSON error shape.

ObservatoryError                 500  internal
├── BadInput                     400  bad-input         (a value the caller can fix)
│   ├── UnknownParameter         400  unknown-parameter
│   └── SourceFileError          400  bad-source-file   (names file, row, column, value)
├── NotFound                     404  not-found
├── Conflict                     409  conflict
└── TryLater                          (``retry_after`` seconds, sent as the Retry-After header)
    ├── TooManyRequests          429  too-many-requests
    └── Unavailable              503  unavailable
"""

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(eq=False)
class ObservatoryError(Exception):
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)

    def headers(self) -> dict[str, str]:
        """HTTP headers the error's response carries besides its body."""
        return {}


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The single error shape of the API: ``{"error": {"code", "message", "details"}}``."""
    return {"error": {"code": code, "message": message, "details": details or []}}


class BadInput(ObservatoryError):
    status = 400
    code = "bad-input"


class UnknownParameter(BadInput):
    code = "unknown-parameter"


class SourceFileError(BadInput):
    code = "bad-source-file"


class NotFound(ObservatoryError):
    status = 404
    code = "not-found"


class NoData(NotFound):
    """A figure that cannot be computed yet because the data it needs have not been published: a reason in words,
    never an empty chart or a zero."""

    code = "no-data"


class Conflict(ObservatoryError):
    status = 409
    code = "conflict"


class Unauthenticated(ObservatoryError):
    status = 401
    code = "unauthenticated"


class Forbidden(ObservatoryError):
    status = 403
    code = "forbidden"


@dataclass(eq=False)
class TryLater(ObservatoryError):
    """Refused for now: the same request may succeed in ``retry_after`` seconds."""

    retry_after: int = 1

    status: ClassVar[int] = 429
    code: ClassVar[str] = "too-many-requests"

    def headers(self) -> dict[str, str]:
        return {"retry-after": str(self.retry_after)}


class TooManyRequests(TryLater):
    """The caller has used its share for now."""


class Unavailable(TryLater):
    """The service cannot take the request at the moment, whoever sends it."""

    status = 503
    code = "unavailable"
