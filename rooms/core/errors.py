"""Typed domain errors. The API maps them to `{"error": code, "message": ...}` in one place.

The message is a template with `{name}` fields and the values beside it: the REST API
sends the English text, the UI translates the template (rooms.core.i18n) and fills in
the same values. `pybabel extract` finds the templates as these classes' first argument.
"""

from __future__ import annotations


class DomainError(Exception):
    status: int = 400
    code: str = "BAD_REQUEST"

    def __init__(self, message: str, code: str | None = None, **params: object) -> None:
        text = message.format(**params) if params else message
        super().__init__(text)
        self.message = text
        self.template = message
        self.params = params
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    status = 400
    code = "INVALID_INPUT"


class Unauthorized(DomainError):
    status = 401
    code = "UNAUTHORIZED"


class Forbidden(DomainError):
    status = 403
    code = "FORBIDDEN"


class NotFound(DomainError):
    status = 404
    code = "NOT_FOUND"


class Conflict(DomainError):
    status = 409
    code = "CONFLICT"


class Gone(DomainError):
    status = 410
    code = "SESSION_ENDED"


class RateLimited(DomainError):
    status = 429
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after: int = 60, **params: object) -> None:
        super().__init__(message, **params)
        self.retry_after = retry_after


class Busy(DomainError):
    """The server is at capacity for now: the client retries later (a 5xx, so it does)."""

    status = 503
    code = "BUSY"
