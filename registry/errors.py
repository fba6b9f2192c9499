"""The errors normreg reports. Each class carries its HTTP status and a stable code; the docstring is the
default message. The CLI prints the message (exit 1); the API renders ``{"error": {code, message, details}}``."""

from __future__ import annotations

from typing import Any, ClassVar


class NormregError(Exception):
    """Something went wrong."""

    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        self.message = message or (self.__doc__ or self.code).strip()
        self.details = details
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotFound(NormregError):
    """No such document."""

    status_code = 404
    code = "not_found"


class Ambiguous(NormregError):
    """The reference matches more than one document; use its id."""

    status_code = 409
    code = "ambiguous_reference"


class InvalidInput(NormregError):
    """The input is not valid."""

    status_code = 422
    code = "invalid_input"


class Conflict(NormregError):
    """The change conflicts with the current state."""

    status_code = 409
    code = "conflict"


class Gone(NormregError):
    """It existed but is gone for good (an export's file past its expiry); ask for it again."""

    status_code = 410
    code = "gone"


class PreconditionFailed(NormregError):
    """The document changed since you read it (stale ETag); reload and try again."""

    status_code = 412
    code = "precondition_failed"


class PreconditionRequired(NormregError):
    """Send the document's ETag in If-Match to change it."""

    status_code = 428
    code = "precondition_required"


class Unauthorized(NormregError):
    """A valid bearer token is required."""

    status_code = 401
    code = "unauthorized"


class Forbidden(NormregError):
    """Your role may not do this."""

    status_code = 403
    code = "forbidden"


class TooLarge(NormregError):
    """The request body is too large."""

    status_code = 413
    code = "payload_too_large"


class RateLimited(NormregError):
    """Too many requests; slow down."""

    status_code = 429
    code = "rate_limited"


class Unavailable(NormregError):
    """A service the registry depends on (the mail server, a webhook receiver) did not accept the work."""

    status_code = 502
    code = "upstream_unavailable"
