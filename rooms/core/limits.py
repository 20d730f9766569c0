"""How large a request body each class of route accepts: one rule, applied by the API's
middleware while the body is read (so a chunked body without Content-Length is cut too)."""

from __future__ import annotations

from dataclasses import dataclass

from rooms.core.config import Settings

JSON_MAX_BYTES = 1024 * 1024  # the largest JSON body any route needs is a few KB
WEBHOOK_MAX_BYTES = 256 * 1024  # LiveKit's events are a few KB; unsigned callers are strangers
UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file
UPLOAD_ROUTES = ("/api/identity/avatar",)
WEBHOOK_ROUTES = ("/api/livekit/webhook",)


@dataclass(frozen=True)
class BodyLimit:
    route_class: str  # json | upload | webhook
    max_bytes: int


def body_limit(settings: Settings, path: str) -> BodyLimit | None:
    """The limit for a request to `path`, or None outside the API (Reflex's own routes)."""
    if not path.startswith("/api/"):
        return None
    route = path.rstrip("/")
    if route in UPLOAD_ROUTES:
        return BodyLimit("upload", settings.avatar_max_bytes + UPLOAD_OVERHEAD)
    if route in WEBHOOK_ROUTES:
        return BodyLimit("webhook", WEBHOOK_MAX_BYTES)
    return BodyLimit("json", JSON_MAX_BYTES)
