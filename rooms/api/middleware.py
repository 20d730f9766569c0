"""ASGI middleware around the API and the Reflex app mounted inside it.

Plain ASGI (not BaseHTTPMiddleware) so WebSockets and streamed responses pass untouched.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rooms.api.errors import error_response
from rooms.core import limits, ratelimit, security
from rooms.core.config import get_settings

# Called by other servers, which prove who they are by signature rather than by cookie.
CROSS_SITE_EXEMPT = limits.WEBHOOK_ROUTES


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

        if self._refused(scope):
            response = error_response(
                403,
                "CROSS_SITE_REQUEST",
                "This request came from another site and was refused.",
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

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


def _too_large(limit: limits.BodyLimit) -> Response:
    return error_response(
        413,
        "PAYLOAD_TOO_LARGE",
        f"The request body is larger than this route accepts ({limit.max_bytes} bytes).",
        limit=limit.max_bytes,
    )


class BodyLimitMiddleware:
    """413 for a body over its route class's limit (rooms.core.limits): at once when
    Content-Length says so, else as soon as the bytes read pass it. The route never sees
    more than the limit, and its own answer to the cut-off body is replaced by the 413."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = (
            limits.body_limit(get_settings(), scope["path"])
            if scope["type"] == "http" and scope["method"] not in security.SAFE_METHODS
            else None
        )
        if limit is None:
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit.max_bytes):
            await _too_large(limit)(scope, receive, send)
            return
        seen = 0
        cut = False
        started = False

        async def limited_receive() -> Message:
            nonlocal seen, cut
            if cut:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit.max_bytes:
                    cut = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if cut:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not cut:
                raise
        if cut and not started:
            await _too_large(limit)(scope, receive, send)
