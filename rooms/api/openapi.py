"""The OpenAPI document as the API really answers: bad input is a 400 in the error contract
(never FastAPI's 422), and rate-limited routes say they may answer 429."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from rooms.core import ratelimit

_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    "required": ["error", "message"],
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


def _concrete(path: str) -> str:
    # A stand-in value per path parameter, enough to match the rate-limit rules.
    return "/".join("x" if p.startswith("{") else p for p in path.split("/"))


def install_openapi(api: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if api.openapi_schema:
            return api.openapi_schema
        doc = get_openapi(
            title=api.title, version=api.version, routes=api.routes, description=api.description
        )
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", _ERROR_SCHEMA)
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        for path, operations in doc.get("paths", {}).items():
            for method, op in operations.items():
                responses = op.setdefault("responses", {})
                if responses.pop("422", None) is not None or "parameters" in op:
                    responses.setdefault("400", _error("Bad input"))
                if ratelimit.rule_for(method.upper(), _concrete(path)):
                    responses.setdefault("429", _error("Rate limited; see Retry-After"))
        api.openapi_schema = doc
        return doc

    api.openapi = build  # type: ignore[method-assign]
