"""The one place where failures become `{"error": CODE, "message": ...}` responses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from rooms.core.config import get_settings
from rooms.core.errors import DomainError, RateLimited
from rooms.core.security import security_headers

log = logging.getLogger("rooms.api")

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    410: "GONE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: object
) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status, headers=headers)


def _describe(exc: RequestValidationError) -> tuple[str, str, list[dict[str, str]]]:
    details = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        details.append({"field": ".".join(loc), "problem": str(err.get("msg", "invalid"))})
    first = exc.errors()[0] if exc.errors() else {}
    if first.get("type") == "json_invalid":
        return "INVALID_JSON", "The request body is not valid JSON.", []
    where = details[0]["field"] if details and details[0]["field"] else "request body"
    return "INVALID_INPUT", f"{where}: {details[0]['problem'] if details else 'invalid'}", details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        code, message, details = _describe(exc)
        return error_response(400, code, message, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "ERROR")
        return error_response(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(DataError)
    async def data_error(_: Request, exc: DataError) -> JSONResponse:
        # The database refused a value (say a NUL byte PostgreSQL cannot store): bad input.
        log.info("database rejected a value: %s", exc.orig)
        return error_response(400, "INVALID_INPUT", "A value in the request cannot be stored.")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        # Starlette answers this one from its outermost layer, outside SecurityMiddleware:
        # the headers every other response gets are added here.
        headers = dict(security_headers(get_settings()))
        return error_response(500, "INTERNAL_ERROR", "Something went wrong on our side.", headers)
