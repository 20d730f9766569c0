"""ASGI middleware around the API and the Reflex app mounted inside it.

Plain ASGI (not BaseHTTPMiddleware) so WebSockets and streamed responses pass untouched.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rooms.api.errors import error_response
from rooms.core import ratelimit, security
from rooms.core.config import get_settings

# Called by other servers, which prove who they are by signature rather than by cookie.
CROSS_SITE_EXEMPT = ("/api/livekit/webhook",)
UPLOAD_ROUTES = ("/api/identity/avatar",)
UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class SecurityMiddleware:
    """Refuse state-changing requests sent by another site; add security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        settings = get_settings()
        self.app_url = settings.app_url
        self.headers = [
            (k.lower().encode(), v.encode()) for k, v in security.security_headers(settings)
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        if self._too_large(scope):
            response = error_response(
                413, "IMAGE_TOO_LARGE", "The upload is larger than this route accepts."
            )
            await response(scope, receive, send_with_headers)
            return
        if self._refused(scope):
            response = error_response(
                403,
                "CROSS_SITE_REQUEST",
                "This request came from another site and was refused.",
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _too_large(self, scope: Scope) -> bool:
        """Refuse an oversized upload before the multipart parser spools it to disk."""
        if scope["method"] != "POST" or scope["path"].rstrip("/") not in UPLOAD_ROUTES:
            return False
        length = _header(scope, b"content-length")
        limit = get_settings().avatar_max_bytes + UPLOAD_OVERHEAD
        return length is not None and length.isdigit() and int(length) > limit

    def _refused(self, scope: Scope) -> bool:
        if scope["method"] in security.SAFE_METHODS:
            return False
        if scope["path"].startswith(CROSS_SITE_EXEMPT):
            return False
        return security.is_cross_site(
            _header(scope, b"origin"),
            _header(scope, b"sec-fetch-site"),
            _header(scope, b"host"),
            self.app_url,
        )


class RateLimitMiddleware:
    """429 with Retry-After once a client spends its per-minute budget on a limited route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = (
            ratelimit.rule_for(scope["method"], scope["path"]) if scope["type"] == "http" else None
        )
        if rule is None:
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        limiter = ratelimit.get_limiter(settings)
        peer = (scope.get("client") or ("unknown", 0))[0]
        client = ratelimit.client_key(settings, peer, _header(scope, b"x-forwarded-for"))
        limit = ratelimit.per_minute(settings, rule)
        if limiter.uses_redis:  # a network round trip: keep it off the event loop
            retry_after = await run_in_threadpool(limiter.hit, rule.name, client, limit)
        else:
            retry_after = limiter.hit(rule.name, client, limit)
        if retry_after is None:
            await self.app(scope, receive, send)
            return
        response = error_response(
            429,
            "RATE_LIMITED",
            f"Too many requests; try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)
